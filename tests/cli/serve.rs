//! `passerelle serve`: first run imports the ROME, pages and API answer on
//! the chosen loopback address, ctrl-c (SIGINT) stops it gracefully.

use std::io::{Read, Write};
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::common::*;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// GET over plain HTTP: (status, body).
fn http_get(port: u16, path: &str) -> std::io::Result<(u16, String)> {
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port))?;
    s.set_read_timeout(Some(Duration::from_secs(30)))?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )?;
    let mut buf = Vec::new();
    s.read_to_end(&mut buf)?;
    let text = String::from_utf8_lossy(&buf).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    Ok((status, body))
}

#[test]
fn serve_rejects_a_bad_address() {
    let dir = temp_dir();
    let err = fails(
        passerelle()
            .arg("--db")
            .arg(dir.path().join("p.sqlite"))
            .args(["serve", "--addr", "pas-une-adresse"]),
    );
    assert!(
        err.contains("--addr") && err.contains("pas-une-adresse"),
        "{err}"
    );
    assert_eq!(err.trim().lines().count(), 1, "{err}");
}

#[test]
fn serve_imports_on_first_run_answers_and_stops_on_ctrl_c() {
    let dir = temp_dir();
    let db = dir.path().join("premier.sqlite");
    let port = free_port();
    let mut child = passerelle()
        .arg("--db")
        .arg(&db)
        .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("lancement de passerelle serve");
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if let Ok((200, _)) = http_get(port, "/healthz") {
            break;
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "passerelle serve s'est arrêté"
        );
        assert!(Instant::now() < deadline, "passerelle serve ne répond pas");
        std::thread::sleep(Duration::from_millis(100));
    }
    let (status, body) = http_get(port, "/api/v1/fiches/J1303/sources?limit=3").unwrap();
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("\"subject\":{\"id\":\"J1303\""), "{body}");
    let (status, body) = http_get(port, "/").unwrap();
    assert_eq!(status, 200);
    assert!(
        body.contains("<html lang=\"fr\">")
            && body.contains("Je recrute / je forme pour ce métier")
    );
    assert!(
        body.contains("34 — Hérault"),
        "données territoriales importées au premier lancement"
    );
    // The demo poste is loaded: the appellation resolves to it, Secrétaire médical is a source.
    let (status, body) = http_get(port, "/fiches/200145?dept=34").unwrap();
    assert_eq!(status, 200);
    assert!(
        body.contains("son profil de poste est utilisé")
            && !body.contains("poste:assistant-medical"),
        "{body}"
    );
    assert!(body.contains("Secrétaire médical / Secrétaire médicale"));
    // The page prints the documents' qualifiers beside the figures.
    assert!(
        body.contains("ensemble du métier BMO"),
        "qualificatif BMO absent de la page"
    );
    assert!(
        body.contains("couverture partielle"),
        "couverture des bassins absente de la page"
    );
    // The documents of crates/render, served with their own policy.
    let (status, body) =
        http_get(port, "/api/v1/fiches/200145/document?dept=34&format=html").unwrap();
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("Assistant médical / Assistante médicale") && body.contains("Hérault"));
    // The demo training offer is imported with the rest, cited by its source.
    assert!(
        body.contains("Keyce Academy") && body.contains("AFPA"),
        "offre de formation de démonstration absente"
    );
    let (status, body) = http_get(
        port,
        "/api/v1/gaps/M1609/200145/document?dept=34&format=json",
    )
    .unwrap();
    assert_eq!(status, 200, "{body}");
    let (status, body) = http_get(
        port,
        "/api/v1/gaps/M1609/200145/document?dept=34&format=pdf",
    )
    .unwrap();
    assert_eq!(status, 200);
    assert!(body.starts_with("%PDF-"), "le parcours n'est pas un PDF");
    let (status, body) = http_get(port, "/api/v1/fiches/J1303/sources?limit=0").unwrap();
    assert_eq!(status, 400);
    assert!(body.contains("limite_invalide"));

    // Ctrl-C: graceful shutdown, exit status 0.
    let stderr = stop_server(child, "INT");
    assert!(stderr.contains("Première utilisation"), "{stderr}");
    assert!(
        stderr.contains(&format!("Passerelle écoute sur http://127.0.0.1:{port}")),
        "{stderr}"
    );
    assert!(stderr.contains("Passerelle arrêté."), "{stderr}");
}

