-- Evidence: nested tags with soft deletion, taggings that carry quotes,
-- confidence, rule explanations and exhibit numbers; notes; statements and
-- their evidence links; related items; rules as data; the exhibit counter.

ALTER TABLE tags ADD COLUMN created_at TEXT NOT NULL DEFAULT '';
ALTER TABLE tags ADD COLUMN deleted_at TEXT;
ALTER TABLE tags ADD COLUMN merged_into INTEGER REFERENCES tags (id);

ALTER TABLE taggings ADD COLUMN confidence REAL NOT NULL DEFAULT 1;
ALTER TABLE taggings ADD COLUMN quote_start INTEGER;
ALTER TABLE taggings ADD COLUMN quote_end INTEGER;
ALTER TABLE taggings ADD COLUMN explanation TEXT NOT NULL DEFAULT '';
ALTER TABLE taggings ADD COLUMN related TEXT NOT NULL DEFAULT '';
ALTER TABLE taggings ADD COLUMN exhibit INTEGER;
CREATE UNIQUE INDEX taggings_exhibit ON taggings (exhibit) WHERE exhibit IS NOT NULL;
ALTER TABLE taggings ADD COLUMN confirmed_at TEXT;
ALTER TABLE taggings ADD COLUMN removed_at TEXT;
ALTER TABLE taggings ADD COLUMN removed_why TEXT NOT NULL DEFAULT '';
-- A rule suggests an item once, however often it runs.
CREATE UNIQUE INDEX taggings_rule_item ON taggings (origin, item, related) WHERE origin <> 'hand';
CREATE INDEX taggings_tag ON taggings (tag_id);
CREATE INDEX taggings_status ON taggings (status, origin);

-- Exhibit numbers are handed out from this counter and never reused.
INSERT INTO meta (key, value) VALUES ('exhibit_next', '1') ON CONFLICT (key) DO NOTHING;

-- A claim the investigator records (a company's letter, testimony …).
CREATE TABLE statements (
	id         INTEGER PRIMARY KEY,
	who        TEXT NOT NULL,
	said_on    TEXT NOT NULL DEFAULT '',
	words      TEXT NOT NULL,
	place      TEXT NOT NULL DEFAULT '',
	by         TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL
);

-- Evidence linked to a statement as supporting or contradicting it.
CREATE TABLE statement_links (
	id           INTEGER PRIMARY KEY,
	statement_id INTEGER NOT NULL REFERENCES statements (id),
	item         TEXT NOT NULL,
	relation     TEXT NOT NULL CHECK (relation IN ('supports', 'contradicts')),
	note         TEXT NOT NULL DEFAULT '',
	by           TEXT NOT NULL DEFAULT '',
	at           TEXT NOT NULL,
	removed_at   TEXT
);
CREATE INDEX statement_links_statement ON statement_links (statement_id);

-- Items linked as related evidence (for example by the correlation rule).
CREATE TABLE related_items (
	id     INTEGER PRIMARY KEY,
	a      TEXT NOT NULL,
	b      TEXT NOT NULL,
	origin TEXT NOT NULL DEFAULT 'hand',
	why    TEXT NOT NULL DEFAULT '',
	at     TEXT NOT NULL,
	UNIQUE (a, b)
);

-- Rules are data: a condition in Casebook's rule language, parameters (JSON)
-- and the explanation template every suggestion carries.
CREATE TABLE rules (
	id          TEXT PRIMARY KEY,
	name        TEXT NOT NULL,
	kind        TEXT NOT NULL,
	condition   TEXT NOT NULL DEFAULT '',
	params      TEXT NOT NULL DEFAULT '{}',
	enabled     INTEGER NOT NULL DEFAULT 1,
	explanation TEXT NOT NULL DEFAULT '',
	tag         TEXT NOT NULL DEFAULT '',
	builtin     INTEGER NOT NULL DEFAULT 0,
	updated_at  TEXT NOT NULL
);
