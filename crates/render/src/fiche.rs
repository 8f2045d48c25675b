//! The fiche passerelle of one target job in one département: its cover,
//! the sources ranked towards it, the gaps of the detailed sources, the
//! links and the annex; the job's own sections come from
//! [`crate::description`], [`crate::certifications`] and [`crate::territory`].

use std::collections::HashSet;

use passerelle_core::engine::{Axis, Direction, Engine, Gap, Ranking, Weights};
use passerelle_core::territory::context::{JobContext, TerritorialContext};
use passerelle_core::transversal::{Category, Competency, TransversalProfile};
use passerelle_core::{Catalog, DeptCode, Job, JobRef, Referential, SurveyChoice};

use crate::build::BuildError;
use crate::certifications::descriptif;
use crate::description::{definition, profil_transversal, provenance_label, riasec};
use crate::document::*;
use crate::filters::{date_fr, weight};
use crate::links::{job_links, rncp_link};
use crate::territory::{formations, listed_certifications, territoire};
use crate::wording::{SENTENCES, fill};

/// Everything a fiche passerelle is built from.
pub struct FicheInput<'a> {
    pub catalog: &'a Catalog,
    pub engine: &'a Engine,
    pub target: &'a Job,
    pub dept: Option<DeptCode>,
    /// The département's context with the target job (None: not imported).
    pub territory: Option<TerritorialContext>,
    /// Sources to detail; empty: the top [`FicheInput::detailed`] of the ranking.
    pub sources: Vec<Job>,
    pub detailed: usize,
    /// Rows of the sources table (15 in seed 000).
    pub limit: usize,
    pub enquete: Option<String>,
    /// RFC 3339 instant of generation (injected clock).
    pub generated_at: String,
    pub entretiens: Option<Entretiens>,
}

/// RNCP links a fiche gives at most (the CQP's first, then the listed
/// certifications in the document's order).
const RNCP_LINKS: usize = 5;

/// Builds the fiche passerelle.
pub fn build_fiche(input: FicheInput<'_>) -> Result<FichePasserelle, BuildError> {
    let FicheInput {
        catalog,
        engine,
        target,
        dept,
        territory,
        sources,
        detailed,
        limit,
        enquete,
        generated_at,
        entretiens,
    } = input;
    let r = &catalog.referential;
    let weights = Weights::default();
    let choice = SurveyChoice { enquete, dept };
    let target_tp = catalog.transversal_profile(target, &choice);
    let subject = engine.index_of(target)?;
    let ranking = engine.rank(Direction::Sources, subject, &weights, limit, target_tp);

    let cover = cover(r, target, dept, territory.as_ref(), generated_at);
    let detail_jobs: Vec<Job> = if sources.is_empty() {
        crate::scoring::default_detailed(&ranking.rows, detailed)
            .into_iter()
            .filter_map(|row| resolve_row(catalog, &row.id))
            .collect()
    } else {
        sources
    };
    let mut ecarts: Vec<Gap> = Vec::new();
    for s in &detail_jobs {
        let stp = catalog.transversal_profile(s, &SurveyChoice::default());
        ecarts.push(engine.gap(s, target, &weights, stp, target_tp)?);
    }
    let descriptif = descriptif(
        r,
        target,
        engine.access_level(target.fiche),
        territory.as_ref(),
        entretiens.clone(),
    );
    let metier = territory.as_ref().and_then(|t| t.metier.as_ref());
    let liens = fiche_links(target, territory.as_ref(), &descriptif);
    let formations = formations(metier, listed_certifications(&descriptif));
    let attributions = attributions(
        r,
        territory.as_ref(),
        target_tp,
        entretiens.as_ref(),
        &cover,
    );
    let methodes = annexe_methodes(&ranking);

    Ok(FichePasserelle {
        document: "fiche_passerelle",
        notice: NOTICE,
        methode_transversale: methode_transversale(),
        definition: definition(r, target),
        profil_transversal: target_tp.map(|p| profil_transversal(&cover.title, p)),
        descriptif,
        riasec: riasec(r, target),
        territoire: territoire(r, territory),
        appellations_cible: appellations_cible(r, target),
        autres_appellations: autres_appellations(catalog, &ranking),
        sources: sources_table(engine, ranking),
        ecarts,
        formations,
        liens,
        annexe: Annexe {
            methodes,
            attributions,
        },
        cover,
    })
}

