//! Storage of surveyed transversal profiles.

use passerelle_core::transversal::{
    Competency, ProfileEntry, Provenance, Survey, SurveyTarget, TransversalProfile,
};
use passerelle_core::{OgrCode, RomeCode};

use crate::sql::{Backend, Cells, Change, Db};
use crate::{Result, StoreError};

/// Surveyed profiles, behind a trait so that another database can serve them.
pub trait ProfileRepository {
    /// Adds the surveys, replacing those with the same identifiers, in one
    /// transaction: on error nothing is written.
    fn save_surveys(&mut self, surveys: &[Survey], imported_at: &str) -> Result<()>;
    fn load_surveys(&self) -> Result<Vec<Survey>>;
}

impl<B: Backend> ProfileRepository for B {
    fn save_surveys(&mut self, surveys: &[Survey], imported_at: &str) -> Result<()> {
        self.write(Change::Data("import des profils"), |db| {
            surveys
                .iter()
                .try_for_each(|s| save_survey(db, s, imported_at))
        })
    }

    fn load_surveys(&self) -> Result<Vec<Survey>> {
        self.read("lecture des enquêtes", |db| {
            let heads = db.all(
                "SELECT id, target_type, target_code, source, date, territory, population FROM surveys ORDER BY id",
                &[],
                "lecture des enquêtes",
                read_head,
            )?;
            heads
                .into_iter()
                .map(|(id, target, provenance)| {
                    let mut entries = [ProfileEntry::UNUSED; Competency::COUNT];
                    db.query(
                        "SELECT competency, level, stars FROM survey_entries WHERE survey_id = ?1",
                        &[&id],
                        "lecture des profils d'enquête",
                        &mut |c| {
                            let bad = |e: String| StoreError::Corrupt(format!("enquête {id} : {e}"));
                            let competency: usize = c.num(0)?;
                            let entry =
                                ProfileEntry::new(c.num(1)?, c.num(2)?).map_err(|e| bad(e.to_string()))?;
                            *entries
                                .get_mut(competency)
                                .ok_or_else(|| bad(format!("compétence {competency} inconnue")))? = entry;
                            Ok(())
                        },
                    )?;
                    let rome = match target {
                        SurveyTarget::Rome(c) => Some(c),
                        SurveyTarget::Appellation(_) => None,
                    };
                    Ok(Survey {
                        target,
                        profile: TransversalProfile {
                            entries: entries.map(Some),
                            provenance,
                            rome,
                        },
                    })
                })
                .collect()
        })
    }
}

fn save_survey(db: &mut dyn Db, s: &Survey, imported_at: &str) -> Result<()> {
    let Provenance::Enquete {
        id,
        source,
        date,
        territory,
        population,
    } = &s.profile.provenance
    else {
        return Err(StoreError::Corrupt(
            "un profil estimé ne s'enregistre pas comme enquête".into(),
        ));
    };
    let (target_type, target_code) = match s.target {
        SurveyTarget::Rome(c) => ("rome", c.to_string()),
        SurveyTarget::Appellation(o) => ("appellation", o.to_string()),
    };
    db.execute(
        "DELETE FROM surveys WHERE id = ?1",
        &[id],
        "remplacement d'une enquête",
    )?;
    db.execute(
        "INSERT INTO surveys (id, target_type, target_code, source, date, territory, population, imported_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        &[id, &target_type, &target_code, source, date, territory, population, &imported_at],
        "écriture d'une enquête",
    )?;
    for c in Competency::ALL {
        let e = s.profile.get(c);
        db.execute(
            "INSERT INTO survey_entries (survey_id, competency, level, stars) VALUES (?1, ?2, ?3, ?4)",
            &[id, &c.index(), &e.level(), &e.stars()],
            "écriture d'un profil d'enquête",
        )?;
    }
    Ok(())
}

/// A survey's id, target and provenance.
fn read_head(c: &Cells<'_>) -> Result<(String, SurveyTarget, Provenance)> {
    let (id, target_type, code) = (c.text(0)?, c.text(1)?, c.text(2)?);
    let bad = || {
        StoreError::Corrupt(format!(
            "enquête {id} : cible « {target_type} {code} » invalide"
        ))
    };
    let target = match target_type.as_str() {
        "rome" => SurveyTarget::Rome(RomeCode::parse(&code).map_err(|_| bad())?),
        "appellation" => SurveyTarget::Appellation(OgrCode::parse(&code).map_err(|_| bad())?),
        _ => return Err(bad()),
    };
    let provenance = Provenance::Enquete {
        id: id.clone(),
        source: c.text(3)?,
        date: c.text(4)?,
        territory: c.opt_text(5)?,
        population: c.opt_text(6)?,
    };
    Ok((id, target, provenance))
}

#[cfg(test)]
mod tests {
    // The backend-independent tests are in tests/profiles.rs (both backends);
    // pinning a snapshot is SQLite's.
    use super::*;
    use crate::SqliteStore;

    fn survey(id: &str, target: SurveyTarget, communiquer: (u8, u8)) -> Survey {
        let mut entries = [ProfileEntry::UNUSED; Competency::COUNT];
        entries[Competency::Communiquer.index()] =
            ProfileEntry::new(communiquer.0, communiquer.1).unwrap();
        entries[Competency::ApprendreContinu.index()] = ProfileEntry::new(3, 3).unwrap();
        Survey {
            target,
            profile: TransversalProfile {
                entries: entries.map(Some),
                provenance: Provenance::Enquete {
                    id: id.into(),
                    source: "AFPA Évolution 21, enquête Aveyron".into(),
                    date: "2024".into(),
                    territory: Some("12".into()),
                    population: None,
                },
                rome: None,
            },
        }
    }

    const APP: SurveyTarget = SurveyTarget::Appellation(OgrCode::new(200145));

    /// Every import bumps the data version; a pinned connection keeps
    /// reading the version it was pinned at while another one imports.
    #[test]
    fn imports_bump_the_data_version_and_a_pinned_snapshot_does_not_move() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v.sqlite");
        let mut writer = SqliteStore::open(&path).unwrap();
        assert_eq!(writer.data_version().unwrap(), 0);
        writer
            .save_surveys(&[survey("a", APP, (1, 5))], "2026-11-23T08:00:00Z")
            .unwrap();
        assert_eq!(writer.data_version().unwrap(), 1);
        let pinned = SqliteStore::open(&path).unwrap();
        assert_eq!(pinned.pin_snapshot().unwrap(), 1);
        writer
            .save_surveys(&[survey("a", APP, (4, 4))], "2026-11-23T09:00:00Z")
            .unwrap();
        assert_eq!(writer.data_version().unwrap(), 2);
        assert_eq!(
            pinned.data_version().unwrap(),
            1,
            "l'instantané ne bouge pas"
        );
        assert_eq!(
            pinned.load_surveys().unwrap()[0].profile.entries,
            survey("a", APP, (1, 5)).profile.entries
        );
        // A failed import changes nothing, not even the version.
        let mut bad = survey("c", APP, (1, 1));
        bad.profile.provenance = Provenance::Estime {
            method: "m".into(),
            rome_version: "60".into(),
        };
        assert!(writer.save_surveys(&[bad], "2026-11-23T10:00:00Z").is_err());
        assert_eq!(SqliteStore::open(&path).unwrap().data_version().unwrap(), 2);
    }
}
