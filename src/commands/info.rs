//! `passerelle info` (`bench import` is in `passerelle_bench::import`).
//!
//! `info --json` is an object with one key per area (`database`, `rome`, …)
//! so that later areas add a key without changing the existing ones. To add a
//! section: write a function returning `(key, json, text lines)` and call it in
//! [`sections`].

use passerelle_core::text::fr_int;
use passerelle_import::rome::ImportReport;
use passerelle_store::{Dataset, Download, DownloadRepository, RomeInfo, RomeRepository, Store};
use serde_json::{Value, json};

use crate::args::*;
use crate::context::Context;

pub fn run(ctx: &Context, args: InfoArgs) -> anyhow::Result<()> {
    // Never create a database just to say it is empty.
    let store = if ctx.db.exists() {
        Some(ctx.open_store()?)
    } else {
        None
    };
    let sections = sections(ctx, store.as_ref())?;
    if args.json {
        let mut obj = serde_json::Map::new();
        for (key, value, _) in sections {
            obj.insert(key.to_string(), value);
        }
        println!("{}", serde_json::to_string_pretty(&Value::Object(obj))?);
    } else {
        for (_, _, lines) in sections {
            for line in lines {
                println!("{line}");
            }
        }
    }
    Ok(())
}

type Section = (&'static str, Value, Vec<String>);

fn sections(ctx: &Context, store: Option<&Store>) -> anyhow::Result<Vec<Section>> {
    Ok(vec![
        database_section(ctx, store)?,
        rome_section(store)?,
        levels_section(store)?,
        profils_section(store)?,
        territory_section(store)?,
    ])
}

/// Shares of fiches with a determined usual access level (docs/methode.md).
fn levels_section(store: Option<&Store>) -> anyhow::Result<Section> {
    let Some(store) = store else {
        return Ok(("niveaux_acces", Value::Null, Vec::new()));
    };
    if !store.has_referential()? {
        return Ok(("niveaux_acces", Value::Null, Vec::new()));
    }
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
    let value = json!({
        "fiches": total,
        "determines": determined,
        "part_determines": share(determined),
        "non_determines": total - determined,
        "part_non_determines": share(total - determined),
    });
    Ok(("niveaux_acces", value, text))
}

/// Job-title profiles and surveyed transversal profiles, with the postes'
/// items that the current referential no longer has as recorded.
fn profils_section(store: Option<&Store>) -> anyhow::Result<Section> {
    use passerelle_store::{PosteRepository, ProfileRepository};
    let Some(store) = store else {
        return Ok(("profils", Value::Null, Vec::new()));
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
    let value = json!({ "postes": slugs, "enquetes": ids, "poste_warnings": warnings });
    Ok(("profils", value, text))
}

fn territory_section(store: Option<&Store>) -> anyhow::Result<Section> {
    use passerelle_store::TerritoryRepository;
    let info = match store {
        Some(s) => s.territory_info()?,
        None => None,
    };
    let Some(info) = info else {
        return Ok((
            "territoire",
            Value::Null,
            vec!["Territoire : aucune donnée importée (`passerelle import territoire`)".into()],
        ));
    };
    let downloads = match store {
        Some(s) => s.downloads(Dataset::Territoire)?,
        None => Vec::new(),
    };
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
    let value = json!({
        "imported_at": info.imported_at,
        "source": info.source,
        "bmo_year": info.bmo_year,
        "departements": info.departements,
        "certifications": info.certifications,
        "formations": info.formations,
        "formations_source": info.formations_source,
        "downloads": downloads_json(&downloads),
    });
    Ok(("territoire", value, text))
}

fn database_section(ctx: &Context, store: Option<&Store>) -> anyhow::Result<Section> {
    let path = ctx.db.to_string();
    let Some(store) = store else {
        let text = format!("Base : {path} (absente : lancez `passerelle import rome CHEMIN`)");
        return Ok((
            "database",
            json!({ "path": path, "exists": false, "size_bytes": 0, "schema_version": null }),
            vec![text],
        ));
    };
    let size = store.size_bytes()?;
    let schema = store.schema_version()?;
    let data_version = store.data_version()?;
    let backend = store.backend();
    let text = format!(
        "Base {backend} : {path} ({}, schéma version {schema}, version des données {data_version})",
        fr_size(size)
    );
    let value = json!({
        "path": path, "backend": backend, "exists": true, "size_bytes": size,
        "schema_version": schema, "data_version": data_version,
    });
    Ok(("database", value, vec![text]))
}

fn rome_section(store: Option<&Store>) -> anyhow::Result<Section> {
    let info = match store {
        Some(s) => s.rome_info()?,
        None => None,
    };
    let (Some(info), Some(store)) = (info, store) else {
        return Ok((
            "rome",
            Value::Null,
            vec!["ROME : aucun référentiel importé".into()],
        ));
    };
    let mut text = rome_lines(&info);
    let downloads = store.downloads(Dataset::Rome)?;
    text.extend(download_lines(&downloads));
    // The stored report is our own JSON; an unreadable one is not worth failing `info`.
    let report: Option<ImportReport> = store
        .rome_import_report()?
        .and_then(|json| serde_json::from_str(&json).ok());
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
    let value = json!({
        "version": info.version.number,
        "label": info.version.label,
        "published": info.version.published,
        "validated": info.version.validated,
        "imported_at": info.imported_at,
        "source": info.source,
        "imports": info.imports,
        "attribution": info.version.attribution(),
        "counts": info.counts,
        "rows_not_imported": not_imported,
        "warnings": warnings,
        "downloads": downloads_json(&downloads),
    });
    Ok(("rome", value, text))
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

fn downloads_json(downloads: &[Download]) -> Value {
    serde_json::to_value(downloads).unwrap_or(Value::Null)
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
