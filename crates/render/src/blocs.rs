//! A certification seen from a pair: which of its blocs the source's
//! profile is exempted from or may shorten, the hours left, and which of
//! the pair's items to acquire each bloc prepares (docs/methode.md § 15).

use passerelle_core::engine::{Gap, GapItem, join_et};
use passerelle_core::territory::cqp::{Cqp, ProfileAccess};
use passerelle_core::{Job, Referential};

use crate::document::{BlocsCouverture, CertificationParcours};
use crate::wording::{SENTENCES, fill};

/// The CQP seen from the source job: which blocs its profile is exempted
/// from or may shorten, and the hours left.
pub fn certification(r: &Referential, cqp: &Cqp, source: &Job, gap: &Gap) -> CertificationParcours {
    let s = &SENTENCES;
    let parent = r.fiche(source.fiche).map(|f| f.parent);
    let acces = cqp.access_for(source.fiche, parent);
    let heures = acces.heures_blocs_a_suivre.to_string();
    let explication = if acces.blocs_dispenses.is_empty() && acces.blocs_alleges.is_empty() {
        fill(
            s.certification_sans_dispense,
            &[("profil", &acces.profil.libelle), ("heures", &heures)],
        )
    } else {
        fill(
            s.certification_dispenses,
            &[
                ("profil", &acces.profil.libelle),
                ("dispenses", &acces.blocs_dispenses.len().to_string()),
                ("alleges", &acces.blocs_alleges.len().to_string()),
                ("heures", &heures),
                ("conditions", &acces.profil.conditions),
            ],
        )
    };
    CertificationParcours {
        intitule: cqp.certification.intitule.clone(),
        blocs: cqp.blocs.clone(),
        couverture: couverture(cqp, gap, &acces),
        acces: Some(acces),
        explication,
    }
}

/// Which of the pair's savoirs and savoir-faire to acquire each bloc
/// prepares (docs/methode.md § 15), from the reviewed list of the data file.
fn couverture(cqp: &Cqp, gap: &Gap, acces: &ProfileAccess) -> Option<BlocsCouverture> {
    if cqp.blocs.iter().all(|b| b.items_rome.is_empty()) {
        return None;
    }
    let s = &SENTENCES;
    let missing: Vec<&GapItem> = gap
        .savoirs
        .a_acquerir
        .iter()
        .chain(&gap.savoir_faire.a_acquerir)
        .collect();
    let (blocs, outside) = cqp.coverage(&missing, |i| i.ogr);
    let total = missing.len().to_string();
    // Non-breaking spaces keep each guillemet with its words: the lists
    // are long, and a line must not start with « » ».
    let labels = |items: &[&&GapItem]| {
        join_et(
            &items
                .iter()
                .map(|i| format!("«\u{a0}{}\u{a0}»", i.label))
                .collect::<Vec<_>>(),
        )
    };
    let sentences = blocs
        .iter()
        .map(|c| {
            let numero = c.bloc.numero.to_string();
            let dispense = acces
                .blocs_dispenses
                .iter()
                .any(|b| b.numero == c.bloc.numero);
            let statut = if dispense {
                s.bloc_dispense_pour_profil
            } else {
                ""
            };
            let base = [
                ("numero", numero.as_str()),
                ("intitule", &c.bloc.intitule),
                ("statut", statut),
            ];
            if c.covered.is_empty() {
                fill(s.bloc_couvre_aucun, &base)
            } else {
                let n = c.covered.len().to_string();
                let items = labels(&c.covered);
                let values = [
                    &base[..],
                    &[("n", &n), ("total", &total), ("items", &items)],
                ]
                .concat();
                fill(s.bloc_couvre, &values)
            }
        })
        .collect();
    let covered = (missing.len() - outside.len()).to_string();
    Some(BlocsCouverture {
        resume: fill(
            s.blocs_couverture_resume,
            &[("n", &covered), ("total", &total)],
        ),
        blocs: sentences,
        hors_blocs: (!outside.is_empty())
            .then(|| fill(s.hors_blocs, &[("items", &labels(&outside))])),
        methode: s.blocs_couverture_methode.into(),
    })
}
