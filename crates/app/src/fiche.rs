//! The fiche of a job: what the referential says of its ROME fiche (the
//! API's `/fiches/{code}` and the CLI's `show --json`), its items as the job
//! retains them, and, for a poste, who made it and why. One contract
//! ([`FicheOut`]); the grouping of items follows the official files (first
//! seen, first listed).

use passerelle_core::poste::Poste;
use passerelle_core::{
    AccessLevel, Catalog, CategoryLink, Classification, CoeurMetier, CompetenceSubcategory, Fiche,
    FicheTags, ItemKind, ItemRef, Job, JobKind, JobSummary, OgrCode, Referential,
};
use serde::Serialize;

/// `/fiches/{code}` and `show --json` (docs/json.md, docs/api.md).
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FicheOut {
    pub job: JobSummary,
    pub fiche: FicheInfo,
    /// The job's items: the fiche's, or the poste's (variant: those kept).
    pub items: Vec<ItemOut>,
    /// « ROME 4.0 version 60 » : the referential the answer was read from.
    pub data_version: String,
    /// The licence line of the referential (France Travail, ROME 4.0).
    pub attribution: String,
    /// Who made the poste, when the job is one (`null` otherwise).
    pub poste: Option<PosteOut>,
}

#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ItemOut {
    #[cfg_attr(feature = "openapi", schema(value_type = u32))]
    pub ogr: OgrCode,
    pub label: String,
    /// `savoir_faire`, `savoir_etre`, `savoir` or `contexte`.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub kind: ItemKind,
    /// Group: macro-compétence / savoir category / context type.
    pub group: Option<String>,
    pub coeur_metier: bool,
    /// Retained by a poste although its fiche does not list it.
    pub extra: bool,
}

#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FicheInfo {
    pub code: String,
    #[cfg_attr(feature = "openapi", schema(value_type = u32))]
    pub ogr: OgrCode,
    pub title: String,
    pub parent: String,
    pub code_fiche_metier: Option<u32>,
    pub domaine: String,
    pub domaine_label: Option<String>,
    pub grand_domaine: CodeLabel,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub tags: FicheTags,
    /// `IS`: major letter, then minor.
    pub riasec: Option<String>,
    pub definition: Vec<String>,
    pub acces: Vec<String>,
    /// Usual access level (niveaux 3–8) with its provenance (docs/methode.md).
    pub niveau_acces: AccessLevel,
    pub appellations: Vec<AppellationOut>,
    pub savoir_faire: Vec<MacroGroup>,
    pub savoir_etre: Vec<ItemView>,
    pub savoirs: Vec<CategoryGroup>,
    /// The savoirs of the category « Certifications et habilitations ».
    pub certifications: Vec<ItemView>,
    pub contextes: Vec<CategoryGroup>,
    pub centres_interet: Vec<ClassView>,
    pub secteurs: Vec<ClassView>,
    pub themes: Vec<ClassView>,
    pub secteurs_naf: Vec<ClassView>,
}

#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AppellationOut {
    #[cfg_attr(feature = "openapi", schema(value_type = u32))]
    pub ogr: OgrCode,
    pub label: String,
    /// The fiche's main appellation.
    pub principale: bool,
    /// Marked « peu usitée » by France Travail.
    pub rare: bool,
}

#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CodeLabel {
    pub code: String,
    pub label: Option<String>,
}

#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ItemView {
    #[cfg_attr(feature = "openapi", schema(value_type = u32))]
    pub ogr: OgrCode,
    pub label: String,
    /// `non`, `principale` (cœur de métier) or `emergente`.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub coeur: CoeurMetier,
}

#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MacroGroup {
    /// The macro-compétence (absent for compétences without one).
    pub macro_competence: Option<ItemView>,
    /// Its RIASEC code (`S`, `IS`).
    pub macro_riasec: Option<String>,
    pub subcategories: Vec<NamedGroup>,
}

#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CategoryGroup {
    pub category: String,
    pub subcategories: Vec<NamedGroup>,
}

#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NamedGroup {
    pub subcategory: String,
    pub items: Vec<ItemView>,
}

#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClassView {
    pub code: String,
    pub label: Option<String>,
    pub principal: bool,
}

