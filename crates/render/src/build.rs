//! Builds the document models from the catalog, the engine and the
//! territorial context. Nothing is invented: what the data does not give is
//! left empty and rendered "non disponible".

use std::collections::{BTreeMap, HashMap, HashSet};

use passerelle_core::engine::{Direction, Engine, EngineError, Gap, Weights};
use passerelle_core::qualification::AccessLevel;
use passerelle_core::territory::context::TerritorialContext;
use passerelle_core::territory::figure::{Amount, Figure};
use passerelle_core::territory::fit;
use passerelle_core::text::fold;
use passerelle_core::transversal::{Category, Competency, Provenance, TransversalProfile};
use passerelle_core::{
    Catalog, CompetenceCategory, DeptCode, ItemKind, Job, JobRef, OgrCode, Referential,
    RiasecLetter, SurveyChoice,
};

use crate::document::*;
use crate::radar::{Scale, Series, radar_svg};

/// Errors of the builder (unknown job in the engine, bad authored file).
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error("{0}")]
    Engine(#[from] EngineError),
    #[error("métier source « {0} » : {1}")]
    Source(String, String),
    #[error("fichier d'entretiens {path} : {message}")]
    Entretiens { path: String, message: String },
}

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

/// "2026-11-23T06:00:00Z" → "23/11/2026".
pub fn date_fr(rfc3339: &str) -> String {
    let d = rfc3339.get(..10).unwrap_or(rfc3339);
    let parts: Vec<&str> = d.split('-').collect();
    if parts.len() == 3 {
        format!("{}/{}/{}", parts[2], parts[1], parts[0])
    } else {
        rfc3339.to_string()
    }
}

/// [`passerelle_core::text::pct`], with the documents' full "non disponible"
/// when absent (`Borrow` so that templates can pass a reference).
pub fn pct(v: impl std::borrow::Borrow<Option<f64>>) -> String {
    match *v.borrow() {
        None => NON_DISPONIBLE.to_string(),
        v => passerelle_core::text::pct(v),
    }
}

/// A weight as a plain French number ("1", "0,5"): weights are not
/// percentages (conventions, "Words users see").
pub fn weight(v: f64) -> String {
    crate::scoring::plain(v, 2)
}

/// "★★★☆☆": `n` filled stars out of 5 (importance-fréquence).
pub fn stars(n: &u8) -> String {
    let n = usize::from(*n);
    format!("{}{}", "★".repeat(n), "☆".repeat(5usize.saturating_sub(n)))
}

/// "35 h" (thousands grouped); "non disponible" when absent.
pub fn duree(heures: &Option<u32>) -> String {
    heures
        .map(|h| format!("{} h", passerelle_core::text::fr_int(u64::from(h))))
        .unwrap_or_else(|| NON_DISPONIBLE.into())
}

/// An offer's public, prerequisites and rhythm, "Public : … — Prérequis :
/// a ; b — Rythme : …" (empty when the offer gives none). The PDF builds
/// the same line from the JSON with the same wording.
pub fn conditions(o: &passerelle_core::territory::records::TrainingOffer) -> String {
    let w = &crate::wording::WORDING;
    let mut parts = Vec::new();
    if let Some(p) = o.public.as_deref().filter(|p| !p.is_empty()) {
        parts.push(format!("{} : {p}", w.public));
    }
    if !o.prerequis.is_empty() {
        parts.push(format!("{} : {}", w.prerequis, o.prerequis.join(" ; ")));
    }
    if let Some(r) = o.rythme.as_deref().filter(|r| !r.is_empty()) {
        parts.push(format!("{} : {r}", w.rythme));
    }
    parts.join(" — ")
}

/// The labels of gap items, "a ; b ; c".
pub fn labels(items: &[passerelle_core::engine::GapItem]) -> String {
    items
        .iter()
        .map(|i| i.label.as_str())
        .collect::<Vec<_>>()
        .join(" ; ")
}

/// The gap items of one group (`connaissances` or `savoir_faire` for the
/// savoirs), as seed 000 splits them.
pub fn of_group<'a>(
    items: &'a [passerelle_core::engine::GapItem],
    group: &str,
) -> Vec<&'a passerelle_core::engine::GapItem> {
    items.iter().filter(|i| i.group == group).collect()
}

/// Items to acquire of the core of the target job (`true`) or that depend
/// on the post (`false`), docs/methode.md § 9.
pub fn of_core(
    items: &[passerelle_core::engine::GapItem],
    coeur: bool,
) -> Vec<&passerelle_core::engine::GapItem> {
    items.iter().filter(|i| i.coeur == coeur).collect()
}

