//! France Travail "Besoins en Main-d'Œuvre" survey, read from the official
//! `.xlsx` as published (calamine), aggregated from bassins d'emploi to
//! départements.
//!
//! Secret cells (`*`) are never read as 0: a sum keeps the count of secret
//! cells and is shown as "au moins N (secret statistique)".

use std::collections::BTreeMap;
use std::path::Path;

use calamine::{Data, Reader, Xlsx, open_workbook};
use passerelle_core::DeptCode;

use crate::error::{Result, TerritoryError};
use passerelle_core::territory::figure::{Cell, SecretCount};
use passerelle_core::territory::records::{Bmo, BmoDept, BmoMetier};

/// The data sheet of `Base_open_data_BMO_2025.xlsx`.
pub const SHEET: &str = "BMO_2025_open_data";

const COLUMNS: [&str; 9] = [
    "annee",
    "Code métier BMO",
    "Nom métier BMO",
    "Famille_met",
    "Lbl_fam_met",
    "Dept",
    "met",
    "xmet",
    "smet",
];

pub fn read_bmo_xlsx(path: &Path) -> Result<Bmo> {
    let mut wb: Xlsx<_> = open_workbook(path)
        .map_err(|e| TerritoryError::file(path, format!("classeur illisible : {e}")))?;
    let range = wb
        .worksheet_range(SHEET)
        .map_err(|e| TerritoryError::file(path, format!("feuille « {SHEET} » illisible : {e}")))?;
    let mut rows = range.rows();
    let header: Vec<String> = rows
        .next()
        .ok_or_else(|| TerritoryError::file(path, format!("feuille « {SHEET} » vide")))?
        .iter()
        .map(|c| cell_text(c).trim().to_string())
        .collect();
    let mut idx = [0usize; 9];
    for (i, name) in COLUMNS.iter().enumerate() {
        idx[i] = header.iter().position(|h| h == name).ok_or_else(|| {
            TerritoryError::line(
                path,
                1,
                format!("colonne « {name} » absente de la feuille {SHEET}"),
            )
        })?;
    }
    let mut metiers: BTreeMap<String, BmoMetier> = BTreeMap::new();
    let mut agg: BTreeMap<(DeptCode, String), BmoDept> = BTreeMap::new();
    let mut year = None;
    let mut n = 0;
    for (i, row) in rows.enumerate() {
        let line = i as u64 + 2;
        let get = |k: usize| row.get(idx[k]).map(cell_text).unwrap_or_default();
        let code = get(1).trim().to_string();
        if code.is_empty() {
            continue;
        }
        let err = |m: String| TerritoryError::line(path, line, m);
        let y: u16 = get(0)
            .trim()
            .parse()
            .map_err(|_| err(format!("année invalide « {} »", get(0))))?;
        if *year.get_or_insert(y) != y {
            return Err(err(format!(
                "plusieurs années dans la feuille ({} et {y})",
                year.unwrap_or(y)
            )));
        }
        let dept = DeptCode::parse(&get(5)).map_err(|e| err(e.to_string()))?;
        metiers.entry(code.clone()).or_insert_with(|| BmoMetier {
            code: code.clone(),
            libelle: get(2).trim().to_string(),
            famille_code: get(3).trim().to_string(),
            famille_libelle: get(4).trim().to_string(),
        });
        let cells = [6, 7, 8].map(|k| parse_cell(&get(k)));
        let [met, xmet, smet] = match cells {
            [Some(a), Some(b), Some(c)] => [a, b, c],
            _ => {
                let bad = [6, 7, 8]
                    .into_iter()
                    .find(|&k| parse_cell(&get(k)).is_none())
                    .unwrap_or(6);
                return Err(err(format!(
                    "colonne {} : valeur invalide « {} »",
                    COLUMNS[bad],
                    get(bad)
                )));
            }
        };
        let e = agg.entry((dept, code.clone())).or_insert_with(|| BmoDept {
            dept,
            code,
            projets: SecretCount::default(),
            difficiles: SecretCount::default(),
            saisonniers: SecretCount::default(),
            bassins: 0,
        });
        e.projets.add(met);
        e.difficiles.add(xmet);
        e.saisonniers.add(smet);
        e.bassins += 1;
        n += 1;
    }
    let year = year.ok_or_else(|| TerritoryError::file(path, "aucune ligne de données"))?;
    Ok(Bmo {
        year,
        metiers: metiers.into_values().collect(),
        by_dept: agg.into_values().collect(),
        rows: n,
    })
}

fn cell_text(c: &Data) -> String {
    match c {
        Data::String(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

/// `"*"` is a secret cell; otherwise a non-negative whole number.
pub fn parse_cell(s: &str) -> Option<Cell> {
    let t = s.trim();
    if t == "*" {
        return Some(Cell::Secret);
    }
    t.parse::<u64>().ok().map(Cell::Value)
}
