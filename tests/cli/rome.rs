//! `import rome`, `info`, `show`: on the official v460 set and on copies of
//! the hand-made fixture of crates/import (two fiches) altered one file at a time.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::common::*;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/import/tests/fixtures/rome_min")
}

fn fixture_copy() -> tempfile::TempDir {
    let dir = temp_dir();
    for e in std::fs::read_dir(fixture()).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), dir.path().join(e.file_name())).unwrap();
    }
    dir
}

fn csv(dir: &Path, stem: &str) -> PathBuf {
    dir.join(format!("unix_{stem}_v460_utf8.csv"))
}

fn edit(dir: &Path, stem: &str, f: impl FnOnce(String) -> String) {
    let p = csv(dir, stem);
    let text = std::fs::read_to_string(&p).unwrap();
    std::fs::write(&p, f(text)).unwrap();
}

fn info_json(db: &Path) -> Value {
    serde_json::from_str(&stdout(&ok(passerelle_db(db).args(["info", "--json"])))).unwrap()
}

#[test]
fn info_json_gives_version_import_date_and_counts() {
    let db = db_with_rome();
    let info = info_json(&db);
    let rome = &info["rome"];
    assert_eq!(rome["version"], 60);
    assert_eq!(rome["label"], "25M09");
    assert_eq!(rome["published"], "18/09/2025");
    assert_eq!(rome["imported_at"], NOW);
    assert_eq!(rome["imports"], 1);
    let c = &rome["counts"];
    for (key, n) in [
        ("fiches", 1_584),
        ("appellations", 13_120),
        ("competences", 18_317),
        ("macro_competences", 507),
        ("savoirs", 15_354),
        ("contextes", 179),
        ("fiche_items", 104_219),
    ] {
        assert_eq!(c[key], n, "{key}");
    }
    assert_eq!(info["database"]["path"], db.display().to_string());
    assert!(info["database"]["size_bytes"].as_u64().unwrap() > 1_000_000);
    assert!(info["database"]["schema_version"].as_u64().is_some());
}

#[test]
fn info_text_is_french() {
    let db = db_with_rome();
    let text = stdout(&ok(passerelle_db(&db).arg("info")));
    assert!(
        text.contains(
            "ROME 4.0 : version 60 (25M09), publiée le 18/09/2025, importée le 2026-11-23T08:00:00Z"
        ),
        "{text}"
    );
    assert!(
        text.contains("1\u{202f}584 fiches, 13\u{202f}120 appellations"),
        "{text}"
    );
    assert!(
        text.contains(
            "18\u{202f}317 compétences (dont 507 macro-compétences), 15\u{202f}354 savoirs"
        ),
        "{text}"
    );
    assert!(text.contains("104\u{202f}219 liens fiche → item"), "{text}");
}

#[test]
fn info_without_database_does_not_create_it() {
    let dir = temp_dir();
    let db = dir.path().join("absente.sqlite");
    let info = info_json(&db);
    assert_eq!(info["database"]["exists"], false);
    assert!(info["rome"].is_null());
    assert!(!db.exists());
}

#[test]
fn show_fiche_by_rome_code_has_everything() {
    let db = db_with_rome();
    let text = stdout(&ok(passerelle_db(&db).args(["show", "j1303"])));
    for expected in [
        "J1303 — Assistant / Assistante médico-technique",
        "Fiche ROME J1303 entière",
        "Domaine : J13 Professionnels médico-techniques · grand domaine J Santé",
        "RIASEC : IS (Investigateur / Social)",
        "\nDéfinition\n",
        "\nAccès au métier\n",
        "Appellations (8)",
        "200145  Assistant médical / Assistante médicale",
        "Savoir-faire (",
        "  Accueillir, orienter, renseigner un public [RIASEC S]\n    Technique\n      ★ ",
        "Savoirs (",
        "Contextes de travail (",
        "Source : France Travail – ROME 4.0, version 60 (25M09), mise à jour du 18/09/2025",
    ] {
        assert!(
            text.contains(expected),
            "« {expected} » absent de :\n{text}"
        );
    }
    assert!(!text.contains("''"), "apostrophes doublées : {text}");
}

