-- Saved searches: a name, the query text and the filters (JSON), kept in the
-- case so rules and reports can reuse them.
CREATE TABLE saved_searches (
	id         INTEGER PRIMARY KEY,
	name       TEXT NOT NULL UNIQUE,
	query      TEXT NOT NULL,
	filters    TEXT NOT NULL DEFAULT '{}',
	created_at TEXT NOT NULL
);
