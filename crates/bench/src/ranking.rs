//! The yardstick (`bench ranking`, `bench calibration`): the engine's
//! rankings measured against France Travail's expert mobilities (the
//! calibration half in `$PASSERELLE_DATA/validation`), and the procedure that
//! chose the ranking constants (docs/methode.md). Figures, not timings. The
//! expert file is read here, never by the engine.

use std::path::{Path, PathBuf};

use passerelle_core::engine::yardstick::{self, ExpertPair, Recall};
use passerelle_core::engine::{
    Axis, Direction, Engine, PerAxis, Ranking, RankingConstants, Reach, Weights, WeightsError,
};
use passerelle_core::qualification::Level;
use passerelle_core::{Catalog, RomeCode};

/// The calibration half of the expert list, as published.
pub const EXPERT_FILE: &str = "validation/mobilites_calibration_v460.csv";

/// The panel of named jobs whose top 10 `bench ranking` prints.
pub const PANEL: &[&str] = &[
    "J1303",
    "poste:assistant-medical",
    "M1609",
    "J1501",
    "N1101",
    "M1805",
    "K2111",
    "D1102",
    // Six more, in other domains.
    "F1703",
    "G1602",
    "H2913",
    "I1304",
    "C1203",
    "E1104",
];

/// Rows of each panel ranking.
pub const PANEL_ROWS: usize = 10;

/// The expert file of the data directory `data_dir`.
pub fn expert_path(data_dir: &Path) -> PathBuf {
    data_dir.join(EXPERT_FILE)
}

/// Why the expert file could not be read; each names the file (and line).
#[derive(Debug, thiserror::Error)]
pub enum ExpertFileError {
    #[error("liste d'experts introuvable : {} (attendu dans $PASSERELLE_DATA/{EXPERT_FILE})", path.display())]
    Open {
        path: PathBuf,
        #[source]
        source: csv::Error,
    },
    #[error("{} ligne {line} : CSV illisible", path.display())]
    Csv {
        path: PathBuf,
        line: usize,
        #[source]
        source: csv::Error,
    },
    #[error("{} ligne {line}, champ {field} : code ROME « {value} » invalide", path.display())]
    Code {
        path: PathBuf,
        line: usize,
        field: &'static str,
        value: String,
    },
}

/// Reads `code_rome,code_rome_cible,numero_ordre`; a malformed line is an
/// error naming the file and line.
pub fn read_expert_pairs(path: &Path) -> Result<Vec<ExpertPair>, ExpertFileError> {
    let mut reader = csv::Reader::from_path(path).map_err(|source| ExpertFileError::Open {
        path: path.to_path_buf(),
        source,
    })?;
    let mut out = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = record.map_err(|source| ExpertFileError::Csv {
            path: path.to_path_buf(),
            line,
            source,
        })?;
        let code = |col: usize, field: &'static str| {
            let value = record.get(col).unwrap_or("");
            RomeCode::parse(value).map_err(|_| ExpertFileError::Code {
                path: path.to_path_buf(),
                line,
                field,
                value: value.to_string(),
            })
        };
        out.push(ExpertPair {
            source: code(0, "code_rome")?,
            target: code(1, "code_rome_cible")?,
        });
    }
    Ok(out)
}

/// What `bench ranking` prints.
#[derive(Debug, Clone)]
pub struct RankingFigures {
    pub expert_pairs: usize,
    pub weights: Weights,
    pub constants: RankingConstants,
    /// Sources, then targets.
    pub directions: [DirectionRecall; 2],
    /// Median transversal score over all ordered pairs of fiches.
    pub median_transversal: f64,
    /// How routes reach the expert pairs, on the choosing half then the
    /// measuring half (by the source's code).
    pub routes: [RouteReach; 2],
    pub panel: Vec<PanelEntry>,
}

/// Expert pairs that the engine misses as direct moves, and how many of
/// them a route of two steps reaches.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct RouteReach {
    /// Expert pairs of the half (both codes known, distinct).
    pub pairs: usize,
    /// Of them, not a direct passerelle (courte or possible).
    pub missed: usize,
    /// Of the missed, reached by two direct passerelles.
    pub two_direct_steps: usize,
    /// Of the missed, reached by two steps counting long ones.
    pub two_steps_with_long: usize,
}

