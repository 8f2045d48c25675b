//! The small formatters the templates call (`crate::filters::…`) on model
//! values: dates, percentages, weights, stars, durations, the conditions of
//! a training offer and the lists of gap items. They format data; their
//! words come from [`crate::wording`].

use passerelle_core::engine::{ContextGroup, GapItem};
use passerelle_core::territory::records::TrainingOffer;

use crate::document::NON_DISPONIBLE;

/// "2026-11-23T06:00:00Z" → "23/11/2026".
pub fn date_fr(rfc3339: &str) -> String {
    let d = rfc3339.get(..10).unwrap_or(rfc3339);
    let parts: Vec<&str> = d.split('-').collect();
    if parts.len() == 3 {
        format!("{}/{}/{}", parts[2], parts[1], parts[0])
    } else {
        rfc3339.to_string()
    }
}

/// [`passerelle_core::text::pct`], with the documents' full "non disponible"
/// when absent (`Borrow` so that templates can pass a reference).
pub fn pct(v: impl std::borrow::Borrow<Option<f64>>) -> String {
    match *v.borrow() {
        None => NON_DISPONIBLE.to_string(),
        v => passerelle_core::text::pct(v),
    }
}

/// [`pct`] of a share that is known (a coverage bar's figure).
pub fn share(v: &f64) -> String {
    pct(Some(*v))
}

/// A weight as a plain French number ("1", "0,5"): weights are not
/// percentages (conventions, "Words users see").
pub fn weight(v: f64) -> String {
    crate::scoring::plain(v, 2)
}

/// "★★★☆☆": `n` filled stars out of 5 (importance-fréquence).
pub fn stars(n: &u8) -> String {
    let n = usize::from(*n);
    format!("{}{}", "★".repeat(n), "☆".repeat(5usize.saturating_sub(n)))
}

/// "35 h" (thousands grouped); "non disponible" when absent.
/// The note numbers a territorial figure refers to: "1, 2".
pub fn renvois(n: &[usize]) -> String {
    n.iter()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn duree(heures: &Option<u32>) -> String {
    heures
        .map(|h| format!("{} h", passerelle_core::text::fr_int(u64::from(h))))
        .unwrap_or_else(|| NON_DISPONIBLE.into())
}

/// An offer's public, prerequisites and rhythm, "Public : … — Prérequis :
/// a ; b — Rythme : …" (empty when the offer gives none). The PDF builds
/// the same line from the JSON with the same wording.
pub fn conditions(o: &TrainingOffer) -> String {
    let w = &crate::wording::WORDING;
    let mut parts = Vec::new();
    if let Some(p) = o.public.as_deref().filter(|p| !p.is_empty()) {
        parts.push(format!("{} : {p}", w.public));
    }
    if !o.prerequis.is_empty() {
        parts.push(format!("{} : {}", w.prerequis, o.prerequis.join(" ; ")));
    }
    if let Some(r) = o.rythme.as_deref().filter(|r| !r.is_empty()) {
        parts.push(format!("{} : {r}", w.rythme));
    }
    parts.join(" — ")
}

/// The gap items of one group (`connaissances` or `savoir_faire` for the
/// savoirs), as seed 000 splits them.
pub fn of_group<'a>(items: &'a [GapItem], group: &str) -> Vec<&'a GapItem> {
    items.iter().filter(|i| i.group == group).collect()
}

/// Items to acquire of the core of the target job (`true`) or that depend
/// on the post (`false`), docs/methode.md § 9.
pub fn of_core(items: &[GapItem], coeur: bool) -> Vec<&GapItem> {
    items.iter().filter(|i| i.coeur == coeur).collect()
}

/// Gap items as "a (proche de b) ; c": the source's nearest item shown
/// beside an item to acquire.
pub fn near_labels<'a>(items: impl IntoIterator<Item = &'a GapItem>, proche_de: &str) -> String {
    items
        .into_iter()
        .map(|i| match &i.proche_de {
            Some(n) => format!("{} ({proche_de} {})", i.label, n.label),
            None => i.label.clone(),
        })
        .collect::<Vec<_>>()
        .join(" ; ")
}

/// Context groups as "Type : a / b ; Type : c".
pub fn context_groups(groups: &[ContextGroup]) -> String {
    groups
        .iter()
        .map(|g| {
            format!(
                "{} : {}",
                g.type_label,
                g.items
                    .iter()
                    .map(|i| i.label.as_str())
                    .collect::<Vec<_>>()
                    .join(" / ")
            )
        })
        .collect::<Vec<_>>()
        .join(" ; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_percentages_and_weights() {
        assert_eq!(date_fr("2026-11-23T06:00:00Z"), "23/11/2026");
        assert_eq!(pct(Some(0.384)), "38\u{202f}%");
        assert_eq!(pct(None), NON_DISPONIBLE);
        assert_eq!(weight(1.0), "1");
        assert_eq!(weight(0.5), "0,5");
        assert_eq!(weight(0.25), "0,25");
        assert_eq!(weight(0.0), "0");
        assert_eq!(stars(&3), "★★★☆☆");
    }
}
