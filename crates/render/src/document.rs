//! The document model: one structure per document, rendered by every
//! format (HTML, Markdown, PDF). Its serde serialisation IS the JSON output
//! (`--format json`), so keys are stable snake_case and French text is
//! computed here once, never in a renderer.

use passerelle_core::engine::{Gap, RankRow};
use passerelle_core::territory::context::TerritorialContext;
use passerelle_core::territory::cqp::{CqpBloc, ProfileAccess};
use passerelle_core::territory::records::TrainingOffer;
use passerelle_core::transversal::Provenance;
use serde::Serialize;

/// The notice printed on every sheet.
pub const NOTICE: &str = "Document d'aide au jugement du conseiller : il éclaire un échange, \
ce n'est pas une décision automatisée concernant une personne.";

/// Placeholder for anything the data does not give.
pub const NON_DISPONIBLE: &str = "non disponible";

/// Seed 000 as computed data: the fiche passerelle of one target job in one
/// département.
#[derive(Debug, Clone, Serialize)]
pub struct FichePasserelle {
    pub document: &'static str,
    pub notice: &'static str,
    pub cover: Cover,
    pub methode_transversale: MethodeTransversale,
    pub territoire: Territoire,
    pub definition: Definition,
    pub profil_transversal: Option<ProfilTransversal>,
    pub descriptif: Descriptif,
    pub riasec: Option<RiasecView>,
    pub sources: SourcesTable,
    pub ecarts: Vec<Gap>,
    pub formations: Formations,
    /// The target's other titles (seed 000's « autres appellations »): a
    /// poste's own title first, then its fiche's appellations.
    pub appellations_cible: Vec<String>,
    pub autres_appellations: Vec<SourceAppellations>,
    pub liens: Vec<Link>,
    pub annexe: Annexe,
}

#[derive(Debug, Clone, Serialize)]
pub struct Cover {
    /// Appellation title, or fiche title when the job is a fiche.
    pub title: String,
    pub id: String,
    pub code_rome: String,
    pub fiche_title: String,
    pub appellation: Option<String>,
    /// How the job was resolved (French, from the catalog).
    pub resolution: String,
    pub departement: Option<String>,
    pub departement_nom: Option<String>,
    /// RFC 3339, passed in (never read from the clock here).
    pub generated_at: String,
    /// `18/09/2025` style date for display.
    pub generated_on: String,
    pub rome_version: String,
}