/// Gap items as "a (proche de b) ; c": the source's nearest item shown
/// beside an item to acquire.
pub fn near_labels<'a>(
    items: impl IntoIterator<Item = &'a passerelle_core::engine::GapItem>,
    proche_de: &str,
) -> String {
    items
        .into_iter()
        .map(|i| match &i.proche_de {
            Some(n) => format!("{} ({proche_de} {})", i.label, n.label),
            None => i.label.clone(),
        })
        .collect::<Vec<_>>()
        .join(" ; ")
}

/// Context groups as "Type : a / b ; Type : c".
pub fn context_groups(groups: &[passerelle_core::engine::ContextGroup]) -> String {
    groups
        .iter()
        .map(|g| {
            format!(
                "{} : {}",
                g.type_label,
                g.items
                    .iter()
                    .map(|i| i.label.as_str())
                    .collect::<Vec<_>>()
                    .join(" / ")
            )
        })
        .collect::<Vec<_>>()
        .join(" ; ")
}

fn rome_version(r: &Referential) -> String {
    let v = &r.version;
    let mut s = format!("ROME 4.0, version {}", v.number);
    if let Some(l) = &v.label {
        s.push_str(&format!(" ({l})"));
    }
    if let Some(p) = &v.published {
        s.push_str(&format!(", mise à jour du {p}"));
    }
    s
}

fn methode_transversale() -> MethodeTransversale {
    let paragraphs = vec![
        "Les compétences transversales sont des compétences génériques, mobilisables dans diverses situations professionnelles : elles ne dépendent pas d'un contexte professionnel particulier mais sont indispensables à l'exercice d'un grand nombre de métiers.".into(),
        "La nomenclature utilisée (celle de l'AFPA, reprise par les référentiels des titres professionnels du ministère du Travail) compte 14 compétences réparties en 3 catégories : relationnelles, organisationnelles et cognitives.".into(),
        "Pour chaque métier, chaque compétence reçoit un niveau d'expertise, de 1 (le moins élevé) à 4 (le plus élevé), et une importance-fréquence de 0 à 5 étoiles : plus la compétence est importante et fréquente dans le poste, plus le nombre d'étoiles est élevé. Des correspondances peuvent alors être établies entre métiers « proches » en compétences transversales.".into(),
        "Un profil « enquête » provient d'entretiens avec des employeurs ; un profil « estimé » est calculé par Passerelle à partir des compétences de la fiche ROME (méthode en annexe). La provenance est toujours indiquée.".into(),
    ];
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
        paragraphs,
        categories,
    }
}

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

/// Seed 000's "établissements" row: no open source gives a count of
/// employers by département, so it says so.
fn etablissements_line(m: &passerelle_core::territory::context::JobContext) -> FigureLine {
    let mut notes = vec![
        "aucune source ouverte importée ne donne le nombre d'établissements employeurs par département".to_string(),
    ];
    if !m.secteurs.items.is_empty() {
        notes.push(format!(
            "secteurs qui recrutent sur ce métier au niveau national : {}",
            m.secteurs
                .items
                .iter()
                .take(3)
                .map(|s| s.libelle.as_str())
                .collect::<Vec<_>>()
                .join(" ; ")
        ));
    }
    FigureLine {
        label: "Établissements employeurs".into(),
        text: NON_DISPONIBLE.into(),
        source: None,
        notes,
    }
}

/// Seed 000's "organismes de formation" row, from the training offers shown.
fn organismes_line(m: &passerelle_core::territory::context::JobContext) -> FigureLine {
    let mut names: Vec<&str> = Vec::new();
    for o in &m.formations.items {
        if !names.contains(&o.organisme.as_str()) {
            names.push(&o.organisme);
        }
    }
    let label = "Organismes de formation au métier dans le département".to_string();
    if names.is_empty() {
        return FigureLine {
            label,
            text: NON_DISPONIBLE.into(),
            source: None,
            notes: vec![
                "aucune offre de formation importée pour ce métier dans le département".into(),
            ],
        };
    }
    FigureLine {
        label,
        text: format!("{} ({})", names.len(), names.join(", ")),
        source: m.formations.source.as_ref().map(|s| s.text.clone()),
        notes: Vec::new(),
    }
}

