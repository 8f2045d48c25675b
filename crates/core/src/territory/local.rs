//! The local market (`targets … --dept D --local`): the local demand for
//! each target in a département, and the published blend of the mobility
//! score with it that re-ranks the targets **within each label group**
//! (docs/methode.md, « Marché local (`--local`) »). Pure: the store reads
//! the rows of the département once ([`MarketRows`]), this module does the
//! rest.
//!
//! The demand of a target is that of its BMO métier (the ROME → BMO
//! correspondence of `data/territoire/rome_bmo.csv`) in the département —
//! hiring projects and the share judged difficult, BMO survey — and, where
//! the 2021 extract has them, its offers and job seekers:
//!
//! - `indice_projets` = ln(1 + P) / ln(1 + P_max), P the projects of the
//!   target's BMO métier, P_max those of the métier with the most projects
//!   in the département;
//! - `part_difficile` = difficult projects / projects;
//! - `indice_tension` = offres / (offres + demandeurs), 2021;
//! - `demande` d = the mean of those present weighted by [`W_PROJETS`],
//!   [`W_DIFFICILE`], [`W_TENSION`] (renormalised over the present ones);
//! - local score = (1 − [`MU`]) · score + [`MU`] · d.
//!
//! A target without any local figure (no BMO métier, no published line, every
//! cell secret, and no 2021 figure) is kept, with the neutral demand: the
//! median d of the targets that have figures in this ranking (½ when none
//! has), so it is neither pushed up nor down, and its row says so.

use std::collections::HashMap;

use serde::Serialize;

use crate::codes::{DeptCode, RomeCode};
use crate::engine::{Candidate, Tier};
use crate::territory::context::{APPROCHEE_NOTE, sources};
use crate::territory::figure::{Figure, SecretCount, Unit};
use crate::territory::records::{BmoDept, BmoMetier, RomeBmo, TensionDept};
use crate::text::{fr_decimal, fr_int};

/// Share of the local demand in the local score: local = (1 − μ)·score + μ·d.
pub const MU: f64 = 0.25;
/// Weight of the projects index in the demand.
pub const W_PROJETS: f64 = 0.6;
/// Weight of the share of projects judged difficult.
pub const W_DIFFICILE: f64 = 0.25;
/// Weight of the 2021 offers / (offers + job seekers) index.
pub const W_TENSION: f64 = 0.15;
/// The neutral demand when no target of the ranking has a local figure.
pub const NEUTRAL_WITHOUT_FIGURES: f64 = 0.5;

/// What the store reads for the local market of one département: every
/// row the re-ranking needs, in one read.
#[derive(Debug, Clone)]
pub struct MarketRows {
    pub dept: DeptCode,
    /// Name of the département.
    pub nom: String,
    pub bmo_year: u16,
    /// The whole ROME 4.0 → BMO correspondence.
    pub mappings: Vec<RomeBmo>,
    /// The BMO métiers (labels).
    pub metiers: Vec<BmoMetier>,
    /// Every BMO line of the département.
    pub bmo: Vec<BmoDept>,
    /// Every 2021 offers / job seekers line of the département (ROME v3 codes).
    pub tension: Vec<TensionDept>,
}

/// The rows of [`MarketRows`], indexed.
#[derive(Debug, Clone)]
pub struct LocalMarket {
    pub dept: DeptCode,
    pub nom: String,
    pub bmo_year: u16,
    mappings: HashMap<RomeCode, RomeBmo>,
    metiers: HashMap<String, BmoMetier>,
    bmo: HashMap<String, BmoDept>,
    tension: HashMap<RomeCode, TensionDept>,
    parents: HashMap<RomeCode, RomeCode>,
    /// The BMO line with the most projects (known part), if any.
    reference: Option<(String, u64)>,
}

/// The demand components of one target (numbers only: what the order reads).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Demand {
    pub indice_projets: Option<f64>,
    pub part_difficile: Option<f64>,
    pub indice_tension: Option<f64>,
}

