//! The score as a reader adds it up, and the figures its label is decided
//! on: one text per row, built here once and printed by the CLI, the
//! documents and the web pages (labels in [`crate::wording::SCORE_WORDING`]).
//!
//! A decomposition reads « 0,4 × (1 × savoirs 20 % + 1 × savoir-faire 25 %
//! \+ 0,25 × contextes 40 %) / 2,25 + 0,6 × libellés 31 % + domaine 2,5 %
//! − niveau 0 % = 31 % »: the terms of [`ScoreTerms::score`], each printed
//! as the ranking used it.

use passerelle_core::engine::{
    Axis, Gap, PairScores, PerAxis, RankRow, RankingConstants, ScoreTerms, Tier, Tiers, Weights,
};
use passerelle_core::text::{FR_SPACE, fr_decimal};

use crate::wording::{SCORE_WORDING, fill};

/// A number as users read it: "1", "0,25", "2,5" (at most `places`
/// decimals, trailing zeros dropped).
pub(crate) fn plain(v: f64, places: usize) -> String {
    let s = fr_decimal(v, places);
    match s.split_once(',') {
        Some((int, dec)) => {
            let dec = dec.trim_end_matches('0');
            if dec.is_empty() {
                int.to_string()
            } else {
                format!("{int},{dec}")
            }
        }
        None => s,
    }
}

/// A share as users see percentages: rounded to the unit ("31 %").
fn share(v: f64) -> String {
    passerelle_core::text::pct(Some(v))
}

/// A published constant as a percentage: whole unless it has a tenth
/// ("2,5 %", the domain bonus β), so that the terms add up.
fn constant(v: f64) -> String {
    let p = v * 100.0;
    if (p - p.round()).abs() < 0.05 {
        format!("{}{FR_SPACE}%", p.round() as i64)
    } else {
        format!("{}{FR_SPACE}%", plain(p, 1))
    }
}

fn axis_word(a: Axis) -> &'static str {
    let w = &SCORE_WORDING;
    match a {
        Axis::Transversal => w.transversales,
        Axis::Savoirs => w.savoirs,
        Axis::SavoirFaire => w.savoir_faire,
        Axis::Contextes => w.contextes,
    }
}

/// The decomposition of one score, `None` when the score is not available.
/// Axes without a component or with a zero weight are left out, as the
/// score leaves them out.
pub fn decomposition(
    components: &PerAxis<Option<f64>>,
    terms: &ScoreTerms,
    score: Option<f64>,
    weights: &Weights,
    c: &RankingConstants,
) -> Option<String> {
    let score = score?;
    terms.axes?;
    let w = &SCORE_WORDING;
    let mut parts = Vec::new();
    let mut sum = 0.0;
    for a in Axis::ALL {
        let (Some(v), wk) = (components.get(a), weights.get(a)) else {
            continue;
        };
        if wk <= 0.0 {
            continue;
        }
        sum += wk;
        parts.push(format!("{} × {} {}", plain(wk, 2), axis_word(a), share(v)));
    }
    let axes = if (sum - 1.0).abs() < 1e-9 {
        format!("({})", parts.join(" + "))
    } else {
        format!("({}) / {}", parts.join(" + "), plain(sum, 2))
    };
    let mixed = format!(
        "{} × {axes} + {} × {} {} + {} {} − {} {}",
        plain(1.0 - c.wording_share, 2),
        plain(c.wording_share, 2),
        w.libelles,
        share(terms.wording),
        w.domaine,
        constant(terms.domain_bonus),
        w.niveau,
        constant(terms.level_penalty),
    );
    let result = passerelle_core::text::pct(Some(score));
    let why = if !terms.shared_items {
        w.sans_commun
    } else if !terms.shared_core {
        w.hors_coeur
    } else {
        return Some(format!("{mixed} = {result}"));
    };
    Some(format!(
        "{} × [{mixed}] = {result} ({why})",
        plain(terms.factor(c), 2)
    ))
}

/// The decomposition of a ranked row, with the ranking's one weight vector.
pub fn row_decomposition(row: &RankRow, weights: &Weights, c: &RankingConstants) -> Option<String> {
    decomposition(&row.components, &row.terms, row.score, weights, c)
}

/// The decomposition of a pair's scores (a gap, a parcours).
pub fn pair_decomposition(
    scores: &PairScores,
    weights: &Weights,
    c: &RankingConstants,
) -> Option<String> {
    decomposition(&scores.components, &scores.terms, scores.score, weights, c)
}

/// The figures the rule of the labels reads, as printed beside a label:
/// the share of savoir-faire held, whether anything is shared, the levels,
/// the regulation and what a long move requires.
pub fn rule_figures(terms: &ScoreTerms, requirement: Option<&str>) -> Vec<String> {
    let w = &SCORE_WORDING;
    let mut out = vec![
        format!(
            "{} : {}",
            w.savoir_faire_maitrises,
            passerelle_core::text::pct(Some(terms.savoir_faire_held))
        ),
        if terms.shared_items {
            w.en_commun
        } else {
            w.sans_commun
        }
        .to_string(),
    ];
    if let (Some(s), Some(t)) = (terms.source_level, terms.target_level) {
        out.push(format!("{} {s} → {t}", w.niveaux));
    }
    if terms.target_regulated {
        out.push(w.reglemente.to_string());
    }
    match requirement {
        Some(r) => out.push(r.to_string()),
        None if terms.prerequisite_missing => out.push(w.apres_autre_diplome.to_string()),
        None => {}
    }
    out
}

