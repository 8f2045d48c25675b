//! What the divan benches measure on: the official referential read from the
//! data directory they are given (`passerelle_test_support::require_data_dir`),
//! without a database, and documents without territorial data.

use std::path::Path;

use passerelle_core::territory::context::TerritorialContext;
use passerelle_core::{Catalog, DeptCode, Job, Referential, RomeCode};
use passerelle_render::document::Entretiens;
use passerelle_render::{LookupError, Lookups};

/// The ROME of the data directory `data_dir`, read from its CSV files.
pub fn official_referential(data_dir: &Path) -> crate::Result<Referential> {
    let dir = data_dir.join("rome");
    if !dir.is_dir() {
        return Err(crate::BenchError::NoRomeData(dir));
    }
    let imported = passerelle_import::rome::read(&dir, &mut |_| {})?;
    Ok(Referential::new(imported.data))
}

/// [`official_referential`] as a catalog without postes nor surveys.
pub fn official_catalog(data_dir: &Path) -> crate::Result<Catalog> {
    Ok(Catalog::new(
        official_referential(data_dir)?,
        Vec::new(),
        Vec::new(),
    ))
}

/// Lookups that find nothing: a document made from the referential alone.
pub struct NoLookups;

impl Lookups for NoLookups {
    fn territory(
        &self,
        _dept: DeptCode,
        _fiche: RomeCode,
        _parent: Option<RomeCode>,
    ) -> Result<Option<TerritorialContext>, LookupError> {
        Ok(None)
    }

    fn entretiens(&self, _dept: DeptCode, _job: &Job) -> Result<Option<Entretiens>, LookupError> {
        Ok(None)
    }
}
