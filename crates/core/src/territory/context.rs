//! The territorial context of a département, optionally for a target ROME
//! fiche: the pure data type the documents and the web pages render.
//!
//! [`build_context`] turns what the store looked up ([`ContextInput`]) into a
//! [`TerritorialContext`] where every figure carries its source and year, and
//! every absence says why. JSON keys are stable `snake_case` (docs/territoire.md).

use serde::{Deserialize, Serialize};

use crate::codes::RomeCode;
use crate::territory::cqp::Cqp;
use crate::territory::figure::{Attribution, Figure, SecretCount, Unit};
use crate::territory::records::{
    APPROCHEE, BmoDept, BmoMetier, Certification, Departement, MAYOTTE_POPULATION_YEAR, RncpFiche,
    RomeBmo, RomeNaf, TENSION_YEAR, TensionDept, TrainingOffer, UnemploymentRate,
};

/// Something found for a ROME code, and the code it was found under (the
/// fiche's own, or its ROME v3 parent).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Found<T> {
    pub value: T,
    pub code: RomeCode,
}

/// What the store looked up for one département: with the job's lookups
/// chosen ([`Chosen`], what [`build_context`] reads), or as the store reads
/// them (`ContextRows`, [`crate::territory::rows`]).
#[derive(Debug, Clone)]
pub struct ContextInput<L = Chosen> {
    pub departement: Departement,
    /// The latest year available for the département.
    pub unemployment: Option<UnemploymentRate>,
    pub job: Option<JobInput<L>>,
}

/// What the store looked up for the target fiche.
#[derive(Debug, Clone)]
pub struct JobInput<L = Chosen> {
    pub code: RomeCode,
    /// The fiche's `code_rome_parent` (older 532-code ROME), when known.
    pub parent: Option<RomeCode>,
    pub mapping: Option<RomeBmo>,
    pub bmo_metier: Option<BmoMetier>,
    pub bmo: Option<BmoDept>,
    pub bmo_year: u16,
    /// Bassins d'emploi attributed to the département.
    pub bassins_in_dept: u32,
    /// Training offers located in the département (all of them; filtered here).
    pub formations: Vec<TrainingOffer>,
    /// Source line of the imported training offer, if any.
    pub formations_source: Option<String>,
    /// NAF divisions (2 digits, `86`) the ROME 4.0 fiche itself lists
    /// (`unix_arborescence_secteur_naf`); empty when the referential gives
    /// none. They decide which La Bonne Boîte sectors fit ([`fitting_sectors`]).
    pub naf_divisions: Vec<String>,
    /// What is looked up under the fiche's code, else its parent's.
    pub lookups: L,
}

