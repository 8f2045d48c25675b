-- PostgreSQL twin of ../0006_data_version.sql. Every import transaction also
-- sends `NOTIFY passerelle_data` with the new version (src/pg/mod.rs).
CREATE TABLE data_version (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    counter BIGINT NOT NULL
);
INSERT INTO data_version (id, counter) VALUES (1, 0);
