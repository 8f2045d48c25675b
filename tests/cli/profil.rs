//! Transversal profiles: `import profils`, `profil` (issue 4).

use std::path::{Path, PathBuf};

use crate::common::*;

const HEADER: &str = "cible,competence,niveau,etoiles,enquete,source,date,territoire,population\n";

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn csv_file(dir: &tempfile::TempDir, body: &str) -> PathBuf {
    let p = dir.path().join("profils.csv");
    std::fs::write(&p, format!("{HEADER}{body}")).unwrap();
    p
}

fn surveys_json(db: &Path) -> serde_json::Value {
    let out = stdout(&ok(passerelle_db(db).args(["profil", "200145", "--json"])));
    serde_json::from_str(&out).unwrap()
}

#[test]
fn seed_survey_is_used_for_the_appellation_and_labelled_enquete() {
    let db = db_with_rome();
    ok(passerelle_db(&db)
        .args(["import", "profils"])
        .arg(repo("data/profils/assistant-medical-aveyron.csv")));
    let v = surveys_json(&db);
    assert_eq!(v["provenance"]["type"], "enquete");
    assert_eq!(v["provenance"]["id"], "afpa-aveyron-assistant-medical");
    assert_eq!(
        (v["job"]["appellation"].as_u64(), v["job"]["code"].as_str()),
        (Some(200145), Some("J1303"))
    );
    assert!(
        v["job"].get("items").is_none(),
        "le profil ne répète pas les items de la fiche"
    );
    let comm = &v["competencies"][0];
    assert_eq!(
        (
            comm["label"].as_str().unwrap(),
            comm["stars"].as_u64().unwrap(),
            comm["level"].as_u64().unwrap()
        ),
        ("Communiquer", 5, 1)
    );
    // The whole fiche keeps its estimate: the survey describes one appellation.
    let out = stdout(&ok(passerelle_db(&db).args(["profil", "J1303"])));
    assert!(out.contains("Provenance : estimé"), "{out}");
}

#[test]
fn every_fiche_has_a_valid_estimated_profile() {
    let db = db_with_rome();
    for code in ["A1101", "J1303", "M1609", "K2111", "N4403"] {
        let out = stdout(&ok(passerelle_db(&db).args(["profil", code, "--json"])));
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["provenance"]["type"], "estime", "{code}");
        for c in v["competencies"].as_array().unwrap() {
            let (l, s) = (c["level"].as_u64().unwrap(), c["stars"].as_u64().unwrap());
            assert!(l <= 4 && s <= 5 && ((l == 0) == (s == 0)), "{code} : {c}");
        }
    }
}

/// docs/transversal.md states how far the J1303 estimate agrees with the
/// seed's survey; this keeps the statement true.
#[test]
fn j1303_estimate_agrees_with_the_survey_as_documented() {
    let db = db_with_rome();
    ok(passerelle_db(&db)
        .args(["import", "profils"])
        .arg(repo("data/profils/assistant-medical-aveyron.csv")));
    let est: serde_json::Value = serde_json::from_str(&stdout(&ok(
        passerelle_db(&db).args(["profil", "J1303", "--json"])
    )))
    .unwrap();
    let sur = surveys_json(&db);
    let (mut stars, mut levels) = (0, 0);
    for (a, b) in est["competencies"]
        .as_array()
        .unwrap()
        .iter()
        .zip(sur["competencies"].as_array().unwrap())
    {
        let d = |k: &str| (a[k].as_i64().unwrap() - b[k].as_i64().unwrap()).abs();
        stars += i32::from(d("stars") <= 1);
        levels += i32::from(d("level") <= 1);
    }
    let doc = std::fs::read_to_string(repo("docs/transversal.md")).unwrap();
    let claim = format!(
        "{stars} compétences sur 14 s'accordent à une étoile près et {levels} sur 14 à un niveau près"
    );
    assert!(
        doc.contains(&claim),
        "docs/transversal.md doit dire : « {claim} »"
    );
}

#[test]
fn radar_svg_is_written() {
    let db = db_with_rome();
    let dir = temp_dir();
    let svg = dir.path().join("radar.svg");
    ok(passerelle_db(&db)
        .args(["profil", "M1609", "--svg"])
        .arg(&svg));
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(
        text.starts_with("<svg") && text.contains("Secrétaire médical"),
        "{text}"
    );
}

fn rejected(body: &str, expected: &[&str]) {
    let db = db_with_rome();
    let dir = temp_dir();
    ok(passerelle_db(&db)
        .args(["import", "profils"])
        .arg(repo("data/profils/assistant-medical-aveyron.csv")));
    let before = std::fs::read(&db).unwrap();
    let err = fails(
        passerelle_db(&db)
            .args(["import", "profils"])
            .arg(csv_file(&dir, body)),
    );
    for e in expected {
        assert!(err.contains(e), "« {e} » absent de : {err}");
    }
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert_eq!(before, std::fs::read(&db).unwrap(), "la base a changé");
}

const GOOD: &str = "M1609,Communiquer,2,4,test-enquete,Test,2025,34,débutant\n";

#[test]
fn unknown_competency_is_refused_with_a_suggestion() {
    rejected(
        &format!("{GOOD}M1609,Comuniquer bien,2,4,test-enquete,Test,2025,34,débutant\n"),
        &["ligne 3", "competence", "Communiquer"],
    );
}

