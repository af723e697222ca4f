-- Who the actors are and what the resources hold (issue 20). The roster and
-- the data map are the case's own tables, replaced whole by each load (the
-- load's file, SHA-256 and counts go into the hash-chained audit trail). What
-- they say about an event lives in the events' context columns below, which
-- are not part of the record's seal: they are derived, recomputed when the
-- roster or the map changes, and never overwrite what the source said.
CREATE TABLE roster (
    row      INTEGER PRIMARY KEY,          -- 1-based data row of the roster file
    name     TEXT NOT NULL DEFAULT '',
    office   TEXT NOT NULL DEFAULT '',
    country  TEXT NOT NULL DEFAULT '',     -- ISO alpha-2 when known
    team     TEXT NOT NULL DEFAULT '',
    employer TEXT NOT NULL DEFAULT '',
    ids      TEXT NOT NULL DEFAULT ''      -- the identifiers as written, "; "-separated
);
CREATE TABLE roster_keys (
    key TEXT PRIMARY KEY,                  -- an identifier, lower-case
    row INTEGER NOT NULL REFERENCES roster(row) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE TABLE datamap (
    row      INTEGER PRIMARY KEY,          -- 1-based data row of the map file
    field    TEXT NOT NULL,                -- the event field the pattern is matched against
    pattern  TEXT NOT NULL,                -- a glob, or re:REGEX
    category TEXT NOT NULL DEFAULT '',
    region   TEXT NOT NULL DEFAULT ''      -- ISO alpha-2, or '' for any
);
ALTER TABLE events ADD COLUMN person TEXT NOT NULL DEFAULT '';          -- roster name of the actor
ALTER TABLE events ADD COLUMN roster_row INTEGER NOT NULL DEFAULT 0;    -- roster row that matched (0: none)
ALTER TABLE events ADD COLUMN person_office TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN person_country TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN map_category TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN map_region TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN map_row INTEGER NOT NULL DEFAULT 0;       -- data-map row that set the category (0: none)
