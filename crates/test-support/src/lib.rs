//! What Passerelle's test suites share, so that none copies it: where the
//! official data is. A dev-dependency only; nothing here ships.

use std::path::PathBuf;

/// The official data directory ([`passerelle_import::default_data_dir`]:
/// `$PASSERELLE_DATA`, else `../shared/data` beside the workspace), checked.
/// Tests and benchmarks fail, never skip silently, when it is missing, with a
/// message saying where they looked (../shared/guides/conventions.md).
pub fn require_data_dir() -> PathBuf {
    let dir = passerelle_import::default_data_dir();
    if !dir.join("rome").is_dir() {
        panic!(
            "données officielles introuvables : {} n'existe pas (définissez PASSERELLE_DATA ou placez ../shared/data à côté du dépôt)",
            dir.join("rome").display()
        );
    }
    dir
}
