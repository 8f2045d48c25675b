//! Reads the whole `$PASSERELLE_DATA/territory` directory into one
//! [`TerritoryData`], checked for consistency, before anything is stored.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use passerelle_core::territory::records::{ImportReport, RncpFiche, TerritoryData};

use crate::bmo::read_bmo_xlsx;
use crate::certif_info::read_certif_info;
use crate::chomage::read_unemployment;
use crate::error::{Result, TerritoryError};
use crate::geo::read_departements;
use crate::labonneboite::read_rome_naf;
use crate::rncp;
use crate::rome_bmo;
use crate::tension::{read_bassins, read_tension};

/// The files read, relative to the territory directory.
pub mod files {
    pub const GEO_DIR: &str = "referentiel_geo/etalab_decoupage_administratif_6.0.0";
    pub const CHOMAGE: &str = "insee_chomage/chomage_departemental_INSEE.csv";
    pub const BMO_XLSX: &str = "france_travail/bmo_2025/Base_open_data_BMO_2025.xlsx";
    pub const BASSINS: &str = "france_travail/tension_bassin_rome_2021/lexique-bassins.csv";
    pub const TENSION: &str = "france_travail/tension_bassin_rome_2021/cities-tension-utf8.csv";
    pub const ROME_NAF: &str = "etablissements/labonneboite/rome_naf_mapping.csv";
    pub const CERTIF_INFO: &str = "certifications/certif_info.csv";
    /// Every `*.xml` here is read as a France Compétences RNCP/RS export (v4.1);
    /// the full national export can be dropped in this directory.
    pub const RNCP_DIR: &str = "certifications/rncp_xml_format_sample";
}

fn need(dir: &Path, rel: &str, what: &'static str) -> Result<PathBuf> {
    let p = dir.join(rel);
    if p.exists() {
        Ok(p)
    } else {
        Err(TerritoryError::Missing { path: p, what })
    }
}

/// Reads and cross-checks every file; nothing is written.
pub fn read_territory(dir: &Path) -> Result<TerritoryData> {
    if !dir.is_dir() {
        return Err(TerritoryError::Missing {
            path: dir.to_path_buf(),
            what: "répertoire des données territoriales",
        });
    }
    let departements = read_departements(&need(
        dir,
        files::GEO_DIR,
        "référentiel géographique etalab",
    )?)?;
    let unemployment = read_unemployment(&need(
        dir,
        files::CHOMAGE,
        "taux de chômage localisés Insee",
    )?)?;
    let bmo = read_bmo_xlsx(&need(dir, files::BMO_XLSX, "enquête BMO (.xlsx)")?)?;
    let bassins = read_bassins(&need(dir, files::BASSINS, "lexique des bassins d'emploi")?)?;
    let (tension, tension_report) = read_tension(
        &need(dir, files::TENSION, "offres et demandeurs par bassin")?,
        &bassins,
    )?;
    let rome_naf = read_rome_naf(&need(
        dir,
        files::ROME_NAF,
        "correspondance ROME → NAF de La Bonne Boîte",
    )?)?;
    let certifications = read_certif_info(&need(dir, files::CERTIF_INFO, "Certif Info")?)?;
    let rome_bmo = rome_bmo::shipped();
    let (rncp_files, rncp_fiches) = read_rncp_dir(&dir.join(files::RNCP_DIR))?;

    let known_depts: BTreeSet<_> = departements.iter().map(|d| d.code).collect();
    let bmo_path = dir.join(files::BMO_XLSX);
    if let Some(b) = bmo.by_dept.iter().find(|b| !known_depts.contains(&b.dept)) {
        return Err(TerritoryError::file(
            &bmo_path,
            format!("département {} absent du référentiel", b.dept),
        ));
    }
    let chomage_path = dir.join(files::CHOMAGE);
    if let Some(u) = unemployment.iter().find(|u| !known_depts.contains(&u.dept)) {
        return Err(TerritoryError::file(
            &chomage_path,
            format!("département {} absent du référentiel", u.dept),
        ));
    }
    let with_rate: BTreeSet<_> = unemployment.iter().map(|u| u.dept).collect();
    let bmo_codes: BTreeSet<&str> = bmo.metiers.iter().map(|m| m.code.as_str()).collect();
    let mut unknown: Vec<String> = rome_bmo
        .iter()
        .filter_map(|m| m.bmo.as_deref())
        .filter(|c| !bmo_codes.contains(c))
        .map(str::to_string)
        .collect();
    unknown.sort();
    unknown.dedup();
    let mut warnings = Vec::new();
    if !unknown.is_empty() {
        warnings.push(format!(
            "{} code(s) BMO de data/territoire/rome_bmo.csv absents de l'enquête : {}",
            unknown.len(),
            unknown.join(", ")
        ));
    }
    if rncp_files.is_empty() {
        warnings.push(format!(
            "aucun export XML RNCP/RS dans {} : blocs de compétences non disponibles",
            files::RNCP_DIR
        ));
    }
    if !tension_report.unknown_bassins.is_empty() {
        warnings.push(format!(
            "{} ligne(s) d'offres/demandeurs sur des bassins absents du lexique ({}) : non rattachées",
            tension_report.rows_unattributed,
            tension_report.unknown_bassins.join(", ")
        ));
    }
    let report = ImportReport {
        source: dir.display().to_string(),
        departements: departements.len(),
        unemployment_rows: unemployment.len(),
        unemployment_latest_year: unemployment.iter().map(|u| u.year).max(),
        departements_without_unemployment: departements
            .iter()
            .filter(|d| !with_rate.contains(&d.code))
            .map(|d| format!("{} {}", d.code, d.nom))
            .collect(),
        bmo_year: bmo.year,
        bmo_rows: bmo.rows,
        bmo_metiers: bmo.metiers.len(),
        rome_bmo_mapped: rome_bmo.iter().filter(|m| m.bmo.is_some()).count(),
        rome_bmo_unmapped: rome_bmo.iter().filter(|m| m.bmo.is_none()).count(),
        rome_bmo_unknown_codes: unknown,
        bassins: bassins.main.len(),
        bassins_multi_departements: bassins.multi_dept(),
        tension: tension_report,
        rome_naf_rows: rome_naf.len(),
        certifications: certifications.len(),
        rncp_fiches: rncp_fiches.len(),
        rncp_blocs: rncp_fiches.iter().map(|f| f.blocs.len()).sum(),
        rncp_files,
        warnings,
    };
    Ok(TerritoryData {
        departements,
        unemployment,
        bmo,
        rome_bmo,
        bassins,
        tension,
        rome_naf,
        certifications,
        rncp_fiches,
        report,
    })
}

/// Streams every `*.xml` of `dir` (sorted by name); a fiche number seen twice
/// keeps its last occurrence. An absent directory yields nothing.
fn read_rncp_dir(dir: &Path) -> Result<(Vec<String>, Vec<RncpFiche>)> {
    if !dir.is_dir() {
        return Ok((vec![], vec![]));
    }
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| TerritoryError::io(dir, e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x.eq_ignore_ascii_case("xml")))
        .collect();
    paths.sort();
    let mut by_numero = std::collections::BTreeMap::new();
    let mut names = Vec::new();
    for p in &paths {
        rncp::for_each_fiche(p, |f| {
            by_numero.insert(f.numero.clone(), f);
        })?;
        names.push(
            p.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
        );
    }
    Ok((names, by_numero.into_values().collect()))
}