/// A poste's provenance (docs/postes.md); its items are [`FicheOut::items`].
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PosteOut {
    pub slug: String,
    pub title: String,
    pub author: String,
    pub date: String,
    pub basis: String,
    /// ROME version number the selection was made against.
    pub rome_version: u32,
    /// Identifier of the surveyed transversal profile attached, if any.
    pub survey: Option<String>,
    pub notes: Vec<String>,
}

/// The one name of the data a snapshot was read from (footers, JSON).
pub fn data_version(r: &Referential) -> String {
    format!("ROME 4.0 version {}", r.version.number)
}

/// The fiche of `job`: its ROME fiche, its items, its poste;
/// `data_version` names the data it was read from ([`data_version`]).
pub fn fiche(catalog: &Catalog, job: &Job, data_version: String) -> FicheOut {
    let r = &catalog.referential;
    let f = r
        .fiche(job.fiche)
        .expect("a resolved job's fiche is in the referential");
    let poste = match &job.kind {
        JobKind::Poste { slug } => catalog.poste(slug),
        _ => None,
    };
    FicheOut {
        job: JobSummary::from(job),
        fiche: fiche_info(r, f),
        items: items_of(r, job, poste),
        data_version,
        attribution: r.version.attribution(),
        poste: poste.map(poste_out),
    }
}

fn poste_out(p: &Poste) -> PosteOut {
    PosteOut {
        slug: p.slug.clone(),
        title: p.title.clone(),
        author: p.provenance.author.clone(),
        date: p.provenance.date.clone(),
        basis: p.provenance.basis.clone(),
        rome_version: p.rome_version,
        survey: p.survey.clone(),
        notes: p.notes.clone(),
    }
}

/// The items of `job` with their labels and groups, in the job's order.
pub fn items_of(r: &Referential, job: &Job, poste: Option<&Poste>) -> Vec<ItemOut> {
    job.items
        .iter()
        .map(|l| {
            let (label, group) = match r.item(l.ogr) {
                Some(ItemRef::Savoir(s)) => {
                    (s.label.clone(), Some(s.category.label_fr().to_string()))
                }
                Some(ItemRef::Contexte(c)) => (c.label.clone(), Some(c.type_label.clone())),
                Some(i) => (i.label().to_string(), None),
                None => (l.ogr.to_string(), None),
            };
            ItemOut {
                ogr: l.ogr,
                label,
                kind: l.kind,
                group,
                coeur_metier: l.coeur != CoeurMetier::Non,
                extra: poste.is_some_and(|p| p.extra.contains(&l.ogr)),
            }
        })
        .collect()
}

fn fiche_info(r: &Referential, f: &Fiche) -> FicheInfo {
    let gd = f.code.grand_domaine();
    FicheInfo {
        code: f.code.to_string(),
        ogr: f.ogr,
        title: f.title.clone(),
        parent: f.parent.to_string(),
        code_fiche_metier: f.code_fiche_metier,
        domaine: f.domaine.clone(),
        domaine_label: r.domaine(&f.domaine).map(|d| d.label.clone()),
        grand_domaine: CodeLabel {
            code: gd.to_string(),
            label: r
                .grands_domaines
                .iter()
                .find(|g| g.code == gd)
                .map(|g| g.label.clone()),
        },
        tags: f.tags.clone(),
        riasec: f.riasec.map(|x| x.to_string()),
        definition: f.definition.clone(),
        acces: f.acces.clone(),
        niveau_acces: passerelle_core::qualification::access_level(r, f),
        appellations: r
            .appellations_of(f)
            .into_iter()
            .map(|a| AppellationOut {
                ogr: a.ogr,
                label: a.long_label.clone(),
                principale: a.classification.as_deref() == Some("PRINCIPALE"),
                rare: a.rare,
            })
            .collect(),
        savoir_faire: savoir_faire(r, f),
        savoir_etre: f
            .items_of(ItemKind::SavoirEtre)
            .filter_map(|l| item(r, l.ogr, l.coeur))
            .collect(),
        savoirs: savoirs(r, f, false),
        certifications: savoirs(r, f, true)
            .into_iter()
            .flat_map(|g| g.subcategories)
            .flat_map(|g| g.items)
            .collect(),
        contextes: contextes(r, f),
        centres_interet: classes(&f.centres_interet, &r.centres_interet),
        secteurs: classes(&f.secteurs, &r.secteurs),
        themes: classes(&f.themes, &r.themes),
        secteurs_naf: classes(&f.secteurs_naf, &r.secteurs_naf),
    }
}

