//! Routes of up to three steps between jobs, and the "second circle" of a
//! job: the destinations that open up in two steps (docs/methode.md § 10).
//!
//! A step is a move the ranking itself would print as a direct passerelle
//! (courte or possible) or as a *reconversion longue* (a named qualifying
//! step): an exigeante move is never a step. The cost of a route adds, for
//! each step, what the move lacks of a perfect score and, for a long step,
//! [`LONG_STEP_COST`]:
//!
//! ```text
//! cost(route) = Σ_steps (1 − score(step)) + γ · [step is a reconversion longue]
//! ```
//!
//! so a route of two good passerelles can beat one long step, and a route
//! with a long step is shown with the diploma it needs. The search is
//! bounded: the [`ROUTE_FANOUT`] cheapest first steps out of the source and
//! last steps into the target are the only intermediates of a three-step
//! route, and the [`CIRCLE_FANOUT`] cheapest first steps the only ones of the
//! second circle. The small graph of those moves is a `petgraph` graph, and
//! the routes are its simple paths of at most three edges.

use std::collections::{BTreeMap, HashMap};

use petgraph::graph::{DiGraph, NodeIndex};
use rayon::prelude::*;
use serde::Serialize;

use super::axis::{Axis, ItemSet};
use super::rank::level_move;
use super::score::{Credit, Held, PairScores};
use super::tiers::{Tier, Tiers};
use super::{Engine, Weights};

/// Most steps in a route.
pub const ROUTE_MAX_STEPS: usize = 3;

/// Routes `chemins SOURCE CIBLE` prints when the user asks for no number.
pub const DEFAULT_ROUTES: usize = 3;

/// Destinations of the second circle printed when the user asks for no number.
pub const DEFAULT_SECOND_CIRCLE: usize = 15;

/// γ: what a *reconversion longue* step adds to a route's cost — the price
/// of a qualifying diploma, counted as one more step that transfers nothing.
pub const LONG_STEP_COST: f64 = 1.0;

/// First and last steps kept as the intermediates of a three-step route.
pub const ROUTE_FANOUT: usize = 30;

/// First steps explored for the second circle.
pub const CIRCLE_FANOUT: usize = 20;

/// A job as a route names it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RouteJob {
    /// ROME code or `poste:<slug>`.
    pub id: String,
    pub title: String,
    /// Usual access level (1–8), when determined.
    pub level: Option<u8>,
}

/// Items of the next job the person does not hold yet (exact labels).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ToAcquire {
    pub savoirs: u32,
    pub savoir_faire: u32,
}

/// One move of a route, with the figures the ranking prints for it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RouteStep {
    pub from: RouteJob,
    pub to: RouteJob,
    pub score: f64,
    /// Exact coverage of the next job's savoirs and savoir-faire.
    pub savoirs: Option<f64>,
    pub savoir_faire: Option<f64>,
    pub tier: Tier,
    pub tier_label: &'static str,
    /// For a *reconversion longue*: the diploma it requires, in the texts' words.
    pub requirement: Option<String>,
    /// "qualification à acquérir" / "reconversion descendante".
    pub level_move: Option<&'static str>,
    /// What the step adds: the next job's items not held yet.
    pub to_acquire: ToAcquire,
    /// This step's share of the route cost: 1 − score, plus γ if long.
    pub cost: f64,
}

/// A route: its steps in order and its cost (lower is easier).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Route {
    pub steps: Vec<RouteStep>,
    pub cost: f64,
}

impl Route {
    /// The jobs passed through, source and destination excluded.
    pub fn intermediates(&self) -> impl Iterator<Item = &RouteJob> {
        self.steps.iter().skip(1).map(|s| &s.from)
    }

    pub fn destination(&self) -> &RouteJob {
        &self.steps[self.steps.len() - 1].to
    }
}

/// The routes from one job to another.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Routes {
    pub source: RouteJob,
    pub target: RouteJob,
    #[cfg_attr(feature = "openapi", schema(value_type = super::axis::AxisMap<f64>))]
    pub weights: Weights,
    pub tiers: Tiers,
    /// γ, the cost of a long step.
    pub long_step_cost: f64,
    /// Cheapest first; empty when no route of at most three steps exists.
    pub routes: Vec<Route>,
}

