//! `passerelle info` (`bench import` is in `passerelle_bench::import`).
//!
//! `info --json` is [`InfoOut`], one key per area (`database`, `rome`, …),
//! so that later areas add a key without changing the existing ones. To add
//! a section: a field of [`InfoOut`], and a function returning its value and
//! its text lines, called in [`run`].

use anyhow::Context as _;
use passerelle_core::text::fr_int;
use passerelle_import::rome::ImportReport;
use passerelle_store::{Dataset, Download, DownloadRepository, RomeInfo, RomeRepository, Store};
use serde::Serialize;

use crate::args::*;
use crate::context::Context;

/// `info --json` (docs/json.md). An area without data is `null`.
#[derive(Serialize)]
pub struct InfoOut {
    pub database: DatabaseOut,
    pub rome: Option<RomeOut>,
    pub niveaux_acces: Option<LevelsOut>,
    pub profils: Option<ProfilsOut>,
    pub territoire: Option<TerritoireOut>,
}

#[derive(Serialize)]
pub struct DatabaseOut {
    pub path: String,
    /// `sqlite` or `postgresql`; absent when there is no database.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub backend: Option<String>,
    pub exists: bool,
    pub size_bytes: u64,
    pub schema_version: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_version: Option<u64>,
}

#[derive(Serialize)]
pub struct RomeOut {
    pub version: u32,
    pub label: Option<String>,
    pub published: Option<String>,
    pub validated: Option<String>,
    pub imported_at: String,
    pub source: String,
    pub imports: u64,
    pub attribution: String,
    pub counts: passerelle_store::RomeCounts,
    pub rows_not_imported: Option<usize>,
    pub warnings: Vec<String>,
    pub downloads: Vec<Download>,
}

/// Shares of fiches with a determined usual access level (docs/methode.md).
#[derive(Serialize)]
pub struct LevelsOut {
    pub fiches: usize,
    pub determines: usize,
    pub part_determines: f64,
    pub non_determines: usize,
    pub part_non_determines: f64,
}

#[derive(Serialize)]
pub struct ProfilsOut {
    /// `poste:<slug>` of every registered poste.
    pub postes: Vec<String>,
    /// Identifiers of the surveyed transversal profiles.
    pub enquetes: Vec<String>,
    pub poste_warnings: Vec<String>,
}

/// The store's account of the territorial import, and its downloads.
#[derive(Serialize)]
pub struct TerritoireOut {
    #[serde(flatten)]
    pub info: passerelle_store::TerritoryInfo,
    pub downloads: Vec<Download>,
}

/// A section: its value, and its lines of text.
type Section<T> = (Option<T>, Vec<String>);

pub fn run(ctx: &Context, args: InfoArgs) -> anyhow::Result<()> {
    // Never create a database just to say it is empty.
    let store = if ctx.db.exists() {
        Some(ctx.open_store()?)
    } else {
        None
    };
    let store = store.as_ref();
    let (database, mut text) = database_section(ctx, store)?;
    let (rome, t) = rome_section(store)?;
    text.extend(t);
    let (niveaux_acces, t) = levels_section(store)?;
    text.extend(t);
    let (profils, t) = profils_section(store)?;
    text.extend(t);
    let (territoire, t) = territory_section(store)?;
    text.extend(t);
    if args.json {
        let info = InfoOut {
            database,
            rome,
            niveaux_acces,
            profils,
            territoire,
        };
        println!("{}", serde_json::to_string_pretty(&info)?);
    } else {
        for line in text {
            println!("{line}");
        }
    }
    Ok(())
}

fn levels_section(store: Option<&Store>) -> anyhow::Result<Section<LevelsOut>> {
    let Some(store) = store.filter(|s| s.has_referential().unwrap_or(false)) else {
        return Ok((None, Vec::new()));
    };
    let referential = store.load_referential()?;
    let levels = passerelle_core::qualification::access_levels(&referential);
    let total = levels.len();
    let determined = levels.iter().filter(|l| l.level.is_some()).count();
    let share = |n: usize| {
        if total == 0 {
            0.0
        } else {
            n as f64 / total as f64
        }
    };
    let text = vec![format!(
        "Niveau d'accès habituel : déterminé pour {} fiches sur {} ({} %), non déterminé pour {} ({} %)",
        fr_int(determined as u64),
        fr_int(total as u64),
        (100.0 * share(determined)).round(),
        fr_int((total - determined) as u64),
        (100.0 * share(total - determined)).round()
    )];
    let value = LevelsOut {
        fiches: total,
        determines: determined,
        part_determines: share(determined),
        non_determines: total - determined,
        part_non_determines: share(total - determined),
    };
    Ok((Some(value), text))
}