/// Items grouped under a key, groups in first-seen order.
type Groups<K, T> = Vec<(K, Vec<T>)>;

/// Pushes `item` into the group keyed `key`, creating groups in first-seen order.
fn group_push<K: PartialEq, T>(groups: &mut Groups<K, T>, key: K, item: T) {
    match groups.iter_mut().find(|(k, _)| *k == key) {
        Some((_, v)) => v.push(item),
        None => groups.push((key, vec![item])),
    }
}

fn item(r: &Referential, ogr: OgrCode, coeur: CoeurMetier) -> Option<ItemView> {
    r.item(ogr).map(|i| ItemView {
        ogr,
        label: i.label().to_string(),
        coeur,
    })
}

fn savoir_faire(r: &Referential, f: &Fiche) -> Vec<MacroGroup> {
    let mut by_macro: Groups<Option<OgrCode>, (CompetenceSubcategory, ItemView)> = Vec::new();
    for l in f.items_of(ItemKind::SavoirFaire) {
        let Some(c) = r.competence(l.ogr) else {
            continue;
        };
        let is_macro = c.nature == passerelle_core::CompetenceNature::MacroCompetence;
        let key = c.macro_ogr.or(is_macro.then_some(c.ogr));
        let view = ItemView {
            ogr: c.ogr,
            label: c.label.clone(),
            coeur: l.coeur,
        };
        group_push(&mut by_macro, key, (c.subcategory, view));
    }
    by_macro
        .into_iter()
        .map(|(m, items)| {
            let macro_c = m.and_then(|m| r.competence(m));
            let mut subs: Groups<CompetenceSubcategory, ItemView> = Vec::new();
            for (sub, it) in items {
                group_push(&mut subs, sub, it);
            }
            MacroGroup {
                macro_competence: macro_c.map(|c| ItemView {
                    ogr: c.ogr,
                    label: c.label.clone(),
                    coeur: CoeurMetier::Non,
                }),
                macro_riasec: macro_c.and_then(|c| c.riasec).map(|x| x.to_string()),
                subcategories: subs
                    .into_iter()
                    .map(|(s, items)| NamedGroup {
                        subcategory: s.label_fr().to_string(),
                        items,
                    })
                    .collect(),
            }
        })
        .collect()
}

fn savoirs(r: &Referential, f: &Fiche, certifications: bool) -> Vec<CategoryGroup> {
    let mut cats: Groups<String, (String, ItemView)> = Vec::new();
    for l in f.items_of(ItemKind::Savoir) {
        let Some(s) = r.savoir(l.ogr) else { continue };
        if s.category.is_certification() != certifications {
            continue;
        }
        let view = ItemView {
            ogr: s.ogr,
            label: s.label.clone(),
            coeur: l.coeur,
        };
        group_push(
            &mut cats,
            s.category.label_fr().to_string(),
            (s.subcategory.clone(), view),
        );
    }
    regroup(cats)
}

fn contextes(r: &Referential, f: &Fiche) -> Vec<CategoryGroup> {
    let mut types: Groups<String, (String, ItemView)> = Vec::new();
    for l in f.items_of(ItemKind::Contexte) {
        let Some(c) = r.contexte(l.ogr) else { continue };
        let view = ItemView {
            ogr: c.ogr,
            label: c.label.clone(),
            coeur: l.coeur,
        };
        group_push(&mut types, c.type_label.clone(), (String::new(), view));
    }
    regroup(types)
}

fn regroup(cats: Groups<String, (String, ItemView)>) -> Vec<CategoryGroup> {
    cats.into_iter()
        .map(|(category, items)| {
            let mut subs: Groups<String, ItemView> = Vec::new();
            for (sub, it) in items {
                group_push(&mut subs, sub, it);
            }
            CategoryGroup {
                category,
                subcategories: subs
                    .into_iter()
                    .map(|(subcategory, items)| NamedGroup { subcategory, items })
                    .collect(),
            }
        })
        .collect()
}

fn classes(links: &[CategoryLink], all: &[Classification]) -> Vec<ClassView> {
    links
        .iter()
        .map(|l| ClassView {
            code: l.code.clone(),
            label: all
                .iter()
                .find(|c| c.code == l.code)
                .map(|c| c.label.clone()),
            principal: l.principal,
        })
        .collect()
}
