//! The documents (`bench render`, benches/render.rs): one fiche (J1303,
//! Hérault) as a model, HTML and PDF, then every fiche of the département as
//! PDF, extrapolated from a sample.

use std::time::Duration;

use passerelle_core::engine::Engine;
use passerelle_core::{Catalog, DeptCode, Job, JobRef};
use passerelle_render::{FicheRequest, Lookups, Pipeline, RenderError};

use crate::timing::{timed, try_sample};

/// The fiche measured.
pub const TARGET: &str = "J1303";
/// Its département (Hérault).
pub const DEPT: &str = "34";
/// Runs of each median.
pub const RUNS: usize = 9;
/// Fiches rendered, evenly spread in the referential, to extrapolate a whole
/// département.
pub const SAMPLE: usize = 24;

/// What `bench render` prints.
#[derive(Debug, Clone)]
pub struct RenderFigures {
    /// Loading the catalog (timed by the caller) and building the engine:
    /// once per process.
    pub preparation: Duration,
    /// The first PDF, which loads typst's fonts and templates.
    pub first_pdf: Duration,
    /// Medians of [`RUNS`] runs: the model (ranking, gaps, territorial
    /// context), its HTML and its PDF.
    pub model: Duration,
    pub html: Duration,
    pub pdf: Duration,
    pub html_bytes: usize,
    /// Fiches of the referential, fiches of the sample, mean model + PDF time.
    pub fiches: usize,
    pub sampled: usize,
    pub per_fiche: Duration,
}

impl RenderFigures {
    /// Every fiche of the département on one core (an extrapolation).
    pub fn all_fiches(&self) -> Duration {
        self.per_fiche * self.fiches as u32
    }
}

/// The request of `bench render`: `target` in the Hérault, best sources.
pub fn request(target: &Job) -> FicheRequest<'_> {
    FicheRequest {
        target,
        dept: Some(DEPT.parse::<DeptCode>().expect("département 34 valide")),
        sources: &[],
        enquete: None,
    }
}

/// The job [`TARGET`] of `catalog`.
pub fn target(catalog: &Catalog) -> crate::Result<Job> {
    let r: JobRef = TARGET.parse()?;
    Ok(catalog.resolve(&r)?)
}

/// Measures the documents of `catalog` (loaded in `catalog_load`) with the
/// territorial context and interviews of `lookups`.
pub fn measure(
    catalog: &Catalog,
    catalog_load: Duration,
    lookups: &dyn Lookups,
    generated_at: String,
) -> crate::Result<RenderFigures> {
    let (engine, build) = timed(|| Engine::new(catalog));
    let pipeline = Pipeline::new(catalog, &engine, lookups, generated_at);
    let target = target(catalog)?;
    let (first, first_pdf) = timed(|| -> crate::Result<_> {
        let doc = pipeline.fiche_model(request(&target))?;
        passerelle_render::pdf::fiche(&doc).map_err(RenderError::from)?;
        Ok(doc)
    });
    let doc = first?;
    let model = try_sample(RUNS, || pipeline.fiche_model(request(&target)))?.median();
    let html = try_sample(RUNS, || {
        passerelle_render::html::fiche(&doc).map_err(RenderError::from)
    })?
    .median();
    let pdf = try_sample(RUNS, || {
        passerelle_render::pdf::fiche(&doc).map_err(RenderError::from)
    })?
    .median();
    let html_bytes = passerelle_render::html::fiche(&doc)
        .map_err(RenderError::from)?
        .len();

    let fiches = &catalog.referential.fiches;
    let sample = SAMPLE.min(fiches.len());
    let step = (fiches.len() / sample.max(1)).max(1);
    let (sampled, spent) = timed(|| -> crate::Result<usize> {
        let mut done = 0;
        for f in fiches.iter().step_by(step).take(sample) {
            let d = pipeline.fiche_model(request(&Job::from_fiche(f)))?;
            passerelle_render::pdf::fiche(&d).map_err(RenderError::from)?;
            done += 1;
        }
        Ok(done)
    });
    let sampled = sampled?;
    Ok(RenderFigures {
        preparation: catalog_load + build,
        first_pdf,
        model,
        html,
        pdf,
        html_bytes,
        fiches: fiches.len(),
        sampled,
        per_fiche: spent.div_f64(sampled.max(1) as f64),
    })
}
