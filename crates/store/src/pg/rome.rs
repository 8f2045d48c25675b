//! [`RomeRepository`] on PostgreSQL: the `rome_*` tables of
//! `migrations/postgres/0001_rome.sql`, same codes and order as SQLite.

use std::collections::HashMap;

use postgres::Transaction;

use passerelle_core::{
    Appellation, CategoryLink, Classification, CoeurMetier, Competence, CompetenceBranch,
    CompetenceCategory, CompetenceNature, CompetenceSubcategory, Contexte, Domaine, Fiche,
    FicheTags, GrandDomaine, ItemKind, ItemLink, OgrCode, Referential, ReferentialData, Riasec,
    RiasecLetter, RomeCode, RomeVersion, Savoir, SavoirCategory,
};

use super::{Cells, CopyBuf, PgStore};
use crate::rome::{
    TABLES, classification_lists, coeur_code, fiche_links, item_kind_code, riasec_cols,
    subcategory_code,
};
use crate::{NewRomeImport, Result, RomeCounts, RomeInfo, RomeRepository, SqlContext, StoreError};

impl RomeRepository for PgStore {
    fn replace_referential(&mut self, import: &NewRomeImport<'_>) -> Result<()> {
        // Encoded (and checked) before the transaction starts.
        let tables = encode(import.data)?;
        self.write("import du ROME", |tx| {
            for table in TABLES {
                tx.batch_execute(&format!("DELETE FROM {table}")).ctx("effacement de l'ancien référentiel")?;
            }
            for t in &tables {
                t.send(tx, "écriture du référentiel")?;
            }
            let v = &import.data.version;
            tx.execute(
                "INSERT INTO rome_imports (version, label, published, validated, imported_at, source, report)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
                &[
                    &i64::from(v.number),
                    &v.label,
                    &v.published,
                    &v.validated,
                    &import.imported_at,
                    &import.source,
                    &import.report_json,
                ],
            )
            .ctx("enregistrement de l'import")?;
            Ok(())
        })
    }

    fn has_referential(&self) -> Result<bool> {
        self.read("lecture du référentiel", has_referential)
    }

    fn load_referential(&self) -> Result<Referential> {
        let data = self.read("lecture du référentiel", |tx| {
            if !has_referential(tx)? {
                return Err(StoreError::NoReferential);
            }
            load(tx)
        })?;
        Ok(Referential::new(data))
    }

    fn rome_info(&self) -> Result<Option<RomeInfo>> {
        self.read("lecture du dernier import", rome_info)
    }

    fn rome_import_report(&self) -> Result<Option<String>> {
        self.read("lecture du rapport d'import", |tx| {
            let row = tx
                .query_opt(
                    "SELECT report FROM rome_imports ORDER BY id DESC LIMIT 1",
                    &[],
                )
                .ctx("lecture du rapport d'import")?;
            row.map(|r| Cells::new(&r, "lecture du rapport d'import").text(0))
                .transpose()
        })
    }
}

fn has_referential(tx: &mut Transaction<'_>) -> Result<bool> {
    Ok(tx
        .query_one("SELECT EXISTS (SELECT 1 FROM rome_fiches)", &[])
        .ctx("lecture du référentiel")?
        .get(0))
}

