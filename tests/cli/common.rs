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

/// Sends `kill -SIGNAL` (`INT`, `TERM`) to a process the tests started.
pub fn send_signal(child: &std::process::Child, signal: &str) {
    let sent = Command::new("kill")
        .arg(format!("-{signal}"))
        .arg(child.id().to_string())
        .status()
        .expect("kill");
    assert!(sent.success(), "kill -{signal} {}", child.id());
}

/// Stops a server with `signal`, checks that it exits with status 0, and
/// returns what it wrote on stderr.
pub fn stop_server(child: std::process::Child, signal: &str) -> String {
    send_signal(&child, signal);
    let out = child.wait_with_output().expect("attente du serveur");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{stderr}");
    stderr
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

/// A database with ROME v460 and the territorial data, imported once per
/// test process and copied for each caller.
pub fn db_with_territory() -> tempfile::TempPath {
    static TEMPLATE: OnceLock<PathBuf> = OnceLock::new();
    let template = TEMPLATE.get_or_init(|| {
        let rome = db_with_rome();
        let path = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("territoire-template-{}.sqlite", std::process::id()));
        std::fs::copy(&rome, &path).unwrap();
        ok(passerelle_db(&path).args(["import", "territoire", "--quiet"]));
        path
    });
    copy_db(template)
}

/// A file of the repository (the shipped demo data).
pub fn repo_file(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// The README's imports after the ROME, into the database `db` (a `--db`
/// argument: SQLite path or PostgreSQL URL): territory, the demo survey,
/// the demo poste and the demo training offer.
pub fn import_demo_data(db: &str) {
    let run = |args: &[&str], path: Option<PathBuf>| {
        let mut cmd = passerelle();
        cmd.arg("--db").arg(db).args(args);
        if let Some(p) = path {
            cmd.arg(p);
        }
        ok(&mut cmd);
    };
    run(&["import", "territoire", "--quiet"], None);
    run(
        &["import", "profils", "--quiet"],
        Some(repo_file("data/profils/assistant-medical-aveyron.csv")),
    );
    run(
        &["import", "postes", "--quiet"],
        Some(repo_file("data/postes/assistant-medical.toml")),
    );
    run(
        &["import", "formations", "--quiet"],
        Some(repo_file("data/territoire/formations_herault_demo.xml")),
    );
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

/// [`db_with_rome`] with the demo survey and poste (`poste:assistant-medical`).
pub fn db_with_demo() -> tempfile::TempPath {
    let db = db_with_rome();
    ok(passerelle_db(&db)
        .args(["import", "profils", "--quiet"])
        .arg(repo_file("data/profils/assistant-medical-aveyron.csv")));
    ok(passerelle_db(&db)
        .args(["import", "postes", "--quiet"])
        .arg(repo_file("data/postes/assistant-medical.toml")));
    db
}

/// The store's territory and the workspace's interview files, as the CLI
/// reads them: what the document tests render with.
pub struct StoreLookups {
    pub store: passerelle_store::Store,
}

impl passerelle_render::Lookups for StoreLookups {
    fn territory(
        &self,
        dept: passerelle_core::DeptCode,
        fiche: passerelle_core::RomeCode,
        parent: Option<passerelle_core::RomeCode>,
    ) -> Result<
        Option<passerelle_core::territory::TerritorialContext>,
        passerelle_render::LookupError,
    > {
        use passerelle_store::TerritoryRepository;
        Ok(self
            .store
            .context_rows(dept, Some((fiche, parent)))?
            .map(passerelle_core::territory::territorial_context))
    }

    fn entretiens(
        &self,
        dept: passerelle_core::DeptCode,
        job: &passerelle_core::Job,
    ) -> Result<Option<passerelle_render::document::Entretiens>, passerelle_render::LookupError>
    {
        let dir = repo_file("data/entretiens").join(dept.to_string());
        for name in [job.id.replace(':', "_"), job.fiche.to_string()] {
            let path = dir.join(format!("{name}.md"));
            if path.is_file() {
                let text = std::fs::read_to_string(&path)?;
                return Ok(Some(passerelle_render::build::parse_entretiens(
                    &text, &name,
                )?));
            }
        }
        Ok(None)
    }
}