impl Cover {
    /// "Hérault (34)", the code alone when the name is unknown, else
    /// "non disponible".
    pub fn departement_label(&self) -> String {
        match (&self.departement, &self.departement_nom) {
            (Some(code), Some(nom)) => format!("{nom} ({code})"),
            (Some(code), None) => code.clone(),
            _ => NON_DISPONIBLE.into(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct MethodeTransversale {
    pub paragraphs: Vec<String>,
    pub categories: Vec<CategoryBlock>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CategoryBlock {
    pub label: String,
    pub competencies: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Territoire {
    /// `None` when no territorial data was imported for the département.
    pub context: Option<TerritorialContext>,
    /// Key figures as display lines ("Population : 1 230 289 (Insee, …)").
    pub figures: Vec<FigureLine>,
    pub note: Option<String>,
    /// The figures the data does not give here, gathered in one sentence
    /// naming each with its reason (issue 24: one line, not one row each).
    pub non_disponibles: Option<String>,
    /// The figures' long qualifiers (coverage, older ROME code, whole BMO
    /// métier), numbered once for the section; a line refers to them by
    /// `renvois` so that the table itself stays short.
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FigureLine {
    pub label: String,
    pub text: String,
    pub source: Option<String>,
    pub notes: Vec<String>,
    /// 1-based numbers of this line's notes in [`Territoire::notes`]
    /// (empty outside the documents).
    pub renvois: Vec<usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Definition {
    pub definition: Vec<String>,
    pub acces: Vec<String>,
    /// Savoir-faire of the fiche grouped by enjeu (or by category when the
    /// arborescence file is absent).
    pub missions: Vec<Group>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Group {
    pub title: String,
    pub items: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProfilTransversal {
    pub provenance: Provenance,
    /// "enquête" or "estimé" with its origin, in French.
    pub provenance_label: String,
    pub rows: Vec<ProfileRow>,
    /// The radar (not part of the JSON: it is derived from `rows`).
    #[serde(skip)]
    pub radar: crate::radar::Radar,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProfileRow {
    pub competency: String,
    pub category: String,
    pub level: u8,
    pub stars: u8,
    /// The estimate found no evidence for it: "non estimée" instead of a
    /// level (a survey's level 0 is "non mobilisée", shown as 0/4).
    pub not_estimated: bool,
    /// "En situation de travail"; `None` at level 0 (not practised).
    pub situation: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Descriptif {
    /// Certifications whose blocs are known (CQP, RNCP, Certif Info).
    pub certifications: Vec<CertificationView>,
    /// When no bloc is known: the job's certifications as one list, so that
    /// the sheet still says which diplomas lead to the job.
    pub certifications_sans_blocs: Option<CertificationList>,
    pub savoir_etre: Vec<String>,
    pub entretiens: Option<Entretiens>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CertificationView {
    pub intitule: String,
    pub rncp: Option<String>,
    pub niveau: Option<u8>,
    pub blocs: Vec<String>,
    pub source: String,
}

/// The certifications of a job, chosen and ordered by the rule of
/// `passerelle_core::territory::fit` (docs/documents.md): the main list
/// (`items`), then the others, counted in one line.
#[derive(Debug, Clone, Serialize)]
pub struct CertificationList {
    /// The rule that chose and ordered `items`, in counsellors' words.
    pub regle: String,
    pub items: Vec<CertificationBrief>,
    /// The others (another level, no level, or beyond the main list's
    /// length), by level.
    pub autres: Vec<CertificationBrief>,
    /// "18 autres certifications de niveau 5 à 7"; `None` when `autres` is
    /// empty.
    pub autres_resume: Option<String>,
    pub source: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct CertificationBrief {
    pub intitule: String,
    /// RNCP (or RS) number, when the source gives one.
    pub numero: Option<String>,
    pub niveau: Option<u8>,
    /// How specifically it leads to the job: "citée par la fiche ROME",
    /// "ce seul code ROME", "3 codes ROME".
    pub rattachement: String,
}

/// Authored "entretiens employeurs" content (data/entretiens/DEPT/JOB.md).
#[derive(Debug, Clone, Serialize)]
pub struct Entretiens {
    pub source: String,
    pub sections: Vec<Group>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RiasecView {
    pub code: String,
    pub letters: Vec<RiasecLetterView>,
    pub explanation: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct RiasecLetterView {
    pub letter: String,
    pub label: String,
    pub description: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SourcesTable {
    pub explanation: Vec<String>,
    /// "Règle des viabilités": the rule of the four labels, printed with
    /// the table (`Tiers::rule_fr`).
    pub rule_title: String,
    pub rule: Vec<String>,
    /// What the terms of a score's decomposition are.
    pub legend: String,
    pub candidates: usize,
    pub rows: Vec<SourceRow>,
}

/// A ranked source with its score's terms and the figures of its label,
/// as printed (JSON: the ranking row's fields, then these).
#[derive(Debug, Clone, Serialize)]
pub struct SourceRow {
    #[serde(flatten)]
    pub row: RankRow,
    /// The terms of the score, adding up to it
    /// ([`crate::scoring::decomposition`]).
    pub score_detail: Option<String>,
    /// The figures the label is decided on ([`crate::scoring::rule_figures`]).
    pub rule_figures: Vec<String>,
    /// Short key of the tier (CSS class, colour).
    pub tier_key: &'static str,
}

impl std::ops::Deref for SourceRow {
    type Target = RankRow;
    fn deref(&self) -> &RankRow {
        &self.row
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Formations {
    pub items: Vec<TrainingOffer>,
    pub source: Option<String>,
    pub note: Option<String>,
    /// Without an offer: the certifications that lead to the job (title,
    /// level, RNCP number), so that the section still points somewhere.
    pub certifications: Vec<String>,
    /// Without an offer: who can add the regional offer.
    pub ajout: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SourceAppellations {
    pub code: String,
    pub title: String,
    pub appellations: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub label: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Annexe {
    pub methodes: Vec<String>,
    pub attributions: Vec<String>,
}

/// Seed 001 as computed data: one person-centred source → target sheet.
#[derive(Debug, Clone, Serialize)]
pub struct Parcours {
    pub document: &'static str,
    pub notice: &'static str,
    pub generated_at: String,
    pub generated_on: String,
    pub departement: Option<String>,
    pub je_suis: String,
    pub je_souhaite: String,
    pub source: JobBrief,
    pub target: JobBrief,
    pub synthese: Vec<String>,
    pub score: Option<f64>,
    pub tier_label: String,
    /// Short key of the tier (CSS class, colour).
    pub tier_key: &'static str,
    /// The terms of the score, adding up to it.
    pub score_detail: Option<String>,
    /// The figures the label is decided on.
    pub rule_figures: Vec<String>,
    /// The rule of the four labels, with its heading.
    pub rule_title: String,
    pub rule: Vec<String>,
    pub legend: String,
    pub definition: Vec<String>,
    pub acces: Vec<String>,
    pub activites: Vec<Activite>,
    pub transferabilite_methode: String,
    pub a_acquerir: Vec<Group>,
    /// Routes from the source to the target: each a heading and its steps
    /// (the move and its label, then its figures), with the routes' rule.
    pub itineraires: Vec<Group>,
    pub itineraires_regle: Vec<String>,
    /// What the source should learn next: each item and the targets it
    /// opens, with how they were chosen.
    pub apprendre: Vec<Group>,
    pub apprendre_methode: String,
    pub certification: Option<CertificationParcours>,
    pub formations: Formations,
    pub liens: Vec<Link>,
    pub attributions: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct JobBrief {
    pub id: String,
    pub code: String,
    pub title: String,
}

/// One activity of the source (its savoir-faire under one macro-compétence)
/// that transfers to the target, with its degree (seed 001).
#[derive(Debug, Clone, Serialize)]
pub struct Activite {
    pub title: String,
    pub items: Vec<String>,
    /// Mean credit of the activity's savoir-faire in the target, 0–1: 1 when
    /// the target lists it, the engine's near credit (at most 0,5) when the
    /// target has a near item, 0 otherwise.
    pub part: f64,
    /// Fort (≥ 0,66), Moyen (≥ 0,33) or Faible.
    pub degre: &'static str,
    pub explication: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct CertificationParcours {
    pub intitule: String,
    pub blocs: Vec<CqpBloc>,
    pub acces: Option<ProfileAccess>,
    pub explication: String,
    /// Which of the pair's items to acquire each bloc prepares; `None` when
    /// the data file maps no bloc to the ROME items.
    pub couverture: Option<BlocsCouverture>,
}

/// « ce bloc couvre 6 des 9 savoirs à acquérir », bloc by bloc.
#[derive(Debug, Clone, Serialize)]
pub struct BlocsCouverture {
    pub resume: String,
    /// One sentence per bloc, in the bloc order.
    pub blocs: Vec<String>,
    /// The items no bloc prepares, when there are some.
    pub hors_blocs: Option<String>,
    pub methode: String,
}

/// What a person with the parcours' profile does with a certification bloc.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlocStatus {
    Dispense,
    Allege,
    ASuivre,
}

impl CertificationParcours {
    /// The status of bloc `numero` for the profile (to follow when the
    /// profile is unknown).
    pub fn bloc_status(&self, numero: &u8) -> BlocStatus {
        match &self.acces {
            Some(a) if a.blocs_dispenses.iter().any(|x| x.numero == *numero) => {
                BlocStatus::Dispense
            }
            Some(a) if a.blocs_alleges.iter().any(|x| x.numero == *numero) => BlocStatus::Allege,
            _ => BlocStatus::ASuivre,
        }
    }
}

/// Least share of an activity's savoir-faire already held for « Fort »
/// (docs/methode.md).
pub const DEGRE_FORT: f64 = 0.66;
/// Least share for « Moyen »; below, « Faible ».
pub const DEGRE_MOYEN: f64 = 0.33;

/// Fort / Moyen / Faible from a share in 0–1.
pub fn degre(part: f64) -> &'static str {
    let s = &crate::wording::SENTENCES;
    if part >= DEGRE_FORT {
        s.degre_fort
    } else if part >= DEGRE_MOYEN {
        s.degre_moyen
    } else {
        s.degre_faible
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn degrees_start_at_their_thresholds() {
        let s = &crate::wording::SENTENCES;
        assert_eq!(degre(DEGRE_FORT), s.degre_fort);
        assert_eq!(degre(DEGRE_FORT - 0.01), s.degre_moyen);
        assert_eq!(degre(DEGRE_MOYEN), s.degre_moyen);
        assert_eq!(degre(DEGRE_MOYEN - 0.01), s.degre_faible);
    }
}