fn territoire(r: &Referential, ctx: Option<TerritorialContext>) -> Territoire {
    let Some(c) = ctx else {
        return Territoire {
            context: None,
            figures: Vec::new(),
            note: Some("Contexte territorial non disponible : les données territoriales n'ont pas été importées.".into()),
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
            let shown = &siblings[..siblings.len().min(SIBLINGS_SHOWN)];
            let rest = siblings.len() - shown.len();
            let more = match rest {
                0 => String::new(),
                1 => " et 1 autre fiche".into(),
                n => format!(" et {n} autres fiches"),
            };
            for t in &mut tension {
                t.notes.push(format!(
                    "ce code de l'ancien ROME couvre aussi : {}{more}",
                    shown.join(" ; ")
                ));
            }
        }
        figures.extend(tension);
        figures.push(organismes_line(j));
    }
    figures
}

/// Macro-compétence → enjeu title, from the optional arborescence file.
fn enjeux(r: &Referential) -> HashMap<OgrCode, String> {
    r.arborescence_competences
        .iter()
        .map(|b| (b.macro_ogr, b.enjeu.clone()))
        .collect()
}

const COEUR_ORDER: [&str; 3] = [
    "Activités cœur de métier",
    "Activités émergentes",
    "Autres activités",
];

/// Without the enjeu arborescence (absent from the open-data CSVs), the
/// fiche's own "cœur de métier" flag groups its savoir-faire.
fn coeur_title(c: passerelle_core::CoeurMetier) -> &'static str {
    match c {
        passerelle_core::CoeurMetier::Principale => COEUR_ORDER[0],
        passerelle_core::CoeurMetier::Emergente => COEUR_ORDER[1],
        passerelle_core::CoeurMetier::Non => COEUR_ORDER[2],
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
        order.sort_by_key(|t| COEUR_ORDER.iter().position(|c| c == t));
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
fn acces_with_level(r: &Referential, f: &passerelle_core::Fiche) -> Vec<String> {
    let level = passerelle_core::qualification::access_level(r, f);
    let mut out = f.acces.clone();
    out.push(match level.level {
        Some(_) => format!("Niveau d'accès habituel : {}.", level.display_fr()),
        None => format!(
            "Niveau d'accès habituel : non déterminé ({}).",
            level.provenance_fr()
        ),
    });
    out
}

fn definition(r: &Referential, job: &Job) -> Definition {
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

fn provenance_label(p: &Provenance) -> String {
    match p {
        Provenance::Enquete {
            source,
            date,
            territory,
            population,
            ..
        } => {
            let mut s = format!("Profil issu d'une enquête : {source}, {date}");
            if let Some(t) = territory {
                s.push_str(&format!(", territoire {t}"));
            }
            if let Some(p) = population {
                s.push_str(&format!(", profil {p}"));
            }
            s
        }
        // The method identifier stays in the JSON (`provenance.method`):
        // counsellors read its name, not its code.
        Provenance::Estime { rome_version, .. } => format!(
            "Profil estimé par Passerelle à partir des compétences de la fiche ROME (ROME 4.0, version {rome_version}) : à confirmer par une enquête auprès d'employeurs."
        ),
    }
}

/// The profile view with its radar.
pub fn profil_transversal(title: &str, p: &TransversalProfile) -> ProfilTransversal {
    let label = format!("{title} ({})", p.provenance.kind_fr());
    let svg = radar_svg(
        &format!("Profil de compétences transversales : {title}"),
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
        svg,
    }
}

fn descriptif(
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
                    .map(|b| format!("Bloc {} – {} ({} h)", b.numero, b.intitule, b.heures))
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
    m: &passerelle_core::territory::context::JobContext,
) -> Option<CertificationList> {
    let source = |l: &Option<passerelle_core::territory::figure::Attribution>| {
        l.as_ref().map(|s| s.text.clone()).unwrap_or_default()
    };
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
    let undetermined = AccessLevel::undetermined("fiche introuvable");
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

fn letter_description(l: RiasecLetter) -> &'static str {
    match l {
        RiasecLetter::R => {
            "aime les activités concrètes, manuelles ou techniques, le travail avec des outils, des machines ou en plein air"
        }
        RiasecLetter::I => {
            "aime observer, comprendre, analyser et résoudre des problèmes ; curieux, méthodique"
        }
        RiasecLetter::A => {
            "aime créer, imaginer et s'exprimer ; sensible à l'esthétique, apprécie l'autonomie"
        }
        RiasecLetter::S => {
            "aime aider, soigner, conseiller, former ; attentif aux autres, à l'écoute"
        }
        RiasecLetter::E => "aime convaincre, diriger, entreprendre et prendre des décisions",
        RiasecLetter::C => {
            "aime l'ordre, les règles et les procédures, le travail précis et organisé"
        }
    }
}

fn riasec(r: &Referential, job: &Job) -> Option<RiasecView> {
    let rs = r.fiche(job.fiche)?.riasec?;
    let mut letters = vec![rs.major];
    letters.extend(rs.minor);
    Some(RiasecView {
        code: letters.iter().map(|l| l.to_string()).collect(),
        letters: letters
            .iter()
            .map(|l| RiasecLetterView { letter: l.to_string(), label: l.label_fr().into(), description: letter_description(*l).into() })
            .collect(),
        explanation: "Le modèle RIASEC (John L. Holland) classe les intérêts professionnels en six types : Réaliste, Investigateur, Artistique, Social, Entreprenant, Conventionnel. La fiche ROME donne un type majeur et, le cas échéant, un type mineur. Pour comparer deux métiers, Passerelle mesure la distance entre les types sur l'hexagone de Holland (information affichée, non comptée dans le score).".into(),
    })
}

fn metierscope(code: &str) -> String {
    format!("https://candidat.francetravail.fr/metierscope/fiche-metier/{code}")
}

/// The BMO survey's site, at the address docs/donnees.md documents: its
/// pages are per BMO métier and bassin, with no address built from a ROME
/// code, so the link names what to look for.
const BMO_SITE: &str = "https://statistiques.francetravail.org/bmo";

/// ONISEP's search (no ROME → ONISEP mapping exists in the data: a search,
/// never a guessed page address).
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

/// Métierscope, BMO and ONISEP-search links of one job.
fn job_links(
    job: &Job,
    dept_nom: Option<&str>,
    bmo: Option<&passerelle_core::territory::context::BmoContext>,
) -> Vec<Link> {
    let mut out = vec![Link {
        label: format!(
            "France Travail – Métierscope, fiche {} « {} »",
            job.fiche, job.title
        ),
        url: metierscope(&job.fiche.to_string()),
    }];
    let bmo_label = match bmo.and_then(|b| b.code_bmo.as_deref().zip(b.libelle_bmo.as_deref())) {
        Some((code, libelle)) => format!(
            "France Travail – enquête BMO : chercher le métier BMO {code} « {libelle} »{}",
            dept_nom
                .map(|d| format!(" dans le département {d}"))
                .unwrap_or_default()
        ),
        None => format!(
            "France Travail – enquête BMO : chercher le métier « {} »",
            search_title(&job.title)
        ),
    };
    out.push(Link {
        label: bmo_label,
        url: BMO_SITE.into(),
    });
    let q = search_title(&job.title);
    out.push(Link {
        label: format!("Rechercher « {q} » sur ONISEP (page de recherche)"),
        url: onisep_search(&q),
    });
    out
}

fn rncp_link(numero: &str, titre: Option<&str>) -> Option<Link> {
    let digits: String = numero.chars().filter(|c| c.is_ascii_digit()).collect();
    if digits.is_empty()
        || !numero.to_ascii_uppercase().starts_with("RNCP")
            && numero.chars().any(|c| c.is_alphabetic())
    {
        return None;
    }
    Some(Link {
        label: match titre {
            Some(t) => format!("France compétences : fiche RNCP{digits} « {t} »"),
            None => format!("France compétences : fiche RNCP{digits}"),
        },
        url: format!("https://www.francecompetences.fr/recherche/rncp/{digits}/"),
    })
}

fn annexe_methodes(ranking_expl: &[String]) -> Vec<String> {
    let mut m = vec![
        "Score combiné : moyenne pondérée des taux de couverture sur quatre axes (compétences transversales, savoirs, savoir-faire, contextes de travail) ; un axe non disponible est retiré et les poids restants renormalisés.".to_string(),
        "Savoirs et savoir-faire : part des éléments du métier cible déjà présents dans le métier source ; dans le classement, chaque élément est pondéré par sa rareté (IDF) et un élément proche par l'intitulé compte en partie.".to_string(),
        "Contextes de travail : part des contextes du métier cible déjà rencontrés dans le métier source.".to_string(),
        "Compétences transversales : pour chaque compétence du profil cible, part des étoiles couverte, le déficit de niveau réduisant la couverture.".to_string(),
        "Degrés de transférabilité (parcours) : Fort si au moins 66 % des savoir-faire du groupe se retrouvent dans le métier cible, Moyen à partir de 33 %, Faible en dessous.".to_string(),
        "Méthode détaillée : page « Méthode » du site Passerelle.".to_string(),
    ];
    m.extend(ranking_expl.iter().cloned());
    m
}

fn resolve_row(catalog: &Catalog, id: &str) -> Option<Job> {
    let r: JobRef = id.parse().ok()?;
    catalog.resolve(&r).ok()
}

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
    let choice = SurveyChoice {
        enquete: enquete.clone(),
        dept,
    };
    let target_tp = catalog.transversal_profile(target, &choice);
    let subject = engine.index_of(target)?;
    let ranking = engine.rank(Direction::Sources, subject, &weights, limit, target_tp);

    let fiche_title = r
        .fiche(target.fiche)
        .map(|f| f.title.clone())
        .unwrap_or_else(|| target.title.clone());
    let cover = Cover {
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
        departement_nom: territory.as_ref().map(|t| t.departement.nom.clone()),
        generated_on: date_fr(&generated_at),
        generated_at,
        rome_version: rome_version(r),
    };

    // Detailed gaps.
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

    let autres_appellations = ranking
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
        .collect();

    let explanation = vec![
        format!(
            "Classement des {} métiers sources les plus proches parmi {} métiers comparés.",
            ranking.rows.len(),
            passerelle_core::text::fr_int(ranking.candidates as u64)
        ),
        "Le département ne change pas les scores : ils comparent les contenus des métiers ; le contexte territorial éclaire le choix.".into(),
    ];

    let descriptif = descriptif(
        r,
        target,
        engine.access_level(target.fiche),
        territory.as_ref(),
        entretiens.clone(),
    );
    let formations;
    let mut liens;
    {
        let m = territory.as_ref().and_then(|t| t.metier.as_ref());
        liens = job_links(
            target,
            territory.as_ref().map(|t| t.departement.nom.as_str()),
            m.map(|m| &m.bmo),
        );
        if let Some(m) = m {
            let mut seen = HashSet::new();
            let cqp_title = m.cqp.as_ref().map(|c| c.certification.intitule.clone());
            let numbers = m
                .cqp
                .iter()
                .flat_map(|c| {
                    c.certification
                        .rncp
                        .iter()
                        .map(|n| (n.clone(), cqp_title.clone()))
                })
                // The certifications the document lists, in its order (never
                // those it only counts).
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
                );
            for (n, titre) in numbers {
                if let Some(l) = rncp_link(&n, titre.as_deref())
                    && seen.insert(l.url.clone())
                    && seen.len() <= 5
                {
                    liens.push(l);
                }
            }
        }
        formations = match m {
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
        };
    }

    let mut attributions = vec![format!(
        "{} — Licence Ouverte / Open Licence 2.0",
        format_attr(&r.version.attribution())
    )];
    if let Some(t) = &territory {
        attributions.extend(t.sources.iter().cloned());
    }
    if let Some(tp) = target_tp {
        attributions.push(format!(
            "Compétences transversales : {}",
            provenance_label(&tp.provenance)
        ));
    }
    if let Some(e) = &entretiens {
        attributions.push(format!("Entretiens employeurs : {}", e.source));
    }
    attributions.push(format!(
        "Document généré par Passerelle le {}.",
        cover.generated_on
    ));

    let ranking_expl: Vec<String> = vec![format!(
        "Poids du score combiné : {}.",
        passerelle_core::engine::Axis::ALL
            .iter()
            .map(|a| format!("{} {}", a.label_fr(), weight(ranking.weights.get(*a))))
            .collect::<Vec<_>>()
            .join(" ; ")
    )];

    Ok(FichePasserelle {
        document: "fiche_passerelle",
        notice: NOTICE,
        methode_transversale: methode_transversale(),
        definition: definition(r, target),
        profil_transversal: target_tp.map(|p| profil_transversal(&cover.title, p)),
        descriptif,
        riasec: riasec(r, target),
        territoire: territoire(r, territory),
        sources: SourcesTable {
            explanation,
            rule_title: crate::scoring::rule(&ranking.tiers).0.to_string(),
            rule: crate::scoring::rule(&ranking.tiers).1.to_vec(),
            legend: crate::scoring::legend(&engine.constants()),
            candidates: ranking.candidates,
            rows: ranking
                .rows
                .into_iter()
                .map(|row| SourceRow {
                    score_detail: crate::scoring::row_decomposition(
                        &row,
                        &ranking.weights,
                        &engine.constants(),
                    ),
                    rule_figures: crate::scoring::row_figures(&row),
                    tier_key: crate::scoring::tier_key(row.tier),
                    row,
                })
                .collect(),
        },
        ecarts,
        formations,
        autres_appellations,
        liens,
        annexe: Annexe {
            methodes: annexe_methodes(&ranking_expl),
            attributions,
        },
        cover,
    })
}

