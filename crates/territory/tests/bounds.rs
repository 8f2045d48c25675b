//! Issue 14, row 10: territorial CSV files that used to be read silently
//! wrong — a Windows-1252 export decoded by guess, a repeated tension row
//! summed twice, an empty file reported as a missing column — are refused
//! with the file, the line and what to do.

use std::collections::BTreeMap;

use passerelle_core::DeptCode;
use passerelle_core::territory::records::{BassinMap, TENSION_YEAR};
use passerelle_territory::formations::read_formations;
use passerelle_territory::tension::read_tension;

#[test]
fn a_non_utf8_csv_is_refused_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("latin1.csv");
    let header = "id;intitule;organisme;ville;code_postal;departement;duree_heures;modalites;rythme;public;prerequis;modalites_acces;rncp;formacodes;codes_rome;debut;fin";
    let mut bytes = format!("{header}\nF1;Secr").into_bytes();
    bytes.push(0xE9); // « é » in Windows-1252
    bytes.extend_from_slice(b"taire;Org;Montpellier;34000;;;;;;;;;;J1303;;\n");
    std::fs::write(&path, bytes).unwrap();
    let e = read_formations(&path).unwrap_err().to_string();
    assert!(
        e.contains("ligne 2")
            && e.contains("non encodé en UTF-8 (octet 0xE9 invalide)")
            && e.contains("iconv"),
        "{e}"
    );
}

#[test]
fn an_empty_csv_says_it_is_empty() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vide.csv");
    std::fs::write(&path, "\n").unwrap();
    let e = read_formations(&path).unwrap_err().to_string();
    assert!(e.contains("fichier vide") && !e.contains("colonne"), "{e}");
}

#[test]
fn a_repeated_tension_row_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tension.csv");
    let row = format!("{TENSION_YEAR};J1303;7601;10;20");
    std::fs::write(
        &path,
        format!("annee;ROME;cbassin;oee;defm_abc\n{row}\n{row}\n"),
    )
    .unwrap();
    let bassins = BassinMap {
        main: BTreeMap::from([("7601".to_string(), (DeptCode::parse("34").unwrap(), false))]),
        per_dept: BTreeMap::new(),
    };
    let e = read_tension(&path, &bassins).unwrap_err().to_string();
    assert!(
        e.contains("ligne 3") && e.contains("ligne en double : bassin 7601 et ROME J1303"),
        "{e}"
    );
}
