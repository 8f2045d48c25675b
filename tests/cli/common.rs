//! Shared helpers of the CLI tests: the built binary with a fixed clock and
//! the official data, and a database with ROME v460 already imported.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

/// The instant every test run sees (`PASSERELLE_NOW`).
pub const NOW: &str = "2026-11-23T08:00:00Z";

/// The official data directory (`PASSERELLE_DATA` or `../shared/data`);
/// panics with the place it looked when missing.
pub fn data_dir() -> PathBuf {
    passerelle_test_support::require_data_dir()
}

/// The `passerelle` binary, with `PASSERELLE_NOW` fixed and `PASSERELLE_DATA`
/// set; no `PASSERELLE_DB` (pass `--db` or use [`passerelle_db`]).
pub fn passerelle() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_passerelle"));
    c.env("PASSERELLE_NOW", NOW)
        .env("PASSERELLE_DATA", data_dir())
        .env_remove("PASSERELLE_DB")
        .env_remove("PASSERELLE_LOG");
    c
}

/// [`passerelle`] working on the database `db`.
pub fn passerelle_db(db: &Path) -> Command {
    let mut c = passerelle();
    c.env("PASSERELLE_DB", db);
    c
}

/// Runs and returns the output, panicking with stderr when the exit status is not success.
pub fn ok(cmd: &mut Command) -> Output {
    let out = cmd.output().expect("lancement de passerelle");
    assert!(
        out.status.success(),
        "échec de {cmd:?} :\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Runs a command expected to fail; returns its stderr.
pub fn fails(cmd: &mut Command) -> String {
    let out = cmd.output().expect("lancement de passerelle");
    assert!(
        !out.status.success(),
        "{cmd:?} aurait dû échouer ; sortie :\n{}",
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8(out.stderr).expect("stderr UTF-8")
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("stdout UTF-8")
}

/// Where test files go: under the target directory, removed when dropped.
pub fn temp_dir() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("passerelle-cli-")
        .tempdir_in(env!("CARGO_TARGET_TMPDIR"))
        .expect("répertoire temporaire")
}

/// A fresh database holding ROME v460, imported once per test process by
/// `passerelle import rome` and copied for each caller (the file is removed
/// when the returned path is dropped).
pub fn db_with_rome() -> tempfile::TempPath {
    static TEMPLATE: OnceLock<PathBuf> = OnceLock::new();
    let template = TEMPLATE.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR"));
        remove_stale_templates(dir);
        let path = dir.join(format!("rome-v460-template-{}.sqlite", std::process::id()));
        let _ = std::fs::remove_file(&path);
        ok(passerelle()
            .arg("--db")
            .arg(&path)
            .args(["import", "rome", "--quiet"])
            .arg(data_dir().join("rome")));
        path
    });
    copy_db(template)
}

/// A fresh copy of the database file `template`.
pub fn copy_db(template: &Path) -> tempfile::TempPath {
    let copy = tempfile::Builder::new()
        .prefix("passerelle-")
        .suffix(".sqlite")
        .tempfile_in(env!("CARGO_TARGET_TMPDIR"))
        .expect("fichier temporaire")
        .into_temp_path();
    std::fs::copy(template, &copy).expect("copie de la base modèle");
    copy
}

/// Templates of test processes that are gone (Linux: no /proc/PID).
fn remove_stale_templates(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(pid) = name
            .strip_prefix("rome-v460-template-")
            .and_then(|r| r.split('.').next())
        else {
            continue;
        };
        if !Path::new("/proc").join(pid).exists() {
            let _ = std::fs::remove_file(e.path());
        }
    }
}