fn rome_info(tx: &mut Transaction<'_>) -> Result<Option<RomeInfo>> {
    let Some(row) = tx
        .query_opt(
            "SELECT version, label, published, validated, imported_at, source FROM rome_imports ORDER BY id DESC LIMIT 1",
            &[],
        )
        .ctx("lecture du dernier import")?
    else {
        return Ok(None);
    };
    let c = Cells::new(&row, "lecture du dernier import");
    let version = RomeVersion {
        number: c.num(0)?,
        label: c.opt_text(1)?,
        published: c.opt_text(2)?,
        validated: c.opt_text(3)?,
    };
    let (imported_at, source) = (c.text(4)?, c.text(5)?);
    let mut count = |sql: &str, params: &[&(dyn postgres::types::ToSql + Sync)]| -> Result<u64> {
        let n: i64 = tx
            .query_one(sql, params)
            .ctx("comptage du référentiel")?
            .get(0);
        Ok(n as u64)
    };
    let kind = "SELECT COUNT(*) FROM rome_classifications WHERE kind = $1";
    let counts = RomeCounts {
        grands_domaines: count("SELECT COUNT(*) FROM rome_grands_domaines", &[])?,
        domaines: count("SELECT COUNT(*) FROM rome_domaines", &[])?,
        fiches: count("SELECT COUNT(*) FROM rome_fiches", &[])?,
        appellations: count("SELECT COUNT(*) FROM rome_appellations", &[])?,
        competences: count("SELECT COUNT(*) FROM rome_competences", &[])?,
        macro_competences: count(
            "SELECT COUNT(*) FROM rome_competences WHERE nature = 1",
            &[],
        )?,
        savoirs: count("SELECT COUNT(*) FROM rome_savoirs", &[])?,
        certifications: count(
            "SELECT COUNT(*) FROM rome_savoirs WHERE category = $1",
            &[&SavoirCategory::CertificationsHabilitations.label_fr()],
        )?,
        contextes: count("SELECT COUNT(*) FROM rome_contextes", &[])?,
        fiche_items: count("SELECT COUNT(*) FROM rome_fiche_items", &[])?,
        centres_interet: count(kind, &[&"centre_interet"])?,
        secteurs: count(kind, &[&"secteur"])?,
        themes: count(kind, &[&"theme"])?,
        secteurs_naf: count(kind, &[&"secteur_naf"])?,
    };
    let imports = count("SELECT COUNT(*) FROM rome_imports", &[])?;
    Ok(Some(RomeInfo {
        version,
        imported_at,
        source,
        counts,
        imports,
    }))
}

// ---------- writing ----------

/// The COPY rows of every table, parents first.
fn encode(d: &ReferentialData) -> Result<Vec<CopyBuf>> {
    let mut grands = CopyBuf::new("rome_grands_domaines", "code, label");
    for g in &d.grands_domaines {
        grands.row(&[&g.code, &g.label]);
    }
    let mut domaines = CopyBuf::new("rome_domaines", "code, label");
    for x in &d.domaines {
        domaines.row(&[&x.code, &x.label]);
    }
    let mut competences = CopyBuf::new(
        "rome_competences",
        "ogr, label, definition, nature, category, subcategory, macro_ogr, code_macro, transition_eco, transition_num, \
         riasec_major, riasec_minor, heterogeneite, origine",
    );
    for c in &d.competences {
        let (major, minor) = riasec_cols(c.riasec);
        competences.row(&[
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
        ]);
    }
    let mut savoirs = CopyBuf::new(
        "rome_savoirs",
        "ogr, label, category, subcategory, transition_eco, transition_num",
    );
    for s in &d.savoirs {
        savoirs.row(&[
            &s.ogr.get(),
            &s.label,
            &s.category.label_fr(),
            &s.subcategory,
            &s.transition_eco,
            &s.transition_num,
        ]);
    }
    let mut contextes = CopyBuf::new("rome_contextes", "ogr, label, type_code, type_label");
    for c in &d.contextes {
        contextes.row(&[&c.ogr.get(), &c.label, &c.type_code, &c.type_label]);
    }
    let mut branches = CopyBuf::new(
        "rome_competence_branches",
        "macro_ogr, domaine_code, domaine, enjeu_code, enjeu, objectif_code, objectif",
    );
    for b in &d.arborescence_competences {
        branches.row(&[
            &b.macro_ogr.get(),
            &b.domaine_code,
            &b.domaine,
            &b.enjeu_code,
            &b.enjeu,
            &b.objectif_code,
            &b.objectif,
        ]);
    }
    let mut classifications = CopyBuf::new(
        "rome_classifications",
        "kind, code, label, definition, parent",
    );
    for (kind, list) in classification_lists(d) {
        for c in list {
            classifications.row(&[&kind, &c.code, &c.label, &c.definition, &c.parent]);
        }
    }
    let mut tables = vec![
        grands,
        domaines,
        competences,
        savoirs,
        contextes,
        branches,
        classifications,
    ];
    tables.extend(encode_fiches(d)?);
    Ok(tables)
}

