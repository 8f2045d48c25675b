//! `passerelle sources`, `targets`, `gap`, `matrix` and `bench engine`: the
//! passerelle engine of `passerelle_core::engine`, printed in French or as
//! the stable JSON of docs/json.md. One module per command: [`ranking`]
//! (sources and targets), [`gap`] (the gap text), [`matrix`] (the CSV
//! writer), [`bench`] (the engine's timings); here, what they share.

mod gap;
mod matrix;
mod ranking;

pub use gap::gap;
pub use matrix::matrix;
pub use ranking::{sources, targets};

use std::collections::HashMap;
use std::sync::Mutex;

use passerelle_app::{ProviderError, TerritoryProvider};
use passerelle_core::territory::TerritorialContext;
use passerelle_core::transversal::TransversalProfile;
use passerelle_core::{Catalog, DeptCode, Job, JobRef, RomeCode, SurveyChoice};
use passerelle_store::{Store, TerritoryRepository};

use crate::context::Context;

/// The catalog the engine runs on: referential, postes, surveys and
/// estimated transversal profiles of the database.
pub(super) fn catalog(ctx: &Context) -> anyhow::Result<Catalog> {
    ctx.catalog()
}

pub(super) fn resolve(catalog: &Catalog, name: &str) -> anyhow::Result<Job> {
    let r: JobRef = name.parse()?;
    Ok(catalog.resolve(&r)?)
}

/// The transversal profile of a job as the catalog chooses it: the survey
/// named by `--enquete` (which must exist), else a survey describing the job,
/// else the fiche's estimate. `--dept` never changes base scores, so it does
/// not take part in the choice here.
pub(super) fn transversal<'c>(
    catalog: &'c Catalog,
    job: &Job,
    enquete: Option<&str>,
) -> anyhow::Result<Option<&'c TransversalProfile>> {
    if let Some(id) = enquete.filter(|id| catalog.survey(id).is_none()) {
        anyhow::bail!(
            "paramètre --enquete : enquête inconnue « {id} » (voir `passerelle import profils`)"
        );
    }
    let choice = SurveyChoice {
        enquete: enquete.map(str::to_string),
        dept: None,
    };
    Ok(catalog.transversal_profile(job, &choice))
}

/// The territorial context of the CLI's database, as the use cases read it
/// (`--dept` of `sources`, `targets`): `None` when no département is asked
/// for or no territorial data was imported.
pub(super) fn territory(
    ctx: &Context,
    catalog: &Catalog,
    dept: Option<DeptCode>,
) -> anyhow::Result<Option<StoreTerritory>> {
    if dept.is_none() {
        return Ok(None);
    }
    let store = ctx.open_store()?;
    if !store.has_territory()? {
        return Ok(None);
    }
    let parents = catalog
        .referential
        .fiches
        .iter()
        .map(|f| (f.code, f.parent))
        .collect();
    Ok(Some(StoreTerritory {
        store: Mutex::new(store),
        parents,
    }))
}

/// The store as a [`TerritoryProvider`] (one connection, one command).
pub(super) struct StoreTerritory {
    store: Mutex<Store>,
    parents: HashMap<RomeCode, RomeCode>,
}

impl TerritoryProvider for StoreTerritory {
    fn context(
        &self,
        dept: DeptCode,
        rome: Option<RomeCode>,
    ) -> Result<Option<TerritorialContext>, ProviderError> {
        let job = rome.map(|r| (r, self.parents.get(&r).copied()));
        let store = self
            .store
            .lock()
            .map_err(|_| ProviderError::Connection("base verrouillée".into()))?;
        store
            .context_rows(dept, job)
            .map(|rows| rows.map(passerelle_core::territory::territorial_context))
            .map_err(ProviderError::read)
    }
}