fn cover(
    r: &Referential,
    target: &Job,
    dept: Option<DeptCode>,
    territory: Option<&TerritorialContext>,
    generated_at: String,
) -> Cover {
    let fiche_title = r
        .fiche(target.fiche)
        .map(|f| f.title.clone())
        .unwrap_or_else(|| target.title.clone());
    Cover {
        title: target.title.clone(),
        id: target.id.clone(),
        code_rome: target.fiche.to_string(),
        fiche_title,
        appellation: target
            .appellation
            .and_then(|a| r.appellation(a))
            .map(|a| a.long_label.clone()),
        resolution: target.resolution.clone(),
        departement: dept.map(|d| d.to_string()),
        departement_nom: territory.map(|t| t.departement.nom.clone()),
        generated_on: date_fr(&generated_at),
        generated_at,
        rome_version: rome_version(r),
    }
}

/// "ROME 4.0, version 460 (…), mise à jour du …".
fn rome_version(r: &Referential) -> String {
    let (s, v) = (&SENTENCES, &r.version);
    let mut out = fill(s.rome_version, &[("number", &v.number.to_string())]);
    if let Some(l) = &v.label {
        out.push_str(&fill(s.rome_version_label, &[("label", l)]));
    }
    if let Some(p) = &v.published {
        out.push_str(&fill(s.rome_version_published, &[("date", p)]));
    }
    out
}

/// The fixed explanation of the transversal competencies, with the 14
/// competencies by category.
fn methode_transversale() -> MethodeTransversale {
    let categories = [
        Category::Relationnelles,
        Category::Organisationnelles,
        Category::Cognitives,
    ]
    .into_iter()
    .map(|cat| CategoryBlock {
        label: cat.label_fr().to_string(),
        competencies: Competency::ALL
            .iter()
            .filter(|c| c.category() == cat)
            .map(|c| c.label_fr().to_string())
            .collect(),
    })
    .collect();
    MethodeTransversale {
        paragraphs: SENTENCES
            .methode_transversale
            .iter()
            .map(|p| p.to_string())
            .collect(),
        categories,
    }
}

fn resolve_row(catalog: &Catalog, id: &str) -> Option<Job> {
    let r: JobRef = id.parse().ok()?;
    catalog.resolve(&r).ok()
}

/// The sources table: the ranking's rows, each with its decomposition and
/// the figures its label is decided on.
fn sources_table(engine: &Engine, ranking: Ranking) -> SourcesTable {
    let constants = engine.constants();
    let explanation = vec![
        fill(
            SENTENCES.classement,
            &[
                ("rows", &ranking.rows.len().to_string()),
                (
                    "candidates",
                    &passerelle_core::text::fr_int(ranking.candidates as u64),
                ),
            ],
        ),
        SENTENCES.departement_sans_effet.into(),
    ];
    let (rule_title, rule) = crate::scoring::rule(&ranking.tiers);
    SourcesTable {
        explanation,
        rule_title: rule_title.to_string(),
        rule: rule.to_vec(),
        legend: crate::scoring::legend(&constants),
        candidates: ranking.candidates,
        rows: ranking
            .rows
            .into_iter()
            .map(|row| SourceRow {
                score_detail: crate::scoring::row_decomposition(&row, &ranking.weights, &constants),
                rule_figures: crate::scoring::row_figures(&row),
                tier_key: crate::scoring::tier_key(row.tier),
                row,
            })
            .collect(),
    }
}

/// The target's other titles: a poste's own title first, then the
/// appellations of its fiche, the target's own title left out.
fn appellations_cible(r: &Referential, target: &Job) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    if target.is_poste() {
        out.push(target.title.clone());
    }
    if let Some(f) = r.fiche(target.fiche) {
        for a in r.appellations_of(f) {
            if a.long_label != target.title && !out.contains(&a.long_label) {
                out.push(a.long_label.clone());
            }
        }
    }
    out
}

