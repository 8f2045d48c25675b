//! The immutable state every request reads, and the providers the binary
//! plugs in (territorial data from the store, documents from the renderer).
//! Providers are traits so that the server depends on no storage and tests
//! can use small fakes.

use passerelle_app::{AppError, Resolved, Searcher};
pub use passerelle_app::{ProviderError, TerritoryProvider};
use passerelle_core::engine::Engine;
use passerelle_core::{Catalog, DeptCode, Job};

use crate::cache::{CACHE_BYTES, ResponseCache};
use crate::pool::Cancel;
use crate::variant::{VARIANTS_KEPT, VariantCache};

/// A département of the selector.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DeptEntry {
    pub code: String,
    pub nom: String,
}

/// The formats and rendered documents of `passerelle_render` (one
/// dispatch for the CLI and the server).
pub use passerelle_render::{DocFormat, Rendered};

/// The formats the API serves (`?format=`): every format of the documents.
pub const SERVED_FORMATS: [DocFormat; 4] = [
    DocFormat::Json,
    DocFormat::Html,
    DocFormat::Pdf,
    DocFormat::Markdown,
];

/// The documents of the documents issue (fiche passerelle, parcours).
/// Called on a blocking thread; `cancel` is set when nobody waits for the
/// result any more: check it between stages (territory, model, rendering)
/// and return early (the `Err` is then never shown).
pub trait DocumentProvider: Send + Sync {
    /// The fiche passerelle of `target`, detailing the gaps of `sources`
    /// (the counsellor's choice, in their order), or of the best sources of
    /// the ranking when `sources` is empty.
    fn fiche(
        &self,
        state: &AppState,
        target: &Job,
        sources: &[Job],
        dept: Option<DeptCode>,
        format: DocFormat,
        cancel: &Cancel,
    ) -> Result<Rendered, ProviderError>;

    /// The parcours de mobilité source → target.
    fn parcours(
        &self,
        state: &AppState,
        source: &Job,
        target: &Job,
        dept: Option<DeptCode>,
        format: DocFormat,
        cancel: &Cancel,
    ) -> Result<Rendered, ProviderError>;
}

/// Everything a request may read: one consistent snapshot of the data
/// (referential, postes, surveys, territory, caches), never mutated by a
/// request (the caches only memoise pure functions of it). When an import
/// commits, the server builds a new snapshot and swaps it in whole (see
/// `crate::live`); a request keeps the snapshot it started with.
pub struct AppState {
    pub catalog: Catalog,
    pub engine: Engine,
    pub search: Box<dyn Searcher>,
    pub territory: Option<Box<dyn TerritoryProvider>>,
    pub documents: Option<Box<dyn DocumentProvider>>,
    /// Départements of the selector (empty when no territorial data).
    pub departements: Vec<DeptEntry>,
    /// "ROME 4.0 v60 …": shown in footers.
    pub data_version: String,
    /// The store's data version this snapshot was read at (a counter bumped
    /// by every import; 0 when the state does not come from a store).
    pub stamp: u64,
    /// Injected clock (RFC 3339 or `YYYY-MM-DD`), if any.
    pub now: Option<String>,
    pub(crate) cache: ResponseCache,
    pub(crate) variants: VariantCache,
}

impl AppState {
    /// The state over a catalog (the engine is built here).
    pub fn new(catalog: Catalog, search: Box<dyn Searcher>) -> AppState {
        let engine = Engine::new(&catalog);
        AppState::from_parts(catalog, engine, search)
    }

    /// The state over an engine already built from `catalog` (so that the
    /// caller can build the engine and the search index in parallel).
    pub fn from_parts(catalog: Catalog, engine: Engine, search: Box<dyn Searcher>) -> AppState {
        let data_version = passerelle_app::data_version(&catalog.referential);
        AppState {
            catalog,
            engine,
            search,
            territory: None,
            documents: None,
            departements: Vec::new(),
            data_version,
            stamp: 0,
            now: None,
            cache: ResponseCache::new(CACHE_BYTES),
            variants: VariantCache::new(VARIANTS_KEPT),
        }
    }

    pub fn with_territory(
        mut self,
        provider: Box<dyn TerritoryProvider>,
        departements: Vec<DeptEntry>,
    ) -> Self {
        self.territory = Some(provider);
        self.departements = departements;
        self
    }

    pub fn with_documents(mut self, provider: Box<dyn DocumentProvider>) -> Self {
        self.documents = Some(provider);
        self
    }

    /// The store's data version the snapshot was read at.
    pub fn with_stamp(mut self, stamp: u64) -> Self {
        self.stamp = stamp;
        self
    }

    pub fn with_data_version(mut self, version: String) -> Self {
        self.data_version = version;
        self
    }

    /// Today's date (`YYYY-MM-DD`, UTC): [`AppState::now`] when injected,
    /// else the system clock. Only the variant download carries a date.
    pub fn today(&self) -> String {
        if let Some(now) = &self.now {
            return now.chars().take(10).collect();
        }
        jiff::Timestamp::now()
            .to_zoned(jiff::tz::TimeZone::UTC)
            .date()
            .to_string()
    }

    /// Injects the clock (`PASSERELLE_NOW`).
    pub fn with_now(mut self, now: Option<String>) -> Self {
        self.now = now;
        self
    }

    /// The job named `name` (the parameter `param`), narrowed by `sans`;
    /// variants are memoised in this snapshot.
    pub(crate) fn resolve(
        &self,
        param: &'static str,
        name: &passerelle_core::JobRef,
        sans: Option<&str>,
    ) -> Result<Resolved, AppError> {
        passerelle_app::resolve_with_variant(
            &self.catalog,
            &self.engine,
            &self.variants,
            (param, name),
            sans,
        )
    }

    /// The territorial provider as the use cases take it.
    pub(crate) fn territory(&self) -> Option<&dyn TerritoryProvider> {
        self.territory.as_deref()
    }

    /// Name of a département of the selector.
    pub fn dept_name(&self, code: &str) -> Option<&str> {
        self.departements
            .iter()
            .find(|d| d.code == code)
            .map(|d| d.nom.as_str())
    }
}
