//! What the referential says of one job, as the fiche shows it: its
//! definition, access texts and savoir-faire grouped into missions, its
//! transversal profile with the radar, and its RIASEC types.

use std::collections::HashMap;

use passerelle_core::transversal::{Competency, Provenance, TransversalProfile};
use passerelle_core::{
    CoeurMetier, CompetenceCategory, Fiche, ItemKind, Job, OgrCode, Referential,
};

use crate::document::{
    Definition, Group, ProfilTransversal, ProfileRow, RiasecLetterView, RiasecView,
};
use crate::radar::{Radar, Scale, Series};
use crate::wording::{SENTENCES, fill};

/// Macro-compétence → enjeu title, from the optional arborescence file.
fn enjeux(r: &Referential) -> HashMap<OgrCode, String> {
    r.arborescence_competences
        .iter()
        .map(|b| (b.macro_ogr, b.enjeu.clone()))
        .collect()
}

/// Without the enjeu arborescence (absent from the open-data CSVs), the
/// fiche's own "cœur de métier" flag groups its savoir-faire.
fn coeur_title(c: CoeurMetier) -> &'static str {
    let [principale, emergente, autre] = SENTENCES.activites_coeur;
    match c {
        CoeurMetier::Principale => principale,
        CoeurMetier::Emergente => emergente,
        CoeurMetier::Non => autre,
    }
}

/// Savoir-faire of a job grouped by ROME enjeu, in first-appearance order.
fn savoir_faire_groups(r: &Referential, job: &Job) -> Vec<(String, Vec<(OgrCode, String)>)> {
    let enjeux = enjeux(r);
    let mut order: Vec<String> = Vec::new();
    let mut groups: HashMap<String, Vec<(OgrCode, String)>> = HashMap::new();
    for link in job.items.iter().filter(|l| l.kind == ItemKind::SavoirFaire) {
        let Some(c) = r.competence(link.ogr) else {
            continue;
        };
        if c.category != CompetenceCategory::SavoirFaire {
            continue;
        }
        let key = c.macro_ogr.unwrap_or(c.ogr);
        let title = enjeux
            .get(&key)
            .or_else(|| enjeux.get(&c.ogr))
            .cloned()
            .unwrap_or_else(|| coeur_title(link.coeur).to_string());
        if !groups.contains_key(&title) {
            order.push(title.clone());
        }
        groups
            .entry(title)
            .or_default()
            .push((c.ogr, c.label.clone()));
    }
    if enjeux.is_empty() {
        order.sort_by_key(|t| SENTENCES.activites_coeur.iter().position(|c| c == t));
    }
    order
        .into_iter()
        .map(|t| {
            let items = groups.remove(&t).unwrap_or_default();
            (t, items)
        })
        .collect()
}

/// The fiche's "Accès au métier" sentences, then its usual access level and
/// where it comes from (docs/methode.md § 4.3).
pub(crate) fn acces_with_level(r: &Referential, f: &Fiche) -> Vec<String> {
    let level = passerelle_core::qualification::access_level(r, f);
    let mut out = f.acces.clone();
    out.push(match level.level {
        Some(_) => fill(SENTENCES.niveau_acces, &[("niveau", &level.display_fr())]),
        None => fill(
            SENTENCES.niveau_acces_indetermine,
            &[("provenance", &level.provenance_fr())],
        ),
    });
    out
}

/// The fiche's definition, access texts and missions.
pub(crate) fn definition(r: &Referential, job: &Job) -> Definition {
    let fiche = r.fiche(job.fiche);
    Definition {
        definition: fiche.map(|f| f.definition.clone()).unwrap_or_default(),
        acces: fiche.map(|f| acces_with_level(r, f)).unwrap_or_default(),
        missions: savoir_faire_groups(r, job)
            .into_iter()
            .map(|(title, items)| Group {
                title,
                items: items.into_iter().map(|(_, l)| l).collect(),
            })
            .collect(),
    }
}

/// Where a transversal profile comes from, in a sentence.
pub(crate) fn provenance_label(p: &Provenance) -> String {
    let s = &SENTENCES;
    match p {
        Provenance::Enquete {
            source,
            date,
            territory,
            population,
            ..
        } => {
            let mut out = fill(s.profil_enquete, &[("source", source), ("date", date)]);
            if let Some(t) = territory {
                out.push_str(&fill(s.profil_enquete_territoire, &[("territoire", t)]));
            }
            if let Some(p) = population {
                out.push_str(&fill(s.profil_enquete_population, &[("population", p)]));
            }
            out
        }
        // The method identifier stays in the JSON (`provenance.method`):
        // counsellors read its name, not its code.
        Provenance::Estime { rome_version, .. } => {
            fill(s.profil_estime, &[("rome_version", rome_version)])
        }
    }
}

/// The profile view with its radar.
pub(crate) fn profil_transversal(title: &str, p: &TransversalProfile) -> ProfilTransversal {
    let label = format!("{title} ({})", p.provenance.kind_fr());
    let radar = Radar::new(
        &fill(SENTENCES.radar_titre, &[("title", title)]),
        Scale::Level,
        &[Series {
            profile: p,
            label: &label,
            color: "#1f5f8b",
        }],
    );
    let mut rows: Vec<ProfileRow> = Competency::ALL
        .iter()
        .map(|c| ProfileRow {
            competency: c.label_fr().to_string(),
            category: c.category().label_fr().to_string(),
            level: p.get(*c).level(),
            stars: p.get(*c).stars(),
            not_estimated: p.entry(*c).is_none(),
            // A competency not practised (level 0) has no work situation to describe.
            situation: (p.get(*c).level() > 0).then(|| c.situation_fr().to_string()),
        })
        .collect();
    rows.sort_by_key(|r| std::cmp::Reverse(r.stars));
    ProfilTransversal {
        provenance: p.provenance.clone(),
        provenance_label: provenance_label(&p.provenance),
        rows,
        radar,
    }
}

/// The fiche's RIASEC types, major then minor, each described.
pub(crate) fn riasec(r: &Referential, job: &Job) -> Option<RiasecView> {
    let rs = r.fiche(job.fiche)?.riasec?;
    let mut letters = vec![rs.major];
    letters.extend(rs.minor);
    Some(RiasecView {
        code: letters.iter().map(|l| l.to_string()).collect(),
        letters: letters
            .iter()
            .map(|l| RiasecLetterView {
                letter: l.to_string(),
                label: l.label_fr().into(),
                description: SENTENCES.riasec_type(*l).into(),
            })
            .collect(),
        explanation: SENTENCES.riasec_explication.into(),
    })
}