/// Fiches, their texts, items and classifications, then the appellations
/// with their rank in their fiche's list (the same checks as SQLite's).
fn encode_fiches(d: &ReferentialData) -> Result<[CopyBuf; 5]> {
    let mut fiches = CopyBuf::new(
        "rome_fiches",
        "id, code, ogr, code_fiche_metier, title, parent, domaine, transition_eco, transition_num, transition_demo, \
         emploi_reglemente, emploi_cadre, riasec_major, riasec_minor",
    );
    let mut texts = CopyBuf::new("rome_fiche_texts", "fiche_id, kind, position, text");
    let mut items = CopyBuf::new("rome_fiche_items", "fiche_id, position, ogr, kind, coeur");
    let mut links = CopyBuf::new(
        "rome_fiche_classifications",
        "fiche_id, kind, position, code, principal",
    );
    let mut fiche_of = HashMap::with_capacity(d.fiches.len());
    let mut app_rank = HashMap::with_capacity(d.appellations.len());
    for (id, f) in d.fiches.iter().enumerate() {
        if fiche_of.insert(f.code, id).is_some() {
            return Err(StoreError::Corrupt(format!("fiche {} en double", f.code)));
        }
        let (major, minor) = riasec_cols(f.riasec);
        let t = &f.tags;
        fiches.row(&[
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
        ]);
        for (kind, list) in [(0u8, &f.definition), (1, &f.acces)] {
            for (pos, text) in list.iter().enumerate() {
                texts.row(&[&id, &kind, &pos, text]);
            }
        }
        for (pos, l) in f.items.iter().enumerate() {
            items.row(&[
                &id,
                &pos,
                &l.ogr.get(),
                &item_kind_code(l.kind),
                &coeur_code(l.coeur),
            ]);
        }
        for (kind, list) in fiche_links(f) {
            for (pos, l) in list.iter().enumerate() {
                links.row(&[&id, &kind, &pos, &l.code, &l.principal]);
            }
        }
        for (rank, ogr) in f.appellations.iter().enumerate() {
            app_rank.insert(*ogr, rank as i64);
        }
    }
    let mut appellations = CopyBuf::new(
        "rome_appellations",
        "ogr, fiche_id, position, long_label, short_label, transition_eco, transition_num, transition_demo, \
         emploi_reglemente, emploi_cadre, classification, origine, parent, rare",
    );
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
        appellations.row(&[
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
        ]);
    }
    Ok([fiches, texts, items, links, appellations])
}

// ---------- reading ----------

fn rows(tx: &mut Transaction<'_>, sql: &str, context: &'static str) -> Result<Vec<postgres::Row>> {
    tx.query(sql, &[]).ctx(context)
}

fn corrupt(context: &str, what: &str, value: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{context} : {what} inconnu dans la base : {value}"))
}

fn rome_code(context: &str, s: &str) -> Result<RomeCode> {
    RomeCode::parse(s).map_err(|_| corrupt(context, "code ROME", s))
}

fn letter(context: &str, s: Option<String>) -> Result<Option<RiasecLetter>> {
    s.map(|s| RiasecLetter::parse(&s).ok_or_else(|| corrupt(context, "lettre RIASEC", &s)))
        .transpose()
}

fn riasec(context: &str, major: Option<String>, minor: Option<String>) -> Result<Option<Riasec>> {
    Ok(match letter(context, major)? {
        None => None,
        Some(major) => Some(Riasec {
            major,
            minor: letter(context, minor)?,
        }),
    })
}

