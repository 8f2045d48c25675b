//! Job-title profiles: `import postes`, `export poste`, resolution (issue 8).

use std::path::{Path, PathBuf};

use crate::common::*;

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn db_with_demo() -> tempfile::TempPath {
    let db = db_with_rome();
    ok(passerelle_db(&db).args(["import", "profils", "--quiet"]).arg(repo("data/profils/assistant-medical-aveyron.csv")));
    ok(passerelle_db(&db).args(["import", "postes", "--quiet"]).arg(repo("data/postes/assistant-medical.toml")));
    db
}

#[test]
fn gap_m1609_to_200145_uses_the_poste_and_finds_the_two_acquired_savoirs() {
    let db = db_with_demo();
    let out = stdout(&ok(passerelle_db(&db).args(["gap", "M1609", "200145"])));
    assert!(out.contains("profil de poste poste:assistant-medical utilisé"), "{out}");
    assert!(out.contains("Terminologie médicale") && out.contains("Grille de codification Sécurité Sociale"), "{out}");
    assert!(out.contains("2 savoirs déjà acquis"), "{out}");
    // The seed's figure: the 8 savoirs of the job, 2 already held (25 %).
    assert!(out.contains("Savoirs professionnels : 25 % (2 sur 8)"), "{out}");
    assert!(out.contains("6 savoirs à acquérir"), "{out}");
    assert!(!out.contains("Orthodontie"), "{out}");
    let json: serde_json::Value = serde_json::from_str(&stdout(&ok(passerelle_db(&db).args(["gap", "M1609", "poste:assistant-medical", "--json"])))).unwrap();
    assert_eq!(json["savoirs"]["numerator"], 2, "{json}");
    assert_eq!(json["savoirs"]["denominator"], 8, "{json}");
    let text = json.to_string();
    assert!(!text.contains("Orthodontie"));
    assert!(!text.contains("Pathologies auditives"));
}

#[test]
fn appellation_without_poste_resolves_to_the_whole_fiche_and_says_so() {
    let db = db_with_demo();
    let out = stdout(&ok(passerelle_db(&db).args(["gap", "M1609", "19397"])));
    assert!(out.contains("aucun profil de poste enregistré"), "{out}");
}

#[test]
fn export_then_import_round_trips() {
    let db = db_with_demo();
    let dir = temp_dir();
    let file = dir.path().join("poste.toml");
    ok(passerelle_db(&db).args(["export", "poste", "poste:assistant-medical", "-o"]).arg(&file));
    let first = std::fs::read_to_string(&file).unwrap();
    assert!(first.contains("libelle = \"Terminologie médicale\""), "{first}");
    ok(passerelle_db(&db).args(["import", "postes", "--quiet"]).arg(&file));
    let again = dir.path().join("again.toml");
    ok(passerelle_db(&db).args(["export", "poste", "assistant-medical", "--out"]).arg(&again));
    assert_eq!(first, std::fs::read_to_string(&again).unwrap());
}

#[test]
fn show_poste_lists_items_and_provenance() {
    let db = db_with_demo();
    let out = stdout(&ok(passerelle_db(&db).args(["show", "poste:assistant-medical"])));
    assert!(out.contains("Équipe Passerelle") && out.contains("Terminologie médicale"), "{out}");
    assert!(!out.contains("Orthodontie"));
}

fn rejected(toml: &str, expected: &[&str]) {
    let db = db_with_demo();
    let dir = temp_dir();
    let p = dir.path().join("bad.toml");
    std::fs::write(&p, toml).unwrap();
    let before = std::fs::read(&db).unwrap();
    let err = fails(passerelle_db(&db).args(["import", "postes"]).arg(&p));
    for e in expected {
        assert!(err.contains(e), "« {e} » absent de : {err}");
    }
    assert_eq!(before, std::fs::read(&db).unwrap(), "la base a changé");
}

const HEAD: &str = "slug = \"essai\"\ntitre = \"Essai\"\nfiche = \"J1303\"\nversion_rome = 60\n\n[provenance]\nauteur = \"t\"\ndate = \"2026\"\nbase = \"t\"\n";

#[test]
fn unknown_ogr_code_is_refused_with_its_line() {
    rejected(&format!("{HEAD}\n[[items]]\nogr = 107361\n\n[[items]]\nogr = 999999999\n"), &["ligne 15", "999999999", "inconnu"]);
}

#[test]
fn item_outside_the_base_fiche_must_be_declared_extra() {
    // 100003 "Fonctionnement des engins agricoles" is not a J1303 item.
    rejected(&format!("{HEAD}\n[[items]]\nogr = 100003\n"), &["ligne 12", "100003", "extra"]);
    let db = db_with_demo();
    let dir = temp_dir();
    let p = dir.path().join("extra.toml");
    std::fs::write(&p, format!("{HEAD}\n[[items]]\nogr = 100003\nextra = true\n")).unwrap();
    ok(passerelle_db(&db).args(["import", "postes"]).arg(&p));
}

#[test]
fn empty_selection_unknown_fiche_and_bad_slug_are_refused() {
    rejected(HEAD, &["sélection vide"]);
    rejected(&HEAD.replace("J1303", "Z9999"), &["ligne 3", "Z9999"]);
    rejected(&HEAD.replace("\"essai\"", "\"Essai Bad\""), &["ligne 1", "slug"]);
}