impl Demand {
    /// The weighted mean of the components present; `None` without any.
    pub fn value(&self) -> Option<f64> {
        let parts = [
            (self.indice_projets, W_PROJETS),
            (self.part_difficile, W_DIFFICILE),
            (self.indice_tension, W_TENSION),
        ];
        let (sum, weights) = parts
            .iter()
            .filter_map(|(c, w)| c.map(|c| (c * w, *w)))
            .fold((0.0, 0.0), |(s, n), (c, w)| (s + c, n + w));
        (weights > 0.0).then(|| sum / weights)
    }
}

/// The local score of a row: (1 − μ)·score + μ·d.
pub fn local_score(score: f64, demand: f64) -> f64 {
    (1.0 - MU) * score + MU * demand
}

/// The local figures of one row, as printed (docs/json.md, `local`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LocalFigures {
    /// The BMO métier of the target (FAP code such as `J0Z90`).
    pub code_bmo: Option<String>,
    pub libelle_bmo: Option<String>,
    /// The correspondence crosses qualification levels (« correspondance approchée »).
    pub approchee: bool,
    /// BMO hiring projects of the métier in the département.
    pub projets: Figure,
    /// Of which judged difficult.
    pub difficiles: Figure,
    /// 2021 offers registered, where the extract has them (else absent).
    pub offres: Option<Figure>,
    /// 2021 job seekers (A, B, C), where the extract has them.
    pub demandeurs: Option<Figure>,
    /// ln(1 + projets) / ln(1 + projets of the métier with the most).
    pub indice_projets: Option<f64>,
    /// Difficult projects / projects.
    pub part_difficile: Option<f64>,
    /// offres / (offres + demandeurs), 2021.
    pub indice_tension: Option<f64>,
    /// The demand d used (the neutral one when `neutre`).
    pub demande: f64,
    /// No local figure: d is the neutral demand.
    pub neutre: bool,
    /// (1 − μ)·score + μ·demande; absent when the row has no score.
    pub score: Option<f64>,
    /// Attribution lines of the figures used.
    pub sources: Vec<String>,
    /// « pas de chiffre local … » for a neutral row; notes on the figures otherwise.
    pub notes: Vec<String>,
}

/// The rule of a local ranking, with its constants (docs/json.md, `local`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LocalBlend {
    pub dept: String,
    pub nom: String,
    /// `score_local = (1 - mu) * score + mu * demande` and how d is made.
    pub formula: String,
    pub mu: f64,
    pub poids_projets: f64,
    pub poids_difficile: f64,
    pub poids_tension: f64,
    /// P_max: projects of the BMO métier with the most in the département.
    pub projets_max: Option<u64>,
    pub code_bmo_max: Option<String>,
    pub libelle_bmo_max: Option<String>,
    /// The demand given to a target without any local figure.
    pub demande_neutre: f64,
    /// Candidates with and without local figures.
    pub chiffrees: usize,
    pub sans_chiffre: usize,
    /// The rule in counsellors' words, one sentence per line.
    pub rule: Vec<String>,
    /// Attribution lines of the local figures.
    pub sources: Vec<String>,
}

/// The formula, as JSON and the CLI print it.
pub const FORMULA: &str = "score_local = (1 - mu) * score + mu * demande ; demande = moyenne pondérée des indices présents (poids_projets * indice_projets + poids_difficile * part_difficile + poids_tension * indice_tension) / somme de leurs poids ; indice_projets = ln(1 + projets) / ln(1 + projets_max) ; indice_tension = offres / (offres + demandeurs)";

