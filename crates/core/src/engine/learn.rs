//! What to learn next (`apprendre`): the savoirs and savoir-faire whose
//! acquisition turns the most targets of a job into direct passerelles
//! (docs/methode.md § 11).
//!
//! For each candidate item, the job with that one item added is scored
//! against the targets it could open, by the ranking's own formula and
//! thresholds; an item "opens" a target whose label becomes courte or
//! possible. Candidates are the items of the targets within reach that the
//! job lacks, except generic ones: an item held by more than
//! [`GENERIC_ITEM_SHARE`] of the fiches (office tools, hygiene rules) would
//! open hundreds of targets on paper and says nothing about a direction.
//!
//! A target is *within reach* when it is "exigeante" (a long move stays
//! long whatever is learnt) and its score, before the floor φ that a move
//! without any shared item takes, lies at most [`LEARN_REACH`] below the
//! "possible" threshold: one item changes a score by less than that (a
//! test re-scores the whole row with the item added and finds the same
//! targets).

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;

use super::axis::ItemSet;
use super::explain::ItemBrief;
use super::routes::RouteJob;
use super::score::{Credit, Held};
use super::tiers::{Tier, Tiers};
use super::{Direction, Engine, Profile, Weights, label_words, set_item_weights};

/// An item held by more than this share of the fiches is generic: never
/// proposed.
pub const GENERIC_ITEM_SHARE: f64 = 0.10;

/// How far below the "possible" threshold a target may score and still be
/// opened by one item.
pub const LEARN_REACH: f64 = 0.10;

/// Items `apprendre` prints when the user asks for no number.
pub const DEFAULT_LEARN_ITEMS: usize = 5;

/// A target the item opens.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Opened {
    pub id: String,
    pub title: String,
    pub score_before: f64,
    pub score_after: f64,
    /// « passerelle courte » or « passerelle possible ».
    pub tier: Tier,
    pub tier_label: &'static str,
}

/// One item to learn and what it opens.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LearnItem {
    pub item: ItemBrief,
    /// `savoir` or `savoir_faire`.
    pub kind: &'static str,
    /// Fiches holding the item, out of all fiches.
    pub fiches: u32,
    /// Targets that become direct passerelles, strongest first.
    pub opens: Vec<Opened>,
}

/// What to learn next from one job.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Learn {
    pub source: RouteJob,
    #[cfg_attr(feature = "openapi", schema(value_type = super::axis::AxisMap<f64>))]
    pub weights: Weights,
    pub tiers: Tiers,
    /// The generic-item share and the reach, as applied.
    pub generic_item_share: f64,
    pub reach: f64,
    /// Fiches compared (every other fiche and poste).
    pub n_fiches: usize,
    /// Targets within reach, and candidate items tried.
    pub targets_within_reach: usize,
    pub items_tried: usize,
    /// The items that open the most targets, most first.
    pub items: Vec<LearnItem>,
}

/// A target within reach, with what it holds of the source (the part of
/// the reverse coverage the added item changes).
struct Reachable {
    score: f64,
    reverse: [Held; 3],
}

/// The source as the learning loop patches it: its credit loaded once, its
/// item-label word counts.
struct Learner<'a> {
    s: usize,
    weights: &'a Weights,
    tiers: &'a Tiers,
    credit: Credit,
    label_counts: HashMap<u32, u32>,
    /// Targets within reach, by profile index.
    reachable: Vec<Option<Reachable>>,
}

