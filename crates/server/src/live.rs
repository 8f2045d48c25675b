//! One data version at a time. The server serves one [`AppState`] snapshot
//! behind an atomic pointer ([`arc_swap::ArcSwap`]); every request takes the
//! snapshot current when it starts ([`Snap`]) and reads only it, so that all
//! the figures of one answer come from one version. When an import commits,
//! the store's data version moves; [`Live::reload_if_changed`] (polled by the
//! server, and callable by anything else that learns of a new version — a
//! PostgreSQL `NOTIFY` listener, say) builds a fresh snapshot through the
//! [`Reloader`] and swaps it in whole. The old snapshot, with its caches,
//! is dropped when the last request using it ends.

use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use arc_swap::ArcSwap;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use crate::ops::Metrics;
use crate::pool::{Pools, Work, WorkLimits};
use crate::state::AppState;

/// Where snapshots come from (the binary implements it over the store).
pub trait Reloader: Send + Sync {
    /// The data version the store holds now (one cheap read).
    fn version(&self) -> Result<u64, String>;
    /// A complete snapshot of the data as it is now, with its
    /// [`AppState::stamp`] set. Blocking (seconds): never called on an async
    /// worker.
    fn load(&self) -> Result<AppState, String>;
}

/// The live state of a running server: the current snapshot, how to reload
/// it, the pools of blocking work and the request metrics.
pub struct Live {
    current: ArcSwap<AppState>,
    reloader: Option<Box<dyn Reloader>>,
    /// One reload at a time.
    reloading: Mutex<()>,
    pub(crate) pools: Pools,
    pub(crate) metrics: Metrics,
}

impl Live {
    pub(crate) fn new(state: Arc<AppState>, limits: WorkLimits) -> Live {
        Live {
            current: ArcSwap::new(state),
            reloader: None,
            reloading: Mutex::new(()),
            pools: Pools::new(limits),
            metrics: Metrics::default(),
        }
    }

    pub(crate) fn set_reloader(&mut self, reloader: Box<dyn Reloader>) {
        self.reloader = Some(reloader);
    }

    pub(crate) fn set_limits(&mut self, limits: WorkLimits) {
        self.pools = Pools::new(limits);
    }

    /// The snapshot served now.
    pub fn snapshot(&self) -> Arc<AppState> {
        self.current.load_full()
    }

    /// Swaps `state` in (tests, and reloads).
    pub fn replace(&self, state: AppState) {
        self.current.store(Arc::new(state));
    }

    /// Compares the store's data version with the served snapshot's and,
    /// when they differ, loads a new snapshot and swaps it in. Returns the
    /// new version when it swapped. Blocking: call from a blocking thread.
    pub fn reload_if_changed(&self) -> Result<Option<u64>, String> {
        let Some(reloader) = &self.reloader else {
            return Ok(None);
        };
        let _one = self
            .reloading
            .lock()
            .map_err(|_| "rechargement interrompu".to_string())?;
        let served = self.current.load().stamp;
        if reloader.version()? == served {
            return Ok(None);
        }
        let started = Instant::now();
        let state = reloader.load()?;
        let stamp = state.stamp;
        self.replace(state);
        tracing::info!(
            ancienne = served,
            nouvelle = stamp,
            ms = started.elapsed().as_millis() as u64,
            "données rechargées : nouvelle version servie, caches vidés"
        );
        Ok(Some(stamp))
    }

    /// Runs blocking work of kind `work` (see [`crate::pool`]).
    pub(crate) async fn run<T, E, F>(&self, work: Work, job: F) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<crate::ApiError> + Send + 'static,
        F: FnOnce(&crate::pool::Cancel) -> Result<T, E> + Send + 'static,
    {
        self.pools.get(work).run(job).await
    }
}

/// Extractor: the snapshot current when the request starts, and the live
/// state (for the pools). A request never sees two versions.
pub(crate) struct Snap(pub Arc<AppState>, pub Arc<Live>);

impl FromRequestParts<Arc<Live>> for Snap {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, live: &Arc<Live>) -> Result<Self, Self::Rejection> {
        Ok(Snap(pinned(parts, live), live.clone()))
    }
}

/// The request's snapshot in its extensions, so that every extractor of
/// one request ([`Snap`], the typed query of `crate::params`) reads the same.
#[derive(Clone)]
struct Pinned(Arc<AppState>);

/// The snapshot of this request: the first extractor that asks takes the
/// current one, the next ones get the same.
pub(crate) fn pinned(parts: &mut Parts, live: &Live) -> Arc<AppState> {
    if let Some(Pinned(state)) = parts.extensions.get::<Pinned>() {
        return state.clone();
    }
    let state = live.snapshot();
    parts.extensions.insert(Pinned(state.clone()));
    state
}