impl RouteReach {
    /// Share of the missed pairs a route of two steps reaches (direct
    /// steps only, then counting long steps).
    pub fn shares(&self) -> (f64, f64) {
        let of = |n: usize| n as f64 / self.missed.max(1) as f64;
        (
            of(self.two_direct_steps),
            of(self.two_direct_steps + self.two_steps_with_long),
        )
    }
}

/// The route reach of the expert pairs, on each half (by source code).
pub fn route_reach(engine: &Engine, pairs: &[ExpertPair], w: &Weights) -> [RouteReach; 2] {
    let index = |c: RomeCode| {
        engine
            .referential()
            .fiche_index(c)
            .filter(|&i| i < engine.n_fiches())
    };
    let known: Vec<(RomeCode, (usize, usize))> = pairs
        .iter()
        .filter_map(|p| Some((p.source, (index(p.source)?, index(p.target)?))))
        .filter(|(_, (s, t))| s != t)
        .collect();
    let indices: Vec<(usize, usize)> = known.iter().map(|k| k.1).collect();
    let reach = engine.two_step_reach(&indices, w);
    [true, false].map(|even| {
        let mut r = RouteReach::default();
        for ((code, _), how) in known.iter().zip(&reach) {
            if yardstick::in_choosing_half(*code) != even {
                continue;
            }
            r.pairs += 1;
            match how {
                Reach::Direct => continue,
                Reach::TwoDirectSteps => r.two_direct_steps += 1,
                Reach::TwoStepsWithLong => r.two_steps_with_long += 1,
                Reach::NotInTwoSteps => {}
            }
            r.missed += 1;
        }
        r
    })
}

/// Recall of one direction on the whole file, each half, and the
/// transversal axis alone.
#[derive(Debug, Clone, Copy)]
pub struct DirectionRecall {
    pub direction: Direction,
    pub whole: Recall,
    /// The choosing half (even codes) and the measuring half (odd codes).
    pub choosing: Recall,
    pub measuring: Recall,
    pub transversal_alone: Recall,
    /// The combined score alone, without the order of the labels.
    pub score_alone: Recall,
}

/// One job of [`PANEL`]; `found` is `None` when the base does not hold it.
#[derive(Debug, Clone)]
pub struct PanelEntry {
    pub id: &'static str,
    pub found: Option<PanelJob>,
}

#[derive(Debug, Clone)]
pub struct PanelJob {
    pub title: String,
    pub level: Option<Level>,
    /// Top [`PANEL_ROWS`] sources, then targets.
    pub sources: Ranking,
    pub targets: Ranking,
}

fn choosing(c: RomeCode) -> bool {
    yardstick::in_choosing_half(c)
}

fn measuring(c: RomeCode) -> bool {
    !yardstick::in_choosing_half(c)
}

/// Measures the engine of `catalog` on the expert `pairs`.
pub fn measure(catalog: &Catalog, pairs: &[ExpertPair]) -> RankingFigures {
    let engine = Engine::new(catalog);
    let w = Weights::default();
    let all = |_: RomeCode| true;
    let directions = [Direction::Sources, Direction::Targets].map(|direction| {
        let recall = |key, keep: &(dyn Fn(RomeCode) -> bool + Sync)| {
            engine.recall(pairs, direction, &w, key, keep)
        };
        DirectionRecall {
            direction,
            whole: recall(yardstick::Key::Engine, &all),
            choosing: recall(yardstick::Key::Engine, &choosing),
            measuring: recall(yardstick::Key::Engine, &measuring),
            transversal_alone: recall(yardstick::Key::TransversalAlone, &all),
            score_alone: recall(yardstick::Key::ScoreAlone, &all),
        }
    });
    RankingFigures {
        expert_pairs: pairs.len(),
        constants: engine.constants(),
        directions,
        median_transversal: median_transversal(&engine),
        routes: route_reach(&engine, pairs, &w),
        panel: PANEL
            .iter()
            .map(|&id| PanelEntry {
                id,
                found: panel_job(&engine, id, &w),
            })
            .collect(),
        weights: w,
    }
}

