//! The ROME 4.0 referential as an in-memory model.
//!
//! One [`ReferentialData`] holds everything the official open-data files say
//! (fiches, appellations, compétences, savoirs, contextes and their links);
//! [`Referential`] wraps it with the lookup indexes every consumer needs. The
//! importer builds it from the CSV files, the store saves and reloads it, and
//! the engine reads it — nobody else re-parses the files.

use std::collections::HashMap;
use std::fmt;
use std::ops::Deref;

use serde::{Deserialize, Serialize};

use crate::codes::{OgrCode, RomeCode};

/// Which published release of the ROME the data comes from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RomeVersion {
    /// Version number (`60`).
    pub number: u32,
    /// Short release name (`25M09`), when `version.txt` gives one.
    pub label: Option<String>,
    /// Publication date as written in `version.txt` (`18/09/2025`).
    pub published: Option<String>,
    /// Validation date as written in `version.txt` (`27/08/2025`).
    pub validated: Option<String>,
}

impl RomeVersion {
    /// The attribution line the Licence Ouverte asks for.
    pub fn attribution(&self) -> String {
        let mut s = format!(
            "Source : France Travail – ROME 4.0, version {}",
            self.number
        );
        if let Some(label) = &self.label {
            s.push_str(&format!(" ({label})"));
        }
        if let Some(date) = &self.published {
            s.push_str(&format!(", mise à jour du {date}"));
        }
        s.push_str(" — Licence Ouverte / Open Licence 2.0");
        s
    }
}

/// The three families of items a fiche links to, plus work contexts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    /// A compétence or macro-compétence of category savoir-faire (rubrique 1).
    SavoirFaire,
    /// A savoir-être professionnel (rubrique 2).
    SavoirEtre,
    /// A savoir, including certifications (rubrique 3).
    Savoir,
    /// A contexte de travail (bloc 6).
    Contexte,
}

impl ItemKind {
    pub fn label_fr(self) -> &'static str {
        match self {
            ItemKind::SavoirFaire => "Savoir-faire",
            ItemKind::SavoirEtre => "Savoir-être professionnel",
            ItemKind::Savoir => "Savoir",
            ItemKind::Contexte => "Contexte de travail",
        }
    }
}

/// How central an item is to the fiche (`coeur_metier` in `unix_coherence_item`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CoeurMetier {
    #[default]
    Non,
    Principale,
    Emergente,
}

impl CoeurMetier {
    pub fn parse(s: &str) -> Option<Self> {
        match crate::text::fold(s).as_str() {
            "" => Some(CoeurMetier::Non),
            "principale" => Some(CoeurMetier::Principale),
            "emergente" => Some(CoeurMetier::Emergente),
            _ => None,
        }
    }
}

/// One link from a fiche to an item of the referential.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemLink {
    pub ogr: OgrCode,
    pub kind: ItemKind,
    pub coeur: CoeurMetier,
}

/// The tags France Travail puts on fiches and appellations.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FicheTags {
    /// Ecological-transition class as published ("Emploi Blanc", "Emploi Vert", …).
    pub transition_eco: Option<String>,
    pub transition_num: Option<bool>,
    pub transition_demo: Option<bool>,
    pub emploi_reglemente: Option<bool>,
    pub emploi_cadre: Option<bool>,
}

/// RIASEC (Holland) letters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum RiasecLetter {
    R,
    I,
    A,
    S,
    E,
    C,
}

impl RiasecLetter {
    pub const ALL: [RiasecLetter; 6] = [Self::R, Self::I, Self::A, Self::S, Self::E, Self::C];

    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_uppercase().as_str() {
            "R" => Some(Self::R),
            "I" => Some(Self::I),
            "A" => Some(Self::A),
            "S" => Some(Self::S),
            "E" => Some(Self::E),
            "C" => Some(Self::C),
            _ => None,
        }
    }

    /// Position on Holland's hexagon (R=0 … C=5).
    pub fn index(self) -> usize {
        self as usize
    }

    pub fn label_fr(self) -> &'static str {
        match self {
            Self::R => "Réaliste",
            Self::I => "Investigateur",
            Self::A => "Artistique",
            Self::S => "Social",
            Self::E => "Entreprenant",
            Self::C => "Conventionnel",
        }
    }

    /// Hexagon distance: 0 same, 1 adjacent, 2 alternate, 3 opposite.
    pub fn distance(self, other: RiasecLetter) -> u8 {
        let d = (self.index() as i32 - other.index() as i32).unsigned_abs() as u8;
        d.min(6 - d)
    }
}