/// The destinations two steps away that are not direct passerelles.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SecondCircle {
    pub source: RouteJob,
    #[cfg_attr(feature = "openapi", schema(value_type = super::axis::AxisMap<f64>))]
    pub weights: Weights,
    pub tiers: Tiers,
    pub long_step_cost: f64,
    /// The first steps explored (cheapest direct or long moves of the source).
    pub explored: usize,
    /// One route per destination (its cheapest), cheapest first.
    pub destinations: Vec<Route>,
}

/// How two jobs are joined, from the nearest to the farthest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reach {
    /// A direct passerelle (courte or possible).
    Direct,
    /// A route of two direct passerelles.
    TwoDirectSteps,
    /// A route of two steps, one or both a *reconversion longue*.
    TwoStepsWithLong,
    /// Nothing within two steps.
    NotInTwoSteps,
}

/// One scored move between two profiles, kept when it can be a step.
#[derive(Debug, Clone, Copy)]
struct Move {
    scores: PairScores,
    tier: Tier,
    cost: f64,
}

impl Engine {
    /// A move as a route step, or `None` when the ranking would not print
    /// it as a direct passerelle or a *reconversion longue*.
    fn step_move(&self, tiers: &Tiers, scores: PairScores) -> Option<Move> {
        let tier = tiers.tier_of(&scores);
        let score = scores.score?;
        let long = tier == Tier::ReconversionLongue;
        (tier.is_direct() || long).then_some(Move {
            scores,
            tier,
            cost: 1.0 - score + if long { LONG_STEP_COST } else { 0.0 },
        })
    }

    /// Whether profile `p` may be passed through on the way from `s` to
    /// `t`: a fiche (postes are not stops) of a third job.
    fn may_pass_through(&self, p: usize, ends: &[usize]) -> bool {
        p < self.n_fiches
            && ends
                .iter()
                .all(|&e| self.profiles[e].fiche != self.profiles[p].fiche)
    }

    /// The cheapest `n` step moves of a row, by profile.
    fn cheapest_steps(
        &self,
        tiers: &Tiers,
        row: Vec<PairScores>,
        ends: &[usize],
        n: usize,
    ) -> Vec<(usize, Move)> {
        let mut moves: Vec<(usize, Move)> = row
            .into_iter()
            .enumerate()
            .filter(|&(p, _)| self.may_pass_through(p, ends))
            .filter_map(|(p, sc)| self.step_move(tiers, sc).map(|m| (p, m)))
            .collect();
        moves.sort_by(|a, b| a.1.cost.total_cmp(&b.1.cost).then(a.0.cmp(&b.0)));
        moves.truncate(n);
        moves
    }

    /// The scores of every move from `froms` to `tos` (pairs of distinct
    /// fiches), each computed as [`Engine::pair`] does, one credit load per
    /// profile.
    fn moves_between(
        &self,
        froms: &[usize],
        tos: &[usize],
        weights: &Weights,
    ) -> Vec<(usize, usize, PairScores)> {
        let mut credit = Credit::new(self);
        let mut forward: HashMap<(usize, usize), [Held; 3]> = HashMap::new();
        for &x in froms {
            credit.load(self, x);
            for &y in tos.iter().filter(|&&y| y != x) {
                forward.insert((x, y), credit.gather_all(self, y));
            }
        }
        let mut out = Vec::with_capacity(forward.len());
        for &y in tos {
            credit.load(self, y);
            for &x in froms.iter().filter(|&&x| x != y) {
                let reverse = credit.gather_all(self, x);
                let scores = self.assemble(
                    (x, y),
                    &forward[&(x, y)],
                    &reverse,
                    self.wording(x, y),
                    weights,
                    (None, None),
                );
                out.push((x, y, scores));
            }
        }
        out
    }