fn panel_job(engine: &Engine, id: &str, w: &Weights) -> Option<PanelJob> {
    let i = engine.index_of_id(id)?;
    let p = engine.profile(i);
    Some(PanelJob {
        title: p.title.clone(),
        level: p.level,
        sources: engine.rank(Direction::Sources, i, w, PANEL_ROWS, None),
        targets: engine.rank(Direction::Targets, i, w, PANEL_ROWS, None),
    })
}

/// Median of the transversal score over all ordered pairs of fiches.
pub fn median_transversal(engine: &Engine) -> f64 {
    let w = Weights::default();
    let n = engine.n_fiches();
    let mut values: Vec<f64> = Vec::with_capacity(n * n);
    for s in 0..n {
        let row = engine.scores_against_all(s, Direction::Targets, &w, None);
        values.extend(
            row[..n]
                .iter()
                .enumerate()
                .filter(|&(t, _)| t != s)
                .filter_map(|(_, p)| p.exact.get(Axis::Transversal)),
        );
    }
    if values.is_empty() {
        return f64::NAN;
    }
    let mid = values.len() / 2;
    *values.select_nth_unstable_by(mid, f64::total_cmp).1
}

/// A value the calibration chooses: a ranking constant or an axis weight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Knob {
    WordingShare,
    DomainBonus,
    LevelPenalty,
    NoCoreFactor,
    PeripheralFactor,
    CoreWeight,
    Transversal,
    Contextes,
}

impl Knob {
    /// The knobs in the order of the coordinate search, with their grids.
    pub const GRIDS: [(Knob, &'static [f64]); 8] = [
        (Knob::WordingShare, &[0.3, 0.4, 0.5, 0.6, 0.7, 0.8]),
        (Knob::CoreWeight, &[0.0, 0.5, 1.0, 2.0, 3.0]),
        (Knob::DomainBonus, &[0.0, 0.025, 0.05, 0.1]),
        (Knob::LevelPenalty, &[0.0, 0.025, 0.05, 0.1]),
        (Knob::NoCoreFactor, &[0.25, 0.5, 0.75, 1.0]),
        (Knob::PeripheralFactor, &[0.5, 0.75, 0.9, 1.0]),
        (Knob::Transversal, &[0.0, 0.25, 0.5, 1.0]),
        (Knob::Contextes, &[0.0, 0.25, 0.5, 1.0]),
    ];

    /// The name printed (the constant's field, or the axis).
    pub fn name(self) -> &'static str {
        match self {
            Knob::WordingShare => "wording_share",
            Knob::DomainBonus => "domain_bonus",
            Knob::LevelPenalty => "level_penalty",
            Knob::NoCoreFactor => "no_core_factor",
            Knob::PeripheralFactor => "peripheral_factor",
            Knob::CoreWeight => "core_weight",
            Knob::Transversal => "transversal",
            Knob::Contextes => "contextes",
        }
    }

    fn get(self, c: &RankingConstants, w: &PerAxis<f64>) -> f64 {
        match self {
            Knob::WordingShare => c.wording_share,
            Knob::DomainBonus => c.domain_bonus,
            Knob::LevelPenalty => c.level_penalty,
            Knob::NoCoreFactor => c.no_core_factor,
            Knob::PeripheralFactor => c.peripheral_factor,
            Knob::CoreWeight => c.core_weight,
            Knob::Transversal => w.get(Axis::Transversal),
            Knob::Contextes => w.get(Axis::Contextes),
        }
    }

    fn set(self, c: &mut RankingConstants, w: &mut PerAxis<f64>, v: f64) {
        match self {
            Knob::WordingShare => c.wording_share = v,
            Knob::DomainBonus => c.domain_bonus = v,
            Knob::LevelPenalty => c.level_penalty = v,
            Knob::NoCoreFactor => c.no_core_factor = v,
            Knob::PeripheralFactor => c.peripheral_factor = v,
            Knob::CoreWeight => c.core_weight = v,
            Knob::Transversal => w.set(Axis::Transversal, v),
            Knob::Contextes => w.set(Axis::Contextes, v),
        }
    }
}