/// The ROME attribution without its licence suffix (added back once).
fn format_attr(s: &str) -> String {
    s.trim_end_matches(" — Licence Ouverte / Open Licence 2.0")
        .to_string()
}

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

/// How the parcours grades an activity (docs/methode.md, « Parcours »).
const TRANSFERABILITE_METHODE: &str = "Une activité est un groupe de savoir-faire du métier actuel. Chacun de ses savoir-faire compte 1 s'il figure aussi dans le métier visé, son crédit de proximité (au plus 0,5) si le métier visé a un savoir-faire d'intitulé proche, 0 sinon ; le degré de transférabilité est la moyenne de l'activité. Fort : au moins 0,66 ; moyen : au moins 0,33 ; faible : en dessous. Seules les activités dont au moins un savoir-faire se retrouve sont listées.";

/// The source's activities (its savoir-faire grouped by macro-compétence)
/// that transfer, each graded by the mean credit of its savoir-faire in the
/// target: 1 exact, the engine's near credit for a near item, 0 otherwise.
/// Strongest first; activities with nothing in common are left out.
fn activites(transfer: &passerelle_core::engine::ItemsGap, target: &str) -> Vec<Activite> {
    let mut groups: BTreeMap<&str, Vec<(&passerelle_core::engine::GapItem, f64)>> = BTreeMap::new();
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
        .map(|(title, items)| {
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
                    i.proche_de
                        .as_ref()
                        .map(|n| format!("{} (proche de « {} »)", i.label, n.label))
                })
                .collect();
            let mut parts = Vec::new();
            if !exact.is_empty() {
                parts.push(format!("à l'identique : {}", exact.join(" ; ")));
            }
            if !near.is_empty() {
                parts.push(format!("par un intitulé proche : {}", near.join(" ; ")));
            }
            Activite {
                explication: format!(
                    "{} savoir-faire sur {} dans le métier « {target} », {}.",
                    exact.len() + near.len(),
                    items.len(),
                    parts.join(" ; ")
                ),
                degre: degre(part),
                part,
                title: title.to_string(),
                items: items.iter().map(|(i, _)| i.label.clone()).collect(),
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.part
            .total_cmp(&a.part)
            .then_with(|| a.title.cmp(&b.title))
    });
    out
}

