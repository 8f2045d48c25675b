//! The parcours de mobilité from one source job to one target job: what
//! transfers (the source's activities graded), what to acquire, the
//! certification and the training offers of the département.

use std::collections::BTreeMap;

use passerelle_core::engine::{Engine, Gap, GapItem, ItemsGap, Weights, join_et};
use passerelle_core::territory::context::{JobContext, TerritorialContext};
use passerelle_core::{Catalog, DeptCode, Job, Referential, SurveyChoice};

use crate::build::BuildError;
use crate::description::acces_with_level;
use crate::document::*;
use crate::filters::{date_fr, of_group};
use crate::links::parcours_links;
use crate::territory::{formations, listed_certifications};
use crate::wording::{SENTENCES, WORDING, fill};

/// Everything a parcours is built from.
pub struct ParcoursInput<'a> {
    pub catalog: &'a Catalog,
    pub engine: &'a Engine,
    pub source: &'a Job,
    pub target: &'a Job,
    pub dept: Option<DeptCode>,
    /// Context of the département with the TARGET job.
    pub territory: Option<TerritorialContext>,
    pub generated_at: String,
}

/// Builds the parcours de mobilité.
pub fn build_parcours(input: ParcoursInput<'_>) -> Result<Parcours, BuildError> {
    let ParcoursInput {
        catalog,
        engine,
        source,
        target,
        dept,
        territory,
        generated_at,
    } = input;
    let r = &catalog.referential;
    let choice = SurveyChoice {
        enquete: None,
        dept,
    };
    let stp = catalog.transversal_profile(source, &SurveyChoice::default());
    let ttp = catalog.transversal_profile(target, &choice);
    let gap = engine.gap(source, target, &Weights::default(), stp, ttp)?;

    let activites = activites(&engine.transferable(source, target)?, &target.title);
    let atouts = atouts(&source.title, &target.title, &activites, &gap);
    let m = territory.as_ref().and_then(|t| t.metier.as_ref());
    let certification = m
        .and_then(|m| m.cqp.as_ref())
        .map(|cqp| crate::blocs::certification(r, cqp, source, &gap));
    // Without an offer, the section names the certifications the fiche
    // passerelle lists for the target (same rule, same order).
    let listed = crate::certifications::descriptif(
        r,
        target,
        engine.access_level(target.fiche),
        territory.as_ref(),
        None,
    );
    let formations = formations(m, listed_certifications(&listed));
    let attributions = attributions(r, m, certification.as_ref(), &formations);
    let tfiche = r.fiche(target.fiche);
    let s = &SENTENCES;
    let (rule_title, rule) = crate::scoring::rule(&engine.thresholds(&gap.weights));
    let (itineraires, apprendre, apprendre_methode) = routes_and_learning(engine, source, target)?;
    Ok(Parcours {
        document: "parcours_mobilite",
        notice: NOTICE,
        generated_on: date_fr(&generated_at),
        generated_at,
        departement: dept.map(|d| d.to_string()),
        je_suis: fill(s.je_suis, &[("source", &in_sentence(&source.title))]),
        je_souhaite: fill(s.je_souhaite, &[("target", &target.title)]),
        source: brief(source),
        target: brief(target),
        synthese: std::iter::once(atouts)
            .chain(gap.narrative.iter().cloned())
            .collect(),
        score: gap.scores.score,
        tier_label: gap.tier_label.to_string(),
        tier_key: crate::scoring::tier_key(gap.tier),
        score_detail: crate::scoring::pair_decomposition(
            &gap.scores,
            &gap.weights,
            &engine.constants(),
        ),
        rule_figures: crate::scoring::gap_figures(&gap),
        rule_title: rule_title.to_string(),
        rule: rule.to_vec(),
        legend: crate::scoring::legend(&engine.constants()),
        definition: tfiche.map(|f| f.definition.clone()).unwrap_or_default(),
        acces: acces_parcours(
            tfiche.map(|f| acces_with_level(r, f)).unwrap_or_default(),
            certification.as_ref(),
        ),
        activites,
        transferabilite_methode: s.transferabilite_methode.into(),
        a_acquerir: a_acquerir(&gap),
        itineraires,
        itineraires_regle: crate::routes::route_rule().to_vec(),
        apprendre,
        apprendre_methode,
        certification,
        formations,
        liens: parcours_links(source, target, territory.as_ref()),
        attributions,
    })
}

