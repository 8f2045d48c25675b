-- PostgreSQL twin of ../0004_postes.sql.
CREATE TABLE postes (
    slug         TEXT COLLATE "C" PRIMARY KEY,
    title        TEXT NOT NULL,
    base         TEXT NOT NULL,
    appellation  BIGINT,
    author       TEXT NOT NULL,
    date         TEXT NOT NULL,
    basis        TEXT NOT NULL,
    rome_version BIGINT NOT NULL,
    survey       TEXT,
    notes        TEXT NOT NULL,
    imported_at  TEXT NOT NULL
);
CREATE TABLE poste_items (
    slug     TEXT COLLATE "C" NOT NULL REFERENCES postes(slug) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    ogr      BIGINT NOT NULL,
    kind     TEXT NOT NULL,
    coeur    TEXT NOT NULL,
    label    TEXT NOT NULL,
    extra    BIGINT NOT NULL,
    PRIMARY KEY (slug, ogr)
);
