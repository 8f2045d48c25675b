-- Surveyed transversal profiles (src/profiles.rs).
CREATE TABLE surveys (
    id          TEXT PRIMARY KEY,
    target_type TEXT NOT NULL CHECK (target_type IN ('rome', 'appellation')),
    target_code TEXT NOT NULL,
    source      TEXT NOT NULL,
    date        TEXT NOT NULL,
    territory   TEXT,
    population  TEXT,
    imported_at TEXT NOT NULL
);
CREATE TABLE survey_entries (
    survey_id  TEXT NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
    competency INTEGER NOT NULL CHECK (competency BETWEEN 0 AND 13),
    level      INTEGER NOT NULL CHECK (level BETWEEN 0 AND 4),
    stars      INTEGER NOT NULL CHECK (stars BETWEEN 0 AND 5),
    PRIMARY KEY (survey_id, competency)
);
