//! A memo of responses (API JSON and pages), bounded in **bytes**: every
//! entry weighs its key plus its body, so no query, however long, can make
//! it grow past [`CACHE_BYTES`]. Keys are normalised by the caller
//! (route + known parameters, sorted; see `Params::cache_key`), never the
//! raw query. The cache belongs to one data snapshot and is dropped with it
//! when the server reloads.

use axum::body::Bytes;
use quick_cache::Weighter;
use quick_cache::sync::Cache;

/// Total weight of the memo: 64 MiB.
pub const CACHE_BYTES: u64 = 64 * 1024 * 1024;

#[derive(Clone)]
struct ByteWeight;

impl Weighter<String, Bytes> for ByteWeight {
    fn weight(&self, key: &String, value: &Bytes) -> u64 {
        (key.len() + value.len()) as u64 + 64
    }
}

pub(crate) struct ResponseCache {
    map: Cache<String, Bytes, ByteWeight>,
}

impl ResponseCache {
    pub(crate) fn new(bytes: u64) -> Self {
        // quick_cache wants an estimate of the number of entries: a ranking is ~20 KB.
        let estimated = (bytes / 16_384).max(16) as usize;
        ResponseCache {
            map: Cache::with_weighter(estimated, bytes, ByteWeight),
        }
    }

    pub(crate) fn get(&self, key: &str) -> Option<Bytes> {
        self.map.get(key)
    }

    pub(crate) fn put(&self, key: String, value: Bytes) {
        self.map.insert(key, value);
    }

    /// Bytes held (keys and bodies).
    #[cfg(test)]
    pub(crate) fn weight(&self) -> u64 {
        self.map.weight()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_memo_never_holds_more_than_its_byte_budget() {
        let cache = ResponseCache::new(1024 * 1024);
        let body = Bytes::from(vec![b'x'; 20_000]);
        for i in 0..2_040 {
            cache.put(format!("sources|z{i}={}", "a".repeat(60_000)), body.clone());
        }
        assert!(cache.weight() <= 1024 * 1024, "{} octets", cache.weight());
        cache.put("petite".into(), Bytes::from_static(b"{}"));
        assert_eq!(cache.get("petite").as_deref(), Some(&b"{}"[..]));
    }
}