    /// The best `max` routes of at most [`ROUTE_MAX_STEPS`] steps from
    /// profile `s` to profile `t`.
    pub fn routes(&self, s: usize, t: usize, weights: &Weights, max: usize) -> Routes {
        let weights = self.ranking_weights(s, weights, None);
        let tiers = self.thresholds(&weights);
        let ends = [s, t];
        let out_of_s = self.scores_against_all(s, super::Direction::Targets, &weights, None);
        let into_t = self.scores_against_all(t, super::Direction::Sources, &weights, None);
        let direct = self.step_move(&tiers, out_of_s[t]);
        let firsts = self.cheapest_steps(&tiers, out_of_s, &ends, ROUTE_FANOUT);
        let lasts = self.cheapest_steps(&tiers, into_t, &ends, ROUTE_FANOUT);

        let mut graph: DiGraph<usize, Move> = DiGraph::new();
        let mut nodes: BTreeMap<usize, NodeIndex> = BTreeMap::new();
        let mut node = |g: &mut DiGraph<usize, Move>, p: usize| {
            *nodes.entry(p).or_insert_with(|| g.add_node(p))
        };
        let (ns, nt) = (node(&mut graph, s), node(&mut graph, t));
        if let Some(m) = direct {
            graph.add_edge(ns, nt, m);
        }
        for &(x, m) in &firsts {
            let nx = node(&mut graph, x);
            graph.add_edge(ns, nx, m);
        }
        for &(y, m) in &lasts {
            let ny = node(&mut graph, y);
            graph.add_edge(ny, nt, m);
        }
        let xs: Vec<usize> = firsts.iter().map(|f| f.0).collect();
        let ys: Vec<usize> = lasts.iter().map(|l| l.0).collect();
        for (x, y, scores) in self.moves_between(&xs, &ys, &weights) {
            if let Some(m) = self.step_move(&tiers, scores) {
                let (nx, ny) = (node(&mut graph, x), node(&mut graph, y));
                graph.add_edge(nx, ny, m);
            }
        }
        let mut routes: Vec<Route> = petgraph::algo::all_simple_paths::<
            Vec<_>,
            _,
            std::hash::RandomState,
        >(&graph, ns, nt, 0, Some(ROUTE_MAX_STEPS - 1))
        .map(|path| {
            let steps = path
                .windows(2)
                .map(|w| {
                    let e = graph.find_edge(w[0], w[1]).expect("edge of the path");
                    (graph[w[0]], graph[w[1]], graph[e])
                })
                .collect::<Vec<_>>();
            self.route(&steps)
        })
        .collect();
        sort_routes(&mut routes);
        routes.truncate(max);
        Routes {
            source: self.route_job(s),
            target: self.route_job(t),
            weights,
            tiers,
            long_step_cost: LONG_STEP_COST,
            routes,
        }
    }

    /// The destinations two steps from `s` that are not direct passerelles
    /// of `s`, each by its cheapest route, cheapest first (at most `max`).
    pub fn second_circle(&self, s: usize, weights: &Weights, max: usize) -> SecondCircle {
        let weights = self.ranking_weights(s, weights, None);
        let tiers = self.thresholds(&weights);
        let out_of_s = self.scores_against_all(s, super::Direction::Targets, &weights, None);
        let direct_of_s: Vec<bool> = out_of_s
            .iter()
            .map(|sc| tiers.tier_of(sc).is_direct())
            .collect();
        let firsts = self.cheapest_steps(&tiers, out_of_s, &[s], CIRCLE_FANOUT);
        let seconds: Vec<Vec<(usize, Move)>> = firsts
            .par_iter()
            .map(|&(x, _)| {
                let row = self.scores_against_all(x, super::Direction::Targets, &weights, None);
                self.cheapest_steps(&tiers, row, &[s, x], usize::MAX)
            })
            .collect();
        let mut best: HashMap<usize, (usize, Move, Move)> = HashMap::new();
        for (&(x, first), seconds) in firsts.iter().zip(&seconds) {
            for &(y, second) in seconds.iter().filter(|(y, _)| !direct_of_s[*y]) {
                let cost = first.cost + second.cost;
                let better = best
                    .get(&y)
                    .is_none_or(|(bx, f, g)| (cost, x) < (f.cost + g.cost, *bx));
                if better {
                    best.insert(y, (x, first, second));
                }
            }
        }
        let mut destinations: Vec<Route> = best
            .into_iter()
            .map(|(y, (x, first, second))| self.route(&[(s, x, first), (x, y, second)]))
            .collect();
        sort_routes(&mut destinations);
        destinations.truncate(max);
        SecondCircle {
            source: self.route_job(s),
            weights,
            tiers,
            long_step_cost: LONG_STEP_COST,
            explored: firsts.len(),
            destinations,
        }
    }