fn load(tx: &mut Transaction<'_>) -> Result<ReferentialData> {
    let ctx = "lecture de la version du ROME";
    let row = tx
        .query_one("SELECT version, label, published, validated FROM rome_imports ORDER BY id DESC LIMIT 1", &[])
        .ctx(ctx)?;
    let c = Cells::new(&row, ctx);
    let version = RomeVersion {
        number: c.num(0)?,
        label: c.opt_text(1)?,
        published: c.opt_text(2)?,
        validated: c.opt_text(3)?,
    };
    let mut d = ReferentialData {
        version,
        ..Default::default()
    };
    let ctx = "lecture des grands domaines";
    for r in rows(
        tx,
        "SELECT code, label FROM rome_grands_domaines ORDER BY id",
        ctx,
    )? {
        let c = Cells::new(&r, ctx);
        let code = c.text(0)?;
        let first = code
            .chars()
            .next()
            .ok_or_else(|| corrupt(ctx, "grand domaine", &code))?;
        d.grands_domaines.push(GrandDomaine {
            code: first,
            label: c.text(1)?,
        });
    }
    let ctx = "lecture des domaines";
    for r in rows(tx, "SELECT code, label FROM rome_domaines ORDER BY id", ctx)? {
        let c = Cells::new(&r, ctx);
        d.domaines.push(Domaine {
            code: c.text(0)?,
            label: c.text(1)?,
        });
    }
    load_items(tx, &mut d)?;
    load_classifications(tx, &mut d)?;
    load_fiches(tx, &mut d)?;
    load_appellations(tx, &mut d)?;
    Ok(d)
}

fn load_items(tx: &mut Transaction<'_>, d: &mut ReferentialData) -> Result<()> {
    let ctx = "lecture des compétences";
    let sql = "SELECT ogr, label, definition, nature, category, subcategory, macro_ogr, code_macro, transition_eco,
               transition_num, riasec_major, riasec_minor, heterogeneite, origine FROM rome_competences ORDER BY id";
    for r in rows(tx, sql, ctx)? {
        let c = Cells::new(&r, ctx);
        let subcategory = match c.int(5)? {
            0 => CompetenceSubcategory::Technique,
            1 => CompetenceSubcategory::TechniqueExpert,
            2 => CompetenceSubcategory::Transverse,
            x => return Err(corrupt(ctx, "sous-catégorie", x)),
        };
        d.competences.push(Competence {
            ogr: OgrCode::new(c.num(0)?),
            label: c.text(1)?,
            definition: c.opt_text(2)?,
            nature: if c.int(3)? == 1 {
                CompetenceNature::MacroCompetence
            } else {
                CompetenceNature::Competence
            },
            category: if c.int(4)? == 1 {
                CompetenceCategory::SavoirEtre
            } else {
                CompetenceCategory::SavoirFaire
            },
            subcategory,
            macro_ogr: c.opt_num(6)?.map(OgrCode::new),
            code_macro: c.opt_text(7)?,
            transition_eco: c.opt_flag(8)?,
            transition_num: c.opt_flag(9)?,
            riasec: riasec(ctx, c.opt_text(10)?, c.opt_text(11)?)?,
            heterogeneite: c.opt_text(12)?,
            origine: c.opt_text(13)?,
        });
    }
    let ctx = "lecture des savoirs";
    let sql = "SELECT ogr, label, category, subcategory, transition_eco, transition_num FROM rome_savoirs ORDER BY id";
    for r in rows(tx, sql, ctx)? {
        let c = Cells::new(&r, ctx);
        d.savoirs.push(Savoir {
            ogr: OgrCode::new(c.num(0)?),
            label: c.text(1)?,
            category: SavoirCategory::parse(&c.text(2)?),
            subcategory: c.text(3)?,
            transition_eco: c.opt_flag(4)?,
            transition_num: c.opt_flag(5)?,
        });
    }
    let ctx = "lecture des contextes";
    for r in rows(
        tx,
        "SELECT ogr, label, type_code, type_label FROM rome_contextes ORDER BY id",
        ctx,
    )? {
        let c = Cells::new(&r, ctx);
        d.contextes.push(Contexte {
            ogr: OgrCode::new(c.num(0)?),
            label: c.text(1)?,
            type_code: c.num(2)?,
            type_label: c.text(3)?,
        });
    }
    let ctx = "lecture de l'arborescence des compétences";
    let sql = "SELECT macro_ogr, domaine_code, domaine, enjeu_code, enjeu, objectif_code, objectif
               FROM rome_competence_branches ORDER BY id";
    for r in rows(tx, sql, ctx)? {
        let c = Cells::new(&r, ctx);
        d.arborescence_competences.push(CompetenceBranch {
            macro_ogr: OgrCode::new(c.num(0)?),
            domaine_code: c.text(1)?,
            domaine: c.text(2)?,
            enjeu_code: c.text(3)?,
            enjeu: c.text(4)?,
            objectif_code: c.text(5)?,
            objectif: c.text(6)?,
        });
    }
    Ok(())
}