/// The appellations of every ranked source's fiche.
fn autres_appellations(catalog: &Catalog, ranking: &Ranking) -> Vec<SourceAppellations> {
    let r = &catalog.referential;
    ranking
        .rows
        .iter()
        .filter_map(|row| {
            let job = resolve_row(catalog, &row.id)?;
            let fiche = r.fiche(job.fiche)?;
            Some(SourceAppellations {
                code: fiche.code.to_string(),
                title: row.title.clone(),
                appellations: r
                    .appellations_of(fiche)
                    .iter()
                    .map(|a| a.long_label.clone())
                    .collect(),
            })
        })
        .collect()
}

/// The target's links, then the France compétences page of the
/// certifications the document lists (never those it only counts).
fn fiche_links(
    target: &Job,
    territory: Option<&TerritorialContext>,
    descriptif: &Descriptif,
) -> Vec<Link> {
    let m = territory.and_then(|t| t.metier.as_ref());
    let mut liens = job_links(
        target,
        territory.map(|t| t.departement.nom.as_str()),
        m.map(|m| &m.bmo),
    );
    let Some(m) = m else {
        return liens;
    };
    let mut seen = HashSet::new();
    for (n, titre) in listed_rncp_numbers(m, descriptif) {
        if let Some(l) = rncp_link(&n, titre.as_deref())
            && seen.insert(l.url.clone())
            && seen.len() <= RNCP_LINKS
        {
            liens.push(l);
        }
    }
    liens
}

/// RNCP numbers with their titles: the CQP's, then the certifications the
/// document lists, in its order.
fn listed_rncp_numbers<'a>(
    m: &'a JobContext,
    descriptif: &'a Descriptif,
) -> impl Iterator<Item = (String, Option<String>)> + 'a {
    let cqp_title = m.cqp.as_ref().map(|c| c.certification.intitule.clone());
    m.cqp
        .iter()
        .flat_map(move |c| {
            let cqp_title = cqp_title.clone();
            c.certification
                .rncp
                .iter()
                .map(move |n| (n.clone(), cqp_title.clone()))
        })
        .chain(
            descriptif
                .certifications
                .iter()
                .filter_map(|c| Some((c.rncp.clone()?, Some(c.intitule.clone())))),
        )
        .chain(
            descriptif
                .certifications_sans_blocs
                .iter()
                .flat_map(|l| l.items.iter())
                .filter_map(|c| Some((c.numero.clone()?, Some(c.intitule.clone())))),
        )
}

/// The annex's sources: the ROME with its licence, the territorial
/// sources, the profile's provenance, the interviews, the generation date.
fn attributions(
    r: &Referential,
    territory: Option<&TerritorialContext>,
    target_tp: Option<&TransversalProfile>,
    entretiens: Option<&Entretiens>,
    cover: &Cover,
) -> Vec<String> {
    let s = &SENTENCES;
    let rome = r.version.attribution();
    let mut out = vec![format!(
        "{}{}",
        rome.trim_end_matches(s.licence_ouverte),
        s.licence_ouverte
    )];
    if let Some(t) = territory {
        out.extend(t.sources.iter().cloned());
    }
    if let Some(tp) = target_tp {
        out.push(fill(
            s.attribution_transversales,
            &[("provenance", &provenance_label(&tp.provenance))],
        ));
    }
    if let Some(e) = entretiens {
        out.push(fill(s.attribution_entretiens, &[("source", &e.source)]));
    }
    out.push(fill(s.genere_le, &[("date", &cover.generated_on)]));
    out
}

/// The annex's methods, ending with the weights of the ranking.
fn annexe_methodes(ranking: &Ranking) -> Vec<String> {
    let poids = Axis::ALL
        .iter()
        .map(|a| format!("{} {}", a.label_fr(), weight(ranking.weights.get(*a))))
        .collect::<Vec<_>>()
        .join(" ; ");
    SENTENCES
        .annexe_methodes
        .iter()
        .map(|m| m.to_string())
        .chain([fill(SENTENCES.poids_du_score, &[("poids", &poids)])])
        .collect()
}
