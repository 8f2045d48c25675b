//! `passerelle sources`, `targets`, `gap`, `matrix` and `bench engine`: the
//! passerelle engine of `passerelle_core::engine`, printed in French or as
//! the stable JSON of docs/json.md. One module per command: [`ranking`]
//! (sources and targets), [`routes`] (`chemins` and `apprendre`), [`gap`] (the gap text), [`matrix`] (the CSV
//! writer), [`bench`] (the engine's timings); here, what they share.

mod gap;
mod matrix;
mod ranking;
mod routes;

pub use gap::gap;
pub use matrix::matrix;
pub use ranking::{sources, targets};
pub use routes::{apprendre, chemins};

use std::sync::Arc;

use passerelle_core::transversal::TransversalProfile;
use passerelle_core::{Catalog, DeptCode, Job, JobRef, SurveyChoice};
use passerelle_store::TerritoryRepository;

use crate::commands::serve::{Pinned, StoreTerritory};
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
    let pinned = Arc::new(Pinned::new(vec![store]));
    Ok(Some(StoreTerritory::new(pinned, &catalog.referential)))
}

/// A refusal of `--local` in the command line's words (its flags, not the
/// API's parameters); any other error as it is.
pub(super) fn local_refusal(e: passerelle_app::AppError, dept: Option<DeptCode>) -> anyhow::Error {
    use passerelle_app::{AppError, LocalRefusal};
    match e {
        AppError::Local(LocalRefusal::NoDept) => {
            anyhow::anyhow!("paramètre --local : il demande un département (--dept)")
        }
        AppError::Local(LocalRefusal::NoData) => anyhow::anyhow!(
            "paramètre --local : aucune donnée territoriale importée (passerelle import territoire)"
        ),
        AppError::Local(LocalRefusal::UnknownDept) => anyhow::anyhow!(
            "paramètre --dept : département {} absent des données territoriales",
            dept.map(|d| d.to_string()).unwrap_or_default()
        ),
        e => e.into(),
    }
}
