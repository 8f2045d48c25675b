//! Storage of the territorial layer (issue 5).
//!
//! [`TerritoryRepository`] is what the CLI, the documents and the server use;
//! every store implements it on the `terr_*` tables of
//! `migrations/0003_territoire.sql` (and its PostgreSQL twin). An import
//! replaces everything inside one transaction: a failure leaves the previous
//! data exactly as it was. The store only reads rows ([`ContextRows`]); which
//! code a figure comes from and the order of certifications are decided by
//! `passerelle_core::territory::territorial_context`.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use passerelle_core::territory::local::MarketRows;
use passerelle_core::territory::records::{
    BmoDept, BmoMetier, Certification, Departement, ImportReport, MatchMethod, RomeBmo, RomeNaf,
    TensionDept, TerritoryData, TrainingOffer, UnemploymentRate,
};
use passerelle_core::territory::{
    CodeRows, ContextRows, JobRows, PerCode, SecretCount, lookup_codes,
};
use passerelle_core::{DeptCode, RomeCode};

use crate::Result;
use crate::sql::{Backend, Cells, Change, Db, json_err};

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

/// Persistence of the territorial layer; implemented by every store.
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
    /// Certif Info certifications leading to exactly this code, in import
    /// order (`passerelle_core::territory::order_certifications` sorts them).
    fn certifications_for(&self, rome: RomeCode) -> Result<Vec<Certification>>;
    /// What is stored about a département, and about a target fiche
    /// `(code, code_rome_parent)` if given; `None` when the département is
    /// unknown. `passerelle_core::territory::territorial_context` makes it
    /// the context the documents show.
    fn context_rows(
        &self,
        dept: DeptCode,
        job: Option<(RomeCode, Option<RomeCode>)>,
    ) -> Result<Option<ContextRows>>;
    /// Every row the local market of a département needs, in one read
    /// (`passerelle_core::territory::local`); `None` when the département
    /// is unknown.
    fn market_rows(&self, dept: DeptCode) -> Result<Option<MarketRows>>;
}