/// The lookups of a job, each under the code it was found for.
#[derive(Debug, Clone)]
pub struct Chosen {
    pub tension: Option<Found<TensionDept>>,
    pub naf: Option<Found<Vec<RomeNaf>>>,
    pub certifications: Option<Found<Vec<Certification>>>,
    /// RNCP/RS fiches whose `CODES_ROME` hold the code (or its parent).
    pub rncp: Option<Found<Vec<RncpFiche>>>,
    /// RNCP/RS fiches of the certifications' codes, to show their blocs.
    pub rncp_for_certifications: Vec<RncpFiche>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeptSummary {
    pub code: String,
    pub nom: String,
    pub region_code: String,
    pub region_nom: String,
}

/// A list with its provenance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Listing<T> {
    pub items: Vec<T>,
    pub source: Option<Attribution>,
    /// The parent ROME code the list was read for ("hérité du code parent").
    pub inherited_from: Option<String>,
    /// Why the list is empty, or how it was built.
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NafSector {
    pub naf: String,
    pub libelle: String,
    /// DPAE hirings the mapping was built from (national, not local).
    pub embauches: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CertificationItem {
    pub libelle: String,
    pub type_libelle: String,
    pub niveau: Option<u8>,
    pub rncp: Option<String>,
    pub rs: Option<String>,
    pub certificateur: Option<String>,
    /// "formation continue, contrat de professionnalisation, VAE"
    pub accessibilite: String,
    pub formation_initiale: Option<bool>,
    pub apprentissage: Option<bool>,
    pub formation_continue: Option<bool>,
    pub vae: Option<bool>,
    /// Blocs de compétences, when the RNCP/RS fiche was imported from the XML export.
    pub blocs: Vec<BlocSummary>,
    /// The ROME codes (older nomenclature in places) the source links the certification to.
    pub codes_rome: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BlocSummary {
    pub code: String,
    pub libelle: String,
}

/// An RNCP/RS fiche of the XML export, as listed for a job.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RncpSummary {
    pub numero: String,
    pub intitule: String,
    pub type_libelle: Option<String>,
    /// `NIV7` → 7.
    pub niveau: Option<u8>,
    pub etat: String,
    pub certificateurs: Vec<String>,
    pub blocs: Vec<BlocSummary>,
    /// The ROME codes the fiche cites (`CODES_ROME`).
    pub codes_rome: Vec<String>,
}

impl RncpSummary {
    pub fn of(f: &RncpFiche) -> Self {
        RncpSummary {
            numero: f.numero.clone(),
            intitule: f.intitule.clone(),
            type_libelle: f.type_libelle.clone(),
            niveau: f
                .niveau
                .as_deref()
                .and_then(|n| n.trim_start_matches("NIV").parse().ok()),
            etat: f.etat.clone(),
            certificateurs: f.certificateurs.iter().map(|c| c.nom.clone()).collect(),
            blocs: blocs_of(f),
            codes_rome: f.romes.iter().map(|r| r.code.clone()).collect(),
        }
    }
}

fn blocs_of(f: &RncpFiche) -> Vec<BlocSummary> {
    f.blocs
        .iter()
        .map(|b| BlocSummary {
            code: b.code.clone(),
            libelle: b.libelle.clone(),
        })
        .collect()
}

/// BMO figures for the BMO métier the fiche corresponds to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BmoContext {
    pub code_bmo: Option<String>,
    pub libelle_bmo: Option<String>,
    pub famille_bmo: Option<String>,
    /// How the ROME → BMO correspondence was made (French).
    pub correspondance: Option<String>,
    pub justification: Option<String>,
    pub projets: Figure,
    pub difficiles: Figure,
    pub saisonniers: Figure,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JobContext {
    pub code_rome: String,
    pub code_rome_parent: Option<String>,
    pub bmo: BmoContext,
    pub offres: Figure,
    pub demandeurs: Figure,
    pub secteurs: Listing<NafSector>,
    pub certifications: Listing<CertificationItem>,
    /// RNCP/RS fiches of the imported XML export that cite the code.
    pub fiches_rncp: Listing<RncpSummary>,
    pub formations: Listing<TrainingOffer>,
    /// Blocs and access rules when the fiche is the CQP's (J1303).
    pub cqp: Option<Cqp>,
}

/// The territorial context of a département.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TerritorialContext {
    pub departement: DeptSummary,
    pub population: Figure,
    pub chomage: Figure,
    pub metier: Option<JobContext>,
    /// Every attribution line used, once, in order: for the footer.
    pub sources: Vec<String>,
}

/// Attribution lines of each source.
pub mod sources {
    use super::Attribution;

