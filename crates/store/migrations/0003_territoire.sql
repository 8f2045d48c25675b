-- Territorial context (issue 5): départements, population, unemployment,
-- BMO, offers/job seekers 2021 subset, ROME → NAF, Certif Info, and the
-- imported training offer. Replaced as a whole by `import territoire`
-- (one transaction); the training offer by `import formations`.

CREATE TABLE terr_imports (
    id INTEGER PRIMARY KEY,
    imported_at TEXT NOT NULL,
    source TEXT NOT NULL,
    bmo_year INTEGER NOT NULL,
    report TEXT NOT NULL
);

CREATE TABLE terr_departements (
    code TEXT PRIMARY KEY,
    nom TEXT NOT NULL,
    region_code TEXT NOT NULL,
    region_nom TEXT NOT NULL,
    population INTEGER,
    population_year INTEGER,
    bassins INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE terr_chomage (
    dept TEXT NOT NULL REFERENCES terr_departements(code),
    year INTEGER NOT NULL,
    rate REAL NOT NULL,
    PRIMARY KEY (dept, year)
);

CREATE TABLE terr_bmo_metiers (
    code TEXT PRIMARY KEY,
    libelle TEXT NOT NULL,
    famille_code TEXT NOT NULL,
    famille_libelle TEXT NOT NULL
);

-- Sums over the bassins of the département; *_secret = number of "*" cells.
CREATE TABLE terr_bmo (
    dept TEXT NOT NULL REFERENCES terr_departements(code),
    code TEXT NOT NULL REFERENCES terr_bmo_metiers(code),
    projets INTEGER NOT NULL,
    projets_secret INTEGER NOT NULL,
    difficiles INTEGER NOT NULL,
    difficiles_secret INTEGER NOT NULL,
    saisonniers INTEGER NOT NULL,
    saisonniers_secret INTEGER NOT NULL,
    bassins INTEGER NOT NULL,
    PRIMARY KEY (dept, code)
);

CREATE TABLE terr_rome_bmo (
    rome TEXT PRIMARY KEY,
    bmo TEXT,
    method TEXT,
    justification TEXT NOT NULL
);

CREATE TABLE terr_tension (
    dept TEXT NOT NULL REFERENCES terr_departements(code),
    rome TEXT NOT NULL,
    offres REAL NOT NULL,
    demandeurs REAL NOT NULL,
    bassins INTEGER NOT NULL,
    PRIMARY KEY (dept, rome)
);

CREATE TABLE terr_rome_naf (
    rome TEXT NOT NULL,
    naf TEXT NOT NULL,
    libelle TEXT NOT NULL,
    embauches INTEGER NOT NULL,
    PRIMARY KEY (rome, naf)
);

-- One Certif Info row as JSON (passerelle_territory::certif_info::Certification).
CREATE TABLE terr_certifications (
    id INTEGER PRIMARY KEY,
    data TEXT NOT NULL
);

CREATE TABLE terr_certification_romes (
    rome TEXT NOT NULL,
    cert_id INTEGER NOT NULL REFERENCES terr_certifications(id),
    PRIMARY KEY (rome, cert_id)
);

CREATE TABLE terr_formation_imports (
    id INTEGER PRIMARY KEY,
    imported_at TEXT NOT NULL,
    source TEXT NOT NULL,
    offers INTEGER NOT NULL
);

-- One offer as JSON (passerelle_territory::formations::TrainingOffer).
CREATE TABLE terr_formations (
    id TEXT PRIMARY KEY,
    dept TEXT,
    data TEXT NOT NULL
);
CREATE INDEX terr_formations_dept ON terr_formations(dept);

-- France Compétences RNCP/RS fiches (XML export v4.1) as JSON
-- (passerelle_territory::rncp::RncpFiche), and the ROME codes they cite.
CREATE TABLE terr_rncp_fiches (
    numero TEXT PRIMARY KEY,
    data TEXT NOT NULL
);

CREATE TABLE terr_rncp_romes (
    rome TEXT NOT NULL,
    numero TEXT NOT NULL REFERENCES terr_rncp_fiches(numero),
    PRIMARY KEY (rome, numero)
);
