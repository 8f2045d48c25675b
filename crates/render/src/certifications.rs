//! The fiche's "descriptif métier": the certifications that lead to the job
//! (with their blocs when the data has them, else listed by the rule of
//! [`fit`]), its savoir-être and the authored employer interviews.

use std::collections::HashSet;

use passerelle_core::qualification::AccessLevel;
use passerelle_core::territory::context::{JobContext, TerritorialContext};
use passerelle_core::territory::figure::Attribution;
use passerelle_core::territory::fit;
use passerelle_core::text::fold;
use passerelle_core::{ItemKind, Job, Referential};

use crate::document::{
    CertificationBrief, CertificationList, CertificationView, Descriptif, Entretiens,
};
use crate::wording::{SENTENCES, fill};

/// The fiche's "descriptif métier": certifications with their blocs (the
/// CQP first), the others listed, savoir-être and the interviews.
pub(crate) fn descriptif(
    r: &Referential,
    job: &Job,
    access: Option<&AccessLevel>,
    t: Option<&TerritorialContext>,
    entretiens: Option<Entretiens>,
) -> Descriptif {
    let mut certifications = Vec::new();
    let mut certifications_sans_blocs = None;
    if let Some(m) = t.and_then(|t| t.metier.as_ref()) {
        // The level band of the rule (docs/documents.md): a certification
        // shown with its blocs is one of the main list's levels.
        let band = access.and_then(|a| a.level).map(fit::band);
        let fits = |niveau: Option<u8>| {
            band.is_none_or(|(lo, hi)| niveau.is_some_and(|n| (lo..=hi).contains(&n)))
        };
        if let Some(cqp) = &m.cqp {
            certifications.push(CertificationView {
                intitule: cqp.certification.intitule.clone(),
                rncp: cqp.certification.rncp.first().cloned(),
                niveau: Some(cqp.certification.niveau),
                blocs: cqp
                    .blocs
                    .iter()
                    .map(|b| {
                        fill(
                            SENTENCES.bloc_cqp,
                            &[
                                ("numero", &b.numero.to_string()),
                                ("intitule", &b.intitule),
                                ("heures", &b.heures.to_string()),
                            ],
                        )
                    })
                    .collect(),
                source: cqp.certification.source.clone(),
            });
        }
        for f in &m.fiches_rncp.items {
            if f.blocs.is_empty() || !fits(f.niveau) {
                continue;
            }
            certifications.push(CertificationView {
                intitule: f.intitule.clone(),
                rncp: Some(f.numero.clone()),
                niveau: f.niveau,
                blocs: f
                    .blocs
                    .iter()
                    .map(|b| format!("{} – {}", b.code, b.libelle))
                    .collect(),
                source: m
                    .fiches_rncp
                    .source
                    .as_ref()
                    .map(|s| s.text.clone())
                    .unwrap_or_default(),
            });
        }
        if certifications.len() < 2 {
            for c in m
                .certifications
                .items
                .iter()
                .filter(|c| !c.blocs.is_empty() && fits(c.niveau))
                .take(3)
            {
                certifications.push(CertificationView {
                    intitule: c.libelle.clone(),
                    rncp: c.rncp.clone(),
                    niveau: c.niveau,
                    blocs: c
                        .blocs
                        .iter()
                        .map(|b| format!("{} – {}", b.code, b.libelle))
                        .collect(),
                    source: m
                        .certifications
                        .source
                        .as_ref()
                        .map(|s| s.text.clone())
                        .unwrap_or_default(),
                });
            }
        }
        certifications_sans_blocs = certification_list(r, job, access, m);
    }
    let savoir_etre = job
        .items
        .iter()
        .filter(|l| l.kind == ItemKind::SavoirEtre)
        .filter_map(|l| r.competence(l.ogr).map(|c| c.label.clone()))
        .collect();
    Descriptif {
        certifications,
        certifications_sans_blocs,
        savoir_etre,
        entretiens,
    }
}

/// The job's certifications from Certif Info, else from the RNCP export
/// (title, level, RNCP number, link to the job), chosen and ordered by the
/// rule of [`fit`]: within one level of the job's access level, the most
/// specific first; the others counted in one line.
fn certification_list(
    r: &Referential,
    job: &Job,
    access: Option<&AccessLevel>,
    m: &JobContext,
) -> Option<CertificationList> {
    let source = |l: &Option<Attribution>| l.as_ref().map(|s| s.text.clone()).unwrap_or_default();
    // The certifications the fiche ROME names itself, folded.
    let cited: HashSet<String> = r
        .fiche(job.fiche)
        .into_iter()
        .flat_map(|f| f.items.iter())
        .filter_map(|l| r.savoir(l.ogr))
        .filter(|s| s.category.is_certification())
        .map(|s| fold(&s.label))
        .collect();
    let brief = |intitule: &str, numero: Option<String>, niveau: Option<u8>, codes: usize| {
        let link = fit::Link::of(cited.contains(&fold(intitule)), codes);
        (
            CertificationBrief {
                intitule: intitule.to_string(),
                numero,
                niveau,
                rattachement: link.label_fr(),
            },
            fit::Candidate { niveau, link },
        )
    };
    let (all, source): (Vec<(CertificationBrief, fit::Candidate)>, String) =
        if !m.certifications.items.is_empty() {
            (
                m.certifications
                    .items
                    .iter()
                    .map(|c| {
                        brief(
                            &c.libelle,
                            c.rncp.clone().or_else(|| c.rs.clone()),
                            c.niveau,
                            c.codes_rome.len(),
                        )
                    })
                    .collect(),
                source(&m.certifications.source),
            )
        } else {
            (
                m.fiches_rncp
                    .items
                    .iter()
                    .map(|f| {
                        brief(
                            &f.intitule,
                            Some(f.numero.clone()),
                            f.niveau,
                            f.codes_rome.len(),
                        )
                    })
                    .collect(),
                source(&m.fiches_rncp.source),
            )
        };
    if all.is_empty() {
        return None;
    }
    let undetermined = AccessLevel::undetermined(SENTENCES.fiche_introuvable);
    let candidates: Vec<fit::Candidate> = all.iter().map(|(_, c)| *c).collect();
    let selection = fit::select(access.unwrap_or(&undetermined), &candidates, fit::MAIN_MAX);
    let pick = |idx: &[usize]| -> Vec<CertificationBrief> {
        idx.iter().map(|i| all[*i].0.clone()).collect()
    };
    Some(CertificationList {
        regle: selection.rule,
        items: pick(&selection.main),
        autres: pick(&selection.others),
        autres_resume: selection.others_summary,
        source,
    })
}
