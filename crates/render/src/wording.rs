//! Every label and fixed sentence of the documents, written once and read
//! by the three formats: the askama templates (HTML, Markdown) through
//! [`WORDING`], the typst templates through its JSON (`sys.inputs.wording`).
//! Change a label here and it changes in HTML, Markdown and PDF alike.
//!
//! The sentences the builders write into the models are here too
//! ([`SENTENCES`], templates filled by [`fill`]): built once into the model,
//! they reach every format, and the JSON, from there.

use serde::Serialize;

use passerelle_core::RiasecLetter;

use crate::document::{BlocStatus, NON_DISPONIBLE, NOTICE};

/// The wording of the documents (French).
#[derive(Debug, Clone, Serialize)]
pub struct Wording {
    pub notice: &'static str,
    pub non_disponible: &'static str,
    /// Prefix of a source line: "Source : …".
    pub source: &'static str,
    /// "12 sur 40".
    pub sur: &'static str,
    /// "Édition du 23/11/2026" (capitalised at the start of a line).
    pub edition_du: &'static str,
    pub score_combine: &'static str,
    pub pour_aller_plus_loin: &'static str,
    pub acces_metier: &'static str,
    pub en_bref: &'static str,
    pub page: &'static str,

    // Training offers (both documents).
    pub col_formation: &'static str,
    pub col_organisme: &'static str,
    pub col_lieu: &'static str,
    pub col_duree: &'static str,
    pub col_modalites: &'static str,
    /// Conditions of one offer: "Public : …", "Prérequis : …", "Rythme : …".
    pub public: &'static str,
    pub prerequis: &'static str,
    pub rythme: &'static str,

    // Fiche passerelle: cover.
    pub fiche_passerelle: &'static str,
    pub fiche_rome: &'static str,
    pub departement: &'static str,
    pub sommaire: &'static str,
    pub metiers_sources_proches: &'static str,

    // Fiche passerelle: sections, in seed 000's order.
    pub methode_transversale: &'static str,
    pub territoire: &'static str,
    pub col_indicateur: &'static str,
    pub col_valeur: &'static str,
    pub col_source: &'static str,
    pub definition_missions: &'static str,
    pub definition_emploi: &'static str,
    pub missions: &'static str,
    pub source_textes_rome: &'static str,
    pub profil_transversal: &'static str,
    pub provenance: &'static str,
    pub radar_legende: &'static str,
    pub radar_alt: &'static str,
    pub col_competence: &'static str,
    pub col_categorie: &'static str,
    pub col_importance: &'static str,
    pub col_niveau: &'static str,
    pub col_situation: &'static str,
    /// "3 étoiles sur 5" (screen readers).
    pub etoiles_sur_5: &'static str,
    pub descriptif: &'static str,
    pub certifications: &'static str,
    pub niveau: &'static str,
    /// A certification listed without its blocs.
    pub blocs_non_disponibles: &'static str,
    /// Above the list of certifications when none has its blocs.
    pub certifications_sans_blocs: &'static str,
    pub col_certification: &'static str,
    pub col_numero_rncp: &'static str,
    /// How specifically a certification leads to the job.
    pub col_rattachement: &'static str,
    /// When no certification is within one level of the job's access level.
    pub aucune_certification_de_ces_niveaux: &'static str,
    /// The HTML disclosure of the certifications counted in one line.
    pub voir_la_liste: &'static str,
    pub savoir_etre: &'static str,
    pub entretiens: &'static str,
    pub aucun_entretien: &'static str,
    /// Shorter form, where the heading already names the place.
    pub aucun_entretien_court: &'static str,
    pub entretiens_employeurs: &'static str,
    pub contenu_redige: &'static str,
    pub non_calcule: &'static str,
    pub riasec: &'static str,
    pub riasec_fiche: &'static str,
    pub sources: &'static str,
    pub col_rang: &'static str,
    pub col_metier_source: &'static str,
    pub col_code: &'static str,
    pub col_transversales: &'static str,
    pub col_savoirs: &'static str,
    pub col_savoir_faire: &'static str,
    pub col_contextes: &'static str,
    pub col_score: &'static str,
    pub col_viabilite: &'static str,
    /// The viability column where the tier labels lose their "passerelle ".
    pub col_passerelle: &'static str,
    pub ecarts: &'static str,
    pub col_axe: &'static str,
    pub col_couverture: &'static str,
    pub col_acquis: &'static str,
    pub col_a_acquerir: &'static str,
    pub axe_transversales: &'static str,
    pub axe_savoirs: &'static str,
    pub axe_savoir_faire: &'static str,
    pub axe_contextes: &'static str,
    /// Seed 000's three transversal lists.
    pub ct_adaptees: &'static str,
    pub ct_plus_elevees: &'static str,
    pub ct_a_faire_evoluer: &'static str,
    /// Savoirs split as seed 000 does.
    pub savoirs_acquis: &'static str,
    pub savoirs_a_acquerir: &'static str,
    pub connaissances_pro: &'static str,
    pub savoir_faire_pro: &'static str,
    /// "X (proche de Y)": the source's nearest item.
    pub proche_de: &'static str,
    pub contextes_similaires: &'static str,
    pub contextes_nouveaux: &'static str,
    /// An empty list of the gap.
    pub aucun: &'static str,
    /// A competency an estimated profile does not assess (no evidence).
    pub non_estimee: &'static str,
    /// Items to acquire that make the core of the target job (docs/methode.md § 9).
    pub coeur_metier: &'static str,
    /// The other items to acquire: they depend on the post.
    pub selon_poste: &'static str,
    pub offre_formation: &'static str,
    /// Without a training offer: the certifications listed instead.
    pub certifications_menant: &'static str,
    /// The target's own other titles.
    pub appellations_cible: &'static str,
    /// Markdown's call of a figure's notes: "(note 1)", "(notes 2, 3)".
    pub note_renvoi: &'static str,
    pub notes_renvoi: &'static str,
    /// When the target's fiche has no other title.
    pub aucune_autre_appellation: &'static str,
    /// Heading of the territorial figures' numbered qualifiers.
    pub notes: &'static str,
    pub autres_appellations: &'static str,
    pub annexe: &'static str,
    pub methodes: &'static str,
    pub sources_licences: &'static str,