/// The routes from the source to the target and what the source should
/// learn next, as titled lists (docs/methode.md § 10 and § 11).
fn routes_and_learning(
    engine: &Engine,
    source: &Job,
    target: &Job,
) -> Result<(Vec<Group>, Vec<Group>, String), BuildError> {
    use crate::routes as words;
    use passerelle_core::engine::{DEFAULT_LEARN_ITEMS, DEFAULT_ROUTES};
    let (s, t) = (engine.index_of(source)?, engine.index_of(target)?);
    let w = Weights::default();
    let routes = engine.routes(s, t, &w, DEFAULT_ROUTES);
    let itineraires = routes
        .routes
        .iter()
        .enumerate()
        .map(|(n, r)| Group {
            title: words::route_heading(n + 1, r),
            items: r
                .steps
                .iter()
                .map(|st| format!("{} — {}", words::step_move(st), words::step_figures(st)))
                .collect(),
        })
        .collect();
    let learn = engine.learn(s, &w, DEFAULT_LEARN_ITEMS);
    let apprendre = learn
        .items
        .iter()
        .map(|i| Group {
            title: words::learn_heading(i),
            items: i.opens.iter().map(words::opened_line).collect(),
        })
        .collect();
    Ok((itineraires, apprendre, words::learn_intro(&learn)))
}

fn brief(job: &Job) -> JobBrief {
    JobBrief {
        id: job.id.clone(),
        code: job.fiche.to_string(),
        title: job.title.clone(),
    }
}

