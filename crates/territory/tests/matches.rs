//! The shipped ROME → BMO correspondence and the La Bonne Boîte sectors
//! checked against the official files (issue 24, "matches that hold"): no
//! match across qualification levels is shown as a fact, and no sector
//! outside the fiche's NAF divisions is listed.

use std::collections::BTreeMap;

use passerelle_core::territory::context::fitting_sectors;
use passerelle_core::territory::records::RomeBmo;
use passerelle_territory::import::files;
use passerelle_territory::labonneboite::read_rome_naf;
use passerelle_territory::rome_bmo::shipped;
use passerelle_test_support::{referential_v460, territory_dir};

/// `Code FAP 228` → its label, from the DARES nomenclature (the BMO métier
/// codes are FAP 228 codes).
fn fap_labels() -> BTreeMap<String, String> {
    let path = territory_dir().join("france_travail/bmo_2025/dares_nomenclature_fap2021.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (code, label) = (col("Code FAP 228"), col("Intitulé FAP 228"));
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[code].to_string(), r[label].to_string())
        })
        .collect()
}

#[derive(Debug, PartialEq)]
enum Level {
    Cadre,
    NonCadre,
}

/// A coarse level read from the first word of a FAP label, independent of
/// the script's patterns so that it checks them: `None` when the first word
/// does not say (mixed labels such as « Cadres et techniciens… » included).
fn coarse_level(label: &str) -> Option<Level> {
    let l = label.to_lowercase();
    let mixed = [
        "technicien",
        "employé",
        "ouvrier",
        "maîtres",
        "indépendants",
    ];
    if l.contains("non cadre") {
        return Some(Level::NonCadre);
    }
    let first = l.split([' ', ',']).next().unwrap_or("");
    match first {
        "cadres" | "ingénieurs" | "médecins" | "dentistes" | "vétérinaires" | "pharmaciens"
        | "dirigeants" | "juristes" | "architectes" | "chercheurs" | "managers" | "patrons"
            if !mixed.iter().any(|m| l.contains(m)) =>
        {
            Some(Level::Cadre)
        }
        "techniciens" | "employés" | "ouvriers" | "ouviers" | "agents" | "aides" | "vendeurs"
        | "caissiers" | "secrétaires" | "conducteurs" | "manutentionnaires" | "magasiniers"
            if !l.contains("cadre") && !l.contains("ingénieur") =>
        {
            Some(Level::NonCadre)
        }
        _ => None,
    }
}

fn get<'a>(all: &'a [RomeBmo], code: &str) -> &'a RomeBmo {
    all.iter().find(|m| m.rome.as_str() == code).unwrap()
}

#[test]
fn h1523_is_no_longer_a_technicien_family_without_qualifier() {
    let all = shipped();
    let labels = fap_labels();
    let h = get(&all, "H1523");
    let bmo = h.bmo.as_deref().unwrap();
    // Was H0X90 « Techniciens du contrôle qualité » (domaine H15 default).
    assert_eq!(bmo, "H1X91", "{h:?}");
    assert_eq!(
        coarse_level(&labels[bmo]),
        Some(Level::Cadre),
        "{}",
        labels[bmo]
    );
    assert!(!h.approchee(), "{h:?}");
    assert!(h.justification.contains("niveau corrigé"), "{h:?}");
}

#[test]
fn no_match_crosses_qualification_levels_without_qualifier() {
    let all = shipped();
    let labels = fap_labels();
    let referential = referential_v460();
    let mut checked = 0;
    let mut wrong = Vec::new();
    for f in &referential.fiches {
        let m = get(&all, f.code.as_str());
        let Some(bmo) = m.bmo.as_deref() else {
            continue;
        };
        let label = &labels[bmo];
        let crosses = match (f.tags.emploi_cadre, coarse_level(label)) {
            (Some(true), Some(Level::NonCadre)) | (Some(false), Some(Level::Cadre)) => true,
            (Some(_), Some(_)) => false,
            _ => continue,
        };
        checked += 1;
        if crosses && !m.approchee() {
            wrong.push(format!("{} « {} » → {bmo} « {label} »", f.code, f.title));
        }
    }
    assert!(checked > 700, "{checked}");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // The reverse: a qualifier only where the levels do cross (or the label is mixed).
    let approchees = all.iter().filter(|m| m.approchee()).count();
    assert!((150..300).contains(&approchees), "{approchees}");
}

#[test]
fn j1303_sectors_keep_only_the_fiche_naf_divisions() {
    let rows = read_rome_naf(&territory_dir().join(files::ROME_NAF)).unwrap();
    let j1303: Vec<_> = rows
        .into_iter()
        .filter(|r| r.rome.as_str() == "J1303")
        .collect();
    let mut all: Vec<&str> = j1303.iter().map(|r| r.naf.as_str()).collect();
    all.sort();
    assert_eq!(all, ["6619A", "8219Z", "8623Z"]);
    let fiche = referential_v460()
        .fiches
        .iter()
        .find(|f| f.code.as_str() == "J1303")
        .unwrap();
    let divisions: Vec<String> = fiche.secteurs_naf.iter().map(|l| l.code.clone()).collect();
    assert_eq!(divisions, ["86"]);
    let fit = fitting_sectors(&j1303, &divisions);
    let kept: Vec<&str> = fit.kept.iter().map(|r| r.naf.as_str()).collect();
    let mut dropped: Vec<&str> = fit.dropped.iter().map(|r| r.naf.as_str()).collect();
    dropped.sort();
    assert_eq!(kept, ["8623Z"]);
    assert_eq!(dropped, ["6619A", "8219Z"]);
}