impl LocalMarket {
    /// `parents`: each fiche's ROME v3 parent, where the 2021 figures are
    /// counted (the referential's `code_rome_parent`).
    pub fn new(rows: MarketRows, parents: HashMap<RomeCode, RomeCode>) -> Self {
        let reference = rows
            .bmo
            .iter()
            .max_by(|a, b| {
                a.projets
                    .known
                    .cmp(&b.projets.known)
                    .then(b.code.cmp(&a.code))
            })
            .filter(|b| b.projets.known > 0)
            .map(|b| (b.code.clone(), b.projets.known));
        LocalMarket {
            dept: rows.dept,
            nom: rows.nom,
            bmo_year: rows.bmo_year,
            mappings: rows.mappings.into_iter().map(|m| (m.rome, m)).collect(),
            metiers: rows
                .metiers
                .into_iter()
                .map(|m| (m.code.clone(), m))
                .collect(),
            bmo: rows.bmo.into_iter().map(|b| (b.code.clone(), b)).collect(),
            tension: rows.tension.into_iter().map(|t| (t.rome, t)).collect(),
            parents,
            reference,
        }
    }

    fn bmo_code(&self, fiche: RomeCode) -> Option<&str> {
        self.mappings.get(&fiche)?.bmo.as_deref()
    }

    fn bmo_line(&self, fiche: RomeCode) -> Option<&BmoDept> {
        self.bmo.get(self.bmo_code(fiche)?)
    }

    /// The 2021 line, under the fiche's code, else its parent's.
    fn tension_line(&self, fiche: RomeCode) -> Option<&TensionDept> {
        self.tension.get(&fiche).or_else(|| {
            self.parents
                .get(&fiche)
                .filter(|p| **p != fiche)
                .and_then(|p| self.tension.get(p))
        })
    }

    /// The components of the demand for `fiche`.
    pub fn demand(&self, fiche: RomeCode) -> Demand {
        let mut d = Demand::default();
        if let Some(b) = self.bmo_line(fiche) {
            let p = known(b.projets);
            if let (Some(p), Some((_, max))) = (p, &self.reference) {
                d.indice_projets =
                    Some(((1.0 + p as f64).ln() / (1.0 + *max as f64).ln()).min(1.0));
            }
            if let (Some(p), Some(x)) = (p.filter(|p| *p > 0), known(b.difficiles)) {
                d.part_difficile = Some((x as f64 / p as f64).min(1.0));
            }
        }
        if let Some(t) = self.tension_line(fiche) {
            let n = t.offres + t.demandeurs;
            if n > 0.0 {
                d.indice_tension = Some(t.offres / n);
            }
        }
        d
    }

    /// The re-ranking of `candidates` (in the engine's order): each row's
    /// demand (the neutral one when it has no figure), and the new order —
    /// each label group keeps the positions it holds in the engine's order,
    /// its rows sorted by local score (then by the engine's order).
    pub fn order(&self, candidates: &[Candidate]) -> LocalOrder {
        let demands: Vec<Option<f64>> = candidates
            .iter()
            .map(|c| self.demand(c.fiche).value())
            .collect();
        let neutral = median(demands.iter().flatten().copied()).unwrap_or(NEUTRAL_WITHOUT_FIGURES);
        let d: Vec<f64> = demands.iter().map(|x| x.unwrap_or(neutral)).collect();
        let local: Vec<Option<f64>> = candidates
            .iter()
            .zip(&d)
            .map(|(c, d)| c.score.map(|s| local_score(s, *d)))
            .collect();
        let mut groups: HashMap<GroupKey, Vec<usize>> = HashMap::new();
        for (i, c) in candidates.iter().enumerate() {
            groups.entry(group_key(c)).or_default().push(i);
        }
        let mut order: Vec<usize> = (0..candidates.len()).collect();
        for slots in groups.values() {
            let mut members = slots.clone();
            members.sort_by(|&a, &b| {
                let (la, lb) = (local[a].unwrap_or(-1.0), local[b].unwrap_or(-1.0));
                lb.total_cmp(&la).then(a.cmp(&b))
            });
            for (slot, member) in slots.iter().zip(members) {
                order[*slot] = member;
            }
        }
        LocalOrder {
            order,
            neutral,
            with_figures: demands.iter().filter(|x| x.is_some()).count(),
            without_figures: demands.iter().filter(|x| x.is_none()).count(),
        }
    }

