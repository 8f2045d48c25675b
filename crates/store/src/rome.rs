//! Storage of the ROME referential.
//!
//! [`RomeRepository`] is what the rest of Passerelle uses; [`SqliteStore`]
//! implements it on the `rome_*` tables of `migrations/0001_rome.sql`. A new
//! referential replaces the old one inside a single transaction, so a failed
//! write leaves the previous referential exactly as it was, and readers never
//! see half of each.

use rusqlite::types::Type;
use rusqlite::{Connection, Transaction, params};
use serde::{Deserialize, Serialize};

use passerelle_core::{
    Appellation, CategoryLink, Classification, CoeurMetier, Competence, CompetenceBranch,
    CompetenceCategory, CompetenceNature, CompetenceSubcategory, Contexte, Domaine, Fiche,
    FicheTags, GrandDomaine, ItemKind, ItemLink, OgrCode, Referential, ReferentialData, Riasec,
    RiasecLetter, RomeCode, RomeVersion, Savoir, SavoirCategory,
};

use crate::{Result, SqlContext, SqliteStore, StoreError};

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

/// Persistence of the ROME referential; implemented by [`SqliteStore`], and
/// later by a PostgreSQL store.
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

impl RomeRepository for SqliteStore {
    fn replace_referential(&mut self, import: &NewRomeImport<'_>) -> Result<()> {
        let tx = self.import_transaction("début de l'import du ROME")?;
        for table in TABLES {
            tx.execute(&format!("DELETE FROM {table}"), [])
                .ctx("effacement de l'ancien référentiel")?;
        }
        write_all(&tx, import.data)?;
        let v = &import.data.version;
        tx.execute(
            "INSERT INTO rome_imports (version, label, published, validated, imported_at, source, report)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![v.number, v.label, v.published, v.validated, import.imported_at, import.source, import.report_json],
        )
        .ctx("enregistrement de l'import")?;
        crate::bump_data_version(&tx)?;
        tx.commit().ctx("validation de l'import du ROME")
    }

    fn has_referential(&self) -> Result<bool> {
        self.conn()
            .query_row("SELECT EXISTS (SELECT 1 FROM rome_fiches)", [], |r| {
                r.get(0)
            })
            .ctx("lecture du référentiel")
    }

    fn load_referential(&self) -> Result<Referential> {
        if !self.has_referential()? {
            return Err(StoreError::NoReferential);
        }
        load(self.conn()).map(Referential::new)
    }

    fn rome_info(&self) -> Result<Option<RomeInfo>> {
        let conn = self.conn();
        let last = conn
            .query_row(
                "SELECT version, label, published, validated, imported_at, source FROM rome_imports ORDER BY id DESC LIMIT 1",
                [],
                |r| {
                    Ok((
                        RomeVersion { number: r.get(0)?, label: r.get(1)?, published: r.get(2)?, validated: r.get(3)? },
                        r.get::<_, String>(4)?,
                        r.get::<_, String>(5)?,
                    ))
                },
            )
            .optional()
            .ctx("lecture du dernier import")?;
        let Some((version, imported_at, source)) = last else {
            return Ok(None);
        };
        let count = |sql: &str| -> Result<u64> {
            conn.query_row(sql, [], |r| r.get::<_, i64>(0))
                .map(|n| n as u64)
                .ctx("comptage du référentiel")
        };
        let counts = RomeCounts {
            grands_domaines: count("SELECT COUNT(*) FROM rome_grands_domaines")?,
            domaines: count("SELECT COUNT(*) FROM rome_domaines")?,
            fiches: count("SELECT COUNT(*) FROM rome_fiches")?,
            appellations: count("SELECT COUNT(*) FROM rome_appellations")?,
            competences: count("SELECT COUNT(*) FROM rome_competences")?,
            macro_competences: count("SELECT COUNT(*) FROM rome_competences WHERE nature = 1")?,
            savoirs: count("SELECT COUNT(*) FROM rome_savoirs")?,
            certifications: count(&format!(
                "SELECT COUNT(*) FROM rome_savoirs WHERE category = '{}'",
                SavoirCategory::CertificationsHabilitations
                    .label_fr()
                    .replace('\'', "''")
            ))?,
            contextes: count("SELECT COUNT(*) FROM rome_contextes")?,
            fiche_items: count("SELECT COUNT(*) FROM rome_fiche_items")?,
            centres_interet: count(
                "SELECT COUNT(*) FROM rome_classifications WHERE kind = 'centre_interet'",
            )?,
            secteurs: count("SELECT COUNT(*) FROM rome_classifications WHERE kind = 'secteur'")?,
            themes: count("SELECT COUNT(*) FROM rome_classifications WHERE kind = 'theme'")?,
            secteurs_naf: count(
                "SELECT COUNT(*) FROM rome_classifications WHERE kind = 'secteur_naf'",
            )?,
        };
        let imports = count("SELECT COUNT(*) FROM rome_imports")?;
        Ok(Some(RomeInfo {
            version,
            imported_at,
            source,
            counts,
            imports,
        }))
    }

