//! What the store reads for a territorial context ([`ContextRows`]), and the
//! pure choices that turn it into the [`ContextInput`] of [`build_context`].
//!
//! The store only reads rows: for the target fiche's code and for its ROME v3
//! parent ([`lookup_codes`]), every certification in import order. Which code
//! a figure is taken from (the fiche's own first, its parent when the fiche
//! has nothing) and the order certifications are listed in are domain rules,
//! so they live here, once, whatever the backend.

use crate::codes::RomeCode;
use crate::territory::context::{
    Chosen, ContextInput, Found, JobInput, TerritorialContext, build_context,
};
use crate::territory::records::{Certification, RncpFiche, RomeNaf, TensionDept};

/// What the store read for one département.
pub type ContextRows = ContextInput<PerCode>;

/// What the store read for the target fiche in the département.
pub type JobRows = JobInput<PerCode>;

/// The lookups of a job as the store reads them: under every code.
#[derive(Debug, Clone)]
pub struct PerCode {
    /// The rows of each of [`lookup_codes`], in that order.
    pub codes: Vec<CodeRows>,
    /// The RNCP/RS fiches named (`rncp`, `rs`) by the certifications of
    /// `codes`, each once.
    pub rncp_of_certifications: Vec<RncpFiche>,
}

/// The rows stored under one ROME code.
#[derive(Debug, Clone)]
pub struct CodeRows {
    pub code: RomeCode,
    pub tension: Option<TensionDept>,
    /// By hirings, most first.
    pub naf: Vec<RomeNaf>,
    /// In import order ([`order_certifications`] sorts them).
    pub certifications: Vec<Certification>,
    /// RNCP/RS fiches whose `CODES_ROME` hold the code.
    pub rncp: Vec<RncpFiche>,
}

/// The codes a job's figures are looked up under: its own, then its parent
/// when it has a different one.
pub fn lookup_codes(code: RomeCode, parent: Option<RomeCode>) -> impl Iterator<Item = RomeCode> {
    [Some(code), parent.filter(|p| *p != code)]
        .into_iter()
        .flatten()
}

/// Published certifications first, then the higher level, then by title.
pub fn order_certifications(certifications: &mut [Certification]) {
    certifications.sort_by(|a, b| {
        (a.etat != "Publié")
            .cmp(&(b.etat != "Publié"))
            .then(b.niveau.cmp(&a.niveau))
            .then(a.libelle.cmp(&b.libelle))
    });
}

/// The context of a département as the documents and pages show it.
pub fn territorial_context(rows: ContextRows) -> TerritorialContext {
    build_context(context_input(rows))
}

/// The choices of this module applied to what the store read.
pub fn context_input(rows: ContextRows) -> ContextInput {
    ContextInput {
        departement: rows.departement,
        unemployment: rows.unemployment,
        job: rows.job.map(job_input),
    }
}

fn job_input(rows: JobRows) -> JobInput {
    JobInput {
        lookups: choose(rows.lookups),
        code: rows.code,
        parent: rows.parent,
        mapping: rows.mapping,
        bmo_metier: rows.bmo_metier,
        bmo: rows.bmo,
        bmo_year: rows.bmo_year,
        bassins_in_dept: rows.bassins_in_dept,
        formations: rows.formations,
        formations_source: rows.formations_source,
        naf_divisions: rows.naf_divisions,
    }
}

/// For each lookup, the first code with something, and the certifications
/// in their order.
fn choose(lookups: PerCode) -> Chosen {
    let mut per_code = lookups.codes;
    for c in &mut per_code {
        order_certifications(&mut c.certifications);
    }
    let tension = first(&mut per_code, |c| c.tension.take());
    let naf = first(&mut per_code, |c| non_empty(std::mem::take(&mut c.naf)));
    let certifications = first(&mut per_code, |c| {
        non_empty(std::mem::take(&mut c.certifications))
    });
    let rncp = first(&mut per_code, |c| non_empty(std::mem::take(&mut c.rncp)));
    let rncp_for_certifications = certifications
        .iter()
        .flat_map(|f| &f.value)
        .flat_map(|c| c.rncp.iter().chain(&c.rs))
        .flat_map(|numero| {
            lookups
                .rncp_of_certifications
                .iter()
                .filter(move |f| f.numero == *numero)
        })
        .cloned()
        .collect();
    Chosen {
        tension,
        naf,
        certifications,
        rncp,
        rncp_for_certifications,
    }
}

/// The first code (in [`lookup_codes`] order) under which `take` finds something.
fn first<T>(
    per_code: &mut [CodeRows],
    mut take: impl FnMut(&mut CodeRows) -> Option<T>,
) -> Option<Found<T>> {
    per_code.iter_mut().find_map(|c| {
        let code = c.code;
        take(c).map(|value| Found { value, code })
    })
}

fn non_empty<T>(v: Vec<T>) -> Option<Vec<T>> {
    Some(v).filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rome(s: &str) -> RomeCode {
        RomeCode::parse(s).unwrap()
    }

    fn certification(libelle: &str, niveau: u8, etat: &str) -> Certification {
        Certification {
            code: libelle.into(),
            libelle: libelle.into(),
            type_libelle: String::new(),
            niveau: Some(niveau),
            rncp: None,
            rs: None,
            certificateur: None,
            romes: Vec::new(),
            accessibility: Default::default(),
            updated: None,
            etat: etat.into(),
        }
    }

    #[test]
    fn published_certifications_come_first_then_the_higher_level() {
        let mut certs = [
            certification("B", 4, "Publié"),
            certification("A", 6, "En cours"),
            certification("C", 5, "Publié"),
            certification("A", 4, "Publié"),
        ];
        order_certifications(&mut certs);
        let order: Vec<_> = certs
            .iter()
            .map(|c| (c.libelle.as_str(), c.niveau))
            .collect();
        assert_eq!(
            order,
            [
                ("C", Some(5)),
                ("A", Some(4)),
                ("B", Some(4)),
                ("A", Some(6))
            ]
        );
    }

    #[test]
    fn each_lookup_falls_back_to_the_parent_on_its_own() {
        let rows = |code: &str, certs: Vec<Certification>| CodeRows {
            code: rome(code),
            tension: None,
            naf: Vec::new(),
            certifications: certs,
            rncp: Vec::new(),
        };
        let chosen = choose(PerCode {
            codes: vec![
                rows("J1312", Vec::new()),
                rows(
                    "J1303",
                    vec![
                        certification("B", 4, "En cours"),
                        certification("A", 4, "Publié"),
                    ],
                ),
            ],
            rncp_of_certifications: Vec::new(),
        });
        let found = chosen.certifications.unwrap();
        assert_eq!(found.code, rome("J1303"));
        assert_eq!(found.value[0].libelle, "A");
        assert!(chosen.tension.is_none() && chosen.naf.is_none());
    }

    #[test]
    fn the_parent_is_looked_up_only_when_it_differs() {
        let codes = |c, p: Option<&str>| lookup_codes(rome(c), p.map(rome)).collect::<Vec<_>>();
        assert_eq!(
            codes("J1312", Some("J1303")),
            [rome("J1312"), rome("J1303")]
        );
        assert_eq!(codes("J1303", Some("J1303")), [rome("J1303")]);
        assert_eq!(codes("J1303", None), [rome("J1303")]);
    }
}
