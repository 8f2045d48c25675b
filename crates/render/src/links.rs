//! Addresses of the official sites the documents point to (France Travail's
//! Métierscope and BMO survey, ONISEP, France compétences' RNCP), each with
//! its label. Only addresses the data supports: a page built from a ROME or
//! RNCP code, otherwise a search or the site itself, never a guessed page.

use passerelle_core::Job;
use passerelle_core::territory::context::{BmoContext, TerritorialContext};

use crate::document::Link;
use crate::wording::{SENTENCES, fill};

fn metierscope(code: &str) -> String {
    format!("https://candidat.francetravail.fr/metierscope/fiche-metier/{code}")
}

/// The BMO survey's site, at the address docs/donnees.md documents: its
/// pages are per BMO métier and bassin, with no address built from a ROME
/// code, so the link names what to look for.
const BMO_SITE: &str = "https://statistiques.francetravail.org/bmo";

/// ONISEP's search (no ROME → ONISEP mapping exists in the data: a search,
/// never a guessed page address). Everything but unreserved characters is
/// percent-encoded, which also keeps the address free of Markdown syntax.
fn onisep_search(title: &str) -> String {
    let mut q = String::new();
    for b in title.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => q.push(b as char),
            b' ' => q.push('+'),
            _ => q.push_str(&format!("%{b:02X}")),
        }
    }
    format!("https://www.onisep.fr/recherche?text={q}")
}

/// The masculine form of a ROME title, for a search: "Assistant /
/// Assistante médico-technique" → "Assistant médico-technique",
/// "Boulanger / Boulangère" → "Boulanger".
fn search_title(title: &str) -> String {
    let Some((a, b)) = title.split_once(" / ") else {
        return title.trim().to_string();
    };
    let a: Vec<&str> = a.split_whitespace().collect();
    let b: Vec<&str> = b.split_whitespace().collect();
    a.iter()
        .chain(b.iter().skip(a.len()))
        .copied()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Métierscope, BMO and ONISEP-search links of one job; the BMO link names
/// the BMO métier (and the département) when the context gives it.
pub(crate) fn job_links(job: &Job, dept_nom: Option<&str>, bmo: Option<&BmoContext>) -> Vec<Link> {
    let s = &SENTENCES;
    let fiche = job.fiche.to_string();
    let mut out = vec![Link {
        label: fill(
            s.lien_metierscope,
            &[("code", &fiche), ("title", &job.title)],
        ),
        url: metierscope(&fiche),
    }];
    let q = search_title(&job.title);
    let bmo_label = match bmo.and_then(|b| b.code_bmo.as_deref().zip(b.libelle_bmo.as_deref())) {
        Some((code, libelle)) => {
            let departement = dept_nom
                .map(|nom| fill(s.lien_bmo_departement, &[("nom", nom)]))
                .unwrap_or_default();
            fill(
                s.lien_bmo_metier,
                &[
                    ("code", code),
                    ("libelle", libelle),
                    ("departement", &departement),
                ],
            )
        }
        None => fill(s.lien_bmo_recherche, &[("title", &q)]),
    };
    out.push(Link {
        label: bmo_label,
        url: BMO_SITE.into(),
    });
    out.push(Link {
        label: fill(s.lien_onisep, &[("title", &q)]),
        url: onisep_search(&q),
    });
    out
}

/// The France compétences page of an RNCP number ("RNCP37537" or
/// "37537"); `None` for another register's code (RS…).
pub(crate) fn rncp_link(numero: &str, titre: Option<&str>) -> Option<Link> {
    let digits: String = numero.chars().filter(|c| c.is_ascii_digit()).collect();
    if digits.is_empty()
        || !numero.to_ascii_uppercase().starts_with("RNCP")
            && numero.chars().any(|c| c.is_alphabetic())
    {
        return None;
    }
    let s = &SENTENCES;
    Some(Link {
        label: match titre {
            Some(t) => fill(s.lien_rncp_titre, &[("numero", &digits), ("title", t)]),
            None => fill(s.lien_rncp, &[("numero", &digits)]),
        },
        url: format!("https://www.francecompetences.fr/recherche/rncp/{digits}/"),
    })
}

/// The parcours' links: the target's (with its BMO métier in the
/// département), then the source's.
pub(crate) fn parcours_links(
    source: &Job,
    target: &Job,
    territory: Option<&TerritorialContext>,
) -> Vec<Link> {
    let dept_nom = territory.map(|t| t.departement.nom.as_str());
    let bmo = territory.and_then(|t| t.metier.as_ref()).map(|m| &m.bmo);
    let mut out = job_links(target, dept_nom, bmo);
    out.extend(job_links(source, None, None));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_titles_are_plain_and_encoded() {
        assert_eq!(
            search_title("Assistant / Assistante médico-technique"),
            "Assistant médico-technique"
        );
        assert_eq!(
            search_title("Assistant médical / Assistante médicale"),
            "Assistant médical"
        );
        assert_eq!(search_title("Boulanger / Boulangère"), "Boulanger");
        assert_eq!(search_title("Scrum Master"), "Scrum Master");
        assert_eq!(
            onisep_search("Assistant médical"),
            "https://www.onisep.fr/recherche?text=Assistant+m%C3%A9dical"
        );
    }

    #[test]
    fn rncp_links_only_for_rncp_numbers() {
        let l = rncp_link("RNCP37537", Some("CAP")).unwrap();
        assert_eq!(
            l.url,
            "https://www.francecompetences.fr/recherche/rncp/37537/"
        );
        assert_eq!(l.label, "France compétences : fiche RNCP37537 « CAP »");
        assert!(rncp_link("RS5432", None).is_none());
    }
}