/// Seed 001's summary opening: what transfers, named — the strongest
/// activities and the savoirs already held.
fn atouts(source: &str, target: &str, activites: &[Activite], gap: &Gap) -> String {
    let strong: Vec<String> = activites
        .iter()
        .filter(|a| a.degre != "Faible")
        .chain(activites.iter().filter(|a| a.degre == "Faible"))
        .take(4)
        .map(|a| format!("« {} » ({})", a.title, a.degre.to_lowercase()))
        .collect();
    let savoirs: Vec<String> = gap
        .savoirs
        .acquis
        .iter()
        .take(4)
        .map(|i| i.label.clone())
        .collect();
    let join = passerelle_core::engine::join_et;
    let assets = match (strong.is_empty(), savoirs.is_empty()) {
        (false, false) => format!(
            "les activités {}, ainsi que les savoirs déjà acquis {},",
            join(&strong),
            join(&savoirs)
        ),
        (false, true) => format!("les activités {}", join(&strong)),
        (true, false) => format!("les savoirs déjà acquis {}", join(&savoirs)),
        (true, true) => String::new(),
    };
    if assets.is_empty() {
        format!(
            "Le référentiel ne relève aucun savoir-faire ni savoir du métier « {source} » repris par le métier « {target} » : la passerelle demande une formation complète."
        )
    } else {
        format!(
            "Le métier « {source} » a des compétences transférables vers le métier « {target} » : {assets} sont des atouts à valoriser pour y accéder."
        )
    }
}

