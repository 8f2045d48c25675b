//! The one document pipeline: resolve what the document needs (territorial
//! context, authored interviews), build the model, render a format. The
//! CLI (`fiche`, `fiche --all`, `parcours`) and the server both call it;
//! what comes from storage arrives through [`Lookups`], which the binary
//! implements over the store, so this crate stays free of storage.

use passerelle_core::engine::Engine;
use passerelle_core::territory::TerritorialContext;
use passerelle_core::{Catalog, DeptCode, Job, RomeCode};

use crate::build::{BuildError, FicheInput, ParcoursInput, build_fiche, build_parcours};
use crate::document::{Entretiens, FichePasserelle, Parcours};
use crate::format::{DocFormat, RenderError, Rendered, render_fiche, render_parcours};

/// Sources detailed with a gap analysis when none are named (seed 000).
pub const DETAILED_SOURCES: usize = 3;
/// Rows of the sources table (seed 000).
pub const SOURCES_ROWS: usize = 15;

/// An error of a lookup, in the implementer's own type.
pub type LookupError = Box<dyn std::error::Error + Send + Sync>;

/// What a document reads from outside the catalog.
pub trait Lookups {
    /// The context of `dept` for the fiche `fiche` (whose parent fiche is
    /// `parent`), or `None` when no territorial data was imported.
    fn territory(
        &self,
        dept: DeptCode,
        fiche: RomeCode,
        parent: Option<RomeCode>,
    ) -> Result<Option<TerritorialContext>, LookupError>;

    /// The authored "entretiens employeurs" of `job` in `dept`, if any.
    fn entretiens(&self, dept: DeptCode, job: &Job) -> Result<Option<Entretiens>, LookupError>;
}

/// Errors of the pipeline; each stage keeps its own message.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    #[error(transparent)]
    Lookup(LookupError),
    #[error(transparent)]
    Build(#[from] BuildError),
    #[error(transparent)]
    Render(#[from] RenderError),
    /// [`Pipeline::cancelled`] said stop between two stages.
    #[error("rendu abandonné")]
    Abandoned,
}

/// The fiche passerelle asked for.
#[derive(Debug, Clone, Copy)]
pub struct FicheRequest<'a> {
    pub target: &'a Job,
    pub dept: Option<DeptCode>,
    /// Sources to detail; empty: the best [`DETAILED_SOURCES`] of the ranking.
    pub sources: &'a [Job],
    /// A survey to take the target's transversal profile from.
    pub enquete: Option<&'a str>,
}

/// Everything a document is made from, shared by all documents of a run.
pub struct Pipeline<'a> {
    pub catalog: &'a Catalog,
    pub engine: &'a Engine,
    pub lookups: &'a dyn Lookups,
    /// RFC 3339 instant printed on the documents (the injected clock).
    pub generated_at: String,
    /// Asked between stages: `true` stops with [`PipelineError::Abandoned`]
    /// (the server's cancellation when nobody waits any more).
    pub cancelled: &'a dyn Fn() -> bool,
}

impl<'a> Pipeline<'a> {
    /// A pipeline that is never cancelled.
    pub fn new(
        catalog: &'a Catalog,
        engine: &'a Engine,
        lookups: &'a dyn Lookups,
        generated_at: String,
    ) -> Pipeline<'a> {
        Pipeline {
            catalog,
            engine,
            lookups,
            generated_at,
            cancelled: &|| false,
        }
    }

    fn stage(&self) -> Result<(), PipelineError> {
        if (self.cancelled)() {
            Err(PipelineError::Abandoned)
        } else {
            Ok(())
        }
    }

    fn territory(
        &self,
        dept: Option<DeptCode>,
        job: &Job,
    ) -> Result<Option<TerritorialContext>, PipelineError> {
        let Some(dept) = dept else { return Ok(None) };
        let parent = self.catalog.referential.fiche(job.fiche).map(|f| f.parent);
        self.lookups
            .territory(dept, job.fiche, parent)
            .map_err(PipelineError::Lookup)
    }

    /// The model of the fiche passerelle (the JSON output).
    pub fn fiche_model(&self, req: FicheRequest<'_>) -> Result<FichePasserelle, PipelineError> {
        let territory = self.territory(req.dept, req.target)?;
        let entretiens = match req.dept {
            Some(dept) => self
                .lookups
                .entretiens(dept, req.target)
                .map_err(PipelineError::Lookup)?,
            None => None,
        };
        self.stage()?;
        Ok(build_fiche(FicheInput {
            catalog: self.catalog,
            engine: self.engine,
            target: req.target,
            dept: req.dept,
            territory,
            sources: req.sources.to_vec(),
            detailed: DETAILED_SOURCES,
            limit: SOURCES_ROWS,
            enquete: req.enquete.map(str::to_string),
            generated_at: self.generated_at.clone(),
            entretiens,
        })?)
    }

    /// The fiche passerelle rendered in `format`.
    pub fn fiche(
        &self,
        req: FicheRequest<'_>,
        format: DocFormat,
    ) -> Result<Rendered, PipelineError> {
        let doc = self.fiche_model(req)?;
        self.stage()?;
        Ok(render_fiche(&doc, format)?)
    }

    /// The model of the parcours de mobilité `source` → `target`.
    pub fn parcours_model(
        &self,
        source: &Job,
        target: &Job,
        dept: Option<DeptCode>,
    ) -> Result<Parcours, PipelineError> {
        let territory = self.territory(dept, target)?;
        self.stage()?;
        Ok(build_parcours(ParcoursInput {
            catalog: self.catalog,
            engine: self.engine,
            source,
            target,
            dept,
            territory,
            generated_at: self.generated_at.clone(),
        })?)
    }

    /// The parcours de mobilité rendered in `format`.
    pub fn parcours(
        &self,
        source: &Job,
        target: &Job,
        dept: Option<DeptCode>,
        format: DocFormat,
    ) -> Result<Rendered, PipelineError> {
        let doc = self.parcours_model(source, target, dept)?;
        self.stage()?;
        Ok(render_parcours(&doc, format)?)
    }
}
