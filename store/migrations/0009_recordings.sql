-- casebook: foreign_keys off
-- Recordings (issue 18). A recording is a source of kind 'recording': its
-- original is stored and hashed like any other, and what was read from its
-- bytes (format, rate, channels, length) is kept beside it and sealed with the
-- import. The kind's CHECK constraint lives in the table's definition, so the
-- table is rebuilt (SQLite's documented procedure: new table, copy, drop,
-- rename, with foreign keys off; the runner turns them off for this file and
-- checks them before it commits).
CREATE TABLE sources_new (
	id           INTEGER PRIMARY KEY,
	sha256       TEXT NOT NULL UNIQUE,
	size         INTEGER NOT NULL,
	name         TEXT NOT NULL,
	path         TEXT NOT NULL DEFAULT '',
	kind         TEXT NOT NULL CHECK (kind IN ('transcript', 'accesslog', 'recording')),
	format       TEXT NOT NULL,
	encoding     TEXT NOT NULL DEFAULT '',
	importer     TEXT NOT NULL,
	imported_at  TEXT NOT NULL,
	title        TEXT NOT NULL DEFAULT '',
	describes    TEXT NOT NULL DEFAULT '',
	timezone     TEXT NOT NULL DEFAULT '',
	records      INTEGER NOT NULL DEFAULT 0,
	rejects      INTEGER NOT NULL DEFAULT 0,
	warnings     TEXT NOT NULL DEFAULT '[]',
	investigator TEXT NOT NULL DEFAULT '',
	seal         TEXT NOT NULL DEFAULT '',
	options      TEXT NOT NULL DEFAULT ''
);
INSERT INTO sources_new (id, sha256, size, name, path, kind, format, encoding, importer, imported_at, title,
	describes, timezone, records, rejects, warnings, investigator, seal, options)
	SELECT id, sha256, size, name, path, kind, format, encoding, importer, imported_at, title,
	describes, timezone, records, rejects, warnings, investigator, seal, options FROM sources;
DROP TABLE sources;
ALTER TABLE sources_new RENAME TO sources;

-- What a recording's bytes said at import.
CREATE TABLE recordings (
	source_id   INTEGER PRIMARY KEY REFERENCES sources (id),
	format      TEXT NOT NULL,
	sample_rate INTEGER NOT NULL,
	channels    INTEGER NOT NULL,
	duration_ms INTEGER NOT NULL
);

-- A transcript and the recording it was made from: one recording per
-- transcript. A time t in the transcript is t + offset_ms in the recording.
-- Each change is in the audit trail (pair, unpair), which verify replays.
CREATE TABLE pairings (
	transcript_id INTEGER PRIMARY KEY REFERENCES sources (id),
	recording_id  INTEGER NOT NULL REFERENCES sources (id),
	offset_ms     INTEGER NOT NULL DEFAULT 0,
	how           TEXT NOT NULL CHECK (how IN ('name', 'hand'))
);
CREATE INDEX pairings_recording ON pairings (recording_id);

-- Segments typed by an investigator while listening to a recording: who and
-- when. Sealed one by one in their own audit entries (transcribe).
ALTER TABLE segments ADD COLUMN by_hand INTEGER NOT NULL DEFAULT 0;
ALTER TABLE segments ADD COLUMN typed_by TEXT NOT NULL DEFAULT '';
ALTER TABLE segments ADD COLUMN typed_at TEXT NOT NULL DEFAULT '';
