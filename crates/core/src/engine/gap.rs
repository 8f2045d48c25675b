//! The "mesure des écarts" of seed 000 for any pair: transversal buckets,
//! savoirs acquired / to acquire (with "proche de …"), savoir-faire,
//! certifications, contexts similar / new by type, and the French sentences.

use std::collections::{BTreeMap, HashSet};

use serde::Serialize;

use super::axis::{Axis, ItemSet};
use super::explain::{Explanation, ItemBrief, Matched, Missing, formula};
use super::rank::RiasecCongruence;
use super::score::PairScores;
use super::tiers::Tier;
use super::tprofile::{Bucket, TransversalCoverage, transversal_coverage};
use super::{Engine, Weights};
use crate::codes::OgrCode;
use crate::job::{Job, JobSummary};
use crate::referential::SavoirCategory;
use crate::text::fold;
use crate::transversal::TransversalProfile;

/// Other fiches of the target's grand domaine that must require a savoir
/// for it to belong to the trade's common base, when the fiche marks no core
/// savoir (docs/methode.md § 9): one other fiche may share a specialty, three
/// make a common base (J1303: hygiène, stérilisation, premiers secours, but
/// not orthodontie or dosimétrie).
pub const CORE_DOMAIN_FICHES: usize = 3;

/// The source item closest to a target item the source lacks.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NearItem {
    #[cfg_attr(feature = "openapi", schema(value_type = u32))]
    pub ogr: OgrCode,
    pub label: String,
    /// Credit in (0, 0.5].
    pub strength: f64,
}

/// A target item in the gap lists.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GapItem {
    #[cfg_attr(feature = "openapi", schema(value_type = u32))]
    pub ogr: OgrCode,
    pub label: String,
    /// Savoirs: `connaissances` or `savoir_faire` (see docs/methode.md);
    /// savoir-faire: the macro-compétence's label.
    pub group: String,
    /// Only for items to acquire: the source's nearest item ("proche de …").
    pub proche_de: Option<NearItem>,
    /// Part of the core of the target job ([`CoreBasis`]); the others depend
    /// on the post ("Selon le poste"). Items to acquire list the core first.
    pub coeur: bool,
}

/// What decided which of the target's items make the core of the job
/// (docs/methode.md § 9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CoreBasis {
    /// The fiche marks them `coeur_metier` « Principale » (ROME).
    CoeurMetier,
    /// The fiche marks none of its savoirs: the core is what other fiches
    /// of its grand domaine also require, or what its own core savoir-faire
    /// name (docs/methode.md § 9).
    SocleDomaine,
    /// The target is a poste: every item it selects is the job.
    Poste,
}

/// One item axis of the gap.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ItemsGap {
    pub score: Option<f64>,
    pub numerator: u32,
    pub denominator: u32,
    pub acquis: Vec<GapItem>,
    /// Core of the target job first (`coeur`), then the items that depend on
    /// the post.
    pub a_acquerir: Vec<GapItem>,
    /// How the core items were chosen.
    pub coeur_basis: CoreBasis,
    /// How many of `a_acquerir` are near an item of the source.
    pub proches: usize,
    /// The displayed percentage (exact, unweighted).
    pub explanation: Explanation,
    /// The ranking component (IDF, near credit).
    pub ranking: Explanation,
}

