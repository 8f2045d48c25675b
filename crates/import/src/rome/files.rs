//! The files of the official ROME 4.0 CSV set: which ones Passerelle needs,
//! which ones it takes when present, and the exact header of each.
//!
//! Headers are checked column by column: a reordered or renamed column in a
//! new release must stop the import with a clear message rather than shift
//! every value into the wrong field.

/// One file of the official set, named `unix_<stem>_vNNN_utf8.csv`.
#[derive(Debug, Clone, Copy)]
pub struct FileSpec {
    /// The part of the name between `unix_` and `_vNNN_utf8.csv`.
    pub stem: &'static str,
    /// Expected header, in order.
    pub columns: &'static [&'static str],
    /// Whether the import fails when the file is absent.
    pub required: bool,
    /// What the file becomes in Passerelle (French, for docs and reports).
    pub role: &'static str,
}

impl FileSpec {
    /// The file name in a set of version `file_version` (`460`).
    pub fn file_name(&self, file_version: u32) -> String {
        format!("unix_{}_v{}_utf8.csv", self.stem, file_version)
    }
}

macro_rules! spec {
    ($stem:literal, $required:expr, $role:literal, [$($col:literal),* $(,)?]) => {
        FileSpec { stem: $stem, columns: &[$($col),*], required: $required, role: $role }
    };
}

pub const REFERENTIEL_CODE_ROME: FileSpec = spec!(
    "referentiel_code_rome",
    true,
    "fiches métiers (code, titre, code parent, tags)",
    [
        "code_rome",
        "code_fiche_metier",
        "code_ogr",
        "libelle_rome",
        "transition_eco",
        "transition_num",
        "transition_demo",
        "emploi_reglemente",
        "emploi_cadre",
        "code_rome_parent"
    ]
);
pub const REFERENTIEL_APPELLATION: FileSpec = spec!(
    "referentiel_appellation",
    true,
    "appellations (intitulés d'emploi) et leurs tags",
    [
        "code_ogr",
        "libelle_appellation_long",
        "libelle_appellation_court",
        "code_rome",
        "transition_eco",
        "transition_num",
        "transition_demo",
        "emploi_reglemente",
        "emploi_cadre",
        "classification",
        "origine",
        "code_rome_parent",
        "peu_usite"
    ]
);
pub const GRAND_DOMAINE: FileSpec = spec!(
    "grand_domaine",
    true,
    "grands domaines",
    ["code_grand_domaine", "libelle_grand_domaine"]
);
pub const DOMAINE_PROFESSIONNEL: FileSpec = spec!(
    "domaine_professionnel",
    true,
    "domaines professionnels",
    [
        "code_domaine_professionnel",
        "libelle_domaine_professionnel"
    ]
);
pub const REFERENTIEL_COMPETENCE: FileSpec = spec!(
    "referentiel_competence",
    true,
    "compétences et macro-compétences (savoir-faire, savoir-être professionnels)",
    [
        "code_ogr",
        "nature",
        "libelle_competence",
        "definition",
        "code_ogr_macro_comp",
        "code_macro_comp",
        "cat_comp",
        "sous_cat_comp",
        "transition_eco",
        "transition_num",
        "libelle_heterogeneite",
        "libelle_origine"
    ]
);
pub const REFERENTIEL_SAVOIR: FileSpec = spec!(
    "referentiel_savoir",
    true,
    "savoirs (dont certifications et habilitations)",
    [
        "code_ogr_savoir",
        "libelle_savoir",
        "categorie_savoir",
        "sous_categorie_savoir",
        "transition_eco",
        "transition_num"
    ]
);
pub const REFERENTIEL_CONTEXTE: FileSpec = spec!(
    "referentiel_contexte_travail",
    true,
    "contextes de travail et leur type",
    [
        "code_ogr",
        "libelle_cont_travail",
        "code_type_cont_trav",
        "libelle_type_cont_trav"
    ]
);
pub const ITEM: FileSpec = spec!(
    "item",
    true,
    "liste de contrôle de tous les items (chaque item doit exister dans un référentiel)",
    ["code_ogr", "libelle", "code_rubrique"]
);
pub const LIENS_ROME_REFERENTIELS: FileSpec = spec!(
    "liens_rome_referentiels",
    true,
    "liens fiche → appellations, savoir-faire, savoir-être, savoirs, contextes",
    ["code_rome", "code_compo_bloc", "code_rubrique", "code_ogr"]
);
pub const COHERENCE_ITEM: FileSpec = spec!(
    "coherence_item",
    true,
    "indicateur « cœur de métier » de chaque lien fiche → item",
    ["code_rome", "code_ogr", "coeur_metier"]
);
pub const TEXTE: FileSpec = spec!(
    "texte",
    true,
    "définition et accès au métier des fiches",
    [
        "code_rome",
        "code_compo_bloc",
        "libelle_type_texte",
        "position_phrase",
        "libelle_texte"
    ]
);
pub const CODE_ROME_RIASEC: FileSpec = spec!(
    "referentiel_code_rome_riasec",
    true,
    "RIASEC des fiches",
    ["code_rome", "riasec_majeur", "riasec_mineur"]
);
pub const MACRO_COMPETENCE_RIASEC: FileSpec = spec!(
    "referentiel_macro_competence_riasec",
    true,
    "RIASEC des macro-compétences",
    ["code_ogr", "riasec_majeur", "riasec_mineur"]
);

