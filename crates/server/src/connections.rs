//! The accept loop: one HTTP/1.1 connection per task, each with a deadline
//! on every request head (the first one and the next on a kept-alive
//! connection, which is also the idle timeout), a cap on open connections
//! below the descriptor limit — at the cap, the oldest connection serving no
//! request makes room, so a health check is still answered — and a
//! shutdown that does not wait for connections that have not sent a
//! complete request (docs/api.md, « Connexions »).
//!
//! `axum::serve` sets no head deadline: a client that sends half a request
//! head, or nothing, kept its connection (and a descriptor) for ever, and a
//! half-sent request made a stop wait for the whole grace period. hyper's
//! own `header_read_timeout` with tokio's timer closes such connections, and
//! hyper-util's `GracefulShutdown` tells idle and half-read connections from
//! those with a request in flight.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::ServiceExt;

/// How long a client may take to send a complete request head, and how
/// long a kept-alive connection may stay idle before its next one.
pub const HEAD_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// Open connections at most when the descriptor limit is unknown.
pub const DEFAULT_MAX_CONNECTIONS: usize = 4096;

/// Descriptors kept for everything else than connections (database files,
/// logs, the listener): the cap is the soft limit minus this.
const RESERVED_DESCRIPTORS: u64 = 256;

/// What bounds each connection.
#[derive(Debug, Clone, Copy)]
pub struct ConnectionLimits {
    pub head_read_timeout: Duration,
    pub max_connections: usize,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        ConnectionLimits {
            head_read_timeout: HEAD_READ_TIMEOUT,
            max_connections: DEFAULT_MAX_CONNECTIONS,
        }
    }
}

impl ConnectionLimits {
    /// The defaults, with the connection cap under the process's soft
    /// descriptor limit, raised first to its hard limit (`rlimit`): so that
    /// too many clients are refused one by one instead of every `accept`
    /// failing with "Too many open files".
    pub fn for_this_process() -> ConnectionLimits {
        let soft = rlimit::increase_nofile_limit(u64::MAX).ok();
        let cap = soft
            .map(|n| n.saturating_sub(RESERVED_DESCRIPTORS).max(16))
            .map(|n| usize::try_from(n).unwrap_or(usize::MAX))
            .unwrap_or(DEFAULT_MAX_CONNECTIONS);
        ConnectionLimits {
            max_connections: cap.min(65_536),
            ..ConnectionLimits::default()
        }
    }
}

/// What the loop saw, for the stop message.
#[derive(Debug, Default)]
pub struct Closing {
    /// Connections open when the stop came.
    pub open: usize,
    /// Whether some did not finish within the grace period.
    pub timed_out: bool,
}

/// Serves `router` on `listener` until `stop` resolves, then lets the
/// requests in flight finish within `grace` (connections without a
/// complete request are closed at once).
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: ConnectionLimits,
    stop: impl std::future::Future<Output = ()>,
    grace: Duration,
) -> std::io::Result<Closing> {
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.head_read_timeout);
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    let refused = Arc::new(AtomicU64::new(0));
    let graceful = GracefulShutdown::new();
    let in_flight = Arc::new(AtomicUsize::new(0));
    // Open connections by age: each one's task and its requests in service.
    let open: Registry = Arc::new(Mutex::new(BTreeMap::new()));
    let mut next_id: u64 = 0;
    tokio::pin!(stop);
    loop {
        let accepted = tokio::select! {
            a = listener.accept() => a,
            () = &mut stop => break,
        };
        let stream = match accepted {
            Ok((stream, _)) => stream,
            Err(e) => {
                // Out of descriptors despite the cap (another process of the
                // same user): wait a little instead of spinning.
                tracing::warn!(erreur = %e, "connexion refusée par le système");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let slot = match slots.clone().try_acquire_owned() {
            Ok(slot) => slot,
            // Full: the oldest connection serving no request (a slow or
            // idle client) makes room, so that a new client — a health
            // check — is still answered; when every connection is serving,
            // the new one is closed at once, which frees its descriptor.
            Err(_) => match evict_oldest_idle(&open, &slots).await {
                Some(slot) => slot,
                None => {
                    if refused.fetch_add(1, Ordering::Relaxed).is_multiple_of(1000) {
                        tracing::warn!(
                            plafond = limits.max_connections,
                            "trop de connexions ouvertes, toutes en service : nouvelle connexion fermée"
                        );
                    }
                    drop(stream);
                    continue;
                }
            },
        };
        let id = next_id;
        next_id += 1;
        let busy = Arc::new(AtomicUsize::new(0));
        let router = router.clone();
        let counts = (in_flight.clone(), busy.clone());
        let service = hyper::service::service_fn(move |req: hyper::Request<Incoming>| {
            let guards = (InFlight::enter(&counts.0), InFlight::enter(&counts.1));
            let response = router.clone().oneshot(req);
            async move {
                let out = response.await;
                drop(guards);
                out
            }
        });
        let conn = http.serve_connection(TokioIo::new(stream), service);
        let conn = graceful.watch(conn);
        let registry = open.clone();
        let task = tokio::spawn(async move {
            // A client that goes away or is too slow ends its connection:
            // nothing to report.
            let _ = conn.await;
            drop(slot);
            if let Ok(mut open) = registry.lock() {
                open.remove(&id);
            }
        });
        if let Ok(mut open) = open.lock() {
            open.insert(id, (task.abort_handle(), busy));
        }
    }
    drop(listener);
    let open = graceful.count();
    // Connections waiting for (the rest of) a request head are not
    // answered: once no request is being served, stop without them (hyper
    // would otherwise keep them until their head deadline).
    let served = async {
        while in_flight.load(Ordering::SeqCst) > 0 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    };
    let timed_out = tokio::time::timeout(grace, async {
        tokio::select! {
            () = graceful.shutdown() => {}
            () = served => {}
        }
    })
    .await
    .is_err();
    Ok(Closing { open, timed_out })
}

/// The open connections, oldest first: the task serving each one and how
/// many of its requests are being served.
type Registry = Arc<Mutex<BTreeMap<u64, (tokio::task::AbortHandle, Arc<AtomicUsize>)>>>;

/// Closes the oldest connection that serves no request and returns its
/// slot; `None` when every connection is serving one.
async fn evict_oldest_idle(
    open: &Registry,
    slots: &Arc<Semaphore>,
) -> Option<tokio::sync::OwnedSemaphorePermit> {
    let victim = {
        let mut open = open.lock().ok()?;
        let id = open
            .iter()
            .find(|(_, (_, busy))| busy.load(Ordering::SeqCst) == 0)
            .map(|(id, _)| *id)?;
        open.remove(&id)
    };
    let (task, _) = victim?;
    task.abort();
    // The aborted task drops its slot when the runtime cancels it.
    tokio::time::timeout(Duration::from_secs(1), slots.clone().acquire_owned())
        .await
        .ok()?
        .ok()
}

/// Counts a request while it is being served (until its response is ready).
struct InFlight(Arc<AtomicUsize>);

impl InFlight {
    fn enter(count: &Arc<AtomicUsize>) -> InFlight {
        count.fetch_add(1, Ordering::SeqCst);
        InFlight(count.clone())
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}
