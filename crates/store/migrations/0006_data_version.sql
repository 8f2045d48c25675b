-- The data version: a counter bumped by every import transaction, so that a
-- server can tell, by one cheap read, that the data it serves is no longer
-- the latest and reload a consistent snapshot (issue 14).
CREATE TABLE data_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    counter INTEGER NOT NULL
);
INSERT INTO data_version (id, counter) VALUES (1, 0);
