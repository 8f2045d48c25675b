//! Storage of the territorial layer (issue 5).
//!
//! [`TerritoryRepository`] is what the CLI, the documents and the server use;
//! [`SqliteStore`] implements it on the `terr_*` tables of
//! `migrations/0003_territoire.sql`. An import replaces everything inside one
//! transaction: a failure leaves the previous data exactly as it was.

use rusqlite::{OptionalExtension, Transaction, params};
use serde::{Deserialize, Serialize};

use passerelle_core::territory::records::{
    BmoDept, BmoMetier, Certification, Departement, ImportReport, MatchMethod, RncpFiche, RomeBmo,
    RomeNaf, TensionDept, TerritoryData, TrainingOffer, UnemploymentRate,
};
use passerelle_core::territory::{
    ContextInput, Found, JobInput, SecretCount, TerritorialContext, build_context,
};
use passerelle_core::{DeptCode, RomeCode};

use crate::{Result, SqlContext, SqliteStore, StoreError};

/// What `passerelle info` can say about the territorial data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TerritoryInfo {
    pub imported_at: String,
    pub source: String,
    pub bmo_year: u16,
    pub departements: u64,
    pub certifications: u64,
    pub formations: u64,
    pub formations_source: Option<String>,
}

/// Persistence of the territorial layer; implemented by [`SqliteStore`].
pub trait TerritoryRepository {
    /// Replaces all territorial data atomically (all or nothing).
    fn replace_territory(&mut self, data: &TerritoryData, imported_at: &str) -> Result<()>;
    fn has_territory(&self) -> Result<bool>;
    fn territory_info(&self) -> Result<Option<TerritoryInfo>>;
    fn territory_report(&self) -> Result<Option<ImportReport>>;
    fn departements(&self) -> Result<Vec<Departement>>;
    fn departement(&self, code: DeptCode) -> Result<Option<Departement>>;
    /// Replaces the training offer atomically.
    fn replace_formations(
        &mut self,
        offers: &[TrainingOffer],
        source: &str,
        imported_at: &str,
    ) -> Result<()>;
    fn formations_in(&self, dept: DeptCode) -> Result<Vec<TrainingOffer>>;
    /// Certif Info certifications leading to exactly this code.
    fn certifications_for(&self, rome: RomeCode) -> Result<Vec<Certification>>;
    /// The context of a département, for a target fiche `(code, code_rome_parent)`
    /// if given; `None` when the département is unknown.
    fn territorial_context(
        &self,
        dept: DeptCode,
        job: Option<(RomeCode, Option<RomeCode>)>,
    ) -> Result<Option<TerritorialContext>>;
}

/// Child tables first.
pub(crate) const TABLES: &[&str] = &[
    "terr_rncp_romes",
    "terr_rncp_fiches",
    "terr_certification_romes",
    "terr_certifications",
    "terr_rome_naf",
    "terr_tension",
    "terr_rome_bmo",
    "terr_bmo",
    "terr_bmo_metiers",
    "terr_chomage",
    "terr_departements",
];

pub(crate) fn json_err(e: serde_json::Error) -> StoreError {
    StoreError::Corrupt(format!("JSON : {e}"))
}

pub(crate) fn method_code(m: Option<MatchMethod>) -> Option<&'static str> {
    m.map(|m| match m {
        MatchMethod::Manuel => "manuel",
        MatchMethod::Libelle => "libelle",
        MatchMethod::Domaine => "domaine",
    })
}

