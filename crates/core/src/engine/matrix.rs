//! All ordered pairs of distinct fiches: the exact-coverage fast path (for
//! the benchmark and the reference comparison) and the full scores (for
//! `passerelle matrix` and the threshold percentiles).

use rayon::prelude::*;
use serde::Serialize;

use super::axis::{Axis, PerAxis};
use super::score::{Credit, PairScores};
use super::{Engine, Weights};

/// One line of the matrix.
#[derive(Debug, Clone, Serialize)]
pub struct MatrixRow<'a> {
    pub source: &'a str,
    pub target: &'a str,
    #[serde(flatten)]
    pub scores: PerAxis<Option<f64>>,
    pub score: Option<f64>,
}

/// Receives the matrix rows in order (source, then target, in fiche order).
pub trait MatrixSink {
    type Error;
    fn row(&mut self, row: MatrixRow<'_>) -> Result<(), Self::Error>;
}

/// Sources computed in parallel per block before being handed over in order.
const BLOCK: usize = 64;

impl Engine {
    /// Calls `f(source, target, scores)` for every ordered pair of distinct
    /// fiches, in order; computed in parallel by blocks of sources.
    pub fn for_each_pair_score(&self, weights: &Weights, mut f: impl FnMut(usize, usize, &PairScores)) {
        let n = self.n_fiches;
        for start in (0..n).step_by(BLOCK) {
            let end = (start + BLOCK).min(n);
            let rows: Vec<Vec<PairScores>> = (start..end)
                .into_par_iter()
                .map_init(
                    || Credit::new(self),
                    |credit, s| {
                        credit.load(self, s);
                        (0..n).map(|t| self.scores_with(credit, s, t, weights, (None, None))).collect()
                    },
                )
                .collect();
            for (s, row) in (start..end).zip(rows) {
                for (t, sc) in row.iter().enumerate() {
                    if s != t {
                        f(s, t, sc);
                    }
                }
            }
        }
    }

    /// Writes every ordered pair of distinct fiches with the displayed
    /// percentages and the combined score.
    pub fn write_matrix<S: MatrixSink>(&self, weights: &Weights, sink: &mut S) -> Result<(), S::Error> {
        let mut result = Ok(());
        self.for_each_pair_score(weights, |s, t, sc| {
            if result.is_ok() {
                result = sink.row(MatrixRow {
                    source: &self.profiles[s].id,
                    target: &self.profiles[t].id,
                    scores: sc.exact,
                    score: sc.score,
                });
            }
        });
        result
    }

    /// Combined score of every ordered pair of fiches (row-major
    /// `source * n + target`, diagonal included), in parallel. Unavailable
    /// scores are NaN. The benchmark's "full score" figure.
    pub fn score_matrix(&self, weights: &Weights) -> Vec<f32> {
        let n = self.n_fiches;
        let mut out = vec![0f32; n * n];
        out.par_chunks_mut(n).enumerate().for_each_init(
            || Credit::new(self),
            |credit, (s, row)| {
                credit.load(self, s);
                for (t, cell) in row.iter_mut().enumerate() {
                    *cell = self.scores_with(credit, s, t, weights, (None, None)).score.map_or(f32::NAN, |v| v as f32);
                }
            },
        );
        out
    }

    /// Exact coverage on the four axes for every ordered pair of fiches
    /// (row-major `(source * n + target) * 4 + axis`, diagonal included,
    /// NaN when unavailable), in parallel, by sparse accumulation over the
    /// inverted lists. The benchmark's "exact coverage" figure.
    pub fn exact_matrix(&self) -> Vec<f32> {
        let n = self.n_fiches;
        let mut out = vec![0f32; n * n * 4];
        let lens: Vec<[u32; 3]> =
            self.profiles[..n].iter().map(|p| std::array::from_fn(|k| p.sets[k].len() as u32)).collect();
        out.par_chunks_mut(n * 4).enumerate().for_each_init(
            || vec![[0u16; 3]; n],
            |counts, (s, row)| {
                let src = &self.profiles[s];
                for (k, (u, set)) in self.universes.iter().zip(&src.sets).enumerate() {
                    for &i in set {
                        for &p in &u.postings[i as usize] {
                            if (p as usize) < n {
                                counts[p as usize][k] += 1;
                            }
                        }
                    }
                }
                for t in 0..n {
                    let cell = &mut row[t * 4..t * 4 + 4];
                    for k in 0..3 {
                        let len = lens[t][k];
                        cell[k + 1] = if len == 0 { f32::NAN } else { (f64::from(counts[t][k]) / f64::from(len)) as f32 };
                    }
                    counts[t] = [0; 3];
                    cell[Axis::Transversal.index()] = match (&src.packed, &self.profiles[t].packed) {
                        (Some(a), Some(b)) => b.score_of(a).map_or(f32::NAN, |v| v as f32),
                        _ => f32::NAN,
                    };
                }
            },
        );
        out
    }
}
