//! The territorial part of the documents: the figure lines of the fiche's
//! "contexte territorial" (also printed by the web fiche page), and the
//! training offers both documents list.

use passerelle_core::Referential;
use passerelle_core::territory::context::{JobContext, TerritorialContext};
use passerelle_core::territory::figure::{Amount, Figure};

use crate::document::{FigureLine, Formations, NON_DISPONIBLE, Territoire};
use crate::wording::{SENTENCES, fill};

/// A figure as a display line; an unavailable one says why in its notes,
/// so that every format prints the same qualifiers.
fn figure_line(f: &Figure) -> FigureLine {
    let mut notes = Vec::new();
    if let Amount::Unavailable { reason } = &f.amount {
        notes.push(reason.clone());
    }
    notes.extend(f.notes.iter().cloned());
    FigureLine {
        label: f.label.clone(),
        text: f.text.clone(),
        source: f.source.as_ref().map(|s| s.text.clone()),
        notes,
    }
}

/// How many of those other fiches are named.
const SIBLINGS_SHOWN: usize = 4;

/// The other ROME 4.0 fiches filed under the same older (version 3) code as
/// `code` — whose 2021 offers and job seekers are counted with it.
fn v3_siblings(r: &Referential, v3: &str, code: &str) -> Vec<String> {
    r.fiches
        .iter()
        .filter(|f| f.parent.as_str() == v3 && f.code.as_str() != code)
        .map(|f| format!("{} ({})", f.title, f.code))
        .collect()
}

/// The note of the 2021 figures when their older code also counts other
/// fiches: the first [`SIBLINGS_SHOWN`] named, the rest counted.
fn siblings_note(siblings: &[String]) -> String {
    let s = &SENTENCES;
    let shown = &siblings[..siblings.len().min(SIBLINGS_SHOWN)];
    let autres = match siblings.len() - shown.len() {
        0 => String::new(),
        1 => s.et_une_autre_fiche.to_string(),
        n => fill(s.et_autres_fiches, &[("n", &n.to_string())]),
    };
    fill(
        s.ancien_rome_couvre,
        &[("fiches", &shown.join(" ; ")), ("autres", &autres)],
    )
}

/// Seed 000's "établissements" row: no open source gives a count of
/// employers by département, so it says so.
fn etablissements_line(m: &JobContext) -> FigureLine {
    let s = &SENTENCES;
    let mut notes = vec![s.etablissements_absents.to_string()];
    if !m.secteurs.items.is_empty() {
        let secteurs = m
            .secteurs
            .items
            .iter()
            .take(3)
            .map(|s| s.libelle.as_str())
            .collect::<Vec<_>>()
            .join(" ; ");
        notes.push(fill(s.secteurs_nationaux, &[("secteurs", &secteurs)]));
    }
    FigureLine {
        label: s.etablissements.into(),
        text: NON_DISPONIBLE.into(),
        source: None,
        notes,
    }
}

/// Seed 000's "organismes de formation" row, from the training offers shown.
fn organismes_line(m: &JobContext) -> FigureLine {
    let mut names: Vec<&str> = Vec::new();
    for o in &m.formations.items {
        if !names.contains(&o.organisme.as_str()) {
            names.push(&o.organisme);
        }
    }
    let label = SENTENCES.organismes.to_string();
    if names.is_empty() {
        return FigureLine {
            label,
            text: NON_DISPONIBLE.into(),
            source: None,
            notes: vec![SENTENCES.organismes_absents.into()],
        };
    }
    FigureLine {
        label,
        text: format!("{} ({})", names.len(), names.join(", ")),
        source: m.formations.source.as_ref().map(|s| s.text.clone()),
        notes: Vec::new(),
    }
}

/// The fiche's territorial section; without imported data, a note says so.
pub(crate) fn territoire(r: &Referential, ctx: Option<TerritorialContext>) -> Territoire {
    let Some(c) = ctx else {
        return Territoire {
            context: None,
            figures: Vec::new(),
            note: Some(SENTENCES.territoire_absent.into()),
        };
    };
    Territoire {
        figures: figure_lines(r, &c),
        context: Some(c),
        note: None,
    }
}

/// The territorial figures of a sheet, in seed 000's order, each with its
/// source and every qualifier (coverage, whole BMO métier, 2021 figures
/// keyed on the older ROME code): the documents and the web fiche page
/// print these same lines.
pub fn figure_lines(r: &Referential, c: &TerritorialContext) -> Vec<FigureLine> {
    let mut figures = vec![figure_line(&c.population), figure_line(&c.chomage)];
    if let Some(j) = &c.metier {
        figures.push(figure_line(&j.bmo.projets));
        figures.push(figure_line(&j.bmo.difficiles));
        figures.push(etablissements_line(j));
        let mut tension = [figure_line(&j.offres), figure_line(&j.demandeurs)];
        // The code the 2021 figures were found under (the fiche's own, or its parent).
        let v3 = j.offres.inherited_from.as_deref().unwrap_or(&j.code_rome);
        let siblings = v3_siblings(r, v3, &j.code_rome);
        if j.offres.is_available() && !siblings.is_empty() {
            let note = siblings_note(&siblings);
            for t in &mut tension {
                t.notes.push(note.clone());
            }
        }
        figures.extend(tension);
        figures.push(organismes_line(j));
    }
    figures
}

/// The training offers of the job in the département (both documents);
/// "non disponible" without territorial data.
pub(crate) fn formations(m: Option<&JobContext>) -> Formations {
    match m {
        Some(m) => Formations {
            items: m.formations.items.clone(),
            source: m.formations.source.as_ref().map(|s| s.text.clone()),
            note: m.formations.note.clone(),
        },
        None => Formations {
            items: Vec::new(),
            source: None,
            note: Some(NON_DISPONIBLE.into()),
        },
    }
}
