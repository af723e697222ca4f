-- Rows an importer refused, kept with their reason so they can be listed and exported.
CREATE TABLE rejects (
	id        INTEGER PRIMARY KEY,
	source_id INTEGER NOT NULL REFERENCES sources (id),
	line      INTEGER NOT NULL,
	row       INTEGER NOT NULL DEFAULT 0,
	reason    TEXT NOT NULL,
	raw       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX rejects_source ON rejects (source_id);

-- Where an event's country came from, and the country of its IP when an
-- IP-range table knows it; flags such as "country-mismatch".
ALTER TABLE events ADD COLUMN country_from TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN ip_country TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN flags TEXT NOT NULL DEFAULT '';

-- The case's own additions to the built-in place table (office or city -> country).
CREATE TABLE places (
	name    TEXT PRIMARY KEY COLLATE NOCASE,
	country TEXT NOT NULL
);

-- IP ranges the investigator imported (e.g. a DB-IP or IP2Location "lite"
-- country file). Addresses are 16-byte big-endian (IPv4 mapped into IPv6),
-- so BLOB comparison orders them numerically.
CREATE TABLE ip_ranges (
	lo      BLOB NOT NULL,
	hi      BLOB NOT NULL,
	country TEXT NOT NULL,
	file    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX ip_ranges_lo ON ip_ranges (lo);

-- Saved column mappings for access logs (--profile NAME).
CREATE TABLE mapping_profiles (
	name       TEXT PRIMARY KEY,
	mapping    TEXT NOT NULL,
	format     TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL
);
