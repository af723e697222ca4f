-- Records sealed at import: each row keeps the first 16 bytes of the SHA-256
-- of its fields (to point at a changed record), each source its seal's root
-- and the options it was imported with (so verify --deep can re-parse it the
-- same way). The seal itself is also written into the import's hash-chained
-- audit entry, which is what verify trusts.
ALTER TABLE segments ADD COLUMN seal BLOB;
ALTER TABLE events ADD COLUMN seal BLOB;
ALTER TABLE sources ADD COLUMN seal TEXT NOT NULL DEFAULT '';
ALTER TABLE sources ADD COLUMN options TEXT NOT NULL DEFAULT '';
