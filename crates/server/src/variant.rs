//! Variants: a job with some of its items unticked by a counsellor (issue 8).
//! The variant lives in the URL (`sans=OGR,OGR`), is computed on a copy of
//! the catalog where it is a temporary poste, and is never stored; a small
//! bounded memo avoids recomputing the engine for the same URL.

use std::collections::BTreeSet;
use std::sync::Arc;

use passerelle_core::engine::Engine;
use passerelle_core::{Job, JobKind, OgrCode, Poste, PosteProvenance, SurveyChoice};

use crate::error::{ApiError, ErrorCode};
use crate::params::short;
use crate::state::AppState;

/// Slug of the temporary poste a variant is computed as.
pub const VARIANT_SLUG: &str = "variante";

/// The engine recomputed with the variant, and the variant job.
pub struct Variant {
    pub engine: Engine,
    pub job: Job,
    pub removed: BTreeSet<OgrCode>,
}

/// Variants memoised per snapshot. Each holds a whole engine (tens of MB),
/// so only a few: enough for the pages and API calls of one counsellor's
/// session on the same variant.
pub(crate) const VARIANTS_KEPT: usize = 4;

/// The memo of variants, by `job id|sans`; the least useful is evicted
/// when full.
pub(crate) struct VariantCache {
    map: quick_cache::sync::Cache<String, Arc<Variant>>,
}

impl VariantCache {
    pub(crate) fn new(capacity: usize) -> Self {
        VariantCache {
            map: quick_cache::sync::Cache::new(capacity),
        }
    }
}

/// Reads `sans=OGR,OGR,…` against the job's items.
pub fn parse_removed(job: &Job, raw: Option<&str>) -> Result<BTreeSet<OgrCode>, ApiError> {
    let mut out = BTreeSet::new();
    let Some(raw) = raw else { return Ok(out) };
    for part in raw.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let ogr = part
            .parse::<u32>()
            .ok()
            .map(OgrCode::new)
            .filter(|o| job.items.iter().any(|l| l.ogr == *o))
            .ok_or_else(|| {
                ApiError::bad(
                    ErrorCode::ParametreInvalide,
                    "sans",
                    format!(
                        "paramètre sans : « {} » n'est pas un code OGR d'item de {}",
                        short(part),
                        job.id
                    ),
                )
            })?;
        out.insert(ogr);
    }
    if !out.is_empty() && out.len() >= job.items.len() {
        return Err(ApiError::bad(
            ErrorCode::ParametreInvalide,
            "sans",
            "paramètre sans : la sélection ne garde aucun item",
        ));
    }
    Ok(out)
}

/// `sans` as written in URLs: sorted codes, comma-separated.
pub fn encode_removed(removed: &BTreeSet<OgrCode>) -> String {
    removed
        .iter()
        .map(|o| o.to_string())
        .collect::<Vec<_>>()
        .join(",")
}

/// The poste a variant stands for: what the TOML download describes, in
/// the format of `passerelle import postes` (docs/postes.md). Its slug is
/// derived from the job's; it names no appellation (so that importing it
/// never competes with the poste the appellation already resolves to).
pub fn variant_poste(state: &AppState, job: &Job, removed: &BTreeSet<OgrCode>) -> Poste {
    let base_poste = state
        .catalog
        .postes
        .iter()
        .find(|p| format!("poste:{}", p.slug) == job.id);
    let stem = job.id.trim_start_matches("poste:").to_ascii_lowercase();
    let mut notes = vec![format!(
        "Variante de {} construite dans Passerelle : {} item(s) décoché(s) sur {}.",
        job.id,
        removed.len(),
        job.items.len()
    )];
    if let Some(a) = job.appellation {
        notes.push(format!("Appellation d'origine : {a} (non reprise, pour ne pas concurrencer le profil existant)."));
    }
    Poste {
        slug: format!("{stem}-variante"),
        title: format!("{} (variante)", job.title),
        base: job.fiche,
        appellation: None,
        items: job
            .items
            .iter()
            .filter(|l| !removed.contains(&l.ogr))
            .cloned()
            .collect(),
        extra: base_poste
            .map(|p| {
                p.extra
                    .iter()
                    .filter(|o| !removed.contains(o))
                    .copied()
                    .collect()
            })
            .unwrap_or_default(),
        provenance: PosteProvenance {
            author: "Conseiller ou conseillère (variante construite dans Passerelle)".into(),
            date: state.today(),
            basis: format!("{} sans les items {}", job.id, encode_removed(removed)),
        },
        rome_version: state.catalog.referential.version.number,
        survey: base_poste.and_then(|p| p.survey.clone()),
        notes,
    }
}

/// The variant's engine and job, memoised by URL key. The engine is the
/// shared one plus the variant as a temporary poste (`Engine::upsert_job`:
/// IDF, near items and thresholds stay those of the referential).
pub fn variant(
    state: &AppState,
    job: &Job,
    removed: &BTreeSet<OgrCode>,
) -> Result<Arc<Variant>, ApiError> {
    let key = format!("{}|{}", job.id, encode_removed(removed));
    if let Some(v) = state.variants.map.get(&key) {
        return Ok(v);
    }
    let vjob = Job {
        id: format!("poste:{VARIANT_SLUG}"),
        kind: JobKind::Poste {
            slug: VARIANT_SLUG.into(),
        },
        title: format!("{} (variante)", job.title),
        fiche: job.fiche,
        appellation: job.appellation,
        items: job
            .items
            .iter()
            .filter(|l| !removed.contains(&l.ogr))
            .copied()
            .collect(),
        resolution: format!(
            "Variante de « {} » : {} item(s) décoché(s) sur {}, calculée à la demande et non enregistrée",
            job.title,
            removed.len(),
            job.items.len()
        ),
    };
    let transversal = state
        .catalog
        .transversal_profile(job, &SurveyChoice::default())
        .cloned();
    let mut engine = state.engine.clone();
    engine.upsert_job(&vjob, transversal);
    let v = Arc::new(Variant {
        engine,
        job: vjob,
        removed: removed.clone(),
    });
    state.variants.map.insert(key, v.clone());
    Ok(v)
}
