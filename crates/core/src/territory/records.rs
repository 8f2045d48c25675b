//! The records the territorial readers produce, one section per official
//! source: plain data that the store saves and the context builder reads.
//!
//! They live in core, apart from the readers (`passerelle-territory`), so
//! that the store, render and server use them without pulling the reader
//! crates (calamine, quick-xml, csv).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::codes::{DeptCode, RomeCode};
use crate::territory::figure::SecretCount;

// ----------------------------------------------------------------------------
// Départements, régions and population (etalab `decoupage-administratif`, INSEE COG).
// Reader: `passerelle_territory::geo`.

/// A département of the reference (the 101 with `zone` metro or drom).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Departement {
    pub code: DeptCode,
    pub nom: String,
    pub region_code: String,
    pub region_nom: String,
    /// Sum of the `population` of its communes actuelles; `None` when no
    /// commune carries one.
    pub population: Option<u64>,
    /// Year of the population figure (2023; Mayotte's comes from the 2017 census).
    pub population_year: Option<u16>,
}

/// Year of the populations légales in the package (in force on 1 January 2026).
pub const POPULATION_YEAR: u16 = 2023;
/// Mayotte's population in the package comes from the 2017 census.
pub const MAYOTTE_POPULATION_YEAR: u16 = 2017;

// ----------------------------------------------------------------------------
// INSEE localised unemployment rates by département.
// Reader: `passerelle_territory::chomage`.

/// One annual average rate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnemploymentRate {
    pub dept: DeptCode,
    pub year: u16,
    /// Percent (10.4 means 10,4 %).
    pub rate: f64,
}

// ----------------------------------------------------------------------------
// France Travail "Besoins en Main-d'Œuvre" survey, aggregated to départements.
// Reader: `passerelle_territory::bmo`.

/// A BMO métier (FAP 2021, 228-level code such as `V3X70`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BmoMetier {
    pub code: String,
    pub libelle: String,
    pub famille_code: String,
    pub famille_libelle: String,
}

/// Projects of one métier in one département (sum over its bassins).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BmoDept {
    pub dept: DeptCode,
    pub code: String,
    /// `met`: recruitment projects.
    pub projets: SecretCount,
    /// `xmet`: of which judged difficult.
    pub difficiles: SecretCount,
    /// `smet`: of which seasonal.
    pub saisonniers: SecretCount,
    /// Number of bassin rows summed.
    pub bassins: u32,
}

/// The whole survey, aggregated.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bmo {
    pub year: u16,
    pub metiers: Vec<BmoMetier>,
    pub by_dept: Vec<BmoDept>,
    pub rows: u64,
}

// ----------------------------------------------------------------------------
// The ROME 4.0 → BMO métier correspondence shipped in `data/territoire/rome_bmo.csv`.
// Reader: `passerelle_territory::rome_bmo`.

/// How a fiche was matched to a BMO métier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchMethod {
    /// Reviewed one by one, with a justification.
    Manuel,
    /// A keyword of the fiche title.
    Libelle,
    /// The default BMO métier of the fiche's domaine professionnel.
    Domaine,
}

