//! Everything the engine and the renderers need, loaded once: the referential,
//! the job-title profiles, the surveyed transversal profiles and an estimated
//! transversal profile for every fiche. Resolving what a user typed
//! ([`JobRef`]) into what the engine compares ([`Job`]) happens here, once,
//! for the CLI, the API and the documents alike.

use serde::Serialize;

use crate::codes::RomeCode;
use crate::job::{Job, JobKind, JobRef};
use crate::poste::Poste;
use crate::qualification::AccessLevel;
use crate::referential::Referential;
use crate::transversal::{Survey, TransversalProfile};

/// Why a job name cannot be resolved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResolveError {
    #[error("code ROME inconnu : {0} n'est pas une fiche du référentiel")]
    UnknownRome(RomeCode),
    #[error("appellation inconnue : le code OGR {0} n'est pas une appellation du référentiel")]
    UnknownAppellation(u32),
    #[error("profil de poste inconnu « poste:{0} » (voir `passerelle import postes`)")]
    UnknownPoste(String),
}

/// Which surveyed profile to prefer (`--enquete`, `--dept`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SurveyChoice {
    pub enquete: Option<String>,
    pub dept: Option<crate::codes::DeptCode>,
}

/// The loaded data set.
#[derive(Debug, Clone)]
pub struct Catalog {
    pub referential: Referential,
    pub postes: Vec<Poste>,
    pub surveys: Vec<Survey>,
    /// Estimated profile of each fiche, same order as `referential.fiches`.
    pub estimated: Vec<TransversalProfile>,
    /// Usual access level of each fiche, same order as `referential.fiches`
    /// (read once here for the estimate and the engine).
    pub levels: Vec<AccessLevel>,
}

impl Catalog {
    /// Assembles the data set, reads every fiche's access level and
    /// estimates its transversal profile (pure; in parallel, as reading the
    /// access texts is the bulk of a server's start).
    pub fn new(referential: Referential, postes: Vec<Poste>, surveys: Vec<Survey>) -> Catalog {
        let levels = crate::qualification::access_levels(&referential);
        let estimated = crate::transversal::estimate_all_with_levels(&referential, &levels);
        Catalog {
            referential,
            postes,
            surveys,
            estimated,
            levels,
        }
    }

    /// Resolves a user's job name. An appellation with a registered poste
    /// resolves to that poste; otherwise to its whole fiche, titled by the
    /// appellation. The [`Job::resolution`] sentence says which.
    pub fn resolve(&self, r: &JobRef) -> Result<Job, ResolveError> {
        match r {
            JobRef::Rome(code) => {
                let fiche = self
                    .referential
                    .fiche(*code)
                    .ok_or(ResolveError::UnknownRome(*code))?;
                Ok(Job::from_fiche(fiche))
            }
            JobRef::Appellation(ogr) => {
                let app = self
                    .referential
                    .appellation(*ogr)
                    .ok_or(ResolveError::UnknownAppellation(ogr.get()))?;
                if let Some(poste) = self.postes.iter().find(|p| p.appellation == Some(*ogr)) {
                    let mut job = self.poste_job(poste);
                    job.resolution = format!(
                        "Appellation {} « {} » : son profil de poste est utilisé, établi à partir de {}",
                        ogr,
                        app.long_label,
                        self.fiche_named(poste.base)
                    );
                    return Ok(job);
                }
                let fiche = self
                    .referential
                    .fiche(app.rome)
                    .ok_or(ResolveError::UnknownRome(app.rome))?;
                let mut job = Job::from_fiche(fiche);
                job.title = app.long_label.clone();
                job.appellation = Some(*ogr);
                job.resolution = format!(
                    "Appellation {} « {} » : aucun profil de poste enregistré, fiche ROME {} entière utilisée",
                    ogr, app.long_label, fiche.code
                );
                Ok(job)
            }
            JobRef::Poste(slug) => {
                let poste = self
                    .postes
                    .iter()
                    .find(|p| &p.slug == slug)
                    .ok_or_else(|| ResolveError::UnknownPoste(slug.clone()))?;
                Ok(self.poste_job(poste))
            }
        }
    }