/// Savoirs split as seed 000 does.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SavoirsSplit {
    pub connaissances: usize,
    pub savoir_faire: usize,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CertificationsGap {
    /// Certifications of the source that the target also lists.
    pub communes: Vec<ItemBrief>,
    /// Certifications of the target the source does not list.
    pub cible_seulement: Vec<ItemBrief>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContextGroup {
    pub type_label: String,
    pub items: Vec<ItemBrief>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContextesGap {
    pub score: Option<f64>,
    pub numerator: u32,
    pub denominator: u32,
    pub similaires: Vec<ContextGroup>,
    pub nouveaux: Vec<ContextGroup>,
    pub explanation: Explanation,
    pub ranking: Explanation,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TransversalGap {
    pub score: f64,
    pub adaptees: Vec<&'static str>,
    pub plus_elevees: Vec<&'static str>,
    pub a_faire_evoluer: Vec<&'static str>,
    /// Competencies the target uses that the source's estimate does not
    /// assess: outside the percentage.
    pub non_estimees: Vec<&'static str>,
    pub detail: TransversalCoverage,
    pub explanation: Explanation,
}

/// The access levels of both jobs (crate::qualification) and what a move of
/// two levels or more means.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LevelsGap {
    pub source: Option<crate::qualification::AccessLevel>,
    pub target: Option<crate::qualification::AccessLevel>,
    /// "reconversion descendante" or "qualification à acquérir".
    pub move_label: Option<&'static str>,
    /// When the target is two or more levels up: the target's certifications
    /// of its entry level (the qualifying ones).
    pub qualifying_certifications: Vec<ItemBrief>,
    /// For a regulated target: the sentence naming the required diploma.
    pub required_diploma: Option<String>,
}

/// The full gap analysis of source → target.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Gap {
    pub source: JobSummary,
    pub target: JobSummary,
    #[cfg_attr(feature = "openapi", schema(value_type = super::axis::AxisMap<f64>))]
    pub weights: Weights,
    pub scores: PairScores,
    pub tier: Tier,
    pub tier_label: &'static str,
    /// For a *reconversion longue*: what it requires (see `RankRow`).
    pub requirement: Option<String>,
    pub riasec: RiasecCongruence,
    /// `None` when either transversal profile is missing.
    pub transversal: Option<TransversalGap>,
    pub savoirs: ItemsGap,
    pub savoirs_acquis_split: SavoirsSplit,
    pub savoirs_a_acquerir_split: SavoirsSplit,
    pub savoir_faire: ItemsGap,
    pub certifications: CertificationsGap,
    pub contextes: ContextesGap,
    /// Usual access levels and what a move between them asks.
    pub niveaux: LevelsGap,
    /// French sentences generated from the numbers.
    pub narrative: Vec<String>,
}

impl Engine {
    /// The gap analysis between two resolved jobs.
    pub fn gap(
        &self,
        source: &Job,
        target: &Job,
        weights: &Weights,
        source_tp: Option<&TransversalProfile>,
        target_tp: Option<&TransversalProfile>,
    ) -> Result<Gap, super::EngineError> {
        let (s, t) = (self.index_of(source)?, self.index_of(target)?);
        // The basis of the target's `sources` ranking, whose rows the gap details.
        let weights = &self.ranking_weights(t, weights, target_tp);
        let scores = self.pair(s, t, weights, source_tp, target_tp);
        let tiers = self.thresholds(weights);
        let tier = tiers.tier_of(&scores);
        let requirement = (tier == Tier::ReconversionLongue)
            .then(|| self.requirement(t, &scores.terms))
            .flatten();
        let ts = source_tp.or(self.profiles[s].transversal.as_ref());
        let tt = target_tp.or(self.profiles[t].transversal.as_ref());
        let transversal = match (ts, tt) {
            (Some(a), Some(b)) => transversal_coverage(a, b).map(transversal_gap),
            _ => None,
        };
        let savoirs = self.items_gap(s, t, ItemSet::Savoirs);
        let split = |items: &[GapItem]| SavoirsSplit {
            connaissances: items.iter().filter(|i| i.group == "connaissances").count(),
            savoir_faire: items.iter().filter(|i| i.group == "savoir_faire").count(),
        };
        let savoirs_acquis_split = split(&savoirs.acquis);
        let savoirs_a_acquerir_split = split(&savoirs.a_acquerir);
        let savoir_faire = self.items_gap(s, t, ItemSet::SavoirFaire);
        let contextes = self.contextes_gap(s, t);
        let certifications = self.certifications_gap(s, t);
        let (sn, tn) = (source.title.as_str(), target.title.as_str());
        let mut narrative = Vec::new();
        if let Some(tg) = &transversal {
            narrative.push(sentence_transversal(sn, tn, tg));
        }
        narrative.push(sentence_items(sn, tn, &savoirs, Noun::Savoir));
        narrative.push(sentence_items(sn, tn, &savoir_faire, Noun::SavoirFaire));
        if !certifications.communes.is_empty() {
            narrative.push(sentence_certifications(sn, tn, &certifications));
        }
        if contextes.denominator > 0 {
            narrative.push(sentence_contextes(
                sn,
                tn,
                contextes.numerator,
                contextes.denominator,
            ));
        }
        let niveaux = self.levels_gap(s, t, &scores);
        if let Some(sentence) = sentence_levels(sn, tn, &niveaux) {
            narrative.push(sentence);
        }
        Ok(Gap {
            source: source.summary(),
            target: target.summary(),
            weights: *weights,
            scores,
            tier,
            tier_label: tier.label_fr(),
            requirement,
            riasec: RiasecCongruence::new(self.profiles[s].riasec, self.profiles[t].riasec),
            transversal,
            savoirs,
            savoirs_acquis_split,
            savoirs_a_acquerir_split,
            savoir_faire,
            certifications,
            contextes,
            niveaux,
            narrative,
        })
    }

    /// The source's savoir-faire seen from the target, item by item: `acquis`
    /// are those the target lists too (credit 1), `a_acquerir` the others,
    /// with the target's nearest item and its near credit
    /// (`proche_de.strength`, at most [`super::lexical`]'s near credit) —
    /// the credit the ranking gives. The parcours grades the source's
    /// activities with it (docs/methode.md, « Parcours »).
    pub fn transferable(&self, source: &Job, target: &Job) -> Result<ItemsGap, super::EngineError> {
        let (s, t) = (self.index_of(source)?, self.index_of(target)?);
        Ok(self.items_gap(t, s, ItemSet::SavoirFaire))
    }

    fn levels_gap(&self, s: usize, t: usize, scores: &PairScores) -> LevelsGap {
        let (sp, tp) = (&self.profiles[s], &self.profiles[t]);
        let target = self.access_level(tp.fiche).cloned();
        let move_label = super::rank::level_move(&scores.terms);
        let qualifying_certifications = match (move_label, target.as_ref().and_then(|l| l.level)) {
            (Some("qualification à acquérir"), Some(level)) => tp
                .certifications
                .iter()
                .filter(|&&o| {
                    let label = self.label_of(o);
                    crate::qualification::certification_level(&label) == Some(level)
                })
                .map(|&o| self.brief(o))
                .collect(),
            _ => Vec::new(),
        };
        LevelsGap {
            source: self.access_level(sp.fiche).cloned(),
            required_diploma: target.as_ref().and_then(|l| l.required_diploma.clone()),
            target,
            move_label,
            qualifying_certifications,
        }
    }

    pub(super) fn label_of(&self, ogr: OgrCode) -> String {
        self.referential
            .item(ogr)
            .map(|i| i.label().to_string())
            .unwrap_or_else(|| ogr.to_string())
    }

    fn brief(&self, ogr: OgrCode) -> ItemBrief {
        ItemBrief {
            ogr,
            label: self.label_of(ogr),
        }
    }

    fn group_of(&self, set: ItemSet, ogr: OgrCode) -> String {
        match set {
            ItemSet::Savoirs => match self.referential.savoir(ogr).map(|s| &s.category) {
                Some(
                    SavoirCategory::TechniquesProfessionnelles
                    | SavoirCategory::ProduitsOutilsMatieres,
                ) => "savoir_faire".into(),
                _ => "connaissances".into(),
            },
            ItemSet::SavoirFaire => {
                let c = self.referential.competence(ogr);
                let m = c.and_then(|c| c.macro_ogr).unwrap_or(ogr);
                self.label_of(m)
            }
            ItemSet::Contextes => self
                .referential
                .contexte(ogr)
                .map(|c| c.type_label.clone())
                .unwrap_or_default(),
        }
    }

    /// The target's items of `set` that make the core of the job, and why
    /// (docs/methode.md § 9). A poste is a selection of items: all of them.
    /// A fiche: those it marks `coeur_metier` « Principale ». A fiche that
    /// marks none of its items of the set (half the fiches, for savoirs;
    /// J1303): those that at least [`CORE_DOMAIN_FICHES`] other fiches of its
    /// grand domaine also require (the trade's common base, not one
    /// specialty's), and those at least half of whose words the fiche's own
    /// core savoir-faire use ("Formation aux équipements d'assistance
    /// respiratoire" beside "Effectuer des réglages sur un appareil
    /// d'assistance respiratoire").
    fn core_items(&self, t: usize, set: ItemSet) -> (CoreBasis, HashSet<OgrCode>) {
        use crate::referential::{CoeurMetier, ItemKind};
        let k = set as usize;
        let (u, prof) = (&self.universes[k], &self.profiles[t]);
        let items: Vec<OgrCode> = prof.sets[k].iter().map(|&i| u.ogr[i as usize]).collect();
        if prof.is_poste {
            return (CoreBasis::Poste, items.into_iter().collect());
        }
        let Some(fiche) = self.referential.fiche(prof.fiche) else {
            return (CoreBasis::CoeurMetier, HashSet::new());
        };
        let principal: HashSet<OgrCode> = fiche
            .items
            .iter()
            .filter(|l| l.coeur == CoeurMetier::Principale)
            .map(|l| l.ogr)
            .collect();
        let marked: HashSet<OgrCode> = items
            .iter()
            .copied()
            .filter(|o| principal.contains(o))
            .collect();
        if !marked.is_empty() {
            return (CoreBasis::CoeurMetier, marked);
        }
        let letter = prof.domaine.get(..1).unwrap_or_default();
        let core_words: HashSet<String> = fiche
            .items
            .iter()
            .filter(|l| l.kind == ItemKind::SavoirFaire && l.coeur == CoeurMetier::Principale)
            .filter_map(|l| self.referential.competence(l.ogr))
            .flat_map(|c| super::lexical::tokens(&c.label))
            .collect();
        let core = prof.sets[k]
            .iter()
            .filter(|&&i| {
                let in_domain = u.postings[i as usize]
                    .iter()
                    .filter(|&&p| {
                        let p = p as usize;
                        p != t && p < self.n_fiches && self.profiles[p].domaine.starts_with(letter)
                    })
                    .count();
                let words = super::lexical::tokens(&self.label_of(u.ogr[i as usize]));
                let named = words.iter().filter(|w| core_words.contains(*w)).count();
                in_domain >= CORE_DOMAIN_FICHES || (!words.is_empty() && 2 * named >= words.len())
            })
            .map(|&i| u.ogr[i as usize])
            .collect();
        (CoreBasis::SocleDomaine, core)
    }

    fn items_gap(&self, s: usize, t: usize, set: ItemSet) -> ItemsGap {
        let k = set as usize;
        let u = &self.universes[k];
        let (src, tgt) = (&self.profiles[s].sets[k], &self.profiles[t].sets[k]);
        let (coeur_basis, core) = self.core_items(t, set);
        let mut acquis = Vec::new();
        let mut a_acquerir = Vec::new();
        let mut r_matched = Vec::new();
        let mut r_missing = Vec::new();
        let mut e_missing = Vec::new();
        let mut e_matched = Vec::new();
        let mut r_num = 0.0;
        for (&i, &weight) in tgt.iter().zip(&self.profiles[t].item_weight[k]) {
            let ogr = u.ogr[i as usize];
            let label = self.label_of(ogr);
            // The item's weight in the ranking component: IDF, × (1 + κ) for core.
            let idf = f64::from(weight);
            let group = self.group_of(set, ogr);
            if src.binary_search(&i).is_ok() {
                r_num += idf;
                r_matched.push(Matched {
                    ogr: Some(ogr),
                    competency: None,
                    label: label.clone(),
                    strength: 1.0,
                    weight: idf,
                    near_to: None,
                });
                e_matched.push(Matched {
                    ogr: Some(ogr),
                    competency: None,
                    label: label.clone(),
                    strength: 1.0,
                    weight: 1.0,
                    near_to: None,
                });
                acquis.push(GapItem {
                    ogr,
                    label,
                    group,
                    proche_de: None,
                    coeur: core.contains(&ogr),
                });
                continue;
            }
            let best = u
                .near
                .of(i)
                .iter()
                .filter(|(j, _)| src.binary_search(j).is_ok())
                .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
            let proche_de = best.map(|&(j, c)| {
                let o = u.ogr[j as usize];
                NearItem {
                    ogr: o,
                    label: self.label_of(o),
                    strength: f64::from(c),
                }
            });
            e_missing.push(Missing {
                ogr: Some(ogr),
                competency: None,
                label: label.clone(),
                weight: 1.0,
            });
            match &proche_de {
                Some(n) => {
                    r_num += idf * n.strength;
                    r_matched.push(Matched {
                        ogr: Some(ogr),
                        competency: None,
                        label: label.clone(),
                        strength: n.strength,
                        weight: idf,
                        near_to: Some(ItemBrief {
                            ogr: n.ogr,
                            label: n.label.clone(),
                        }),
                    });
                }
                None => r_missing.push(Missing {
                    ogr: Some(ogr),
                    competency: None,
                    label: label.clone(),
                    weight: idf,
                }),
            }
            a_acquerir.push(GapItem {
                ogr,
                label,
                group,
                proche_de,
                coeur: core.contains(&ogr),
            });
        }
        let sort =
            |v: &mut Vec<GapItem>| v.sort_by_cached_key(|i| (i.group.clone(), fold(&i.label)));
        sort(&mut acquis);
        // The core of the target job leads.
        a_acquerir.sort_by_cached_key(|i| (!i.coeur, i.group.clone(), fold(&i.label)));
        let axis = set.axis();
        let n = acquis.len() as u32;
        let d = tgt.len() as u32;
        let score = (d > 0).then(|| f64::from(n) / f64::from(d));
        let r_den = self.profiles[t].idf_sum[k];
        let (fe, fr) = match set {
            ItemSet::Savoirs => (formula::SAVOIRS_EXACT, formula::SAVOIRS_RANKING),
            ItemSet::SavoirFaire => (formula::SAVOIR_FAIRE_EXACT, formula::SAVOIR_FAIRE_RANKING),
            ItemSet::Contextes => (formula::CONTEXTES_EXACT, formula::CONTEXTES_RANKING),
        };
        let proches = a_acquerir.iter().filter(|i| i.proche_de.is_some()).count();
        ItemsGap {
            score,
            numerator: n,
            denominator: d,
            acquis,
            a_acquerir,
            coeur_basis,
            proches,
            explanation: Explanation {
                axis,
                formula: fe,
                weights: "uniforme",
                score,
                numerator: f64::from(n),
                denominator: f64::from(d),
                matched: e_matched,
                missing: e_missing,
            },
            ranking: Explanation {
                axis,
                formula: fr,
                weights: "idf_coeur",
                score: (r_den > 0.0).then(|| (r_num / r_den).clamp(0.0, 1.0)),
                numerator: r_num,
                denominator: r_den,
                matched: r_matched,
                missing: r_missing,
            },
        }
    }

    fn contextes_gap(&self, s: usize, t: usize) -> ContextesGap {
        let g = self.items_gap(s, t, ItemSet::Contextes);
        let group = |items: &[GapItem]| {
            let mut m: BTreeMap<String, Vec<ItemBrief>> = BTreeMap::new();
            for i in items {
                m.entry(i.group.clone()).or_default().push(ItemBrief {
                    ogr: i.ogr,
                    label: i.label.clone(),
                });
            }
            m.into_iter()
                .map(|(type_label, items)| ContextGroup { type_label, items })
                .collect()
        };
        let mut ranking = g.ranking;
        ranking.formula = formula::CONTEXTES_RANKING;
        ContextesGap {
            score: g.score,
            numerator: g.numerator,
            denominator: g.denominator,
            similaires: group(&g.acquis),
            nouveaux: group(&g.a_acquerir),
            explanation: g.explanation,
            ranking,
        }
    }

    fn certifications_gap(&self, s: usize, t: usize) -> CertificationsGap {
        let (a, b) = (
            &self.profiles[s].certifications,
            &self.profiles[t].certifications,
        );
        let mut communes: Vec<ItemBrief> = b
            .iter()
            .filter(|o| a.binary_search(o).is_ok())
            .map(|&o| self.brief(o))
            .collect();
        let mut cible: Vec<ItemBrief> = b
            .iter()
            .filter(|o| a.binary_search(o).is_err())
            .map(|&o| self.brief(o))
            .collect();
        communes.sort_by_key(|i| fold(&i.label));
        cible.sort_by_key(|i| fold(&i.label));
        CertificationsGap {
            communes,
            cible_seulement: cible,
        }
    }
}

fn transversal_gap(cov: TransversalCoverage) -> TransversalGap {
    let pick = |b: Bucket| {
        cov.competencies
            .iter()
            .filter(|c| c.bucket == b)
            .map(|c| c.label)
            .collect::<Vec<_>>()
    };
    let explanation = Explanation {
        axis: Axis::Transversal,
        formula: formula::TRANSVERSAL,
        weights: "etoiles_cible",
        score: Some(cov.score),
        numerator: cov.numerator,
        denominator: cov.denominator,
        matched: cov
            .competencies
            .iter()
            .filter_map(|c| Some((c, c.strength.filter(|&s| s > 0.0)?)))
            .map(|(c, strength)| Matched {
                ogr: None,
                competency: Some(c.competency),
                label: c.label.to_string(),
                strength,
                weight: f64::from(c.target_stars),
                near_to: None,
            })
            .collect(),
        missing: cov
            .competencies
            .iter()
            .filter(|c| c.strength == Some(0.0))
            .map(|c| Missing {
                ogr: None,
                competency: Some(c.competency),
                label: c.label.to_string(),
                weight: f64::from(c.target_stars),
            })
            .collect(),
    };
    TransversalGap {
        score: cov.score,
        adaptees: pick(Bucket::Adaptee),
        plus_elevees: pick(Bucket::PlusElevee),
        a_faire_evoluer: pick(Bucket::AFaireEvoluer),
        non_estimees: pick(Bucket::NonEstimee),
        detail: cov,
        explanation,
    }
}

// ---------------------------------------------------------------------------
// French sentences. Job titles are quoted after the neutral "le métier", so
// that no article has to agree with a title's gender ("Le métier « Secrétaire
// médical / Secrétaire médicale »").

/// "1 compétence", "3 compétences".
pub fn plural(n: usize, singular: &str, plural: &str) -> String {
    format!("{n} {}", if n <= 1 { singular } else { plural })
}

fn est_sont(n: usize) -> &'static str {
    if n <= 1 { "est" } else { "sont" }
}