impl MatchMethod {
    pub fn label_fr(self) -> &'static str {
        match self {
            MatchMethod::Manuel => "correspondance revue manuellement",
            MatchMethod::Libelle => "correspondance par mot-clé de l'intitulé",
            MatchMethod::Domaine => "correspondance par domaine professionnel (approximative)",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RomeBmo {
    pub rome: RomeCode,
    /// `None` when BMO does not survey this kind of job.
    pub bmo: Option<String>,
    pub method: Option<MatchMethod>,
    pub justification: String,
}

/// How `build_rome_bmo.py` starts the justification of a match kept across
/// qualification levels (a cadre fiche on a non-cadre BMO métier, or the
/// reverse): the file keeps its four columns, and the store, which saves the
/// justification as it is, needs no column of its own for the qualifier.
pub const APPROCHEE: &str = "correspondance approchée";

impl RomeBmo {
    /// Whether the match crosses qualification levels (cadre ↔ non cadre),
    /// so that every BMO figure read through it is printed as approximate.
    pub fn approchee(&self) -> bool {
        self.justification.starts_with(APPROCHEE)
    }
}

// ----------------------------------------------------------------------------
// Job offers and job seekers by ROME v3 code (2021 subset), aggregated to départements.
// Reader: `passerelle_territory::tension`.

/// Year of the subset.
pub const TENSION_YEAR: u16 = 2021;

/// One ROME v3 code in one département.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TensionDept {
    pub dept: DeptCode,
    pub rome: RomeCode,
    /// Sum of `oee` (offers registered) over the bassins present.
    pub offres: f64,
    /// Sum of `defm_abc` (job seekers, categories A, B, C).
    pub demandeurs: f64,
    /// Bassins of the département present for this code.
    pub bassins: u32,
}

/// How bassins map to départements.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BassinMap {
    /// bassin code → (main département, spans several départements).
    pub main: BTreeMap<String, (DeptCode, bool)>,
    /// Number of bassins attributed to each département.
    pub per_dept: BTreeMap<DeptCode, u32>,
}

impl BassinMap {
    pub fn multi_dept(&self) -> usize {
        self.main.values().filter(|(_, m)| *m).count()
    }
}

/// What reading the tension file left out.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TensionReport {
    pub rows: u64,
    /// Bassin codes absent from the lexique (their rows are not attributed).
    pub unknown_bassins: Vec<String>,
    pub rows_unattributed: u64,
}

// ----------------------------------------------------------------------------
// ROME v3 → NAF sectors that hire for it (La Bonne Boîte).
// Reader: `passerelle_territory::labonneboite`.

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RomeNaf {
    pub rome: RomeCode,
    pub naf: String,
    pub naf_label: String,
    /// Hirings (DPAE) the mapping was built from: used to rank sectors.
    pub hirings: u64,
}

// ----------------------------------------------------------------------------
// Certif Info (Réseau des Carif-Oref) certifications.
// Reader: `passerelle_territory::certif_info`.

/// Ways a certification can be obtained. `None` = not stated in the source
/// (Certif Info codes 1 = oui, 0 = non, 2 = non renseigné).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Accessibility {
    pub formation_initiale: Option<bool>,
    pub apprentissage: Option<bool>,
    pub formation_continue: Option<bool>,
    pub contrat_pro: Option<bool>,
    pub vae: Option<bool>,
}

impl Accessibility {
    /// "formation initiale, apprentissage, VAE" — the ways marked yes.
    pub fn label_fr(&self) -> String {
        let ways = [
            (self.formation_initiale, "formation initiale"),
            (self.apprentissage, "apprentissage"),
            (self.formation_continue, "formation continue"),
            (self.contrat_pro, "contrat de professionnalisation"),
            (self.vae, "VAE"),
        ];
        let yes: Vec<&str> = ways
            .iter()
            .filter(|(w, _)| *w == Some(true))
            .map(|(_, l)| *l)
            .collect();
        if yes.is_empty() {
            "non renseignée".into()
        } else {
            yes.join(", ")
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Certification {
    /// Certif Info `Code_Diplome`.
    pub code: String,
    pub libelle: String,
    /// "Certificat de qualification professionnelle", "Titre professionnel (TP de niveau 4)", …
    pub type_libelle: String,
    /// European level 1–8.
    pub niveau: Option<u8>,
    pub rncp: Option<String>,
    pub rs: Option<String>,
    /// Certifier (`certificateur`, else `valideur`).
    pub certificateur: Option<String>,
    pub romes: Vec<RomeCode>,
    pub accessibility: Accessibility,
    /// `Date_MaJ` (dd/mm/yyyy).
    pub updated: Option<String>,
    /// Certif Info `Etat_Libelle` ("Publié", …).
    pub etat: String,
}

// ----------------------------------------------------------------------------
// France Compétences RNCP / RS fiches (only what Passerelle shows).
// Reader: `passerelle_territory::rncp`.

/// A certifier of a fiche.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Certificateur {
    pub siret: Option<String>,
    pub nom: String,
}

/// A coded label (ROME, formacode).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeLabel {
    pub code: String,
    pub libelle: String,
}

/// A bloc de compétences (`RNCP34762BC01`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bloc {
    pub code: String,
    pub libelle: String,
    /// `LISTE_COMPETENCES`, whitespace collapsed.
    pub competences: String,
    /// `MODALITES_EVALUATION`, whitespace collapsed.
    pub modalites_evaluation: String,
}

