// Package store keeps a case's record in SQLite (mattn/go-sqlite3): sources,
// transcript segments, access events, tags, notes, the index outbox and the
// hash-chained audit trail. Schema changes are embedded, numbered migrations,
// each applied in its own transaction and recorded.
//
// One connection writes (transactions begin IMMEDIATE, so writers queue
// instead of failing); a separate pool reads. Every change that the search
// index must see writes an outbox entry in the same transaction, and every
// change is appended to the audit trail in that transaction too.
package store