    pub fn population(year: u16) -> Attribution {
        if year == super::MAYOTTE_POPULATION_YEAR {
            Attribution::new("Insee", "recensement de la population", Some(year))
        } else {
            Attribution::new("Insee", "populations légales", Some(year))
        }
    }
    pub fn chomage(year: Option<u16>) -> Attribution {
        Attribution::new(
            "Insee",
            "taux de chômage localisés (moyenne annuelle)",
            year,
        )
    }
    pub fn bmo(year: u16) -> Attribution {
        Attribution::new("France Travail", "enquête BMO", Some(year))
    }
    pub fn tension() -> Attribution {
        // Named as its producers publish it (Dares and Pôle emploi, the
        // indicators of tension by bassin d'emploi); the subset is said in
        // each figure's coverage note.
        Attribution::new(
            "Dares et Pôle emploi",
            "indicateurs de tension par bassin d'emploi : offres et demandeurs d'emploi",
            Some(super::TENSION_YEAR),
        )
    }
    pub fn naf() -> Attribution {
        Attribution::new(
            "Pôle emploi",
            "correspondance ROME → NAF de La Bonne Boîte (embauches DPAE), version du 05/07/2021",
            None,
        )
    }
    pub fn rncp() -> Attribution {
        Attribution::new(
            "France compétences",
            "répertoires RNCP et RS (export XML, flux 4.1)",
            None,
        )
    }
    pub fn certif_info() -> Attribution {
        Attribution::new(
            "Réseau des Carif-Oref",
            "Certif Info (mises à jour jusqu'en 2024)",
            None,
        )
    }
}

/// Builds the context; never invents a figure.
pub fn build_context(input: ContextInput) -> TerritorialContext {
    let d = &input.departement;
    let population = match (d.population, d.population_year) {
        (Some(p), Some(y)) => {
            Figure::value("Population", Unit::Count, p as f64, sources::population(y))
        }
        _ => Figure::unavailable(
            "Population",
            Unit::Count,
            "aucune population communale dans le référentiel",
            None,
        ),
    };
    let chomage = match &input.unemployment {
        Some(u) => Figure::value(
            "Taux de chômage",
            Unit::Percent,
            u.rate,
            sources::chomage(Some(u.year)),
        ),
        None => Figure::unavailable(
            "Taux de chômage",
            Unit::Percent,
            format!(
                "{} est absent du fichier Insee des taux de chômage localisés",
                d.nom
            ),
            Some(sources::chomage(None)),
        ),
    };
    let metier = input.job.map(job_context);
    let mut ctx = TerritorialContext {
        departement: DeptSummary {
            code: d.code.to_string(),
            nom: d.nom.clone(),
            region_code: d.region_code.clone(),
            region_nom: d.region_nom.clone(),
        },
        population,
        chomage,
        metier,
        sources: Vec::new(),
    };
    ctx.sources = collect_sources(&ctx);
    ctx
}

fn collect_sources(ctx: &TerritorialContext) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut push = |a: &Option<Attribution>| {
        if let Some(a) = a.as_ref().filter(|a| !lines.contains(&a.text)) {
            lines.push(a.text.clone());
        }
    };
    push(&ctx.population.source);
    push(&ctx.chomage.source);
    if let Some(j) = &ctx.metier {
        for f in [&j.bmo.projets, &j.offres] {
            push(&f.source);
        }
        push(&j.secteurs.source);
        push(&j.certifications.source);
        if !j.fiches_rncp.items.is_empty()
            || j.certifications.items.iter().any(|c| !c.blocs.is_empty())
        {
            push(&j.fiches_rncp.source);
        }
        push(&j.formations.source);
    }
    lines
}

fn inherited<T>(f: &Found<T>, code: RomeCode) -> Option<String> {
    (f.code != code).then(|| f.code.to_string())
}

