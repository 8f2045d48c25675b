//! Issue 16: `import rome URL`, `import territoire URL…|MANIFESTE` against a
//! local HTTP server on 127.0.0.1 (no traffic leaves the machine), the
//! first run without data, and the test command itself (scripts/test).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use passerelle_fetch::test_server::{Reply, TestServer};
use serde_json::Value;

use crate::common::*;

fn rome_fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/import/tests/fixtures/rome_min")
}

/// The hand-made two-fiche ROME fixture as an official-looking archive.
fn fixture_zip() -> Vec<u8> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    let mut paths: Vec<_> = std::fs::read_dir(rome_fixture())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    for p in paths {
        zip.start_file(
            format!("RefRomeCsv/{}", p.file_name().unwrap().to_string_lossy()),
            options,
        )
        .unwrap();
        zip.write_all(&std::fs::read(&p).unwrap()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// SHA-256 by coreutils' `sha256sum`, independent of the product's code.
fn sha256sum(bytes: &[u8]) -> String {
    let tmp = temp_dir();
    let p = tmp.path().join("f");
    std::fs::write(&p, bytes).unwrap();
    let out = Command::new("sha256sum")
        .arg(&p)
        .output()
        .expect("sha256sum (coreutils)");
    String::from_utf8(out.stdout)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_string()
}

fn info_json(db: &Path) -> Value {
    serde_json::from_str(&stdout(&ok(passerelle_db(db).args(["info", "--json"])))).unwrap()
}

/// No proxy from the environment may see the test's requests.
fn no_proxy(mut c: Command) -> Command {
    for v in [
        "http_proxy",
        "https_proxy",
        "all_proxy",
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
    ] {
        c.env_remove(v);
    }
    c
}

#[test]
fn rome_by_url_is_imported_and_info_records_url_date_and_sha256() {
    let zip = fixture_zip();
    let server = TestServer::start([("/open-data/RefRomeCsv.zip", Reply::File(zip.clone()))]);
    let url = server.url("/open-data/RefRomeCsv.zip");
    let tmp = temp_dir();
    let db = tmp.path().join("p.sqlite");
    let text = stdout(&ok(no_proxy(passerelle_db(&db))
        .args(["import", "rome"])
        .arg(&url)));
    assert!(text.contains(&format!("importé depuis {url}")), "{text}");
    assert!(text.contains(&format!("téléchargé : {url} (")), "{text}");

    let info = info_json(&db);
    let rome = &info["rome"];
    assert_eq!(rome["counts"]["fiches"], 2);
    assert_eq!(rome["source"], url.as_str());
    let d = &rome["downloads"];
    assert_eq!(d.as_array().unwrap().len(), 1, "{d}");
    assert_eq!(d[0]["url"], url.as_str());
    assert_eq!(d[0]["file_name"], "RefRomeCsv.zip");
    assert_eq!(d[0]["downloaded_at"], NOW);
    assert_eq!(d[0]["size_bytes"], zip.len() as u64);
    assert_eq!(d[0]["sha256"], sha256sum(&zip).as_str());
    let text = stdout(&ok(passerelle_db(&db).arg("info")));
    assert!(
        text.contains(&format!(
            "téléchargé : RefRomeCsv.zip depuis {url} le {NOW}"
        )),
        "{text}"
    );
    assert!(text.contains(&sha256sum(&zip)), "{text}");

    // A later import from local files has no download behind it.
    ok(passerelle_db(&db)
        .args(["import", "rome", "--quiet"])
        .arg(rome_fixture()));
    assert_eq!(info_json(&db)["rome"]["downloads"], serde_json::json!([]));
}

/// A 404, a truncated body, a silent server, a file over the cap and a
/// complete file that is not a ROME archive: each refused, base unchanged.
#[test]
fn failed_rome_downloads_leave_the_database_unchanged() {
    let zip = fixture_zip();
    let server = TestServer::start([
        (
            "/tronque.zip",
            Reply::Truncated {
                body: zip[..zip.len() / 2].to_vec(),
                announced: zip.len() as u64,
            },
        ),
        ("/lent.zip", Reply::Stall(Duration::from_secs(30))),
        ("/gros.zip", Reply::File(zip.clone())),
        ("/gros-sans-taille.zip", Reply::NoLength(zip.clone())),
        (
            "/page.zip",
            Reply::File(b"<html>maintenance</html>".to_vec()),
        ),
        ("/erreur.zip", Reply::Status(503)),
    ]);
    let tmp = temp_dir();
    let db = tmp.path().join("p.sqlite");
    ok(passerelle_db(&db)
        .args(["import", "rome", "--quiet"])
        .arg(rome_fixture()));
    let before = std::fs::read(&db).unwrap();
    let cases: [(&str, &[&str], String); 7] = [
        (
            "/absent.zip",
            &[],
            "le serveur a répondu 404 (fichier introuvable à cette adresse)".into(),
        ),
        (
            "/erreur.zip",
            &[],
            "le serveur a répondu 503 (erreur du serveur)".into(),
        ),
        (
            "/tronque.zip",
            &[],
            format!(
                "téléchargement incomplet, {} octets reçus sur {} annoncés",
                zip.len() / 2,
                zip.len()
            ),
        ),
        (
            "/lent.zip",
            &["--timeout", "1"],
            "aucune donnée reçue pendant 1 s (délai --timeout".into(),
        ),
        (
            "/gros.zip",
            &["--max-size", "1k"],
            format!(
                "dépasse la taille maximale de 1024 octets ({} octets annoncés)",
                zip.len()
            ),
        ),
        (
            "/gros-sans-taille.zip",
            &["--max-size", "1k"],
            "dépasse la taille maximale de 1024 octets (réglage --max-size".into(),
        ),
        (
            "/page.zip",
            &[],
            "n'est ni un répertoire ni une archive zip".into(),
        ),
    ];
    for (path, flags, expected) in cases {
        let url = server.url(path);
        let err = fails(
            no_proxy(passerelle_db(&db))
                .args(["import", "rome", "--quiet"])
                .args(flags)
                .arg(&url),
        );
        assert!(
            err.starts_with("erreur : import du ROME refusé, base inchangée : "),
            "{path} : {err}"
        );
        assert!(
            err.contains(&url),
            "{path} : l'URL doit être nommée : {err}"
        );
        assert!(
            err.contains(&expected),
            "{path} : « {expected} » absent de {err}"
        );
        assert_eq!(err.trim_end().lines().count(), 1, "{path} : {err}");
        assert!(
            std::fs::read(&db).unwrap() == before,
            "{path} : la base a changé"
        );
    }
    // The limits also come from the environment (documented settings).
    let err = fails(
        no_proxy(passerelle_db(&db))
            .env("PASSERELLE_DOWNLOAD_MAX_SIZE", "2k")
            .args(["import", "rome", "--quiet"])
            .arg(server.url("/gros.zip")),
    );
    assert!(err.contains("taille maximale de 2048 octets"), "{err}");
    let err = fails(passerelle_db(&db).args([
        "import",
        "rome",
        "--max-size",
        "beaucoup",
        "http://127.0.0.1:1/x.zip",
    ]));
    assert!(err.contains("« beaucoup » n'est pas une taille"), "{err}");
    assert!(std::fs::read(&db).unwrap() == before, "la base a changé");
    assert_eq!(info_json(&db)["rome"]["counts"]["fiches"], 2);
}

/// Every file the territory import reads, as (expected name, bytes).
fn territory_files() -> Vec<(String, Vec<u8>)> {
    let t = data_dir().join("territory");
    let rels = [
        "referentiel_geo/etalab_decoupage_administratif_6.0.0/departements.json",
        "referentiel_geo/etalab_decoupage_administratif_6.0.0/regions.json",
        "referentiel_geo/etalab_decoupage_administratif_6.0.0/communes.json",
        "insee_chomage/chomage_departemental_INSEE.csv",
        "france_travail/bmo_2025/Base_open_data_BMO_2025.xlsx",
        "france_travail/tension_bassin_rome_2021/lexique-bassins.csv",
        "france_travail/tension_bassin_rome_2021/cities-tension-utf8.csv",
        "etablissements/labonneboite/rome_naf_mapping.csv",
        "certifications/certif_info.csv",
        "certifications/rncp_xml_format_sample/export_fiches_RNCP_fixture.xml",
        "certifications/rncp_xml_format_sample/export_fiches_RS_fixture.xml",
    ];
    rels.iter()
        .map(|rel| {
            let p = t.join(rel);
            let bytes =
                std::fs::read(&p).unwrap_or_else(|e| panic!("{} illisible : {e}", p.display()));
            (rel.rsplit('/').next().unwrap().to_string(), bytes)
        })
        .collect()
}

/// A manifest with URLs relative to its own address, as a mirror publishes it.
fn manifest(files: &[(String, Vec<u8>)], url_of: impl Fn(&str) -> String) -> String {
    files
        .iter()
        .map(|(name, _)| {
            format!(
                "[[fichier]]\nnom = \"{name}\"\nurl = \"{}\"\n\n",
                url_of(name)
            )
        })
        .collect()
}

#[test]
fn territory_by_manifest_url_is_imported_and_every_file_recorded() {
    let files = territory_files();
    let text = manifest(&files, |n| format!("fichiers/{n}"));
    let mut routes: Vec<(String, Reply)> = files
        .iter()
        .map(|(n, b)| (format!("/miroir/fichiers/{n}"), Reply::File(b.clone())))
        .collect();
    routes.push((
        "/miroir/territoire.toml".into(),
        Reply::File(text.into_bytes()),
    ));
    let server = TestServer::start(routes.iter().map(|(p, r)| (p.as_str(), r.clone())));
    let manifest_url = server.url("/miroir/territoire.toml");
    let db = db_with_rome();
    let out = stdout(&ok(no_proxy(passerelle_db(&db))
        .args(["import", "territoire"])
        .arg(&manifest_url)));
    assert!(
        out.contains(&format!(
            "Données territoriales importées depuis {manifest_url}"
        )),
        "{out}"
    );

    let info = info_json(&db);
    let t = &info["territoire"];
    assert_eq!(t["departements"], 101);
    assert_eq!(t["source"], manifest_url.as_str());
    let downloads = t["downloads"].as_array().unwrap();
    assert_eq!(downloads.len(), files.len());
    for ((name, bytes), d) in files.iter().zip(downloads) {
        assert_eq!(d["file_name"], name.as_str());
        assert_eq!(
            d["url"],
            server.url(&format!("/miroir/fichiers/{name}")).as_str()
        );
        assert_eq!(d["sha256"], sha256sum(bytes).as_str(), "{name}");
        assert_eq!(d["size_bytes"], bytes.len() as u64, "{name}");
        assert_eq!(d["downloaded_at"], NOW);
    }
    // Same figures as the import of the local directory.
    let herault = stdout(&ok(passerelle_db(&db).args([
        "territoire",
        "34",
        "--rome",
        "J1303",
    ])));
    assert!(
        herault.contains("Population : 1\u{202f}230\u{202f}289")
            && herault.contains("Projets de recrutement : 101"),
        "{herault}"
    );
    let text = stdout(&ok(passerelle_db(&db).arg("info")));
    assert!(
        text.contains("téléchargé : communes.json depuis http://127.0.0.1:"),
        "{text}"
    );
}

#[test]
fn failed_territory_downloads_leave_the_database_unchanged() {
    let files = territory_files();
    let routes: Vec<(String, Reply)> = files
        .iter()
        .map(|(n, b)| {
            // The unemployment file is missing on this mirror.
            let reply = if n.starts_with("chomage") {
                Reply::Status(404)
            } else {
                Reply::File(b.clone())
            };
            (format!("/f/{n}"), reply)
        })
        .collect();
    let server = TestServer::start(routes.iter().map(|(p, r)| (p.as_str(), r.clone())));
    let tmp = temp_dir();
    let manifest_path = tmp.path().join("territoire.toml");
    std::fs::write(
        &manifest_path,
        manifest(&files, |n| server.url(&format!("/f/{n}"))),
    )
    .unwrap();

    let db = db_with_rome();
    ok(passerelle_db(&db).args(["import", "territoire", "--quiet"]));
    let before = std::fs::read(&db).unwrap();

    let err = fails(
        no_proxy(passerelle_db(&db))
            .args(["import", "territoire", "--quiet"])
            .arg(&manifest_path),
    );
    assert!(
        err.starts_with("erreur : import territorial refusé, base inchangée : "),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "{} : le serveur a répondu 404",
            server.url("/f/chomage_departemental_INSEE.csv")
        )),
        "{err}"
    );
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(std::fs::read(&db).unwrap() == before, "la base a changé");

    // URLs without a manifest: an incomplete set is refused before any request.
    let served = server.requests();
    let err = fails(
        no_proxy(passerelle_db(&db))
            .args(["import", "territoire"])
            .arg(server.url("/f/communes.json")),
    );
    assert!(err.contains("il manque 8 fichier(s) officiel(s) : departements.json, regions.json, chomage_departemental_INSEE.csv"), "{err}");
    assert_eq!(
        server.requests(),
        served,
        "aucun téléchargement pour un jeu incomplet"
    );

    // The shipped template says which address to fill in, before any request.
    let template =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("data/telechargement/territoire.toml");
    let err = fails(
        passerelle_db(&db)
            .args(["import", "territoire"])
            .arg(&template),
    );
    assert!(err.contains("fichier departements.json : champ url vide (adresse de téléchargement à compléter, voir docs/donnees.md)"), "{err}");
    assert!(std::fs::read(&db).unwrap() == before, "la base a changé");
}

