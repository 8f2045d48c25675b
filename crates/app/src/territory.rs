//! Where a use case reads the territorial context: the store behind a trait,
//! so that this crate depends on no storage (the binary implements it over
//! the store, tests over small fakes), and the one assembly of "the context
//! of this job in this département".

use passerelle_core::territory::TerritorialContext;
use passerelle_core::territory::local::LocalMarket;
use passerelle_core::{DeptCode, Job, RomeCode};

/// Territorial context of a département, optionally for one fiche.
pub trait TerritoryProvider: Send + Sync {
    /// `Ok(None)` when the département is not in the imported data.
    fn context(
        &self,
        dept: DeptCode,
        rome: Option<RomeCode>,
    ) -> Result<Option<TerritorialContext>, ProviderError>;

    /// The local market of a département (every target's BMO and 2021
    /// figures, read at once, for `local`); `Ok(None)` when the département
    /// is not in the imported data.
    fn local_market(&self, dept: DeptCode) -> Result<Option<LocalMarket>, ProviderError>;
}

/// Why a provider could not answer. Never the visitor's fault: the API
/// shows it as a 500 (`erreur_interne`), a page leaves the section out.
#[derive(Debug, thiserror::Error)]
pub enum ProviderError {
    /// Every connection of the snapshot is unusable (a panic poisoned it).
    #[error("base de données inutilisable : {0}")]
    Connection(String),
    /// The store answered with an error.
    #[error("lecture de la base : {0}")]
    Read(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// A document could not be made (its lookups, model or rendering).
    #[error(transparent)]
    Document(#[from] passerelle_render::PipelineError),
}

impl ProviderError {
    /// A store error, kept as the source.
    pub fn read(e: impl std::error::Error + Send + Sync + 'static) -> Self {
        ProviderError::Read(Box::new(e))
    }
}

/// The territorial context of `job`'s fiche in `dept`, when a département
/// is asked for and territorial data is known.
pub fn context_of(
    provider: Option<&dyn TerritoryProvider>,
    dept: Option<DeptCode>,
    job: &Job,
) -> Result<Option<TerritorialContext>, ProviderError> {
    let (Some(d), Some(t)) = (dept, provider) else {
        return Ok(None);
    };
    t.context(d, Some(job.fiche))
}

/// The local market of `dept` for `local` (targets, second circle): the
/// refusals in words when no département is asked for, no territorial data
/// is imported, or the département is not in it.
pub fn market_of(
    provider: Option<&dyn TerritoryProvider>,
    dept: Option<DeptCode>,
) -> Result<LocalMarket, crate::AppError> {
    use crate::error::{AppError, LocalRefusal};
    let dept = dept.ok_or(AppError::Local(LocalRefusal::NoDept))?;
    let provider = provider.ok_or(AppError::Local(LocalRefusal::NoData))?;
    provider
        .local_market(dept)?
        .ok_or(AppError::Local(LocalRefusal::UnknownDept))
}
