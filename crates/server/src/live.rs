//! One data version at a time. The server serves one [`AppState`] snapshot
//! behind an atomic pointer ([`arc_swap::ArcSwap`]); every request takes the
//! snapshot current when it starts ([`Snap`]) and reads only it, so that all
//! the figures of one answer come from one version. When an import commits,
//! the store's data version moves; [`Live::reload_if_changed`] builds a fresh
//! snapshot through the [`Reloader`] and swaps it in whole. It runs when the
//! store announces a commit ([`Announcements`]: PostgreSQL `NOTIFY`, waited
//! for on a thread of its own, see [`listen`]) and, as the fallback that
//! also serves SQLite, every few seconds (the server's poll). The old
//! snapshot, with its caches, is dropped when the last request using it ends.

use std::convert::Infallible;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

use arc_swap::ArcSwap;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use crate::metrics::Metrics;
use crate::pool::{Pools, Work, WorkLimits};
use crate::state::AppState;

/// An error the store gave for a reload, kept as the source.
pub type StoreFailure = Box<dyn std::error::Error + Send + Sync>;

/// Why a reload did not happen: the served snapshot stays.
#[derive(Debug, thiserror::Error)]
pub enum ReloadError {
    /// Another reload panicked while holding the lock.
    #[error("rechargement interrompu")]
    Interrupted,
    /// The store's connection is held by a panicked thread.
    #[error("base verrouillée")]
    Locked,
    /// The data version could not be read.
    #[error("lecture de la version des données : {0:#}")]
    Version(#[source] StoreFailure),
    /// The new snapshot could not be built.
    #[error("chargement des données : {0:#}")]
    Load(#[source] StoreFailure),
    /// What the replaced snapshot kept could not be reclaimed yet.
    #[error("récupération après rechargement : {0:#}")]
    Settle(#[source] StoreFailure),
    /// The store's announcements are lost until the next wait reconnects.
    #[error("annonces de la base : {0:#}")]
    Announcements(#[source] StoreFailure),
}

/// Where snapshots come from (the binary implements it over the store).
pub trait Reloader: Send + Sync {
    /// The data version the store holds now (one cheap read).
    fn version(&self) -> Result<u64, ReloadError>;
    /// A complete snapshot of the data as it is now, with its
    /// [`AppState::stamp`] set. Blocking (seconds): never called on an async
    /// worker.
    fn load(&self) -> Result<AppState, ReloadError>;
    /// The store's announcements of new versions, when it sends any
    /// (PostgreSQL); `None` (SQLite) leaves the server to its poll.
    fn announcements(&self) -> Option<Box<dyn Announcements>> {
        None
    }
    /// Called once the snapshot that the last [`Reloader::load`] replaced
    /// is gone (no request holds it any more): the store may reclaim what
    /// the old snapshot kept (SQLite: its mark in the write-ahead log), and
    /// the process what it allocated. An error is logged and the call
    /// repeated at the next poll. Blocking.
    fn settle(&self) -> Result<(), ReloadError> {
        Ok(())
    }
}

/// A store's announcements that an import committed (PostgreSQL `NOTIFY`).
pub trait Announcements: Send {
    /// Blocks until the store announces a commit (`Ok(true)`, also after a
    /// reconnection: a commit may have been missed meanwhile) or `timeout`
    /// passes (`Ok(false)`). An error means the announcements are lost until
    /// a later call reconnects.
    fn wait(&mut self, timeout: Duration) -> Result<bool, ReloadError>;
}

/// How long [`listen`]'s thread waits for an announcement before it checks
/// whether the server stopped.
const LISTEN_WAKE: Duration = Duration::from_secs(1);
/// Longest pause between two attempts to get announcements back.
const LISTEN_RETRY_MAX: Duration = Duration::from_secs(30);

/// The thread that reloads on announcements; stopped when dropped.
pub struct Listening {
    stop: Arc<AtomicBool>,
}

impl Drop for Listening {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// Starts reloading `live` as soon as its store announces a commit, on a
/// thread of its own (the wait blocks), when the reloader has
/// announcements. The poll stays the fallback: while announcements are
/// lost (connection broken), the thread retries with a growing pause and
/// the poll still notices new versions.
pub fn listen(live: Arc<Live>) -> Option<Listening> {
    let announcements = live.reloader.as_ref()?.announcements()?;
    let stop = Arc::new(AtomicBool::new(false));
    let stopped = stop.clone();
    let spawned = std::thread::Builder::new()
        .name("annonces-versions".into())
        .spawn(move || listen_loop(&live, announcements, &stopped));
    match spawned {
        Ok(_) => Some(Listening { stop }),
        Err(e) => {
            tracing::warn!(erreur = %e, "écoute des nouvelles versions impossible : relevé périodique seulement");
            None
        }
    }
}

fn listen_loop(live: &Live, mut announcements: Box<dyn Announcements>, stop: &AtomicBool) {
    let mut pause = LISTEN_WAKE;
    while !stop.load(Ordering::Relaxed) {
        match announcements.wait(LISTEN_WAKE) {
            Ok(false) => {}
            Ok(true) => {
                pause = LISTEN_WAKE;
                if let Err(e) = live.reload_if_changed() {
                    tracing::warn!(erreur = %e, "rechargement des données impossible : l'ancienne version reste servie");
                }
            }
            Err(e) => {
                tracing::warn!(erreur = %e, secondes = pause.as_secs(), "annonces des nouvelles versions perdues : nouvel essai");
                std::thread::sleep(pause);
                pause = (pause * 2).min(LISTEN_RETRY_MAX);
            }
        }
    }
}

/// Once the retired snapshot is gone, lets the reloader reclaim what it
/// kept; while a request still holds it, or when settling fails, the
/// retired snapshot stays noted for the next poll.
fn settle(reloader: &dyn Reloader, retired: &mut Option<Weak<AppState>>) {
    let Some(old) = retired else { return };
    if old.strong_count() > 0 {
        return;
    }
    match reloader.settle() {
        Ok(()) => *retired = None,
        Err(e) => {
            tracing::warn!(erreur = %e, "récupération après rechargement impossible : nouvel essai au prochain relevé");
        }
    }
}

/// The live state of a running server: the current snapshot, how to reload
/// it, the pools of blocking work and the request metrics.
pub struct Live {
    current: ArcSwap<AppState>,
    reloader: Option<Box<dyn Reloader>>,
    /// One reload at a time; holds the snapshot the last reload replaced,
    /// until no request holds it and [`Reloader::settle`] has run.
    reloading: Mutex<Option<Weak<AppState>>>,
    pub(crate) pools: Pools,
    pub(crate) metrics: Metrics,
}

impl Live {
    pub(crate) fn new(state: Arc<AppState>, limits: WorkLimits) -> Live {
        Live {
            current: ArcSwap::new(state),
            reloader: None,
            reloading: Mutex::new(None),
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
    pub fn reload_if_changed(&self) -> Result<Option<u64>, ReloadError> {
        let Some(reloader) = &self.reloader else {
            return Ok(None);
        };
        let mut retired = self
            .reloading
            .lock()
            .map_err(|_| ReloadError::Interrupted)?;
        settle(reloader.as_ref(), &mut retired);
        let served = self.current.load().stamp;
        if reloader.version()? == served {
            return Ok(None);
        }
        let started = Instant::now();
        let state = reloader.load()?;
        let stamp = state.stamp;
        let old = self.current.swap(Arc::new(state));
        *retired = Some(Arc::downgrade(&old));
        drop(old);
        tracing::info!(
            ancienne = served,
            nouvelle = stamp,
            ms = started.elapsed().as_millis() as u64,
            "données rechargées : nouvelle version servie, caches vidés"
        );
        // Often no request holds the old snapshot any more.
        settle(reloader.as_ref(), &mut retired);
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

    async fn from_request_parts(
        parts: &mut Parts,
        live: &Arc<Live>,
    ) -> Result<Self, Self::Rejection> {
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