/// First run on a machine without `../shared/data`: one paragraph, where it
/// looked and the two commands; no database created.
#[test]
fn first_run_without_data_says_where_it_looked_and_what_to_run() {
    let tmp = temp_dir();
    let db = tmp.path().join("passerelle.sqlite");
    let data = tmp.path().join("donnees-absentes");
    for args in [
        &["serve", "--addr", "127.0.0.1:0"][..],
        &["sources", "J1303"],
        &["search", "infirmier"],
    ] {
        let err = fails(
            passerelle()
                .env("PASSERELLE_DATA", &data)
                .arg("--db")
                .arg(&db)
                .args(args),
        );
        assert_eq!(err.trim_end().lines().count(), 1, "{args:?} : {err}");
        assert!(
            err.contains(&format!(
                "dans le répertoire {}, qui n'existe pas",
                data.join("rome").display()
            )),
            "{args:?} : {err}"
        );
        assert!(
            err.contains(&format!("dans la base {}", db.display())),
            "{err}"
        );
        assert!(
            err.contains("`passerelle import rome https://api.francetravail.fr/api-nomenclatureemploi/v1/open-data/csv`"),
            "{err}"
        );
        assert!(
            err.contains("`passerelle import territoire data/telechargement/territoire.toml`"),
            "{err}"
        );
        assert!(!db.exists(), "{args:?} : base créée");
    }
}