impl fmt::Display for RiasecLetter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self:?}")
    }
}

/// A major RIASEC letter and an optional minor one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Riasec {
    pub major: RiasecLetter,
    pub minor: Option<RiasecLetter>,
}

impl fmt::Display for Riasec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.major)?;
        if let Some(m) = self.minor {
            write!(f, "{m}")?;
        }
        Ok(())
    }
}

/// A fiche métier of the ROME.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fiche {
    pub code: RomeCode,
    /// OGR code of the fiche itself.
    pub ogr: OgrCode,
    pub code_fiche_metier: Option<u32>,
    pub title: String,
    /// The ROME v3 (532-code) fiche this one descends from; older territorial
    /// files only know that code.
    pub parent: RomeCode,
    /// Domaine professionnel (`J13`).
    pub domaine: String,
    pub tags: FicheTags,
    pub riasec: Option<Riasec>,
    /// Sentences of the definition, in order.
    pub definition: Vec<String>,
    /// Sentences of "accès au métier", in order.
    pub acces: Vec<String>,
    /// Appellations of the fiche, principal one first.
    pub appellations: Vec<OgrCode>,
    /// Linked compétences, savoirs and contextes, in the file's order.
    pub items: Vec<ItemLink>,
    pub centres_interet: Vec<CategoryLink>,
    pub secteurs: Vec<CategoryLink>,
    pub themes: Vec<CategoryLink>,
    /// NAF sectors (`unix_arborescence_secteur_naf`, optional file; never principal).
    #[serde(default)]
    pub secteurs_naf: Vec<CategoryLink>,
}

impl Fiche {
    pub fn items_of(&self, kind: ItemKind) -> impl Iterator<Item = &ItemLink> + '_ {
        self.items.iter().filter(move |l| l.kind == kind)
    }

    pub fn has_item(&self, ogr: OgrCode) -> bool {
        self.items.iter().any(|l| l.ogr == ogr)
    }
}

/// A fiche's membership in an optional classification (centre d'intérêt,
/// secteur, thème), with whether it is the principal one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryLink {
    pub code: String,
    pub principal: bool,
}

/// A job title (appellation) of a fiche.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Appellation {
    pub ogr: OgrCode,
    pub long_label: String,
    pub short_label: String,
    pub rome: RomeCode,
    pub tags: FicheTags,
    /// `PRINCIPALE` or `SYNONYME` as published.
    pub classification: Option<String>,
    pub origine: Option<String>,
    pub parent: Option<RomeCode>,
    /// Marked "peu usité" by France Travail.
    pub rare: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CompetenceNature {
    Competence,
    MacroCompetence,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CompetenceCategory {
    SavoirFaire,
    SavoirEtre,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CompetenceSubcategory {
    Technique,
    TechniqueExpert,
    Transverse,
}

impl CompetenceSubcategory {
    pub fn label_fr(self) -> &'static str {
        match self {
            Self::Technique => "Technique",
            Self::TechniqueExpert => "Technique expert",
            Self::Transverse => "Transverse",
        }
    }
}

/// A compétence or macro-compétence (savoir-faire or savoir-être professionnel).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Competence {
    pub ogr: OgrCode,
    pub label: String,
    pub definition: Option<String>,
    pub nature: CompetenceNature,
    pub category: CompetenceCategory,
    pub subcategory: CompetenceSubcategory,
    /// The macro-compétence a compétence belongs to.
    pub macro_ogr: Option<OgrCode>,
    pub code_macro: Option<String>,
    pub transition_eco: Option<bool>,
    pub transition_num: Option<bool>,
    /// RIASEC of a macro-compétence.
    pub riasec: Option<Riasec>,
    pub heterogeneite: Option<String>,
    pub origine: Option<String>,
}

/// The five categories of savoirs. Certifications are savoirs in the files
/// but not knowledge: the engine reports them apart.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SavoirCategory {
    DomainesExpertise,
    TechniquesProfessionnelles,
    NormesProcedes,
    ProduitsOutilsMatieres,
    CertificationsHabilitations,
    /// A category a newer ROME version may add, kept verbatim.
    Other(String),
}

