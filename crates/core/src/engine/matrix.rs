//! All ordered pairs of distinct fiches: the exact-coverage fast path (for
//! the benchmark and the reference comparison) and the full scores (for
//! `passerelle matrix` and the threshold percentiles).

use rayon::prelude::*;
use serde::Serialize;

use super::Direction;
use super::axis::{ItemSet, PerAxis};
use super::score::PairScores;
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
    pub fn for_each_pair_score(
        &self,
        weights: &Weights,
        mut f: impl FnMut(usize, usize, &PairScores),
    ) {
        let n = self.n_fiches;
        for start in (0..n).step_by(BLOCK) {
            let end = (start + BLOCK).min(n);
            let rows: Vec<Vec<PairScores>> = (start..end)
                .into_par_iter()
                .map(|s| self.scores_against_all(s, Direction::Targets, weights, None))
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
    pub fn write_matrix<S: MatrixSink>(
        &self,
        weights: &Weights,
        sink: &mut S,
    ) -> Result<(), S::Error> {
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
        let mut out = Vec::new();
        self.score_matrix_into(weights, &mut out);
        out
    }

    /// [`Engine::score_matrix`] into a reused buffer (resized as needed).
    pub fn score_matrix_into(&self, weights: &Weights, out: &mut Vec<f32>) {
        let n = self.n_fiches;
        out.resize(n * n, 0.0);
        out.par_chunks_mut(n).enumerate().for_each(|(s, row)| {
            let scores = self.scores_against_all(s, Direction::Targets, weights, None);
            for (cell, sc) in row.iter_mut().zip(scores) {
                *cell = sc.score.map_or(f32::NAN, |v| v as f32);
            }
        });
    }

    /// Exact coverage on the four axes for every ordered pair of fiches
    /// (row-major `(source * n + target) * 4 + axis`, diagonal included,
    /// NaN when unavailable), in parallel: savoirs and savoir-faire by sparse
    /// accumulation over the inverted lists, contextes (a few hundred
    /// values) by bitset intersection, transversal on packed profiles. The
    /// benchmark's "exact coverage" figure (single precision output).
    pub fn exact_matrix(&self) -> Vec<f32> {
        let mut out = Vec::new();
        self.exact_matrix_into(&mut out);
        out
    }

    /// [`Engine::exact_matrix`] into a reused buffer (resized as needed).
    pub fn exact_matrix_into(&self, out: &mut Vec<f32>) {
        let n = self.n_fiches;
        out.resize(n * n * 4, 0.0);
        let inv: Vec<[f32; 3]> = self.profiles[..n]
            .iter()
            .map(|p| {
                std::array::from_fn(|k| {
                    if p.sets[k].is_empty() {
                        f32::NAN
                    } else {
                        1.0 / p.sets[k].len() as f32
                    }
                })
            })
            .collect();
        let ctx = ItemSet::Contextes as usize;
        let words = self.universes[ctx].len().div_ceil(64);
        let mut bits = vec![0u64; n * words];
        for (p, prof) in self.profiles[..n].iter().enumerate() {
            for &i in &prof.sets[ctx] {
                bits[p * words + i as usize / 64] |= 1 << (i % 64);
            }
        }
        out.par_chunks_mut(n * 4).enumerate().for_each_init(
            || vec![[0u16; 2]; n],
            |counts, (s, row)| {
                let src = &self.profiles[s];
                for k in [ItemSet::Savoirs as usize, ItemSet::SavoirFaire as usize] {
                    let postings = &self.universes[k].postings;
                    for &i in &src.sets[k] {
                        for &p in &postings[i as usize] {
                            if (p as usize) < n {
                                counts[p as usize][k] += 1;
                            }
                        }
                    }
                }
                let sb = &bits[s * words..(s + 1) * words];
                for (t, cell) in row.chunks_exact_mut(4).enumerate() {
                    let tb = &bits[t * words..(t + 1) * words];
                    let common: u32 = sb.iter().zip(tb).map(|(a, b)| (a & b).count_ones()).sum();
                    let [cs, cf] = counts[t];
                    counts[t] = [0; 2];
                    cell[1] = f32::from(cs) * inv[t][0];
                    cell[2] = f32::from(cf) * inv[t][1];
                    cell[3] = common as f32 * inv[t][2];
                    cell[0] = match (&src.packed, &self.profiles[t].packed) {
                        (Some(a), Some(b)) => b.score_of(a).map_or(f32::NAN, |v| v as f32),
                        _ => f32::NAN,
                    };
                }
            },
        );
    }
}
