//! [`TerritoryRepository`] on PostgreSQL (`migrations/postgres/0003_territoire.sql`),
//! query for query the twin of `src/territory.rs`.

use std::collections::{BTreeMap, BTreeSet};

use postgres::Transaction;
use postgres::types::ToSql;

use passerelle_core::territory::records::{
    BmoDept, BmoMetier, Certification, Departement, ImportReport, MatchMethod, RncpFiche, RomeBmo,
    RomeNaf, TensionDept, TerritoryData, TrainingOffer, UnemploymentRate,
};
use passerelle_core::territory::{
    ContextInput, Found, JobInput, SecretCount, TerritorialContext, build_context,
};
use passerelle_core::{DeptCode, RomeCode};

use super::{Cells, CopyBuf, PgStore};
use crate::territory::{TABLES, json_err, method_code};
use crate::{Result, SqlContext, StoreError, TerritoryInfo, TerritoryRepository};

type Params<'a> = &'a [&'a (dyn ToSql + Sync)];

/// The COPY rows of every territorial table, parents first. Duplicates that
/// SQLite resolves with `OR REPLACE` (ROME → NAF: the last wins) or
/// `OR IGNORE` (links: the first wins) are resolved here the same way.
fn encode(data: &TerritoryData) -> Result<Vec<CopyBuf>> {
    let mut depts = CopyBuf::new(
        "terr_departements",
        "code, nom, region_code, region_nom, population, population_year, bassins",
    );
    for d in &data.departements {
        let bassins = data.bassins.per_dept.get(&d.code).copied().unwrap_or(0);
        depts.row(&[
            &d.code.as_str(),
            &d.nom,
            &d.region_code,
            &d.region_nom,
            &d.population,
            &d.population_year,
            &bassins,
        ]);
    }
    let mut chomage = CopyBuf::new("terr_chomage", "dept, year, rate");
    for u in &data.unemployment {
        chomage.row(&[&u.dept.as_str(), &u.year, &u.rate]);
    }
    let mut metiers = CopyBuf::new(
        "terr_bmo_metiers",
        "code, libelle, famille_code, famille_libelle",
    );
    for m in &data.bmo.metiers {
        metiers.row(&[&m.code, &m.libelle, &m.famille_code, &m.famille_libelle]);
    }
    let mut bmo = CopyBuf::new(
        "terr_bmo",
        "dept, code, projets, projets_secret, difficiles, difficiles_secret, saisonniers, saisonniers_secret, bassins",
    );
    for b in &data.bmo.by_dept {
        bmo.row(&[
            &b.dept.as_str(),
            &b.code,
            &b.projets.known,
            &b.projets.secret_cells,
            &b.difficiles.known,
            &b.difficiles.secret_cells,
            &b.saisonniers.known,
            &b.saisonniers.secret_cells,
            &b.bassins,
        ]);
    }
    let mut rome_bmo = CopyBuf::new("terr_rome_bmo", "rome, bmo, method, justification");
    for m in &data.rome_bmo {
        rome_bmo.row(&[
            &m.rome.as_str(),
            &m.bmo,
            &method_code(m.method),
            &m.justification,
        ]);
    }
    let mut tension = CopyBuf::new("terr_tension", "dept, rome, offres, demandeurs, bassins");
    for t in &data.tension {
        tension.row(&[
            &t.dept.as_str(),
            &t.rome.as_str(),
            &t.offres,
            &t.demandeurs,
            &t.bassins,
        ]);
    }
    let mut last_naf: BTreeMap<(&str, &str), &RomeNaf> = BTreeMap::new();
    for r in &data.rome_naf {
        last_naf.insert((r.rome.as_str(), r.naf.as_str()), r);
    }
    let mut naf = CopyBuf::new("terr_rome_naf", "rome, naf, libelle, embauches");
    for r in last_naf.values() {
        naf.row(&[&r.rome.as_str(), &r.naf, &r.naf_label, &r.hirings]);
    }
    let mut certs = CopyBuf::new("terr_certifications", "id, data");
    let mut cert_romes = CopyBuf::new("terr_certification_romes", "rome, cert_id");
    let mut seen = BTreeSet::new();
    for (i, c) in data.certifications.iter().enumerate() {
        let id = i + 1;
        certs.row(&[&id, &serde_json::to_string(c).map_err(json_err)?]);
        for r in &c.romes {
            if seen.insert((r.as_str(), id)) {
                cert_romes.row(&[&r.as_str(), &id]);
            }
        }
    }
    let mut fiches = CopyBuf::new("terr_rncp_fiches", "numero, data");
    let mut fiche_romes = CopyBuf::new("terr_rncp_romes", "rome, numero");
    let mut seen = BTreeSet::new();
    for f in &data.rncp_fiches {
        fiches.row(&[&f.numero, &serde_json::to_string(f).map_err(json_err)?]);
        for r in &f.romes {
            let rome = r.code.trim().to_ascii_uppercase();
            if seen.insert((rome.clone(), f.numero.as_str())) {
                fiche_romes.row(&[&rome, &f.numero]);
            }
        }
    }
    Ok(vec![
        depts,
        chomage,
        metiers,
        bmo,
        rome_bmo,
        tension,
        naf,
        certs,
        cert_romes,
        fiches,
        fiche_romes,
    ])
}

fn one<T>(
    tx: &mut Transaction<'_>,
    sql: &str,
    params: Params<'_>,
    ctx: &'static str,
    f: impl FnOnce(&Cells<'_>) -> Result<T>,
) -> Result<Option<T>> {
    match tx.query_opt(sql, params).ctx(ctx)? {
        None => Ok(None),
        Some(row) => f(&Cells::new(&row, ctx)).map(Some),
    }
}

fn json_rows<T: serde::de::DeserializeOwned>(
    tx: &mut Transaction<'_>,
    sql: &str,
    params: Params<'_>,
    ctx: &'static str,
) -> Result<Vec<T>> {
    let mut out = Vec::new();
    for row in tx.query(sql, params).ctx(ctx)? {
        out.push(serde_json::from_str(&Cells::new(&row, ctx).text(0)?).map_err(json_err)?);
    }
    Ok(out)
}

fn dept_code(c: &Cells<'_>, i: usize) -> Result<DeptCode> {
    let code = c.text(i)?;
    DeptCode::parse(&code).map_err(|e| StoreError::Corrupt(format!("département « {code} » : {e}")))
}

const DEPT_SQL: &str =
    "SELECT code, nom, region_code, region_nom, population, population_year FROM terr_departements";

fn read_departement(c: &Cells<'_>) -> Result<Departement> {
    Ok(Departement {
        code: dept_code(c, 0)?,
        nom: c.text(1)?,
        region_code: c.text(2)?,
        region_nom: c.text(3)?,
        population: c.opt_num(4)?,
        population_year: c.opt_num(5)?,
    })
}

fn departement(tx: &mut Transaction<'_>, code: DeptCode) -> Result<Option<Departement>> {
    one(
        tx,
        &format!("{DEPT_SQL} WHERE code = $1"),
        &[&code.as_str()],
        "lecture d'un département",
        read_departement,
    )
}

fn formations_in(tx: &mut Transaction<'_>, dept: DeptCode) -> Result<Vec<TrainingOffer>> {
    json_rows(
        tx,
        "SELECT data FROM terr_formations WHERE dept = $1 ORDER BY id",
        &[&dept.as_str()],
        "lecture des formations",
    )
}

fn certifications_for(tx: &mut Transaction<'_>, rome: RomeCode) -> Result<Vec<Certification>> {
    let mut out: Vec<Certification> = json_rows(
        tx,
        "SELECT c.data FROM terr_certifications c JOIN terr_certification_romes l ON l.cert_id = c.id WHERE l.rome = $1 ORDER BY c.id",
        &[&rome.as_str()],
        "lecture des certifications",
    )?;
    // Published first, then by level, then by title (as SQLite's twin).
    out.sort_by(|a, b| {
        (a.etat != "Publié")
            .cmp(&(b.etat != "Publié"))
            .then(b.niveau.cmp(&a.niveau))
            .then(a.libelle.cmp(&b.libelle))
    });
    Ok(out)
}

/// The first non-empty result for the code, then for its parent.
fn with_parent<T>(
    tx: &mut Transaction<'_>,
    code: RomeCode,
    parent: Option<RomeCode>,
    mut f: impl FnMut(&mut Transaction<'_>, RomeCode) -> Result<Option<T>>,
) -> Result<Option<Found<T>>> {
    for c in [Some(code), parent.filter(|p| *p != code)]
        .into_iter()
        .flatten()
    {
        if let Some(value) = f(tx, c)? {
            return Ok(Some(Found { value, code: c }));
        }
    }
    Ok(None)
}

fn last_formations_source(tx: &mut Transaction<'_>) -> Result<Option<String>> {
    one(
        tx,
        "SELECT source FROM terr_formation_imports ORDER BY id DESC LIMIT 1",
        &[],
        "lecture de l'import des formations",
        |c| c.text(0),
    )
}

fn job_input(
    tx: &mut Transaction<'_>,
    dept: DeptCode,
    code: RomeCode,
    parent: Option<RomeCode>,
) -> Result<JobInput> {
    let bmo_year: u16 = one(
        tx,
        "SELECT bmo_year FROM terr_imports ORDER BY id DESC LIMIT 1",
        &[],
        "lecture de l'année BMO",
        |c| c.num(0),
    )?
    .ok_or_else(|| {
        StoreError::Corrupt("lecture de l'année BMO : aucun import territorial".into())
    })?;
    let mapping = one(
        tx,
        "SELECT bmo, method, justification FROM terr_rome_bmo WHERE rome = $1",
        &[&code.as_str()],
        "lecture de la correspondance ROME → BMO",
        |c| {
            Ok(RomeBmo {
                rome: code,
                bmo: c.opt_text(0)?,
                method: c.opt_text(1)?.as_deref().and_then(|m| match m {
                    "manuel" => Some(MatchMethod::Manuel),
                    "libelle" => Some(MatchMethod::Libelle),
                    "domaine" => Some(MatchMethod::Domaine),
                    _ => None,
                }),
                justification: c.text(2)?,
            })
        },
    )?;
    let bmo_code = mapping.as_ref().and_then(|m| m.bmo.clone());
    let (bmo_metier, bmo) = match &bmo_code {
        None => (None, None),
        Some(b) => {
            let metier = one(
                tx,
                "SELECT code, libelle, famille_code, famille_libelle FROM terr_bmo_metiers WHERE code = $1",
                &[b],
                "lecture d'un métier BMO",
                |c| {
                    Ok(BmoMetier {
                        code: c.text(0)?,
                        libelle: c.text(1)?,
                        famille_code: c.text(2)?,
                        famille_libelle: c.text(3)?,
                    })
                },
            )?;
            let sc = |c: &Cells<'_>, i: usize| -> Result<SecretCount> {
                Ok(SecretCount {
                    known: c.num(i)?,
                    secret_cells: c.num(i + 1)?,
                })
            };
            let row = one(
                tx,
                "SELECT projets, projets_secret, difficiles, difficiles_secret, saisonniers, saisonniers_secret, bassins FROM terr_bmo WHERE dept = $1 AND code = $2",
                &[&dept.as_str(), b],
                "lecture de BMO",
                |c| {
                    Ok(BmoDept {
                        dept,
                        code: b.clone(),
                        projets: sc(c, 0)?,
                        difficiles: sc(c, 2)?,
                        saisonniers: sc(c, 4)?,
                        bassins: c.num(6)?,
                    })
                },
            )?;
            (metier, row)
        }
    };
    let bassins_in_dept: u32 = one(
        tx,
        "SELECT bassins FROM terr_departements WHERE code = $1",
        &[&dept.as_str()],
        "lecture des bassins",
        |c| c.num(0),
    )?
    .ok_or_else(|| {
        StoreError::Corrupt(format!("lecture des bassins : département {dept} absent"))
    })?;
    let tension = with_parent(tx, code, parent, |tx, c| {
        one(
            tx,
            "SELECT offres, demandeurs, bassins FROM terr_tension WHERE dept = $1 AND rome = $2",
            &[&dept.as_str(), &c.as_str()],
            "lecture des offres et demandeurs",
            |r| {
                Ok(TensionDept {
                    dept,
                    rome: c,
                    offres: r.real(0)?,
                    demandeurs: r.real(1)?,
                    bassins: r.num(2)?,
                })
            },
        )
    })?;
    let naf = with_parent(tx, code, parent, |tx, c| {
        let ctx = "lecture de ROME → NAF";
        let mut v = Vec::new();
        for row in tx
            .query("SELECT naf, libelle, embauches FROM terr_rome_naf WHERE rome = $1 ORDER BY embauches DESC, naf", &[&c.as_str()])
            .ctx(ctx)?
        {
            let r = Cells::new(&row, ctx);
            v.push(RomeNaf { rome: c, naf: r.text(0)?, naf_label: r.text(1)?, hirings: r.num(2)? });
        }
        Ok(Some(v).filter(|v| !v.is_empty()))
    })?;
    let certifications = with_parent(tx, code, parent, |tx, c| {
        Ok(Some(certifications_for(tx, c)?).filter(|v| !v.is_empty()))
    })?;
    let rncp = with_parent(tx, code, parent, |tx, c| {
        let v: Vec<RncpFiche> = json_rows(
            tx,
            "SELECT f.data FROM terr_rncp_fiches f JOIN terr_rncp_romes r ON r.numero = f.numero WHERE r.rome = $1 ORDER BY f.numero",
            &[&c.as_str()],
            "lecture des fiches RNCP",
        )?;
        Ok(Some(v).filter(|v| !v.is_empty()))
    })?;
    let mut rncp_for_certifications = Vec::new();
    for c in certifications.iter().flat_map(|f| &f.value) {
        for numero in c.rncp.iter().chain(&c.rs) {
            rncp_for_certifications.extend(json_rows::<RncpFiche>(
                tx,
                "SELECT data FROM terr_rncp_fiches WHERE numero = $1",
                &[numero],
                "lecture des fiches RNCP",
            )?);
        }
    }
    let formations = formations_in(tx, dept)?;
    let formations_source = last_formations_source(tx)?;
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

impl TerritoryRepository for PgStore {
    fn replace_territory(&mut self, data: &TerritoryData, imported_at: &str) -> Result<()> {
        let report = serde_json::to_string(&data.report).map_err(json_err)?;
        let tables = encode(data)?;
        self.write("import territorial", |tx| {
            for t in TABLES {
                tx.batch_execute(&format!("DELETE FROM {t}")).ctx("effacement des anciennes données territoriales")?;
            }
            for t in &tables {
                t.send(tx, "écriture des données territoriales")?;
            }
            tx.execute(
                "INSERT INTO terr_imports (imported_at, source, bmo_year, report) VALUES ($1, $2, $3, $4)",
                &[&imported_at, &data.report.source, &i64::from(data.bmo.year), &report],
            )
            .ctx("enregistrement de l'import territorial")?;
            Ok(())
        })
    }

    fn has_territory(&self) -> Result<bool> {
        self.read("lecture des départements", |tx| {
            Ok(tx
                .query_one("SELECT EXISTS (SELECT 1 FROM terr_departements)", &[])
                .ctx("lecture des départements")?
                .get(0))
        })
    }

    fn territory_info(&self) -> Result<Option<TerritoryInfo>> {
        self.read("lecture du dernier import territorial", |tx| {
            let last = one(
                tx,
                "SELECT imported_at, source, bmo_year FROM terr_imports ORDER BY id DESC LIMIT 1",
                &[],
                "lecture du dernier import territorial",
                |c| Ok((c.text(0)?, c.text(1)?, c.num::<u16>(2)?)),
            )?;
            let Some((imported_at, source, bmo_year)) = last else {
                return Ok(None);
            };
            let mut count = |sql: &str| -> Result<u64> {
                let n: i64 = tx.query_one(sql, &[]).ctx("comptage territorial")?.get(0);
                Ok(n as u64)
            };
            let departements = count("SELECT COUNT(*) FROM terr_departements")?;
            let certifications = count("SELECT COUNT(*) FROM terr_certifications")?;
            let formations = count("SELECT COUNT(*) FROM terr_formations")?;
            Ok(Some(TerritoryInfo {
                imported_at,
                source,
                bmo_year,
                departements,
                certifications,
                formations,
                formations_source: last_formations_source(tx)?,
            }))
        })
    }

    fn territory_report(&self) -> Result<Option<ImportReport>> {
        let json = self.read("lecture du rapport territorial", |tx| {
            one(
                tx,
                "SELECT report FROM terr_imports ORDER BY id DESC LIMIT 1",
                &[],
                "lecture du rapport territorial",
                |c| c.text(0),
            )
        })?;
        json.map(|j| serde_json::from_str(&j).map_err(json_err))
            .transpose()
    }

    fn departements(&self) -> Result<Vec<Departement>> {
        self.read("lecture des départements", |tx| {
            let ctx = "lecture des départements";
            let rows = tx
                .query(&format!("{DEPT_SQL} ORDER BY code"), &[])
                .ctx(ctx)?;
            rows.iter()
                .map(|r| read_departement(&Cells::new(r, ctx)))
                .collect()
        })
    }

    fn departement(&self, code: DeptCode) -> Result<Option<Departement>> {
        self.read("lecture d'un département", |tx| departement(tx, code))
    }

    fn replace_formations(
        &mut self,
        offers: &[TrainingOffer],
        source: &str,
        imported_at: &str,
    ) -> Result<()> {
        let mut rows = CopyBuf::new("terr_formations", "id, dept, data");
        for o in offers {
            rows.row(&[
                &o.id,
                &o.departement.map(|d| d.to_string()),
                &serde_json::to_string(o).map_err(json_err)?,
            ]);
        }
        self.write("import des formations", |tx| {
            tx.batch_execute("DELETE FROM terr_formations").ctx("effacement de l'ancienne offre de formation")?;
            rows.send(tx, "écriture des offres de formation")?;
            tx.execute(
                "INSERT INTO terr_formation_imports (imported_at, source, offers) VALUES ($1, $2, $3)",
                &[&imported_at, &source, &(offers.len() as i64)],
            )
            .ctx("enregistrement de l'import des formations")?;
            Ok(())
        })
    }

    fn formations_in(&self, dept: DeptCode) -> Result<Vec<TrainingOffer>> {
        self.read("lecture des formations", |tx| formations_in(tx, dept))
    }

    fn certifications_for(&self, rome: RomeCode) -> Result<Vec<Certification>> {
        self.read("lecture des certifications", |tx| {
            certifications_for(tx, rome)
        })
    }

    fn territorial_context(
        &self,
        dept: DeptCode,
        job: Option<(RomeCode, Option<RomeCode>)>,
    ) -> Result<Option<TerritorialContext>> {
        self.read("lecture du contexte territorial", |tx| {
            let Some(departement) = departement(tx, dept)? else {
                return Ok(None);
            };
            let unemployment = one(
                tx,
                "SELECT year, rate FROM terr_chomage WHERE dept = $1 ORDER BY year DESC LIMIT 1",
                &[&dept.as_str()],
                "lecture du taux de chômage",
                |c| {
                    Ok(UnemploymentRate {
                        dept,
                        year: c.num(0)?,
                        rate: c.real(1)?,
                    })
                },
            )?;
            let job = job
                .map(|(code, parent)| job_input(tx, dept, code, parent))
                .transpose()?;
            Ok(Some(build_context(ContextInput {
                departement,
                unemployment,
                job,
            })))
        })
    }
}