fn job_context(j: JobInput) -> JobContext {
    let code = j.code;
    let bmo = bmo_context(&j);
    let (offres, demandeurs) = tension_figures(&j);
    let secteurs = match &j.lookups.naf {
        Some(f) if !f.value.is_empty() => {
            let fit = fitting_sectors(&f.value, &j.naf_divisions);
            let mut items: Vec<NafSector> = fit
                .kept
                .iter()
                .map(|r| NafSector {
                    naf: r.naf.clone(),
                    libelle: r.naf_label.clone(),
                    embauches: r.hirings,
                })
                .collect();
            items.sort_by(|a, b| b.embauches.cmp(&a.embauches).then(a.naf.cmp(&b.naf)));
            // Counsellors read sectors by name: the note counts what was
            // left out and why, the codes stay in the JSON's `dropped` count.
            let note = match (items.is_empty(), fit.dropped.len()) {
                (true, _) => "non disponible : les secteurs que La Bonne Boîte associe à ce métier ne sont pas ceux que la fiche ROME cite".to_string(),
                (false, 0) => NAF_NOTE.to_string(),
                (false, 1) => format!(
                    "{NAF_NOTE} 1 autre secteur écarté : hors des secteurs d'activité que la fiche ROME cite."
                ),
                (false, n) => format!(
                    "{NAF_NOTE} {n} autres secteurs écartés : hors des secteurs d'activité que la fiche ROME cite."
                ),
            };
            Listing {
                items,
                source: Some(sources::naf()),
                inherited_from: inherited(f, code),
                note: Some(note),
            }
        }
        _ => Listing {
            items: vec![],
            source: Some(sources::naf()),
            inherited_from: None,
            note: Some("non disponible : code absent de la correspondance ROME → NAF".into()),
        },
    };
    let certs = match &j.lookups.certifications {
        Some(f) if !f.value.is_empty() => Listing {
            items: {
                let mut items: Vec<CertificationItem> = f
                    .value
                    .iter()
                    .map(|c| certification_item(c, &j.lookups.rncp_for_certifications))
                    .collect();
                // Those whose blocs are known first (stable: the store's order otherwise).
                items.sort_by_key(|c| c.blocs.is_empty());
                items
            },
            source: Some(sources::certif_info()),
            inherited_from: inherited(f, code),
            note: None,
        },
        _ => Listing {
            items: vec![],
            source: Some(sources::certif_info()),
            inherited_from: None,
            note: Some("non disponible : aucune certification de Certif Info pour ce code".into()),
        },
    };
    let fiches_rncp = match &j.lookups.rncp {
        Some(f) if !f.value.is_empty() => Listing {
            items: f.value.iter().map(RncpSummary::of).collect(),
            source: Some(sources::rncp()),
            inherited_from: inherited(f, code),
            note: None,
        },
        _ => Listing {
            items: vec![],
            source: Some(sources::rncp()),
            inherited_from: None,
            note: Some(
                "non disponible : aucune fiche de l'export RNCP/RS importé ne cite ce code".into(),
            ),
        },
    };
    let rncp: Vec<&str> = certs
        .items
        .iter()
        .filter_map(|c| c.rncp.as_deref())
        .collect();
    let codes = [Some(code), j.parent]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>();
    let offers: Vec<TrainingOffer> = j
        .formations
        .iter()
        .filter(|o| {
            o.codes_rome.iter().any(|c| codes.contains(c))
                || o.rncp.as_deref().is_some_and(|r| rncp.contains(&r))
        })
        .cloned()
        .collect();
    let formations = Listing {
        note: offers.is_empty().then(|| "non disponible : aucune offre de formation importée pour ce métier dans le département".into()),
        // Cited only for the offers it gave: no offer, no source line.
        source: j
            .formations_source
            .as_ref()
            .filter(|_| !offers.is_empty())
            .map(|s| Attribution::new("Offre de formation importée", s, None)),
        items: offers,
        inherited_from: None,
    };
    let cqp = Some(Cqp::assistant_medical()).filter(|c| c.certification.code_rome == code.as_str());
    JobContext {
        code_rome: code.to_string(),
        code_rome_parent: j.parent.filter(|p| *p != code).map(|p| p.to_string()),
        bmo,
        offres,
        demandeurs,
        secteurs,
        certifications: certs,
        fiches_rncp,
        formations,
        cqp,
    }
}

/// What the sectors listed are, and what they are not.
const NAF_NOTE: &str = "Secteurs qui recrutent sur ce métier au niveau national ; aucun effectif d'établissements par département n'est importé.";