fn write_territory(tx: &Transaction<'_>, data: &TerritoryData) -> Result<()> {
    let mut st = tx
        .prepare("INSERT INTO terr_departements (code, nom, region_code, region_nom, population, population_year, bassins) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
        .ctx("préparation des départements")?;
    for d in &data.departements {
        let bassins = data.bassins.per_dept.get(&d.code).copied().unwrap_or(0);
        st.execute(params![
            d.code.as_str(),
            d.nom,
            d.region_code,
            d.region_nom,
            d.population.map(|p| p as i64),
            d.population_year,
            bassins
        ])
        .ctx("écriture d'un département")?;
    }
    let mut st = tx
        .prepare("INSERT INTO terr_chomage (dept, year, rate) VALUES (?1, ?2, ?3)")
        .ctx("préparation du chômage")?;
    for u in &data.unemployment {
        st.execute(params![u.dept.as_str(), u.year, u.rate])
            .ctx("écriture d'un taux de chômage")?;
    }
    let mut st = tx
        .prepare("INSERT INTO terr_bmo_metiers (code, libelle, famille_code, famille_libelle) VALUES (?1, ?2, ?3, ?4)")
        .ctx("préparation des métiers BMO")?;
    for m in &data.bmo.metiers {
        st.execute(params![
            m.code,
            m.libelle,
            m.famille_code,
            m.famille_libelle
        ])
        .ctx("écriture d'un métier BMO")?;
    }
    let mut st = tx
        .prepare("INSERT INTO terr_bmo VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")
        .ctx("préparation de BMO")?;
    for b in &data.bmo.by_dept {
        st.execute(params![
            b.dept.as_str(),
            b.code,
            b.projets.known as i64,
            b.projets.secret_cells,
            b.difficiles.known as i64,
            b.difficiles.secret_cells,
            b.saisonniers.known as i64,
            b.saisonniers.secret_cells,
            b.bassins
        ])
        .ctx("écriture d'une ligne BMO")?;
    }
    let mut st = tx
        .prepare(
            "INSERT INTO terr_rome_bmo (rome, bmo, method, justification) VALUES (?1, ?2, ?3, ?4)",
        )
        .ctx("préparation de la correspondance ROME → BMO")?;
    for m in &data.rome_bmo {
        st.execute(params![
            m.rome.as_str(),
            m.bmo,
            method_code(m.method),
            m.justification
        ])
        .ctx("écriture de la correspondance ROME → BMO")?;
    }
    let mut st = tx
        .prepare("INSERT INTO terr_tension (dept, rome, offres, demandeurs, bassins) VALUES (?1, ?2, ?3, ?4, ?5)")
        .ctx("préparation des offres et demandeurs")?;
    for t in &data.tension {
        st.execute(params![
            t.dept.as_str(),
            t.rome.as_str(),
            t.offres,
            t.demandeurs,
            t.bassins
        ])
        .ctx("écriture des offres et demandeurs")?;
    }
    let mut st = tx
        .prepare("INSERT OR REPLACE INTO terr_rome_naf (rome, naf, libelle, embauches) VALUES (?1, ?2, ?3, ?4)")
        .ctx("préparation de ROME → NAF")?;
    for r in &data.rome_naf {
        st.execute(params![
            r.rome.as_str(),
            r.naf,
            r.naf_label,
            r.hirings as i64
        ])
        .ctx("écriture de ROME → NAF")?;
    }
    let mut cert = tx
        .prepare("INSERT INTO terr_certifications (id, data) VALUES (?1, ?2)")
        .ctx("préparation des certifications")?;
    let mut link = tx
        .prepare("INSERT OR IGNORE INTO terr_certification_romes (rome, cert_id) VALUES (?1, ?2)")
        .ctx("préparation des liens certification → ROME")?;
    for (i, c) in data.certifications.iter().enumerate() {
        let id = i as i64 + 1;
        cert.execute(params![id, serde_json::to_string(c).map_err(json_err)?])
            .ctx("écriture d'une certification")?;
        for r in &c.romes {
            link.execute(params![r.as_str(), id])
                .ctx("écriture d'un lien certification → ROME")?;
        }
    }
    let mut fiche = tx
        .prepare("INSERT INTO terr_rncp_fiches (numero, data) VALUES (?1, ?2)")
        .ctx("préparation des fiches RNCP")?;
    let mut link = tx
        .prepare("INSERT OR IGNORE INTO terr_rncp_romes (rome, numero) VALUES (?1, ?2)")
        .ctx("préparation des liens RNCP → ROME")?;
    for f in &data.rncp_fiches {
        fiche
            .execute(params![
                f.numero,
                serde_json::to_string(f).map_err(json_err)?
            ])
            .ctx("écriture d'une fiche RNCP")?;
        for r in &f.romes {
            link.execute(params![r.code.trim().to_ascii_uppercase(), f.numero])
                .ctx("écriture d'un lien RNCP → ROME")?;
        }
    }
    Ok(())
}

fn read_departement(r: &rusqlite::Row<'_>) -> rusqlite::Result<Departement> {
    let code: String = r.get(0)?;
    Ok(Departement {
        code: DeptCode::parse(&code).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
        })?,
        nom: r.get(1)?,
        region_code: r.get(2)?,
        region_nom: r.get(3)?,
        population: r.get::<_, Option<i64>>(4)?.map(|p| p as u64),
        population_year: r.get(5)?,
    })
}

const DEPT_COLS: &str = "code, nom, region_code, region_nom, population, population_year";

