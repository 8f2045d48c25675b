//! Readers for the official open-data files and Passerelle's own input
//! formats. Each reader turns bytes into core types and reports every row it
//! could not use (file, line, field, reason); none of them touches storage.

pub mod postes;
pub mod profils;

use std::path::{Path, PathBuf};

/// Where the official data lives when neither `--data` nor
/// `PASSERELLE_DATA` says (the binary's arguments read both): `../shared/data`
/// beside the [`workspace_root`], found at run time.
pub fn default_data_dir() -> PathBuf {
    data_dir_beside(&workspace_root())
}

/// `ROOT/../shared/data`, canonical when it exists: messages and import
/// sources then read `/work/shared/data`, not `/work/main/../shared/data`.
/// Test suites call it with the root of their own sources.
pub fn data_dir_beside(root: &Path) -> PathBuf {
    let dir = root.join("..").join("shared").join("data");
    std::fs::canonicalize(&dir).unwrap_or(dir)
}

/// The checkout Passerelle runs from, found at run time: the nearest
/// directory above the executable whose `Cargo.toml` declares the workspace
/// (the binary runs from `target/release/` or `target/debug/`), else the
/// current directory. Never a path compiled into the binary, which would
/// name the machine and checkout it was built in
/// (../shared/guides/conventions.md, "Paths").
pub fn workspace_root() -> PathBuf {
    std::env::current_exe()
        .ok()
        .and_then(|exe| {
            exe.ancestors()
                .skip(1)
                .find(|dir| is_workspace_root(dir))
                .map(Path::to_path_buf)
        })
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_else(|| PathBuf::from("."))
}

fn is_workspace_root(dir: &Path) -> bool {
    std::fs::read_to_string(dir.join("Cargo.toml"))
        .is_ok_and(|text| text.lines().any(|line| line.trim() == "[workspace]"))
}

pub mod rome;
