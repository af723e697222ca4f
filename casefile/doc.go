// Package casefile opens a case folder as one object and is the single
// application layer that both faces (the command line and the window) call:
// creating and opening cases, the import pipeline, keeping the search index
// in step with the database, search, verification and the demo case.
//
// A case folder holds:
//
//	case.db      the SQLite record (store package): the truth
//	index/       the Bleve index (index package): derived, rebuildable
//	originals/   every imported file byte-for-byte, named by SHA-256, read-only
//	ipdb/        IP databases loaded into the case (<sha256>.mmdb), read-only
//	case.lock    held while a Casebook process has the case open
//
// All paths inside are relative, so a case folder can be copied to another
// computer and still open.
package casefile
