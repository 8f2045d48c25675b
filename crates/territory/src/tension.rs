//! Job offers and job seekers by bassin d'emploi × ROME (2021 subset from
//! Mobiville, `cities-tension-utf8.csv`), aggregated to départements.
//!
//! Rule for bassins spanning several départements (20 of 403): a bassin is
//! attributed **wholly** to the département that holds most of its communes
//! in `lexique-bassins.csv` (ties: the smallest code). Figures are never split
//! or extrapolated; the number of bassins present is kept so that the figure
//! can say its coverage.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use passerelle_core::territory::records::{BassinMap, TENSION_YEAR, TensionDept, TensionReport};
use passerelle_core::{DeptCode, RomeCode};

use crate::error::Result;
use crate::table::{Table, fr_f64};

/// Reads `lexique-bassins.csv` (commune → BE19 bassin).
pub fn read_bassins(path: &Path) -> Result<BassinMap> {
    let table = Table::open(path, b',')?;
    let (c_dep, c_be) = (table.col("DEP")?, table.col("BE19")?);
    let mut counts: BTreeMap<String, BTreeMap<DeptCode, u32>> = BTreeMap::new();
    table.for_each(|r| {
        let dept = DeptCode::parse(r.get(c_dep)).map_err(|e| e.to_string())?;
        let be = r.get(c_be);
        if be.is_empty() {
            return Err("code de bassin BE19 vide".into());
        }
        *counts
            .entry(be.to_string())
            .or_default()
            .entry(dept)
            .or_insert(0) += 1;
        Ok(())
    })?;
    let mut map = BassinMap::default();
    for (be, depts) in counts {
        // max_by_key keeps the last maximum; iterate in reverse so ties go to the smallest code.
        let (&main, _) = depts
            .iter()
            .rev()
            .max_by_key(|(_, n)| **n)
            .expect("non-empty");
        map.main.insert(be, (main, depts.len() > 1));
        *map.per_dept.entry(main).or_insert(0) += 1;
    }
    Ok(map)
}

pub fn read_tension(path: &Path, bassins: &BassinMap) -> Result<(Vec<TensionDept>, TensionReport)> {
    let table = Table::open(path, b';')?;
    let (c_year, c_rome, c_be, c_oee, c_defm) = (
        table.col("annee")?,
        table.col("ROME")?,
        table.col("cbassin")?,
        table.col("oee")?,
        table.col("defm_abc")?,
    );
    let mut agg: BTreeMap<(DeptCode, RomeCode), TensionDept> = BTreeMap::new();
    let mut report = TensionReport::default();
    let mut unknown = BTreeSet::new();
    let mut seen = BTreeSet::new();
    report.rows = table.for_each(|r| {
        // A repeated (bassin, ROME) row would be summed twice, silently.
        if !seen.insert((r.get(c_be).to_string(), r.get(c_rome).to_string())) {
            return Err(format!(
                "ligne en double : bassin {} et ROME {} déjà lus",
                r.get(c_be),
                r.get(c_rome)
            ));
        }
        let year = r.get(c_year);
        if year != TENSION_YEAR.to_string() {
            return Err(format!("année {year} inattendue (attendu {TENSION_YEAR})"));
        }
        let rome = RomeCode::parse(r.get(c_rome)).map_err(|e| e.to_string())?;
        let oee =
            fr_f64(r.get(c_oee)).ok_or_else(|| format!("oee invalide « {} »", r.get(c_oee)))?;
        let defm = fr_f64(r.get(c_defm))
            .ok_or_else(|| format!("defm_abc invalide « {} »", r.get(c_defm)))?;
        let be = r.get(c_be);
        let Some(&(dept, _)) = bassins.main.get(be) else {
            unknown.insert(be.to_string());
            report.rows_unattributed += 1;
            return Ok(());
        };
        let e = agg.entry((dept, rome)).or_insert(TensionDept {
            dept,
            rome,
            offres: 0.0,
            demandeurs: 0.0,
            bassins: 0,
        });
        e.offres += oee;
        e.demandeurs += defm;
        e.bassins += 1;
        Ok(())
    })?;
    report.unknown_bassins = unknown.into_iter().collect();
    Ok((agg.into_values().collect(), report))
}