/// Child tables first.
const TABLES: &[&str] = &[
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

impl<B: Backend> TerritoryRepository for B {
    fn replace_territory(&mut self, data: &TerritoryData, imported_at: &str) -> Result<()> {
        let report = serde_json::to_string(&data.report).map_err(json_err)?;
        self.write(Change::Data("import territorial"), |db| {
            db.clear(TABLES, "effacement des anciennes données territoriales")?;
            write_territory(db, data)?;
            db.execute(
                "INSERT INTO terr_imports (imported_at, source, bmo_year, report) VALUES (?1, ?2, ?3, ?4)",
                &[&imported_at, &data.report.source, &data.bmo.year, &report],
                "enregistrement de l'import territorial",
            )
        })
    }

    fn has_territory(&self) -> Result<bool> {
        self.read("lecture des départements", |db| {
            db.one(
                "SELECT EXISTS (SELECT 1 FROM terr_departements)",
                &[],
                "lecture des départements",
                |c| c.flag(0),
            )
        })
    }

    fn territory_info(&self) -> Result<Option<TerritoryInfo>> {
        self.read("lecture du dernier import territorial", territory_info)
    }

    fn territory_report(&self) -> Result<Option<ImportReport>> {
        self.read("lecture du rapport territorial", |db| {
            db.opt(
                "SELECT report FROM terr_imports ORDER BY id DESC LIMIT 1",
                &[],
                "lecture du rapport territorial",
                |c| c.json(0),
            )
        })
    }

    fn departements(&self) -> Result<Vec<Departement>> {
        self.read("lecture des départements", |db| {
            db.all(
                &format!("{DEPT_SQL} ORDER BY code"),
                &[],
                "lecture des départements",
                read_departement,
            )
        })
    }

    fn departement(&self, code: DeptCode) -> Result<Option<Departement>> {
        self.read("lecture d'un département", |db| departement(db, code))
    }

    fn replace_formations(
        &mut self,
        offers: &[TrainingOffer],
        source: &str,
        imported_at: &str,
    ) -> Result<()> {
        self.write(Change::Data("import des formations"), |db| {
            db.clear(&["terr_formations"], "effacement de l'ancienne offre de formation")?;
            db.bulk(
                "terr_formations",
                "id, dept, data",
                "écriture des offres de formation",
                &mut |s| {
                    for o in offers {
                        let json = serde_json::to_string(o).map_err(json_err)?;
                        s.row(&[&o.id, &o.departement.map(|d| d.to_string()), &json])?;
                    }
                    Ok(())
                },
            )?;
            db.execute(
                "INSERT INTO terr_formation_imports (imported_at, source, offers) VALUES (?1, ?2, ?3)",
                &[&imported_at, &source, &offers.len()],
                "enregistrement de l'import des formations",
            )
        })
    }

    fn formations_in(&self, dept: DeptCode) -> Result<Vec<TrainingOffer>> {
        self.read("lecture des formations", |db| formations_in(db, dept))
    }

    fn certifications_for(&self, rome: RomeCode) -> Result<Vec<Certification>> {
        self.read("lecture des certifications", |db| {
            certifications_for(db, rome)
        })
    }

    fn context_rows(
        &self,
        dept: DeptCode,
        job: Option<(RomeCode, Option<RomeCode>)>,
    ) -> Result<Option<ContextRows>> {
        self.read("lecture du contexte territorial", |db| {
            let Some(departement) = departement(db, dept)? else {
                return Ok(None);
            };
            let unemployment = db.opt(
                "SELECT year, rate FROM terr_chomage WHERE dept = ?1 ORDER BY year DESC LIMIT 1",
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
                .map(|(code, parent)| job_rows(db, dept, code, parent))
                .transpose()?;
            Ok(Some(ContextRows {
                departement,
                unemployment,
                job,
            }))
        })
    }

    fn market_rows(&self, dept: DeptCode) -> Result<Option<MarketRows>> {
        self.read("lecture du marché local", |db| market_rows(db, dept))
    }
}

fn method_code(m: Option<MatchMethod>) -> Option<&'static str> {
    m.map(|m| match m {
        MatchMethod::Manuel => "manuel",
        MatchMethod::Libelle => "libelle",
        MatchMethod::Domaine => "domaine",
    })
}

fn method_parse(code: Option<String>) -> Option<MatchMethod> {
    match code.as_deref()? {
        "manuel" => Some(MatchMethod::Manuel),
        "libelle" => Some(MatchMethod::Libelle),
        "domaine" => Some(MatchMethod::Domaine),
        _ => None,
    }
}

/// Every territorial table, parents first. Duplicates are resolved here,
/// the same on both backends: ROME → NAF, the last row wins; links, the
/// first.
fn write_territory(db: &mut dyn Db, data: &TerritoryData) -> Result<()> {
    db.bulk(
        "terr_departements",
        "code, nom, region_code, region_nom, population, population_year, bassins",
        "écriture des départements",
        &mut |s| {
            for d in &data.departements {
                let bassins = data.bassins.per_dept.get(&d.code).copied().unwrap_or(0);
                s.row(&[
                    &d.code.as_str(),
                    &d.nom,
                    &d.region_code,
                    &d.region_nom,
                    &d.population,
                    &d.population_year,
                    &bassins,
                ])?;
            }
            Ok(())
        },
    )?;
    db.bulk(
        "terr_chomage",
        "dept, year, rate",
        "écriture des taux de chômage",
        &mut |s| {
            for u in &data.unemployment {
                s.row(&[&u.dept.as_str(), &u.year, &u.rate])?;
            }
            Ok(())
        },
    )?;
    write_bmo(db, data)?;
    db.bulk(
        "terr_tension",
        "dept, rome, offres, demandeurs, bassins",
        "écriture des offres et demandeurs",
        &mut |s| {
            for t in &data.tension {
                s.row(&[
                    &t.dept.as_str(),
                    &t.rome.as_str(),
                    &t.offres,
                    &t.demandeurs,
                    &t.bassins,
                ])?;
            }
            Ok(())
        },
    )?;
    let mut last_naf: BTreeMap<(&str, &str), &RomeNaf> = BTreeMap::new();
    for r in &data.rome_naf {
        last_naf.insert((r.rome.as_str(), r.naf.as_str()), r);
    }
    db.bulk(
        "terr_rome_naf",
        "rome, naf, libelle, embauches",
        "écriture de ROME → NAF",
        &mut |s| {
            for r in last_naf.values() {
                s.row(&[&r.rome.as_str(), &r.naf, &r.naf_label, &r.hirings])?;
            }
            Ok(())
        },
    )?;
    write_certifications(db, data)
}

fn write_bmo(db: &mut dyn Db, data: &TerritoryData) -> Result<()> {
    db.bulk(
        "terr_bmo_metiers",
        "code, libelle, famille_code, famille_libelle",
        "écriture des métiers BMO",
        &mut |s| {
            for m in &data.bmo.metiers {
                s.row(&[&m.code, &m.libelle, &m.famille_code, &m.famille_libelle])?;
            }
            Ok(())
        },
    )?;
    db.bulk(
        "terr_bmo",
        "dept, code, projets, projets_secret, difficiles, difficiles_secret, saisonniers, saisonniers_secret, bassins",
        "écriture de BMO",
        &mut |s| {
            for b in &data.bmo.by_dept {
                s.row(&[
                    &b.dept.as_str(),
                    &b.code,
                    &b.projets.known,
                    &b.projets.secret_cells,
                    &b.difficiles.known,
                    &b.difficiles.secret_cells,
                    &b.saisonniers.known,
                    &b.saisonniers.secret_cells,
                    &b.bassins,
                ])?;
            }
            Ok(())
        },
    )?;
    db.bulk(
        "terr_rome_bmo",
        "rome, bmo, method, justification",
        "écriture de la correspondance ROME → BMO",
        &mut |s| {
            for m in &data.rome_bmo {
                s.row(&[
                    &m.rome.as_str(),
                    &m.bmo,
                    &method_code(m.method),
                    &m.justification,
                ])?;
            }
            Ok(())
        },
    )
}

/// Certifications (their position + 1 is their id) and RNCP/RS fiches, each
/// with its links to ROME codes.
fn write_certifications(db: &mut dyn Db, data: &TerritoryData) -> Result<()> {
    db.bulk(
        "terr_certifications",
        "id, data",
        "écriture des certifications",
        &mut |s| {
            for (i, c) in data.certifications.iter().enumerate() {
                s.row(&[&(i + 1), &serde_json::to_string(c).map_err(json_err)?])?;
            }
            Ok(())
        },
    )?;
    db.bulk(
        "terr_certification_romes",
        "rome, cert_id",
        "écriture des liens certification → ROME",
        &mut |s| {
            let mut seen = BTreeSet::new();
            for (i, c) in data.certifications.iter().enumerate() {
                for r in &c.romes {
                    if seen.insert((r.as_str(), i + 1)) {
                        s.row(&[&r.as_str(), &(i + 1)])?;
                    }
                }
            }
            Ok(())
        },
    )?;
    db.bulk(
        "terr_rncp_fiches",
        "numero, data",
        "écriture des fiches RNCP",
        &mut |s| {
            for f in &data.rncp_fiches {
                s.row(&[&f.numero, &serde_json::to_string(f).map_err(json_err)?])?;
            }
            Ok(())
        },
    )?;
    db.bulk(
        "terr_rncp_romes",
        "rome, numero",
        "écriture des liens RNCP → ROME",
        &mut |s| {
            let mut seen = BTreeSet::new();
            for f in &data.rncp_fiches {
                for r in &f.romes {
                    let rome = r.code.trim().to_ascii_uppercase();
                    if seen.insert((rome.clone(), f.numero.as_str())) {
                        s.row(&[&rome, &f.numero])?;
                    }
                }
            }
            Ok(())
        },
    )
}

// ---------- reading ----------

const DEPT_SQL: &str =
    "SELECT code, nom, region_code, region_nom, population, population_year FROM terr_departements";

fn read_departement(c: &Cells<'_>) -> Result<Departement> {
    let code = c.text(0)?;
    Ok(Departement {
        code: DeptCode::parse(&code).map_err(|_| c.corrupt("département", &code))?,
        nom: c.text(1)?,
        region_code: c.text(2)?,
        region_nom: c.text(3)?,
        population: c.opt_num(4)?,
        population_year: c.opt_num(5)?,
    })
}

fn departement(db: &mut dyn Db, code: DeptCode) -> Result<Option<Departement>> {
    db.opt(
        &format!("{DEPT_SQL} WHERE code = ?1"),
        &[&code.as_str()],
        "lecture d'un département",
        read_departement,
    )
}

fn last_formations_source(db: &mut dyn Db) -> Result<Option<String>> {
    db.opt(
        "SELECT source FROM terr_formation_imports ORDER BY id DESC LIMIT 1",
        &[],
        "lecture de l'import des formations",
        |c| c.text(0),
    )
}

fn territory_info(db: &mut dyn Db) -> Result<Option<TerritoryInfo>> {
    let last = db.opt(
        "SELECT imported_at, source, bmo_year FROM terr_imports ORDER BY id DESC LIMIT 1",
        &[],
        "lecture du dernier import territorial",
        |c| Ok((c.text(0)?, c.text(1)?, c.num::<u16>(2)?)),
    )?;
    let Some((imported_at, source, bmo_year)) = last else {
        return Ok(None);
    };
    let mut count = |table: &str| {
        db.count(
            &format!("SELECT COUNT(*) FROM {table}"),
            &[],
            "comptage territorial",
        )
    };
    let (departements, certifications, formations) = (
        count("terr_departements")?,
        count("terr_certifications")?,
        count("terr_formations")?,
    );
    Ok(Some(TerritoryInfo {
        imported_at,
        source,
        bmo_year,
        departements,
        certifications,
        formations,
        formations_source: last_formations_source(db)?,
    }))
}

fn formations_in(db: &mut dyn Db, dept: DeptCode) -> Result<Vec<TrainingOffer>> {
    db.json_rows(
        "SELECT data FROM terr_formations WHERE dept = ?1 ORDER BY id",
        &[&dept.as_str()],
        "lecture des formations",
    )
}

fn certifications_for(db: &mut dyn Db, rome: RomeCode) -> Result<Vec<Certification>> {
    db.json_rows(
        "SELECT c.data FROM terr_certifications c JOIN terr_certification_romes l ON l.cert_id = c.id \
         WHERE l.rome = ?1 ORDER BY c.id",
        &[&rome.as_str()],
        "lecture des certifications",
    )
}

fn job_rows(
    db: &mut dyn Db,
    dept: DeptCode,
    code: RomeCode,
    parent: Option<RomeCode>,
) -> Result<JobRows> {
    let bmo_year = db.one(
        "SELECT bmo_year FROM terr_imports ORDER BY id DESC LIMIT 1",
        &[],
        "lecture de l'année BMO",
        |c| c.num(0),
    )?;
    let mapping = db.opt(
        "SELECT bmo, method, justification FROM terr_rome_bmo WHERE rome = ?1",
        &[&code.as_str()],
        "lecture de la correspondance ROME → BMO",
        |c| {
            Ok(RomeBmo {
                rome: code,
                bmo: c.opt_text(0)?,
                method: method_parse(c.opt_text(1)?),
                justification: c.text(2)?,
            })
        },
    )?;
    let (bmo_metier, bmo) = match mapping.as_ref().and_then(|m| m.bmo.as_deref()) {
        None => (None, None),
        Some(b) => (bmo_metier(db, b)?, bmo_dept(db, dept, b)?),
    };
    let bassins_in_dept = db.one(
        "SELECT bassins FROM terr_departements WHERE code = ?1",
        &[&dept.as_str()],
        "lecture des bassins",
        |c| c.num(0),
    )?;
    let per_code = lookup_codes(code, parent)
        .map(|c| code_rows(db, dept, c))
        .collect::<Result<Vec<_>>>()?;
    let numeros: BTreeSet<&String> = per_code
        .iter()
        .flat_map(|c| &c.certifications)
        .flat_map(|c| c.rncp.iter().chain(&c.rs))
        .collect();
    let mut rncp_of_certifications = Vec::new();
    for numero in numeros {
        rncp_of_certifications.extend(db.json_rows(
            "SELECT data FROM terr_rncp_fiches WHERE numero = ?1",
            &[numero],
            "lecture des fiches RNCP",
        )?);
    }
    // The fiche's own NAF divisions, from the ROME referential imported in
    // the same base (none when it is not): they sort La Bonne Boîte's sectors.
    let naf_divisions = db.all(
        "SELECT c.code FROM rome_fiche_classifications c JOIN rome_fiches f ON f.id = c.fiche_id \
         WHERE f.code = ?1 AND c.kind = 'secteur_naf' ORDER BY c.position",
        &[&code.as_str()],
        "lecture des divisions NAF de la fiche",
        |c| c.text(0),
    )?;
    Ok(JobRows {
        code,
        parent,
        naf_divisions,
        mapping,
        bmo_metier,
        bmo,
        bmo_year,
        bassins_in_dept,
        formations: formations_in(db, dept)?,
        formations_source: last_formations_source(db)?,
        lookups: PerCode {
            codes: per_code,
            rncp_of_certifications,
        },
    })
}

fn bmo_metier(db: &mut dyn Db, code: &str) -> Result<Option<BmoMetier>> {
    db.opt(
        "SELECT code, libelle, famille_code, famille_libelle FROM terr_bmo_metiers WHERE code = ?1",
        &[&code],
        "lecture d'un métier BMO",
        |c| {
            Ok(BmoMetier {
                code: c.text(0)?,
                libelle: c.text(1)?,
                famille_code: c.text(2)?,
                famille_libelle: c.text(3)?,
            })
        },
    )
}

fn bmo_dept(db: &mut dyn Db, dept: DeptCode, code: &str) -> Result<Option<BmoDept>> {
    let secret = |c: &Cells<'_>, i: usize| -> Result<SecretCount> {
        Ok(SecretCount {
            known: c.num(i)?,
            secret_cells: c.num(i + 1)?,
        })
    };
    db.opt(
        "SELECT projets, projets_secret, difficiles, difficiles_secret, saisonniers, saisonniers_secret, bassins \
         FROM terr_bmo WHERE dept = ?1 AND code = ?2",
        &[&dept.as_str(), &code],
        "lecture de BMO",
        |c| {
            Ok(BmoDept {
                dept,
                code: code.to_string(),
                projets: secret(c, 0)?,
                difficiles: secret(c, 2)?,
                saisonniers: secret(c, 4)?,
                bassins: c.num(6)?,
            })
        },
    )
}

