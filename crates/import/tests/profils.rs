//! The surveyed-profiles CSV (`passerelle import profils`), against the
//! hand-made ROME set `tests/fixtures/rome_min` (fiches J1303 and M1609,
//! appellation 200145): the shipped seed file, and one test per bad input
//! with the exact line and field the message names.

use std::path::Path;
use std::sync::OnceLock;

use passerelle_core::transversal::{Competency, Provenance, SurveyTarget};
use passerelle_core::{OgrCode, Referential};
use passerelle_import::profils::{parse_surveys, read_surveys};

fn referential() -> &'static Referential {
    static R: OnceLock<Referential> = OnceLock::new();
    R.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rome_min");
        let import =
            passerelle_import::rome::read(&dir, &mut |_| {}).unwrap_or_else(|e| panic!("{e}"));
        Referential::new(import.data)
    })
}

const HEADER: &str = "cible,competence,niveau,etoiles,enquete,source,date,territoire,population\n";
const GOOD: &str = "M1609,Communiquer,2,4,test,Test,2025,34,débutant\n";

fn error(body: &str) -> String {
    match parse_surveys("p.csv", &format!("{HEADER}{body}"), referential()) {
        Ok(s) => panic!("accepté à tort : {s:?}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn the_seed_file_is_the_assistant_medical_survey_of_seed_000() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../data/profils/assistant-medical-aveyron.csv");
    let surveys = read_surveys(&path, referential()).unwrap();
    assert_eq!(surveys.len(), 1);
    let s = &surveys[0];
    assert_eq!(
        s.target,
        SurveyTarget::Appellation(OgrCode::new(200145)),
        "l'appellation, pas toute la fiche J1303"
    );
    let Provenance::Enquete {
        id,
        source,
        territory,
        population,
        ..
    } = &s.profile.provenance
    else {
        panic!("provenance")
    };
    assert_eq!(id, "afpa-aveyron-assistant-medical");
    assert!(
        source.starts_with("AFPA Évolution 21, enquête Aveyron"),
        "{source}"
    );
    assert_eq!(
        (territory.as_deref(), population.as_deref()),
        (Some("12"), Some("débutant"))
    );
    // transversal.md's table: (stars, level) in nomenclature order; 0/0 = not used.
    let expected = [
        (5, 1),
        (5, 2),
        (4, 2),
        (3, 1),
        (4, 1),
        (0, 0),
        (4, 1),
        (5, 2),
        (3, 2),
        (3, 3),
        (4, 2),
        (3, 3),
        (5, 2),
        (0, 0),
    ];
    for (c, (stars, level)) in Competency::ALL.into_iter().zip(expected) {
        assert_eq!(
            (s.profile.get(c).stars(), s.profile.get(c).level()),
            (stars, level),
            "{c}"
        );
    }
}

#[test]
fn columns_may_come_in_any_order_and_names_are_tolerant() {
    let text = "population,enquete,cible,competence,niveau,etoiles,source,date,territoire\n\
                débutant,x,200145,EVALUER ACTIONS,2,3,Test,2024-05,12\n\
                débutant,x,200145,Mettre en oeuvre une demarche de resolution de probleme,3,3,Test,2024-05,12\n";
    let s = parse_surveys("p.csv", text, referential()).unwrap();
    assert_eq!(s[0].profile.get(Competency::EvaluerActions).level(), 2);
    assert_eq!(s[0].profile.get(Competency::ResolutionProbleme).stars(), 3);
    assert_eq!(
        s[0].profile.get(Competency::Communiquer).stars(),
        0,
        "absente = non mobilisée"
    );
}

#[test]
fn several_surveys_of_one_job_coexist() {
    let s = parse_surveys(
        "p.csv",
        &format!("{HEADER}{GOOD}M1609,Communiquer,3,5,autre,Test,2024,12,confirmé\n"),
        referential(),
    )
    .unwrap();
    assert_eq!(s.len(), 2);
}

#[test]
fn unknown_competency_names_line_field_and_closest() {
    let e = error(&format!(
        "{GOOD}M1609,Comuniquer bien,2,4,test,Test,2025,34,débutant\n"
    ));
    assert_eq!(
        e,
        "p.csv, ligne 3 : champ competence : « Comuniquer bien » n'est pas une des 14 compétences transversales (vouliez-vous dire « Communiquer » ?)"
    );
    let e = error("M1609,Travailler en équipe,2,4,test,Test,2025,34,débutant\n");
    assert!(
        e.contains("vouliez-vous dire « Travailler et coopérer au sein d'un collectif » ?"),
        "{e}"
    );
}

#[test]
fn level_and_stars_out_of_range_or_inconsistent() {
    let row = |l: &str, s: &str| {
        format!("{GOOD}M1609,Organiser ses actions,{l},{s},test,Test,2025,34,débutant\n")
    };
    assert_eq!(
        error(&row("5", "4")),
        "p.csv, ligne 3 : champs niveau/etoiles : niveau 5 hors de l'échelle 0 à 4"
    );
    assert_eq!(
        error(&row("2", "6")),
        "p.csv, ligne 3 : champs niveau/etoiles : 6 étoiles hors de l'échelle 0 à 5"
    );
    assert!(error(&row("0", "3")).contains("3 étoiles avec un niveau 0"));
    assert!(error(&row("2", "0")).contains("niveau 2 avec 0 étoile"));
    assert_eq!(
        error(&row("-1", "3")),
        "p.csv, ligne 3 : champ niveau : « -1 » n'est pas un entier"
    );
    assert_eq!(
        error(&row("2", "trois")),
        "p.csv, ligne 3 : champ etoiles : « trois » n'est pas un entier"
    );
}

#[test]
fn duplicate_row() {
    assert!(
        error(&format!("{GOOD}{GOOD}"))
            .starts_with("p.csv, ligne 3 : ligne en double : « Communiquer »")
    );
    // The same competency under another spelling is a duplicate too.
    let e = error(&format!(
        "{GOOD}M1609,COMMUNIQUER,3,4,test,Test,2025,34,débutant\n"
    ));
    assert!(e.contains("ligne 3 : ligne en double"), "{e}");
}

#[test]
fn unknown_rome_code_or_appellation() {
    assert_eq!(
        error(&format!(
            "{GOOD}Z9999,Organiser ses actions,2,4,test,Test,2025,34,débutant\n"
        )),
        "p.csv, ligne 3 : champ cible : code ROME inconnu « Z9999 »"
    );
    assert_eq!(
        error("999999,Organiser ses actions,2,4,test,Test,2025,34,débutant\n"),
        "p.csv, ligne 2 : champ cible : appellation inconnue « 999999 »"
    );
    assert!(
        error("assistant,Communiquer,2,4,test,Test,2025,34,débutant\n")
            .contains("ni un code ROME ni un code OGR")
    );
}

#[test]
fn missing_unknown_or_repeated_column() {
    let e = parse_surveys("p.csv", "cible,competence,niveau,enquete,source,date,territoire,population\nM1609,Communiquer,2,e,T,2025,34,x\n", referential())
        .unwrap_err()
        .to_string();
    assert!(
        e.starts_with("p.csv, ligne 1 (en-tête) : colonne « etoiles » manquante"),
        "{e}"
    );
    let e = parse_surveys(
        "p.csv",
        &HEADER.replace("territoire", "region"),
        referential(),
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("colonne « region » inconnue"), "{e}");
    let e = parse_surveys(
        "p.csv",
        &HEADER.replace("population", "niveau"),
        referential(),
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("colonne « niveau » en double"), "{e}");
}

#[test]
fn survey_metadata_is_checked() {
    assert!(error("M1609,Communiquer,2,4,,Test,2025,34,x\n").contains("ligne 2 : champ enquete"));
    assert!(
        error("M1609,Communiquer,2,4,a b,Test,2025,34,x\n")
            .contains("identifiant « a b » invalide")
    );
    assert!(
        error("M1609,Communiquer,2,4,t,,2025,34,x\n")
            .contains("ligne 2 : champ source : obligatoire")
    );
    assert!(
        error("M1609,Communiquer,2,4,t,T,12/05/2025,34,x\n")
            .contains("champ date : « 12/05/2025 »")
    );
    assert!(error("M1609,Communiquer,2,4,t,T,2025-13,34,x\n").contains("champ date"));
    let e = error(&format!(
        "{GOOD}M1609,Organiser ses actions,2,4,test,Test,2025,12,débutant\n"
    ));
    assert!(e.contains("ligne 3 : l'enquête test change de cible, de source, de date, de territoire ou de population"), "{e}");
}

#[test]
fn malformed_or_empty_files() {
    let e = error("M1609,Communiquer,2,4,test\n");
    assert!(
        e.starts_with("p.csv, ligne 2 : ligne CSV mal formée"),
        "{e}"
    );
    assert_eq!(
        parse_surveys("p.csv", HEADER, referential())
            .unwrap_err()
            .to_string(),
        "p.csv : aucun profil dans le fichier"
    );
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("latin1.csv");
    std::fs::write(&p, b"cible,comp\xe9tence\n").unwrap();
    assert!(
        read_surveys(&p, referential())
            .unwrap_err()
            .to_string()
            .contains("n'est pas en UTF-8")
    );
}

/// Row 10 of issue 14: an empty file says so (not "colonne manquante"), a
/// hostile value is not echoed whole, long texts are refused, and a file
/// over the size cap is refused before being read.
#[test]
fn bounded_inputs_are_refused_with_a_clear_line() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("vide.csv");
    std::fs::write(&empty, b"").unwrap();
    let e = read_surveys(&empty, referential()).unwrap_err().to_string();
    assert!(e.contains("fichier vide (attendu un en-tête"), "{e}");
    let long_id = "x".repeat(100_000);
    let e = error(&format!(
        "M1609,Communiquer,2,4,{long_id},Test,2025,34,débutant\n"
    ));
    assert!(
        e.contains("champ enquete") && e.len() < 300,
        "{}",
        &e[..e.len().min(300)]
    );
    let e = error(&format!(
        "M1609,Communiquer,2,4,test,{},2025,34,débutant\n",
        "s".repeat(301)
    ));
    assert!(
        e.contains("champ source : 301 caractères, au plus 300"),
        "{e}"
    );
    // A sparse file of 20 MiB: refused by its size, without being read.
    let big = dir.path().join("gros.csv");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(20 * 1024 * 1024)
        .unwrap();
    let e = read_surveys(&big, referential()).unwrap_err().to_string();
    assert!(e.contains("au-delà de la limite de 16777216 octets"), "{e}");
    // Streaming: an error on line 2 of a 10 MB file is found, line named.
    let mut body = format!("{HEADER}M1609,Communiquer,2,4,test,Test,2025\n");
    while body.len() < 10_000_000 {
        body.push_str(GOOD);
    }
    let streamed = dir.path().join("long.csv");
    std::fs::write(&streamed, body).unwrap();
    let e = read_surveys(&streamed, referential())
        .unwrap_err()
        .to_string();
    assert!(e.contains("ligne 2 : ligne CSV mal formée"), "{e}");
}