pub const CR_GD_DP: FileSpec = spec!(
    "cr_gd_dp",
    false,
    "contrôle : fiche → domaine professionnel → grand domaine",
    [
        "code_rome",
        "libelle_rome",
        "code_grand_domaine",
        "libelle_grand_domaine",
        "code_domaine_professionel",
        "libelle_domaine_professionel"
    ]
);
pub const CR_GD_DP_APPELLATIONS: FileSpec = spec!(
    "cr_gd_dp_appellations",
    false,
    "contrôle : arborescence grands domaines → domaines → fiches → appellations",
    [
        "code_grand_domaine",
        "code_domaine_professionnel",
        "numero_fiche_rome",
        "intitule",
        "libelle_appellation_long",
        "libelle_appellation_court",
        "type_provenance",
        "code_fiche",
        "ogr_rome",
        "ogr_appellation"
    ]
);
pub const CENTRE_INTERET: FileSpec = spec!(
    "centre_interet",
    false,
    "centres d'intérêt",
    [
        "code_centre_interet",
        "libelle_centre_interet",
        "definition_centre_interet"
    ]
);
pub const ARBORESCENCE_CENTRE_INTERET: FileSpec = spec!(
    "arborescence_centre_interet",
    false,
    "liens fiche → centres d'intérêt",
    [
        "code_centre_interet",
        "libelle_centre_interet",
        "code_ogr_rome",
        "code_rome",
        "libelle_rome",
        "principal"
    ]
);
pub const SECTEUR_ACTIVITE: FileSpec = spec!(
    "secteur_activite",
    false,
    "secteurs d'activité",
    [
        "code_sect_activite",
        "libelle_sect_activite",
        "definition_sect_activite"
    ]
);
pub const SOUS_SECTEUR_ACTIVITE: FileSpec = spec!(
    "sous_secteur_activite",
    false,
    "sous-secteurs d'activité",
    [
        "code_ss_sect_activite",
        "libelle_ss_sect_activite",
        "definition_ss_sect_activite",
        "code_sect_activite"
    ]
);
pub const ARBORESCENCE_SECTEUR_ACTIVITE: FileSpec = spec!(
    "arborescence_secteur_activite",
    false,
    "liens fiche → secteurs et sous-secteurs d'activité",
    [
        "code_sect_activite",
        "libelle_sect_activite",
        "code_ss_sect_activite",
        "libelle_ss_sect_activite",
        "code_ogr_rome",
        "code_rome",
        "libelle_rome",
        "principal"
    ]
);
pub const SECTEUR_NAF: FileSpec = spec!(
    "secteur_naf",
    false,
    "secteurs NAF",
    [
        "code_tech_secteur_naf",
        "code_secteur_naf",
        "libelle_secteur_naf"
    ]
);
pub const ARBORESCENCE_SECTEUR_NAF: FileSpec = spec!(
    "arborescence_secteur_naf",
    false,
    "liens fiche → secteurs NAF (fichier publié en ISO-8859-15 malgré son nom)",
    [
        "code_secteur_naf",
        "libelle_secteur_naf",
        "code_ogr_rome",
        "code_rome",
        "libelle_rome"
    ]
);
pub const THEMES: FileSpec = spec!(
    "themes",
    false,
    "thèmes",
    ["code_theme", "libelle_theme", "definition_theme"]
);
pub const ARBORESCENCE_THEMATIQUE: FileSpec = spec!(
    "arborescence_thematique",
    false,
    "liens fiche → thèmes",
    [
        "code_theme",
        "libelle_theme",
        "code_ogr_rome",
        "code_rome",
        "libelle_rome"
    ]
);
pub const ARBORESCENCE_COMPETENCES: FileSpec = spec!(
    "arborescence_competences",
    false,
    "domaine de compétence → enjeu → objectif au-dessus des macro-compétences",
    [
        "code_domaine_competence",
        "domaine_competence",
        "code_enjeu",
        "enjeu",
        "code_objectif",
        "objectif",
        "code_macro_competence",
        "code_ogr_macro_competence",
        "libelle_macro_competence",
        "code_ogr_competence",
        "libelle_competence"
    ]
);
pub const COMPOSITION_BLOC: FileSpec = spec!(
    "composition_bloc",
    false,
    "contrôle : blocs des fiches (les blocs utilisés par les liens doivent y figurer)",
    ["code_compo_bloc", "libelle_bloc"]
);
pub const DESCRIPTIF_RUBRIQUE: FileSpec = spec!(
    "descriptif_rubrique",
    false,
    "contrôle : rubriques du bloc compétences",
    [
        "code_rubrique",
        "code_compo_bloc",
        "position_rubrique",
        "libelle_rubrique"
    ]
);
pub const TYPE_REFERENTIEL: FileSpec = spec!(
    "type_referentiel",
    false,
    "types de référentiel (vide dans les versions publiées)",
    ["code_type_referentiel", "libelle_type_referentiel"]
);