/// One `<FICHE>` of the export.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RncpFiche {
    /// `RNCP34762` or `RS6232`.
    pub numero: String,
    pub intitule: String,
    /// "Publiée", …
    pub etat: String,
    /// `ABREGE/LIBELLE`: "Diplôme visé grade de master", …
    pub type_libelle: Option<String>,
    /// `NOMENCLATURE_EUROPE/NIVEAU` ("NIV7").
    pub niveau: Option<String>,
    pub date_fin_enregistrement: Option<String>,
    pub certificateurs: Vec<Certificateur>,
    pub romes: Vec<CodeLabel>,
    pub formacodes: Vec<CodeLabel>,
    pub blocs: Vec<Bloc>,
}

// ----------------------------------------------------------------------------
// Training offer (LHEO or the documented CSV).
// Reader: `passerelle_territory::formations`.

/// One training action at one place, with its sessions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrainingOffer {
    /// Action number (LHEO `action/@numero`), else the formation's.
    pub id: String,
    pub intitule: String,
    pub organisme: String,
    pub ville: String,
    pub code_postal: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub departement: Option<DeptCode>,
    pub duree_heures: Option<u32>,
    /// "alternance", "formation continue", …
    pub modalites: Vec<String>,
    pub rythme: Option<String>,
    pub public: Option<String>,
    pub prerequis: Vec<String>,
    pub modalites_acces: Vec<String>,
    /// `RNCP36358`.
    pub rncp: Option<String>,
    pub formacodes: Vec<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<String>))]
    pub codes_rome: Vec<RomeCode>,
    /// Sessions as (start, end) dates `YYYY-MM-DD`.
    pub sessions: Vec<Session>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Session {
    pub debut: Option<String>,
    pub fin: Option<String>,
}

// ----------------------------------------------------------------------------
// Everything one `import territoire` reads.
// Reader: `passerelle_territory::import`.

/// Everything the territorial context needs, as plain data.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct TerritoryData {
    pub departements: Vec<Departement>,
    pub unemployment: Vec<UnemploymentRate>,
    pub bmo: Bmo,
    pub rome_bmo: Vec<RomeBmo>,
    pub bassins: BassinMap,
    pub tension: Vec<TensionDept>,
    pub rome_naf: Vec<RomeNaf>,
    pub certifications: Vec<Certification>,
    /// Fiches of the RNCP/RS XML exports found in the territory directory (`passerelle_territory::import::files::RNCP_DIR`).
    pub rncp_fiches: Vec<RncpFiche>,
    pub report: ImportReport,
}

/// What was read, for the CLI summary and `info`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ImportReport {
    pub source: String,
    pub departements: usize,
    pub unemployment_rows: usize,
    pub unemployment_latest_year: Option<u16>,
    pub departements_without_unemployment: Vec<String>,
    pub bmo_year: u16,
    pub bmo_rows: u64,
    pub bmo_metiers: usize,
    pub rome_bmo_mapped: usize,
    pub rome_bmo_unmapped: usize,
    /// BMO codes of the correspondence missing from the survey.
    pub rome_bmo_unknown_codes: Vec<String>,
    pub bassins: usize,
    pub bassins_multi_departements: usize,
    pub tension: TensionReport,
    pub rome_naf_rows: usize,
    pub certifications: usize,
    /// XML exports read and the fiches and blocs they held.
    pub rncp_files: Vec<String>,
    pub rncp_fiches: usize,
    pub rncp_blocs: usize,
    pub warnings: Vec<String>,
}