fn code_rows(db: &mut dyn Db, dept: DeptCode, code: RomeCode) -> Result<CodeRows> {
    let tension = db.opt(
        "SELECT offres, demandeurs, bassins FROM terr_tension WHERE dept = ?1 AND rome = ?2",
        &[&dept.as_str(), &code.as_str()],
        "lecture des offres et demandeurs",
        |c| {
            Ok(TensionDept {
                dept,
                rome: code,
                offres: c.real(0)?,
                demandeurs: c.real(1)?,
                bassins: c.num(2)?,
            })
        },
    )?;
    let naf = db.all(
        "SELECT naf, libelle, embauches FROM terr_rome_naf WHERE rome = ?1 ORDER BY embauches DESC, naf",
        &[&code.as_str()],
        "lecture de ROME → NAF",
        |c| {
            Ok(RomeNaf {
                rome: code,
                naf: c.text(0)?,
                naf_label: c.text(1)?,
                hirings: c.num(2)?,
            })
        },
    )?;
    let rncp = db.json_rows(
        "SELECT f.data FROM terr_rncp_fiches f JOIN terr_rncp_romes r ON r.numero = f.numero \
         WHERE r.rome = ?1 ORDER BY f.numero",
        &[&code.as_str()],
        "lecture des fiches RNCP",
    )?;
    Ok(CodeRows {
        code,
        tension,
        naf,
        certifications: certifications_for(db, code)?,
        rncp,
    })
}

