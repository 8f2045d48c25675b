//! Where the CLI finds its database, its data and its clock.

use std::path::PathBuf;

use passerelle_core::{Catalog, Referential};
use passerelle_store::{DbLocation, RomeRepository, Store};

use crate::args::Cli;
use crate::clock::Clock;

/// Resolved global settings, shared by every command.
#[derive(Clone)]
pub struct Context {
    /// `--db` / `PASSERELLE_DB`: an SQLite file or a PostgreSQL URL.
    pub db: DbLocation,
    pub data_dir: PathBuf,
    /// The clock of dated outputs (`PASSERELLE_NOW` or the system clock).
    pub clock: Clock,
}

impl Context {
    /// The settings of `cli`, and the clock, validated before any work.
    pub fn from_cli(cli: &Cli) -> anyhow::Result<Self> {
        Ok(Context {
            db: DbLocation::from(
                cli.db
                    .clone()
                    .unwrap_or_else(|| PathBuf::from("passerelle.sqlite")),
            ),
            data_dir: cli.data.clone(),
            clock: Clock::from_env()?,
        })
    }

    pub fn rome_dir(&self) -> PathBuf {
        self.data_dir.join("rome")
    }

    pub fn territory_dir(&self) -> PathBuf {
        self.data_dir.join("territory")
    }

    /// The current instant as RFC 3339 UTC (`2026-11-23T06:00:00Z`), from [`Context::clock`].
    pub fn now_rfc3339(&self) -> String {
        self.clock.now_rfc3339()
    }

    /// Opens (creating an SQLite file if needed) the database and brings its
    /// schema up to date.
    pub fn open_store(&self) -> anyhow::Result<Store> {
        // The store error already names the file; one message, no ": " context chain.
        Store::open(&self.db).map_err(|e| anyhow::anyhow!("ouverture impossible : {e}"))
    }

    /// The ROME referential of the database, with a French hint when none was imported.
    pub fn referential(&self) -> anyhow::Result<Referential> {
        Ok(self.store_with_referential()?.load_referential()?)
    }

    /// The database, checked to hold a ROME referential (French hint otherwise).
    fn store_with_referential(&self) -> anyhow::Result<Store> {
        if !self.db.exists() {
            if !self.rome_dir().is_dir() {
                anyhow::bail!(self.no_data_message());
            }
            anyhow::bail!(
                "la base {} n'existe pas encore : importez le ROME avec `passerelle import rome {}`",
                self.db,
                self.rome_dir().display()
            );
        }
        let store = self.open_store()?;
        if !store.has_referential()? {
            if !self.rome_dir().is_dir() {
                anyhow::bail!(self.no_data_message());
            }
            anyhow::bail!(
                "la base {} ne contient pas encore de référentiel ROME : lancez `passerelle import rome {}`",
                self.db,
                self.rome_dir().display()
            );
        }
        Ok(store)
    }

    /// First run on a machine without the official data: one paragraph that
    /// says where Passerelle looked and how to fetch and import the files.
    pub fn no_data_message(&self) -> String {
        format!(
            "Données officielles introuvables. Passerelle a cherché le référentiel ROME dans la base {db} (absente ou vide) \
             puis dans le répertoire {rome}, qui n'existe pas (répertoire des données : {data}, donné par --data ou \
             PASSERELLE_DATA, sinon trouvé à côté du dépôt qui contient l'exécutable). Pour télécharger et importer les fichiers officiels, \
             lancez `passerelle import rome {rome_url}` (archive CSV du ROME 4.0, France Travail), puis \
             `passerelle import territoire {manifest}` (données territoriales ; complétez d'abord les adresses de ce \
             manifeste, voir docs/donnees.md) — depuis le dépôt : `cargo run --release -- import …` ; ou placez les \
             fichiers dans {data} et relancez.",
            db = self.db,
            rome = self.rome_dir().display(),
            data = self.data_dir.display(),
            rome_url = crate::commands::download::ROME_ARCHIVE_URL,
            manifest = crate::commands::download::TERRITORY_MANIFEST,
        )
    }