impl Engine {
    /// The `max` items whose acquisition turns the most targets of profile
    /// `s` into direct passerelles.
    pub fn learn(&self, s: usize, weights: &Weights, max: usize) -> Learn {
        let weights = self.ranking_weights(s, weights, None);
        let tiers = self.thresholds(&weights);
        let source = &self.profiles[s];
        let row = self.scores_against_all(s, Direction::Targets, &weights, None);
        let held_by = self.held_by_all(s);
        let reachable: Vec<Option<Reachable>> = row
            .iter()
            .enumerate()
            .map(|(t, sc)| {
                let score = sc.score?;
                let raw = score / sc.terms.factor(&self.constants);
                (self.profiles[t].fiche != source.fiche
                    && tiers.tier_of(sc) == Tier::Exigeante
                    && raw >= tiers.possible.value - LEARN_REACH)
                    .then_some(Reachable {
                        score,
                        reverse: held_by[t],
                    })
            })
            .collect();
        let generic = (GENERIC_ITEM_SHARE * self.n_fiches as f64).floor() as u32;
        let candidates: BTreeSet<(usize, u32)> = reachable
            .iter()
            .enumerate()
            .filter(|(_, r)| r.is_some())
            .flat_map(|(t, _)| {
                [ItemSet::Savoirs, ItemSet::SavoirFaire]
                    .into_iter()
                    .flat_map(move |set| {
                        let k = set as usize;
                        self.profiles[t].sets[k].iter().map(move |&i| (k, i))
                    })
            })
            .filter(|&(k, i)| {
                self.universes[k].df[i as usize] <= generic
                    && source.sets[k].binary_search(&i).is_err()
            })
            .collect();
        let mut credit = Credit::new(self);
        credit.load(self, s);
        let mut label_counts = HashMap::new();
        let words = label_words(&self.referential, source, &self.universes);
        self.vocabularies[1].count(&words, &mut label_counts);
        let mut learner = Learner {
            s,
            weights: &weights,
            tiers: &tiers,
            credit,
            label_counts,
            reachable,
        };
        let mut items: Vec<LearnItem> = candidates
            .iter()
            .filter_map(|&item| self.learn_item(&mut learner, item))
            .collect();
        items.sort_by(|a, b| {
            b.opens
                .len()
                .cmp(&a.opens.len())
                .then_with(|| gain(b).total_cmp(&gain(a)))
                .then_with(|| a.item.ogr.cmp(&b.item.ogr))
        });
        items.truncate(max);
        let targets_within_reach = learner.reachable.iter().flatten().count();
        drop(learner);
        Learn {
            source: self.route_job(s),
            weights,
            tiers,
            generic_item_share: GENERIC_ITEM_SHARE,
            reach: LEARN_REACH,
            n_fiches: self.n_fiches,
            targets_within_reach,
            items_tried: candidates.len(),
            items,
        }
    }

    /// Profile `s` with item `i` of set `k` added (not core: the job's
    /// fiche does not mark it), as the engine would build it.
    fn with_item(&self, learner: &Learner<'_>, (k, i): (usize, u32)) -> Profile {
        let mut p = self.profiles[learner.s].clone();
        let at = p.sets[k].binary_search(&i).unwrap_err();
        p.sets[k].insert(at, i);
        p.core[k].insert(at, false);
        set_item_weights(&mut p, &self.universes, self.constants.core_weight);
        let ogr = self.universes[k].ogr[i as usize];
        let words: Vec<String> = super::wording::stems(&self.label_of(ogr)).collect();
        let mut counts = learner.label_counts.clone();
        self.vocabularies[1].count(&words, &mut counts);
        p.wording[1] = self.vocabularies[1].vector_of_counts(counts);
        p
    }

    /// The targets within reach that hold item `(k, i)` and become direct
    /// passerelles once the source holds it too; `None` when there is none.
    fn learn_item(&self, learner: &mut Learner<'_>, (k, i): (usize, u32)) -> Option<LearnItem> {
        let holders: Vec<usize> = self.universes[k].postings[i as usize]
            .iter()
            .map(|&t| t as usize)
            .filter(|&t| learner.reachable[t].is_some())
            .collect();
        if holders.is_empty() {
            return None;
        }
        let profile = self.with_item(learner, (k, i));
        let weight = profile.item_weight[k][profile.sets[k].binary_search(&i).ok()?];
        let saved = learner.credit.add_item(self, k, i);
        let mut opens: Vec<Opened> = holders
            .iter()
            .filter_map(|&t| {
                let r = learner.reachable[t].as_ref()?;
                let target = &self.profiles[t];
                let forward = learner.credit.gather_all(self, t);
                // The target holds the added item: all of it comes back.
                let mut reverse = r.reverse;
                reverse[k].weighted += weight;
                reverse[k].exact += 1;
                let wording = 0.5
                    * (profile.wording[0].corroborated(&target.wording[0])
                        + profile.wording[1].corroborated(&target.wording[1]));
                let sc = self.assemble_profiles(
                    (&profile, target),
                    &forward,
                    &reverse,
                    wording,
                    learner.weights,
                    (None, None),
                );
                let tier = learner.tiers.tier_of(&sc);
                tier.is_direct().then(|| Opened {
                    id: target.id.clone(),
                    title: target.title.clone(),
                    score_before: r.score,
                    score_after: sc.score.unwrap_or(0.0),
                    tier,
                    tier_label: tier.label_fr(),
                })
            })
            .collect();
        learner.credit.restore(k, &saved);
        if opens.is_empty() {
            return None;
        }
        opens.sort_by(|a, b| {
            b.score_after
                .total_cmp(&a.score_after)
                .then(a.id.cmp(&b.id))
        });
        let ogr = self.universes[k].ogr[i as usize];
        Some(LearnItem {
            item: ItemBrief {
                ogr,
                label: self.label_of(ogr),
            },
            kind: if k == ItemSet::Savoirs as usize {
                "savoir"
            } else {
                "savoir_faire"
            },
            fiches: self.universes[k].df[i as usize],
            opens,
        })
    }
}

/// Total score gained over the opened targets (ties between items).
fn gain(item: &LearnItem) -> f64 {
    item.opens
        .iter()
        .map(|o| o.score_after - o.score_before)
        .sum()
}