/// The rows of the local market of `dept`: the correspondence, the BMO
/// métiers, and the département's BMO and 2021 lines, each in one query.
fn market_rows(db: &mut dyn Db, dept: DeptCode) -> Result<Option<MarketRows>> {
    let Some(departement) = departement(db, dept)? else {
        return Ok(None);
    };
    let bmo_year = db.one(
        "SELECT bmo_year FROM terr_imports ORDER BY id DESC LIMIT 1",
        &[],
        "lecture de l'année BMO",
        |c| c.num(0),
    )?;
    let mappings = db.all(
        "SELECT rome, bmo, method, justification FROM terr_rome_bmo ORDER BY rome",
        &[],
        "lecture de la correspondance ROME → BMO",
        |c| {
            Ok(RomeBmo {
                rome: crate::rome::rome_code(c, 0)?,
                bmo: c.opt_text(1)?,
                method: method_parse(c.opt_text(2)?),
                justification: c.text(3)?,
            })
        },
    )?;
    let metiers = db.all(
        "SELECT code, libelle, famille_code, famille_libelle FROM terr_bmo_metiers ORDER BY code",
        &[],
        "lecture des métiers BMO",
        |c| {
            Ok(BmoMetier {
                code: c.text(0)?,
                libelle: c.text(1)?,
                famille_code: c.text(2)?,
                famille_libelle: c.text(3)?,
            })
        },
    )?;
    let secret = |c: &Cells<'_>, i: usize| -> Result<SecretCount> {
        Ok(SecretCount {
            known: c.num(i)?,
            secret_cells: c.num(i + 1)?,
        })
    };
    let bmo = db.all(
        "SELECT code, projets, projets_secret, difficiles, difficiles_secret, saisonniers, saisonniers_secret, bassins \
         FROM terr_bmo WHERE dept = ?1 ORDER BY code",
        &[&dept.as_str()],
        "lecture de BMO",
        |c| {
            Ok(BmoDept {
                dept,
                code: c.text(0)?,
                projets: secret(c, 1)?,
                difficiles: secret(c, 3)?,
                saisonniers: secret(c, 5)?,
                bassins: c.num(7)?,
            })
        },
    )?;
    let tension = db.all(
        "SELECT rome, offres, demandeurs, bassins FROM terr_tension WHERE dept = ?1 ORDER BY rome",
        &[&dept.as_str()],
        "lecture des offres et demandeurs",
        |c| {
            Ok(TensionDept {
                dept,
                rome: crate::rome::rome_code(c, 0)?,
                offres: c.real(1)?,
                demandeurs: c.real(2)?,
                bassins: c.num(3)?,
            })
        },
    )?;
    Ok(Some(MarketRows {
        dept,
        nom: departement.nom,
        bmo_year,
        mappings,
        metiers,
        bmo,
        tension,
    }))
}
