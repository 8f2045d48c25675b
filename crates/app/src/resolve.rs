//! A job as a user names it (ROME code, appellation, `poste:slug`),
//! possibly narrowed by a variant: some of its items unticked by a
//! counsellor (`sans=OGR,OGR`). A variant is computed on a copy of the
//! engine where it is a temporary poste and is never stored; whoever serves
//! many requests memoises it ([`VariantMemo`]).

use std::collections::BTreeSet;
use std::sync::Arc;

use passerelle_core::engine::Engine;
use passerelle_core::{
    Catalog, Job, JobKind, JobRef, OgrCode, Poste, PosteProvenance, SurveyChoice,
};

use crate::error::AppError;

/// Slug of the temporary poste a variant is computed as.
pub const VARIANT_SLUG: &str = "variante";

/// The engine recomputed with the variant, and the variant job.
pub struct Variant {
    pub engine: Engine,
    pub job: Job,
    pub removed: BTreeSet<OgrCode>,
}

/// A job, possibly narrowed by `sans=`, with the engine that knows it.
pub struct Resolved {
    pub job: Job,
    pub variant: Option<Arc<Variant>>,
}

impl Resolved {
    /// A job as named, without a variant.
    pub fn plain(job: Job) -> Resolved {
        Resolved { job, variant: None }
    }

    /// The variant's engine, else `shared`.
    pub fn engine<'a>(&'a self, shared: &'a Engine) -> &'a Engine {
        self.variant.as_ref().map(|v| &v.engine).unwrap_or(shared)
    }

    /// The unticked items (empty without a variant).
    pub fn removed(&self) -> BTreeSet<OgrCode> {
        self.variant
            .as_ref()
            .map(|v| v.removed.clone())
            .unwrap_or_default()
    }
}

/// Where variants are kept between requests: the server's bounded memo,
/// or nowhere ([`NoMemo`]).
pub trait VariantMemo {
    /// The variant under `key`, built by `build` when absent.
    fn get_or_build(&self, key: String, build: &dyn Fn() -> Variant) -> Arc<Variant>;
}

/// Builds every variant anew (a one-shot command).
pub struct NoMemo;

impl VariantMemo for NoMemo {
    fn get_or_build(&self, _: String, build: &dyn Fn() -> Variant) -> Arc<Variant> {
        Arc::new(build())
    }
}

/// A user's name of a job read: ROME code, appellation OGR code or
/// `poste:<slug>`; `param` names the parameter in errors.
pub fn parse_job(name: &str, param: &'static str) -> Result<JobRef, AppError> {
    name.parse().map_err(|_| AppError::InvalidJob {
        param,
        value: name.to_string(),
    })
}

/// The job a name designates.
pub fn resolve_ref(catalog: &Catalog, name: &JobRef, param: &'static str) -> Result<Job, AppError> {
    catalog
        .resolve(name)
        .map_err(|source| AppError::UnknownJob { param, source })
}

/// The job a user's name designates; `param` names the parameter in errors.
pub fn resolve_job(catalog: &Catalog, name: &str, param: &'static str) -> Result<Job, AppError> {
    resolve_ref(catalog, &parse_job(name, param)?, param)
}

/// The job named `name` (the parameter `param`), narrowed by `sans`
/// (`OGR,OGR,…`) when given.
pub fn resolve_with_variant(
    catalog: &Catalog,
    engine: &Engine,
    memo: &dyn VariantMemo,
    (param, name): (&'static str, &JobRef),
    sans: Option<&str>,
) -> Result<Resolved, AppError> {
    let job = resolve_ref(catalog, name, param)?;
    let removed = parse_removed(&job, sans)?;
    if removed.is_empty() {
        return Ok(Resolved::plain(job));
    }
    let key = format!("{}|{}", job.id, encode_removed(&removed));
    let v = memo.get_or_build(key, &|| build_variant(catalog, engine, &job, &removed));
    Ok(Resolved {
        job: v.job.clone(),
        variant: Some(v),
    })
}

/// Reads `sans=OGR,OGR,…` against the job's items.
pub fn parse_removed(job: &Job, raw: Option<&str>) -> Result<BTreeSet<OgrCode>, AppError> {
    let mut out = BTreeSet::new();
    let Some(raw) = raw else { return Ok(out) };
    for part in raw.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let ogr = part
            .parse::<u32>()
            .ok()
            .map(OgrCode::new)
            .filter(|o| job.items.iter().any(|l| l.ogr == *o))
            .ok_or_else(|| AppError::NotAnItem {
                value: part.to_string(),
                job: job.id.clone(),
            })?;
        out.insert(ogr);
    }
    if !out.is_empty() && out.len() >= job.items.len() {
        return Err(AppError::NothingKept);
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

/// The variant's engine and job. The engine is the shared one plus the
/// variant as a temporary poste (`Engine::upsert_job`: IDF, near items and
/// thresholds stay those of the referential).
pub fn build_variant(
    catalog: &Catalog,
    engine: &Engine,
    job: &Job,
    removed: &BTreeSet<OgrCode>,
) -> Variant {
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
    let transversal = catalog
        .transversal_profile(job, &SurveyChoice::default())
        .cloned();
    let mut engine = engine.clone();
    engine.upsert_job(&vjob, transversal);
    Variant {
        engine,
        job: vjob,
        removed: removed.clone(),
    }
}

/// The poste a variant stands for: what the TOML download describes, in
/// the format of `passerelle import postes` (docs/postes.md). Its slug is
/// derived from the job's; it names no appellation (so that importing it
/// never competes with the poste the appellation already resolves to).
/// `today` is the date of its provenance (`YYYY-MM-DD`).
pub fn variant_poste(
    catalog: &Catalog,
    job: &Job,
    removed: &BTreeSet<OgrCode>,
    today: String,
) -> Poste {
    let base_poste = catalog
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
            date: today,
            basis: format!("{} sans les items {}", job.id, encode_removed(removed)),
        },
        rome_version: catalog.referential.version.number,
        survey: base_poste.and_then(|p| p.survey.clone()),
        notes,
    }
}