/// The target's access texts, plus — when the document shows a
/// certification — the sentence that ties them to it, so that "Accès au
/// métier" and "Certification" say the same thing.
fn acces_parcours(mut acces: Vec<String>, cert: Option<&CertificationParcours>) -> Vec<String> {
    if let Some(c) = cert {
        let profil = c
            .acces
            .as_ref()
            .map(|a| {
                format!(
                    " ; pour le profil « {} », {} h de blocs à suivre (voir « Certification »)",
                    a.profil.libelle, a.heures_blocs_a_suivre
                )
            })
            .unwrap_or_default();
        acces.push(format!(
            "Le métier est aussi accessible par la certification « {} »{profil}.",
            c.intitule
        ));
    }
    acces
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
    let mut by_group: BTreeMap<String, Vec<String>> = BTreeMap::new();
    // The core of the target job by activity; what depends on the post is
    // gathered in one group after it (docs/methode.md § 9).
    let selon_poste: Vec<String> = gap
        .savoir_faire
        .a_acquerir
        .iter()
        .chain(&gap.savoirs.a_acquerir)
        .filter(|i| !i.coeur)
        .map(|i| i.label.clone())
        .collect();
    for i in gap.savoir_faire.a_acquerir.iter().filter(|i| i.coeur) {
        by_group
            .entry(i.group.clone())
            .or_default()
            .push(i.label.clone());
    }
    let mut a_acquerir: Vec<Group> = by_group
        .into_iter()
        .map(|(title, items)| Group { title, items })
        .collect();
    for (title, key) in [
        ("Connaissances professionnelles", "connaissances"),
        ("Savoir-faire professionnels", "savoir_faire"),
    ] {
        let items: Vec<String> = of_group(&gap.savoirs.a_acquerir, key)
            .into_iter()
            .filter(|i| i.coeur)
            .map(|i| i.label.clone())
            .collect();
        if !items.is_empty() {
            a_acquerir.push(Group {
                title: title.into(),
                items,
            });
        }
    }
    if !selon_poste.is_empty() {
        a_acquerir.push(Group {
            title: crate::wording::WORDING.selon_poste.into(),
            items: selon_poste,
        });
    }
    if let Some(t) = &gap.transversal
        && !t.a_faire_evoluer.is_empty()
    {
        a_acquerir.push(Group {
            title: "Compétences transversales à faire évoluer".into(),
            items: t.a_faire_evoluer.iter().map(|s| s.to_string()).collect(),
        });
    }

    let m = territory.as_ref().and_then(|t| t.metier.as_ref());
    let certification = m.and_then(|m| m.cqp.as_ref()).map(|cqp| {
        let parent = r.fiche(source.fiche).map(|f| f.parent);
        let acces = cqp.access_for(source.fiche, parent);
        let explication = if acces.blocs_dispenses.is_empty() && acces.blocs_alleges.is_empty() {
            format!("Profil « {} » : aucun bloc n'est dispensé d'office ; {} h de blocs à suivre.", acces.profil.libelle, acces.heures_blocs_a_suivre)
        } else {
            format!(
                "Profil « {} » : {} bloc(s) dispensé(s), {} bloc(s) pouvant être allégé(s) après positionnement ; {} h de blocs à suivre. {}",
                acces.profil.libelle,
                acces.blocs_dispenses.len(),
                acces.blocs_alleges.len(),
                acces.heures_blocs_a_suivre,
                acces.profil.conditions
            )
        };
        CertificationParcours { intitule: cqp.certification.intitule.clone(), blocs: cqp.blocs.clone(), acces: Some(acces), explication }
    });
    let formations = match m {
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
    };
    // Only what this document shows: the ROME, the certification's rules,
    // the offers (the parcours prints no territorial figure).
    let mut attributions = vec![r.version.attribution()];
    if let Some(cqp) = m
        .and_then(|m| m.cqp.as_ref())
        .filter(|_| certification.is_some())
    {
        attributions.push(cqp.certification.source.clone());
    }
    if !formations.items.is_empty()
        && let Some(s) = &formations.source
    {
        attributions.push(s.clone());
    }
    let tfiche = r.fiche(target.fiche);
    Ok(Parcours {
        document: "parcours_mobilite",
        notice: NOTICE,
        generated_on: date_fr(&generated_at),
        generated_at,
        departement: dept.map(|d| d.to_string()),
        je_suis: format!("Je suis {}", in_sentence(&source.title)),
        je_souhaite: format!("Je souhaite évoluer vers le métier « {} »", target.title),
        source: JobBrief {
            id: source.id.clone(),
            code: source.fiche.to_string(),
            title: source.title.clone(),
        },
        target: JobBrief {
            id: target.id.clone(),
            code: target.fiche.to_string(),
            title: target.title.clone(),
        },
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
        rule_title: crate::scoring::rule(&engine.thresholds(&gap.weights))
            .0
            .to_string(),
        rule: crate::scoring::rule(&engine.thresholds(&gap.weights))
            .1
            .to_vec(),
        legend: crate::scoring::legend(&engine.constants()),
        definition: tfiche.map(|f| f.definition.clone()).unwrap_or_default(),
        acces: acces_parcours(
            tfiche.map(|f| acces_with_level(r, f)).unwrap_or_default(),
            certification.as_ref(),
        ),
        activites,
        transferabilite_methode: TRANSFERABILITE_METHODE.into(),
        a_acquerir,
        certification,
        formations,
        liens: parcours_links(source, target, territory.as_ref()),
        attributions,
    })
}