/// "a", "a et b", "a, b et c".
pub fn join_et(parts: &[String]) -> String {
    match parts {
        [] => String::new(),
        [a] => a.clone(),
        [init @ .., last] => format!("{} et {}", init.join(", "), last),
    }
}

/// The transversal sentence. It opens on the percentage and every count
/// that follows comes from the same comparison (`g.detail`), so the words
/// cannot contradict the figure: a competency one level short is "à faire
/// évoluer" *with* partial credit, never "aucune expertise"; one the source
/// does not mobilise is "non mobilisée"; one the source's estimate does not
/// assess is named as outside the percentage.
fn sentence_transversal(s: &str, t: &str, g: &TransversalGap) -> String {
    let count = |f: &dyn Fn(&super::CompetencyGap) -> bool| {
        g.detail.competencies.iter().filter(|c| f(c)).count()
    };
    let adaptees = g.adaptees.len();
    let partial = count(&|c| c.bucket == Bucket::AFaireEvoluer && c.strength > Some(0.0));
    // Three levels short: the strength is 0 though the source practises it.
    let far = count(&|c| c.source_level > Some(0) && c.strength == Some(0.0));
    let absent = count(&|c| c.source_level == Some(0));
    let s_ = |n: usize| if n <= 1 { "" } else { "s" };
    let mut parts = Vec::new();
    if adaptees > 0 {
        parts.push(format!("{adaptees} avec une expertise similaire"));
    }
    if !g.plus_elevees.is_empty() {
        // Seed 000 lists them beside the sentence; a sentence read alone
        // (parcours, API) names them.
        let names: Vec<String> = g.plus_elevees.iter().map(|c| c.to_string()).collect();
        parts.push(format!(
            "{} d'un niveau plus élevé ({})",
            g.plus_elevees.len(),
            join_et(&names)
        ));
    }
    if partial > 0 {
        parts.push(format!(
            "{partial} à faire évoluer, déjà mobilisée{} à un niveau inférieur (comptée{} en partie)",
            s_(partial),
            s_(partial),
        ));
    }
    if far > 0 {
        parts.push(format!(
            "{far} à faire évoluer de trois niveaux (non comptée{})",
            s_(far)
        ));
    }
    if absent > 0 {
        parts.push(format!(
            "{absent} non mobilisée{}, à développer",
            s_(absent)
        ));
    }
    let mut out = format!(
        "Le métier « {s} » couvre {} des compétences transversales du métier « {t} », pondérées par leur importance",
        crate::text::pct(Some(g.score))
    );
    if !parts.is_empty() {
        out.push_str(" : ");
        out.push_str(&join_et(&parts));
    }
    out.push('.');
    let n = g.non_estimees.len();
    if n > 0 {
        out.push_str(&format!(
            " {} {} {} pour le métier « {s} », faute d'indice dans sa fiche, et {} hors de ce pourcentage.",
            plural(n, "compétence transversale", "compétences transversales"),
            if n <= 1 { "n'est pas" } else { "ne sont pas" },
            if n <= 1 { "estimée" } else { "estimées" },
            if n <= 1 { "reste" } else { "restent" },
        ));
    }
    out
}

