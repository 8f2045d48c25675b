//! Job-title profiles: `import postes`, `export poste`, resolution (issue 8).

use std::path::{Path, PathBuf};

use crate::common::*;

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

#[test]
fn gap_m1609_to_200145_uses_the_poste_and_finds_the_two_acquired_savoirs() {
    let db = db_with_demo();
    let out = stdout(&ok(passerelle_db(&db).args(["gap", "M1609", "200145"])));
    assert!(out.contains("son profil de poste est utilisé"), "{out}");
    assert!(
        out.contains("Terminologie médicale")
            && out.contains("Grille de codification Sécurité Sociale"),
        "{out}"
    );
    assert!(out.contains("2 savoirs déjà acquis"), "{out}");
    // The seed's figure: the 8 savoirs of the job, 2 already held (25 %).
    assert!(
        out.contains("Savoirs professionnels : 25\u{202f}% (2 sur 8)"),
        "{out}"
    );
    assert!(out.contains("À acquérir (6 savoirs)"), "{out}");
    assert!(!out.contains("Orthodontie"), "{out}");
    let json: serde_json::Value = serde_json::from_str(&stdout(&ok(passerelle_db(&db).args([
        "gap",
        "M1609",
        "poste:assistant-medical",
        "--json",
    ]))))
    .unwrap();
    assert_eq!(json["savoirs"]["numerator"], 2, "{json}");
    assert_eq!(json["savoirs"]["denominator"], 8, "{json}");
    let text = json.to_string();
    assert!(!text.contains("Orthodontie"));
    assert!(!text.contains("Pathologies auditives"));
}

#[test]
fn a_poste_imported_before_its_survey_says_the_survey_is_missing() {
    let db = db_with_rome();
    let out = stdout(&ok(passerelle_db(&db)
        .args(["import", "postes"])
        .arg(repo("data/postes/assistant-medical.toml"))));
    assert!(
        out.contains("enquête « afpa-aveyron-assistant-medical » absente de la base"),
        "{out}"
    );
    let db = db_with_demo();
    let out = stdout(&ok(passerelle_db(&db)
        .args(["import", "postes"])
        .arg(repo("data/postes/assistant-medical.toml"))));
    assert!(!out.contains("attention"), "{out}");
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
    ok(passerelle_db(&db)
        .args(["export", "poste", "poste:assistant-medical", "-o"])
        .arg(&file));
    let first = std::fs::read_to_string(&file).unwrap();
    assert!(
        first.contains("libelle = \"Terminologie médicale\""),
        "{first}"
    );
    ok(passerelle_db(&db)
        .args(["import", "postes", "--quiet"])
        .arg(&file));
    let again = dir.path().join("again.toml");
    ok(passerelle_db(&db)
        .args(["export", "poste", "assistant-medical", "--out"])
        .arg(&again));
    assert_eq!(first, std::fs::read_to_string(&again).unwrap());
}

#[test]
fn show_poste_lists_items_and_provenance() {
    let db = db_with_demo();
    let out = stdout(&ok(
        passerelle_db(&db).args(["show", "poste:assistant-medical"])
    ));
    assert!(
        out.contains("Équipe Passerelle") && out.contains("Terminologie médicale"),
        "{out}"
    );
    assert!(
        out.contains("Items retenus (38)") && out.contains("afpa-aveyron-assistant-medical"),
        "{out}"
    );
    assert!(!out.contains("Orthodontie"));
    // The appellation the poste describes shows the poste, and says so.
    let app = stdout(&ok(passerelle_db(&db).args(["show", "200145"])));
    assert!(app.contains("Appellation 200145 « Assistant médical / Assistante médicale » : son profil de poste est utilisé, établi à partir de la fiche ROME J1303 « Assistant / Assistante médico-technique »"), "{app}");
    assert!(!app.contains("Orthodontie"), "{app}");
    // Another appellation of J1303 is the whole fiche.
    let whole = stdout(&ok(passerelle_db(&db).args(["show", "11193"])));
    assert!(
        whole.contains("fiche ROME J1303 entière") && whole.contains("Orthodontie"),
        "{whole}"
    );
    let json: serde_json::Value = serde_json::from_str(&stdout(&ok(passerelle_db(&db).args([
        "show",
        "poste:assistant-medical",
        "--json",
    ]))))
    .unwrap();
    assert_eq!(json["job"]["id"], "poste:assistant-medical");
    assert_eq!(json["fiche"]["code"], "J1303");
    assert_eq!(json["poste"]["survey"], "afpa-aveyron-assistant-medical");
    let items = json["items"].as_array().unwrap();
    assert_eq!(items.len(), 38);
    assert!(
        items.iter().any(|i| i["ogr"] == 107361
            && i["label"] == "Terminologie médicale"
            && i["extra"] == false),
        "{json}"
    );
}