/// The La Bonne Boîte sectors of a fiche, sorted by [`fitting_sectors`].
#[derive(Debug, Clone, PartialEq)]
pub struct SectorFit<'a> {
    /// The sectors shown.
    pub kept: Vec<&'a RomeNaf>,
    /// The sectors outside the fiche's NAF divisions, left out.
    pub dropped: Vec<&'a RomeNaf>,
}

/// The La Bonne Boîte sectors that fit the fiche, and those that do not.
///
/// La Bonne Boîte ranks the NAF sub-classes where a ROME v3 code was hired
/// (DPAE), whatever the employer's activity: the legal vehicle of a group
/// of practices (6619A « Supports juridiques de gestion de patrimoine
/// mobilier ») or a secretarial agency (8219Z) weigh as much as a dental
/// practice for J1303. The ROME 4.0 fiche names its own NAF divisions, so
/// a sector is kept when its division (the first two digits) is one of
/// them. When the fiche names none, or is « transverse aux secteurs »
/// (division `0`), all are kept. When none fits, none is kept: those are
/// mostly the sectors of the older parent code, unrelated to the newer
/// fiche (M1212 « Gestionnaire de lits », division 86, would list the
/// manufacture of electrical equipment), and the list says why it is empty.
pub fn fitting_sectors<'a>(sectors: &'a [RomeNaf], divisions: &[String]) -> SectorFit<'a> {
    // The referential writes division 01 as "1".
    let divisions: Vec<String> = divisions.iter().map(|d| format!("{d:0>2}")).collect();
    let fits = |r: &RomeNaf| divisions.iter().any(|d| r.naf.starts_with(d.as_str()));
    if divisions.is_empty() || divisions.iter().any(|d| d == "00") {
        return SectorFit {
            kept: sectors.iter().collect(),
            dropped: Vec::new(),
        };
    }
    let (kept, dropped) = sectors.iter().partition(|r| fits(r));
    SectorFit { kept, dropped }
}

fn certification_item(c: &Certification, fiches: &[RncpFiche]) -> CertificationItem {
    let fiche = fiches
        .iter()
        .find(|f| Some(&f.numero) == c.rncp.as_ref() || Some(&f.numero) == c.rs.as_ref());
    CertificationItem {
        blocs: fiche.map(blocs_of).unwrap_or_default(),
        libelle: c.libelle.clone(),
        type_libelle: c.type_libelle.clone(),
        niveau: c.niveau,
        rncp: c.rncp.clone(),
        rs: c.rs.clone(),
        certificateur: c.certificateur.clone(),
        accessibilite: c.accessibility.label_fr(),
        formation_initiale: c.accessibility.formation_initiale,
        apprentissage: c.accessibility.apprentissage,
        formation_continue: c.accessibility.formation_continue,
        vae: c.accessibility.vae,
        codes_rome: c.romes.iter().map(|r| r.to_string()).collect(),
    }
}

/// The qualifier of BMO figures read through a match across qualification
/// levels ([`RomeBmo::approchee`]): printed with the figure wherever it is.
pub const APPROCHEE_NOTE: &str = "correspondance approchée : la fiche ROME et ce métier BMO ne sont pas du même niveau de qualification (cadre ou non cadre)";

const BMO_LABELS: [&str; 3] = [
    "Projets de recrutement",
    "dont projets jugés difficiles",
    "dont projets saisonniers",
];

