//! One row type per official file, read by column name and borrowed from
//! the parsed record (no copy of the cells) (the header is
//! checked against [`super::files`] first, so a renamed column stops the
//! import before any row is read). Every field is the trimmed text of its
//! cell: the builder validates values itself so that each bad value becomes
//! a counted issue naming the line, not a failed import. (No `flatten`: it
//! would make the CSV deserializer guess types, reading `1` as a number.)

use serde::Deserialize;

/// A row with the line it starts on (the header is line 1).
pub(crate) struct Line<T> {
    pub line: u64,
    pub row: T,
}

#[derive(Deserialize)]
pub(crate) struct GrandDomaineRow<'a> {
    #[serde(rename = "code_grand_domaine")]
    pub code: &'a str,
    #[serde(rename = "libelle_grand_domaine")]
    pub label: &'a str,
}

#[derive(Deserialize)]
pub(crate) struct DomaineRow<'a> {
    #[serde(rename = "code_domaine_professionnel")]
    pub code: &'a str,
    #[serde(rename = "libelle_domaine_professionnel")]
    pub label: &'a str,
}

#[derive(Deserialize)]
pub(crate) struct FicheRow<'a> {
    pub code_rome: &'a str,
    pub code_fiche_metier: &'a str,
    pub code_ogr: &'a str,
    pub libelle_rome: &'a str,
    pub transition_eco: &'a str,
    pub transition_num: &'a str,
    pub transition_demo: &'a str,
    pub emploi_reglemente: &'a str,
    pub emploi_cadre: &'a str,
    pub code_rome_parent: &'a str,
}

#[derive(Deserialize)]
pub(crate) struct AppellationRow<'a> {
    pub code_ogr: &'a str,
    pub libelle_appellation_long: &'a str,
    pub libelle_appellation_court: &'a str,
    pub code_rome: &'a str,
    pub transition_eco: &'a str,
    pub transition_num: &'a str,
    pub transition_demo: &'a str,
    pub emploi_reglemente: &'a str,
    pub emploi_cadre: &'a str,
    pub classification: &'a str,
    pub origine: &'a str,
    pub code_rome_parent: &'a str,
    pub peu_usite: &'a str,
}

#[derive(Deserialize)]
pub(crate) struct CompetenceRow<'a> {
    pub code_ogr: &'a str,
    pub nature: &'a str,
    pub libelle_competence: &'a str,
    pub definition: &'a str,
    pub code_ogr_macro_comp: &'a str,
    pub code_macro_comp: &'a str,
    pub cat_comp: &'a str,
    pub sous_cat_comp: &'a str,
    pub transition_eco: &'a str,
    pub transition_num: &'a str,
    pub libelle_heterogeneite: &'a str,
    pub libelle_origine: &'a str,
}

#[derive(Deserialize)]
pub(crate) struct SavoirRow<'a> {
    pub code_ogr_savoir: &'a str,
    pub libelle_savoir: &'a str,
    pub categorie_savoir: &'a str,
    pub sous_categorie_savoir: &'a str,
    pub transition_eco: &'a str,
    pub transition_num: &'a str,
}

#[derive(Deserialize)]
pub(crate) struct ContexteRow<'a> {
    pub code_ogr: &'a str,
    pub libelle_cont_travail: &'a str,
    pub code_type_cont_trav: &'a str,
    pub libelle_type_cont_trav: &'a str,
}

/// `referentiel_macro_competence_riasec` (`code_ogr`) and
/// `referentiel_code_rome_riasec` (`code_rome`).
#[derive(Deserialize)]
pub(crate) struct RiasecRow<'a> {
    #[serde(alias = "code_ogr", alias = "code_rome")]
    pub code: &'a str,
    pub riasec_majeur: &'a str,
    pub riasec_mineur: &'a str,
}

#[derive(Deserialize)]
pub(crate) struct ItemRow<'a> {
    pub code_ogr: &'a str,
    pub libelle: &'a str,
}