    /// The figures a row prints, with its local score.
    pub fn figures(&self, fiche: RomeCode, score: Option<f64>, neutral: f64) -> LocalFigures {
        let src = sources::bmo(self.bmo_year);
        let demand = self.demand(fiche);
        let mapping = self.mappings.get(&fiche).filter(|m| m.bmo.is_some());
        let code_bmo = mapping.and_then(|m| m.bmo.clone());
        let libelle_bmo = code_bmo
            .as_deref()
            .and_then(|c| self.metiers.get(c))
            .map(|m| m.libelle.clone());
        let approchee = mapping.is_some_and(|m| m.approchee());
        let mut notes = Vec::new();
        let (projets, difficiles) = match (mapping, self.bmo_line(fiche)) {
            (Some(_), Some(b)) => (
                Figure::count("Projets de recrutement", b.projets, src.clone()),
                Figure::count("dont projets jugés difficiles", b.difficiles, src.clone()),
            ),
            (m, _) => {
                let reason = if m.is_none() {
                    "aucun métier BMO ne correspond à cette fiche dans la table de correspondance ROME → BMO de Passerelle"
                } else {
                    "aucune ligne publiée pour ce métier BMO dans le département"
                };
                (
                    Figure::unavailable(
                        "Projets de recrutement",
                        Unit::Count,
                        reason,
                        Some(src.clone()),
                    ),
                    Figure::unavailable(
                        "dont projets jugés difficiles",
                        Unit::Count,
                        reason,
                        Some(src.clone()),
                    ),
                )
            }
        };
        if approchee {
            notes.push(APPROCHEE_NOTE.to_string());
        }
        let tension = self.tension_line(fiche);
        let tension_fig = |label: &str, v: f64, code: RomeCode| {
            let mut f =
                Figure::value(label, Unit::Count, v, sources::tension()).with_note(format!(
                    "chiffres de {}, comptés sous le code {code} de l'ancien ROME (version 3)",
                    crate::territory::records::TENSION_YEAR
                ));
            if code != fiche {
                f = f
                    .inherited(code.as_str())
                    .with_note(format!("hérité du code parent {code}"));
            }
            f
        };
        let offres = tension.map(|t| tension_fig("Offres d'emploi enregistrées", t.offres, t.rome));
        let demandeurs = tension.map(|t| {
            tension_fig(
                "Demandeurs d'emploi (catégories A, B, C)",
                t.demandeurs,
                t.rome,
            )
        });
        let value = demand.value();
        let neutre = value.is_none();
        let d = value.unwrap_or(neutral);
        if neutre {
            notes.insert(
                0,
                format!(
                    "pas de chiffre local : demande neutre {} (médiane des cibles chiffrées), ni avantagée ni pénalisée",
                    fr_decimal(neutral, 2)
                ),
            );
        } else if projets.is_available() && demand.indice_projets.is_none() {
            notes
                .push("projets sous secret statistique : seuls les autres indices comptent".into());
        }
        let mut lines = vec![src.text.clone()];
        if tension.is_some() {
            lines.push(sources::tension().text);
        }
        LocalFigures {
            code_bmo,
            libelle_bmo,
            approchee,
            projets,
            difficiles,
            offres,
            demandeurs,
            indice_projets: demand.indice_projets,
            part_difficile: demand.part_difficile,
            indice_tension: demand.indice_tension,
            demande: d,
            neutre,
            score: score.map(|s| local_score(s, d)),
            sources: lines,
            notes,
        }
    }