#[test]
fn level_or_stars_out_of_range_are_refused() {
    rejected(
        &format!("{GOOD}M1609,Organiser ses actions,5,4,test-enquete,Test,2025,34,débutant\n"),
        &["ligne 3", "niveau 5"],
    );
    rejected(
        &format!("{GOOD}M1609,Organiser ses actions,2,6,test-enquete,Test,2025,34,débutant\n"),
        &["ligne 3", "6 étoiles"],
    );
    rejected(
        &format!("{GOOD}M1609,Organiser ses actions,0,3,test-enquete,Test,2025,34,débutant\n"),
        &["ligne 3", "niveau 0"],
    );
}

#[test]
fn duplicate_row_is_refused() {
    rejected(&format!("{GOOD}{GOOD}"), &["ligne 3", "double"]);
}

#[test]
fn unknown_rome_code_or_appellation_is_refused() {
    rejected(
        &format!("{GOOD}Z9999,Organiser ses actions,2,4,test-enquete,Test,2025,34,débutant\n"),
        &["ligne 3", "Z9999"],
    );
    rejected(
        "999999,Organiser ses actions,2,4,test-enquete,Test,2025,34,débutant\n",
        &["ligne 2", "appellation inconnue"],
    );
}

#[test]
fn missing_column_is_refused() {
    let db = db_with_rome();
    let dir = temp_dir();
    let p = dir.path().join("p.csv");
    std::fs::write(&p, "cible,competence,niveau,enquete,source,date,territoire,population\nM1609,Communiquer,2,e,T,2025,34,x\n").unwrap();
    let err = fails(passerelle_db(&db).args(["import", "profils"]).arg(&p));
    assert!(err.contains("en-tête") && err.contains("etoiles"), "{err}");
}

#[test]
fn unknown_enquete_is_refused() {
    let db = db_with_rome();
    let err = fails(passerelle_db(&db).args(["profil", "200145", "--enquete", "nope"]));
    assert!(err.contains("--enquete") && err.contains("nope"), "{err}");
}

#[test]
fn enquete_of_another_job_is_refused() {
    let db = db_with_rome();
    ok(passerelle_db(&db)
        .args(["import", "profils"])
        .arg(repo("data/profils/assistant-medical-aveyron.csv")));
    let err = fails(passerelle_db(&db).args([
        "profil",
        "M1609",
        "--enquete",
        "afpa-aveyron-assistant-medical",
    ]));
    assert!(
        err.contains("--enquete")
            && err.contains("porte sur l'appellation 200145")
            && err.contains("M1609"),
        "{err}"
    );
}

#[test]
fn dept_picks_the_local_survey_and_the_others_are_listed() {
    let db = db_with_rome();
    let dir = temp_dir();
    ok(passerelle_db(&db)
        .args(["import", "profils"])
        .arg(repo("data/profils/assistant-medical-aveyron.csv")));
    let herault = "200145,Communiquer,3,4,herault-2023,Enquête test Hérault,2023-06,34,confirmé\n";
    ok(passerelle_db(&db)
        .args(["import", "profils", "--quiet"])
        .arg(csv_file(&dir, herault)));
    let json = |extra: &[&str]| -> serde_json::Value {
        serde_json::from_str(&stdout(&ok(passerelle_db(&db)
            .args(["profil", "200145", "--json"])
            .args(extra))))
        .unwrap()
    };
    // Default: the most recent (2024, Aveyron); --dept 34: the Hérault one; --enquete wins.
    assert_eq!(
        json(&[])["provenance"]["id"],
        "afpa-aveyron-assistant-medical"
    );
    let local = json(&["--dept", "34"]);
    assert_eq!(local["provenance"]["id"], "herault-2023");
    assert_eq!(
        local["other_surveys"],
        serde_json::json!(["afpa-aveyron-assistant-medical"])
    );
    assert_eq!(
        json(&[
            "--dept",
            "34",
            "--enquete",
            "afpa-aveyron-assistant-medical"
        ])["provenance"]["id"],
        "afpa-aveyron-assistant-medical"
    );
    let text = stdout(&ok(
        passerelle_db(&db).args(["profil", "200145", "--dept", "34"])
    ));
    assert!(text.contains("Provenance : enquête « herault-2023 » — Enquête test Hérault, 2023-06, département 34, population : confirmé"), "{text}");
    assert!(
        text.contains(
            "Autres enquêtes sur ce métier (--enquete ID) : afpa-aveyron-assistant-medical"
        ),
        "{text}"
    );
    assert!(text.contains("★★★★☆  niveau 3/4  Communiquer"), "{text}");
}

#[test]
fn surveyed_radar_overlays_the_fiche_estimate() {
    let db = db_with_rome();
    let dir = temp_dir();
    ok(passerelle_db(&db)
        .args(["import", "profils"])
        .arg(repo("data/profils/assistant-medical-aveyron.csv")));
    let svg = dir.path().join("radar.svg");
    ok(passerelle_db(&db)
        .args(["profil", "200145", "--svg"])
        .arg(&svg));
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(
        text.contains("(enquête)") && text.contains("Fiche ROME J1303 (estimé)"),
        "{text}"
    );
}
