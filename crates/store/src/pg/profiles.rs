//! [`ProfileRepository`] on PostgreSQL (`migrations/postgres/0002_profils.sql`).

use passerelle_core::transversal::{
    Competency, ProfileEntry, Provenance, Survey, SurveyTarget, TransversalProfile,
};
use passerelle_core::{OgrCode, RomeCode};

use super::{Cells, PgStore};
use crate::{ProfileRepository, Result, SqlContext, StoreError};

impl ProfileRepository for PgStore {
    fn save_surveys(&mut self, surveys: &[Survey], imported_at: &str) -> Result<()> {
        self.write("import des profils", |tx| {
            for s in surveys {
                let Provenance::Enquete { id, source, date, territory, population } = &s.profile.provenance else {
                    return Err(StoreError::Corrupt("un profil estimé ne s'enregistre pas comme enquête".into()));
                };
                let (target_type, target_code) = match s.target {
                    SurveyTarget::Rome(c) => ("rome", c.to_string()),
                    SurveyTarget::Appellation(o) => ("appellation", o.to_string()),
                };
                tx.execute("DELETE FROM surveys WHERE id = $1", &[id]).ctx("remplacement d'une enquête")?;
                tx.execute(
                    "INSERT INTO surveys (id, target_type, target_code, source, date, territory, population, imported_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                    &[id, &target_type, &target_code, source, date, territory, population, &imported_at],
                )
                .ctx("écriture d'une enquête")?;
                for c in Competency::ALL {
                    let e = s.profile.get(c);
                    tx.execute(
                        "INSERT INTO survey_entries (survey_id, competency, level, stars) VALUES ($1, $2, $3, $4)",
                        &[id, &(c.index() as i64), &i64::from(e.level()), &i64::from(e.stars())],
                    )
                    .ctx("écriture d'un profil d'enquête")?;
                }
            }
            Ok(())
        })
    }

    fn load_surveys(&self) -> Result<Vec<Survey>> {
        self.read("lecture des enquêtes", |tx| {
            let ctx = "lecture des enquêtes";
            let heads = tx
                .query(
                    "SELECT id, target_type, target_code, source, date, territory, population FROM surveys ORDER BY id",
                    &[],
                )
                .ctx(ctx)?;
            let entries_stmt = tx
                .prepare("SELECT competency, level, stars FROM survey_entries WHERE survey_id = $1")
                .ctx("lecture des profils d'enquête")?;
            let mut out = Vec::with_capacity(heads.len());
            for row in &heads {
                let c = Cells::new(row, ctx);
                let (id, target_type, code) = (c.text(0)?, c.text(1)?, c.text(2)?);
                let bad = || StoreError::Corrupt(format!("enquête {id} : cible « {target_type} {code} » invalide"));
                let target = match target_type.as_str() {
                    "rome" => SurveyTarget::Rome(RomeCode::parse(&code).map_err(|_| bad())?),
                    "appellation" => SurveyTarget::Appellation(OgrCode::parse(&code).map_err(|_| bad())?),
                    _ => return Err(bad()),
                };
                let mut entries = [ProfileEntry::UNUSED; Competency::COUNT];
                let ctx = "lecture des profils d'enquête";
                for r in tx.query(&entries_stmt, &[&id]).ctx(ctx)? {
                    let e = Cells::new(&r, ctx);
                    let (competency, level, stars) = (e.num::<usize>(0)?, e.num(1)?, e.num(2)?);
                    let entry = ProfileEntry::new(level, stars)
                        .map_err(|err| StoreError::Corrupt(format!("enquête {id} : {err}")))?;
                    *entries.get_mut(competency).ok_or_else(bad)? = entry;
                }
                let rome = match target {
                    SurveyTarget::Rome(c) => Some(c),
                    SurveyTarget::Appellation(_) => None,
                };
                let provenance = Provenance::Enquete {
                    id: id.clone(),
                    source: c.text(3)?,
                    date: c.text(4)?,
                    territory: c.opt_text(5)?,
                    population: c.opt_text(6)?,
                };
                out.push(Survey { target, profile: TransversalProfile { entries: entries.map(Some), provenance, rome } });
            }
            Ok(out)
        })
    }
}
