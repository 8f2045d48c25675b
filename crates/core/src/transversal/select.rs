//! Which transversal profile describes a job: a survey when one applies,
//! else the estimate.

use super::{Provenance, Survey, SurveyTarget, TransversalProfile};
use crate::catalog::{Catalog, SurveyChoice};
use crate::job::Job;

/// Whether a survey describes this job: a survey of an appellation applies
/// to a job titled by that appellation (a poste or an appellation-titled
/// fiche); a survey of a ROME code to the whole fiche.
fn applies(survey: &Survey, job: &Job) -> bool {
    match survey.target {
        SurveyTarget::Appellation(ogr) => job.appellation == Some(ogr),
        SurveyTarget::Rome(code) => job.fiche == code && job.appellation.is_none(),
    }
}

fn survey_id(s: &Survey) -> &str {
    match &s.profile.provenance {
        Provenance::Enquete { id, .. } => id,
        Provenance::Estime { .. } => "",
    }
}

impl Catalog {
    /// The surveys that describe a job.
    pub fn surveys_for<'a>(&'a self, job: &'a Job) -> impl Iterator<Item = &'a Survey> + 'a {
        self.surveys.iter().filter(move |s| applies(s, job))
    }

    /// The survey with this identifier, whatever job it describes.
    pub fn survey(&self, id: &str) -> Option<&Survey> {
        self.surveys.iter().find(|s| survey_id(s) == id)
    }

    /// The profile to use for a job: the survey named by `choice.enquete`;
    /// else the job's survey made in `choice.dept`; else its most recent
    /// survey; else the fiche's estimated profile.
    pub fn transversal_profile<'a>(
        &'a self,
        job: &Job,
        choice: &SurveyChoice,
    ) -> Option<&'a TransversalProfile> {
        if let Some(id) = &choice.enquete {
            return self.survey(id).map(|s| &s.profile);
        }
        let surveys: Vec<&'a Survey> = self.surveys.iter().filter(|s| applies(s, job)).collect();
        if let Some(dept) = choice.dept {
            let local = surveys.iter().find(|s| match &s.profile.provenance {
                Provenance::Enquete { territory: Some(t), .. } => {
                    crate::codes::DeptCode::parse(t).ok() == Some(dept)
                }
                _ => false,
            });
            if let Some(s) = local {
                return Some(&s.profile);
            }
        }
        let recent = surveys.iter().max_by(|a, b| survey_date(a).cmp(survey_date(b)));
        if let Some(s) = recent {
            return Some(&s.profile);
        }
        self.estimated_profile(job.fiche)
    }
}

fn survey_date(s: &Survey) -> &str {
    match &s.profile.provenance {
        Provenance::Enquete { date, .. } => date,
        Provenance::Estime { .. } => "",
    }
}
