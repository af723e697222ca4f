// Package cli is Casebook's command-line face. Every subcommand takes the
// case folder first, prints readable text by default and stable JSON with
// --json, writes errors to stderr as one line, and exits non-zero on failure.
// It calls only the casefile package.
package cli