    fn rome_import_report(&self) -> Result<Option<String>> {
        self.conn()
            .query_row(
                "SELECT report FROM rome_imports ORDER BY id DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()
            .ctx("lecture du rapport d'import")
    }
}

/// `rusqlite::OptionalExtension` without importing the trait everywhere.
trait Optional<T> {
    fn optional(self) -> rusqlite::Result<Option<T>>;
}

impl<T> Optional<T> for rusqlite::Result<T> {
    fn optional(self) -> rusqlite::Result<Option<T>> {
        match self {
            Ok(v) => Ok(Some(v)),
            Err(rusqlite::Error::QueryReturnedNoRows) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

// ---------- enumeration codes ----------

pub(crate) fn item_kind_code(k: ItemKind) -> i64 {
    match k {
        ItemKind::SavoirFaire => 0,
        ItemKind::SavoirEtre => 1,
        ItemKind::Savoir => 2,
        ItemKind::Contexte => 3,
    }
}

pub(crate) fn coeur_code(c: CoeurMetier) -> i64 {
    match c {
        CoeurMetier::Non => 0,
        CoeurMetier::Principale => 1,
        CoeurMetier::Emergente => 2,
    }
}

pub(crate) fn subcategory_code(s: CompetenceSubcategory) -> i64 {
    match s {
        CompetenceSubcategory::Technique => 0,
        CompetenceSubcategory::TechniqueExpert => 1,
        CompetenceSubcategory::Transverse => 2,
    }
}

fn bad(col: usize, what: &str, value: impl std::fmt::Display) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        col,
        Type::Integer,
        format!("{what} inconnu dans la base : {value}").into(),
    )
}

fn rome_code(col: usize, s: &str) -> rusqlite::Result<RomeCode> {
    RomeCode::parse(s)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(col, Type::Text, Box::new(e)))
}

fn letter(col: usize, s: Option<String>) -> rusqlite::Result<Option<RiasecLetter>> {
    match s {
        None => Ok(None),
        Some(s) => RiasecLetter::parse(&s)
            .map(Some)
            .ok_or_else(|| bad(col, "lettre RIASEC", s)),
    }
}

fn riasec_from(
    col: usize,
    major: Option<String>,
    minor: Option<String>,
) -> rusqlite::Result<Option<Riasec>> {
    match letter(col, major)? {
        None => Ok(None),
        Some(major) => Ok(Some(Riasec {
            major,
            minor: letter(col + 1, minor)?,
        })),
    }
}

pub(crate) fn riasec_cols(r: Option<Riasec>) -> (Option<String>, Option<String>) {
    match r {
        None => (None, None),
        Some(r) => (Some(r.major.to_string()), r.minor.map(|m| m.to_string())),
    }
}

// ---------- writing ----------

fn write_all(tx: &Transaction<'_>, d: &ReferentialData) -> Result<()> {
    let ctx = "écriture du référentiel";
    {
        let mut st = tx
            .prepare("INSERT INTO rome_grands_domaines (code, label) VALUES (?1, ?2)")
            .ctx(ctx)?;
        for g in &d.grands_domaines {
            st.execute(params![g.code.to_string(), g.label])
                .ctx("écriture des grands domaines")?;
        }
        let mut st = tx
            .prepare("INSERT INTO rome_domaines (code, label) VALUES (?1, ?2)")
            .ctx(ctx)?;
        for x in &d.domaines {
            st.execute(params![x.code, x.label])
                .ctx("écriture des domaines")?;
        }
    }
    write_items(tx, d)?;
    write_classifications(tx, d)?;
    write_fiches(tx, d)
}

fn write_items(tx: &Transaction<'_>, d: &ReferentialData) -> Result<()> {
    let ctx = "écriture des compétences";
    let mut st = tx
        .prepare(
            "INSERT INTO rome_competences (ogr, label, definition, nature, category, subcategory, macro_ogr, code_macro,
             transition_eco, transition_num, riasec_major, riasec_minor, heterogeneite, origine)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        )
        .ctx(ctx)?;
    for c in &d.competences {
        let (major, minor) = riasec_cols(c.riasec);
        st.execute(params![
            c.ogr.get(),
            c.label,
            c.definition,
            (c.nature == CompetenceNature::MacroCompetence) as i64,
            (c.category == CompetenceCategory::SavoirEtre) as i64,
            subcategory_code(c.subcategory),
            c.macro_ogr.map(OgrCode::get),
            c.code_macro,
            c.transition_eco,
            c.transition_num,
            major,
            minor,
            c.heterogeneite,
            c.origine,
        ])
        .ctx(ctx)?;
    }
    let ctx = "écriture des savoirs";
    let mut st = tx
        .prepare(
            "INSERT INTO rome_savoirs (ogr, label, category, subcategory, transition_eco, transition_num)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )
        .ctx(ctx)?;
    for s in &d.savoirs {
        st.execute(params![
            s.ogr.get(),
            s.label,
            s.category.label_fr(),
            s.subcategory,
            s.transition_eco,
            s.transition_num
        ])
        .ctx(ctx)?;
    }
    let ctx = "écriture des contextes";
    let mut st = tx
        .prepare("INSERT INTO rome_contextes (ogr, label, type_code, type_label) VALUES (?1, ?2, ?3, ?4)")
        .ctx(ctx)?;
    for c in &d.contextes {
        st.execute(params![c.ogr.get(), c.label, c.type_code, c.type_label])
            .ctx(ctx)?;
    }
    let ctx = "écriture de l'arborescence des compétences";
    let mut st = tx
        .prepare(
            "INSERT INTO rome_competence_branches (macro_ogr, domaine_code, domaine, enjeu_code, enjeu, objectif_code, objectif)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )
        .ctx(ctx)?;
    for b in &d.arborescence_competences {
        st.execute(params![
            b.macro_ogr.get(),
            b.domaine_code,
            b.domaine,
            b.enjeu_code,
            b.enjeu,
            b.objectif_code,
            b.objectif
        ])
        .ctx(ctx)?;
    }
    Ok(())
}

/// The four optional classifications, under the `kind` they are stored with.
pub(crate) fn classification_lists(
    d: &ReferentialData,
) -> [(&'static str, &Vec<Classification>); 4] {
    [
        ("centre_interet", &d.centres_interet),
        ("secteur", &d.secteurs),
        ("theme", &d.themes),
        ("secteur_naf", &d.secteurs_naf),
    ]
}

pub(crate) fn fiche_links(f: &Fiche) -> [(&'static str, &Vec<CategoryLink>); 4] {
    [
        ("centre_interet", &f.centres_interet),
        ("secteur", &f.secteurs),
        ("theme", &f.themes),
        ("secteur_naf", &f.secteurs_naf),
    ]
}

fn write_classifications(tx: &Transaction<'_>, d: &ReferentialData) -> Result<()> {
    let ctx = "écriture des classifications";
    let mut st = tx
        .prepare("INSERT INTO rome_classifications (kind, code, label, definition, parent) VALUES (?1, ?2, ?3, ?4, ?5)")
        .ctx(ctx)?;
    for (kind, list) in classification_lists(d) {
        for c in list {
            st.execute(params![kind, c.code, c.label, c.definition, c.parent])
                .ctx(ctx)?;
        }
    }
    Ok(())
}

fn write_fiches(tx: &Transaction<'_>, d: &ReferentialData) -> Result<()> {
    let ctx = "écriture des fiches";
    let mut fiche_st = tx
        .prepare(
            "INSERT INTO rome_fiches (id, code, ogr, code_fiche_metier, title, parent, domaine, transition_eco,
             transition_num, transition_demo, emploi_reglemente, emploi_cadre, riasec_major, riasec_minor)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        )
        .ctx(ctx)?;
    let mut text_st = tx
        .prepare(
            "INSERT INTO rome_fiche_texts (fiche_id, kind, position, text) VALUES (?1, ?2, ?3, ?4)",
        )
        .ctx(ctx)?;
    let mut item_st = tx
        .prepare("INSERT INTO rome_fiche_items (fiche_id, position, ogr, kind, coeur) VALUES (?1, ?2, ?3, ?4, ?5)")
        .ctx(ctx)?;
    let mut class_st = tx
        .prepare(
            "INSERT INTO rome_fiche_classifications (fiche_id, kind, position, code, principal) VALUES (?1, ?2, ?3, ?4, ?5)",
        )
        .ctx(ctx)?;
    let mut fiche_of = std::collections::HashMap::with_capacity(d.fiches.len());
    let mut app_rank = std::collections::HashMap::with_capacity(d.appellations.len());
    for (id, f) in d.fiches.iter().enumerate() {
        let id = id as i64;
        if fiche_of.insert(f.code, id).is_some() {
            return Err(StoreError::Corrupt(format!("fiche {} en double", f.code)));
        }
        let (major, minor) = riasec_cols(f.riasec);
        let t = &f.tags;
        fiche_st
            .execute(params![
                id,
                f.code.as_str(),
                f.ogr.get(),
                f.code_fiche_metier,
                f.title,
                f.parent.as_str(),
                f.domaine,
                t.transition_eco,
                t.transition_num,
                t.transition_demo,
                t.emploi_reglemente,
                t.emploi_cadre,
                major,
                minor,
            ])
            .ctx(ctx)?;
        for (kind, texts) in [(0, &f.definition), (1, &f.acces)] {
            for (pos, text) in texts.iter().enumerate() {
                text_st
                    .execute(params![id, kind, pos as i64, text])
                    .ctx("écriture des textes")?;
            }
        }
        for (pos, l) in f.items.iter().enumerate() {
            item_st
                .execute(params![
                    id,
                    pos as i64,
                    l.ogr.get(),
                    item_kind_code(l.kind),
                    coeur_code(l.coeur)
                ])
                .ctx("écriture des liens fiche → item")?;
        }
        for (kind, links) in fiche_links(f) {
            for (pos, l) in links.iter().enumerate() {
                class_st
                    .execute(params![id, kind, pos as i64, l.code, l.principal])
                    .ctx(ctx)?;
            }
        }
        for (rank, ogr) in f.appellations.iter().enumerate() {
            app_rank.insert(*ogr, rank as i64);
        }
    }
    let ctx = "écriture des appellations";
    let mut st = tx
        .prepare(
            "INSERT INTO rome_appellations (ogr, fiche_id, position, long_label, short_label, transition_eco,
             transition_num, transition_demo, emploi_reglemente, emploi_cadre, classification, origine, parent, rare)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        )
        .ctx(ctx)?;
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
        st.execute(params![
            a.ogr.get(),
            fiche,
            rank,
            a.long_label,
            a.short_label,
            t.transition_eco,
            t.transition_num,
            t.transition_demo,
            t.emploi_reglemente,
            t.emploi_cadre,
            a.classification,
            a.origine,
            a.parent.map(|p| p.to_string()),
            a.rare,
        ])
        .ctx(ctx)?;
    }
    Ok(())
}

// ---------- reading ----------

fn load(conn: &Connection) -> Result<ReferentialData> {
    let version = conn
        .query_row(
            "SELECT version, label, published, validated FROM rome_imports ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok(RomeVersion { number: r.get(0)?, label: r.get(1)?, published: r.get(2)?, validated: r.get(3)? }),
        )
        .ctx("lecture de la version du ROME")?;
    let mut d = ReferentialData {
        version,
        ..Default::default()
    };
    d.grands_domaines = conn
        .prepare_cached("SELECT code, label FROM rome_grands_domaines ORDER BY id")
        .and_then(|mut st| {
            st.query_map([], |r| {
                let code: String = r.get(0)?;
                let c = code
                    .chars()
                    .next()
                    .ok_or_else(|| bad(0, "grand domaine", &code))?;
                Ok(GrandDomaine {
                    code: c,
                    label: r.get(1)?,
                })
            })?
            .collect()
        })
        .ctx("lecture des grands domaines")?;
    d.domaines = conn
        .prepare_cached("SELECT code, label FROM rome_domaines ORDER BY id")
        .and_then(|mut st| {
            st.query_map([], |r| {
                Ok(Domaine {
                    code: r.get(0)?,
                    label: r.get(1)?,
                })
            })?
            .collect()
        })
        .ctx("lecture des domaines")?;
    load_items(conn, &mut d)?;
    load_classifications(conn, &mut d)?;
    load_fiches(conn, &mut d)?;
    Ok(d)
}

fn load_items(conn: &Connection, d: &mut ReferentialData) -> Result<()> {
    d.competences = conn
        .prepare_cached(
            "SELECT ogr, label, definition, nature, category, subcategory, macro_ogr, code_macro, transition_eco,
             transition_num, riasec_major, riasec_minor, heterogeneite, origine FROM rome_competences ORDER BY id",
        )
        .and_then(|mut st| {
            st.query_map([], |r| {
                let subcategory = match r.get::<_, i64>(5)? {
                    0 => CompetenceSubcategory::Technique,
                    1 => CompetenceSubcategory::TechniqueExpert,
                    2 => CompetenceSubcategory::Transverse,
                    x => return Err(bad(5, "sous-catégorie", x)),
                };
                Ok(Competence {
                    ogr: OgrCode::new(r.get(0)?),
                    label: r.get(1)?,
                    definition: r.get(2)?,
                    nature: if r.get::<_, i64>(3)? == 1 {
                        CompetenceNature::MacroCompetence
                    } else {
                        CompetenceNature::Competence
                    },
                    category: if r.get::<_, i64>(4)? == 1 {
                        CompetenceCategory::SavoirEtre
                    } else {
                        CompetenceCategory::SavoirFaire
                    },
                    subcategory,
                    macro_ogr: r.get::<_, Option<u32>>(6)?.map(OgrCode::new),
                    code_macro: r.get(7)?,
                    transition_eco: r.get(8)?,
                    transition_num: r.get(9)?,
                    riasec: riasec_from(10, r.get(10)?, r.get(11)?)?,
                    heterogeneite: r.get(12)?,
                    origine: r.get(13)?,
                })
            })?
            .collect()
        })
        .ctx("lecture des compétences")?;
    d.savoirs = conn
        .prepare_cached(
            "SELECT ogr, label, category, subcategory, transition_eco, transition_num FROM rome_savoirs ORDER BY id",
        )
        .and_then(|mut st| {
            st.query_map([], |r| {
                Ok(Savoir {
                    ogr: OgrCode::new(r.get(0)?),
                    label: r.get(1)?,
                    category: SavoirCategory::parse(r.get_ref(2)?.as_str()?),
                    subcategory: r.get(3)?,
                    transition_eco: r.get(4)?,
                    transition_num: r.get(5)?,
                })
            })?
            .collect()
        })
        .ctx("lecture des savoirs")?;
    d.contextes = conn
        .prepare_cached("SELECT ogr, label, type_code, type_label FROM rome_contextes ORDER BY id")
        .and_then(|mut st| {
            st.query_map([], |r| {
                Ok(Contexte {
                    ogr: OgrCode::new(r.get(0)?),
                    label: r.get(1)?,
                    type_code: r.get(2)?,
                    type_label: r.get(3)?,
                })
            })?
            .collect()
        })
        .ctx("lecture des contextes")?;
    d.arborescence_competences = conn
        .prepare_cached(
            "SELECT macro_ogr, domaine_code, domaine, enjeu_code, enjeu, objectif_code, objectif
             FROM rome_competence_branches ORDER BY id",
        )
        .and_then(|mut st| {
            st.query_map([], |r| {
                Ok(CompetenceBranch {
                    macro_ogr: OgrCode::new(r.get(0)?),
                    domaine_code: r.get(1)?,
                    domaine: r.get(2)?,
                    enjeu_code: r.get(3)?,
                    enjeu: r.get(4)?,
                    objectif_code: r.get(5)?,
                    objectif: r.get(6)?,
                })
            })?
            .collect()
        })
        .ctx("lecture de l'arborescence des compétences")?;
    Ok(())
}

fn load_classifications(conn: &Connection, d: &mut ReferentialData) -> Result<()> {
    let mut st = conn
        .prepare_cached(
            "SELECT kind, code, label, definition, parent FROM rome_classifications ORDER BY id",
        )
        .ctx("lecture des classifications")?;
    let mut rows = st.query([]).ctx("lecture des classifications")?;
    while let Some(r) = rows.next().ctx("lecture des classifications")? {
        let c = Classification {
            code: r.get(1).ctx("lecture des classifications")?,
            label: r.get(2).ctx("lecture des classifications")?,
            definition: r.get(3).ctx("lecture des classifications")?,
            parent: r.get(4).ctx("lecture des classifications")?,
        };
        let kind = r
            .get_ref(0)
            .and_then(|v| Ok(v.as_str()?.to_string()))
            .ctx("lecture des classifications")?;
        match kind.as_str() {
            "centre_interet" => d.centres_interet.push(c),
            "secteur" => d.secteurs.push(c),
            "theme" => d.themes.push(c),
            "secteur_naf" => d.secteurs_naf.push(c),
            other => {
                return Err(StoreError::Corrupt(format!(
                    "classification de type inconnu « {other} »"
                )));
            }
        }
    }
    Ok(())
}

fn load_fiches(conn: &Connection, d: &mut ReferentialData) -> Result<()> {
    let ctx = "lecture des fiches";
    d.fiches = conn
        .prepare_cached(
            "SELECT code, ogr, code_fiche_metier, title, parent, domaine, transition_eco, transition_num,
             transition_demo, emploi_reglemente, emploi_cadre, riasec_major, riasec_minor FROM rome_fiches ORDER BY id",
        )
        .and_then(|mut st| {
            st.query_map([], |r| {
                Ok(Fiche {
                    code: rome_code(0, r.get_ref(0)?.as_str()?)?,
                    ogr: OgrCode::new(r.get(1)?),
                    code_fiche_metier: r.get(2)?,
                    title: r.get(3)?,
                    parent: rome_code(4, r.get_ref(4)?.as_str()?)?,
                    domaine: r.get(5)?,
                    tags: FicheTags {
                        transition_eco: r.get(6)?,
                        transition_num: r.get(7)?,
                        transition_demo: r.get(8)?,
                        emploi_reglemente: r.get(9)?,
                        emploi_cadre: r.get(10)?,
                    },
                    riasec: riasec_from(11, r.get(11)?, r.get(12)?)?,
                    definition: Vec::new(),
                    acces: Vec::new(),
                    appellations: Vec::new(),
                    items: Vec::new(),
                    centres_interet: Vec::new(),
                    secteurs: Vec::new(),
                    themes: Vec::new(),
                    secteurs_naf: Vec::new(),
                })
            })?
            .collect()
        })
        .ctx(ctx)?;
    let n = d.fiches.len();
    let fiche = |id: i64| -> rusqlite::Result<usize> {
        usize::try_from(id)
            .ok()
            .filter(|&i| i < n)
            .ok_or_else(|| bad(0, "identifiant de fiche", id))
    };
    {
        let mut st = conn
            .prepare_cached("SELECT fiche_id, kind, text FROM rome_fiche_texts ORDER BY fiche_id, kind, position")
            .ctx("lecture des textes")?;
        let mut rows = st.query([]).ctx("lecture des textes")?;
        while let Some(r) = rows.next().ctx("lecture des textes")? {
            let i = fiche(r.get(0).ctx("lecture des textes")?).ctx("lecture des textes")?;
            let text: String = r.get(2).ctx("lecture des textes")?;
            match r.get::<_, i64>(1).ctx("lecture des textes")? {
                0 => d.fiches[i].definition.push(text),
                _ => d.fiches[i].acces.push(text),
            }
        }
    }
    {
        let ctx = "lecture des liens fiche → item";
        let mut st = conn
            .prepare_cached("SELECT fiche_id, ogr, kind, coeur FROM rome_fiche_items ORDER BY fiche_id, position")
            .ctx(ctx)?;
        let mut rows = st.query([]).ctx(ctx)?;
        while let Some(r) = rows.next().ctx(ctx)? {
            let i = fiche(r.get(0).ctx(ctx)?).ctx(ctx)?;
            let kind = match r.get::<_, i64>(2).ctx(ctx)? {
                0 => ItemKind::SavoirFaire,
                1 => ItemKind::SavoirEtre,
                2 => ItemKind::Savoir,
                3 => ItemKind::Contexte,
                x => return Err(StoreError::Corrupt(format!("type d'item inconnu {x}"))),
            };
            let coeur = match r.get::<_, i64>(3).ctx(ctx)? {
                0 => CoeurMetier::Non,
                1 => CoeurMetier::Principale,
                2 => CoeurMetier::Emergente,
                x => {
                    return Err(StoreError::Corrupt(format!(
                        "valeur de cœur de métier inconnue {x}"
                    )));
                }
            };
            d.fiches[i].items.push(ItemLink {
                ogr: OgrCode::new(r.get(1).ctx(ctx)?),
                kind,
                coeur,
            });
        }
    }
    {
        let ctx = "lecture des classifications des fiches";
        let mut st = conn
            .prepare_cached(
                "SELECT fiche_id, kind, code, principal FROM rome_fiche_classifications ORDER BY fiche_id, kind, position",
            )
            .ctx(ctx)?;
        let mut rows = st.query([]).ctx(ctx)?;
        while let Some(r) = rows.next().ctx(ctx)? {
            let i = fiche(r.get(0).ctx(ctx)?).ctx(ctx)?;
            let link = CategoryLink {
                code: r.get(2).ctx(ctx)?,
                principal: r.get(3).ctx(ctx)?,
            };
            let f = &mut d.fiches[i];
            match r
                .get_ref(1)
                .and_then(|v| Ok(v.as_str()?.to_string()))
                .ctx(ctx)?
                .as_str()
            {
                "centre_interet" => f.centres_interet.push(link),
                "secteur" => f.secteurs.push(link),
                "theme" => f.themes.push(link),
                "secteur_naf" => f.secteurs_naf.push(link),
                other => {
                    return Err(StoreError::Corrupt(format!(
                        "classification de type inconnu « {other} »"
                    )));
                }
            }
        }
    }
    let ctx = "lecture des appellations";
    let mut ranked: Vec<(usize, i64, OgrCode)> = Vec::with_capacity(16_000);
    let mut st = conn
        .prepare_cached(
            "SELECT ogr, fiche_id, position, long_label, short_label, transition_eco, transition_num, transition_demo,
             emploi_reglemente, emploi_cadre, classification, origine, parent, rare FROM rome_appellations ORDER BY id",
        )
        .ctx(ctx)?;
    let mut rows = st.query([]).ctx(ctx)?;
    while let Some(r) = rows.next().ctx(ctx)? {
        let ogr = OgrCode::new(r.get(0).ctx(ctx)?);
        let i = fiche(r.get(1).ctx(ctx)?).ctx(ctx)?;
        ranked.push((i, r.get(2).ctx(ctx)?, ogr));
        let parent: Option<String> = r.get(12).ctx(ctx)?;
        d.appellations.push(Appellation {
            ogr,
            long_label: r.get(3).ctx(ctx)?,
            short_label: r.get(4).ctx(ctx)?,
            rome: d.fiches[i].code,
            tags: FicheTags {
                transition_eco: r.get(5).ctx(ctx)?,
                transition_num: r.get(6).ctx(ctx)?,
                transition_demo: r.get(7).ctx(ctx)?,
                emploi_reglemente: r.get(8).ctx(ctx)?,
                emploi_cadre: r.get(9).ctx(ctx)?,
            },
            classification: r.get(10).ctx(ctx)?,
            origine: r.get(11).ctx(ctx)?,
            parent: parent
                .as_deref()
                .map(|p| rome_code(12, p))
                .transpose()
                .ctx(ctx)?,
            rare: r.get(13).ctx(ctx)?,
        });
    }
    ranked.sort_unstable_by_key(|&(i, rank, _)| (i, rank));
    for (i, _, ogr) in ranked {
        d.fiches[i].appellations.push(ogr);
    }
    Ok(())
}