fn bmo_context(j: &JobInput) -> BmoContext {
    let src = sources::bmo(j.bmo_year);
    let unavailable = |reason: &str| {
        BMO_LABELS.map(|l| Figure::unavailable(l, Unit::Count, reason, Some(src.clone())))
    };
    let mapping = j.mapping.as_ref().filter(|m| m.bmo.is_some());
    let [projets, difficiles, saisonniers] = match (mapping, &j.bmo) {
        (None, _) => unavailable(
            "aucun métier BMO ne correspond à cette fiche dans la table de correspondance ROME → BMO de Passerelle",
        ),
        (Some(_), None) => {
            unavailable("aucune ligne publiée pour ce métier BMO dans le département")
        }
        (Some(m), Some(b)) => {
            let label = j
                .bmo_metier
                .as_ref()
                .map(|x| x.libelle.as_str())
                .unwrap_or("");
            let note = format!(
                "chiffre de l'ensemble du métier BMO {} « {label} », qui peut regrouper plusieurs métiers ; somme de {}",
                m.bmo.as_deref().unwrap_or(""),
                bassins(b.bassins)
            );
            let fig = |l: &str, c: SecretCount| Figure::count(l, c, src.clone());
            let mut projets = fig(BMO_LABELS[0], b.projets).with_note(note);
            if m.approchee() {
                projets = projets.with_note(APPROCHEE_NOTE);
            }
            [
                projets,
                fig(BMO_LABELS[1], b.difficiles),
                fig(BMO_LABELS[2], b.saisonniers),
            ]
        }
    };
    BmoContext {
        code_bmo: mapping.and_then(|m| m.bmo.clone()),
        libelle_bmo: j.bmo_metier.as_ref().map(|m| m.libelle.clone()),
        famille_bmo: j.bmo_metier.as_ref().map(|m| m.famille_libelle.clone()),
        correspondance: mapping.and_then(|m| {
            let label = m.method?.label_fr();
            Some(if m.approchee() {
                format!("{label}, {APPROCHEE} (niveau de qualification différent)")
            } else {
                label.to_string()
            })
        }),
        justification: mapping.map(|m| m.justification.clone()),
        projets,
        difficiles,
        saisonniers,
    }
}

/// "1 bassin d'emploi", "5 bassins d'emploi".
fn bassins(n: u32) -> String {
    if n > 1 {
        format!("{n} bassins d'emploi")
    } else {
        format!("{n} bassin d'emploi")
    }
}

/// How much of the département the offers and job seekers cover: partial
/// only when some of its bassins are missing (a bassin spanning several
/// départements counts for the one holding most of its communes).
fn coverage_note(present: u32, in_dept: u32) -> String {
    if present >= in_dept {
        match present {
            1 => "couverture complète : le seul bassin d'emploi rattaché au département".into(),
            n => format!("couverture complète : les {n} bassins d'emploi rattachés au département"),
        }
    } else {
        format!(
            "couverture partielle : {} sur {in_dept} rattachés au département, la source publiée ne retenant que les bassins où le métier est en tension",
            bassins(present)
        )
    }
}