#[derive(Clone, Copy)]
enum Noun {
    Savoir,
    SavoirFaire,
}

fn sentence_items(s: &str, t: &str, g: &ItemsGap, noun: Noun) -> String {
    let (acq, total, near) = (g.numerator as usize, g.denominator as usize, g.proches);
    let (les, verb) = match noun {
        Noun::Savoir => ("savoirs", "possède"),
        Noun::SavoirFaire => ("savoir-faire", "maîtrise"),
    };
    let some = |n: usize| match noun {
        Noun::Savoir => plural(n, "savoir", "savoirs"),
        Noun::SavoirFaire => format!("{n} savoir-faire"),
    };
    if total == 0 {
        return match noun {
            Noun::Savoir => format!(
                "Le métier « {t} » ne cite aucun savoir professionnel (hors certifications)."
            ),
            Noun::SavoirFaire => format!("Le métier « {t} » ne cite aucun savoir-faire."),
        };
    }
    let near_part = |n: usize| match (n, noun) {
        (1, Noun::Savoir) => " ; 1 d'entre eux est proche d'un savoir déjà maîtrisé".to_string(),
        (1, Noun::SavoirFaire) => {
            " ; 1 d'entre eux est proche d'un savoir-faire déjà maîtrisé".to_string()
        }
        (n, Noun::Savoir) => format!(" ; {n} d'entre eux sont proches de savoirs déjà maîtrisés"),
        (n, Noun::SavoirFaire) => {
            format!(" ; {n} d'entre eux sont proches de savoir-faire déjà maîtrisés")
        }
    };
    if acq == 0 {
        let mut out =
            format!("Le métier « {s} » doit acquérir l'ensemble des {les} du métier « {t} »");
        if near > 0 {
            out.push_str(&near_part(near));
        }
        out.push('.');
        return out;
    }
    if acq == total {
        return format!("Le métier « {s} » {verb} déjà l'ensemble des {les} du métier « {t} ».");
    }
    let rest = total - acq;
    let mut out = format!(
        "Le métier « {s} » {verb} déjà {acq} des {total} {les} du métier « {t} » ; {} {} à acquérir",
        some(rest),
        if rest <= 1 { "reste" } else { "restent" }
    );
    if near > 0 {
        out.push_str(&format!(
            ", dont {near} {}",
            match (near, noun) {
                (1, Noun::Savoir) => "proche d'un savoir déjà maîtrisé",
                (_, Noun::Savoir) => "proches de savoirs déjà maîtrisés",
                (1, Noun::SavoirFaire) => "proche d'un savoir-faire déjà maîtrisé",
                (_, Noun::SavoirFaire) => "proches de savoir-faire déjà maîtrisés",
            }
        ));
    }
    out.push('.');
    out
}