/// One point of the coordinate search: mean recall@15 (sources and
/// targets) on the choosing half with `knob` set to `value`.
#[derive(Debug, Clone, Copy)]
pub struct CalibrationStep {
    pub round: usize,
    pub knob: Knob,
    pub value: f64,
    pub recall: f64,
}

/// The values chosen and their mean recall@15 on each half.
#[derive(Debug, Clone)]
pub struct Calibration {
    pub constants: RankingConstants,
    pub weights: Weights,
    pub choosing: f64,
    pub measuring: f64,
}

/// Recall a counsellors' rule may cost (mean recall@15 on the choosing
/// half): see [`choose_value`].
const RULE_TOLERANCE: f64 = 0.005;

/// The procedure of docs/methode.md: coordinate search, two rounds, over
/// [`Knob::GRIDS`], maximising the mean of the sources and targets
/// recall@15 on the choosing half only; `on_step` sees each point as it is
/// measured (the search takes minutes).
pub fn calibrate(
    catalog: &Catalog,
    pairs: &[ExpertPair],
    on_step: &mut dyn FnMut(&CalibrationStep),
) -> Result<Calibration, WeightsError> {
    let eval = |engine: &Engine, w: &Weights, keep: &(dyn Fn(RomeCode) -> bool + Sync)| {
        let s = engine.recall(pairs, Direction::Sources, w, yardstick::Key::Engine, keep);
        let t = engine.recall(pairs, Direction::Targets, w, yardstick::Key::Engine, keep);
        (s.at_15 + t.at_15) / 2.0
    };
    let mut c = RankingConstants::DEFAULT;
    let mut w = Weights::default().values();
    for round in 1..=2 {
        for (knob, grid) in Knob::GRIDS {
            let mut results = Vec::new();
            for &value in grid {
                let (mut c2, mut w2) = (c, w);
                knob.set(&mut c2, &mut w2, value);
                let engine = Engine::with_constants(catalog, c2);
                let recall = eval(&engine, &Weights::new(w2)?, &choosing);
                on_step(&CalibrationStep {
                    round,
                    knob,
                    value,
                    recall,
                });
                results.push((value, recall));
            }
            let best = choose_value(knob, knob.get(&c, &w), &results);
            knob.set(&mut c, &mut w, best);
        }
    }
    let engine = Engine::with_constants(catalog, c);
    let weights = Weights::new(w)?;
    Ok(Calibration {
        constants: c,
        choosing: eval(&engine, &weights, &choosing),
        measuring: eval(&engine, &weights, &measuring),
        weights,
    })
}

/// The rule of docs/methode.md for one knob: the value with the best
/// recall, the current value on a tie (a constant moves only when the
/// expert list says so). Two constants carry a counsellors' rule and take
/// the value that follows it most within [`RULE_TOLERANCE`] of the best
/// recall: the level penalty δ the **largest** (descents penalised as much
/// as the yardstick allows) and the no-core factor φ the **smallest** (a
/// move that shares nothing of the target is not a passerelle). ψ follows
/// the common rule: the panel, not the yardstick, asks for it (docs/methode.md
/// § 4.5, rule 4).
fn choose_value(knob: Knob, current: f64, results: &[(f64, f64)]) -> f64 {
    let best = results.iter().map(|r| r.1).fold(f64::MIN, f64::max);
    let within = || {
        results
            .iter()
            .filter(|r| r.1 >= best - RULE_TOLERANCE)
            .map(|r| r.0)
    };
    match knob {
        Knob::LevelPenalty => return within().fold(f64::MIN, f64::max),
        Knob::NoCoreFactor => return within().fold(f64::MAX, f64::min),
        _ => {}
    }
    match results.iter().find(|r| r.0 == current) {
        Some(r) if r.1 >= best - 1e-9 => current,
        _ => results
            .iter()
            .find(|r| r.1 >= best - 1e-9)
            .map_or(current, |r| r.0),
    }
}
