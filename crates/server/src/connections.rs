//! The accept loop: one HTTP/1.1 connection per task, each with a deadline
//! on every request head (the first one and the next on a kept-alive
//! connection, which is also the idle timeout), a cap on open connections
//! below the descriptor limit, and a shutdown that closes at once the
//! connections that have not sent a complete request (docs/deploy.md).
//!
//! `axum::serve` sets no head deadline: a client that sends half a request
//! head, or nothing, kept its connection (and a descriptor) for ever, and a
//! half-sent request made a stop wait for the whole grace period. hyper's
//! own `header_read_timeout` with tokio's timer closes such connections, and
//! hyper-util's `GracefulShutdown` tells idle and half-read connections from
//! those with a request in flight.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
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
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            // Full: closing at once frees the descriptor.
            if refused.fetch_add(1, Ordering::Relaxed).is_multiple_of(1000) {
                tracing::warn!(
                    plafond = limits.max_connections,
                    "trop de connexions ouvertes : nouvelle connexion fermée"
                );
            }
            drop(stream);
            continue;
        };
        let router = router.clone();
        let in_flight = in_flight.clone();
        let service = hyper::service::service_fn(move |req: hyper::Request<Incoming>| {
            let guard = InFlight::enter(&in_flight);
            let response = router.clone().oneshot(req);
            async move {
                let out = response.await;
                drop(guard);
                out
            }
        });
        let conn = http.serve_connection(TokioIo::new(stream), service);
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            // A client that goes away or is too slow ends its connection:
            // nothing to report.
            let _ = conn.await;
            drop(slot);
        });
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