#[derive(Deserialize)]
pub(crate) struct LienRow<'a> {
    pub code_rome: &'a str,
    pub code_compo_bloc: &'a str,
    pub code_rubrique: &'a str,
    pub code_ogr: &'a str,
}

#[derive(Deserialize)]
pub(crate) struct CoherenceRow<'a> {
    pub code_rome: &'a str,
    pub code_ogr: &'a str,
    pub coeur_metier: &'a str,
}

#[derive(Deserialize)]
pub(crate) struct TexteRow<'a> {
    pub code_rome: &'a str,
    pub libelle_type_texte: &'a str,
    pub position_phrase: &'a str,
    pub libelle_texte: &'a str,
}

#[derive(Deserialize)]
pub(crate) struct CrGdDpRow<'a> {
    pub code_rome: &'a str,
    pub code_grand_domaine: &'a str,
    /// Spelt so in the official file.
    pub code_domaine_professionel: &'a str,
}

#[derive(Deserialize)]
pub(crate) struct CrGdDpAppellationRow<'a> {
    pub code_grand_domaine: &'a str,
    pub code_domaine_professionnel: &'a str,
    pub intitule: &'a str,
    pub type_provenance: &'a str,
    pub ogr_rome: &'a str,
    pub ogr_appellation: &'a str,
}

/// `centre_interet`, `secteur_activite`, `themes`: code, label, definition.
#[derive(Deserialize)]
pub(crate) struct ClassificationRow<'a> {
    #[serde(
        alias = "code_centre_interet",
        alias = "code_sect_activite",
        alias = "code_theme"
    )]
    pub code: &'a str,
    #[serde(
        alias = "libelle_centre_interet",
        alias = "libelle_sect_activite",
        alias = "libelle_theme"
    )]
    pub label: &'a str,
    #[serde(
        alias = "definition_centre_interet",
        alias = "definition_sect_activite",
        alias = "definition_theme"
    )]
    pub definition: &'a str,
}

#[derive(Deserialize)]
pub(crate) struct SousSecteurRow<'a> {
    pub code_ss_sect_activite: &'a str,
    pub libelle_ss_sect_activite: &'a str,
    pub definition_ss_sect_activite: &'a str,
    pub code_sect_activite: &'a str,
}

#[derive(Deserialize)]
pub(crate) struct SecteurNafRow<'a> {
    pub code_secteur_naf: &'a str,
    pub libelle_secteur_naf: &'a str,
}

/// The `arborescence_*` files linking fiches to a classification: the link
/// goes to the sous-secteur when the file has one and it is filled.
#[derive(Deserialize)]
pub(crate) struct FicheLinkRow<'a> {
    #[serde(
        alias = "code_centre_interet",
        alias = "code_sect_activite",
        alias = "code_secteur_naf",
        alias = "code_theme"
    )]
    pub code: &'a str,
    #[serde(default)]
    pub code_ss_sect_activite: &'a str,
    pub code_rome: &'a str,
    pub libelle_rome: &'a str,
    /// Absent from the NAF and thematic files.
    #[serde(default, borrow)]
    pub principal: Option<&'a str>,
}

#[derive(Deserialize)]
pub(crate) struct BrancheRow<'a> {
    pub code_domaine_competence: &'a str,
    pub domaine_competence: &'a str,
    pub code_enjeu: &'a str,
    pub enjeu: &'a str,
    pub code_objectif: &'a str,
    pub objectif: &'a str,
    pub code_ogr_macro_competence: &'a str,
    pub code_ogr_competence: &'a str,
}

impl FicheRow<'_> {
    pub fn tags(&self) -> [&str; 5] {
        [
            self.transition_eco,
            self.transition_num,
            self.transition_demo,
            self.emploi_reglemente,
            self.emploi_cadre,
        ]
    }
}

impl AppellationRow<'_> {
    pub fn tags(&self) -> [&str; 5] {
        [
            self.transition_eco,
            self.transition_num,
            self.transition_demo,
            self.emploi_reglemente,
            self.emploi_cadre,
        ]
    }
}

/// Files read for control only: the row's content is not looked at.
#[derive(Deserialize)]
pub(crate) struct ControlRow {}