    /// True when the database file exists and holds a ROME referential
    /// (never creates the file).
    pub fn has_imported_referential(&self) -> anyhow::Result<bool> {
        Ok(self.db.exists() && self.open_store()?.has_referential()?)
    }

    /// Everything the engine and the renderers need: the referential, the
    /// job-title profiles and the surveyed transversal profiles of the
    /// database, with an estimated profile for every fiche.
    pub fn catalog(&self) -> anyhow::Result<Catalog> {
        let store = self.store_with_referential()?;
        let referential = store.load_referential()?;
        catalog_from(&store, referential)
    }

    /// Like [`Context::referential`], but imports the ROME from
    /// [`Context::rome_dir`] first when the database has none (first run of
    /// `serve` and of the README's main command).
    pub fn referential_or_import(&self) -> anyhow::Result<Referential> {
        if !self.rome_dir().is_dir() && !self.has_imported_referential()? {
            anyhow::bail!(self.no_data_message());
        }
        let mut store = self.open_store()?;
        if !store.has_referential()? {
            eprintln!(
                "Première utilisation : import du ROME depuis {} dans {}…",
                self.rome_dir().display(),
                self.db
            );
            crate::commands::import::import_rome(self, &mut store, &self.rome_dir(), true)?;
        }
        let referential = store.load_referential()?;
        crate::commands::postes::ensure_demo(self, &mut store, &referential)?;
        Ok(referential)
    }
}

/// Builds the catalog from an open store and its loaded referential.
pub fn catalog_from(store: &Store, referential: Referential) -> anyhow::Result<Catalog> {
    use passerelle_store::{PosteRepository, ProfileRepository};
    let postes = store.load_postes()?.into_iter().map(|p| p.poste).collect();
    let surveys = store.load_surveys()?;
    Ok(Catalog::new(referential, postes, surveys))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn referential_or_import_imports_on_first_use_only() {
        let dir = tempfile::tempdir().unwrap();
        let ctx = Context {
            db: DbLocation::Sqlite(dir.path().join("p.sqlite")),
            data_dir: passerelle_test_support::require_data_dir(),
            clock: Clock::Fixed(Clock::parse("2026-11-23").unwrap()),
        };
        let err = ctx.referential().unwrap_err().to_string();
        assert!(
            err.contains("n'existe pas encore") && err.contains("passerelle import rome"),
            "{err}"
        );
        assert_eq!(ctx.referential_or_import().unwrap().fiches.len(), 1_584);
        assert_eq!(
            ctx.referential_or_import().unwrap().appellations.len(),
            13_120
        );
        let info = ctx.open_store().unwrap().rome_info().unwrap().unwrap();
        assert_eq!(info.imports, 1);
        assert_eq!(info.imported_at, "2026-11-23T00:00:00Z");
        assert_eq!(ctx.referential().unwrap().fiches.len(), 1_584);
    }

    #[test]
    fn without_data_the_first_run_says_where_it_looked_and_what_to_run() {
        let dir = tempfile::tempdir().unwrap();
        let ctx = Context {
            db: DbLocation::Sqlite(dir.path().join("p.sqlite")),
            data_dir: dir.path().join("pas-de-donnees"),
            clock: Clock::System,
        };
        for err in [
            ctx.referential_or_import().unwrap_err(),
            ctx.catalog().unwrap_err(),
        ] {
            let err = err.to_string();
            assert!(
                err.contains(&dir.path().join("pas-de-donnees/rome").display().to_string()),
                "{err}"
            );
            assert!(
                err.contains("passerelle import rome https://")
                    && err.contains("passerelle import territoire"),
                "{err}"
            );
        }
        assert!(
            !ctx.db.exists(),
            "no database is created to say there is no data"
        );
    }
}
