//! `passerelle import territoire`, `import formations`, `territoire` (issue 5).

use std::path::Path;

use crate::common::*;

#[test]
fn import_territoire_prints_a_summary() {
    let db = db_with_rome();
    let out = stdout(&ok(passerelle_db(&db).args(["import", "territoire"])));
    assert!(out.contains("101 départements"), "{out}");
    assert!(
        out.contains("Enquête BMO 2025 : 50\u{202f}076 lignes"),
        "{out}"
    );
    assert!(out.contains("sans taux : 976 Mayotte"), "{out}");
    assert!(
        out.contains("1\u{202f}511 fiches rattachées, 73 sans métier BMO"),
        "{out}"
    );
    assert!(
        out.contains("Export XML RNCP/RS (flux 4.1) : 20 fiches"),
        "{out}"
    );
}

#[test]
fn herault_assistant_medical_text() {
    let db = db_with_territory();
    ok(passerelle_db(&db)
        .args(["import", "formations", "--quiet"])
        .arg(repo_file("data/territoire/formations_herault_demo.xml")));
    let out = stdout(&ok(passerelle_db(&db).args([
        "territoire",
        "34",
        "--rome",
        "j1303",
    ])));
    for expected in [
        "Hérault (34), région Occitanie",
        "Population : 1\u{202f}230\u{202f}289 (Insee, populations légales 2023)",
        "Taux de chômage : 10,4\u{202f}% (Insee, taux de chômage localisés (moyenne annuelle) 2023)",
        "Métier BMO (FAP 2021) : V3X70 « Techniciens médicaux et préparateurs »",
        "Projets de recrutement : 101 (France Travail, enquête BMO 2025)",
        "dont projets jugés difficiles : au moins 63 (secret statistique)",
        "dont projets saisonniers : au moins 24 (secret statistique)",
        "Offres d'emploi enregistrées : 390",
        "2 bassins d'emploi sur 6",
        "8623Z Pratique dentaire",
        "CQP assistant médical",
        "RNCP36358",
        "Offre de formation dans le département : 2",
        "Keyce Academy, Mauguio, 279 h, alternance / formation continue",
        "Infrep, Montpellier, 279 h",
        "Rythme : Alternance de 8 mois à raison de 2 jours/semaine",
        "bloc 1 77 h, bloc 2 98 h, bloc 3 35 h, bloc 4 56 h + évaluation 13 h = 279 h",
        "Sources :",
    ] {
        assert!(out.contains(expected), "« {expected} » absent de :\n{out}");
    }
    // Secret cells are never shown as 0.
    assert!(!out.contains("difficiles : 0"), "{out}");
}

#[test]
fn json_context_has_stable_keys() {
    let db = db_with_territory();
    let out = stdout(&ok(passerelle_db(&db).args([
        "territoire",
        "034",
        "--rome",
        "M1609",
        "--json",
    ])));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["departement"]["code"], "34");
    assert_eq!(v["population"]["status"], "value");
    assert_eq!(v["population"]["value"], 1_230_289.0);
    assert_eq!(v["population"]["source"]["year"], 2023);
    assert_eq!(v["chomage"]["value"], 10.4);
    let m = &v["metier"];
    assert_eq!(m["code_rome"], "M1609");
    assert_eq!(m["bmo"]["code_bmo"], "L0X60");
    assert_eq!(
        m["bmo"]["libelle_bmo"],
        "Secrétaires bureautiques et assimilés"
    );
    assert!(
        m["bmo"]["projets"]["status"] == "value" || m["bmo"]["projets"]["status"] == "at_least"
    );
    assert!(m["formations"]["items"].as_array().unwrap().is_empty());
    assert_eq!(
        m["formations"]["note"],
        "non disponible : aucune offre de formation importée pour ce métier dans le département"
    );
    assert!(m["cqp"].is_null());
}

#[test]
fn mayotte_unemployment_is_not_available() {
    let db = db_with_territory();
    let out = stdout(&ok(passerelle_db(&db).args(["territoire", "976"])));
    assert!(out.contains("Mayotte (976)"), "{out}");
    assert!(out.contains("Taux de chômage : non disponible"), "{out}");
    assert!(
        out.contains("Insee, recensement de la population 2017"),
        "{out}"
    );
}

#[test]
fn inherited_figures_are_labelled() {
    let db = db_with_territory();
    // J1312 (assistant dentaire) descends from the ROME v3 code J1303.
    let out = stdout(&ok(passerelle_db(&db).args([
        "territoire",
        "34",
        "--rome",
        "J1312",
    ])));
    assert!(out.contains("(code parent ROME v3 : J1303)"), "{out}");
    assert!(out.contains("hérité du code parent J1303"), "{out}");
}