fn fixture(name: &str) -> PathBuf {
    repo("crates/import/tests/fixtures/postes").join(name)
}

/// Importing the fixture fails, the message names what is expected, and the
/// database is byte for byte unchanged (nothing saved from an invalid file).
fn rejected(name: &str, expected: &[&str]) {
    let db = db_with_demo();
    let before = std::fs::read(&db).unwrap();
    let err = fails(
        passerelle_db(&db)
            .args(["import", "postes"])
            .arg(fixture(name)),
    );
    assert!(err.contains(name), "le fichier n'est pas nommé : {err}");
    assert_eq!(err.trim_end().lines().count(), 1, "une seule ligne : {err}");
    for e in expected {
        assert!(err.contains(e), "« {e} » absent de : {err}");
    }
    assert_eq!(before, std::fs::read(&db).unwrap(), "la base a changé");
}

#[test]
fn unknown_ogr_code_is_refused_with_its_line() {
    rejected("unknown-ogr.toml", &["ligne 17", "999999999", "inconnu"]);
}

#[test]
fn item_outside_the_base_fiche_must_be_declared_extra() {
    // 100003 "Fonctionnement des engins agricoles" is not a J1303 item.
    rejected(
        "not-in-base.toml",
        &["ligne 16", "100003", "absent de la fiche J1303", "extra"],
    );
    let db = db_with_demo();
    let out = stdout(&ok(passerelle_db(&db)
        .args(["import", "postes"])
        .arg(fixture("extra-declared.toml"))));
    assert!(out.contains("poste:essai importé (2 items)"), "{out}");
    let shown = stdout(&ok(passerelle_db(&db).args(["show", "poste:essai"])));
    assert!(shown.contains("[extra]"), "{shown}");
}

#[test]
fn empty_selection_unknown_fiche_and_bad_slug_are_refused() {
    rejected("empty.toml", &["sélection vide"]);
    rejected(
        "unknown-fiche.toml",
        &["ligne 4", "Z9999", "fiche de base inconnue"],
    );
    rejected("bad-slug.toml", &["ligne 2", "slug", "Essai Médical"]);
}

#[test]
fn duplicate_item_and_unknown_field_are_refused_with_their_line() {
    rejected("duplicate.toml", &["ligne 19", "107361", "deux fois"]);
    rejected(
        "unknown-field.toml",
        &["ligne 14", "champ inconnu « couleur »"],
    );
}

#[test]
fn appellation_of_another_fiche_or_already_described_is_refused() {
    rejected("appellation-elsewhere.toml", &["ligne 5", "19397", "M1609"]);
    rejected(
        "appellation-taken.toml",
        &["200145", "poste:assistant-medical"],
    );
}

#[test]
fn appellation_of_the_same_fiche_without_poste_is_the_whole_fiche() {
    // 11193 "Assistant / Assistante audioprothésiste" is a J1303 appellation with no poste.
    let db = db_with_demo();
    let out = stdout(&ok(passerelle_db(&db).args(["gap", "M1609", "11193"])));
    assert!(
        out.contains("aucun profil de poste enregistré, fiche ROME J1303 entière utilisée"),
        "{out}"
    );
    assert!(
        out.contains("Orthodontie"),
        "la fiche entière garde ses savoirs : {out}"
    );
}

