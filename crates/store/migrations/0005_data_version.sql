-- The data version (src/lib.rs, `data_version`): one row, bumped by every
-- import transaction, so that a long-running reader (the server) can tell
-- that the data it loaded is no longer current.
CREATE TABLE data_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO data_version (id, version) VALUES (1, 0);