impl SavoirCategory {
    pub fn parse(s: &str) -> Self {
        match crate::text::fold(s).as_str() {
            "domaines d'expertise" => Self::DomainesExpertise,
            "techniques professionnelles" => Self::TechniquesProfessionnelles,
            "normes et procedes" => Self::NormesProcedes,
            "produits, outils et matieres" => Self::ProduitsOutilsMatieres,
            "certifications et habilitations" => Self::CertificationsHabilitations,
            _ => Self::Other(s.trim().to_string()),
        }
    }

    pub fn label_fr(&self) -> &str {
        match self {
            Self::DomainesExpertise => "Domaines d'expertise",
            Self::TechniquesProfessionnelles => "Techniques professionnelles",
            Self::NormesProcedes => "Normes et procédés",
            Self::ProduitsOutilsMatieres => "Produits, outils et matières",
            Self::CertificationsHabilitations => "Certifications et habilitations",
            Self::Other(s) => s,
        }
    }

    pub fn is_certification(&self) -> bool {
        matches!(self, Self::CertificationsHabilitations)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Savoir {
    pub ogr: OgrCode,
    pub label: String,
    pub category: SavoirCategory,
    pub subcategory: String,
    pub transition_eco: Option<bool>,
    pub transition_num: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contexte {
    pub ogr: OgrCode,
    pub label: String,
    pub type_code: u32,
    /// "Conditions de travail et risques professionnels", "Horaires et durée du travail", …
    pub type_label: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrandDomaine {
    pub code: char,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Domaine {
    /// `J13`.
    pub code: String,
    pub label: String,
}

/// An entry of an optional classification (centre d'intérêt, secteur
/// d'activité or sous-secteur, thème).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Classification {
    pub code: String,
    pub label: String,
    pub definition: Option<String>,
    /// The secteur a sous-secteur belongs to.
    pub parent: Option<String>,
}

/// The levels above a macro-compétence (domaine de compétence → enjeu →
/// objectif), from the optional `unix_arborescence_competences` file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompetenceBranch {
    pub macro_ogr: OgrCode,
    pub domaine_code: String,
    pub domaine: String,
    pub enjeu_code: String,
    pub enjeu: String,
    pub objectif_code: String,
    pub objectif: String,
}

/// Anything with an OGR code and a French label.
pub trait Labelled {
    fn ogr(&self) -> OgrCode;
    fn label(&self) -> &str;
}

macro_rules! labelled {
    ($($t:ty),*) => {$(
        impl Labelled for $t {
            fn ogr(&self) -> OgrCode { self.ogr }
            fn label(&self) -> &str { &self.label }
        }
    )*};
}
labelled!(Competence, Savoir, Contexte);

/// Everything the official files say, as plain data.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ReferentialData {
    pub version: RomeVersion,
    pub grands_domaines: Vec<GrandDomaine>,
    pub domaines: Vec<Domaine>,
    pub fiches: Vec<Fiche>,
    pub appellations: Vec<Appellation>,
    pub competences: Vec<Competence>,
    pub savoirs: Vec<Savoir>,
    pub contextes: Vec<Contexte>,
    pub centres_interet: Vec<Classification>,
    pub secteurs: Vec<Classification>,
    pub themes: Vec<Classification>,
    /// NAF sectors (`unix_secteur_naf`; code = `code_secteur_naf`).
    #[serde(default)]
    pub secteurs_naf: Vec<Classification>,
    /// Domaine → enjeu → objectif of each macro-compétence, when the optional
    /// `unix_arborescence_competences` file was present (empty otherwise).
    #[serde(default)]
    pub arborescence_competences: Vec<CompetenceBranch>,
}

/// A borrowed view of any item of the referential.
#[derive(Debug, Clone, Copy)]
pub enum ItemRef<'a> {
    Competence(&'a Competence),
    Savoir(&'a Savoir),
    Contexte(&'a Contexte),
}

impl<'a> ItemRef<'a> {
    pub fn ogr(&self) -> OgrCode {
        match self {
            Self::Competence(c) => c.ogr,
            Self::Savoir(s) => s.ogr,
            Self::Contexte(c) => c.ogr,
        }
    }

    pub fn label(&self) -> &'a str {
        match self {
            Self::Competence(c) => &c.label,
            Self::Savoir(s) => &s.label,
            Self::Contexte(c) => &c.label,
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum ItemSlot {
    Competence(usize),
    Savoir(usize),
    Contexte(usize),
}

/// The referential with its lookup indexes. Build it with [`Referential::new`];
/// it dereferences to its [`ReferentialData`].
#[derive(Debug, Clone)]
pub struct Referential {
    data: ReferentialData,
    fiche_idx: HashMap<RomeCode, usize>,
    appellation_idx: HashMap<OgrCode, usize>,
    item_idx: HashMap<OgrCode, ItemSlot>,
}

impl Deref for Referential {
    type Target = ReferentialData;
    fn deref(&self) -> &ReferentialData {
        &self.data
    }
}

impl Referential {
    /// Sorts fiches by code and appellations by OGR code, then indexes them.
    pub fn new(mut data: ReferentialData) -> Self {
        data.fiches.sort_by_key(|f| f.code);
        data.appellations.sort_by_key(|a| a.ogr);
        let fiche_idx = data
            .fiches
            .iter()
            .enumerate()
            .map(|(i, f)| (f.code, i))
            .collect();
        let appellation_idx = data
            .appellations
            .iter()
            .enumerate()
            .map(|(i, a)| (a.ogr, i))
            .collect();
        let mut item_idx = HashMap::with_capacity(
            data.competences.len() + data.savoirs.len() + data.contextes.len(),
        );
        for (i, c) in data.competences.iter().enumerate() {
            item_idx.insert(c.ogr, ItemSlot::Competence(i));
        }
        for (i, s) in data.savoirs.iter().enumerate() {
            item_idx.insert(s.ogr, ItemSlot::Savoir(i));
        }
        for (i, c) in data.contextes.iter().enumerate() {
            item_idx.insert(c.ogr, ItemSlot::Contexte(i));
        }
        Referential {
            data,
            fiche_idx,
            appellation_idx,
            item_idx,
        }
    }

    pub fn data(&self) -> &ReferentialData {
        &self.data
    }

    pub fn into_data(self) -> ReferentialData {
        self.data
    }

    pub fn fiche(&self, code: RomeCode) -> Option<&Fiche> {
        self.fiche_idx.get(&code).map(|&i| &self.data.fiches[i])
    }

    /// Position of a fiche in [`ReferentialData::fiches`] (dense index for the engine).
    pub fn fiche_index(&self, code: RomeCode) -> Option<usize> {
        self.fiche_idx.get(&code).copied()
    }

    pub fn appellation(&self, ogr: OgrCode) -> Option<&Appellation> {
        self.appellation_idx
            .get(&ogr)
            .map(|&i| &self.data.appellations[i])
    }

    pub fn item(&self, ogr: OgrCode) -> Option<ItemRef<'_>> {
        self.item_idx.get(&ogr).map(|slot| match *slot {
            ItemSlot::Competence(i) => ItemRef::Competence(&self.data.competences[i]),
            ItemSlot::Savoir(i) => ItemRef::Savoir(&self.data.savoirs[i]),
            ItemSlot::Contexte(i) => ItemRef::Contexte(&self.data.contextes[i]),
        })
    }

    pub fn competence(&self, ogr: OgrCode) -> Option<&Competence> {
        match self.item(ogr)? {
            ItemRef::Competence(c) => Some(c),
            _ => None,
        }
    }

    pub fn savoir(&self, ogr: OgrCode) -> Option<&Savoir> {
        match self.item(ogr)? {
            ItemRef::Savoir(s) => Some(s),
            _ => None,
        }
    }

    pub fn contexte(&self, ogr: OgrCode) -> Option<&Contexte> {
        match self.item(ogr)? {
            ItemRef::Contexte(c) => Some(c),
            _ => None,
        }
    }

    pub fn domaine(&self, code: &str) -> Option<&Domaine> {
        self.data.domaines.iter().find(|d| d.code == code)
    }

    /// The appellations of a fiche, principal one first.
    pub fn appellations_of(&self, fiche: &Fiche) -> Vec<&Appellation> {
        fiche
            .appellations
            .iter()
            .filter_map(|&o| self.appellation(o))
            .collect()
    }
}