    // Parcours de mobilité.
    pub parcours: &'static str,
    /// "Parcours de mobilité – A vers B".
    pub vers: &'static str,
    pub metier_vise: &'static str,
    pub transferables: &'static str,
    /// "Activités de <métier source>".
    pub col_activites_de: &'static str,
    pub col_degre: &'static str,
    pub col_degre_court: &'static str,
    pub col_explication: &'static str,
    pub a_acquerir: &'static str,
    pub aucun_ecart: &'static str,
    pub itineraires: &'static str,
    pub aucun_itineraire: &'static str,
    pub apprendre: &'static str,
    pub rien_a_apprendre: &'static str,
    pub certification: &'static str,
    pub col_bloc: &'static str,
    pub col_pour_ce_profil: &'static str,
    /// Above the sentences that say which items each bloc prepares.
    pub blocs_couverture: &'static str,
    pub bloc_dispense: &'static str,
    pub bloc_allege: &'static str,
    pub bloc_a_suivre: &'static str,
    pub formations_proximite: &'static str,
    pub sources_parcours: &'static str,
}

impl Wording {
    /// The label of a certification bloc's status.
    pub fn bloc_status(&self, s: BlocStatus) -> &'static str {
        match s {
            BlocStatus::Dispense => self.bloc_dispense,
            BlocStatus::Allege => self.bloc_allege,
            BlocStatus::ASuivre => self.bloc_a_suivre,
        }
    }
}