    /// How each pair `(s, t)` of fiches is joined: by a direct passerelle,
    /// else by a route of two direct passerelles, else by a route of two
    /// steps one of which (or both) is a *reconversion longue* (`bench
    /// ranking`: the expert moves missed as direct moves that a route still
    /// reaches). One pass over every ordered pair of fiches.
    pub fn two_step_reach(&self, pairs: &[(usize, usize)], weights: &Weights) -> Vec<Reach> {
        let tiers = self.thresholds(weights);
        let n = self.n_fiches;
        // Every fiche's steps as one row: 2 direct, 1 long, 0 none.
        let steps: Vec<Vec<u8>> = (0..n)
            .into_par_iter()
            .map(|x| {
                let row = self.scores_against_all(x, super::Direction::Targets, weights, None);
                row.into_iter()
                    .take(n)
                    .enumerate()
                    .map(|(y, sc)| match self.step_move(&tiers, sc) {
                        _ if x == y => 0,
                        Some(m) if m.tier.is_direct() => 2,
                        Some(_) => 1,
                        None => 0,
                    })
                    .collect()
            })
            .collect();
        pairs
            .iter()
            .map(|&(s, t)| {
                if steps[s][t] == 2 {
                    return Reach::Direct;
                }
                let through = (0..n).filter(|&x| self.may_pass_through(x, &[s, t]));
                let best = through
                    .map(|x| steps[s][x].min(steps[x][t]))
                    .max()
                    .unwrap_or(0);
                match best {
                    2 => Reach::TwoDirectSteps,
                    1 => Reach::TwoStepsWithLong,
                    _ => Reach::NotInTwoSteps,
                }
            })
            .collect()
    }

    pub(crate) fn route_job(&self, p: usize) -> RouteJob {
        let prof = &self.profiles[p];
        RouteJob {
            id: prof.id.clone(),
            title: prof.title.clone(),
            level: prof.level.map(|l| l.get()),
        }
    }

    /// A route from its moves `(from, to, move)`.
    fn route(&self, moves: &[(usize, usize, Move)]) -> Route {
        let steps: Vec<RouteStep> = moves
            .iter()
            .map(|&(from, to, m)| {
                let sc = &m.scores;
                let exact = self.exact_counts(from, to);
                let missing = |set: ItemSet| {
                    self.profiles[to].sets[set as usize].len() as u32 - exact[set as usize]
                };
                RouteStep {
                    from: self.route_job(from),
                    to: self.route_job(to),
                    score: sc.score.unwrap_or(0.0),
                    savoirs: sc.exact.get(Axis::Savoirs),
                    savoir_faire: sc.exact.get(Axis::SavoirFaire),
                    tier: m.tier,
                    tier_label: m.tier.label_fr(),
                    requirement: (m.tier == Tier::ReconversionLongue)
                        .then(|| self.requirement(to, &sc.terms))
                        .flatten(),
                    level_move: level_move(&sc.terms),
                    to_acquire: ToAcquire {
                        savoirs: missing(ItemSet::Savoirs),
                        savoir_faire: missing(ItemSet::SavoirFaire),
                    },
                    cost: m.cost,
                }
            })
            .collect();
        Route {
            cost: steps.iter().map(|s| s.cost).sum(),
            steps,
        }
    }
}

/// Cheapest first; at equal cost the shorter route, then by the jobs' ids.
fn sort_routes(routes: &mut [Route]) {
    routes.sort_by(|a, b| {
        a.cost
            .total_cmp(&b.cost)
            .then(a.steps.len().cmp(&b.steps.len()))
            .then_with(|| {
                let ids = |r: &Route| r.steps.iter().map(|s| s.to.id.clone()).collect::<Vec<_>>();
                ids(a).cmp(&ids(b))
            })
    });
}
