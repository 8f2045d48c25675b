-- ROME referential tables (owned by src/rome.rs).
-- `id` columns keep the order of the official files so that a referential
-- reads back exactly as it was written. Enumerations are small integers
-- (see src/rome.rs for their meaning); RIASEC letters are one-letter text.

CREATE TABLE rome_imports (
    id INTEGER PRIMARY KEY,
    version INTEGER NOT NULL,
    label TEXT,
    published TEXT,
    validated TEXT,
    imported_at TEXT NOT NULL,
    source TEXT NOT NULL,
    report TEXT NOT NULL            -- ImportReport as JSON
);

CREATE TABLE rome_grands_domaines (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL
);

CREATE TABLE rome_domaines (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL
);

CREATE TABLE rome_fiches (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    ogr INTEGER NOT NULL,
    code_fiche_metier INTEGER,
    title TEXT NOT NULL,
    parent TEXT NOT NULL,
    domaine TEXT NOT NULL,
    transition_eco TEXT,
    transition_num INTEGER,
    transition_demo INTEGER,
    emploi_reglemente INTEGER,
    emploi_cadre INTEGER,
    riasec_major TEXT,
    riasec_minor TEXT
);

-- kind: 0 = définition, 1 = accès au métier
CREATE TABLE rome_fiche_texts (
    fiche_id INTEGER NOT NULL REFERENCES rome_fiches(id),
    kind INTEGER NOT NULL,
    position INTEGER NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (fiche_id, kind, position)
) WITHOUT ROWID;

CREATE TABLE rome_appellations (
    id INTEGER PRIMARY KEY,
    ogr INTEGER NOT NULL UNIQUE,
    fiche_id INTEGER NOT NULL REFERENCES rome_fiches(id),
    position INTEGER NOT NULL,      -- rank among the fiche's appellations (principal = 0)
    long_label TEXT NOT NULL,
    short_label TEXT NOT NULL,
    transition_eco TEXT,
    transition_num INTEGER,
    transition_demo INTEGER,
    emploi_reglemente INTEGER,
    emploi_cadre INTEGER,
    classification TEXT,
    origine TEXT,
    parent TEXT,
    rare INTEGER NOT NULL
);

-- nature: 0 compétence, 1 macro-compétence; category: 0 savoir-faire, 1 savoir-être;
-- subcategory: 0 technique, 1 technique expert, 2 transverse
CREATE TABLE rome_competences (
    id INTEGER PRIMARY KEY,
    ogr INTEGER NOT NULL UNIQUE,
    label TEXT NOT NULL,
    definition TEXT,
    nature INTEGER NOT NULL,
    category INTEGER NOT NULL,
    subcategory INTEGER NOT NULL,
    macro_ogr INTEGER,
    code_macro TEXT,
    transition_eco INTEGER,
    transition_num INTEGER,
    riasec_major TEXT,
    riasec_minor TEXT,
    heterogeneite TEXT,
    origine TEXT
);

CREATE TABLE rome_savoirs (
    id INTEGER PRIMARY KEY,
    ogr INTEGER NOT NULL UNIQUE,
    label TEXT NOT NULL,
    category TEXT NOT NULL,
    subcategory TEXT NOT NULL,
    transition_eco INTEGER,
    transition_num INTEGER
);

CREATE TABLE rome_contextes (
    id INTEGER PRIMARY KEY,
    ogr INTEGER NOT NULL UNIQUE,
    label TEXT NOT NULL,
    type_code INTEGER NOT NULL,
    type_label TEXT NOT NULL
);

-- kind: 0 savoir-faire, 1 savoir-être, 2 savoir, 3 contexte; coeur: 0 non, 1 principale, 2 émergente
CREATE TABLE rome_fiche_items (
    fiche_id INTEGER NOT NULL REFERENCES rome_fiches(id),
    position INTEGER NOT NULL,
    ogr INTEGER NOT NULL,
    kind INTEGER NOT NULL,
    coeur INTEGER NOT NULL,
    PRIMARY KEY (fiche_id, position)
) WITHOUT ROWID;
CREATE INDEX rome_fiche_items_by_ogr ON rome_fiche_items (ogr);

-- kind: centre_interet, secteur, theme, secteur_naf
CREATE TABLE rome_classifications (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    code TEXT NOT NULL,
    label TEXT NOT NULL,
    definition TEXT,
    parent TEXT,
    UNIQUE (kind, code)
);

CREATE TABLE rome_fiche_classifications (
    fiche_id INTEGER NOT NULL REFERENCES rome_fiches(id),
    kind TEXT NOT NULL,
    position INTEGER NOT NULL,
    code TEXT NOT NULL,
    principal INTEGER NOT NULL,
    PRIMARY KEY (fiche_id, kind, position)
) WITHOUT ROWID;

CREATE TABLE rome_competence_branches (
    id INTEGER PRIMARY KEY,
    macro_ogr INTEGER NOT NULL UNIQUE,
    domaine_code TEXT NOT NULL,
    domaine TEXT NOT NULL,
    enjeu_code TEXT NOT NULL,
    enjeu TEXT NOT NULL,
    objectif_code TEXT NOT NULL,
    objectif TEXT NOT NULL
);