/// Job-title profiles and surveyed transversal profiles, with the postes'
/// items that the current referential no longer has as recorded.
fn profils_section(store: Option<&Store>) -> anyhow::Result<Section<ProfilsOut>> {
    use passerelle_store::{PosteRepository, ProfileRepository};
    let Some(store) = store else {
        return Ok((None, Vec::new()));
    };
    let postes = store.load_postes()?;
    let surveys = store.load_surveys()?;
    let warnings = if store.has_referential()? {
        super::postes::poste_warnings(store, &store.load_referential()?)?
    } else {
        Vec::new()
    };
    let slugs: Vec<String> = postes
        .iter()
        .map(|p| format!("poste:{}", p.poste.slug))
        .collect();
    let ids: Vec<String> = surveys
        .iter()
        .filter_map(|s| match &s.profile.provenance {
            passerelle_core::transversal::Provenance::Enquete { id, .. } => Some(id.clone()),
            passerelle_core::transversal::Provenance::Estime { .. } => None,
        })
        .collect();
    let mut text = vec![format!(
        "Profils : {} profil(s) de poste{}, {} enquête(s) de compétences transversales{}",
        postes.len(),
        if slugs.is_empty() {
            String::new()
        } else {
            format!(" ({})", slugs.join(", "))
        },
        ids.len(),
        if ids.is_empty() {
            String::new()
        } else {
            format!(" ({})", ids.join(", "))
        },
    )];
    text.extend(warnings.iter().map(|w| format!("  attention : {w}")));
    let value = ProfilsOut {
        postes: slugs,
        enquetes: ids,
        poste_warnings: warnings,
    };
    Ok((Some(value), text))
}

fn territory_section(store: Option<&Store>) -> anyhow::Result<Section<TerritoireOut>> {
    use passerelle_store::TerritoryRepository;
    let info = match store {
        Some(s) => s.territory_info()?,
        None => None,
    };
    let (Some(info), Some(store)) = (info, store) else {
        return Ok((
            None,
            vec!["Territoire : aucune donnée importée (`passerelle import territoire`)".into()],
        ));
    };
    let downloads = store.downloads(Dataset::Territoire)?;
    let mut text = vec![format!(
        "Territoire : {} départements, BMO {}, {} certifications, {} formations ; importé le {} depuis {}",
        fr_int(info.departements),
        info.bmo_year,
        fr_int(info.certifications),
        fr_int(info.formations),
        info.imported_at,
        info.source
    )];
    text.extend(download_lines(&downloads));
    let value = TerritoireOut { info, downloads };
    Ok((Some(value), text))
}

fn database_section(
    ctx: &Context,
    store: Option<&Store>,
) -> anyhow::Result<(DatabaseOut, Vec<String>)> {
    let path = ctx.db.to_string();
    let Some(store) = store else {
        let text = format!("Base : {path} (absente : lancez `passerelle import rome CHEMIN`)");
        let value = DatabaseOut {
            path,
            backend: None,
            exists: false,
            size_bytes: 0,
            schema_version: None,
            data_version: None,
        };
        return Ok((value, vec![text]));
    };
    let size = store.size_bytes()?;
    let schema = store.schema_version()?;
    let data_version = store.data_version()?;
    let backend = store.backend();
    let text = format!(
        "Base {backend} : {path} ({}, schéma version {schema}, version des données {data_version})",
        fr_size(size)
    );
    let value = DatabaseOut {
        path,
        backend: Some(backend.to_string()),
        exists: true,
        size_bytes: size,
        schema_version: Some(schema.into()),
        data_version: Some(data_version),
    };
    Ok((value, vec![text]))
}