fn sentence_certifications(s: &str, t: &str, c: &CertificationsGap) -> String {
    let n = c.communes.len();
    let names: Vec<String> = c.communes.iter().map(|i| i.label.clone()).collect();
    format!(
        "{} du métier « {s} » {} aussi {} pour le métier « {t} » : {}.",
        if n == 1 {
            "1 certification".to_string()
        } else {
            format!("{n} certifications")
        },
        est_sont(n),
        if n == 1 { "citée" } else { "citées" },
        join_et(&names)
    )
}

/// The words of [`contextes_qualifier`] between « tous connus » and « peu
/// connus », by the least share of similar contexts each needs
/// (docs/methode.md, « Mesure des écarts »).
pub const CONTEXTES_QUALIFIERS: [(f64, &str); 3] = [
    (0.75, "en très grande partie connus"),
    (0.4, "en grande partie connus"),
    (0.2, "en partie connus"),
];

/// How known the target's contexts are, from the share of similar ones.
pub fn contextes_qualifier(similar: u32, total: u32) -> &'static str {
    let r = f64::from(similar) / f64::from(total.max(1));
    if similar == total {
        "tous connus"
    } else if let Some((_, words)) = CONTEXTES_QUALIFIERS.iter().find(|(least, _)| r >= *least) {
        words
    } else if similar > 0 {
        "peu connus"
    } else {
        "tous nouveaux"
    }
}

