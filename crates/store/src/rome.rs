//! Storage of the ROME referential.
//!
//! [`RomeRepository`] is what the rest of Passerelle uses; every store
//! implements it on the `rome_*` tables of `migrations/0001_rome.sql` (and
//! its PostgreSQL twin), with the queries and decoders of this module. A new
//! referential replaces the old one inside a single transaction, so a failed
//! write leaves the previous referential exactly as it was, and readers never
//! see half of each.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use passerelle_core::{
    Appellation, CategoryLink, Classification, CoeurMetier, Competence, CompetenceBranch,
    CompetenceCategory, CompetenceNature, CompetenceSubcategory, Contexte, Domaine, Fiche,
    FicheTags, GrandDomaine, ItemKind, ItemLink, OgrCode, Referential, ReferentialData, Riasec,
    RiasecLetter, RomeCode, RomeVersion, Savoir, SavoirCategory,
};

use crate::sql::{Backend, Cells, Change, Db};
use crate::{Result, StoreError};

/// A referential to save, with where and when it was imported.
#[derive(Debug, Clone, Copy)]
pub struct NewRomeImport<'a> {
    pub data: &'a ReferentialData,
    /// RFC 3339 UTC (`2026-11-23T06:00:00Z`), from the caller's clock.
    pub imported_at: &'a str,
    /// Directory or zip the files came from.
    pub source: &'a str,
    /// The import report, as JSON (kept verbatim for `info`).
    pub report_json: &'a str,
}

/// Number of rows per entity of the stored referential.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RomeCounts {
    pub grands_domaines: u64,
    pub domaines: u64,
    pub fiches: u64,
    pub appellations: u64,
    pub competences: u64,
    pub macro_competences: u64,
    pub savoirs: u64,
    pub certifications: u64,
    pub contextes: u64,
    pub fiche_items: u64,
    pub centres_interet: u64,
    pub secteurs: u64,
    pub themes: u64,
    pub secteurs_naf: u64,
}

/// What `passerelle info` says about the ROME.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RomeInfo {
    pub version: RomeVersion,
    pub imported_at: String,
    pub source: String,
    pub counts: RomeCounts,
    /// How many imports this database has seen (the last one is current).
    pub imports: u64,
}

/// Persistence of the ROME referential; implemented by every store.
pub trait RomeRepository {
    /// Replaces the whole referential atomically (all or nothing).
    fn replace_referential(&mut self, import: &NewRomeImport<'_>) -> Result<()>;
    /// Whether a referential has been imported.
    fn has_referential(&self) -> Result<bool>;
    /// Reads the whole referential into memory ([`StoreError::NoReferential`] if none).
    fn load_referential(&self) -> Result<Referential>;
    /// Version, import date and counts; `None` before the first import.
    fn rome_info(&self) -> Result<Option<RomeInfo>>;
    /// The JSON report of the current import.
    fn rome_import_report(&self) -> Result<Option<String>>;
}

/// Child tables first, so that foreign keys hold while deleting.
pub(crate) const TABLES: &[&str] = &[
    "rome_fiche_classifications",
    "rome_fiche_items",
    "rome_fiche_texts",
    "rome_appellations",
    "rome_fiches",
    "rome_competence_branches",
    "rome_classifications",
    "rome_competences",
    "rome_savoirs",
    "rome_contextes",
    "rome_domaines",
    "rome_grands_domaines",
];

impl<B: Backend> RomeRepository for B {
    fn replace_referential(&mut self, import: &NewRomeImport<'_>) -> Result<()> {
        self.write(Change::Data("import du ROME"), |db| {
            db.clear(TABLES, "effacement de l'ancien référentiel")?;
            write_all(db, import.data)?;
            let v = &import.data.version;
            db.execute(
                "INSERT INTO rome_imports (version, label, published, validated, imported_at, source, report)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                &[&v.number, &v.label, &v.published, &v.validated, &import.imported_at, &import.source, &import.report_json],
                "enregistrement de l'import",
            )
        })
    }

    fn has_referential(&self) -> Result<bool> {
        self.read("lecture du référentiel", has_referential)
    }

