//! The engine on the whole referential (`bench engine`, benches/engine.rs):
//! preparation, all-pairs coverage and score, one ranking, one gap, and, when
//! asked for (`--reference-numpy`), the numpy reference (bench/reference.py)
//! timed on the same data: the only place Passerelle spawns python3.

use std::path::{Path, PathBuf};
use std::time::Duration;

use passerelle_core::engine::{
    DEFAULT_LEARN_ITEMS, DEFAULT_RANKING_LIMIT, DEFAULT_ROUTES, DEFAULT_SECOND_CIRCLE, Direction,
    Engine, EngineStats, Tiers, Weights,
};
use passerelle_core::{Catalog, Job};

use crate::timing::{sample, timed};

/// The target whose sources are ranked (and the gap's target).
pub const TARGET: &str = "J1303";
/// The source whose targets are ranked (and the gap's source).
pub const SOURCE: &str = "M1609";

/// What `bench engine` prints.
#[derive(Debug)]
pub struct EngineFigures {
    pub fiches: usize,
    pub threads: usize,
    /// `Engine::new`.
    pub build: Duration,
    pub stats: EngineStats,
    /// Exact coverage of all ordered pairs (median of 7).
    pub exact_matrix: Duration,
    /// The numpy reference on the same coverage, or why it was not
    /// measured; `None` when it was not asked for.
    pub numpy: Option<Result<Duration, NumpyError>>,
    /// Combined score with near items, all pairs (median of 3).
    pub score_matrix: Duration,
    /// The sources of [`TARGET`] ranked (median of 51).
    pub rank_sources: Duration,
    /// The targets of [`SOURCE`] ranked (median of 51).
    pub rank_targets: Duration,
    /// The gap [`SOURCE`] → [`TARGET`] (median of 51).
    pub gap: Duration,
    pub tiers: Tiers,
    /// The percentile sample of rows, built on first use of other weights.
    pub sample_build: Duration,
    /// Thresholds and estimated percentiles for a weight vector never seen
    /// before (median of 51, a new vector each run).
    pub tiers_custom: Duration,
    /// The sources of [`TARGET`] ranked with a weight vector never seen
    /// before (median of 51, a new vector each run).
    pub rank_custom: Duration,
    /// Estimated tiers against the exact pass, for [`CUSTOM_WEIGHTS`].
    pub agreement: TiersAgreement,
    /// The routes [`ROUTE_SOURCE`] → [`ROUTE_TARGET`] (median of 21).
    pub routes: Duration,
    /// The second circle of [`SOURCE`] (median of 21).
    pub second_circle: Duration,
    /// What [`SOURCE`] should learn next (median of 21).
    pub learn: Duration,
}

/// The route whose computation is timed: aide-soignant → cadre de santé.
pub const ROUTE_SOURCE: &str = "J1501";
pub const ROUTE_TARGET: &str = "J1502";

/// The custom weights whose estimated tiers are checked against the exact
/// pass.
pub const CUSTOM_WEIGHTS: &str = "transversal=1,savoirs=1,savoir_faire=1,contextes=0.5";

/// Largest differences between estimated and exact tiers.
#[derive(Debug, Clone, Copy)]
pub struct TiersAgreement {
    pub value: f64,
    pub percentile_points: f64,
}

/// The `i`-th weight vector of a series no cache has seen.
fn custom_weights(i: usize) -> Weights {
    let contextes = 0.3 + 0.01 * i as f64;
    Weights::parse(&format!("transversal=0.5,contextes={contextes}")).expect("poids valides")
}

/// The engine's operations, indexed once; what the figures and the divan
/// benches both call.
pub struct Subjects {
    pub engine: Engine,
    pub build: Duration,
    pub source: usize,
    pub target: usize,
    pub source_job: Job,
    pub target_job: Job,
}

impl Subjects {
    pub fn new(catalog: &Catalog) -> Subjects {
        let (engine, build) = timed(|| Engine::new(catalog));
        let n = engine.n_fiches();
        let target = engine.index_of_id(TARGET).unwrap_or(0);
        let source = engine.index_of_id(SOURCE).unwrap_or(1.min(n - 1));
        let fiches = &catalog.referential.fiches;
        Subjects {
            source_job: Job::from_fiche(&fiches[source]),
            target_job: Job::from_fiche(&fiches[target]),
            engine,
            build,
            source,
            target,
        }
    }

    /// Exact coverage of all pairs into `buffer` (reused between runs: the
    /// figure is the computation, not the first allocation of 40 Mo).
    pub fn exact_matrix(&self, buffer: &mut Vec<f32>) {
        self.engine.exact_matrix_into(buffer);
    }

    pub fn score_matrix(&self, buffer: &mut Vec<f32>) {
        self.engine.score_matrix_into(&Weights::default(), buffer);
    }

    pub fn rank(&self, direction: Direction) -> passerelle_core::engine::Ranking {
        let subject = match direction {
            Direction::Sources => self.target,
            Direction::Targets => self.source,
        };
        self.engine.rank(
            direction,
            subject,
            &Weights::default(),
            DEFAULT_RANKING_LIMIT,
            None,
        )
    }

