// Package model holds Casebook's domain types: sources, transcript
// segments, access events, tags, notes and audit entries, together with the
// sentinel errors every layer shares. It depends on the standard library only.
package model
