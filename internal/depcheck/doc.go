// Package depcheck holds no code: its test enforces, with "go list", that
// none of Casebook's own packages imports the network (net, net/http and
// the like), and logs which third-party packages in the build do.
package depcheck