#[test]
fn unknown_departement_is_a_clear_error() {
    let db = db_with_territory();
    let err = fails(passerelle_db(&db).args(["territoire", "99"]));
    assert!(err.contains("département inconnu « 99 »"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    let err = fails(passerelle_db(&db).args(["territoire", "34", "--rome", "Z9999"]));
    assert!(err.contains("fiche ROME Z9999 inconnue"), "{err}");
}

#[test]
fn territoire_before_import_says_what_to_run() {
    let db = db_with_rome();
    let err = fails(passerelle_db(&db).args(["territoire", "34"]));
    assert!(err.contains("passerelle import territoire"), "{err}");
}

#[test]
fn malformed_lheo_gives_line_and_column_and_keeps_the_offer() {
    let db = db_with_territory();
    ok(passerelle_db(&db)
        .args(["import", "formations", "--quiet"])
        .arg(repo_file("data/territoire/formations_herault_demo.xml")));
    let dir = temp_dir();
    let bad = dir.path().join("offre.xml");
    std::fs::write(&bad, "<?xml version=\"1.0\"?>\n<lheo>\n  <offres>\n    <formation numero=\"x\">\n      <intitule-formation>X</titre>\n").unwrap();
    let err = fails(passerelle_db(&db).args(["import", "formations"]).arg(&bad));
    assert!(err.contains("offre.xml, ligne 5, colonne"), "{err}");
    assert!(err.contains("base inchangée"), "{err}");
    let out = stdout(&ok(passerelle_db(&db).args([
        "territoire",
        "34",
        "--rome",
        "J1303",
    ])));
    assert!(
        out.contains("Offre de formation dans le département : 2"),
        "{out}"
    );
}

#[test]
fn csv_training_offer_alternative() {
    let db = db_with_territory();
    let dir = temp_dir();
    let csv = dir.path().join("offre.csv");
    std::fs::write(
        &csv,
        "id;intitule;organisme;ville;code_postal;departement;duree_heures;modalites;rythme;public;prerequis;modalites_acces;rncp;formacodes;codes_rome;debut;fin\n\
         F1;CQP Assistant médical;Infrep;Montpellier;34000;;279;alternance | formation continue;;;Niveau 4;;36358;43401;J1303;;\n",
    )
    .unwrap();
    let out = stdout(&ok(passerelle_db(&db)
        .args(["import", "formations"])
        .arg(&csv)));
    assert!(out.contains("1 offre(s) de formation importée(s)"), "{out}");
    assert!(out.contains("Infrep, Montpellier (34), 279 h"), "{out}");
    let out = stdout(&ok(passerelle_db(&db).args([
        "territoire",
        "34",
        "--rome",
        "J1303",
    ])));
    assert!(
        out.contains("Offre de formation dans le département : 1"),
        "{out}"
    );
}

/// A copy of the territory directory (symbolic links) with one file replaced.
fn territory_with(file: &str, content: &str) -> tempfile::TempDir {
    let src = data_dir().join("territory");
    let dst = temp_dir();
    fn link(src: &Path, dst: &Path) {
        for e in std::fs::read_dir(src).unwrap().flatten() {
            let (s, d) = (e.path(), dst.join(e.file_name()));
            if s.is_dir() {
                std::fs::create_dir_all(&d).unwrap();
                link(&s, &d);
            } else {
                std::os::unix::fs::symlink(&s, &d).unwrap();
            }
        }
    }
    link(&src, dst.path());
    let target = dst.path().join(file);
    std::fs::remove_file(&target).unwrap();
    std::fs::write(&target, content).unwrap();
    dst
}

#[test]
fn failed_territory_import_leaves_the_database_unchanged() {
    let db = db_with_territory();
    let before = stdout(&ok(passerelle_db(&db).args(["territoire", "34", "--json"])));
    let bad = territory_with(
        "insee_chomage/chomage_departemental_INSEE.csv",
        "codeDepartement;libelleDepartement;rentreeScolaire;tauxChomage\n034;HERAULT;2024;3,1\n001;AIN;2024;abc\n",
    );
    let err = fails(
        passerelle_db(&db)
            .args(["import", "territoire"])
            .arg(bad.path()),
    );
    assert!(
        err.contains("chomage_departemental_INSEE.csv, ligne 3 : taux invalide « abc »"),
        "{err}"
    );
    assert!(err.contains("base inchangée"), "{err}");
    let after = stdout(&ok(passerelle_db(&db).args(["territoire", "34", "--json"])));
    assert_eq!(before, after);
    assert!(after.contains("10.4"), "{after}");
}

/// The JSON contract the documents and the web render (docs/territoire.md).
#[test]
fn herault_assistant_medical_json_snapshot() {
    let db = db_with_territory();
    ok(passerelle_db(&db)
        .args(["import", "formations", "--quiet"])
        .arg(repo_file("data/territoire/formations_herault_demo.xml")));
    let out = stdout(&ok(passerelle_db(&db).args([
        "territoire",
        "34",
        "--rome",
        "J1303",
        "--json",
    ])));
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    insta::assert_json_snapshot!("territoire_34_j1303_json", json);
}

#[test]
fn certifications_show_the_blocs_of_the_imported_rncp_export() {
    let db = db_with_territory();
    let out = stdout(&ok(passerelle_db(&db).args([
        "territoire",
        "34",
        "--rome",
        "M1805",
    ])));
    assert!(out.contains("RNCP37674"), "{out}");
    assert!(out.contains("RNCP37674BC01"), "{out}");
    assert!(
        out.contains("Fiches RNCP/RS de l'export France compétences importé"),
        "{out}"
    );
    assert!(
        out.contains("France compétences, répertoires RNCP et RS (export XML, flux 4.1)"),
        "{out}"
    );
}
