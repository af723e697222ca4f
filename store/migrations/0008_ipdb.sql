-- IP geolocation databases (MaxMind DB format: GeoLite2/GeoIP2 Country or
-- City, DB-IP lite) loaded into the case (issue 20). The file itself is
-- copied into the case folder at path (ipdb/<sha256>.mmdb, read-only) and
-- verified against sha256 like an original; the load is in the hash-chained
-- audit trail. The database's own build date and type are kept because IP
-- geography changes over time: a report says which edition placed an IP.
CREATE TABLE ip_databases (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,            -- the file's name when it was loaded
    sha256       TEXT NOT NULL UNIQUE,
    size         INTEGER NOT NULL,
    path         TEXT NOT NULL,            -- relative to the case folder
    db_type      TEXT NOT NULL DEFAULT '', -- the metadata's database_type ("GeoLite2-Country", "DBIP-Country-Lite")
    build_epoch  INTEGER NOT NULL DEFAULT 0, -- the metadata's build_epoch (Unix seconds)
    description  TEXT NOT NULL DEFAULT '', -- the metadata's English description
    ip_version   INTEGER NOT NULL DEFAULT 0,
    loaded_at    TEXT NOT NULL,
    investigator TEXT NOT NULL DEFAULT ''
);

-- Where an event's IP country came from, written in the event's import
-- transaction beside it. Not part of the event's seal (ip_country is): 0 is
-- the case's CSV IP-range table, otherwise an ip_databases id.
CREATE TABLE event_ip_from (
    event_id    INTEGER PRIMARY KEY REFERENCES events (id),
    ip_database INTEGER NOT NULL
) WITHOUT ROWID;
