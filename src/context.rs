//! Where the CLI finds its database, its data and its clock.

use std::path::PathBuf;

use crate::args::Cli;

/// Resolved global settings, shared by every command.
pub struct Context {
    pub db_path: PathBuf,
    pub data_dir: PathBuf,
    /// Injectable clock (`PASSERELLE_NOW`, RFC 3339 or `YYYY-MM-DD`) so that
    /// outputs carrying a date are reproducible.
    pub now: Option<String>,
}

impl Context {
    pub fn from_cli(cli: &Cli) -> Self {
        Context {
            db_path: cli.db.clone().unwrap_or_else(|| PathBuf::from("passerelle.sqlite")),
            data_dir: cli.data.clone().unwrap_or_else(default_data_dir),
            now: std::env::var("PASSERELLE_NOW").ok().filter(|s| !s.is_empty()),
        }
    }

    pub fn rome_dir(&self) -> PathBuf {
        self.data_dir.join("rome")
    }

    pub fn territory_dir(&self) -> PathBuf {
        self.data_dir.join("territory")
    }
}

/// `../shared/data` beside the workspace this binary was built from (see
/// `passerelle_import::default_data_dir`, which `PASSERELLE_DATA` overrides).
pub fn default_data_dir() -> PathBuf {
    passerelle_import::default_data_dir()
}