impl SqliteStore {
    fn lookup_tension(&self, dept: DeptCode, rome: RomeCode) -> Result<Option<TensionDept>> {
        self.conn()
            .query_row(
                "SELECT offres, demandeurs, bassins FROM terr_tension WHERE dept = ?1 AND rome = ?2",
                params![dept.as_str(), rome.as_str()],
                |r| Ok(TensionDept { dept, rome, offres: r.get(0)?, demandeurs: r.get(1)?, bassins: r.get(2)? }),
            )
            .optional()
            .ctx("lecture des offres et demandeurs")
    }

    fn rncp_fiches(&self, sql: &str, key: &str) -> Result<Vec<RncpFiche>> {
        let mut st = self
            .conn()
            .prepare_cached(sql)
            .ctx("lecture des fiches RNCP")?;
        let rows = st
            .query_map(params![key], |r| r.get::<_, String>(0))
            .ctx("lecture des fiches RNCP")?;
        let mut out = Vec::new();
        for json in rows {
            out.push(
                serde_json::from_str(&json.ctx("lecture des fiches RNCP")?).map_err(json_err)?,
            );
        }
        Ok(out)
    }

    fn lookup_naf(&self, rome: RomeCode) -> Result<Vec<RomeNaf>> {
        let mut st = self
            .conn()
            .prepare_cached("SELECT naf, libelle, embauches FROM terr_rome_naf WHERE rome = ?1 ORDER BY embauches DESC, naf")
            .ctx("lecture de ROME → NAF")?;
        let rows = st
            .query_map(params![rome.as_str()], |r| {
                Ok(RomeNaf {
                    rome,
                    naf: r.get(0)?,
                    naf_label: r.get(1)?,
                    hirings: r.get::<_, i64>(2)? as u64,
                })
            })
            .ctx("lecture de ROME → NAF")?;
        rows.collect::<rusqlite::Result<_>>()
            .ctx("lecture de ROME → NAF")
    }

    /// The first non-empty result for the code, then for its parent.
    fn with_parent<T>(
        &self,
        code: RomeCode,
        parent: Option<RomeCode>,
        mut f: impl FnMut(RomeCode) -> Result<Option<T>>,
    ) -> Result<Option<Found<T>>> {
        for c in [Some(code), parent.filter(|p| *p != code)]
            .into_iter()
            .flatten()
        {
            if let Some(value) = f(c)? {
                return Ok(Some(Found { value, code: c }));
            }
        }
        Ok(None)
    }