#[test]
fn show_appellation_resolves_to_its_fiche() {
    let db = db_with_rome();
    let text = stdout(&ok(passerelle_db(&db).args(["show", "200145"])));
    assert!(text.starts_with("J1303 — Assistant / Assistante médico-technique\nAppellation 200145 « Assistant médical / Assistante médicale » : aucun profil de poste enregistré, fiche ROME J1303 entière utilisée\n"), "{text}");
}

#[test]
fn show_json_groups_items_as_rome_does() {
    let db = db_with_rome();
    let v: Value = serde_json::from_str(&stdout(&ok(
        passerelle_db(&db).args(["show", "M1609", "--json"])
    )))
    .unwrap();
    let f = &v["fiche"];
    assert_eq!(f["code"], "M1609");
    assert_eq!(f["title"], "Secrétaire médical / Secrétaire médicale");
    assert_eq!(f["domaine"], "M16");
    assert_eq!(f["domaine_label"], "Secrétariat et assistance");
    assert!(
        f["appellations"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["ogr"] == 19397)
    );
    let sf = f["savoir_faire"].as_array().unwrap();
    assert!(!sf.is_empty());
    assert!(sf[0]["subcategories"][0]["items"][0]["coeur"].is_string());
    // Certifications are never mixed with the other savoirs.
    for g in f["savoirs"].as_array().unwrap() {
        assert_ne!(g["category"], "Certifications et habilitations");
    }
    assert!(f["certifications"].is_array());
    assert!(
        f["contextes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|g| g["category"].is_string())
    );
    assert!(v["attribution"].as_str().unwrap().contains("version 60"));
}

#[test]
fn show_errors_are_one_french_line() {
    let db = db_with_rome();
    let cases = [
        (
            "Z9999",
            "erreur : code ROME inconnu « Z9999 » dans le référentiel (version 60)",
        ),
        (
            "99999999",
            "erreur : code OGR d'appellation inconnu « 99999999 » dans le référentiel (version 60)",
        ),
        (
            "poste:inexistant",
            "erreur : profil de poste inconnu « poste:inexistant »",
        ),
        ("J13", "erreur : métier inconnu « J13 »"),
    ];
    for (job, expected) in cases {
        let err = fails(passerelle_db(&db).args(["show", job]));
        assert!(err.starts_with(expected), "{job} : {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    }
}

#[test]
fn show_without_referential_says_how_to_import() {
    let dir = temp_dir();
    let err = fails(
        passerelle()
            .arg("--db")
            .arg(dir.path().join("vide.sqlite"))
            .args(["show", "J1303"]),
    );
    assert!(err.contains("passerelle import rome"), "{err}");
}

#[test]
fn import_summary_counts_and_warns() {
    let dir = temp_dir();
    let db = dir.path().join("p.sqlite");
    let text = stdout(&ok(passerelle_db(&db)
        .args(["import", "rome"])
        .arg(fixture())));
    assert!(
        text.starts_with("ROME 4.0 version 60 (25M09, publiée le 18/09/2025) importé depuis "),
        "{text}"
    );
    assert!(text.contains("2 fiches, 3 appellations, 5 compétences (dont 3 macro-compétences), 3 savoirs (dont 1 certifications), 2 contextes de travail, 12 liens fiche → item"), "{text}");
    assert!(
        text.contains("Toutes les lignes ont été importées"),
        "{text}"
    );
    assert!(text.contains("Avertissement : unix_arborescence_secteur_naf_v460_utf8.csv : fichier encodé en ISO-8859-15"), "{text}");
    assert!(
        text.contains("unix_themes_v460_utf8.csv"),
        "absent optional files are listed: {text}"
    );
    let quiet = ok(passerelle_db(&db)
        .args(["import", "rome", "--quiet"])
        .arg(fixture()));
    assert!(quiet.stdout.is_empty() && quiet.stderr.is_empty());
    assert_eq!(info_json(&db)["rome"]["imports"], 2);
}

#[test]
fn orphans_and_duplicates_are_in_the_summary() {
    let dir = fixture_copy();
    edit(dir.path(), "liens_rome_referentiels", |t| {
        t + "\"M1609\",\"5\",\"1\",\"999999\"\n"
    });
    edit(dir.path(), "referentiel_savoir", |t| {
        t + "\"100200\",\"Autre\",\"Domaines d'expertise\",\"Santé\",\"\",\"N\"\n"
    });
    let db = temp_dir();
    let text = stdout(&ok(passerelle_db(&db.path().join("p.sqlite"))
        .args(["import", "rome"])
        .arg(dir.path())));
    assert!(text.contains("Lignes non importées : 2"), "{text}");
    assert!(text.contains("unix_liens_rome_referentiels_v460_utf8.csv : 1 ligne(s) orphelines (item inconnu des référentiels), ex. ligne 19 : M1609 → 999999 (bloc 5, rubrique 1)"), "{text}");
    assert!(text.contains("unix_referentiel_savoir_v460_utf8.csv : 1 ligne(s) doublons (code OGR en double (première ligne gardée)), ex. ligne 5 : 100200"), "{text}");
}

#[test]
fn a_newer_import_replaces_the_referential() {
    let db = db_with_rome();
    ok(passerelle_db(&db)
        .args(["import", "rome", "--quiet"])
        .arg(fixture()));
    let info = info_json(&db);
    assert_eq!(info["rome"]["counts"]["fiches"], 2);
    assert_eq!(info["rome"]["imports"], 2);
    assert!(
        fails(passerelle_db(&db).args(["show", "A1101"])).contains("code ROME inconnu « A1101 »")
    );
}

/// Every failing import leaves the existing database byte for byte as it was.
#[test]
fn failed_imports_leave_the_database_unchanged() {
    type Breaker = fn(&Path);
    let cases: Vec<(&str, Breaker, &str)> = vec![
        (
            "fichier manquant",
            |d| std::fs::remove_file(csv(d, "texte")).unwrap(),
            "fichier obligatoire unix_texte_v460_utf8.csv absent de ",
        ),
        (
            "en-tête modifié",
            |d| edit(d, "item", |t| t.replacen("\"libelle\"", "\"label\"", 1)),
            "unix_item_v460_utf8.csv : en-tête inattendu (colonne(s) manquante(s) : libelle ; colonne(s) inconnue(s) : label)",
        ),
        (
            "colonnes permutées",
            |d| {
                edit(d, "grand_domaine", |t| {
                    t.replacen(
                        "\"code_grand_domaine\",\"libelle_grand_domaine\"",
                        "\"libelle_grand_domaine\",\"code_grand_domaine\"",
                        1,
                    )
                })
            },
            "unix_grand_domaine_v460_utf8.csv : en-tête inattendu (colonnes dans un autre ordre)",
        ),
        (
            "guillemet non fermé",
            |d| {
                edit(d, "referentiel_code_rome", |t| {
                    t.replacen("\"512\",", "\"512,", 1)
                })
            },
            "unix_referentiel_code_rome_v460_utf8.csv, ligne 3 : guillemet non fermé",
        ),
        (
            "nombre de colonnes",
            |d| edit(d, "texte", |t| t + "\"J1303\",\"3\"\n"),
            "unix_texte_v460_utf8.csv, ligne 7 : nombre de colonnes incorrect : 2 au lieu de 5",
        ),
        (
            "pas en UTF-8",
            |d| {
                let p = csv(d, "referentiel_savoir");
                let text = std::fs::read_to_string(&p).unwrap();
                // Latin-1 and Latin-9 agree on every character of this file.
                let latin: Vec<u8> = text
                    .chars()
                    .map(|c| u8::try_from(u32::from(c)).unwrap())
                    .collect();
                std::fs::write(&p, latin).unwrap();
            },
            "unix_referentiel_savoir_v460_utf8.csv, ligne 2 : fichier non encodé en UTF-8 (octet 0xE9 invalide)",
        ),
        (
            "fichier vide",
            |d| std::fs::write(csv(d, "coherence_item"), "").unwrap(),
            "unix_coherence_item_v460_utf8.csv est vide (0 octet)",
        ),
        (
            "contenu inattendu",
            |d| {
                for e in std::fs::read_dir(d).unwrap() {
                    std::fs::remove_file(e.unwrap().path()).unwrap();
                }
                std::fs::write(d.join("notes.txt"), "rien").unwrap();
            },
            "ne contient aucun fichier du ROME (unix_*_vNNN_utf8.csv) ; contenu trouvé : notes.txt",
        ),
    ];
    let db = db_with_rome();
    let before = std::fs::read(&db).unwrap();
    for (name, breaker, expected) in cases {
        let dir = fixture_copy();
        breaker(dir.path());
        let err = fails(
            passerelle_db(&db)
                .args(["import", "rome", "--quiet"])
                .arg(dir.path()),
        );
        assert!(
            err.starts_with("erreur : import du ROME refusé, base inchangée : "),
            "{name} : {err}"
        );
        assert!(
            err.contains(expected),
            "{name} : « {expected} » absent de {err}"
        );
        assert_eq!(err.trim_end().lines().count(), 1, "{name} : {err}");
        assert!(
            std::fs::read(&db).unwrap() == before,
            "{name} : la base a changé"
        );
    }
    assert_eq!(info_json(&db)["rome"]["counts"]["fiches"], 1_584);
}

/// A database holding the hand-made fixture (two fiches).
fn db_with_fixture() -> tempfile::TempPath {
    let db = copy_db_empty();
    ok(passerelle_db(&db)
        .args(["import", "rome", "--quiet"])
        .arg(fixture()));
    db
}

fn copy_db_empty() -> tempfile::TempPath {
    let p = tempfile::Builder::new()
        .prefix("passerelle-")
        .suffix(".sqlite")
        .tempfile_in(env!("CARGO_TARGET_TMPDIR"))
        .unwrap()
        .into_temp_path();
    std::fs::remove_file(&p).unwrap();
    p
}

#[test]
fn show_fixture_snapshots() {
    let db = db_with_fixture();
    let text = stdout(&ok(passerelle_db(&db).args(["show", "J1303"])));
    insta::assert_snapshot!("show_fixture_j1303_text", text);
    let json: Value = serde_json::from_str(&stdout(&ok(
        passerelle_db(&db).args(["show", "200145", "--json"])
    )))
    .unwrap();
    insta::assert_json_snapshot!("show_fixture_200145_json", json);
}

#[test]
fn info_fixture_snapshot() {
    let db = db_with_fixture();
    let mut json = info_json(&db);
    json["database"]["path"] = "[base]".into();
    json["database"]["size_bytes"] = "[taille]".into();
    json["rome"]["source"] = "[fixture]".into();
    insta::assert_json_snapshot!("info_fixture_json", json);
}

/// Zips the files of `dir` under `folder` (plus `extra` entries) into `out`.
fn zip_dir(dir: &Path, folder: &str, extra: &[(&str, &[u8])], out: &Path) {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::fs::File::create(out).unwrap());
    let options = zip::write::SimpleFileOptions::default();
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    for p in paths {
        zip.start_file(
            format!("{folder}{}", p.file_name().unwrap().to_string_lossy()),
            options,
        )
        .unwrap();
        zip.write_all(&std::fs::read(&p).unwrap()).unwrap();
    }
    for (name, bytes) in extra {
        zip.start_file(*name, options).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap();
}

#[test]
fn zip_archives_import_and_bad_ones_leave_the_database_unchanged() {
    let tmp = temp_dir();
    let good = tmp.path().join("RefRomeCsv.zip");
    zip_dir(
        &fixture(),
        "RefRomeCsv/",
        &[("RefRomeCsv/unix_fiche_emploi_metier_v460.json", b"{}")],
        &good,
    );
    let db = tmp.path().join("p.sqlite");
    let text = stdout(&ok(passerelle_db(&db).args(["import", "rome"]).arg(&good)));
    assert!(
        text.contains("importé depuis ") && text.contains("RefRomeCsv.zip:RefRomeCsv/"),
        "{text}"
    );
    assert!(text.contains("Avertissement : RefRomeCsv/unix_fiche_emploi_metier_v460.json : fichier inattendu, ignoré"), "{text}");
    assert_eq!(info_json(&db)["rome"]["counts"]["fiches"], 2);

    let before = std::fs::read(&db).unwrap();
    let empty = temp_dir();
    let bad = tmp.path().join("autre.zip");
    zip_dir(
        empty.path(),
        "",
        &[("documentation.pdf", b"%PDF-1.7")],
        &bad,
    );
    let err = fails(
        passerelle_db(&db)
            .args(["import", "rome", "--quiet"])
            .arg(&bad),
    );
    assert!(err.contains("autre.zip ne contient aucun fichier du ROME (unix_*_vNNN_utf8.csv) ; contenu trouvé : documentation.pdf"), "{err}");
    assert!(std::fs::read(&db).unwrap() == before, "la base a changé");
}
