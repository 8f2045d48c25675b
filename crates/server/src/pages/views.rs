//! View models several pages share: the département selector, the options
//! of a `<select>`, and the wording of gap items.

use passerelle_core::engine::GapItem;
use passerelle_core::territory::TerritorialContext;
use passerelle_core::{DeptCode, RomeCode};

use crate::state::AppState;

/// An option of the département selector.
pub struct DeptOption {
    pub code: String,
    pub nom: String,
    pub selected: bool,
}

pub fn dept_options(state: &AppState, selected: Option<&str>) -> Vec<DeptOption> {
    state
        .departements
        .iter()
        .map(|d| DeptOption {
            code: d.code.clone(),
            nom: d.nom.clone(),
            selected: Some(d.code.as_str()) == selected,
        })
        .collect()
}

/// An option of a `<select>` filter.
pub struct SelectOption {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// Gap items as listed: the label, and the near item that counted for it.
pub fn labels(items: &[GapItem]) -> Vec<String> {
    items
        .iter()
        .map(|i| match &i.proche_de {
            Some(n) => format!("{} (proche de « {} »)", i.label, n.label),
            None => i.label.clone(),
        })
        .collect()
}

/// Items to acquire as listed: the core of the target job first, then the
/// items that depend on the post, each marked « Selon le poste »
/// (docs/methode.md § 9).
pub fn to_acquire_labels(items: &[GapItem]) -> Vec<String> {
    let all = labels(items);
    let (core, post): (Vec<_>, Vec<_>) = items.iter().zip(all).partition(|(i, _)| i.coeur);
    core.into_iter()
        .map(|(_, l)| l)
        .chain(
            post.into_iter()
                .map(|(_, l)| format!("Selon le poste : {l}")),
        )
        .collect()
}

/// "3 sur 8"; empty when there is nothing to count.
pub fn fraction(n: u32, d: u32) -> String {
    if d == 0 {
        String::new()
    } else {
        format!("{n} sur {d}")
    }
}

/// The context of `rome` in `dept`; `None` also when the provider fails
/// (the page is still useful without it).
pub fn territory_of(
    state: &AppState,
    dept: Option<DeptCode>,
    rome: RomeCode,
) -> Option<TerritorialContext> {
    let (d, t) = (dept?, state.territory.as_ref()?);
    t.context(d, Some(rome)).ok().flatten()
}

/// The code shown beside a job's title: its ROME code, nothing for a poste
/// (whose `poste:<slug>` identifier is for those who type it, and whose
/// title is already shown).
pub fn shown_code(id: &str) -> String {
    if id.starts_with("poste:") {
        String::new()
    } else {
        id.to_string()
    }
}