    fn poste_job(&self, poste: &Poste) -> Job {
        Job {
            id: format!("poste:{}", poste.slug),
            kind: JobKind::Poste {
                slug: poste.slug.clone(),
            },
            title: poste.title.clone(),
            fiche: poste.base,
            appellation: poste.appellation,
            items: poste.items.clone(),
            // Named by its title: the `poste:slug` id is what a user types,
            // not what a document or a page shows.
            resolution: format!(
                "Profil de poste « {} », établi à partir de {}",
                poste.title,
                self.fiche_named(poste.base)
            ),
        }
    }

    /// « la fiche ROME J1303 « Assistant / Assistante médico-technique » »:
    /// a poste's title often differs from its fiche's, so both are named.
    fn fiche_named(&self, code: RomeCode) -> String {
        match self.referential.fiche(code) {
            Some(f) => format!("la fiche ROME {code} « {} »", f.title),
            None => format!("la fiche ROME {code}"),
        }
    }

    /// The poste named `slug` (without the `poste:` prefix).
    pub fn poste(&self, slug: &str) -> Option<&Poste> {
        self.postes.iter().find(|p| p.slug == slug)
    }

    /// The postes narrowing a fiche, in slug order of the catalog.
    pub fn postes_of(&self, code: RomeCode) -> impl Iterator<Item = &Poste> + '_ {
        self.postes.iter().filter(move |p| p.base == code)
    }

    /// Checks a poste against this catalog's referential, and that no other
    /// poste already describes the same appellation (the resolution of an
    /// appellation must be unambiguous).
    pub fn validate_poste(&self, poste: &Poste) -> Result<(), crate::poste::PosteError> {
        poste.validate(&self.referential)?;
        if let Some(app) = poste.appellation
            && let Some(other) = self
                .postes
                .iter()
                .find(|p| p.appellation == Some(app) && p.slug != poste.slug)
        {
            return Err(crate::poste::PosteError::AppellationTaken {
                appellation: app,
                other: other.slug.clone(),
            });
        }
        Ok(())
    }

    /// The estimated profile of a fiche.
    pub fn estimated_profile(&self, code: RomeCode) -> Option<&TransversalProfile> {
        self.referential
            .fiche_index(code)
            .and_then(|i| self.estimated.get(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::OgrCode;
    use crate::poste::PosteProvenance;
    use crate::referential::{
        Appellation, CoeurMetier, Fiche, FicheTags, ItemKind, ItemLink, ReferentialData, Savoir,
        SavoirCategory,
    };

    fn rome(s: &str) -> RomeCode {
        RomeCode::parse(s).unwrap()
    }

    fn link(o: u32) -> ItemLink {
        ItemLink {
            ogr: OgrCode::new(o),
            kind: ItemKind::Savoir,
            coeur: CoeurMetier::Non,
        }
    }

    fn catalog(postes: Vec<Poste>) -> Catalog {
        let mut d = ReferentialData::default();
        for (o, l) in [(1, "Terminologie médicale"), (2, "Orthodontie")] {
            d.savoirs.push(Savoir {
                ogr: OgrCode::new(o),
                label: l.into(),
                category: SavoirCategory::TechniquesProfessionnelles,
                subcategory: "A".into(),
                transition_eco: None,
                transition_num: None,
            });
        }
        d.fiches.push(Fiche {
            code: rome("J1303"),
            ogr: OgrCode::new(9),
            code_fiche_metier: None,
            title: "Assistant / Assistante médico-technique".into(),
            parent: rome("J1303"),
            domaine: "J13".into(),
            tags: FicheTags::default(),
            riasec: None,
            definition: vec![],
            acces: vec![],
            appellations: vec![OgrCode::new(200145), OgrCode::new(38468)],
            items: vec![link(1), link(2)],
            centres_interet: vec![],
            secteurs: vec![],
            themes: vec![],
            secteurs_naf: vec![],
        });
        for (o, l) in [
            (200145, "Assistant médical / Assistante médicale"),
            (38468, "Assistant dentaire / Assistante dentaire"),
        ] {
            d.appellations.push(Appellation {
                ogr: OgrCode::new(o),
                long_label: l.into(),
                short_label: l.into(),
                rome: rome("J1303"),
                tags: FicheTags::default(),
                classification: None,
                origine: None,
                parent: None,
                rare: false,
            });
        }
        let referential = Referential::new(d);
        Catalog {
            levels: crate::qualification::access_levels(&referential),
            referential,
            postes,
            surveys: vec![],
            estimated: vec![],
        }
    }

    fn demo() -> Poste {
        Poste {
            slug: "assistant-medical".into(),
            title: "Assistant médical".into(),
            base: rome("J1303"),
            appellation: Some(OgrCode::new(200145)),
            items: vec![link(1)],
            extra: vec![],
            provenance: PosteProvenance {
                author: "t".into(),
                date: "2026-11-23".into(),
                basis: "t".into(),
            },
            rome_version: 60,
            survey: None,
            notes: vec![],
        }
    }

    #[test]
    fn appellation_with_a_poste_resolves_to_the_poste_and_says_so() {
        let c = catalog(vec![demo()]);
        let job = c
            .resolve(&JobRef::Appellation(OgrCode::new(200145)))
            .unwrap();
        assert_eq!(job.id, "poste:assistant-medical");
        assert!(job.is_poste());
        assert_eq!(job.items, vec![link(1)], "Orthodontie n'est pas retenue");
        assert!(
            job.resolution.contains("son profil de poste est utilisé"),
            "{}",
            job.resolution
        );
        let by_slug = c
            .resolve(&JobRef::Poste("assistant-medical".into()))
            .unwrap();
        assert_eq!(by_slug.items, job.items);
    }

    #[test]
    fn appellation_without_a_poste_resolves_to_the_whole_fiche_and_says_so() {
        let c = catalog(vec![demo()]);
        let job = c
            .resolve(&JobRef::Appellation(OgrCode::new(38468)))
            .unwrap();
        assert!(!job.is_poste());
        assert_eq!(job.items.len(), 2);
        assert_eq!(job.title, "Assistant dentaire / Assistante dentaire");
        assert!(
            job.resolution
                .contains("aucun profil de poste enregistré, fiche ROME J1303 entière utilisée"),
            "{}",
            job.resolution
        );
        // Without any poste, 200145 is the whole fiche too; a ROME code always is.
        let bare = catalog(vec![]);
        assert_eq!(
            bare.resolve(&JobRef::Appellation(OgrCode::new(200145)))
                .unwrap()
                .items
                .len(),
            2
        );
        assert_eq!(
            c.resolve(&JobRef::Rome(rome("J1303"))).unwrap().items.len(),
            2
        );
    }

    #[test]
    fn unknown_names_are_errors() {
        let c = catalog(vec![demo()]);
        assert_eq!(
            c.resolve(&JobRef::Poste("inconnu".into())),
            Err(ResolveError::UnknownPoste("inconnu".into()))
        );
        assert!(c.resolve(&JobRef::Appellation(OgrCode::new(1))).is_err());
        assert!(c.resolve(&JobRef::Rome(rome("Z9999"))).is_err());
    }

    #[test]
    fn postes_are_listed_by_fiche_and_validated_against_the_catalog() {
        let c = catalog(vec![demo()]);
        assert_eq!(c.postes_of(rome("J1303")).count(), 1);
        assert_eq!(c.postes_of(rome("M1609")).count(), 0);
        assert!(c.poste("assistant-medical").is_some());
        assert_eq!(c.validate_poste(&demo()), Ok(()));
        let mut other = demo();
        other.slug = "autre".into();
        assert!(matches!(
            c.validate_poste(&other),
            Err(crate::poste::PosteError::AppellationTaken { .. })
        ));
    }
}