/// A ROME title inside a sentence: "Secrétaire médical / Secrétaire
/// médicale" → "secrétaire médical / secrétaire médicale" (each gendered
/// form loses its capital; acronyms such as "(ARM)" are kept).
fn in_sentence(title: &str) -> String {
    title
        .split(" / ")
        .map(|part| {
            let mut c = part.chars();
            match c.next() {
                Some(f) => f.to_lowercase().collect::<String>() + c.as_str(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" / ")
}

/// The source's activities (its savoir-faire grouped by macro-compétence)
/// that transfer, each graded by the mean credit of its savoir-faire in the
/// target: 1 exact, the engine's near credit for a near item, 0 otherwise.
/// Strongest first; activities with nothing in common are left out.
fn activites(transfer: &ItemsGap, target: &str) -> Vec<Activite> {
    let mut groups: BTreeMap<&str, Vec<(&GapItem, f64)>> = BTreeMap::new();
    for i in &transfer.acquis {
        groups.entry(&i.group).or_default().push((i, 1.0));
    }
    for i in &transfer.a_acquerir {
        let credit = i.proche_de.as_ref().map_or(0.0, |n| n.strength);
        groups.entry(&i.group).or_default().push((i, credit));
    }
    let mut out: Vec<Activite> = groups
        .into_iter()
        .filter(|(_, items)| items.iter().any(|(_, c)| *c > 0.0))
        .map(|(title, items)| activite(title, &items, target))
        .collect();
    out.sort_by(|a, b| {
        b.part
            .total_cmp(&a.part)
            .then_with(|| a.title.cmp(&b.title))
    });
    out
}

/// One activity with its grade and what of it is found in the target,
/// identical or near.
fn activite(title: &str, items: &[(&GapItem, f64)], target: &str) -> Activite {
    let s = &SENTENCES;
    let part = items.iter().map(|(_, c)| c).sum::<f64>() / items.len() as f64;
    let exact: Vec<String> = items
        .iter()
        .filter(|(_, c)| *c >= 1.0)
        .map(|(i, _)| i.label.clone())
        .collect();
    let near: Vec<String> = items
        .iter()
        .filter(|(_, c)| *c > 0.0 && *c < 1.0)
        .filter_map(|(i, _)| {
            i.proche_de.as_ref().map(|n| {
                fill(
                    s.activite_proche,
                    &[("label", &i.label), ("proche", &n.label)],
                )
            })
        })
        .collect();
    let mut parts = Vec::new();
    if !exact.is_empty() {
        parts.push(fill(s.activite_identique, &[("items", &exact.join(" ; "))]));
    }
    if !near.is_empty() {
        parts.push(fill(
            s.activite_intitule_proche,
            &[("items", &near.join(" ; "))],
        ));
    }
    Activite {
        explication: fill(
            s.activite_explication,
            &[
                ("count", &(exact.len() + near.len()).to_string()),
                ("total", &items.len().to_string()),
                ("target", target),
                ("parts", &parts.join(" ; ")),
            ],
        ),
        degre: degre(part),
        part,
        title: title.to_string(),
        items: items.iter().map(|(i, _)| i.label.clone()).collect(),
    }
}

/// Seed 001's summary opening: what transfers, named — the strongest
/// activities and the savoirs already held.
fn atouts(source: &str, target: &str, activites: &[Activite], gap: &Gap) -> String {
    let s = &SENTENCES;
    let strong: Vec<String> = activites
        .iter()
        .filter(|a| a.degre != s.degre_faible)
        .chain(activites.iter().filter(|a| a.degre == s.degre_faible))
        .take(4)
        .map(|a| {
            fill(
                s.atout_activite,
                &[("title", &a.title), ("degre", &a.degre.to_lowercase())],
            )
        })
        .collect();
    let savoirs: Vec<String> = gap
        .savoirs
        .acquis
        .iter()
        .take(4)
        .map(|i| i.label.clone())
        .collect();
    let (activites, savoirs) = (join_et(&strong), join_et(&savoirs));
    let assets = match (strong.is_empty(), gap.savoirs.acquis.is_empty()) {
        (false, false) => fill(
            s.atouts_activites_et_savoirs,
            &[("activites", &activites), ("savoirs", &savoirs)],
        ),
        (false, true) => fill(s.atouts_activites, &[("activites", &activites)]),
        (true, false) => fill(s.atouts_savoirs, &[("savoirs", &savoirs)]),
        (true, true) => {
            return fill(s.aucun_atout, &[("source", source), ("target", target)]);
        }
    };
    fill(
        s.atouts,
        &[("source", source), ("target", target), ("atouts", &assets)],
    )
}

/// What the source has to acquire: the core of the target job by activity,
/// its savoirs by group, what depends on the post in one group after them
/// (docs/methode.md § 9), then the transversal competencies to develop.
fn a_acquerir(gap: &Gap) -> Vec<Group> {
    let w = &WORDING;
    let mut by_group: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for i in gap.savoir_faire.a_acquerir.iter().filter(|i| i.coeur) {
        by_group
            .entry(i.group.clone())
            .or_default()
            .push(i.label.clone());
    }
    let mut out: Vec<Group> = by_group
        .into_iter()
        .map(|(title, items)| Group { title, items })
        .collect();
    for (title, key) in [
        (w.connaissances_pro, "connaissances"),
        (w.savoir_faire_pro, "savoir_faire"),
    ] {
        let items: Vec<String> = of_group(&gap.savoirs.a_acquerir, key)
            .into_iter()
            .filter(|i| i.coeur)
            .map(|i| i.label.clone())
            .collect();
        if !items.is_empty() {
            out.push(Group {
                title: title.into(),
                items,
            });
        }
    }
    let selon_poste: Vec<String> = gap
        .savoir_faire
        .a_acquerir
        .iter()
        .chain(&gap.savoirs.a_acquerir)
        .filter(|i| !i.coeur)
        .map(|i| i.label.clone())
        .collect();
    if !selon_poste.is_empty() {
        out.push(Group {
            title: w.selon_poste.into(),
            items: selon_poste,
        });
    }
    if let Some(t) = &gap.transversal
        && !t.a_faire_evoluer.is_empty()
    {
        out.push(Group {
            title: SENTENCES.ct_a_faire_evoluer.into(),
            items: t.a_faire_evoluer.iter().map(|s| s.to_string()).collect(),
        });
    }
    out
}

/// The target's access texts, plus — when the document shows a
/// certification — the sentence that ties them to it, so that "Accès au
/// métier" and "Certification" say the same thing.
fn acces_parcours(mut acces: Vec<String>, cert: Option<&CertificationParcours>) -> Vec<String> {
    if let Some(c) = cert {
        let s = &SENTENCES;
        let profil = c
            .acces
            .as_ref()
            .map(|a| {
                fill(
                    s.acces_certification_profil,
                    &[
                        ("profil", &a.profil.libelle),
                        ("heures", &a.heures_blocs_a_suivre.to_string()),
                    ],
                )
            })
            .unwrap_or_default();
        acces.push(fill(
            s.acces_certification,
            &[("intitule", &c.intitule), ("profil", &profil)],
        ));
    }
    acces
}

/// Only what this document shows: the ROME, the certification's rules,
/// the offers (the parcours prints no territorial figure).
fn attributions(
    r: &Referential,
    m: Option<&JobContext>,
    certification: Option<&CertificationParcours>,
    formations: &Formations,
) -> Vec<String> {
    let mut out = vec![r.version.attribution()];
    if let Some(cqp) = m
        .and_then(|m| m.cqp.as_ref())
        .filter(|_| certification.is_some())
    {
        out.push(cqp.certification.source.clone());
    }
    if !formations.items.is_empty()
        && let Some(s) = &formations.source
    {
        out.push(s.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_in_sentences() {
        assert_eq!(
            in_sentence("Secrétaire médical / Secrétaire médicale"),
            "secrétaire médical / secrétaire médicale"
        );
    }
}
