//! The words of the local market (`--local`, `local=1`): a row's local
//! figures and a count as a table cell, for the CLI and the pages.

use passerelle_core::engine::RankRow;
use passerelle_core::territory::figure::{Amount, Figure};
use passerelle_core::territory::local::LocalFigures;
use passerelle_core::text::{fr_decimal, fr_int, pct};

/// A count in a table cell: « 1 230 », « ≥ 63 » under statistical secrecy,
/// « secret » when every cell is, « n. d. » when unavailable.
pub fn count_cell(f: &Figure) -> String {
    match &f.amount {
        Amount::Value { value } => fr_int(value.round().max(0.0) as u64),
        Amount::AtLeast { value, .. } if *value <= 0.0 => "secret".into(),
        Amount::AtLeast { value, .. } => format!("≥ {}", fr_int(value.round().max(0.0) as u64)),
        Amount::Unavailable { .. } => passerelle_core::text::NOT_AVAILABLE_SHORT.into(),
    }
}

/// The local figures of a row in words: the BMO métier, its figures, the
/// 2021 figures if any, the demand and the local score, with the source.
pub fn row_line(row: &RankRow, l: &LocalFigures) -> String {
    with_sources(
        l,
        scored(
            l,
            format!("score local {} (score {})", pct(l.score), pct(row.score)),
        ),
    )
}

/// The local figures of one target alone (the comparison page): the BMO
/// métier and its figures, with their sources; the note when there is none.
pub fn figures_line(l: &LocalFigures) -> String {
    let mut parts = figure_parts(l);
    if l.neutre {
        parts.extend(l.notes.first().cloned());
    }
    with_sources(l, parts)
}

/// A destination of the second circle re-ranked by the local market: its
/// figures, the demand and the route's local score.
pub fn route_line(l: &LocalFigures) -> String {
    with_sources(
        l,
        scored(l, format!("score local de l'itinéraire {}", pct(l.score))),
    )
}

/// The figures, then the demand (or why it is neutral) leading to `score`.
fn scored(l: &LocalFigures, score: String) -> Vec<String> {
    let mut parts = figure_parts(l);
    let demand = if l.neutre {
        l.notes.first().cloned().unwrap_or_default()
    } else {
        format!("demande {}", fr_decimal(l.demande, 2))
    };
    parts.push(format!("{demand} → {score}"));
    parts
}

/// The parts joined, then the sources of the figures.
fn with_sources(l: &LocalFigures, parts: Vec<String>) -> String {
    if l.sources.is_empty() {
        parts.join(" ; ")
    } else {
        format!("{} — {}", parts.join(" ; "), l.sources.join(" ; "))
    }
}

/// The BMO métier, its projects and the 2021 figures, in words.
fn figure_parts(l: &LocalFigures) -> Vec<String> {
    let metier = match (&l.code_bmo, &l.libelle_bmo) {
        (Some(c), Some(t)) => format!("métier BMO {c} « {t} »"),
        (Some(c), None) => format!("métier BMO {c}"),
        _ => "aucun métier BMO".into(),
    };
    let mut parts = vec![if l.approchee {
        format!("{metier} (correspondance approchée)")
    } else {
        metier
    }];
    if l.projets.is_available() {
        parts.push(format!(
            "projets de recrutement : {} ; dont jugés difficiles : {}{}",
            l.projets.text,
            l.difficiles.text,
            l.part_difficile
                .map(|h| format!(" ({})", pct(Some(h))))
                .unwrap_or_default()
        ));
    }
    if let (Some(o), Some(d)) = (&l.offres, &l.demandeurs) {
        parts.push(format!(
            "offres 2021 : {}, demandeurs 2021 : {}{}",
            o.text,
            d.text,
            o.inherited_from
                .as_ref()
                .map(|p| format!(" (hérité du code parent {p})"))
                .unwrap_or_default()
        ));
    }
    parts
}
