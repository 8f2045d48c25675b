//! The nomenclature's texts and tolerant name matching.

use super::Competency;
use crate::text::fold;

impl Competency {
    /// The short label used on charts (radar axes).
    pub fn short_label_fr(self) -> &'static str {
        use Competency::*;
        match self {
            Communiquer => "Communiquer",
            ComportementOrienteAutre => "Orienté vers l'autre",
            TransmettreSavoirs => "Transmettre",
            ReguleSituationInterpersonnelle => "Réguler",
            TravaillerCooperer => "Coopérer",
            RechercherAccord => "Rechercher un accord",
            OrganiserActions => "Organiser",
            RespecterRegles => "Règles et procédures",
            EvaluerActions => "Évaluer",
            ResolutionProbleme => "Résoudre un problème",
            TraiterInformations => "Traiter l'information",
            ApprendreContinu => "Apprendre",
            EnvironnementsNumeriques => "Numérique",
            InnovationCreativite => "Innover",
        }
    }

    /// "En situation de travail": what the competency looks like at work
    /// (seed 000's wording where it gives one).
    pub fn situation_fr(self) -> &'static str {
        use Competency::*;
        match self {
            Communiquer => {
                "Échanger avec des interlocuteurs différents en adaptant son expression, expliquer, développer une idée, un avis sur des sujets variés, rendre compte de son activité"
            }
            ComportementOrienteAutre => {
                "Écouter avec bienveillance, prendre en compte les attentes et les besoins exprimés et apporter à la personne une réponse adaptée (service ou conseil)"
            }
            TransmettreSavoirs => {
                "Apporter des explications utiles à ses interlocuteurs et adaptées à leur niveau d'information pour améliorer leur compréhension"
            }
            ReguleSituationInterpersonnelle => {
                "Temporiser ou calmer une situation tendue ou conflictuelle entre deux parties"
            }
            TravaillerCooperer => {
                "S'intégrer au groupe en adoptant ses codes et ses règles, connaître son rôle et réaliser sa part de travail"
            }
            RechercherAccord => {
                "Défendre une position, argumenter et négocier pour parvenir à un accord acceptable par les parties"
            }
            OrganiserActions => {
                "Préparer ses actions quotidiennes et gérer des priorités selon les délais et les moyens impartis"
            }
            RespecterRegles => {
                "Comprendre et mettre en œuvre des procédures ou des mesures de prévention définies dans des situations courantes et variées"
            }
            EvaluerActions => {
                "Prendre en compte ce qui est attendu et apprécier globalement le résultat de ses actions"
            }
            ResolutionProbleme => "Constater un problème et le signaler au bon interlocuteur",
            TraiterInformations => {
                "Prendre en compte les informations utiles et les classer ou les caractériser"
            }
            ApprendreContinu => {
                "Rechercher des informations complémentaires pour être en capacité de faire face à une nouveauté ou à une situation nouvelle"
            }
            EnvironnementsNumeriques => {
                "Exploiter des outils numériques (ordinateur, tablette, logiciels, applications…) pour rechercher, sélectionner et traiter de l'information, utiliser des services en ligne et les outils bureautiques ou applications professionnelles"
            }
            InnovationCreativite => {
                "Proposer des idées nouvelles ou des améliorations et les mettre en œuvre dans son activité"
            }
        }
    }
}

/// The result of matching a name against the nomenclature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameMatch {
    Found(Competency),
    /// No competency has that name; the closest one, to suggest.
    Unknown {
        closest: Competency,
    },
}

/// Folds a competency name for comparison: accents, case, "œ", apostrophes,
/// and the optional possessive ("Évaluer ses actions" = "evaluer actions").
fn key(s: &str) -> String {
    let f = fold(s).replace(['\'', '’', '-'], " ");
    f.split_whitespace()
        .filter(|w| {
            !matches!(
                *w,
                "ses"
                    | "son"
                    | "sa"
                    | "des"
                    | "de"
                    | "du"
                    | "d"
                    | "un"
                    | "une"
                    | "l"
                    | "la"
                    | "le"
                    | "les"
                    | "et"
                    | "au"
                    | "aux"
                    | "a"
                    | "en"
                    | "vers"
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Finds the competency a (user-written) name designates, tolerant of
/// accents, case, "oeuvre"/"œuvre" and small words; otherwise the closest
/// name, to suggest.
pub fn match_competency(name: &str) -> NameMatch {
    let k = key(name);
    let mut best = (f64::MIN, Competency::Communiquer);
    for c in Competency::ALL {
        for label in [c.label_fr(), c.short_label_fr()] {
            let l = key(label);
            if l == k {
                return NameMatch::Found(c);
            }
            let sim = strsim::jaro_winkler(&l, &k);
            if sim > best.0 {
                best = (sim, c);
            }
        }
    }
    NameMatch::Unknown { closest: best.1 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_despite_accents_ligatures_and_small_words() {
        assert_eq!(
            match_competency("Evaluer ses actions"),
            NameMatch::Found(Competency::EvaluerActions)
        );
        assert_eq!(
            match_competency("ÉVALUER SES ACTIONS"),
            NameMatch::Found(Competency::EvaluerActions)
        );
        assert_eq!(
            match_competency("Mettre en oeuvre une démarche de résolution de problème"),
            NameMatch::Found(Competency::ResolutionProbleme)
        );
        assert_eq!(
            match_competency("Adopter un comportement orienté vers l’autre"),
            NameMatch::Found(Competency::ComportementOrienteAutre)
        );
        for c in Competency::ALL {
            assert_eq!(match_competency(c.label_fr()), NameMatch::Found(c));
            assert_eq!(
                match_competency(c.short_label_fr()),
                NameMatch::Found(c),
                "libellé court"
            );
            assert_eq!(
                match_competency(&c.label_fr().to_uppercase()),
                NameMatch::Found(c)
            );
        }
        assert_eq!(
            match_competency("  Evaluer actions "),
            NameMatch::Found(Competency::EvaluerActions)
        );
        assert_eq!(
            match_competency("Mobiliser des environnements numeriques"),
            NameMatch::Found(Competency::EnvironnementsNumeriques)
        );
    }

    #[test]
    fn unknown_names_suggest_the_closest() {
        assert_eq!(
            match_competency("Comuniquer efficacement"),
            NameMatch::Unknown {
                closest: Competency::Communiquer
            }
        );
    }
}