/// The wording every document uses.
pub const WORDING: Wording = Wording {
    notice: NOTICE,
    non_disponible: NON_DISPONIBLE,
    source: "Source",
    sur: "sur",
    edition_du: "édition du",
    score_combine: "Score combiné",
    pour_aller_plus_loin: "Pour aller plus loin",
    acces_metier: "Accès au métier",
    en_bref: "En bref",
    page: "Page",

    col_formation: "Formation",
    col_organisme: "Organisme",
    col_lieu: "Lieu",
    col_duree: "Durée",
    col_modalites: "Modalités",
    public: "Public",
    prerequis: "Prérequis",
    rythme: "Rythme",

    fiche_passerelle: "Fiche passerelle",
    fiche_rome: "Fiche ROME",
    departement: "Département",
    sommaire: "Sommaire",
    metiers_sources_proches: "métiers sources les plus proches",

    methode_transversale: "Compétences transversales : la méthode",
    territoire: "Contexte territorial",
    col_indicateur: "Indicateur",
    col_valeur: "Valeur",
    col_source: "Source",
    definition_missions: "Définition et missions",
    definition_emploi: "Définition de l'emploi",
    missions: "Missions",
    source_textes_rome: "textes de la fiche ROME.",
    profil_transversal: "Profil de compétences transversales",
    provenance: "Provenance",
    radar_legende: "Niveau d'expertise (0 à 4) de chaque compétence.",
    radar_alt: "Radar du profil de compétences transversales",
    col_competence: "Compétence",
    col_categorie: "Catégorie",
    col_importance: "Importance",
    col_niveau: "Niveau",
    col_situation: "En situation de travail",
    etoiles_sur_5: "étoiles sur 5",
    descriptif: "Descriptif métier",
    certifications: "Certifications et blocs de compétences",
    niveau: "niveau",
    blocs_non_disponibles: "Blocs de compétences : non disponibles dans les données importées.",
    certifications_sans_blocs: "Certifications qui mènent au métier ; leurs blocs de compétences ne sont pas dans les données importées.",
    col_certification: "Certification",
    col_numero_rncp: "Fiche RNCP",
    col_rattachement: "Rattachement au métier",
    aucune_certification_de_ces_niveaux: "Aucune certification de ces niveaux n'est rattachée au métier dans la source.",
    voir_la_liste: "voir la liste",
    savoir_etre: "Savoir-être professionnels",
    entretiens: "Descriptif métier selon les entretiens employeurs",
    aucun_entretien: "Aucun entretien employeur saisi pour ce métier dans ce département",
    aucun_entretien_court: "Aucun entretien employeur saisi",
    entretiens_employeurs: "entretiens employeurs",
    contenu_redige: "Contenu rédigé",
    non_calcule: "non calculé",
    riasec: "Profil RIASEC",
    riasec_fiche: "Profil RIASEC de la fiche",
    sources: "Métiers sources",
    col_rang: "#",
    col_metier_source: "Métier source",
    col_code: "Code",
    col_transversales: "Transversales",
    col_savoirs: "Savoirs",
    col_savoir_faire: "Savoir-faire",
    col_contextes: "Contextes",
    col_score: "Score",
    col_viabilite: "Viabilité",
    col_passerelle: "Passerelle",
    ecarts: "Analyse des écarts",
    col_axe: "Axe",
    col_couverture: "Couverture",
    col_acquis: "Déjà acquis",
    col_a_acquerir: "À acquérir",
    axe_transversales: "Compétences transversales",
    axe_savoirs: "Savoirs",
    axe_savoir_faire: "Savoir-faire",
    axe_contextes: "Contextes de travail",
    ct_adaptees: "Compétences adaptées",
    ct_plus_elevees: "Compétences les plus élevées",
    ct_a_faire_evoluer: "Compétences à faire évoluer",
    savoirs_acquis: "Savoirs déjà acquis",
    savoirs_a_acquerir: "Savoirs à acquérir",
    connaissances_pro: "Connaissances professionnelles",
    savoir_faire_pro: "Savoir-faire professionnels",
    proche_de: "proche de",
    contextes_similaires: "Contextes similaires",
    contextes_nouveaux: "Contextes nouveaux",
    aucun: "aucun élément",
    non_estimee: "non estimée",
    coeur_metier: "Cœur du métier",
    selon_poste: "Selon le poste",
    offre_formation: "Offre de formation",
    certifications_menant: "Certifications qui mènent au métier",
    appellations_cible: "Autres appellations du métier",
    notes: "Notes",
    note_renvoi: "note",
    notes_renvoi: "notes",
    aucune_autre_appellation: "Aucune autre appellation dans la fiche ROME.",
    autres_appellations: "Autres appellations des métiers sources",
    annexe: "Annexe : méthodes et sources",
    methodes: "Méthodes",
    sources_licences: "Sources et licences",

    parcours: "Parcours de mobilité",
    vers: "vers",
    metier_vise: "Le métier visé",
    transferables: "Compétences transférables",
    col_activites_de: "Activités de",
    col_degre: "Degré de transférabilité",
    col_degre_court: "Degré",
    col_explication: "Explication",
    a_acquerir: "Compétences à acquérir",
    aucun_ecart: "Aucun écart relevé par le référentiel.",
    itineraires: "Itinéraires",
    aucun_itineraire: crate::routes::NO_ROUTE,
    apprendre: "Pour ouvrir d'autres passerelles depuis le métier actuel : ce qu'il faut apprendre",
    rien_a_apprendre: crate::routes::NOTHING_TO_LEARN,
    certification: "Certification",
    col_bloc: "Bloc",
    col_pour_ce_profil: "Pour ce profil",
    blocs_couverture: "Ce que chaque bloc couvre des savoirs à acquérir",
    bloc_dispense: "dispensé",
    bloc_allege: "allègement possible",
    bloc_a_suivre: "à suivre",
    formations_proximite: "Formations à proximité",
    sources_parcours: "Sources",
};

/// The words of a score's decomposition and of the figures its label is
/// decided on ([`crate::scoring`]): the CLI, the documents and the web
/// pages print them from here.
#[derive(Debug, Clone, Serialize)]
pub struct ScoreWording {
    /// The four ranking components, as named inside the decomposition.
    pub transversales: &'static str,
    pub savoirs: &'static str,
    pub savoir_faire: &'static str,
    pub contextes: &'static str,
    /// The wording similarity of the two jobs.
    pub libelles: &'static str,
    /// The bonus of a shared domaine professionnel.
    pub domaine: &'static str,
    /// The penalty of a descent of two levels or more.
    pub niveau: &'static str,
    /// "aucun savoir ni savoir-faire en commun": a figure of the rule.
    pub sans_commun: &'static str,
    pub en_commun: &'static str,
    /// Why the decomposition multiplies by ψ: shared items, none of the
    /// target's core.
    pub hors_coeur: &'static str,
    /// "en commun, seulement proche : « X » (« Y » du métier cible)".
    pub proche: &'static str,
    /// "savoir-faire maîtrisés, pondérés : 31 %".
    pub savoir_faire_maitrises: &'static str,
    /// "niveau 4 → 6": access levels of the source and the target.
    pub niveaux: &'static str,
    pub reglemente: &'static str,
    /// A long move whose prerequisite the texts do not name.
    pub apres_autre_diplome: &'static str,
    /// Summary of the expandable decomposition.
    pub detail_du_score: &'static str,
    /// Heading of the four-label rule.
    pub regle: &'static str,
    /// What the terms of a decomposition are (printed once by each output;
    /// `{axes}`, `{libelles}`, `{plancher}`, `{hors_coeur}`, `{coeur}`: the
    /// published constants).
    pub legende: &'static str,
}

