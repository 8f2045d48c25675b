//! Which transversal profile describes a job: a survey when one applies,
//! else the estimate.

use super::{Provenance, Survey, SurveyTarget, TransversalProfile};
use crate::catalog::{Catalog, SurveyChoice};
use crate::codes::DeptCode;
use crate::job::Job;

impl Survey {
    /// Whether this survey describes the job: a survey of an appellation
    /// applies to a job titled by that appellation (a poste or an
    /// appellation-titled fiche); a survey of a ROME code to the whole fiche
    /// (not to one of its appellations, which may have a survey of its own).
    pub fn applies_to(&self, job: &Job) -> bool {
        match self.target {
            SurveyTarget::Appellation(ogr) => job.appellation == Some(ogr),
            SurveyTarget::Rome(code) => job.fiche == code && job.appellation.is_none(),
        }
    }

    /// The survey's identifier (`afpa-aveyron-assistant-medical`).
    pub fn id(&self) -> &str {
        match &self.profile.provenance {
            Provenance::Enquete { id, .. } => id,
            Provenance::Estime { .. } => "",
        }
    }

    /// The survey's date as written (`2024`, `2024-05`, `2024-05-01`):
    /// ISO order, so comparing the strings compares the dates.
    pub fn date(&self) -> &str {
        match &self.profile.provenance {
            Provenance::Enquete { date, .. } => date,
            Provenance::Estime { .. } => "",
        }
    }

    /// The département surveyed, when the territory is a département code.
    pub fn dept(&self) -> Option<DeptCode> {
        match &self.profile.provenance {
            Provenance::Enquete {
                territory: Some(t), ..
            } => DeptCode::parse(t).ok(),
            _ => None,
        }
    }
}