/// [`rule_figures`] of a ranked row.
/// A row that holds nothing of the target exactly (0 % and 0 %) also
/// names the closest pair it shares.
pub fn row_figures(row: &RankRow) -> Vec<String> {
    let mut out = rule_figures(&row.terms, row.requirement.as_deref());
    if let Some(p) = &row.proche {
        out.insert(
            2,
            format!(
                "{} « {} » ({})",
                SCORE_WORDING.proche, p.source_item.label, p.target_item.label
            ),
        );
    }
    out
}

/// [`rule_figures`] of a gap.
pub fn gap_figures(gap: &Gap) -> Vec<String> {
    rule_figures(&gap.scores.terms, gap.requirement.as_deref())
}

/// The rule of the four labels with its heading, as printed where labels
/// are: "Règle des viabilités", then [`Tiers::rule_fr`].
pub fn rule(tiers: &Tiers) -> (&'static str, [String; 4]) {
    (SCORE_WORDING.regle, tiers.rule_fr())
}

/// What the terms of a decomposition are, with the published constants.
pub fn legend(c: &RankingConstants) -> String {
    fill(
        SCORE_WORDING.legende,
        &[
            ("axes", &plain(1.0 - c.wording_share, 2)),
            ("libelles", &plain(c.wording_share, 2)),
            ("plancher", &plain(c.no_core_factor, 2)),
            ("hors_coeur", &plain(c.peripheral_factor, 2)),
            ("coeur", &plain(1.0 + c.core_weight, 2)),
        ],
    )
}

/// The sources a fiche details when none is named: the first `n` direct
/// passerelles (courte, possible) of the ranking; the first `n` rows only
/// when the ranking has no direct passerelle — never a long move or an
/// "exigeante" one when a better one exists.
pub fn default_detailed(rows: &[RankRow], n: usize) -> Vec<&RankRow> {
    let direct: Vec<&RankRow> = rows.iter().filter(|r| r.tier.is_direct()).take(n).collect();
    if direct.is_empty() {
        rows.iter().take(n).collect()
    } else {
        direct
    }
}

/// CSS class / short key of a tier, for the documents.
pub fn tier_key(t: Tier) -> &'static str {
    match t {
        Tier::Courte => "courte",
        Tier::Possible => "possible",
        Tier::Exigeante => "exigeante",
        Tier::ReconversionLongue => "longue",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms() -> ScoreTerms {
        ScoreTerms {
            axes: Some(0.0),
            wording: 0.31,
            domain_bonus: 0.025,
            level_penalty: 0.0,
            shared_items: true,
            shared_core: true,
            savoir_faire_held: 0.31,
            source_level: Some(4),
            target_level: Some(6),
            ..ScoreTerms::default()
        }
    }

    #[test]
    fn a_decomposition_names_every_term() {
        let comps = PerAxis([None, Some(0.20), Some(0.25), Some(0.40)]);
        let mut t = terms();
        t.axes = Some((0.20 + 0.25 + 0.25 * 0.40) / 2.25);
        // Fixed constants, so that the expected text does not follow calibrations.
        let c = RankingConstants {
            wording_share: 0.6,
            domain_bonus: 0.025,
            level_penalty: 0.1,
            no_core_factor: 0.5,
            peripheral_factor: 0.9,
            core_weight: 1.0,
        };
        let score = t.score(&c);
        let w = Weights::parse("contextes=0.25").unwrap();
        let s = decomposition(&comps, &t, score, &w, &c).unwrap();
        assert_eq!(
            s,
            "0,4 × (1 × savoirs 20\u{202f}% + 1 × savoir-faire 25\u{202f}% + 0,25 × contextes 40\u{202f}%) / 2,25 + 0,6 × libellés 31\u{202f}% + domaine 2,5\u{202f}% − niveau 0\u{202f}% = 31\u{202f}%"
        );
        t.shared_core = false;
        let s = decomposition(&comps, &t, t.score(&c), &w, &c).unwrap();
        assert!(s.starts_with("0,9 × [0,4 × ("), "{s}");
        assert!(
            s.ends_with("= 28\u{202f}% (aucun élément du cœur du métier cible en commun)"),
            "{s}"
        );
        t.shared_items = false;
        let s = decomposition(&comps, &t, t.score(&c), &w, &c).unwrap();
        assert!(s.starts_with("0,5 × [0,4 × ("), "{s}");
        assert!(
            s.ends_with("= 15\u{202f}% (aucun savoir ni savoir-faire en commun)"),
            "{s}"
        );
    }

    #[test]
    fn figures_of_the_rule() {
        let f = rule_figures(&terms(), Some("diplôme exigé : X"));
        assert_eq!(
            f,
            [
                "savoir-faire maîtrisés, pondérés : 31\u{202f}%",
                "au moins un savoir ou savoir-faire en commun",
                "niveau 4 → 6",
                "diplôme exigé : X"
            ]
        );
    }
}
