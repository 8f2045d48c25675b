//! `passerelle serve`: first run imports the ROME, pages and API answer on
//! the chosen loopback address, ctrl-c (SIGINT) stops it gracefully.

use std::io::{Read, Write};
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::common::*;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// GET over plain HTTP: (status, body).
fn http_get(port: u16, path: &str) -> std::io::Result<(u16, String)> {
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port))?;
    s.set_read_timeout(Some(Duration::from_secs(30)))?;
    write!(s, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")?;
    let mut buf = Vec::new();
    s.read_to_end(&mut buf)?;
    let text = String::from_utf8_lossy(&buf).into_owned();
    let status = text.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
    Ok((status, body))
}

#[test]
fn serve_rejects_a_bad_address() {
    let dir = temp_dir();
    let err = fails(passerelle().arg("--db").arg(dir.path().join("p.sqlite")).args(["serve", "--addr", "pas-une-adresse"]));
    assert!(err.contains("--addr") && err.contains("pas-une-adresse"), "{err}");
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
        assert!(child.try_wait().unwrap().is_none(), "passerelle serve s'est arrêté");
        assert!(Instant::now() < deadline, "passerelle serve ne répond pas");
        std::thread::sleep(Duration::from_millis(100));
    }
    let (status, body) = http_get(port, "/api/v1/fiches/J1303/sources?limit=3").unwrap();
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("\"subject\":{\"id\":\"J1303\""), "{body}");
    let (status, body) = http_get(port, "/").unwrap();
    assert_eq!(status, 200);
    assert!(body.contains("<html lang=\"fr\">") && body.contains("Je recrute / je forme pour ce métier"));
    assert!(body.contains("34 — Hérault"), "données territoriales importées au premier lancement");
    // The demo poste is loaded: the appellation resolves to it, Secrétaire médical is a source.
    let (status, body) = http_get(port, "/fiches/200145?dept=34").unwrap();
    assert_eq!(status, 200);
    assert!(body.contains("profil de poste poste:assistant-medical utilisé"), "{body}");
    assert!(body.contains("Secrétaire médical / Secrétaire médicale"));
    // The documents of crates/render, served with their own policy.
    let (status, body) = http_get(port, "/api/v1/fiches/200145/document?dept=34&format=html").unwrap();
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("Assistant médical / Assistante médicale") && body.contains("Hérault"));
    let (status, body) = http_get(port, "/api/v1/gaps/M1609/200145/document?dept=34&format=json").unwrap();
    assert_eq!(status, 200, "{body}");
    let (status, body) = http_get(port, "/api/v1/gaps/M1609/200145/document?dept=34&format=pdf").unwrap();
    assert_eq!(status, 200);
    assert!(body.starts_with("%PDF-"), "le parcours n'est pas un PDF");
    let (status, body) = http_get(port, "/api/v1/fiches/J1303/sources?limit=0").unwrap();
    assert_eq!(status, 400);
    assert!(body.contains("limite_invalide"));

    // Ctrl-C: graceful shutdown, exit status 0.
    let killed = std::process::Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    assert!(killed.success());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("Première utilisation"), "{stderr}");
    assert!(stderr.contains(&format!("Passerelle écoute sur http://127.0.0.1:{port}")), "{stderr}");
    assert!(stderr.contains("Passerelle arrêté."), "{stderr}");
}
