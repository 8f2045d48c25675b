//! Which certifications of a job a document lists, and in which order
//! (docs/documents.md, « Certifications qui mènent au métier »).
//!
//! The sources (Certif Info, the RNCP/RS export) link a certification to up
//! to five ROME codes, whatever its level: agent recenseur inherits masters
//! from its parent code. The rule, pure and shared by every format:
//!
//! * when the job's usual access level is known
//!   ([`crate::qualification::AccessLevel`]), the main list holds the
//!   certifications **within one level** of it (a level-3 job: levels 3
//!   and 4), the most specific first ([`Link`]: named by the fiche ROME
//!   itself, then linked to this code only, then to the fewest codes), then
//!   by level; at most [`MAIN_MAX`] of them;
//! * every other certification (another level, no level given, or beyond
//!   the first [`MAIN_MAX`]) is counted in one line, e.g. « 18 autres
//!   certifications de niveau 5 à 7 »;
//! * when the access level is not determined, the list keeps its order by
//!   level (unknown last), and the rule line says why.

use serde::Serialize;

use crate::qualification::{AccessLevel, Level};

/// How many certifications the main list holds at most.
pub const MAIN_MAX: usize = 20;

/// How specifically a certification leads to the job, the most specific
/// first (the derived order is the ranking order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(tag = "kind", content = "codes", rename_all = "snake_case")]
pub enum Link {
    /// Named among the certifications of the fiche ROME itself.
    CiteeParLaFiche,
    /// Linked by its source to this many ROME codes (1: this job's code only).
    Codes(usize),
    /// The source gives no ROME codes for it.
    Inconnu,
}

impl Link {
    /// From the fiche's mention and the number of codes the source links.
    pub fn of(cited_by_fiche: bool, codes: usize) -> Link {
        match (cited_by_fiche, codes) {
            (true, _) => Link::CiteeParLaFiche,
            (false, 0) => Link::Inconnu,
            (false, n) => Link::Codes(n),
        }
    }

    /// What the table's « Rattachement » column prints.
    pub fn label_fr(self) -> String {
        match self {
            Link::CiteeParLaFiche => "citée par la fiche ROME".to_string(),
            Link::Codes(1) => "ce seul code ROME".to_string(),
            Link::Codes(n) => format!("{n} codes ROME"),
            Link::Inconnu => "non précisé".to_string(),
        }
    }
}

/// One certification as the rule sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Candidate {
    /// European level (3–8 in practice), when the source gives one.
    pub niveau: Option<u8>,
    pub link: Link,
}

/// The outcome: indices into the candidates, in display order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    /// The levels of the main list, when the access level is known.
    pub band: Option<(u8, u8)>,
    pub main: Vec<usize>,
    /// Everything else, by level (unknown last), then link.
    pub others: Vec<usize>,
    /// One line counting `others` ("18 autres certifications de niveau 5 à
    /// 7"); `None` when there are none.
    pub others_summary: Option<String>,
    /// The rule, in counsellors' words, for the line above the list.
    pub rule: String,
}

/// The levels within one level of `level`, inside the nomenclature (3–8).
pub fn band(level: Level) -> (u8, u8) {
    let l = level.get();
    (
        l.saturating_sub(1).max(Level::MIN.get()),
        (l + 1).min(Level::MAX.get()),
    )
}

/// Applies the rule to `candidates` (in the source's order) for a job of
/// access level `access`.
pub fn select(access: &AccessLevel, candidates: &[Candidate], max: usize) -> Selection {
    let by_level = |i: &usize| {
        let c = &candidates[*i];
        (c.niveau.is_none(), c.niveau, c.link, *i)
    };
    let Some(level) = access.level else {
        let mut order: Vec<usize> = (0..candidates.len()).collect();
        order.sort_by_key(|i| (candidates[*i].niveau.is_none(), candidates[*i].niveau, *i));
        let others = order.split_off(order.len().min(max));
        let others_summary = summary(candidates, &others, None, max);
        return Selection {
            band: None,
            main: order,
            others,
            others_summary,
            rule: format!(
                "Niveau d'accès habituel du métier non déterminé ({}) : les certifications sont listées par niveau, de la plus accessible à la plus élevée.",
                access.provenance_fr()
            ),
        };
    };
    let (lo, hi) = band(level);
    let in_band = |c: &Candidate| c.niveau.is_some_and(|n| (lo..=hi).contains(&n));
    let mut main: Vec<usize> = (0..candidates.len())
        .filter(|i| in_band(&candidates[*i]))
        .collect();
    main.sort_by_key(|i| (candidates[*i].link, candidates[*i].niveau, *i));
    let overflow = main.split_off(main.len().min(max));
    let mut others: Vec<usize> = (0..candidates.len())
        .filter(|i| !in_band(&candidates[*i]))
        .chain(overflow)
        .collect();
    others.sort_by_key(by_level);
    let others_summary = summary(candidates, &others, Some((lo, hi)), max);
    let levels = levels_fr(lo, hi);
    let rule = format!(
        "Niveau d'accès habituel du métier : {}. Sont listées les certifications de niveau {levels} (à un niveau près), les plus directement rattachées au métier d'abord — citées par la fiche ROME, puis rattachées à ce seul code ROME, puis à peu de codes —, puis par niveau.",
        level.display_fr(),
    );
    Selection {
        band: Some((lo, hi)),
        main,
        others,
        others_summary,
        rule,
    }
}