    /// The rule of this ranking.
    pub fn blend(&self, order: &LocalOrder) -> LocalBlend {
        let reference = self.reference.as_ref();
        let libelle_max = reference
            .and_then(|(c, _)| self.metiers.get(c))
            .map(|m| m.libelle.clone());
        let max_words = match (reference, &libelle_max) {
            (Some((code, p)), Some(l)) => format!(
                "{} projets pour « {l} » ({code}), le métier BMO qui en compte le plus dans le département",
                fr_int(*p)
            ),
            (Some((code, p)), None) => format!(
                "{} projets pour le métier BMO {code}, celui qui en compte le plus dans le département",
                fr_int(*p)
            ),
            (None, _) => "aucun projet publié dans le département".into(),
        };
        let rule = vec![
            format!(
                "score local = {} % du score de mobilité + {} % de la demande locale du métier cible ({} {}) ;",
                pct_int(1.0 - MU),
                pct_int(MU),
                self.dept,
                self.nom
            ),
            format!(
                "demande locale (de 0 à 1) = moyenne pondérée, sur les chiffres présents, de l'indice des projets de recrutement (poids {}), de la part des projets jugés difficiles (poids {}) et de l'indice offres / (offres + demandeurs) de {} (poids {}) ;",
                fr_decimal(W_PROJETS, 2),
                fr_decimal(W_DIFFICILE, 2),
                crate::territory::records::TENSION_YEAR,
                fr_decimal(W_TENSION, 2),
            ),
            format!(
                "indice des projets = ln(1 + projets du métier BMO de la cible) / ln(1 + {max_words}) ;"
            ),
            format!(
                "une cible sans aucun chiffre local garde sa place avec une demande neutre de {}, la médiane des cibles chiffrées : ni avantagée ni pénalisée ;",
                fr_decimal(order.neutral, 2)
            ),
            "le reclassement se fait à l'intérieur de chaque étiquette : chaque étiquette garde les rangs que lui donne le classement de base, une reconversion longue ou une passerelle exigeante ne passe jamais devant une passerelle directe.".into(),
        ];
        let mut lines = vec![sources::bmo(self.bmo_year).text];
        if !self.tension.is_empty() {
            lines.push(sources::tension().text);
        }
        LocalBlend {
            dept: self.dept.to_string(),
            nom: self.nom.clone(),
            formula: FORMULA.into(),
            mu: MU,
            poids_projets: W_PROJETS,
            poids_difficile: W_DIFFICILE,
            poids_tension: W_TENSION,
            projets_max: reference.map(|(_, p)| *p),
            code_bmo_max: reference.map(|(c, _)| c.clone()),
            libelle_bmo_max: libelle_max,
            demande_neutre: order.neutral,
            chiffrees: order.with_figures,
            sans_chiffre: order.without_figures,
            rule,
            sources: lines,
        }
    }
}

/// What [`LocalMarket::order`] decided.
#[derive(Debug, Clone, PartialEq)]
pub struct LocalOrder {
    /// Positions in the engine's order, in the new order.
    pub order: Vec<usize>,
    /// The demand of a target without any figure.
    pub neutral: f64,
    pub with_figures: usize,
    pub without_figures: usize,
}

/// The group a row is re-ranked within: its label, and the engine's class
/// (shares an item or not; has a score or not), so that the engine's order
/// of the groups is kept position for position.
type GroupKey = (Tier, bool, bool);

fn group_key(c: &Candidate) -> GroupKey {
    (
        c.tier,
        c.tier.is_direct() || c.shared_items,
        c.score.is_some(),
    )
}

/// A count as a demand figure: its published part, unless every cell is
/// secret (then no figure).
fn known(c: SecretCount) -> Option<u64> {
    (c.known > 0 || c.secret_cells == 0).then_some(c.known)
}

fn median(values: impl Iterator<Item = f64>) -> Option<f64> {
    let mut v: Vec<f64> = values.collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    })
}

