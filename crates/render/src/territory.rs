//! The territorial part of the documents: the figure lines of the fiche's
//! "contexte territorial" (also printed by the web fiche page), and the
//! training offers both documents list.

use passerelle_core::Referential;
use passerelle_core::territory::context::{JobContext, TerritorialContext};
use passerelle_core::territory::figure::Figure;

use crate::document::{FigureLine, Formations, Territoire};
use crate::wording::{SENTENCES, fill};

/// An available figure as a display line: its value, with — for the 2021
/// figures — their scope in a few words ("3 bassins sur 4, 2021"); the
/// long qualifiers stay in `notes`, which the documents print as numbered
/// notes under the table.
fn figure_line(f: &Figure) -> FigureLine {
    let mut text = f.text.clone();
    if let Some(scope) = scope(f) {
        text = format!("{text} ({scope})");
    }
    FigureLine {
        label: f.label.clone(),
        text,
        source: f.source.as_ref().map(|s| s.text.clone()),
        notes: f.notes.clone(),
        renvois: Vec::new(),
    }
}

/// The scope of a 2021 bassin figure in a few words, read from its
/// coverage note ("couverture partielle : 3 bassins d'emploi sur 4 …",
/// written by `passerelle_core::territory::context`); `None` for any other
/// figure. The note keeps the full sentence for the notes area.
fn scope(f: &Figure) -> Option<String> {
    let year = f.source.as_ref()?.year?.to_string();
    let note = f.notes.iter().find(|n| n.starts_with("couverture"))?;
    if note.starts_with("couverture complète") {
        return Some(fill(SENTENCES.portee_complete, &[("year", &year)]));
    }
    let numbers: Vec<&str> = note
        .split(|c: char| !c.is_ascii_digit())
        .filter(|w| !w.is_empty())
        .collect();
    let [present, total, ..] = numbers[..] else {
        return None;
    };
    Some(fill(
        SENTENCES.portee_partielle,
        &[("present", present), ("total", total), ("year", &year)],
    ))
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

/// The national sectors that hire on the job: what is known where no open
/// source counts the employers of a département.
fn secteurs_line(m: &JobContext) -> Option<FigureLine> {
    if m.secteurs.items.is_empty() {
        return None;
    }
    let secteurs = m
        .secteurs
        .items
        .iter()
        .take(3)
        .map(|s| s.libelle.as_str())
        .collect::<Vec<_>>()
        .join(" ; ");
    Some(FigureLine {
        label: SENTENCES.secteurs.into(),
        text: secteurs,
        source: m.secteurs.source.as_ref().map(|s| s.text.clone()),
        notes: Vec::new(),
        renvois: Vec::new(),
    })
}

/// The training organisations of the job in the département, when an
/// offer was imported.
fn organismes_line(m: &JobContext) -> Option<FigureLine> {
    let mut names: Vec<&str> = m
        .formations
        .items
        .iter()
        .map(|o| o.organisme.as_str())
        .collect();
    names.sort_unstable();
    names.dedup();
    if names.is_empty() {
        return None;
    }
    Some(FigureLine {
        label: SENTENCES.organismes.into(),
        text: format!("{} ({})", names.len(), names.join(", ")),
        source: m.formations.source.as_ref().map(|s| s.text.clone()),
        notes: Vec::new(),
        renvois: Vec::new(),
    })
}

/// The fiche's territorial section: the figures the data gives in a
/// table whose long qualifiers are numbered notes, and those it does not
/// give in one line; without imported data, a note says so.
pub(crate) fn territoire(r: &Referential, ctx: Option<TerritorialContext>) -> Territoire {
    let Some(c) = ctx else {
        return Territoire {
            context: None,
            figures: Vec::new(),
            note: Some(SENTENCES.territoire_absent.into()),
            non_disponibles: None,
            notes: Vec::new(),
        };
    };
    let (mut figures, missing) = figure_groups(r, &c);
    let mut notes: Vec<String> = Vec::new();
    for f in &mut figures {
        for n in &f.notes {
            let i = match notes.iter().position(|x| x == n) {
                Some(i) => i,
                None => {
                    notes.push(n.clone());
                    notes.len() - 1
                }
            };
            f.renvois.push(i + 1);
        }
    }
    Territoire {
        figures,
        context: Some(c),
        note: None,
        non_disponibles: missing_sentence(&missing),
        notes,
    }
}

/// "Non disponibles pour ce département : a (why) ; b (why)."
fn missing_sentence(missing: &[&str]) -> Option<String> {
    (!missing.is_empty()).then(|| {
        fill(
            SENTENCES.non_disponibles,
            &[("items", &missing.join(" ; "))],
        )
    })
}

/// The territorial figures of a sheet, in seed 000's order, each with its
/// source and every qualifier (coverage, whole BMO métier, 2021 figures
/// keyed on the older ROME code); the figures the data does not give come
/// last, gathered in one line (label « Non disponibles pour ce
/// département », the missing figures with their reasons as text): the web
/// fiche page prints these lines, the documents the same split in table
/// and line.
pub fn figure_lines(r: &Referential, c: &TerritorialContext) -> Vec<FigureLine> {
    let (mut figures, missing) = figure_groups(r, c);
    if let Some(line) = missing_sentence(&missing) {
        let (label, text) = line.split_once(" : ").unwrap_or(("", line.as_str()));
        figures.push(FigureLine {
            label: label.to_string(),
            text: text.trim_end_matches('.').to_string(),
            source: None,
            notes: Vec::new(),
            renvois: Vec::new(),
        });
    }
    figures
}

/// The figures the data gives, and the short name and reason of each it
/// does not give.
fn figure_groups(r: &Referential, c: &TerritorialContext) -> (Vec<FigureLine>, Vec<&'static str>) {
    let s = &SENTENCES;
    let mut figures = Vec::new();
    let mut missing = Vec::new();
    for (f, why) in [(&c.population, s.nd_population), (&c.chomage, s.nd_chomage)] {
        if f.is_available() {
            figures.push(figure_line(f));
        } else {
            missing.push(why);
        }
    }
    let Some(j) = &c.metier else {
        return (figures, missing);
    };
    if j.bmo.projets.is_available() {
        figures.push(figure_line(&j.bmo.projets));
        figures.push(figure_line(&j.bmo.difficiles));
    } else if j.bmo.code_bmo.is_none() {
        missing.push(s.nd_bmo_sans_correspondance);
    } else {
        missing.push(s.nd_bmo_sans_ligne);
    }
    missing.push(s.nd_etablissements);
    figures.extend(secteurs_line(j));
    if j.offres.is_available() {
        let mut tension = [figure_line(&j.offres), figure_line(&j.demandeurs)];
        // The code the 2021 figures were found under (the fiche's own, or its parent).
        let v3 = j.offres.inherited_from.as_deref().unwrap_or(&j.code_rome);
        let siblings = v3_siblings(r, v3, &j.code_rome);
        if !siblings.is_empty() {
            let note = siblings_note(&siblings);
            for t in &mut tension {
                t.notes.push(note.clone());
            }
        }
        figures.extend(tension);
    } else {
        missing.push(s.nd_tension);
    }
    match organismes_line(j) {
        Some(l) => figures.push(l),
        None => missing.push(s.nd_organismes),
    }
    (figures, missing)
}

/// The training offers of the job in the département (both documents).
/// Without any, one line says so, the certifications that lead to the job
/// (`certifications`, as the document lists them) are named instead, and
/// who can add the regional offer — never an empty table.
pub(crate) fn formations(m: Option<&JobContext>, certifications: Vec<String>) -> Formations {
    let s = &SENTENCES;
    match m {
        Some(m) if !m.formations.items.is_empty() => Formations {
            items: m.formations.items.clone(),
            source: m.formations.source.as_ref().map(|s| s.text.clone()),
            note: None,
            certifications: Vec::new(),
            ajout: None,
        },
        _ => Formations {
            items: Vec::new(),
            source: None,
            note: Some(
                if m.is_some() {
                    s.formations_aucune
                } else {
                    s.formations_sans_territoire
                }
                .into(),
            ),
            certifications,
            ajout: Some(s.formations_ajout.into()),
        },
    }
}

/// A certification as the training section names it: "Titre (niveau 4,
/// RNCP12345)".
pub(crate) fn certification_name(
    intitule: &str,
    niveau: Option<u8>,
    numero: Option<&str>,
) -> String {
    let mut parts = Vec::new();
    if let Some(n) = niveau {
        parts.push(format!("niveau {n}"));
    }
    if let Some(n) = numero {
        parts.push(n.to_string());
    }
    if parts.is_empty() {
        intitule.to_string()
    } else {
        format!("{intitule} ({})", parts.join(", "))
    }
}

/// The certifications a document lists for the job (with their blocs,
/// then the main list of the level rule), named for the training section.
/// A certification found in two sources (the CQP and Certif Info) is named
/// once, by its RNCP number.
pub(crate) fn listed_certifications(d: &crate::document::Descriptif) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    d.certifications
        .iter()
        .map(|c| (&c.intitule, c.niveau, c.rncp.as_deref()))
        .chain(
            d.certifications_sans_blocs
                .iter()
                .flat_map(|l| l.items.iter())
                .map(|c| (&c.intitule, c.niveau, c.numero.as_deref())),
        )
        .filter(|(intitule, _, numero)| {
            seen.insert(
                numero.map_or_else(|| passerelle_core::text::fold(intitule), str::to_string),
            )
        })
        .map(|(intitule, niveau, numero)| certification_name(intitule, niveau, numero))
        .take(MAX_CERTIFICATIONS)
        .collect()
}

/// Certifications the training section names at most.
const MAX_CERTIFICATIONS: usize = 6;

#[cfg(test)]
mod tests {
    use super::*;
    use passerelle_core::territory::figure::{Attribution, Unit};

    #[test]
    fn a_partial_2021_figure_says_its_scope_in_a_few_words() {
        let src = Attribution::new("Dares et Pôle emploi", "x", Some(2021));
        let f = Figure::value("Offres", Unit::Count, 390.0, src.clone())
            .with_note("couverture partielle : 3 bassins d'emploi sur 4 rattachés au département");
        assert_eq!(figure_line(&f).text, "390 (3 bassins sur 4, 2021)");
        let f = Figure::value("Offres", Unit::Count, 390.0, src)
            .with_note("couverture complète : les 5 bassins d'emploi rattachés au département");
        assert_eq!(figure_line(&f).text, "390 (tout le département, 2021)");
    }

    #[test]
    fn certifications_are_named_with_level_and_number() {
        assert_eq!(
            certification_name("CAP boulanger", Some(3), Some("RNCP37537")),
            "CAP boulanger (niveau 3, RNCP37537)"
        );
        assert_eq!(certification_name("X", None, None), "X");
    }
}