/// Every file Passerelle knows, required ones first, in reading order.
pub const FILES: &[FileSpec] = &[
    REFERENTIEL_CODE_ROME,
    REFERENTIEL_APPELLATION,
    GRAND_DOMAINE,
    DOMAINE_PROFESSIONNEL,
    REFERENTIEL_COMPETENCE,
    REFERENTIEL_SAVOIR,
    REFERENTIEL_CONTEXTE,
    ITEM,
    LIENS_ROME_REFERENTIELS,
    COHERENCE_ITEM,
    TEXTE,
    CODE_ROME_RIASEC,
    MACRO_COMPETENCE_RIASEC,
    CR_GD_DP,
    CR_GD_DP_APPELLATIONS,
    CENTRE_INTERET,
    ARBORESCENCE_CENTRE_INTERET,
    SECTEUR_ACTIVITE,
    SOUS_SECTEUR_ACTIVITE,
    ARBORESCENCE_SECTEUR_ACTIVITE,
    SECTEUR_NAF,
    ARBORESCENCE_SECTEUR_NAF,
    THEMES,
    ARBORESCENCE_THEMATIQUE,
    ARBORESCENCE_COMPETENCES,
    COMPOSITION_BLOC,
    DESCRIPTIF_RUBRIQUE,
    TYPE_REFERENTIEL,
];

/// Files published in ISO-8859-15 although their name says UTF-8: decoded
/// with a warning instead of failing.
pub const KNOWN_LATIN9: &[&str] = &["arborescence_secteur_naf"];

/// Splits `unix_<stem>_v<NNN>_utf8.csv` into its stem and version number.
pub fn parse_file_name(name: &str) -> Option<(&str, u32)> {
    let rest = name.strip_prefix("unix_")?.strip_suffix("_utf8.csv")?;
    let (stem, version) = rest.rsplit_once("_v")?;
    if stem.is_empty() || version.is_empty() || !version.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((stem, version.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_split_into_stem_and_version() {
        assert_eq!(
            parse_file_name("unix_referentiel_code_rome_v460_utf8.csv"),
            Some(("referentiel_code_rome", 460))
        );
        assert_eq!(
            parse_file_name("unix_item_v461_utf8.csv"),
            Some(("item", 461))
        );
        assert_eq!(parse_file_name("unix_item_vx_utf8.csv"), None);
        assert_eq!(parse_file_name("item_v460_utf8.csv"), None);
        assert_eq!(
            REFERENTIEL_CODE_ROME.file_name(460),
            "unix_referentiel_code_rome_v460_utf8.csv"
        );
    }

    #[test]
    fn stems_are_unique() {
        let mut stems: Vec<_> = FILES.iter().map(|f| f.stem).collect();
        stems.sort();
        stems.dedup();
        assert_eq!(stems.len(), FILES.len());
    }
}