/// The parcours' links: the target's (with its BMO métier in the
/// département), then the source's.
fn parcours_links(source: &Job, target: &Job, territory: Option<&TerritorialContext>) -> Vec<Link> {
    let dept_nom = territory.map(|t| t.departement.nom.as_str());
    let bmo = territory.and_then(|t| t.metier.as_ref()).map(|m| &m.bmo);
    let mut out = job_links(target, dept_nom, bmo);
    out.extend(job_links(source, None, None));
    out
}

/// Parses an authored "entretiens employeurs" file: a `---` front matter
/// with `source:` (required), then `## Section` headings with `- item` lines.
pub fn parse_entretiens(text: &str, path: &str) -> Result<Entretiens, BuildError> {
    let err = |message: String| BuildError::Entretiens {
        path: path.to_string(),
        message,
    };
    let mut lines = text.lines().enumerate();
    match lines.next() {
        Some((_, l)) if l.trim() == "---" => {}
        _ => return Err(err("ligne 1 : en-tête `---` attendu".into())),
    }
    let mut source = None;
    for (_, l) in lines.by_ref() {
        if l.trim() == "---" {
            break;
        }
        if let Some((k, v)) = l.split_once(':')
            && k.trim() == "source"
        {
            source = Some(v.trim().to_string());
        }
    }
    let source = source.ok_or_else(|| err("champ `source` absent de l'en-tête".into()))?;
    let mut sections: Vec<Group> = Vec::new();
    for (n, l) in lines {
        let l = l.trim();
        if let Some(h) = l.strip_prefix("## ") {
            sections.push(Group {
                title: h.trim().to_string(),
                items: Vec::new(),
            });
        } else if let Some(item) = l.strip_prefix("- ") {
            let g = sections.last_mut().ok_or_else(|| {
                err(format!(
                    "ligne {} : élément hors d'une section `## …`",
                    n + 1
                ))
            })?;
            g.items.push(item.trim().to_string());
        } else if !l.is_empty() {
            let g = sections
                .last_mut()
                .ok_or_else(|| err(format!("ligne {} : texte hors d'une section `## …`", n + 1)))?;
            g.items.push(l.to_string());
        }
    }
    Ok(Entretiens { source, sections })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_entretiens_parse() {
        let text = include_str!("../../../data/entretiens/34/J1303.md");
        let e = parse_entretiens(text, "J1303.md").unwrap();
        let titles: Vec<&str> = e.sections.iter().map(|g| g.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "Qualités attendues",
                "Atouts du métier",
                "Contraintes",
                "Compléments d'informations"
            ]
        );
        assert!(e.source.contains("Hérault"));
        assert!(
            e.sections[2]
                .items
                .contains(&"La patientèle quelquefois exigeante".to_string())
        );
    }

    #[test]
    fn entretiens_errors_name_the_file_and_line() {
        let err = parse_entretiens("---\nrome: J1303\n---\n", "x.md")
            .unwrap_err()
            .to_string();
        assert!(err.contains("x.md") && err.contains("source"), "{err}");
        let err = parse_entretiens("---\nsource: s\n---\n- orphelin\n", "y.md")
            .unwrap_err()
            .to_string();
        assert!(err.contains("y.md") && err.contains("ligne 4"), "{err}");
    }

    #[test]
    fn search_titles_and_weights_are_plain() {
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
        assert_eq!(weight(1.0), "1");
        assert_eq!(weight(0.5), "0,5");
        assert_eq!(weight(0.25), "0,25");
        assert_eq!(weight(0.0), "0");
    }

    #[test]
    fn degrees_and_dates() {
        use crate::document::{DEGRE_FORT, DEGRE_MOYEN};
        assert_eq!(degre(DEGRE_FORT), "Fort");
        assert_eq!(degre(DEGRE_FORT - 0.01), "Moyen");
        assert_eq!(degre(DEGRE_MOYEN), "Moyen");
        assert_eq!(degre(DEGRE_MOYEN - 0.01), "Faible");
        assert_eq!(date_fr("2026-11-23T06:00:00Z"), "23/11/2026");
        assert_eq!(
            in_sentence("Secrétaire médical / Secrétaire médicale"),
            "secrétaire médical / secrétaire médicale"
        );
        assert_eq!(pct(Some(0.384)), "38\u{202f}%");
        assert_eq!(pct(None), NON_DISPONIBLE);
    }
}