    fn job_input(
        &self,
        dept: DeptCode,
        code: RomeCode,
        parent: Option<RomeCode>,
    ) -> Result<JobInput> {
        let conn = self.conn();
        let bmo_year: u16 = conn
            .query_row(
                "SELECT bmo_year FROM terr_imports ORDER BY id DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .ctx("lecture de l'année BMO")?;
        let mapping = conn
            .query_row(
                "SELECT bmo, method, justification FROM terr_rome_bmo WHERE rome = ?1",
                params![code.as_str()],
                |r| {
                    let method: Option<String> = r.get(1)?;
                    Ok(RomeBmo {
                        rome: code,
                        bmo: r.get(0)?,
                        method: method.as_deref().and_then(|m| match m {
                            "manuel" => Some(MatchMethod::Manuel),
                            "libelle" => Some(MatchMethod::Libelle),
                            "domaine" => Some(MatchMethod::Domaine),
                            _ => None,
                        }),
                        justification: r.get(2)?,
                    })
                },
            )
            .optional()
            .ctx("lecture de la correspondance ROME → BMO")?;
        let bmo_code = mapping.as_ref().and_then(|m| m.bmo.clone());
        let (bmo_metier, bmo) = match &bmo_code {
            None => (None, None),
            Some(c) => {
                let metier = conn
                    .query_row(
                        "SELECT code, libelle, famille_code, famille_libelle FROM terr_bmo_metiers WHERE code = ?1",
                        params![c],
                        |r| Ok(BmoMetier { code: r.get(0)?, libelle: r.get(1)?, famille_code: r.get(2)?, famille_libelle: r.get(3)? }),
                    )
                    .optional()
                    .ctx("lecture d'un métier BMO")?;
                let sc = |k: i64, s: u32| SecretCount {
                    known: k as u64,
                    secret_cells: s,
                };
                let row = conn
                    .query_row(
                        "SELECT projets, projets_secret, difficiles, difficiles_secret, saisonniers, saisonniers_secret, bassins FROM terr_bmo WHERE dept = ?1 AND code = ?2",
                        params![dept.as_str(), c],
                        |r| {
                            Ok(BmoDept {
                                dept,
                                code: c.clone(),
                                projets: sc(r.get(0)?, r.get(1)?),
                                difficiles: sc(r.get(2)?, r.get(3)?),
                                saisonniers: sc(r.get(4)?, r.get(5)?),
                                bassins: r.get(6)?,
                            })
                        },
                    )
                    .optional()
                    .ctx("lecture de BMO")?;
                (metier, row)
            }
        };
        let bassins_in_dept: u32 = conn
            .query_row(
                "SELECT bassins FROM terr_departements WHERE code = ?1",
                params![dept.as_str()],
                |r| r.get(0),
            )
            .ctx("lecture des bassins")?;
        let tension = self.with_parent(code, parent, |c| self.lookup_tension(dept, c))?;
        let naf = self.with_parent(code, parent, |c| {
            Ok(Some(self.lookup_naf(c)?).filter(|v| !v.is_empty()))
        })?;
        let certifications = self.with_parent(code, parent, |c| {
            Ok(Some(self.certifications_for(c)?).filter(|v| !v.is_empty()))
        })?;
        let rncp = self.with_parent(code, parent, |c| {
            let v = self.rncp_fiches(
                "SELECT f.data FROM terr_rncp_fiches f JOIN terr_rncp_romes r ON r.numero = f.numero WHERE r.rome = ?1 ORDER BY f.numero",
                c.as_str(),
            )?;
            Ok(Some(v).filter(|v| !v.is_empty()))
        })?;
        let mut rncp_for_certifications = Vec::new();
        for c in certifications.iter().flat_map(|f| &f.value) {
            for numero in c.rncp.iter().chain(&c.rs) {
                rncp_for_certifications.extend(self.rncp_fiches(
                    "SELECT data FROM terr_rncp_fiches WHERE numero = ?1",
                    numero,
                )?);
            }
        }
        let formations = self.formations_in(dept)?;
        let formations_source = conn
            .query_row(
                "SELECT source FROM terr_formation_imports ORDER BY id DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()
            .ctx("lecture de l'import des formations")?;
        Ok(JobInput {
            code,
            parent,
            mapping,
            bmo_metier,
            bmo,
            bmo_year,
            tension,
            bassins_in_dept,
            naf,
            certifications,
            formations,
            formations_source,
            rncp,
            rncp_for_certifications,
        })
    }
}

impl TerritoryRepository for SqliteStore {
    fn replace_territory(&mut self, data: &TerritoryData, imported_at: &str) -> Result<()> {
        let report = serde_json::to_string(&data.report).map_err(json_err)?;
        let tx = self.import_transaction("début de l'import territorial")?;
        for t in TABLES {
            tx.execute(&format!("DELETE FROM {t}"), [])
                .ctx("effacement des anciennes données territoriales")?;
        }
        write_territory(&tx, data)?;
        tx.execute(
            "INSERT INTO terr_imports (imported_at, source, bmo_year, report) VALUES (?1, ?2, ?3, ?4)",
            params![imported_at, data.report.source, data.bmo.year, report],
        )
        .ctx("enregistrement de l'import territorial")?;
        crate::bump_data_version(&tx)?;
        tx.commit().ctx("validation de l'import territorial")
    }

    fn has_territory(&self) -> Result<bool> {
        self.conn()
            .query_row("SELECT EXISTS (SELECT 1 FROM terr_departements)", [], |r| {
                r.get(0)
            })
            .ctx("lecture des départements")
    }

    fn territory_info(&self) -> Result<Option<TerritoryInfo>> {
        let conn = self.conn();
        let last = conn
            .query_row(
                "SELECT imported_at, source, bmo_year FROM terr_imports ORDER BY id DESC LIMIT 1",
                [],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, u16>(2)?,
                    ))
                },
            )
            .optional()
            .ctx("lecture du dernier import territorial")?;
        let Some((imported_at, source, bmo_year)) = last else {
            return Ok(None);
        };
        let count = |sql: &str| {
            conn.query_row(sql, [], |r| r.get::<_, i64>(0))
                .map(|n| n as u64)
                .ctx("comptage territorial")
        };
        Ok(Some(TerritoryInfo {
            imported_at,
            source,
            bmo_year,
            departements: count("SELECT COUNT(*) FROM terr_departements")?,
            certifications: count("SELECT COUNT(*) FROM terr_certifications")?,
            formations: count("SELECT COUNT(*) FROM terr_formations")?,
            formations_source: conn
                .query_row(
                    "SELECT source FROM terr_formation_imports ORDER BY id DESC LIMIT 1",
                    [],
                    |r| r.get(0),
                )
                .optional()
                .ctx("lecture de l'import des formations")?,
        }))
    }

    fn territory_report(&self) -> Result<Option<ImportReport>> {
        let json: Option<String> = self
            .conn()
            .query_row(
                "SELECT report FROM terr_imports ORDER BY id DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()
            .ctx("lecture du rapport territorial")?;
        json.map(|j| serde_json::from_str(&j).map_err(json_err))
            .transpose()
    }

    fn departements(&self) -> Result<Vec<Departement>> {
        let mut st = self
            .conn()
            .prepare(&format!(
                "SELECT {DEPT_COLS} FROM terr_departements ORDER BY code"
            ))
            .ctx("lecture des départements")?;
        let rows = st
            .query_map([], read_departement)
            .ctx("lecture des départements")?;
        rows.collect::<rusqlite::Result<_>>()
            .ctx("lecture des départements")
    }

    fn departement(&self, code: DeptCode) -> Result<Option<Departement>> {
        self.conn()
            .query_row(
                &format!("SELECT {DEPT_COLS} FROM terr_departements WHERE code = ?1"),
                params![code.as_str()],
                read_departement,
            )
            .optional()
            .ctx("lecture d'un département")
    }

    fn replace_formations(
        &mut self,
        offers: &[TrainingOffer],
        source: &str,
        imported_at: &str,
    ) -> Result<()> {
        let tx = self.import_transaction("début de l'import des formations")?;
        tx.execute("DELETE FROM terr_formations", [])
            .ctx("effacement de l'ancienne offre de formation")?;
        {
            let mut st = tx
                .prepare("INSERT INTO terr_formations (id, dept, data) VALUES (?1, ?2, ?3)")
                .ctx("préparation des formations")?;
            for o in offers {
                st.execute(params![
                    o.id,
                    o.departement.map(|d| d.to_string()),
                    serde_json::to_string(o).map_err(json_err)?
                ])
                .ctx("écriture d'une offre de formation")?;
            }
        }
        tx.execute(
            "INSERT INTO terr_formation_imports (imported_at, source, offers) VALUES (?1, ?2, ?3)",
            params![imported_at, source, offers.len() as i64],
        )
        .ctx("enregistrement de l'import des formations")?;
        crate::bump_data_version(&tx)?;
        tx.commit().ctx("validation de l'import des formations")
    }

    fn formations_in(&self, dept: DeptCode) -> Result<Vec<TrainingOffer>> {
        let mut st = self
            .conn()
            .prepare_cached("SELECT data FROM terr_formations WHERE dept = ?1 ORDER BY id")
            .ctx("lecture des formations")?;
        let rows = st
            .query_map(params![dept.as_str()], |r| r.get::<_, String>(0))
            .ctx("lecture des formations")?;
        let mut out = Vec::new();
        for json in rows {
            out.push(serde_json::from_str(&json.ctx("lecture des formations")?).map_err(json_err)?);
        }
        Ok(out)
    }

    fn certifications_for(&self, rome: RomeCode) -> Result<Vec<Certification>> {
        let mut st = self
            .conn()
            .prepare_cached(
                "SELECT c.data FROM terr_certifications c JOIN terr_certification_romes l ON l.cert_id = c.id WHERE l.rome = ?1 ORDER BY c.id",
            )
            .ctx("lecture des certifications")?;
        let rows = st
            .query_map(params![rome.as_str()], |r| r.get::<_, String>(0))
            .ctx("lecture des certifications")?;
        let mut out: Vec<Certification> = Vec::new();
        for json in rows {
            out.push(
                serde_json::from_str(&json.ctx("lecture des certifications")?).map_err(json_err)?,
            );
        }
        // Published first, then by level, then by title.
        out.sort_by(|a, b| {
            (a.etat != "Publié")
                .cmp(&(b.etat != "Publié"))
                .then(b.niveau.cmp(&a.niveau))
                .then(a.libelle.cmp(&b.libelle))
        });
        Ok(out)
    }

    fn territorial_context(
        &self,
        dept: DeptCode,
        job: Option<(RomeCode, Option<RomeCode>)>,
    ) -> Result<Option<TerritorialContext>> {
        let Some(departement) = self.departement(dept)? else {
            return Ok(None);
        };
        let unemployment = self
            .conn()
            .query_row(
                "SELECT year, rate FROM terr_chomage WHERE dept = ?1 ORDER BY year DESC LIMIT 1",
                params![dept.as_str()],
                |r| {
                    Ok(UnemploymentRate {
                        dept,
                        year: r.get(0)?,
                        rate: r.get(1)?,
                    })
                },
            )
            .optional()
            .ctx("lecture du taux de chômage")?;
        let job = job
            .map(|(code, parent)| self.job_input(dept, code, parent))
            .transpose()?;
        Ok(Some(build_context(ContextInput {
            departement,
            unemployment,
            job,
        })))
    }
}
