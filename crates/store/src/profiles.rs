//! Storage of surveyed transversal profiles.

use rusqlite::params;

use passerelle_core::transversal::{
    Competency, ProfileEntry, Provenance, Survey, SurveyTarget, TransversalProfile,
};
use passerelle_core::{OgrCode, RomeCode};

use crate::{Result, SqlContext, SqliteStore, StoreError};

/// Surveyed profiles, behind a trait so that another database can serve them.
pub trait ProfileRepository {
    /// Adds the surveys, replacing those with the same identifiers, in one
    /// transaction: on error nothing is written.
    fn save_surveys(&mut self, surveys: &[Survey], imported_at: &str) -> Result<()>;
    fn load_surveys(&self) -> Result<Vec<Survey>>;
}

impl ProfileRepository for SqliteStore {
    fn save_surveys(&mut self, surveys: &[Survey], imported_at: &str) -> Result<()> {
        let tx = self.import_transaction("début d'import des profils")?;
        for s in surveys {
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
            tx.execute("DELETE FROM surveys WHERE id = ?1", params![id])
                .ctx("remplacement d'une enquête")?;
            tx.execute(
                "INSERT INTO surveys (id, target_type, target_code, source, date, territory, population, imported_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![id, target_type, target_code, source, date, territory, population, imported_at],
            )
            .ctx("écriture d'une enquête")?;
            for c in Competency::ALL {
                let e = s.profile.get(c);
                tx.execute(
                    "INSERT INTO survey_entries (survey_id, competency, level, stars) VALUES (?1, ?2, ?3, ?4)",
                    params![id, c.index() as i64, e.level(), e.stars()],
                )
                .ctx("écriture d'un profil d'enquête")?;
            }
        }
        crate::bump_data_version(&tx)?;
        tx.commit().ctx("validation de l'import des profils")
    }

    fn load_surveys(&self) -> Result<Vec<Survey>> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare(
                "SELECT id, target_type, target_code, source, date, territory, population FROM surveys ORDER BY id",
            )
            .ctx("lecture des enquêtes")?;
        let heads = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, Option<String>>(5)?,
                    r.get::<_, Option<String>>(6)?,
                ))
            })
            .ctx("lecture des enquêtes")?
            .collect::<rusqlite::Result<Vec<_>>>()
            .ctx("lecture des enquêtes")?;
        let mut entries_stmt = conn
            .prepare("SELECT competency, level, stars FROM survey_entries WHERE survey_id = ?1")
            .ctx("lecture des profils d'enquête")?;
        let mut out = Vec::with_capacity(heads.len());
        for (id, target_type, code, source, date, territory, population) in heads {
            let bad = || {
                StoreError::Corrupt(format!(
                    "enquête {id} : cible « {target_type} {code} » invalide"
                ))
            };
            let target = match target_type.as_str() {
                "rome" => SurveyTarget::Rome(RomeCode::parse(&code).map_err(|_| bad())?),
                "appellation" => {
                    SurveyTarget::Appellation(OgrCode::parse(&code).map_err(|_| bad())?)
                }
                _ => return Err(bad()),
            };
            let mut entries = [ProfileEntry::UNUSED; Competency::COUNT];
            let rows = entries_stmt
                .query_map(params![id], |r| {
                    Ok((r.get::<_, u8>(0)?, r.get::<_, u8>(1)?, r.get::<_, u8>(2)?))
                })
                .ctx("lecture des profils d'enquête")?;
            for row in rows {
                let (c, level, stars) = row.ctx("lecture des profils d'enquête")?;
                let entry = ProfileEntry::new(level, stars)
                    .map_err(|e| StoreError::Corrupt(format!("enquête {id} : {e}")))?;
                *entries.get_mut(c as usize).ok_or_else(bad)? = entry;
            }
            let rome = match target {
                SurveyTarget::Rome(c) => Some(c),
                SurveyTarget::Appellation(_) => None,
            };
            out.push(Survey {
                target,
                profile: TransversalProfile {
                    entries: entries.map(Some),
                    provenance: Provenance::Enquete {
                        id,
                        source,
                        date,
                        territory,
                        population,
                    },
                    rome,
                },
            });
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    // The backend-independent tests are in tests/profiles.rs (both backends);
    // pinning a snapshot is SQLite's.
    use super::*;

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
