//! Parity of the two backends (issue 15): the same imports into SQLite and
//! PostgreSQL, then the same commands print byte-identical JSON. The
//! PostgreSQL side needs `PASSERELLE_TEST_PG` (see docs/decisions.md).

use std::path::PathBuf;

use passerelle_store::testing::{Backend, TestDb};

use crate::common::{
    data_dir, import_demo_data, ok, passerelle, repo_file, stdout, stop_server, temp_dir,
};

/// Every import of the README, in one database.
fn import_everything(db: &TestDb) {
    ok(passerelle()
        .arg("--db")
        .arg(db.arg())
        .args(["import", "rome", "--quiet"])
        .arg(data_dir().join("rome")));
    import_demo_data(&db.arg());
}

/// The commands compared: the fiches of the ranking panel, gaps, the local
/// market, routes, territory, documents, profiles and search, all in JSON.
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
        // The local market: one read of the département's rows per backend.
        vec!["targets", "M1609", "--dept", "34", "--local", "--json"],
        vec!["targets", "M1609", "--dept", "976", "--local", "--json"],
        vec!["chemins", "J1501", "J1502", "--json"],
        vec!["gap", "M1609", "200145", "--json"],
        vec!["gap", "J1501", "J1303", "--json"],
        vec!["territoire", "34", "--rome", "J1303", "--json"],
        vec!["territoire", "976", "--json"],
        vec!["territoire", "34", "--rome", "J1312", "--json"],
        vec!["profil", "200145", "--json"],
        vec!["search", "assistant medical", "--json"],
        vec!["fiche", "200145", "--dept", "34", "--format", "json"],
        vec![
            "parcours", "M1609", "200145", "--dept", "34", "--format", "json",
        ],
    ]);
    list
}

fn run_json(db: &TestDb, args: &[&str]) -> String {
    stdout(&ok(passerelle().arg("--db").arg(db.arg()).args(args)))
}

#[test]
fn parity_sqlite_and_postgres_print_identical_json() {
    let sqlite = TestDb::new(Backend::Sqlite).unwrap();
    let Some(pg) = TestDb::new(Backend::Postgres) else {
        return;
    };
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
        let value: serde_json::Value =
            serde_json::from_str(&a).unwrap_or_else(|e| panic!("{args:?} : JSON illisible : {e}"));
        assert!(
            !value.is_null() && a.len() > 100,
            "{args:?} : sortie trop courte pour comparer : {a}"
        );
        assert!(
            a == b,
            "{args:?} : SQLite et PostgreSQL diffèrent\n--- SQLite\n{a}\n--- PostgreSQL\n{b}"
        );
    }
    // `info`: the same imports and counts; only the database section differs.
    let info = |db: &TestDb| -> (u64, serde_json::Value) {
        let mut v: serde_json::Value =
            serde_json::from_str(&run_json(db, &["info", "--json"])).unwrap();
        let database = v.as_object_mut().unwrap().remove("database").unwrap();
        (database["data_version"].as_u64().unwrap(), v)
    };
    let ((version_a, info_a), (version_b, info_b)) = (info(&sqlite), info(&pg));
    assert_eq!(info_a, info_b);
    assert_eq!(
        (version_a, version_b),
        (5, 5),
        "five imports, five data versions"
    );
}

/// GET over plain HTTP on 127.0.0.1: the body, when the status is 200.
fn http_get_ok(port: u16, path: &str) -> Option<String> {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(std::time::Duration::from_secs(30)))
        .ok()?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut text = String::new();
    s.read_to_string(&mut text).ok()?;
    let (head, body) = text.split_once("\r\n\r\n")?;
    (head.split_whitespace().nth(1) == Some("200")).then(|| body.to_string())
}

/// The data version a replica serves (`/readyz`).
fn served_version(port: u16) -> Option<u64> {
    let body = http_get_ok(port, "/readyz")?;
    serde_json::from_str::<serde_json::Value>(&body).ok()?["version_donnees"].as_u64()
}

/// Issue 15, replicas: two `serve` on one PostgreSQL database move to the
/// version an import commits as soon as its `NOTIFY` arrives. The poll is
/// set to an hour, so only the notification can move them.
#[test]
fn replicas_on_postgres_reload_on_notify_without_waiting_for_the_poll() {
    let Some(pg) = TestDb::new(Backend::Postgres) else {
        return;
    };
    let import = |args: &[&str], path: PathBuf| {
        ok(passerelle().arg("--db").arg(pg.arg()).args(args).arg(path))
    };
    import(&["import", "rome", "--quiet"], data_dir().join("rome"));
    import(
        &["import", "profils", "--quiet"],
        repo_file("data/profils/assistant-medical-aveyron.csv"),
    );
    import(
        &["import", "postes", "--quiet"],
        repo_file("data/postes/assistant-medical.toml"),
    );
    // No territory directory: the first run has nothing left to import.
    let empty = temp_dir();
    let replicas: Vec<(u16, std::process::Child)> = (0..2)
        .map(|_| {
            let port = std::net::TcpListener::bind("127.0.0.1:0")
                .unwrap()
                .local_addr()
                .unwrap()
                .port();
            let child = passerelle()
                .env("PASSERELLE_DATA", empty.path())
                .env("PASSERELLE_RELOAD_POLL", "3600")
                .arg("--db")
                .arg(pg.arg())
                .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .expect("lancement de passerelle serve");
            (port, child)
        })
        .collect();
    let wait = |what: &str, done: &dyn Fn() -> bool| {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
        while !done() {
            assert!(std::time::Instant::now() < deadline, "{what}");
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    };
    wait("les répliques ne répondent pas", &|| {
        replicas
            .iter()
            .all(|(port, _)| served_version(*port).is_some())
    });
    let before: Vec<u64> = replicas
        .iter()
        .map(|(port, _)| served_version(*port).unwrap())
        .collect();
    assert_eq!(
        before[0], before[1],
        "deux répliques, deux versions au départ"
    );
    // Each replica's listening connection opens with its server: let it.
    std::thread::sleep(std::time::Duration::from_secs(2));
    import(
        &["import", "postes", "--quiet"],
        repo_file("data/postes/assistant-medical.toml"),
    );
    let started = std::time::Instant::now();
    wait(
        "une réplique n'a pas reçu la nouvelle version (NOTIFY)",
        &|| {
            replicas
                .iter()
                .all(|(port, _)| served_version(*port).is_some_and(|v| v > before[0]))
        },
    );
    let took = started.elapsed();
    for (_, child) in replicas {
        stop_server(child, "TERM");
    }
    assert!(
        took < std::time::Duration::from_secs(60),
        "rechargement en {took:?}"
    );
}