#[test]
fn changed_labels_are_reported_by_import_info_and_rome_reimport_never_shrunk() {
    // The file recorded 107361 as "Vocabulaire médical" (an older ROME label).
    let db = db_with_demo();
    let out = stdout(&ok(passerelle_db(&db)
        .args(["import", "postes"])
        .arg(fixture("relabelled.toml"))));
    assert!(
        out.contains(
            "attention : item 107361 « Vocabulaire médical » devenu « Terminologie médicale »"
        ),
        "{out}"
    );
    let info = stdout(&ok(passerelle_db(&db).args(["info"])));
    assert!(info.contains("poste:ancien-libelle : item 107361 « Vocabulaire médical » devenu « Terminologie médicale »"), "{info}");
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&ok(passerelle_db(&db).args(["info", "--json"])))).unwrap();
    assert_eq!(
        json["profils"]["poste_warnings"].as_array().map(Vec::len),
        Some(1),
        "{json}"
    );
    let reimport = ok(passerelle_db(&db)
        .args(["import", "rome", "--quiet"])
        .arg(data_dir().join("rome")));
    let err = String::from_utf8_lossy(&reimport.stderr);
    assert!(err.contains("poste:ancien-libelle : item 107361"), "{err}");
    let shown = stdout(&ok(
        passerelle_db(&db).args(["show", "poste:ancien-libelle"])
    ));
    assert!(
        shown.contains("Items retenus (2)"),
        "le poste n'est pas réduit : {shown}"
    );
}

/// Issue 14, rows 2 and 10: a 50 MB title (which took the server down when
/// its PDF rendered) is refused at import, as are titles and notes over
/// their documented bounds, impossible dates and malformed survey ids; a
/// 100 KB slug is not echoed whole.
#[test]
fn oversized_or_invalid_fields_are_refused_at_import() {
    let db = db_with_rome();
    let dir = temp_dir();
    let demo = std::fs::read_to_string(repo("data/postes/assistant-medical.toml")).unwrap();
    let title = "titre = \"Assistant médical / Assistante médicale\"";
    assert!(demo.contains(title));
    let cases: Vec<(&str, String, String)> = vec![
        (
            "enorme",
            demo.replace(
                title,
                &format!("titre = \"{}\"", "x".repeat(50 * 1024 * 1024)),
            ),
            "octets : un profil de poste fait au plus 1048576 octets".into(),
        ),
        (
            "titre",
            demo.replace(title, &format!("titre = \"{}\"", "é".repeat(201))),
            "champ titre : 201 caractères, au plus 200".into(),
        ),
        (
            "notes",
            demo.replacen(
                "notes = [",
                &format!("notes = [\"{}\",", "n".repeat(2001)),
                1,
            ),
            "champ notes : la note 1 a 2001 caractères, au plus 2000".into(),
        ),
        (
            "date",
            demo.replace("date = \"", "date = \"2026-02-30\" # \""),
            "champ provenance.date : « 2026-02-30 » n'est pas une date AAAA-MM-JJ".into(),
        ),
        (
            "enquete",
            demo.replace("enquete = \"", "enquete = \"<script>\" # \""),
            "champ enquete : identifiant « <script> » invalide".into(),
        ),
        (
            "slug",
            demo.replace(
                "slug = \"assistant-medical\"",
                &format!("slug = \"{}\"", "a".repeat(100_000)),
            ),
            "80 caractères au plus".into(),
        ),
    ];
    for (name, text, expected) in cases {
        let path = dir.path().join(format!("{name}.toml"));
        std::fs::write(&path, text).unwrap();
        let err = fails(passerelle_db(&db).args(["import", "postes"]).arg(&path));
        assert!(
            err.starts_with("erreur : ") && err.contains(&expected),
            "{name}: {}",
            &err[..err.len().min(400)]
        );
        assert_eq!(err.trim_end().lines().count(), 1, "{name}");
        assert!(
            err.len() < 1_000,
            "{name} : message de {} octets",
            err.len()
        );
    }
}