/// Starts `passerelle serve` on `db` with `data` as data directory and
/// waits for /healthz.
fn start_serve(db: &std::path::Path, data: &std::path::Path, port: u16) -> std::process::Child {
    let mut child = passerelle()
        .env("PASSERELLE_DATA", data)
        .arg("--db")
        .arg(db)
        .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("lancement de passerelle serve");
    let deadline = Instant::now() + Duration::from_secs(180);
    loop {
        if let Ok((200, _)) = http_get(port, "/healthz") {
            return child;
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "passerelle serve s'est arrêté"
        );
        assert!(Instant::now() < deadline, "passerelle serve ne répond pas");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// SIGTERM (what a service manager sends) stops the server as Ctrl-C does:
/// PDFs being rendered when it arrives are delivered whole, then the
/// server exits 0. Logs at the default level say start and stop, and
/// carry no line per request.
#[test]
fn sigterm_lets_in_flight_pdfs_finish() {
    let dir = temp_dir();
    let db = db_with_rome();
    let port = free_port();
    // No territory directory: nothing to import, the PDFs have no département.
    let child = start_serve(&db, dir.path(), port);
    let started = Instant::now();
    // Two PDFs: rendered one after the other (one document at a time on two
    // cores), so that the second is surely in flight when the signal comes,
    // and both well within the 20 s deadline even on a busy debug build.
    let fetches: Vec<_> = (0..2)
        .map(|i| {
            std::thread::spawn(move || {
                let path = format!(
                    "/api/v1/fiches/{}/document?format=pdf",
                    ["J1303", "M1609"][i]
                );
                let (status, body) = http_get(port, &path).expect("réponse complète");
                (status, body, started.elapsed())
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(150));
    let signalled = started.elapsed();
    send_signal(&child, "TERM");
    let mut after_signal = 0;
    for f in fetches {
        let (status, body, done) = f.join().unwrap();
        assert_eq!(status, 200, "{body}");
        assert!(
            body.starts_with("%PDF-") && body.trim_end().ends_with("%%EOF"),
            "PDF incomplet"
        );
        if done > signalled {
            after_signal += 1;
        }
    }
    assert!(
        after_signal > 0,
        "aucun PDF n'était en cours à l'arrivée du signal : le test ne prouve rien"
    );
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("serveur démarré")
            && stderr.contains("SIGTERM")
            && stderr.contains("Passerelle arrêté."),
        "{stderr}"
    );
    assert!(
        !stderr.contains("finished processing request") && !stderr.contains("requête\n"),
        "une ligne par requête au niveau info : {stderr}"
    );
    assert!(
        !stderr.contains('\u{1b}'),
        "codes de couleur ANSI dans un journal qui n'est pas un terminal : {stderr:?}"
    );
}

/// The data version of the page footer (« version des données n° N »).
fn stamp_of(page: &str) -> u64 {
    let rest = page
        .split("version des données n° ")
        .nth(1)
        .expect("version dans le pied de page");
    rest.chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap()
}

fn formations_csv(organisme: &str) -> String {
    let header = "id;intitule;organisme;ville;code_postal;departement;duree_heures;modalites;rythme;public;prerequis;modalites_acces;rncp;formacodes;codes_rome;debut;fin";
    format!(
        "{header}\nF-{organisme};Titre professionnel assistant médical;{organisme};Montpellier;34000;34;300;formation continue;;;;;;;J1303;;\n"
    )
}

/// Issue 14, row 5: imports while the server runs. The server reloads one
/// consistent snapshot when an import commits: every page shows figures of
/// one data version — the poste (catalog), the training offer (territorial
/// data read from the database) and the version in its footer agree — and
/// cached API answers move with it.
#[test]
fn import_while_serving_serves_one_version_at_a_time() {
    let dir = temp_dir();
    let db = db_with_rome();
    let first = dir.path().join("formations-a.csv");
    std::fs::write(&first, formations_csv("Organisme Alpha")).unwrap();
    // The first run imports the demo poste and the territorial data.
    let port = free_port();
    let child = start_serve(&db, &data_dir(), port);
    ok(passerelle_db(&db)
        .args(["import", "formations", "--quiet"])
        .arg(&first));
    let readyz = |port| -> u64 {
        let (_, body) = http_get(port, "/readyz").unwrap();
        serde_json::from_str::<serde_json::Value>(&body).unwrap()["version_donnees"]
            .as_u64()
            .unwrap()
    };
    let wait_for = |v: u64| {
        let deadline = Instant::now() + Duration::from_secs(60);
        while readyz(port) < v {
            assert!(Instant::now() < deadline, "version {v} jamais servie");
            std::thread::sleep(Duration::from_millis(100));
        }
    };
    let page = "/comparaison/M1609/poste:assistant-medical?dept=34";
    let (_, body) = http_get(
        port,
        "/api/v1/fiches/poste:assistant-medical/sources?limit=1",
    )
    .unwrap();
    assert!(
        body.contains("Assistant médical / Assistante médicale"),
        "{body}"
    );
    let start = {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let (status, body) = http_get(port, page).unwrap();
            assert_eq!(status, 200, "{body}");
            if body.contains("Organisme Alpha") {
                break stamp_of(&body);
            }
            assert!(
                Instant::now() < deadline,
                "l'offre importée n'est jamais servie"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    };
    // A reader fetches the page without pause while two imports commit.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let reader = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            let mut seen = Vec::new();
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let (status, body) = http_get(port, page).unwrap();
                assert_eq!(status, 200, "{body}");
                let org = if body.contains("Organisme Alpha") {
                    "Alpha"
                } else if body.contains("Organisme Beta") {
                    "Beta"
                } else {
                    "aucun"
                };
                seen.push((stamp_of(&body), body.contains("Poste revise ZQX"), org));
            }
            seen
        })
    };
    let second = dir.path().join("formations-b.csv");
    std::fs::write(&second, formations_csv("Organisme Beta")).unwrap();
    ok(passerelle_db(&db)
        .args(["import", "formations", "--quiet"])
        .arg(&second));
    wait_for(start + 1);
    let poste = std::fs::read_to_string(repo_file("data/postes/assistant-medical.toml"))
        .unwrap()
        .replace(
            "titre = \"Assistant médical / Assistante médicale\"",
            "titre = \"Poste revise ZQX\"",
        );
    let poste_file = dir.path().join("poste.toml");
    std::fs::write(&poste_file, poste).unwrap();
    ok(passerelle_db(&db)
        .args(["import", "postes", "--quiet"])
        .arg(&poste_file));
    wait_for(start + 2);
    std::thread::sleep(Duration::from_millis(300));
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let seen = reader.join().unwrap();
    assert!(seen.len() >= 3, "{seen:?}");
    for (stamp, revised, org) in &seen {
        let expected = match stamp - start {
            0 => (false, "Alpha"),
            1 => (false, "Beta"),
            2 => (true, "Beta"),
            _ => panic!("version inattendue {stamp} : {seen:?}"),
        };
        assert_eq!(
            (*revised, *org),
            expected,
            "page de la version {stamp} mélangée : {seen:?}"
        );
    }
    assert!(seen.iter().any(|s| s.0 == start + 2), "{seen:?}");
    // The memo went with the old snapshot: the API answers with the new title.
    let (_, body) = http_get(
        port,
        "/api/v1/fiches/poste:assistant-medical/sources?limit=1",
    )
    .unwrap();
    assert!(body.contains("Poste revise ZQX"), "{body}");
    // Once no request holds the older snapshots, the server empties the
    // write-ahead log while its snapshot stays pinned (months of uptime).
    let mut wal = db.as_os_str().to_owned();
    wal.push("-wal");
    let wal_size = || std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
    let deadline = Instant::now() + Duration::from_secs(60);
    while wal_size() > 0 {
        assert!(
            Instant::now() < deadline,
            "WAL jamais vidé : {} octets",
            wal_size()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    // The snapshot re-pinned at its version still reads it.
    let (_, body) = http_get(port, page).unwrap();
    assert_eq!(stamp_of(&body), start + 2);
    assert!(body.contains("Organisme Beta") && body.contains("Poste revise ZQX"));
    let stderr = stop_server(child, "TERM");
    assert!(stderr.contains("données rechargées"), "{stderr}");
}

/// One contract per answer: the CLI's `--json` and the API return the same
/// JSON value for the same ranking, gap, fiche and search (issue 23).
#[test]
fn cli_json_and_api_return_the_same_values() {
    let db = db_with_territory();
    ok(passerelle_db(&db)
        .args(["import", "profils", "--quiet"])
        .arg(repo_file("data/profils/assistant-medical-aveyron.csv")));
    ok(passerelle_db(&db)
        .args(["import", "postes", "--quiet"])
        .arg(repo_file("data/postes/assistant-medical.toml")));
    let port = free_port();
    let mut child = start_serve(&db, &data_dir(), port);
    let pairs: [(&[&str], &str); 7] = [
        (
            &["sources", "J1303", "--dept", "34", "--json"],
            "/api/v1/fiches/J1303/sources?dept=34",
        ),
        (
            &["targets", "200145", "--limit", "20", "--json"],
            "/api/v1/fiches/200145/targets?limit=20",
        ),
        (
            &["gap", "M1609", "J1303", "--dept", "34", "--json"],
            "/api/v1/gaps/M1609/J1303?dept=34",
        ),
        (&["show", "J1303", "--json"], "/api/v1/fiches/J1303"),
        (
            &["show", "poste:assistant-medical", "--json"],
            "/api/v1/fiches/poste:assistant-medical",
        ),
        (&["show", "200145", "--json"], "/api/v1/fiches/200145"),
        (
            &["search", "infirmiere", "--json"],
            "/api/v1/search?q=infirmiere",
        ),
    ];
    for (args, path) in pairs {
        let cli: serde_json::Value =
            serde_json::from_str(&stdout(&ok(passerelle_db(&db).args(args)))).unwrap();
        let (status, body) = http_get(port, path).unwrap();
        assert_eq!(status, 200, "{path} : {body}");
        let api: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert!(
            cli == api,
            "{args:?} et {path} diffèrent :\nCLI {}\nAPI {}",
            &cli.to_string()[..cli.to_string().len().min(600)],
            &api.to_string()[..api.to_string().len().min(600)]
        );
    }
    child.kill().unwrap();
    child.wait().unwrap();
}

/// The OpenAPI document says what the server accepts: Schemathesis, run as
/// an outside client with a fixed seed (tests/api/schemathesis.toml names
/// the two constraints a pattern cannot say), finds no 5xx, no response
/// outside the schema, and no schema-valid request refused.
#[test]
fn schemathesis_finds_the_api_as_its_document_says() {
    let db = db_with_territory();
    let port = free_port();
    let mut child = start_serve(&db, &data_dir(), port);
    let out = std::process::Command::new("st")
        .arg("--config-file")
        .arg(repo_file("tests/api/schemathesis.toml"))
        .arg("--no-color")
        .args(["run", &format!("http://127.0.0.1:{port}/api/openapi.json")])
        .args(["--checks", "all", "--max-examples", "30", "--seed", "1"])
        .current_dir(env!("CARGO_TARGET_TMPDIR"))
        .output()
        .expect("Schemathesis (st) introuvable : lancez scripts/test, qui l'installe");
    child.kill().unwrap();
    child.wait().unwrap();
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "Schemathesis a trouvé des écarts :\n{report}"
    );
    assert!(
        report.contains("12 selected / 12 total") && report.matches("✅ 12 passed").count() >= 2,
        "toutes les opérations testées :\n{report}"
    );
}

/// A client that sent half a request head when SIGTERM comes does not hold
/// the stop: its connection is closed at once, the server exits without
/// saying that requests were interrupted (before the accept loop of issue
/// 25 it waited the whole 30 s grace period and said so).
#[test]
fn sigterm_does_not_wait_for_a_half_sent_request() {
    use std::io::{Read, Write};
    let dir = temp_dir();
    let db = db_with_rome();
    let port = free_port();
    let child = start_serve(&db, dir.path(), port);
    let mut slow = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: passerelle\r\n")
        .unwrap();
    // The head is in the server's buffer before the signal.
    std::thread::sleep(Duration::from_millis(300));
    let stderr = stop_server(child, "TERM");
    assert!(
        !stderr.contains("n'ont pas fini à temps"),
        "l'arrêt a attendu la requête à moitié envoyée : {stderr}"
    );
    slow.set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let mut buf = [0u8; 64];
    assert_eq!(
        slow.read(&mut buf).unwrap_or(0),
        0,
        "la connexion à moitié envoyée reste ouverte"
    );
}
