//! Parity of the two backends (issue 15): the same imports into SQLite and
//! PostgreSQL, then the same commands print byte-identical JSON. The
//! PostgreSQL side needs `PASSERELLE_TEST_PG` (see docs/decisions.md).

use std::path::PathBuf;

use passerelle_store::testing::{Backend, TestDb};

use crate::common::{data_dir, ok, passerelle, stdout};

fn repo_file(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// Every import of the README, in one database.
fn import_everything(db: &TestDb) {
    let run = |args: &[&str], path: Option<PathBuf>| {
        let mut cmd = passerelle();
        cmd.arg("--db").arg(db.arg()).args(args);
        if let Some(p) = path {
            cmd.arg(p);
        }
        ok(&mut cmd);
    };
    run(&["import", "rome", "--quiet"], Some(data_dir().join("rome")));
    run(&["import", "territoire", "--quiet"], None);
    run(&["import", "profils", "--quiet"], Some(repo_file("data/profils/assistant-medical-aveyron.csv")));
    run(&["import", "postes", "--quiet"], Some(repo_file("data/postes/assistant-medical.toml")));
    run(&["import", "formations", "--quiet"], Some(repo_file("data/territoire/formations_herault_demo.xml")));
}

/// The commands compared: the fiches of the ranking panel, gaps, territory,
/// documents, profiles and search, all in JSON.
fn commands() -> Vec<Vec<&'static str>> {
    let mut list = Vec::new();
    for job in ["J1303", "M1609", "J1501", "N1101"] {
        list.push(vec!["show", job, "--json"]);
        list.push(vec!["sources", job, "--json"]);
        list.push(vec!["targets", job, "--json"]);
    }
    list.extend([
        vec!["show", "200145", "--json"],
        vec!["show", "poste:assistant-medical", "--json"],
        vec!["sources", "200145", "--dept", "34", "--json"],
        vec!["gap", "M1609", "200145", "--json"],
        vec!["gap", "J1501", "J1303", "--json"],
        vec!["territoire", "34", "--rome", "J1303", "--json"],
        vec!["territoire", "976", "--json"],
        vec!["territoire", "34", "--rome", "J1312", "--json"],
        vec!["profil", "200145", "--json"],
        vec!["search", "assistant medical", "--json"],
        vec!["fiche", "200145", "--dept", "34", "--format", "json"],
        vec!["parcours", "M1609", "200145", "--dept", "34", "--format", "json"],
    ]);
    list
}

fn run_json(db: &TestDb, args: &[&str]) -> String {
    stdout(&ok(passerelle().arg("--db").arg(db.arg()).args(args)))
}

#[test]
fn parity_sqlite_and_postgres_print_identical_json() {
    let sqlite = TestDb::new(Backend::Sqlite).unwrap();
    let Some(pg) = TestDb::new(Backend::Postgres) else { return };
    // Each step runs on both backends at once: half the wall time.
    let both = |f: &(dyn Fn(&TestDb) -> String + Sync)| {
        std::thread::scope(|s| {
            let a = s.spawn(|| f(&sqlite));
            let b = f(&pg);
            (a.join().expect("côté SQLite"), b)
        })
    };
    both(&|db| {
        import_everything(db);
        String::new()
    });
    for args in commands() {
        let (a, b) = both(&|db| run_json(db, &args));
        let value: serde_json::Value = serde_json::from_str(&a).unwrap_or_else(|e| panic!("{args:?} : JSON illisible : {e}"));
        assert!(!value.is_null() && a.len() > 100, "{args:?} : sortie trop courte pour comparer : {a}");
        assert!(a == b, "{args:?} : SQLite et PostgreSQL diffèrent\n--- SQLite\n{a}\n--- PostgreSQL\n{b}");
    }
    // `info`: the same imports and counts; only the database section differs.
    let info = |db: &TestDb| -> (u64, serde_json::Value) {
        let mut v: serde_json::Value = serde_json::from_str(&run_json(db, &["info", "--json"])).unwrap();
        let database = v.as_object_mut().unwrap().remove("database").unwrap();
        (database["data_version"].as_u64().unwrap(), v)
    };
    let ((version_a, info_a), (version_b, info_b)) = (info(&sqlite), info(&pg));
    assert_eq!(info_a, info_b);
    assert_eq!((version_a, version_b), (5, 5), "five imports, five data versions");
}