/// The score wording every output uses.
pub const SCORE_WORDING: ScoreWording = ScoreWording {
    transversales: "transversales",
    savoirs: "savoirs",
    savoir_faire: "savoir-faire",
    contextes: "contextes",
    libelles: "libellés",
    domaine: "domaine",
    niveau: "niveau",
    sans_commun: "aucun savoir ni savoir-faire en commun",
    en_commun: "au moins un savoir ou savoir-faire en commun",
    hors_coeur: "aucun élément du cœur du métier cible en commun",
    proche: "en commun, seulement proche :",
    savoir_faire_maitrises: "savoir-faire maîtrisés, pondérés",
    niveaux: "niveau",
    reglemente: "métier cible réglementé",
    apres_autre_diplome: "accessible seulement après un autre diplôme",
    detail_du_score: "Détail du score",
    regle: "Règle des viabilités",
    legende: "Détail du score : poids × part de chaque axe, divisé par la somme des poids, compte pour {axes} du score ; la proximité des libellés (intitulés, descriptions et libellés des compétences des deux métiers) pour {libelles} ; s'ajoutent le bonus « domaine » (même domaine professionnel) et se retranche la pénalité « niveau » (métier source au moins deux niveaux au-dessus) ; sans aucun savoir ni savoir-faire en commun, le tout est multiplié par {plancher} ; avec des savoirs ou savoir-faire en commun mais aucun du cœur du métier cible, par {hors_coeur}. Dans ce détail, les parts de savoirs, savoir-faire et contextes sont pondérées par la rareté des éléments (et {coeur} fois plus pour un élément du cœur du métier), comptent en partie les éléments proches et se lisent dans les deux sens : elles diffèrent des pourcentages des colonnes, qui comptent à l'identique les éléments du métier cible.",
};