fn rome_section(store: Option<&Store>) -> anyhow::Result<Section<RomeOut>> {
    let info = match store {
        Some(s) => s.rome_info()?,
        None => None,
    };
    let (Some(info), Some(store)) = (info, store) else {
        return Ok((None, vec!["ROME : aucun référentiel importé".into()]));
    };
    let mut text = rome_lines(&info);
    let downloads = store.downloads(Dataset::Rome)?;
    text.extend(download_lines(&downloads));
    let report: Option<ImportReport> = store
        .rome_import_report()?
        .map(|json| serde_json::from_str(&json))
        .transpose()
        .context("rapport du dernier import du ROME illisible dans la base (réimportez le ROME)")?;
    let (not_imported, warnings) = match &report {
        Some(r) => (Some(r.rows_not_imported()), r.warnings.clone()),
        None => (None, Vec::new()),
    };
    if let Some(n) = not_imported {
        text.push(format!(
            "  import : {} ligne(s) non importée(s), {} avertissement(s)",
            fr_int(n as u64),
            warnings.len()
        ));
    }
    let value = RomeOut {
        version: info.version.number,
        label: info.version.label.clone(),
        published: info.version.published.clone(),
        validated: info.version.validated.clone(),
        attribution: info.version.attribution(),
        imported_at: info.imported_at,
        source: info.source,
        imports: info.imports,
        counts: info.counts,
        rows_not_imported: not_imported,
        warnings,
        downloads,
    };
    Ok((Some(value), text))
}

/// Provenance of downloaded files: URL, date, size, SHA-256 (one line each).
fn download_lines(downloads: &[Download]) -> Vec<String> {
    downloads
        .iter()
        .map(|d| {
            format!(
                "  téléchargé : {} depuis {} le {} ({}, SHA-256 {})",
                d.file_name,
                d.url,
                d.downloaded_at,
                fr_size(d.size_bytes),
                d.sha256
            )
        })
        .collect()
}

fn rome_lines(info: &RomeInfo) -> Vec<String> {
    let v = &info.version;
    let mut head = format!("ROME 4.0 : version {}", v.number);
    if let Some(l) = &v.label {
        head.push_str(&format!(" ({l})"));
    }
    if let Some(p) = &v.published {
        head.push_str(&format!(", publiée le {p}"));
    }
    head.push_str(&format!(", importée le {}", info.imported_at));
    let c = &info.counts;
    vec![
        head,
        format!("  source : {}", info.source),
        format!(
            "  {} grands domaines, {} domaines professionnels, {} fiches, {} appellations",
            fr_int(c.grands_domaines),
            fr_int(c.domaines),
            fr_int(c.fiches),
            fr_int(c.appellations)
        ),
        format!(
            "  {} compétences (dont {} macro-compétences), {} savoirs (dont {} certifications), {} contextes de travail",
            fr_int(c.competences),
            fr_int(c.macro_competences),
            fr_int(c.savoirs),
            fr_int(c.certifications),
            fr_int(c.contextes)
        ),
        format!("  {} liens fiche → item", fr_int(c.fiche_items)),
        format!(
            "  {} centres d'intérêt, {} secteurs et sous-secteurs d'activité, {} thèmes, {} secteurs NAF",
            fr_int(c.centres_interet),
            fr_int(c.secteurs),
            fr_int(c.themes),
            fr_int(c.secteurs_naf)
        ),
    ]
}

/// A byte size in French units with a decimal comma (`12,3 Mo`).
pub fn fr_size(bytes: u64) -> String {
    let (value, unit) = match bytes {
        b if b >= 1 << 30 => (b as f64 / (1u64 << 30) as f64, "Go"),
        b if b >= 1 << 20 => (b as f64 / (1u64 << 20) as f64, "Mo"),
        b if b >= 1 << 10 => (b as f64 / (1u64 << 10) as f64, "ko"),
        b => return format!("{b} octets"),
    };
    format!("{value:.1} {unit}").replace('.', ",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_number_formats() {
        assert_eq!(fr_size(12_900_000), "12,3 Mo");
        assert_eq!(fr_size(512), "512 octets");
    }
}
