-- PostgreSQL twin of ../0005_data_version.sql. Every import transaction also
-- sends `NOTIFY passerelle_data` with the new version (src/pg/mod.rs).
CREATE TABLE data_version (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO data_version (id, version) VALUES (1, 0);