/// README's test command is what CI runs.
#[test]
fn readme_test_command_is_the_ci_command() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let after = readme
        .split("Lancer tous les tests")
        .nth(1)
        .expect("section « Lancer tous les tests » du README");
    let command = after
        .split("```sh\n")
        .nth(1)
        .and_then(|b| b.split("\n```").next())
        .expect("bloc de commande");
    assert_eq!(command, "scripts/test");
    let ci = std::fs::read_to_string(root.join(".ci/run")).unwrap();
    assert!(
        ci.lines().any(|l| l.trim() == command),
        ".ci/run doit lancer `{command}` :\n{ci}"
    );
}

/// Without what the tests need and without installing, scripts/test stops
/// at once on one French line naming what is missing and how to install it.
#[test]
fn test_script_names_what_is_missing_and_never_runs_partially() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let empty = temp_dir();
    let out = Command::new("/bin/bash")
        .arg(root.join("scripts/test"))
        .arg("--no-install")
        .env_clear()
        .env("PATH", empty.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(
        err.starts_with(
            "tests impossibles, il manque les paquets Debian chromium chromium-driver poppler-utils"
        ),
        "{err}"
    );
    assert!(
        err.contains(
            "apt-get install -y --no-install-recommends chromium chromium-driver poppler-utils"
        ),
        "{err}"
    );
    assert!(
        !String::from_utf8(out.stdout)
            .unwrap()
            .contains("cargo test"),
        "aucun test lancé"
    );
}
