-- Provenance of the official files fetched over HTTP(S) by `import rome URL`
-- and `import territoire URL…` (issue 16): one row per downloaded file,
-- linked to the import it fed. Additive: no existing table changes.

CREATE TABLE import_downloads (
    id INTEGER PRIMARY KEY,
    dataset TEXT NOT NULL CHECK (dataset IN ('rome', 'territoire')),
    import_id INTEGER NOT NULL,     -- rome_imports.id or terr_imports.id
    file_name TEXT NOT NULL,        -- the name the importer expects
    url TEXT NOT NULL,
    downloaded_at TEXT NOT NULL,    -- RFC 3339 UTC
    size_bytes INTEGER NOT NULL,
    sha256 TEXT NOT NULL            -- lower-case hexadecimal
);

CREATE INDEX import_downloads_by_import ON import_downloads (dataset, import_id);
