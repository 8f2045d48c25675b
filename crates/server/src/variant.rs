//! The memo of variants (issue 8): a variant holds a whole engine, built
//! by `passerelle_app::resolve` for a URL's `sans=`; a snapshot keeps the
//! last few so that the pages and API calls of one counsellor's session on
//! the same variant compute it once.

use std::sync::Arc;

use passerelle_app::{Variant, VariantMemo};

/// Variants memoised per snapshot. Each holds a whole engine (tens of MB),
/// so only a few.
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

impl VariantMemo for VariantCache {
    fn get_or_build(&self, key: String, build: &dyn Fn() -> Variant) -> Arc<Variant> {
        if let Some(v) = self.map.get(&key) {
            return v;
        }
        let v = Arc::new(build());
        self.map.insert(key, v.clone());
        v
    }
}