    fn load_referential(&self) -> Result<Referential> {
        let data = self.read("lecture du référentiel", |db| {
            if !has_referential(db)? {
                return Err(StoreError::NoReferential);
            }
            load(db)
        })?;
        Ok(Referential::new(data))
    }

    fn rome_info(&self) -> Result<Option<RomeInfo>> {
        self.read("lecture du dernier import", rome_info)
    }

    fn rome_import_report(&self) -> Result<Option<String>> {
        self.read("lecture du rapport d'import", |db| {
            db.opt(
                "SELECT report FROM rome_imports ORDER BY id DESC LIMIT 1",
                &[],
                "lecture du rapport d'import",
                |c| c.text(0),
            )
        })
    }
}

fn has_referential(db: &mut dyn Db) -> Result<bool> {
    db.one(
        "SELECT EXISTS (SELECT 1 FROM rome_fiches)",
        &[],
        "lecture du référentiel",
        |c| c.flag(0),
    )
}

const VERSION_SQL: &str = "SELECT version, label, published, validated, imported_at, source FROM rome_imports ORDER BY id DESC LIMIT 1";

fn read_version(c: &Cells<'_>) -> Result<RomeVersion> {
    Ok(RomeVersion {
        number: c.num(0)?,
        label: c.opt_text(1)?,
        published: c.opt_text(2)?,
        validated: c.opt_text(3)?,
    })
}

fn rome_info(db: &mut dyn Db) -> Result<Option<RomeInfo>> {
    let last = db.opt(VERSION_SQL, &[], "lecture du dernier import", |c| {
        Ok((read_version(c)?, c.text(4)?, c.text(5)?))
    })?;
    let Some((version, imported_at, source)) = last else {
        return Ok(None);
    };
    let ctx = "comptage du référentiel";
    let mut count = |table: &str| db.count(&format!("SELECT COUNT(*) FROM {table}"), &[], ctx);
    let (grands_domaines, domaines, fiches) = (
        count("rome_grands_domaines")?,
        count("rome_domaines")?,
        count("rome_fiches")?,
    );
    let (appellations, competences, savoirs) = (
        count("rome_appellations")?,
        count("rome_competences")?,
        count("rome_savoirs")?,
    );
    let (contextes, fiche_items, imports) = (
        count("rome_contextes")?,
        count("rome_fiche_items")?,
        count("rome_imports")?,
    );
    let kind = "SELECT COUNT(*) FROM rome_classifications WHERE kind = ?1";
    let counts = RomeCounts {
        grands_domaines,
        domaines,
        fiches,
        appellations,
        competences,
        macro_competences: db.count(
            "SELECT COUNT(*) FROM rome_competences WHERE nature = 1",
            &[],
            ctx,
        )?,
        savoirs,
        certifications: db.count(
            "SELECT COUNT(*) FROM rome_savoirs WHERE category = ?1",
            &[&SavoirCategory::CertificationsHabilitations.label_fr()],
            ctx,
        )?,
        contextes,
        fiche_items,
        centres_interet: db.count(kind, &[&"centre_interet"], ctx)?,
        secteurs: db.count(kind, &[&"secteur"], ctx)?,
        themes: db.count(kind, &[&"theme"], ctx)?,
        secteurs_naf: db.count(kind, &[&"secteur_naf"], ctx)?,
    };
    Ok(Some(RomeInfo {
        version,
        imported_at,
        source,
        counts,
        imports,
    }))
}

// ---------- enumeration codes ----------

fn item_kind_code(k: ItemKind) -> i64 {
    match k {
        ItemKind::SavoirFaire => 0,
        ItemKind::SavoirEtre => 1,
        ItemKind::Savoir => 2,
        ItemKind::Contexte => 3,
    }
}

fn coeur_code(c: CoeurMetier) -> i64 {
    match c {
        CoeurMetier::Non => 0,
        CoeurMetier::Principale => 1,
        CoeurMetier::Emergente => 2,
    }
}

fn subcategory_code(s: CompetenceSubcategory) -> i64 {
    match s {
        CompetenceSubcategory::Technique => 0,
        CompetenceSubcategory::TechniqueExpert => 1,
        CompetenceSubcategory::Transverse => 2,
    }
}

pub(crate) fn rome_code(c: &Cells<'_>, i: usize) -> Result<RomeCode> {
    let s = c.text(i)?;
    RomeCode::parse(&s).map_err(|_| c.corrupt("code ROME", s))
}

fn letter(c: &Cells<'_>, i: usize) -> Result<Option<RiasecLetter>> {
    c.opt_text(i)?
        .map(|s| RiasecLetter::parse(&s).ok_or_else(|| c.corrupt("lettre RIASEC", &s)))
        .transpose()
}

/// The RIASEC code stored in columns `i` (major) and `i + 1` (minor).
fn riasec(c: &Cells<'_>, i: usize) -> Result<Option<Riasec>> {
    Ok(match letter(c, i)? {
        None => None,
        Some(major) => Some(Riasec {
            major,
            minor: letter(c, i + 1)?,
        }),
    })
}

fn riasec_cols(r: Option<Riasec>) -> (Option<String>, Option<String>) {
    match r {
        None => (None, None),
        Some(r) => (Some(r.major.to_string()), r.minor.map(|m| m.to_string())),
    }
}

/// The four optional classifications, under the `kind` they are stored with.
fn classification_lists(d: &ReferentialData) -> [(&'static str, &Vec<Classification>); 4] {
    [
        ("centre_interet", &d.centres_interet),
        ("secteur", &d.secteurs),
        ("theme", &d.themes),
        ("secteur_naf", &d.secteurs_naf),
    ]
}

fn fiche_links(f: &Fiche) -> [(&'static str, &Vec<CategoryLink>); 4] {
    [
        ("centre_interet", &f.centres_interet),
        ("secteur", &f.secteurs),
        ("theme", &f.themes),
        ("secteur_naf", &f.secteurs_naf),
    ]
}

/// The list of `kind` in `lists`, or an error naming the unknown kind.
fn by_kind<'a, T>(
    lists: [(&'static str, &'a mut Vec<T>); 4],
    kind: &str,
) -> Result<&'a mut Vec<T>> {
    lists
        .into_iter()
        .find(|(k, _)| *k == kind)
        .map(|(_, list)| list)
        .ok_or_else(|| StoreError::Corrupt(format!("classification de type inconnu « {kind} »")))
}

// ---------- writing ----------

/// Every table, parents first.
fn write_all(db: &mut dyn Db, d: &ReferentialData) -> Result<()> {
    db.bulk(
        "rome_grands_domaines",
        "code, label",
        "écriture des grands domaines",
        &mut |s| {
            for g in &d.grands_domaines {
                s.row(&[&g.code.to_string(), &g.label])?;
            }
            Ok(())
        },
    )?;
    db.bulk(
        "rome_domaines",
        "code, label",
        "écriture des domaines",
        &mut |s| {
            for x in &d.domaines {
                s.row(&[&x.code, &x.label])?;
            }
            Ok(())
        },
    )?;
    write_items(db, d)?;
    db.bulk(
        "rome_classifications",
        "kind, code, label, definition, parent",
        "écriture des classifications",
        &mut |s| {
            for (kind, list) in classification_lists(d) {
                for c in list {
                    s.row(&[&kind, &c.code, &c.label, &c.definition, &c.parent])?;
                }
            }
            Ok(())
        },
    )?;
    write_fiches(db, d)?;
    write_appellations(db, d)
}

fn write_items(db: &mut dyn Db, d: &ReferentialData) -> Result<()> {
    db.bulk(
        "rome_competences",
        "ogr, label, definition, nature, category, subcategory, macro_ogr, code_macro, transition_eco, \
         transition_num, riasec_major, riasec_minor, heterogeneite, origine",
        "écriture des compétences",
        &mut |s| {
            for c in &d.competences {
                let (major, minor) = riasec_cols(c.riasec);
                s.row(&[
                    &c.ogr.get(),
                    &c.label,
                    &c.definition,
                    &(c.nature == CompetenceNature::MacroCompetence),
                    &(c.category == CompetenceCategory::SavoirEtre),
                    &subcategory_code(c.subcategory),
                    &c.macro_ogr.map(OgrCode::get),
                    &c.code_macro,
                    &c.transition_eco,
                    &c.transition_num,
                    &major,
                    &minor,
                    &c.heterogeneite,
                    &c.origine,
                ])?;
            }
            Ok(())
        },
    )?;
    db.bulk(
        "rome_savoirs",
        "ogr, label, category, subcategory, transition_eco, transition_num",
        "écriture des savoirs",
        &mut |s| {
            for x in &d.savoirs {
                s.row(&[
                    &x.ogr.get(),
                    &x.label,
                    &x.category.label_fr(),
                    &x.subcategory,
                    &x.transition_eco,
                    &x.transition_num,
                ])?;
            }
            Ok(())
        },
    )?;
    db.bulk(
        "rome_contextes",
        "ogr, label, type_code, type_label",
        "écriture des contextes",
        &mut |s| {
            for c in &d.contextes {
                s.row(&[&c.ogr.get(), &c.label, &c.type_code, &c.type_label])?;
            }
            Ok(())
        },
    )?;
    db.bulk(
        "rome_competence_branches",
        "macro_ogr, domaine_code, domaine, enjeu_code, enjeu, objectif_code, objectif",
        "écriture de l'arborescence des compétences",
        &mut |s| {
            for b in &d.arborescence_competences {
                s.row(&[
                    &b.macro_ogr.get(),
                    &b.domaine_code,
                    &b.domaine,
                    &b.enjeu_code,
                    &b.enjeu,
                    &b.objectif_code,
                    &b.objectif,
                ])?;
            }
            Ok(())
        },
    )
}

/// Fiches (their position is their id), their texts, items and
/// classifications; a fiche code seen twice is refused.
fn write_fiches(db: &mut dyn Db, d: &ReferentialData) -> Result<()> {
    let mut seen = HashMap::with_capacity(d.fiches.len());
    for f in &d.fiches {
        if seen.insert(f.code, ()).is_some() {
            return Err(StoreError::Corrupt(format!("fiche {} en double", f.code)));
        }
    }
    db.bulk(
        "rome_fiches",
        "id, code, ogr, code_fiche_metier, title, parent, domaine, transition_eco, transition_num, \
         transition_demo, emploi_reglemente, emploi_cadre, riasec_major, riasec_minor",
        "écriture des fiches",
        &mut |s| {
            for (id, f) in d.fiches.iter().enumerate() {
                let (major, minor) = riasec_cols(f.riasec);
                let t = &f.tags;
                s.row(&[
                    &id,
                    &f.code.as_str(),
                    &f.ogr.get(),
                    &f.code_fiche_metier,
                    &f.title,
                    &f.parent.as_str(),
                    &f.domaine,
                    &t.transition_eco,
                    &t.transition_num,
                    &t.transition_demo,
                    &t.emploi_reglemente,
                    &t.emploi_cadre,
                    &major,
                    &minor,
                ])?;
            }
            Ok(())
        },
    )?;
    db.bulk(
        "rome_fiche_texts",
        "fiche_id, kind, position, text",
        "écriture des textes",
        &mut |s| {
            for (id, f) in d.fiches.iter().enumerate() {
                for (kind, list) in [(0u8, &f.definition), (1, &f.acces)] {
                    for (pos, text) in list.iter().enumerate() {
                        s.row(&[&id, &kind, &pos, text])?;
                    }
                }
            }
            Ok(())
        },
    )?;
    db.bulk(
        "rome_fiche_items",
        "fiche_id, position, ogr, kind, coeur",
        "écriture des liens fiche → item",
        &mut |s| {
            for (id, f) in d.fiches.iter().enumerate() {
                for (pos, l) in f.items.iter().enumerate() {
                    let (kind, coeur) = (item_kind_code(l.kind), coeur_code(l.coeur));
                    s.row(&[&id, &pos, &l.ogr.get(), &kind, &coeur])?;
                }
            }
            Ok(())
        },
    )?;
    db.bulk(
        "rome_fiche_classifications",
        "fiche_id, kind, position, code, principal",
        "écriture des classifications des fiches",
        &mut |s| {
            for (id, f) in d.fiches.iter().enumerate() {
                for (kind, list) in fiche_links(f) {
                    for (pos, l) in list.iter().enumerate() {
                        s.row(&[&id, &kind, &pos, &l.code, &l.principal])?;
                    }
                }
            }
            Ok(())
        },
    )
}

/// The appellations, with their fiche's id and their rank in that fiche's
/// list; one whose fiche is unknown is refused.
fn write_appellations(db: &mut dyn Db, d: &ReferentialData) -> Result<()> {
    let fiche_of: HashMap<RomeCode, usize> = d
        .fiches
        .iter()
        .enumerate()
        .map(|(id, f)| (f.code, id))
        .collect();
    let app_rank: HashMap<OgrCode, i64> = d
        .fiches
        .iter()
        .flat_map(|f| f.appellations.iter().enumerate())
        .map(|(rank, ogr)| (*ogr, rank as i64))
        .collect();
    db.bulk(
        "rome_appellations",
        "ogr, fiche_id, position, long_label, short_label, transition_eco, transition_num, transition_demo, \
         emploi_reglemente, emploi_cadre, classification, origine, parent, rare",
        "écriture des appellations",
        &mut |s| {
            for a in &d.appellations {
                let fiche = *fiche_of.get(&a.rome).ok_or_else(|| {
                    StoreError::Corrupt(format!(
                        "appellation {} d'une fiche inconnue {}",
                        a.ogr, a.rome
                    ))
                })?;
                // An appellation missing from its fiche's list goes after the listed ones.
                let rank = app_rank.get(&a.ogr).copied().unwrap_or(i64::MAX / 2);
                let t = &a.tags;
                s.row(&[
                    &a.ogr.get(),
                    &fiche,
                    &rank,
                    &a.long_label,
                    &a.short_label,
                    &t.transition_eco,
                    &t.transition_num,
                    &t.transition_demo,
                    &t.emploi_reglemente,
                    &t.emploi_cadre,
                    &a.classification,
                    &a.origine,
                    &a.parent.map(|p| p.to_string()),
                    &a.rare,
                ])?;
            }
            Ok(())
        },
    )
}

// ---------- reading ----------

fn load(db: &mut dyn Db) -> Result<ReferentialData> {
    let version = db.one(
        VERSION_SQL,
        &[],
        "lecture de la version du ROME",
        read_version,
    )?;
    let mut d = ReferentialData {
        version,
        ..Default::default()
    };
    d.grands_domaines = db.all(
        "SELECT code, label FROM rome_grands_domaines ORDER BY id",
        &[],
        "lecture des grands domaines",
        |c| {
            let code = c.text(0)?;
            Ok(GrandDomaine {
                code: code
                    .chars()
                    .next()
                    .ok_or_else(|| c.corrupt("grand domaine", &code))?,
                label: c.text(1)?,
            })
        },
    )?;
    d.domaines = db.all(
        "SELECT code, label FROM rome_domaines ORDER BY id",
        &[],
        "lecture des domaines",
        |c| {
            Ok(Domaine {
                code: c.text(0)?,
                label: c.text(1)?,
            })
        },
    )?;
    load_items(db, &mut d)?;
    load_classifications(db, &mut d)?;
    load_fiches(db, &mut d)?;
    load_fiche_links(db, &mut d)?;
    load_appellations(db, &mut d)?;
    Ok(d)
}

fn load_items(db: &mut dyn Db, d: &mut ReferentialData) -> Result<()> {
    d.competences = db.all(
        "SELECT ogr, label, definition, nature, category, subcategory, macro_ogr, code_macro, transition_eco,
         transition_num, riasec_major, riasec_minor, heterogeneite, origine FROM rome_competences ORDER BY id",
        &[],
        "lecture des compétences",
        |c| {
            let subcategory = match c.int(5)? {
                0 => CompetenceSubcategory::Technique,
                1 => CompetenceSubcategory::TechniqueExpert,
                2 => CompetenceSubcategory::Transverse,
                x => return Err(c.corrupt("sous-catégorie", x)),
            };
            Ok(Competence {
                ogr: OgrCode::new(c.num(0)?),
                label: c.text(1)?,
                definition: c.opt_text(2)?,
                nature: if c.flag(3)? {
                    CompetenceNature::MacroCompetence
                } else {
                    CompetenceNature::Competence
                },
                category: if c.flag(4)? {
                    CompetenceCategory::SavoirEtre
                } else {
                    CompetenceCategory::SavoirFaire
                },
                subcategory,
                macro_ogr: c.opt_num(6)?.map(OgrCode::new),
                code_macro: c.opt_text(7)?,
                transition_eco: c.opt_flag(8)?,
                transition_num: c.opt_flag(9)?,
                riasec: riasec(c, 10)?,
                heterogeneite: c.opt_text(12)?,
                origine: c.opt_text(13)?,
            })
        },
    )?;
    d.savoirs = db.all(
        "SELECT ogr, label, category, subcategory, transition_eco, transition_num FROM rome_savoirs ORDER BY id",
        &[],
        "lecture des savoirs",
        |c| {
            Ok(Savoir {
                ogr: OgrCode::new(c.num(0)?),
                label: c.text(1)?,
                category: SavoirCategory::parse(&c.text(2)?),
                subcategory: c.text(3)?,
                transition_eco: c.opt_flag(4)?,
                transition_num: c.opt_flag(5)?,
            })
        },
    )?;
    d.contextes = db.all(
        "SELECT ogr, label, type_code, type_label FROM rome_contextes ORDER BY id",
        &[],
        "lecture des contextes",
        |c| {
            Ok(Contexte {
                ogr: OgrCode::new(c.num(0)?),
                label: c.text(1)?,
                type_code: c.num(2)?,
                type_label: c.text(3)?,
            })
        },
    )?;
    d.arborescence_competences = db.all(
        "SELECT macro_ogr, domaine_code, domaine, enjeu_code, enjeu, objectif_code, objectif
         FROM rome_competence_branches ORDER BY id",
        &[],
        "lecture de l'arborescence des compétences",
        |c| {
            Ok(CompetenceBranch {
                macro_ogr: OgrCode::new(c.num(0)?),
                domaine_code: c.text(1)?,
                domaine: c.text(2)?,
                enjeu_code: c.text(3)?,
                enjeu: c.text(4)?,
                objectif_code: c.text(5)?,
                objectif: c.text(6)?,
            })
        },
    )?;
    Ok(())
}

fn load_classifications(db: &mut dyn Db, d: &mut ReferentialData) -> Result<()> {
    db.query(
        "SELECT kind, code, label, definition, parent FROM rome_classifications ORDER BY id",
        &[],
        "lecture des classifications",
        &mut |c| {
            let lists = [
                ("centre_interet", &mut d.centres_interet),
                ("secteur", &mut d.secteurs),
                ("theme", &mut d.themes),
                ("secteur_naf", &mut d.secteurs_naf),
            ];
            by_kind(lists, &c.text(0)?)?.push(Classification {
                code: c.text(1)?,
                label: c.text(2)?,
                definition: c.opt_text(3)?,
                parent: c.opt_text(4)?,
            });
            Ok(())
        },
    )
}

fn load_fiches(db: &mut dyn Db, d: &mut ReferentialData) -> Result<()> {
    d.fiches = db.all(
        "SELECT code, ogr, code_fiche_metier, title, parent, domaine, transition_eco, transition_num,
         transition_demo, emploi_reglemente, emploi_cadre, riasec_major, riasec_minor FROM rome_fiches ORDER BY id",
        &[],
        "lecture des fiches",
        |c| {
            Ok(Fiche {
                code: rome_code(c, 0)?,
                ogr: OgrCode::new(c.num(1)?),
                code_fiche_metier: c.opt_num(2)?,
                title: c.text(3)?,
                parent: rome_code(c, 4)?,
                domaine: c.text(5)?,
                tags: FicheTags {
                    transition_eco: c.opt_text(6)?,
                    transition_num: c.opt_flag(7)?,
                    transition_demo: c.opt_flag(8)?,
                    emploi_reglemente: c.opt_flag(9)?,
                    emploi_cadre: c.opt_flag(10)?,
                },
                riasec: riasec(c, 11)?,
                definition: Vec::new(),
                acces: Vec::new(),
                appellations: Vec::new(),
                items: Vec::new(),
                centres_interet: Vec::new(),
                secteurs: Vec::new(),
                themes: Vec::new(),
                secteurs_naf: Vec::new(),
            })
        },
    )?;
    Ok(())
}

/// The fiche whose id (its position) is in column `i`.
fn fiche_index(c: &Cells<'_>, i: usize, fiches: usize) -> Result<usize> {
    let id = c.int(i)?;
    usize::try_from(id)
        .ok()
        .filter(|&f| f < fiches)
        .ok_or_else(|| c.corrupt("identifiant de fiche", id))
}

/// Texts, items and classifications of the fiches.
fn load_fiche_links(db: &mut dyn Db, d: &mut ReferentialData) -> Result<()> {
    let fiches = &mut d.fiches;
    let n = fiches.len();
    db.query(
        "SELECT fiche_id, kind, text FROM rome_fiche_texts ORDER BY fiche_id, kind, position",
        &[],
        "lecture des textes",
        &mut |c| {
            let f = &mut fiches[fiche_index(c, 0, n)?];
            match c.int(1)? {
                0 => f.definition.push(c.text(2)?),
                _ => f.acces.push(c.text(2)?),
            }
            Ok(())
        },
    )?;
    db.query(
        "SELECT fiche_id, ogr, kind, coeur FROM rome_fiche_items ORDER BY fiche_id, position",
        &[],
        "lecture des liens fiche → item",
        &mut |c| {
            let kind = match c.int(2)? {
                0 => ItemKind::SavoirFaire,
                1 => ItemKind::SavoirEtre,
                2 => ItemKind::Savoir,
                3 => ItemKind::Contexte,
                x => return Err(c.corrupt("type d'item", x)),
            };
            let coeur = match c.int(3)? {
                0 => CoeurMetier::Non,
                1 => CoeurMetier::Principale,
                2 => CoeurMetier::Emergente,
                x => return Err(c.corrupt("cœur de métier", x)),
            };
            fiches[fiche_index(c, 0, n)?].items.push(ItemLink {
                ogr: OgrCode::new(c.num(1)?),
                kind,
                coeur,
            });
            Ok(())
        },
    )?;
    db.query(
        "SELECT fiche_id, kind, code, principal FROM rome_fiche_classifications ORDER BY fiche_id, kind, position",
        &[],
        "lecture des classifications des fiches",
        &mut |c| {
            let f = &mut fiches[fiche_index(c, 0, n)?];
            let lists = [
                ("centre_interet", &mut f.centres_interet),
                ("secteur", &mut f.secteurs),
                ("theme", &mut f.themes),
                ("secteur_naf", &mut f.secteurs_naf),
            ];
            by_kind(lists, &c.text(1)?)?.push(CategoryLink {
                code: c.text(2)?,
                principal: c.flag(3)?,
            });
            Ok(())
        },
    )
}

fn load_appellations(db: &mut dyn Db, d: &mut ReferentialData) -> Result<()> {
    let fiches = &mut d.fiches;
    let mut ranked: Vec<(usize, i64, OgrCode)> = Vec::with_capacity(16_000);
    d.appellations = db.all(
        "SELECT ogr, fiche_id, position, long_label, short_label, transition_eco, transition_num, transition_demo,
         emploi_reglemente, emploi_cadre, classification, origine, parent, rare FROM rome_appellations ORDER BY id",
        &[],
        "lecture des appellations",
        |c| {
            let ogr = OgrCode::new(c.num(0)?);
            let i = fiche_index(c, 1, fiches.len())?;
            ranked.push((i, c.int(2)?, ogr));
            Ok(Appellation {
                ogr,
                long_label: c.text(3)?,
                short_label: c.text(4)?,
                rome: fiches[i].code,
                tags: FicheTags {
                    transition_eco: c.opt_text(5)?,
                    transition_num: c.opt_flag(6)?,
                    transition_demo: c.opt_flag(7)?,
                    emploi_reglemente: c.opt_flag(8)?,
                    emploi_cadre: c.opt_flag(9)?,
                },
                classification: c.opt_text(10)?,
                origine: c.opt_text(11)?,
                parent: c.opt_text(12)?.map(|_| rome_code(c, 12)).transpose()?,
                rare: c.flag(13)?,
            })
        },
    )?;
    ranked.sort_unstable_by_key(|&(i, rank, _)| (i, rank));
    for (i, _, ogr) in ranked {
        fiches[i].appellations.push(ogr);
    }
    Ok(())
}