fn pct_int(v: f64) -> i64 {
    (v * 100.0).round() as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rome(s: &str) -> RomeCode {
        RomeCode::parse(s).unwrap()
    }

    fn count(known: u64, secret_cells: u32) -> SecretCount {
        SecretCount {
            known,
            secret_cells,
        }
    }

    fn market() -> LocalMarket {
        let dept = DeptCode::parse("34").unwrap();
        let link = |r: &str, b: Option<&str>| RomeBmo {
            rome: rome(r),
            bmo: b.map(str::to_string),
            method: None,
            justification: String::new(),
        };
        let line = |code: &str, p: SecretCount, x: SecretCount| BmoDept {
            dept,
            code: code.into(),
            projets: p,
            difficiles: x,
            saisonniers: count(0, 0),
            bassins: 1,
        };
        LocalMarket::new(
            MarketRows {
                dept,
                nom: "Hérault".into(),
                bmo_year: 2025,
                mappings: vec![
                    link("A1111", Some("A0Z01")),
                    link("B1111", Some("B0Z01")),
                    link("C1111", Some("C0Z01")),
                    link("D1111", None),
                ],
                metiers: Vec::new(),
                bmo: vec![
                    line("A0Z01", count(999, 0), count(500, 0)),
                    line("B0Z01", count(9, 0), count(9, 0)),
                    line("C0Z01", count(0, 3), count(0, 3)),
                ],
                tension: Vec::new(),
            },
            HashMap::new(),
        )
    }

    fn cand(fiche: &str, tier: Tier, score: f64) -> Candidate {
        Candidate {
            fiche: rome(fiche),
            tier,
            score: Some(score),
            shared_items: true,
        }
    }

    #[test]
    fn the_demand_is_the_weighted_mean_of_the_figures_present() {
        let m = market();
        let a = m.demand(rome("A1111"));
        assert_eq!(a.indice_projets, Some(1.0));
        assert!((a.part_difficile.unwrap() - 500.0 / 999.0).abs() < 1e-12);
        let expected = (W_PROJETS + W_DIFFICILE * 500.0 / 999.0) / (W_PROJETS + W_DIFFICILE);
        assert!((a.value().unwrap() - expected).abs() < 1e-12);
        let b = m.demand(rome("B1111"));
        assert!((b.indice_projets.unwrap() - 10f64.ln() / 1000f64.ln()).abs() < 1e-12);
        // Every cell secret, no mapping: no figure.
        assert_eq!(m.demand(rome("C1111")).value(), None);
        assert_eq!(m.demand(rome("D1111")).value(), None);
    }

    #[test]
    fn rows_trade_places_only_within_their_label() {
        let m = market();
        // Engine order: two direct rows, then a long move with a high local demand.
        let c = [
            cand("B1111", Tier::Courte, 0.60),
            cand("A1111", Tier::Possible, 0.58),
            cand("D1111", Tier::Possible, 0.50),
            cand("A1111", Tier::ReconversionLongue, 0.59),
        ];
        let o = m.order(&c);
        // The labels keep their positions; A (busy métier) passes B within
        // direct passerelles only if in the same label: here they differ.
        let tiers: Vec<Tier> = o.order.iter().map(|&i| c[i].tier).collect();
        assert_eq!(
            tiers,
            [
                Tier::Courte,
                Tier::Possible,
                Tier::Possible,
                Tier::ReconversionLongue
            ]
        );
        assert_eq!(o.without_figures, 1);
        // D has no figure: neutral demand, the median of A, B, A.
        let f = m.figures(rome("D1111"), Some(0.5), o.neutral);
        assert!(f.neutre && f.notes[0].starts_with("pas de chiffre local"));
        assert_eq!(f.score, Some(local_score(0.5, o.neutral)));
        // Within "possible", A (0.58, busy) stays above D (0.50, neutral).
        assert_eq!(o.order[1], 1);
        // Swap inside one label when the demand outweighs the score gap.
        let c = [
            cand("B1111", Tier::Possible, 0.60),
            cand("A1111", Tier::Possible, 0.58),
        ];
        assert_eq!(m.order(&c).order, [1, 0]);
    }
}
