//! ROME v3 → NAF sectors that hire for it (La Bonne Boîte mapping, built by
//! Pôle emploi from DPAE hirings). Labels only: no establishment counts.

use std::collections::BTreeMap;
use std::path::Path;

use passerelle_core::RomeCode;
use passerelle_core::territory::records::RomeNaf;

use crate::error::Result;
use crate::table::Table;

pub fn read_rome_naf(path: &Path) -> Result<Vec<RomeNaf>> {
    let table = Table::open(path, b',')?;
    let (c_rome, c_naf, c_label, c_hir) = (
        table.col("rome_id")?,
        table.col("naf_id")?,
        table.col("naf_label")?,
        table.col("hirings")?,
    );
    let mut out = Vec::new();
    table.for_each(|r| {
        let rome = RomeCode::parse(r.get(c_rome)).map_err(|e| e.to_string())?;
        let hirings = r
            .get(c_hir)
            .parse()
            .map_err(|_| format!("hirings invalide « {} »", r.get(c_hir)))?;
        out.push(RomeNaf {
            rome,
            naf: r.get(c_naf).to_string(),
            naf_label: r.get(c_label).to_string(),
            hirings,
        });
        Ok(())
    })?;
    Ok(out)
}

/// `naf_labels.csv` (`|`): NAF code → label, to check the mapping's labels.
pub fn read_naf_labels(path: &Path) -> Result<BTreeMap<String, String>> {
    let table = Table::open(path, b'|')?;
    let (c_id, c_label) = (table.col("naf_id")?, table.col("naf_label")?);
    let mut out = BTreeMap::new();
    table.for_each(|r| {
        out.insert(r.get(c_id).to_string(), r.get(c_label).to_string());
        Ok(())
    })?;
    Ok(out)
}
