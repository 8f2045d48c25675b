-- Job-title profiles (src/postes.rs).
CREATE TABLE postes (
    slug         TEXT PRIMARY KEY,
    title        TEXT NOT NULL,
    base         TEXT NOT NULL,
    appellation  INTEGER,
    author       TEXT NOT NULL,
    date         TEXT NOT NULL,
    basis        TEXT NOT NULL,
    rome_version INTEGER NOT NULL,
    survey       TEXT,
    notes        TEXT NOT NULL,
    imported_at  TEXT NOT NULL
);
CREATE TABLE poste_items (
    slug     TEXT NOT NULL REFERENCES postes(slug) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    ogr      INTEGER NOT NULL,
    kind     TEXT NOT NULL,
    coeur    TEXT NOT NULL,
    label    TEXT NOT NULL,
    extra    INTEGER NOT NULL,
    PRIMARY KEY (slug, ogr)
);