    pub fn gap(
        &self,
    ) -> Result<passerelle_core::engine::Gap, passerelle_core::engine::EngineError> {
        self.engine.gap(
            &self.source_job,
            &self.target_job,
            &Weights::default(),
            None,
            None,
        )
    }
}

/// Measures the engine on `catalog`; with `numpy_rome_dir`, also the numpy
/// reference, which reads the official CSV of that directory itself (python3
/// is spawned only then: the shipped binary needs no Python otherwise).
pub fn measure(catalog: &Catalog, numpy_rome_dir: Option<&Path>) -> EngineFigures {
    let s = Subjects::new(catalog);
    let mut buffer = Vec::new();
    let exact_matrix = sample(7, || s.exact_matrix(&mut buffer)).median();
    let numpy = numpy_rome_dir.map(numpy_reference);
    let mut scores = Vec::new();
    let score_matrix = sample(3, || s.score_matrix(&mut scores)).median();
    let rank_sources = sample(51, || s.rank(Direction::Sources)).median();
    let rank_targets = sample(51, || s.rank(Direction::Targets)).median();
    let gap = sample(51, || s.gap()).median();
    let (_, sample_build) = timed(|| s.engine.tiers_for(&custom_weights(1000)));
    let mut i = 0;
    let tiers_custom = sample(51, || {
        i += 1;
        s.engine.tiers_for(&custom_weights(i))
    })
    .median();
    let rank_custom = sample(51, || {
        i += 1;
        s.engine.rank(
            Direction::Sources,
            s.target,
            &custom_weights(i),
            DEFAULT_RANKING_LIMIT,
            None,
        )
    })
    .median();
    let w0 = Weights::default();
    let route_ends = (
        s.engine.index_of_id(ROUTE_SOURCE).unwrap_or(s.source),
        s.engine.index_of_id(ROUTE_TARGET).unwrap_or(s.target),
    );
    let routes = sample(21, || {
        s.engine
            .routes(route_ends.0, route_ends.1, &w0, DEFAULT_ROUTES)
    })
    .median();
    let second_circle = sample(21, || {
        s.engine.second_circle(s.source, &w0, DEFAULT_SECOND_CIRCLE)
    })
    .median();
    let learn = sample(21, || s.engine.learn(s.source, &w0, DEFAULT_LEARN_ITEMS)).median();
    let w = Weights::parse(CUSTOM_WEIGHTS).expect("poids valides");
    let (estimated, exact) = (
        s.engine.tiers_for(&w),
        s.engine.calibrate_with_percentiles(&w),
    );
    let mut agreement = TiersAgreement {
        value: 0.0,
        percentile_points: 0.0,
    };
    for (e, x) in [
        (&estimated.courte, &exact.courte),
        (&estimated.possible, &exact.possible),
    ] {
        agreement.value = agreement.value.max((e.value - x.value).abs());
        let p = (e.percentile.unwrap_or(0.0) - x.percentile.unwrap_or(0.0)).abs();
        agreement.percentile_points = agreement.percentile_points.max(p);
    }
    EngineFigures {
        fiches: s.engine.n_fiches(),
        threads: std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1),
        build: s.build,
        stats: s.engine.stats(),
        exact_matrix,
        numpy,
        score_matrix,
        rank_sources,
        rank_targets,
        gap,
        tiers: s.engine.tiers().clone(),
        routes,
        second_circle,
        learn,
        sample_build,
        tiers_custom,
        rank_custom,
        agreement,
    }
}

/// Why the numpy reference gave no figure.
#[derive(Debug, thiserror::Error)]
pub enum NumpyError {
    #[error("lancement de python3 impossible (la référence numpy demande python3 et numpy)")]
    Spawn(#[source] std::io::Error),
    #[error("référence numpy {} en échec : {stderr}", script.display())]
    Failed { script: PathBuf, stderr: String },
    #[error("sortie inattendue de {} : {stdout}", script.display())]
    Output { script: PathBuf, stdout: String },
}

/// Where the numpy reference lives: `$PASSERELLE_NUMPY_REFERENCE`, else
/// `bench/reference.py` of the checkout found at run time — the rule of the
/// data directory (`passerelle_import::workspace_root`), never a path
/// compiled in.
pub fn numpy_reference_script() -> PathBuf {
    match std::env::var_os("PASSERELLE_NUMPY_REFERENCE") {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => passerelle_import::workspace_root()
            .join("bench")
            .join("reference.py"),
    }
}

/// The numpy reference timed on the same coverage (its own clock, printed
/// as `seconds=…`).
pub fn numpy_reference(rome_dir: &Path) -> Result<Duration, NumpyError> {
    let script = numpy_reference_script();
    let out = std::process::Command::new("python3")
        .arg(&script)
        .arg("bench")
        .arg(rome_dir)
        .output()
        .map_err(NumpyError::Spawn)?;
    if !out.status.success() {
        return Err(NumpyError::Failed {
            script,
            stderr: String::from_utf8_lossy(&out.stderr).trim().to_string(),
        });
    }
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines()
        .find_map(|l| l.strip_prefix("seconds="))
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map(Duration::from_secs_f64)
        .ok_or_else(|| NumpyError::Output {
            script,
            stdout: text.into_owned(),
        })
}
