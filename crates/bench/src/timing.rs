//! Repeated timings and their summaries: the one way this crate measures.

use std::time::{Duration, Instant};

/// How long `f` took, with what it returned.
pub fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let t = Instant::now();
    let out = f();
    (out, t.elapsed())
}

/// The durations of `runs` calls of `f` (its results kept opaque to the
/// optimiser, so the work is not elided).
pub fn sample<T>(runs: usize, mut f: impl FnMut() -> T) -> Samples {
    Samples::new(
        (0..runs)
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(f());
                t.elapsed()
            })
            .collect(),
    )
}

/// Like [`sample`] for a fallible `f`: the first error stops the runs.
pub fn try_sample<T, E>(runs: usize, mut f: impl FnMut() -> Result<T, E>) -> Result<Samples, E> {
    let mut v = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        std::hint::black_box(f()?);
        v.push(t.elapsed());
    }
    Ok(Samples::new(v))
}

/// Durations of repeated runs, sorted; never empty, so every summary exists.
#[derive(Debug, Clone, PartialEq)]
pub struct Samples(Vec<Duration>);

impl Samples {
    /// Sorts `v`. Panics when `v` is empty: a measure of zero runs is a bug
    /// of the caller, not a condition of the data.
    pub fn new(mut v: Vec<Duration>) -> Samples {
        assert!(!v.is_empty(), "aucune mesure");
        v.sort();
        Samples(v)
    }

    /// The middle run (the upper one of an even count).
    pub fn median(&self) -> Duration {
        self.0[self.0.len() / 2]
    }

    pub fn min(&self) -> Duration {
        self.0[0]
    }

    pub fn max(&self) -> Duration {
        self.0[self.0.len() - 1]
    }

    /// The nearest-rank percentile, `p` in [0, 1].
    pub fn percentile(&self, p: f64) -> Duration {
        let n = self.0.len();
        self.0[((n as f64 * p).ceil() as usize).clamp(1, n) - 1]
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Always false (see [`Samples::new`]); for clippy's `len_without_is_empty`.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(v: &[u64]) -> Samples {
        Samples::new(v.iter().map(|&m| Duration::from_millis(m)).collect())
    }

    #[test]
    fn summaries_of_sorted_runs() {
        let s = ms(&[5, 1, 3, 2, 4]);
        assert_eq!(s.median(), Duration::from_millis(3));
        assert_eq!(s.min(), Duration::from_millis(1));
        assert_eq!(s.max(), Duration::from_millis(5));
        assert_eq!(s.percentile(0.5), Duration::from_millis(3));
        assert_eq!(s.percentile(0.99), Duration::from_millis(5));
        assert_eq!(ms(&[1, 2]).median(), Duration::from_millis(2));
    }
}
