//! Request counters and latency buckets, read into a [`Summary`] every
//! minute. Apart from the server's modules so that the snapshot holder
//! (`crate::live`) and the operations (`crate::ops`) both use them without
//! importing each other.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::http::StatusCode;

/// Latency buckets: bucket `i` holds durations below 2^i × 100 µs
/// (100 µs … about 52 s), the last one everything above.
const BUCKETS: usize = 20;

/// Counters since the last summary.
#[derive(Default)]
pub(crate) struct Metrics {
    requests: AtomicU64,
    errors: AtomicU64,
    unavailable: AtomicU64,
    latency: [AtomicU64; BUCKETS],
}

/// One summary (and the figures it logs).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    pub requests: u64,
    /// 5xx answers other than 503.
    pub errors: u64,
    /// 503 answers (load shedding, data unavailable).
    pub unavailable: u64,
    /// Upper bound of the 99th percentile latency, in milliseconds.
    pub p99_ms: f64,
}

impl Metrics {
    pub(crate) fn record(&self, status: StatusCode, elapsed: Duration) {
        self.requests.fetch_add(1, Ordering::Relaxed);
        if status == StatusCode::SERVICE_UNAVAILABLE {
            self.unavailable.fetch_add(1, Ordering::Relaxed);
        } else if status.is_server_error() {
            self.errors.fetch_add(1, Ordering::Relaxed);
        }
        let tenths = (elapsed.as_micros() / 100) as u64;
        let i = (64 - tenths.leading_zeros() as usize).min(BUCKETS - 1);
        self.latency[i].fetch_add(1, Ordering::Relaxed);
    }

    /// The figures since the last call, and a reset.
    pub(crate) fn take(&self) -> Summary {
        let counts: Vec<u64> = self
            .latency
            .iter()
            .map(|b| b.swap(0, Ordering::Relaxed))
            .collect();
        let total: u64 = counts.iter().sum();
        let mut seen = 0;
        let mut p99_ms = 0.0;
        for (i, c) in counts.iter().enumerate() {
            seen += c;
            if total > 0 && seen * 100 >= total * 99 {
                p99_ms = (1u64 << i) as f64 * 0.1;
                break;
            }
        }
        Summary {
            requests: self.requests.swap(0, Ordering::Relaxed),
            errors: self.errors.swap(0, Ordering::Relaxed),
            unavailable: self.unavailable.swap(0, Ordering::Relaxed),
            p99_ms,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_counts_and_bounds_the_99th_percentile() {
        let m = Metrics::default();
        for _ in 0..995 {
            m.record(StatusCode::OK, Duration::from_micros(300));
        }
        for _ in 0..5 {
            m.record(StatusCode::SERVICE_UNAVAILABLE, Duration::from_millis(40));
        }
        m.record(StatusCode::INTERNAL_SERVER_ERROR, Duration::from_millis(1));
        let s = m.take();
        assert_eq!((s.requests, s.errors, s.unavailable), (1001, 1, 5));
        assert_eq!(s.p99_ms, 0.4, "{s:?}");
        for _ in 0..20 {
            m.record(StatusCode::OK, Duration::from_millis(40));
        }
        assert_eq!(
            m.take().p99_ms,
            51.2,
            "40 ms tombe dans le seau « moins de 51,2 ms »"
        );
        assert_eq!(m.take().requests, 0, "remis à zéro");
    }
}
