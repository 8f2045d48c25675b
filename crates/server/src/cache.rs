//! A bounded memo of API responses. The state is immutable, so a response is
//! a pure function of (data version, path, query); the key includes all
//! three and the cache is simply cleared when full.

use std::collections::HashMap;
use std::sync::RwLock;

use axum::body::Bytes;

pub(crate) struct ResponseCache {
    map: RwLock<HashMap<String, Bytes>>,
    capacity: usize,
}

impl ResponseCache {
    pub(crate) fn new(capacity: usize) -> Self {
        ResponseCache { map: RwLock::new(HashMap::new()), capacity }
    }

    pub(crate) fn get(&self, key: &str) -> Option<Bytes> {
        self.map.read().ok()?.get(key).cloned()
    }

    pub(crate) fn put(&self, key: String, value: Bytes) {
        if let Ok(mut m) = self.map.write() {
            if m.len() >= self.capacity {
                m.clear();
            }
            m.insert(key, value);
        }
    }
}
