//! Départements, régions and population, from the etalab
//! `decoupage-administratif` package (INSEE COG 2026, populations légales 2023).

use std::collections::BTreeMap;
use std::path::Path;

use passerelle_core::DeptCode;
use passerelle_core::territory::records::{Departement, MAYOTTE_POPULATION_YEAR, POPULATION_YEAR};
use serde::Deserialize;

use crate::error::{Result, TerritoryError};

#[derive(Deserialize)]
struct RawDept {
    code: String,
    region: String,
    nom: String,
    zone: String,
}

#[derive(Deserialize)]
struct RawRegion {
    code: String,
    nom: String,
}

#[derive(Deserialize)]
struct RawCommune {
    #[serde(rename = "type")]
    kind: String,
    departement: Option<String>,
    population: Option<u64>,
}

fn read_json<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<T> {
    let bytes = std::fs::read(path).map_err(|e| TerritoryError::io(path, e))?;
    serde_json::from_slice(&bytes).map_err(|e| TerritoryError::Line {
        path: path.to_path_buf(),
        line: e.line() as u64,
        message: format!("JSON invalide : {e}"),
    })
}

/// Reads `departements.json`, `regions.json` and `communes.json` from `dir`.
pub fn read_departements(dir: &Path) -> Result<Vec<Departement>> {
    let depts: Vec<RawDept> = read_json(&dir.join("departements.json"))?;
    let regions: Vec<RawRegion> = read_json(&dir.join("regions.json"))?;
    let regions: BTreeMap<String, String> = regions.into_iter().map(|r| (r.code, r.nom)).collect();
    let population = read_population(&dir.join("communes.json"))?;
    let path = dir.join("departements.json");
    let mut out = Vec::new();
    for d in depts
        .into_iter()
        .filter(|d| d.zone == "metro" || d.zone == "drom")
    {
        let code =
            DeptCode::parse(&d.code).map_err(|e| TerritoryError::file(&path, e.to_string()))?;
        let region_nom = regions.get(&d.region).cloned().ok_or_else(|| {
            TerritoryError::file(
                &path,
                format!(
                    "région « {} » du département {} absente de regions.json",
                    d.region, d.code
                ),
            )
        })?;
        let population = population.get(&code).copied();
        let population_year = population.map(|_| {
            if code.as_str() == "976" {
                MAYOTTE_POPULATION_YEAR
            } else {
                POPULATION_YEAR
            }
        });
        out.push(Departement {
            code,
            nom: d.nom,
            region_code: d.region,
            region_nom,
            population,
            population_year,
        });
    }
    if out.is_empty() {
        return Err(TerritoryError::file(
            &path,
            "aucun département (zone metro ou drom)",
        ));
    }
    out.sort_by_key(|d| d.code);
    Ok(out)
}

/// Population municipale by département: communes actuelles only (the
/// déléguées and associées are already counted in their commune nouvelle).
fn read_population(path: &Path) -> Result<BTreeMap<DeptCode, u64>> {
    let communes: Vec<RawCommune> = read_json(path)?;
    let mut out = BTreeMap::new();
    for c in communes
        .into_iter()
        .filter(|c| c.kind == "commune-actuelle")
    {
        let (Some(dept), Some(pop)) = (c.departement, c.population) else {
            continue;
        };
        // Collectivités d'outre-mer (975, 977…) are not départements: skipped.
        if let Ok(code) = DeptCode::parse(&dept) {
            *out.entry(code).or_insert(0) += pop;
        }
    }
    Ok(out)
}