impl Catalog {
    /// The surveys that describe a job.
    pub fn surveys_for<'a>(&'a self, job: &'a Job) -> impl Iterator<Item = &'a Survey> + 'a {
        self.surveys.iter().filter(move |s| s.applies_to(job))
    }

    /// The survey with this identifier, whatever job it describes.
    pub fn survey(&self, id: &str) -> Option<&Survey> {
        self.surveys.iter().find(|s| s.id() == id)
    }

    /// The profile to use for a job: the survey named by `choice.enquete`
    /// (whatever job it describes: the caller checks with
    /// [`Survey::applies_to`] when it matters); else the job's survey made
    /// in `choice.dept`; else its most recent survey (ties: the greatest
    /// identifier, so the choice never depends on load order); else the
    /// fiche's estimated profile.
    pub fn transversal_profile<'a>(
        &'a self,
        job: &Job,
        choice: &SurveyChoice,
    ) -> Option<&'a TransversalProfile> {
        if let Some(id) = &choice.enquete {
            return self.survey(id).map(|s| &s.profile);
        }
        let surveys: Vec<&'a Survey> = self.surveys.iter().filter(|s| s.applies_to(job)).collect();
        let newest = |candidates: &mut dyn Iterator<Item = &&'a Survey>| {
            candidates
                .max_by(|a, b| (a.date(), a.id()).cmp(&(b.date(), b.id())))
                .copied()
        };
        if let Some(dept) = choice.dept
            && let Some(s) = newest(&mut surveys.iter().filter(|s| s.dept() == Some(dept)))
        {
            return Some(&s.profile);
        }
        if let Some(s) = newest(&mut surveys.iter()) {
            return Some(&s.profile);
        }
        self.estimated_profile(job.fiche)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::{OgrCode, RomeCode};
    use crate::referential::{Appellation, Fiche, FicheTags, Referential, ReferentialData};
    use crate::transversal::{Competency, ProfileEntry};

    fn rome(s: &str) -> RomeCode {
        RomeCode::parse(s).unwrap()
    }

    fn catalog(surveys: Vec<Survey>) -> Catalog {
        let mut d = ReferentialData::default();
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
            appellations: vec![OgrCode::new(200145)],
            items: vec![],
            centres_interet: vec![],
            secteurs: vec![],
            themes: vec![],
            secteurs_naf: vec![],
        });
        d.appellations.push(Appellation {
            ogr: OgrCode::new(200145),
            long_label: "Assistant médical / Assistante médicale".into(),
            short_label: "Assistant médical".into(),
            rome: rome("J1303"),
            tags: FicheTags::default(),
            classification: None,
            origine: None,
            parent: None,
            rare: false,
        });
        Catalog::new(Referential::new(d), vec![], surveys)
    }

    /// A survey whose "Communiquer" stars identify it in assertions.
    fn survey(
        id: &str,
        target: SurveyTarget,
        date: &str,
        territory: Option<&str>,
        marker: u8,
    ) -> Survey {
        let mut entries = [ProfileEntry::UNUSED; crate::transversal::Competency::COUNT];
        entries[Competency::Communiquer.index()] = ProfileEntry::new(1, marker).unwrap();
        Survey {
            target,
            profile: TransversalProfile {
                entries: entries.map(Some),
                provenance: Provenance::Enquete {
                    id: id.into(),
                    source: "test".into(),
                    date: date.into(),
                    territory: territory.map(str::to_string),
                    population: None,
                },
                rome: None,
            },
        }
    }

    fn marker(c: &Catalog, job: &Job, choice: &SurveyChoice) -> Option<u8> {
        c.transversal_profile(job, choice)
            .map(|p| p.get(Competency::Communiquer).stars())
    }

    fn jobs(c: &Catalog) -> (Job, Job) {
        let fiche = c.resolve(&crate::job::JobRef::Rome(rome("J1303"))).unwrap();
        let app = c
            .resolve(&crate::job::JobRef::Appellation(OgrCode::new(200145)))
            .unwrap();
        (fiche, app)
    }

    const APP: SurveyTarget = SurveyTarget::Appellation(OgrCode::new(200145));

    #[test]
    fn appellation_survey_applies_to_the_appellation_not_to_the_fiche() {
        let c = catalog(vec![survey("aveyron", APP, "2024", Some("12"), 5)]);
        let (fiche, app) = jobs(&c);
        assert_eq!(marker(&c, &app, &SurveyChoice::default()), Some(5));
        let est = c
            .transversal_profile(&fiche, &SurveyChoice::default())
            .unwrap();
        assert!(
            !est.provenance.is_surveyed(),
            "la fiche entière garde son profil estimé"
        );
    }

    #[test]
    fn rome_survey_applies_to_the_fiche_only() {
        let c = catalog(vec![survey(
            "fiche",
            SurveyTarget::Rome(rome("J1303")),
            "2024",
            None,
            4,
        )]);
        let (fiche, app) = jobs(&c);
        assert_eq!(marker(&c, &fiche, &SurveyChoice::default()), Some(4));
        assert!(
            !c.transversal_profile(&app, &SurveyChoice::default())
                .unwrap()
                .provenance
                .is_surveyed()
        );
    }

    #[test]
    fn enquete_then_department_then_most_recent() {
        let c = catalog(vec![
            survey("aveyron", APP, "2024", Some("12"), 1),
            survey("herault", APP, "2023-06", Some("34"), 2),
            survey("nord", APP, "2025-01-15", Some("59"), 3),
            survey("nord-bis", APP, "2025-01-15", Some("Nord"), 4),
        ]);
        let (_, app) = jobs(&c);
        let dept = |d: &str| SurveyChoice {
            enquete: None,
            dept: Some(DeptCode::parse(d).unwrap()),
        };
        // --dept picks the survey of that département, even an older one ("034" = "34").
        assert_eq!(marker(&c, &app, &dept("034")), Some(2));
        // No survey there: the most recent; same date, the greatest identifier.
        assert_eq!(marker(&c, &app, &dept("75")), Some(4));
        assert_eq!(marker(&c, &app, &SurveyChoice::default()), Some(4));
        // --enquete wins over --dept.
        let named = SurveyChoice {
            enquete: Some("aveyron".into()),
            dept: Some(DeptCode::parse("34").unwrap()),
        };
        assert_eq!(marker(&c, &app, &named), Some(1));
        let unknown = SurveyChoice {
            enquete: Some("inconnue".into()),
            dept: None,
        };
        assert_eq!(c.transversal_profile(&app, &unknown), None);
    }

    #[test]
    fn selection_does_not_depend_on_load_order() {
        let a = survey("a", APP, "2024", None, 1);
        let b = survey("b", APP, "2024", None, 2);
        let c1 = catalog(vec![a.clone(), b.clone()]);
        let c2 = catalog(vec![b, a]);
        let (_, app) = jobs(&c1);
        assert_eq!(
            marker(&c1, &app, &SurveyChoice::default()),
            marker(&c2, &app, &SurveyChoice::default())
        );
    }
}