/// The sentences the builders write into the models (`crate::fiche`,
/// `crate::parcours`, `crate::territory`, `crate::links`): fixed ones
/// as they are, those with data as templates whose `{name}` placeholders
/// [`fill`] replaces. The formats print them from the model, never from
/// here, so that the JSON output carries the same text.
#[derive(Debug, Clone)]
pub struct Sentences {
    /// "ROME 4.0, version {number}", then its label and publication date.
    pub rome_version: &'static str,
    pub rome_version_label: &'static str,
    pub rome_version_published: &'static str,
    /// The suffix of the ROME attribution, added once to the annex line.
    pub licence_ouverte: &'static str,
    /// The fiche's "compétences transversales : la méthode" section.
    pub methode_transversale: [&'static str; 4],

    // Territorial figures (fiche) and training offers (both documents).
    pub territoire_absent: &'static str,
    pub etablissements: &'static str,
    pub etablissements_absents: &'static str,
    pub secteurs_nationaux: &'static str,
    pub organismes: &'static str,
    pub organismes_absents: &'static str,
    /// The 2021 figures filed under an older ROME code shared with other fiches.
    pub ancien_rome_couvre: &'static str,
    /// The one line of the figures the data does not give ("{items}":
    /// each missing figure with its short reason).
    pub non_disponibles: &'static str,
    /// The short reasons of that line.
    pub nd_population: &'static str,
    pub nd_chomage: &'static str,
    pub nd_bmo_sans_correspondance: &'static str,
    pub nd_bmo_sans_ligne: &'static str,
    pub nd_etablissements: &'static str,
    pub nd_tension: &'static str,
    pub nd_organismes: &'static str,
    /// The national sectors' line, which replaces the missing count of
    /// establishments with what is known.
    pub secteurs: &'static str,
    /// A 2021 figure's scope in a few words: "3 bassins sur 4, 2021".
    pub portee_partielle: &'static str,
    pub portee_complete: &'static str,
    /// The training section without any offer for the job here.
    pub formations_aucune: &'static str,
    pub formations_sans_territoire: &'static str,
    pub formations_ajout: &'static str,
    pub et_une_autre_fiche: &'static str,
    pub et_autres_fiches: &'static str,

    // Definition, profile, certifications, RIASEC (fiche).
    /// Savoir-faire groups when the enjeu arborescence is absent, in their order.
    pub activites_coeur: [&'static str; 3],
    pub niveau_acces: &'static str,
    pub niveau_acces_indetermine: &'static str,
    /// The reason given when the fiche of a job is not in the referential.
    pub fiche_introuvable: &'static str,
    pub profil_enquete: &'static str,
    pub profil_enquete_territoire: &'static str,
    pub profil_enquete_population: &'static str,
    pub profil_estime: &'static str,
    /// The radar's accessible name.
    pub radar_titre: &'static str,
    /// A bloc of the CQP: "Bloc 1 – Accueil (70 h)".
    pub bloc_cqp: &'static str,
    /// The RIASEC types R, I, A, S, E, C described, in that order.
    pub riasec_types: [&'static str; 6],
    pub riasec_explication: &'static str,

    // Sources table and annex (fiche).
    pub classement: &'static str,
    pub departement_sans_effet: &'static str,
    pub poids_du_score: &'static str,
    pub annexe_methodes: [&'static str; 6],
    pub attribution_transversales: &'static str,
    pub attribution_entretiens: &'static str,
    pub genere_le: &'static str,

    // Links to official sites (both documents).
    pub lien_metierscope: &'static str,
    pub lien_bmo_metier: &'static str,
    pub lien_bmo_departement: &'static str,
    pub lien_bmo_recherche: &'static str,
    pub lien_onisep: &'static str,
    pub lien_rncp_titre: &'static str,
    pub lien_rncp: &'static str,

    // Parcours de mobilité.
    pub je_suis: &'static str,
    pub je_souhaite: &'static str,
    /// Degrees of transferability of an activity, strongest first.
    pub degre_fort: &'static str,
    pub degre_moyen: &'static str,
    pub degre_faible: &'static str,
    pub transferabilite_methode: &'static str,
    pub activite_proche: &'static str,
    pub activite_identique: &'static str,
    pub activite_intitule_proche: &'static str,
    pub activite_explication: &'static str,
    pub atout_activite: &'static str,
    pub atouts_activites_et_savoirs: &'static str,
    pub atouts_activites: &'static str,
    pub atouts_savoirs: &'static str,
    pub atouts: &'static str,
    pub aucun_atout: &'static str,
    pub acces_certification: &'static str,
    pub acces_certification_profil: &'static str,
    pub ct_a_faire_evoluer: &'static str,
    pub certification_sans_dispense: &'static str,
    pub certification_dispenses: &'static str,
    pub blocs_couverture_resume: &'static str,
    pub bloc_couvre: &'static str,
    pub bloc_couvre_aucun: &'static str,
    pub bloc_dispense_pour_profil: &'static str,
    pub hors_blocs: &'static str,
    pub blocs_couverture_methode: &'static str,
}

/// The sentences every document uses.
pub const SENTENCES: Sentences = Sentences {
    rome_version: "ROME 4.0, version {number}",
    rome_version_label: " ({label})",
    rome_version_published: ", mise à jour du {date}",
    licence_ouverte: " — Licence Ouverte / Open Licence 2.0",
    methode_transversale: [
        "Les compétences transversales sont des compétences génériques, mobilisables dans diverses situations professionnelles : elles ne dépendent pas d'un contexte professionnel particulier mais sont indispensables à l'exercice d'un grand nombre de métiers.",
        "La nomenclature utilisée (celle de l'AFPA, reprise par les référentiels des titres professionnels du ministère du Travail) compte 14 compétences réparties en 3 catégories : relationnelles, organisationnelles et cognitives.",
        "Pour chaque métier, chaque compétence reçoit un niveau d'expertise, de 1 (le moins élevé) à 4 (le plus élevé), et une importance-fréquence de 0 à 5 étoiles : plus la compétence est importante et fréquente dans le poste, plus le nombre d'étoiles est élevé. Des correspondances peuvent alors être établies entre métiers « proches » en compétences transversales.",
        "Un profil « enquête » provient d'entretiens avec des employeurs ; un profil « estimé » est calculé par Passerelle à partir des compétences de la fiche ROME (méthode en annexe). La provenance est toujours indiquée.",
    ],

    territoire_absent: "Contexte territorial non disponible : les données territoriales n'ont pas été importées.",
    etablissements: "Établissements employeurs",
    etablissements_absents: "aucune source ouverte importée ne donne le nombre d'établissements employeurs par département",
    secteurs_nationaux: "secteurs qui recrutent sur ce métier au niveau national : {secteurs}",
    organismes: "Organismes de formation au métier dans le département",
    organismes_absents: "aucune offre de formation importée pour ce métier dans le département",
    ancien_rome_couvre: "ce code de l'ancien ROME couvre aussi : {fiches}{autres}",
    non_disponibles: "Non disponibles pour ce département : {items}.",
    nd_population: "population (aucune population communale dans le référentiel)",
    nd_chomage: "taux de chômage (absent des taux de chômage localisés de l'Insee)",
    nd_bmo_sans_correspondance: "projets de recrutement BMO (aucun métier BMO ne correspond à cette fiche)",
    nd_bmo_sans_ligne: "projets de recrutement BMO (aucune ligne publiée pour ce métier dans le département)",
    nd_etablissements: "établissements employeurs (aucune source ouverte par département)",
    nd_tension: "offres et demandeurs d'emploi 2021 (bassins non couverts par la source)",
    nd_organismes: "organismes de formation (aucune offre importée)",
    secteurs: "Secteurs qui recrutent sur ce métier (France entière)",
    portee_partielle: "{present} bassins sur {total}, {year}",
    portee_complete: "tout le département, {year}",
    formations_aucune: "Aucune offre de formation n'est importée pour ce métier dans ce département.",
    formations_sans_territoire: "Aucune offre de formation n'est importée : les données territoriales ne l'ont pas été.",
    formations_ajout: "L'offre de formation régionale peut être ajoutée par l'administrateur de Passerelle, à partir des exports du Carif-Oref.",
    et_une_autre_fiche: " et 1 autre fiche",
    et_autres_fiches: " et {n} autres fiches",

    activites_coeur: [
        "Activités cœur de métier",
        "Activités émergentes",
        "Autres activités",
    ],
    niveau_acces: "Niveau d'accès habituel : {niveau}.",
    niveau_acces_indetermine: "Niveau d'accès habituel : non déterminé ({provenance}).",
    fiche_introuvable: "fiche introuvable",
    profil_enquete: "Profil issu d'une enquête : {source}, {date}",
    profil_enquete_territoire: ", territoire {territoire}",
    profil_enquete_population: ", profil {population}",
    profil_estime: "Profil estimé par Passerelle à partir des compétences de la fiche ROME (ROME 4.0, version {rome_version}) : à confirmer par une enquête auprès d'employeurs.",
    radar_titre: "Profil de compétences transversales : {title}",
    bloc_cqp: "Bloc {numero} – {intitule} ({heures} h)",
    riasec_types: [
        "aime les activités concrètes, manuelles ou techniques, le travail avec des outils, des machines ou en plein air",
        "aime observer, comprendre, analyser et résoudre des problèmes ; curieux, méthodique",
        "aime créer, imaginer et s'exprimer ; sensible à l'esthétique, apprécie l'autonomie",
        "aime aider, soigner, conseiller, former ; attentif aux autres, à l'écoute",
        "aime convaincre, diriger, entreprendre et prendre des décisions",
        "aime l'ordre, les règles et les procédures, le travail précis et organisé",
    ],
    riasec_explication: "Le modèle RIASEC (John L. Holland) classe les intérêts professionnels en six types : Réaliste, Investigateur, Artistique, Social, Entreprenant, Conventionnel. La fiche ROME donne un type majeur et, le cas échéant, un type mineur. Pour comparer deux métiers, Passerelle mesure la distance entre les types sur l'hexagone de Holland (information affichée, non comptée dans le score).",

    classement: "Classement des {rows} métiers sources les plus proches parmi {candidates} métiers comparés.",
    departement_sans_effet: "Le département ne change pas les scores : ils comparent les contenus des métiers ; le contexte territorial éclaire le choix.",
    poids_du_score: "Poids du score combiné : {poids}.",
    annexe_methodes: [
        "Score combiné : moyenne pondérée des taux de couverture sur quatre axes (compétences transversales, savoirs, savoir-faire, contextes de travail) ; un axe non disponible est retiré et les poids restants renormalisés.",
        "Savoirs et savoir-faire : part des éléments du métier cible déjà présents dans le métier source ; dans le classement, la pondération par la rareté des items fait compter davantage un élément que peu de métiers partagent, et un élément proche par l'intitulé compte en partie.",
        "Contextes de travail : part des contextes du métier cible déjà rencontrés dans le métier source.",
        "Compétences transversales : pour chaque compétence du profil cible, part des étoiles couverte, le déficit de niveau réduisant la couverture.",
        "Degrés de transférabilité (parcours) : Fort si au moins 66 % des savoir-faire du groupe se retrouvent dans le métier cible, Moyen à partir de 33 %, Faible en dessous.",
        "Méthode détaillée : page « Méthode » du site Passerelle.",
    ],
    attribution_transversales: "Compétences transversales : {provenance}",
    attribution_entretiens: "Entretiens employeurs : {source}",
    genere_le: "Document généré par Passerelle le {date}.",

    lien_metierscope: "France Travail – Métierscope, fiche {code} « {title} »",
    lien_bmo_metier: "France Travail – enquête BMO : chercher le métier BMO {code} « {libelle} »{departement}",
    lien_bmo_departement: " dans le département {nom}",
    lien_bmo_recherche: "France Travail – enquête BMO : chercher le métier « {title} »",
    lien_onisep: "Rechercher « {title} » sur ONISEP (page de recherche)",
    lien_rncp_titre: "France compétences : fiche RNCP{numero} « {title} »",
    lien_rncp: "France compétences : fiche RNCP{numero}",

    je_suis: "Je suis {source}",
    je_souhaite: "Je souhaite évoluer vers le métier « {target} »",
    degre_fort: "Fort",
    degre_moyen: "Moyen",
    degre_faible: "Faible",
    transferabilite_methode: "Une activité est un groupe de savoir-faire du métier actuel. Chacun de ses savoir-faire compte 1 s'il figure aussi dans le métier visé, son crédit de proximité (au plus 0,5) si le métier visé a un savoir-faire d'intitulé proche, 0 sinon ; le degré de transférabilité est la moyenne de l'activité. Fort : au moins 0,66 ; moyen : au moins 0,33 ; faible : en dessous. Seules les activités dont au moins un savoir-faire se retrouve sont listées.",
    activite_proche: "{label} (proche de « {proche} »)",
    activite_identique: "à l'identique : {items}",
    activite_intitule_proche: "par un intitulé proche : {items}",
    activite_explication: "{count} savoir-faire sur {total} dans le métier « {target} », {parts}.",
    atout_activite: "« {title} » ({degre})",
    atouts_activites_et_savoirs: "les activités {activites}, ainsi que les savoirs déjà acquis {savoirs},",
    atouts_activites: "les activités {activites}",
    atouts_savoirs: "les savoirs déjà acquis {savoirs}",
    atouts: "Le métier « {source} » a des compétences transférables vers le métier « {target} » : {atouts} sont des atouts à valoriser pour y accéder.",
    aucun_atout: "Le référentiel ne relève aucun savoir-faire ni savoir du métier « {source} » repris par le métier « {target} » : la passerelle demande une formation complète.",
    acces_certification: "Le métier est aussi accessible par la certification « {intitule} »{profil}.",
    acces_certification_profil: " ; pour le profil « {profil} », {heures} h de blocs à suivre (voir « Certification »)",
    ct_a_faire_evoluer: "Compétences transversales à faire évoluer",
    certification_sans_dispense: "Profil « {profil} » : aucun bloc n'est dispensé d'office ; {heures} h de blocs à suivre.",
    certification_dispenses: "Profil « {profil} » : {dispenses} bloc(s) dispensé(s), {alleges} bloc(s) pouvant être allégé(s) après positionnement ; {heures} h de blocs à suivre. {conditions}",
    blocs_couverture_resume: "Les blocs couvrent {n} des {total} savoirs et savoir-faire à acquérir.",
    bloc_dispense_pour_profil: " (dispensé pour ce profil)",
    bloc_couvre: "Bloc {numero} – {intitule}{statut} : couvre {n} des {total} savoirs et savoir-faire à acquérir ({items}).",
    bloc_couvre_aucun: "Bloc {numero} – {intitule}{statut} : ne couvre aucun des savoirs et savoir-faire à acquérir.",
    hors_blocs: "Aucun bloc ne prépare {items} : ces savoirs relèvent d'autres postes de la fiche ROME ou d'une formation complémentaire.",
    blocs_couverture_methode: "Correspondance établie à la main entre le programme de chaque bloc et les savoirs de la fiche ROME du métier (voir la méthode) ; à confirmer avec l'organisme de formation.",
};

impl Sentences {
    /// The description of a RIASEC type.
    pub fn riasec_type(&self, l: RiasecLetter) -> &'static str {
        let i = match l {
            RiasecLetter::R => 0,
            RiasecLetter::I => 1,
            RiasecLetter::A => 2,
            RiasecLetter::S => 3,
            RiasecLetter::E => 4,
            RiasecLetter::C => 5,
        };
        self.riasec_types[i]
    }
}

/// `template` with every `{name}` of `values` replaced by its value, in one
/// pass: a value is never read again, so data holding braces prints as it
/// is. A placeholder without a value stays as written.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 64);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let name = &after[..close];
            values
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (*v, close))
        });
        match value {
            Some((v, close)) => {
                out.push_str(v);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use typst::layout::{Frame, FrameItem};

    use super::*;
    use crate::document::*;

    /// A small fiche passerelle and parcours, written by hand (no data needed).
    fn fiche() -> FichePasserelle {
        let group = |t: &str| Group {
            title: t.into(),
            items: vec!["Accueillir <le> public".into()],
        };
        FichePasserelle {
            document: "fiche_passerelle",
            notice: NOTICE,
            cover: Cover {
                title: "Assistant / Assistante médical(e)".into(),
                id: "J1303".into(),
                code_rome: "J1303".into(),
                fiche_title: "Assistance médico-technique".into(),
                appellation: None,
                resolution: "fiche ROME".into(),
                departement: Some("34".into()),
                departement_nom: Some("Hérault".into()),
                generated_at: "2026-11-23T08:00:00Z".into(),
                generated_on: "23/11/2026".into(),
                rome_version: "ROME 4.0".into(),
            },
            methode_transversale: MethodeTransversale {
                paragraphs: vec!["Méthode.".into()],
                categories: Vec::new(),
            },
            territoire: Territoire {
                context: None,
                figures: Vec::new(),
                note: Some("Aucune donnée territoriale importée.".into()),
                non_disponibles: None,
                notes: Vec::new(),
            },
            definition: Definition {
                definition: vec!["Définition.".into()],
                acces: Vec::new(),
                missions: vec![group("Accueil")],
            },
            profil_transversal: None,
            descriptif: Descriptif {
                certifications: Vec::new(),
                certifications_sans_blocs: Some(CertificationList {
                    regle: "Règle des certifications.".into(),
                    items: vec![CertificationBrief {
                        intitule: "CAP <boulanger>".into(),
                        numero: Some("RNCP37537".into()),
                        niveau: Some(3),
                        rattachement: "ce seul code ROME".into(),
                    }],
                    autres: vec![CertificationBrief {
                        intitule: "Master mention démographie".into(),
                        numero: None,
                        niveau: Some(7),
                        rattachement: "3 codes ROME".into(),
                    }],
                    autres_resume: Some("1 autre certification de niveau 7".into()),
                    source: "Réseau des Carif-Oref".into(),
                }),
                savoir_etre: Vec::new(),
                entretiens: None,
            },
            riasec: None,
            sources: SourcesTable {
                explanation: Vec::new(),
                rule_title: "Règle des viabilités".into(),
                rule: vec!["passerelle courte : score d'au moins 20 %".into()],
                legend: "Détail du score.".into(),
                candidates: 0,
                rows: Vec::new(),
            },
            ecarts: Vec::new(),
            formations: Formations {
                items: Vec::new(),
                source: None,
                note: None,
                certifications: Vec::new(),
                ajout: None,
            },
            appellations_cible: vec!["Aide médico-technique".into()],
            autres_appellations: Vec::new(),
            liens: vec![Link {
                label: "Métierscope".into(),
                url: "https://example.org/a_b".into(),
            }],
            annexe: Annexe {
                methodes: Vec::new(),
                attributions: Vec::new(),
            },
        }
    }

    fn parcours() -> Parcours {
        let brief = |c: &str| JobBrief {
            id: c.into(),
            code: c.into(),
            title: format!("Métier {c}"),
        };
        Parcours {
            document: "parcours",
            notice: NOTICE,
            generated_at: "2026-11-23T08:00:00Z".into(),
            generated_on: "23/11/2026".into(),
            departement: None,
            je_suis: "Je suis secrétaire".into(),
            je_souhaite: "Je souhaite évoluer".into(),
            source: brief("M1609"),
            target: brief("J1303"),
            synthese: Vec::new(),
            score: Some(0.5),
            tier_label: "passerelle possible".into(),
            tier_key: "possible",
            score_detail: Some("0,4 × (1 × savoirs 50 %) + 0,6 × libellés 50 % = 50 %".into()),
            rule_figures: vec!["savoir-faire maîtrisés, pondérés : 31 %".into()],
            rule_title: "Règle des viabilités".into(),
            rule: vec!["passerelle courte : score d'au moins 20 %".into()],
            legend: "Détail du score.".into(),
            definition: Vec::new(),
            acces: Vec::new(),
            activites: Vec::new(),
            transferabilite_methode: "Méthode.".into(),
            a_acquerir: Vec::new(),
            itineraires: Vec::new(),
            itineraires_regle: Vec::new(),
            apprendre: Vec::new(),
            apprendre_methode: String::new(),
            certification: None,
            formations: Formations {
                items: Vec::new(),
                source: None,
                note: None,
                certifications: Vec::new(),
                ajout: None,
            },
            liens: Vec::new(),
            attributions: Vec::new(),
        }
    }

    /// The text typst laid out, glyph runs joined by spaces.
    fn typst_text(frame: &Frame, out: &mut String) {
        for (_, item) in frame.items() {
            match item {
                FrameItem::Group(g) => typst_text(&g.frame, out),
                FrameItem::Text(t) => {
                    out.push_str(&t.text);
                    out.push(' ');
                }
                _ => {}
            }
        }
    }

    fn pdf_text(doc: &typst_layout::PagedDocument) -> String {
        let mut out = String::new();
        for page in doc.pages() {
            typst_text(&page.frame, &mut out);
        }
        out.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn one_label_changed_here_changes_in_every_format() {
        let (fiche, parcours) = (fiche(), parcours());
        let mut w = WORDING.clone();
        w.territoire = "Territoire du métier";
        w.transferables = "Savoir-faire qui se transportent";
        w.non_disponible = "absent des données";
        w.col_rattachement = "Lien au métier";

        let html = crate::html::fiche_with(&fiche, &w).unwrap();
        let md = crate::markdown::fiche_with(&fiche, &w).unwrap();
        let pdf = pdf_text(&crate::pdf::fiche_layout(&fiche, &w).unwrap());
        for (format, text) in [("HTML", &html), ("Markdown", &md), ("PDF", &pdf)] {
            assert!(
                text.contains("Territoire du métier"),
                "{format} : libellé modifié absent"
            );
            assert!(
                !text.contains(WORDING.territoire),
                "{format} : ancien libellé encore présent"
            );
            assert!(
                text.contains("absent des données"),
                "{format} : « non disponible » modifié absent"
            );
            // The certifications: the changed column, the rule, the main
            // list, the line that counts the others; their list in HTML only.
            for expected in [
                "Lien au métier",
                "Règle des certifications.",
                "RNCP37537",
                "1 autre certification de niveau 7",
            ] {
                assert!(text.contains(expected), "{format} : « {expected} » absent");
            }
            assert_eq!(
                text.contains("Master mention démographie"),
                format == "HTML",
                "{format} : liste des autres certifications"
            );
        }

        let html = crate::html::parcours_with(&parcours, &w).unwrap();
        let md = crate::markdown::parcours_with(&parcours, &w).unwrap();
        let pdf = pdf_text(&crate::pdf::parcours_layout(&parcours, &w).unwrap());
        for (format, text) in [("HTML", &html), ("Markdown", &md), ("PDF", &pdf)] {
            assert!(
                text.contains("Savoir-faire qui se transportent"),
                "{format} : libellé modifié absent du parcours"
            );
            assert!(
                !text.contains(WORDING.transferables),
                "{format} : ancien libellé encore présent dans le parcours"
            );
        }
    }

    #[test]
    fn fill_replaces_each_placeholder_once() {
        assert_eq!(
            fill("« {a} » vers « {b} »", &[("a", "{b}"), ("b", "x")]),
            "« {b} » vers « x »"
        );
        assert_eq!(fill("{inconnu} {", &[]), "{inconnu} {");
    }

    #[test]
    fn templates_escape_the_data() {
        let html = crate::html::fiche(&fiche()).unwrap();
        assert!(
            html.contains("<li>Accueillir &lt;le&gt; public</li>"),
            "{html}"
        );
        assert!(html.contains("<h1>Assistant / Assistante médical(e)</h1>"));
        assert!(html.ends_with("</html>\n"));
        let md = crate::markdown::fiche(&fiche()).unwrap();
        assert!(md.contains("- Accueillir \\<le\\> public\n"), "{md}");
        assert!(
            md.contains("- [Métierscope](https://example.org/a_b)\n"),
            "les URL ne sont pas échappées"
        );
        assert!(md.ends_with(&format!("> {NOTICE}\n")));
    }
}