fn sentence_contextes(s: &str, t: &str, similar: u32, total: u32) -> String {
    format!(
        "Les contextes d'activité liés au métier « {t} » sont {} pour le métier « {s} ».",
        contextes_qualifier(similar, total)
    )
}

/// The narrative sentence about levels, when a move of two levels or more,
/// or a regulated target, has something to say.
fn sentence_levels(source: &str, target: &str, g: &LevelsGap) -> Option<String> {
    let level = |l: &Option<crate::qualification::AccessLevel>| l.as_ref().map(|l| l.display_fr());
    let mut out = match (g.move_label, level(&g.source), level(&g.target)) {
        (Some("reconversion descendante"), Some(a), Some(b)) => format!(
            "Passer de {source} (niveau d'accès habituel {a}) à {target} (niveau {b}) est une reconversion descendante : possible, rarement la première piste."
        ),
        (Some(_), Some(a), Some(b)) => {
            let certs: Vec<String> = g
                .qualifying_certifications
                .iter()
                .map(|c| c.label.clone())
                .collect();
            let named = if certs.is_empty() {
                String::new()
            } else {
                format!(", par exemple {}", join_et(&certs))
            };
            format!(
                "{target} demande habituellement le niveau {b}, {source} le niveau {a} : une certification qualifiante est à prévoir{named}."
            )
        }
        _ => String::new(),
    };
    if let Some(d) = &g.required_diploma {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&format!("Métier réglementé : {d}"));
    }
    (!out.is_empty()).then_some(out)
}
