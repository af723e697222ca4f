// Package index is Casebook's full-text index: a Bleve v2 (scorch) index
// derived from the case database and rebuildable from it at any time.
//
// The index records inside itself, atomically with every batch of documents
// (Batch.SetInternal), how far through the database's outbox it has got, the
// version of its mapping and the identity of the case it belongs to. The
// casefile package compares those with the database on open and catches up
// or rebuilds, so the index is never silently out of step.
package index
