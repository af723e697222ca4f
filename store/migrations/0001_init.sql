-- The record of a case. SQLite is the truth; the Bleve index is derived from it.
CREATE TABLE meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);

CREATE TABLE sources (
	id           INTEGER PRIMARY KEY,
	sha256       TEXT NOT NULL UNIQUE,
	size         INTEGER NOT NULL,
	name         TEXT NOT NULL,
	path         TEXT NOT NULL DEFAULT '',
	kind         TEXT NOT NULL CHECK (kind IN ('transcript', 'accesslog')),
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
	investigator TEXT NOT NULL DEFAULT ''
);

-- Speakers as they appear in transcripts; alias_of merges a label into a person.
CREATE TABLE speakers (
	id       INTEGER PRIMARY KEY,
	name     TEXT NOT NULL UNIQUE,
	alias_of INTEGER REFERENCES speakers (id),
	role     TEXT NOT NULL DEFAULT '',
	office   TEXT NOT NULL DEFAULT ''
);

CREATE TABLE segments (
	id        INTEGER PRIMARY KEY,
	source_id INTEGER NOT NULL REFERENCES sources (id),
	seq       INTEGER NOT NULL,
	start_ms  INTEGER,
	end_ms    INTEGER,
	speaker   TEXT NOT NULL DEFAULT '',
	text      TEXT NOT NULL,
	line      INTEGER NOT NULL,
	offset    INTEGER NOT NULL,
	length    INTEGER NOT NULL DEFAULT 0,
	UNIQUE (source_id, seq)
);

CREATE TABLE events (
	id               INTEGER PRIMARY KEY,
	source_id        INTEGER NOT NULL REFERENCES sources (id),
	time_ns          INTEGER,
	time_text        TEXT NOT NULL DEFAULT '',
	actor            TEXT NOT NULL DEFAULT '',
	actor_id         TEXT NOT NULL DEFAULT '',
	office           TEXT NOT NULL DEFAULT '',
	country          TEXT NOT NULL DEFAULT '',
	ip               TEXT NOT NULL DEFAULT '',
	action           TEXT NOT NULL DEFAULT '',
	system           TEXT NOT NULL DEFAULT '',
	resource         TEXT NOT NULL DEFAULT '',
	category         TEXT NOT NULL DEFAULT '',
	region           TEXT NOT NULL DEFAULT '',
	records          INTEGER,
	approval         TEXT NOT NULL DEFAULT '',
	approver         TEXT NOT NULL DEFAULT '',
	approver_country TEXT NOT NULL DEFAULT '',
	purpose          TEXT NOT NULL DEFAULT '',
	raw              TEXT NOT NULL,
	row              INTEGER NOT NULL,
	line             INTEGER NOT NULL,
	offset           INTEGER NOT NULL
);
CREATE INDEX events_source ON events (source_id);
CREATE INDEX events_time ON events (time_ns);
CREATE INDEX events_actor ON events (actor_id, actor);
CREATE INDEX events_country ON events (country);

CREATE TABLE tags (
	id          INTEGER PRIMARY KEY,
	name        TEXT NOT NULL UNIQUE,
	color       TEXT NOT NULL DEFAULT '',
	description TEXT NOT NULL DEFAULT ''
);

CREATE TABLE taggings (
	id     INTEGER PRIMARY KEY,
	tag_id INTEGER NOT NULL REFERENCES tags (id),
	item   TEXT NOT NULL,
	note   TEXT NOT NULL DEFAULT '',
	by     TEXT NOT NULL DEFAULT '',
	at     TEXT NOT NULL,
	origin TEXT NOT NULL DEFAULT 'hand',
	status TEXT NOT NULL DEFAULT 'confirmed' CHECK (status IN ('suggested', 'confirmed', 'rejected'))
);
CREATE INDEX taggings_item ON taggings (item);

CREATE TABLE notes (
	id      INTEGER PRIMARY KEY,
	item    TEXT NOT NULL,
	text    TEXT NOT NULL,
	by      TEXT NOT NULL DEFAULT '',
	at      TEXT NOT NULL,
	private INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX notes_item ON notes (item);

-- Changes the index has yet to see, written in the same transaction as the
-- change. An entry names a range of item ids of one kind.
CREATE TABLE outbox (
	seq  INTEGER PRIMARY KEY AUTOINCREMENT,
	op   TEXT NOT NULL CHECK (op IN ('upsert', 'delete')),
	kind TEXT NOT NULL CHECK (kind IN ('seg', 'evt')),
	lo   INTEGER NOT NULL,
	hi   INTEGER NOT NULL
);

-- The append-only, hash-chained audit trail. Casebook never rewrites it.
CREATE TABLE audit (
	seq       INTEGER PRIMARY KEY,
	at        TEXT NOT NULL,
	actor     TEXT NOT NULL,
	action    TEXT NOT NULL,
	detail    TEXT NOT NULL,
	prev_hash TEXT NOT NULL,
	hash      TEXT NOT NULL
);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN
	SELECT RAISE(ABORT, 'the audit trail is append-only');
END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN
	SELECT RAISE(ABORT, 'the audit trail is append-only');
END;