/// "6" or "5 à 7".
fn levels_fr(lo: u8, hi: u8) -> String {
    if lo == hi {
        lo.to_string()
    } else {
        format!("{lo} à {hi}")
    }
}

/// "de niveau 6 à 7" over the known levels of `idx`.
fn range_fr(candidates: &[Candidate], idx: &[usize]) -> String {
    let levels = idx.iter().filter_map(|i| candidates[*i].niveau);
    match (levels.clone().min(), levels.max()) {
        (Some(lo), Some(hi)) => format!("de niveau {}", levels_fr(lo, hi)),
        _ => "sans niveau précisé".to_string(),
    }
}

fn summary(
    candidates: &[Candidate],
    others: &[usize],
    band: Option<(u8, u8)>,
    max: usize,
) -> Option<String> {
    if others.is_empty() {
        return None;
    }
    let niveau = |i: &&usize| candidates[**i].niveau;
    let mut parts: Vec<(usize, String)> = Vec::new();
    let mut push = |idx: Vec<usize>, words: String| {
        if !idx.is_empty() {
            parts.push((idx.len(), words));
        }
    };
    match band {
        Some((lo, hi)) => {
            let below: Vec<usize> = others
                .iter()
                .filter(|i| niveau(i).is_some_and(|n| n < lo))
                .copied()
                .collect();
            let above: Vec<usize> = others
                .iter()
                .filter(|i| niveau(i).is_some_and(|n| n > hi))
                .copied()
                .collect();
            let within: Vec<usize> = others
                .iter()
                .filter(|i| niveau(i).is_some_and(|n| (lo..=hi).contains(&n)))
                .copied()
                .collect();
            let range = range_fr(candidates, &within);
            push(within, format!("{range} au-delà des {max} premières"));
            let range = range_fr(candidates, &below);
            push(below, range);
            let range = range_fr(candidates, &above);
            push(above, range);
        }
        None => {
            let known: Vec<usize> = others
                .iter()
                .filter(|i| niveau(i).is_some())
                .copied()
                .collect();
            let range = range_fr(candidates, &known);
            push(known, range);
        }
    }
    let unknown: Vec<usize> = others
        .iter()
        .filter(|i| niveau(i).is_none())
        .copied()
        .collect();
    push(unknown, "sans niveau précisé".to_string());
    let total = others.len();
    let noun = if total == 1 {
        "autre certification"
    } else {
        "autres certifications"
    };
    Some(match parts.as_slice() {
        [(_, words)] => format!("{total} {noun} {words}"),
        _ => {
            let listed: Vec<String> = parts.iter().map(|(n, w)| format!("{n} {w}")).collect();
            let (last, first) = listed.split_last().expect("two parts or more");
            format!("{total} {noun} : {} et {last}", first.join(", "))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn access(level: Option<u8>) -> AccessLevel {
        AccessLevel {
            level: level.and_then(Level::new),
            ..AccessLevel::undetermined("le texte ne cite aucun diplôme")
        }
    }

    fn c(niveau: Option<u8>, link: Link) -> Candidate {
        Candidate { niveau, link }
    }

    /// A level-3 job (agent recenseur's shape): masters and licences of the
    /// parent code go to the line, the level-4 titles lead, the one named
    /// by the fiche first, then the one of fewer codes.
    #[test]
    fn main_list_holds_one_level_around_access_most_specific_first() {
        let cands = [
            c(Some(7), Link::Codes(3)),        // 0 master
            c(Some(4), Link::Codes(2)),        // 1 titre, 2 codes
            c(Some(6), Link::CiteeParLaFiche), // 2 licence named by the fiche
            c(Some(3), Link::Codes(5)),        // 3 CAP shared by 5 codes
            c(Some(4), Link::CiteeParLaFiche), // 4 titre named by the fiche
            c(None, Link::Codes(1)),           // 5 habilitation, no level
            c(Some(6), Link::Codes(5)),        // 6 licence
            c(Some(3), Link::Codes(2)),        // 7 CQP, 2 codes
        ];
        let s = select(&access(Some(3)), &cands, MAIN_MAX);
        assert_eq!(s.band, Some((3, 4)));
        assert_eq!(s.main, vec![4, 7, 1, 3]);
        assert!(s.main.iter().all(|i| cands[*i].niveau.unwrap() < 6));
        // Others by level, unknown last.
        assert_eq!(s.others, vec![2, 6, 0, 5]);
        assert_eq!(
            s.others_summary.as_deref(),
            Some("4 autres certifications : 3 de niveau 6 à 7 et 1 sans niveau précisé")
        );
        assert!(s.rule.contains("3 (CAP, BEP)"), "{}", s.rule);
        assert!(s.rule.contains("de niveau 3 à 4"), "{}", s.rule);
    }

    #[test]
    fn one_kind_of_others_is_one_plain_line() {
        let cands = [
            c(Some(7), Link::Codes(3)),
            c(Some(4), Link::Codes(2)),
            c(Some(6), Link::Codes(5)),
        ];
        let s = select(&access(Some(4)), &cands, MAIN_MAX);
        assert_eq!(s.band, Some((3, 5)));
        assert_eq!(s.main, vec![1]);
        assert_eq!(
            s.others_summary.as_deref(),
            Some("2 autres certifications de niveau 6 à 7")
        );
        let one = select(&access(Some(4)), &cands[..2], MAIN_MAX);
        assert_eq!(
            one.others_summary.as_deref(),
            Some("1 autre certification de niveau 7")
        );
        let none = select(&access(Some(4)), &cands[1..2], MAIN_MAX);
        assert_eq!(none.others_summary, None);
        assert!(none.others.is_empty());
    }

    /// Beyond the cap, in-band certifications are counted too, and below
    /// and above the band are named apart (never "de niveau 3 à 8" around a
    /// band they skip).
    #[test]
    fn overflow_below_and_above_are_counted_apart() {
        let mut cands: Vec<Candidate> = (0..4).map(|_| c(Some(6), Link::Codes(2))).collect();
        cands.push(c(Some(6), Link::Codes(1)));
        cands.push(c(Some(3), Link::Codes(1)));
        cands.push(c(Some(8), Link::Codes(1)));
        let s = select(&access(Some(6)), &cands, 2);
        assert_eq!(s.band, Some((5, 7)));
        assert_eq!(s.main, vec![4, 0]);
        assert_eq!(s.others, vec![5, 1, 2, 3, 6]);
        assert_eq!(
            s.others_summary.as_deref(),
            Some(
                "5 autres certifications : 3 de niveau 6 au-delà des 2 premières, 1 de niveau 3 et 1 de niveau 8"
            )
        );
    }

    #[test]
    fn undetermined_level_keeps_the_order_by_level_and_says_so() {
        let cands = [
            c(Some(7), Link::CiteeParLaFiche),
            c(None, Link::Codes(1)),
            c(Some(3), Link::Codes(4)),
            c(Some(5), Link::Codes(1)),
        ];
        let s = select(&access(None), &cands, 2);
        assert_eq!(s.band, None);
        assert_eq!(s.main, vec![2, 3]);
        assert_eq!(s.others, vec![0, 1]);
        assert_eq!(
            s.others_summary.as_deref(),
            Some("2 autres certifications : 1 de niveau 7 et 1 sans niveau précisé")
        );
        assert!(
            s.rule.starts_with(
                "Niveau d'accès habituel du métier non déterminé (le texte ne cite aucun diplôme)"
            ),
            "{}",
            s.rule
        );
    }

    #[test]
    fn band_stays_inside_the_nomenclature() {
        assert_eq!(band(Level::new(3).unwrap()), (3, 4));
        assert_eq!(band(Level::new(8).unwrap()), (7, 8));
        assert_eq!(Link::Codes(1).label_fr(), "ce seul code ROME");
        assert!(Link::CiteeParLaFiche < Link::Codes(1));
        assert!(Link::Codes(2) < Link::Codes(5));
        assert!(Link::Codes(5) < Link::Inconnu);
    }
}
