-- PostgreSQL twin of ../0002_profils.sql. Sorted text keys use byte order
-- (COLLATE "C"), as SQLite does, whatever the database locale.
CREATE TABLE surveys (
    id          TEXT COLLATE "C" PRIMARY KEY,
    target_type TEXT NOT NULL CHECK (target_type IN ('rome', 'appellation')),
    target_code TEXT NOT NULL,
    source      TEXT NOT NULL,
    date        TEXT NOT NULL,
    territory   TEXT,
    population  TEXT,
    imported_at TEXT NOT NULL
);
CREATE TABLE survey_entries (
    survey_id  TEXT COLLATE "C" NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
    competency BIGINT NOT NULL CHECK (competency BETWEEN 0 AND 13),
    level      BIGINT NOT NULL CHECK (level BETWEEN 0 AND 4),
    stars      BIGINT NOT NULL CHECK (stars BETWEEN 0 AND 5),
    PRIMARY KEY (survey_id, competency)
);