fn tension_figures(j: &JobInput) -> (Figure, Figure) {
    let labels = [
        "Offres d'emploi enregistrées",
        "Demandeurs d'emploi (catégories A, B, C)",
    ];
    match &j.lookups.tension {
        None => {
            let reason = format!(
                "hors de l'extrait {TENSION_YEAR} publié (seuls les bassins où le métier est en tension y figurent)"
            );
            (
                Figure::unavailable(
                    labels[0],
                    Unit::Count,
                    reason.clone(),
                    Some(sources::tension()),
                ),
                Figure::unavailable(labels[1], Unit::Count, reason, Some(sources::tension())),
            )
        }
        Some(f) => {
            let t = &f.value;
            let coverage = coverage_note(t.bassins, j.bassins_in_dept);
            let keyed = format!(
                "chiffres de {TENSION_YEAR}, comptés sous le code {} de l'ancien ROME (version 3)",
                f.code
            );
            let mk = |label: &str, v: f64| {
                let mut fig = Figure::value(label, Unit::Count, v, sources::tension())
                    .with_note(coverage.clone())
                    .with_note(keyed.clone());
                if let Some(p) = inherited(f, j.code) {
                    fig = fig
                        .inherited(&p)
                        .with_note(format!("hérité du code parent {p}"));
                }
                fig
            };
            (mk(labels[0], t.offres), mk(labels[1], t.demandeurs))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coverage_is_partial_only_when_bassins_are_missing() {
        let one = coverage_note(1, 1);
        assert!(one.starts_with("couverture complète"), "{one}");
        assert!(!one.contains("(s)"), "{one}");
        let all = coverage_note(5, 5);
        assert!(
            all.starts_with("couverture complète : les 5 bassins"),
            "{all}"
        );
        let part = coverage_note(2, 6);
        assert!(
            part.starts_with("couverture partielle : 2 bassins d'emploi sur 6"),
            "{part}"
        );
        assert!(coverage_note(1, 6).contains("1 bassin d'emploi sur 6"));
    }

    fn naf(code: &str) -> RomeNaf {
        RomeNaf {
            rome: RomeCode::parse("J1303").unwrap(),
            naf: code.into(),
            naf_label: String::new(),
            hirings: 1,
        }
    }

    fn codes<'a>(list: &[&'a RomeNaf]) -> Vec<&'a str> {
        list.iter().map(|r| r.naf.as_str()).collect()
    }

    #[test]
    fn sectors_outside_the_fiche_divisions_are_left_out_unless_none_fits() {
        let sectors = [naf("0111Z"), naf("6619A"), naf("8623Z")];
        let div = |d: &[&str]| d.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        // Division 01 is written "1" by the referential.
        let fit = fitting_sectors(&sectors, &div(&["1", "86"]));
        assert_eq!(codes(&fit.kept), ["0111Z", "8623Z"]);
        assert_eq!(codes(&fit.dropped), ["6619A"]);
        // None fits: none kept.
        let fit = fitting_sectors(&sectors, &div(&["47"]));
        assert!(fit.kept.is_empty());
        assert_eq!(fit.dropped.len(), 3);
        // No division known, or « transverse aux secteurs »: nothing to judge by.
        for d in [div(&[]), div(&["0"])] {
            let fit = fitting_sectors(&sectors, &d);
            assert_eq!((fit.kept.len(), fit.dropped.len()), (3, 0));
        }
    }

    fn job(justification: &str) -> JobInput {
        let code = RomeCode::parse("H1523").unwrap();
        JobInput {
            code,
            parent: None,
            mapping: Some(RomeBmo {
                rome: code,
                bmo: Some("H0X90".into()),
                method: Some(crate::territory::records::MatchMethod::Domaine),
                justification: justification.into(),
            }),
            bmo_metier: None,
            bmo: Some(BmoDept {
                dept: crate::codes::DeptCode::parse("67").unwrap(),
                code: "H0X90".into(),
                projets: SecretCount {
                    known: 12,
                    secret_cells: 0,
                },
                difficiles: SecretCount {
                    known: 3,
                    secret_cells: 0,
                },
                saisonniers: SecretCount {
                    known: 0,
                    secret_cells: 0,
                },
                bassins: 2,
            }),
            bmo_year: 2025,
            bassins_in_dept: 2,
            formations: Vec::new(),
            formations_source: None,
            naf_divisions: Vec::new(),
            lookups: Chosen {
                tension: None,
                naf: None,
                certifications: None,
                rncp: None,
                rncp_for_certifications: Vec::new(),
            },
        }
    }

    #[test]
    fn a_match_across_levels_is_printed_as_approximate() {
        let approx = bmo_context(&job(&format!("{APPROCHEE} : fiche ROME emploi cadre")));
        assert!(
            approx.projets.notes.iter().any(|n| n == APPROCHEE_NOTE),
            "{approx:?}"
        );
        assert!(
            approx
                .correspondance
                .as_deref()
                .unwrap()
                .contains(APPROCHEE),
            "{approx:?}"
        );
        let plain = bmo_context(&job("métier BMO par défaut du domaine H15"));
        assert!(!plain.projets.notes.iter().any(|n| n.contains(APPROCHEE)));
        assert!(!plain.correspondance.unwrap().contains(APPROCHEE));
    }
}