fn load_classifications(tx: &mut Transaction<'_>, d: &mut ReferentialData) -> Result<()> {
    let ctx = "lecture des classifications";
    for r in rows(
        tx,
        "SELECT kind, code, label, definition, parent FROM rome_classifications ORDER BY id",
        ctx,
    )? {
        let c = Cells::new(&r, ctx);
        let class = Classification {
            code: c.text(1)?,
            label: c.text(2)?,
            definition: c.opt_text(3)?,
            parent: c.opt_text(4)?,
        };
        match c.text(0)?.as_str() {
            "centre_interet" => d.centres_interet.push(class),
            "secteur" => d.secteurs.push(class),
            "theme" => d.themes.push(class),
            "secteur_naf" => d.secteurs_naf.push(class),
            other => {
                return Err(StoreError::Corrupt(format!(
                    "classification de type inconnu « {other} »"
                )));
            }
        }
    }
    Ok(())
}

fn load_fiches(tx: &mut Transaction<'_>, d: &mut ReferentialData) -> Result<()> {
    let ctx = "lecture des fiches";
    let sql = "SELECT code, ogr, code_fiche_metier, title, parent, domaine, transition_eco, transition_num,
               transition_demo, emploi_reglemente, emploi_cadre, riasec_major, riasec_minor FROM rome_fiches ORDER BY id";
    for r in rows(tx, sql, ctx)? {
        let c = Cells::new(&r, ctx);
        d.fiches.push(Fiche {
            code: rome_code(ctx, &c.text(0)?)?,
            ogr: OgrCode::new(c.num(1)?),
            code_fiche_metier: c.opt_num(2)?,
            title: c.text(3)?,
            parent: rome_code(ctx, &c.text(4)?)?,
            domaine: c.text(5)?,
            tags: FicheTags {
                transition_eco: c.opt_text(6)?,
                transition_num: c.opt_flag(7)?,
                transition_demo: c.opt_flag(8)?,
                emploi_reglemente: c.opt_flag(9)?,
                emploi_cadre: c.opt_flag(10)?,
            },
            riasec: riasec(ctx, c.opt_text(11)?, c.opt_text(12)?)?,
            definition: Vec::new(),
            acces: Vec::new(),
            appellations: Vec::new(),
            items: Vec::new(),
            centres_interet: Vec::new(),
            secteurs: Vec::new(),
            themes: Vec::new(),
            secteurs_naf: Vec::new(),
        });
    }
    let n = d.fiches.len();
    let fiche = |ctx: &str, id: i64| {
        usize::try_from(id)
            .ok()
            .filter(|&i| i < n)
            .ok_or_else(|| corrupt(ctx, "identifiant de fiche", id))
    };
    let ctx = "lecture des textes";
    for r in rows(
        tx,
        "SELECT fiche_id, kind, text FROM rome_fiche_texts ORDER BY fiche_id, kind, position",
        ctx,
    )? {
        let c = Cells::new(&r, ctx);
        let f = &mut d.fiches[fiche(ctx, c.int(0)?)?];
        match c.int(1)? {
            0 => f.definition.push(c.text(2)?),
            _ => f.acces.push(c.text(2)?),
        }
    }
    let ctx = "lecture des liens fiche → item";
    for r in rows(
        tx,
        "SELECT fiche_id, ogr, kind, coeur FROM rome_fiche_items ORDER BY fiche_id, position",
        ctx,
    )? {
        let c = Cells::new(&r, ctx);
        let kind = match c.int(2)? {
            0 => ItemKind::SavoirFaire,
            1 => ItemKind::SavoirEtre,
            2 => ItemKind::Savoir,
            3 => ItemKind::Contexte,
            x => return Err(StoreError::Corrupt(format!("type d'item inconnu {x}"))),
        };
        let coeur = match c.int(3)? {
            0 => CoeurMetier::Non,
            1 => CoeurMetier::Principale,
            2 => CoeurMetier::Emergente,
            x => {
                return Err(StoreError::Corrupt(format!(
                    "valeur de cœur de métier inconnue {x}"
                )));
            }
        };
        d.fiches[fiche(ctx, c.int(0)?)?].items.push(ItemLink {
            ogr: OgrCode::new(c.num(1)?),
            kind,
            coeur,
        });
    }
    let ctx = "lecture des classifications des fiches";
    let sql = "SELECT fiche_id, kind, code, principal FROM rome_fiche_classifications ORDER BY fiche_id, kind, position";
    for r in rows(tx, sql, ctx)? {
        let c = Cells::new(&r, ctx);
        let link = CategoryLink {
            code: c.text(2)?,
            principal: c.flag(3)?,
        };
        let f = &mut d.fiches[fiche(ctx, c.int(0)?)?];
        match c.text(1)?.as_str() {
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
    Ok(())
}

fn load_appellations(tx: &mut Transaction<'_>, d: &mut ReferentialData) -> Result<()> {
    let ctx = "lecture des appellations";
    let n = d.fiches.len();
    let mut ranked: Vec<(usize, i64, OgrCode)> = Vec::with_capacity(16_000);
    let sql = "SELECT ogr, fiche_id, position, long_label, short_label, transition_eco, transition_num, transition_demo,
               emploi_reglemente, emploi_cadre, classification, origine, parent, rare FROM rome_appellations ORDER BY id";
    for r in rows(tx, sql, ctx)? {
        let c = Cells::new(&r, ctx);
        let ogr = OgrCode::new(c.num(0)?);
        let id = c.int(1)?;
        let i = usize::try_from(id)
            .ok()
            .filter(|&i| i < n)
            .ok_or_else(|| corrupt(ctx, "identifiant de fiche", id))?;
        ranked.push((i, c.int(2)?, ogr));
        d.appellations.push(Appellation {
            ogr,
            long_label: c.text(3)?,
            short_label: c.text(4)?,
            rome: d.fiches[i].code,
            tags: FicheTags {
                transition_eco: c.opt_text(5)?,
                transition_num: c.opt_flag(6)?,
                transition_demo: c.opt_flag(7)?,
                emploi_reglemente: c.opt_flag(8)?,
                emploi_cadre: c.opt_flag(9)?,
            },
            classification: c.opt_text(10)?,
            origine: c.opt_text(11)?,
            parent: c.opt_text(12)?.map(|p| rome_code(ctx, &p)).transpose()?,
            rare: c.flag(13)?,
        });
    }
    ranked.sort_unstable_by_key(|&(i, rank, _)| (i, rank));
    for (i, _, ogr) in ranked {
        d.fiches[i].appellations.push(ogr);
    }
    Ok(())
}
