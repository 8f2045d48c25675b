//! INSEE localised unemployment rates by département (`chomage_departemental_INSEE.csv`).
//!
//! Quirks handled: 3-digit département codes (`034`), decimal commas, a few
//! bare integers (`8`), upper-case names in 2023. Mayotte has no row: its rate
//! stays unavailable.

use std::path::Path;

use passerelle_core::DeptCode;
use passerelle_core::territory::records::UnemploymentRate;

use crate::error::Result;
use crate::table::{Table, fr_f64};

pub fn read_unemployment(path: &Path) -> Result<Vec<UnemploymentRate>> {
    let table = Table::open(path, b';')?;
    let (c_dept, c_year, c_rate) = (
        table.col("codeDepartement")?,
        table.col("rentreeScolaire")?,
        table.col("tauxChomage")?,
    );
    let mut out = Vec::new();
    table.for_each(|r| {
        let dept = DeptCode::parse(r.get(c_dept)).map_err(|e| e.to_string())?;
        let year = r
            .get(c_year)
            .parse::<u16>()
            .map_err(|_| format!("année invalide « {} »", r.get(c_year)))?;
        let rate =
            fr_f64(r.get(c_rate)).ok_or_else(|| format!("taux invalide « {} »", r.get(c_rate)))?;
        if !(0.0..=100.0).contains(&rate) {
            return Err(format!("taux hors de 0–100 : {rate}"));
        }
        out.push(UnemploymentRate { dept, year, rate });
        Ok(())
    })?;
    Ok(out)
}
