//! [`PosteRepository`] on PostgreSQL (`migrations/postgres/0004_postes.sql`).

use passerelle_core::referential::{CoeurMetier, ItemLink};
use passerelle_core::{OgrCode, Poste, PosteProvenance, RomeCode};

use super::{Cells, PgStore};
use crate::postes::{coeur_str, kind_parse, kind_str};
use crate::{PosteRepository, Result, SqlContext, StoreError, StoredPoste};

impl PosteRepository for PgStore {
    fn save_postes(&mut self, postes: &[StoredPoste], imported_at: &str) -> Result<()> {
        self.write("import des postes", |tx| {
            for StoredPoste { poste: p, labels } in postes {
                tx.execute("DELETE FROM postes WHERE slug = $1", &[&p.slug]).ctx("remplacement d'un poste")?;
                let notes = serde_json::to_string(&p.notes).map_err(|e| StoreError::Corrupt(e.to_string()))?;
                tx.execute(
                    "INSERT INTO postes (slug, title, base, appellation, author, date, basis, rome_version, survey, notes, imported_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                    &[
                        &p.slug,
                        &p.title,
                        &p.base.as_str(),
                        &p.appellation.map(|a| i64::from(a.get())),
                        &p.provenance.author,
                        &p.provenance.date,
                        &p.provenance.basis,
                        &i64::from(p.rome_version),
                        &p.survey,
                        &notes,
                        &imported_at,
                    ],
                )
                .ctx("écriture d'un poste")?;
                for (i, l) in p.items.iter().enumerate() {
                    let label = labels.iter().find(|(o, _)| *o == l.ogr).map(|(_, s)| s.as_str()).unwrap_or("");
                    tx.execute(
                        "INSERT INTO poste_items (slug, position, ogr, kind, coeur, label, extra) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                        &[
                            &p.slug,
                            &(i as i64),
                            &i64::from(l.ogr.get()),
                            &kind_str(l.kind),
                            &coeur_str(l.coeur),
                            &label,
                            &i64::from(p.extra.contains(&l.ogr)),
                        ],
                    )
                    .ctx("écriture d'un item de poste")?;
                }
            }
            Ok(())
        })
    }

    fn load_postes(&self) -> Result<Vec<StoredPoste>> {
        self.read("lecture des postes", |tx| {
            let ctx = "lecture des postes";
            let heads = tx
                .query(
                    "SELECT slug, title, base, appellation, author, date, basis, rome_version, survey, notes FROM postes ORDER BY slug",
                    &[],
                )
                .ctx(ctx)?;
            let items_stmt = tx
                .prepare("SELECT ogr, kind, coeur, label, extra FROM poste_items WHERE slug = $1 ORDER BY position")
                .ctx("lecture des items de poste")?;
            let mut out = Vec::with_capacity(heads.len());
            for row in &heads {
                let c = Cells::new(row, ctx);
                let slug = c.text(0)?;
                let corrupt = |what: &str| StoreError::Corrupt(format!("poste {slug} : {what}"));
                let base = RomeCode::parse(&c.text(2)?).map_err(|_| corrupt("fiche de base invalide"))?;
                let notes: Vec<String> = serde_json::from_str(&c.text(9)?).map_err(|_| corrupt("notes illisibles"))?;
                let (mut items, mut extra, mut labels) = (Vec::new(), Vec::new(), Vec::new());
                let ctx = "lecture des items de poste";
                for r in tx.query(&items_stmt, &[&slug]).ctx(ctx)? {
                    let i = Cells::new(&r, ctx);
                    let ogr = OgrCode::new(i.num(0)?);
                    let kind = kind_parse(&i.text(1)?).ok_or_else(|| corrupt("type d'item invalide"))?;
                    let coeur = CoeurMetier::parse(&i.text(2)?).ok_or_else(|| corrupt("cœur de métier invalide"))?;
                    items.push(ItemLink { ogr, kind, coeur });
                    if i.flag(4)? {
                        extra.push(ogr);
                    }
                    labels.push((ogr, i.text(3)?));
                }
                let poste = Poste {
                    title: c.text(1)?,
                    base,
                    appellation: c.opt_num(3)?.map(OgrCode::new),
                    items,
                    extra,
                    provenance: PosteProvenance { author: c.text(4)?, date: c.text(5)?, basis: c.text(6)? },
                    rome_version: c.num(7)?,
                    survey: c.opt_text(8)?,
                    notes,
                    slug,
                };
                out.push(StoredPoste { poste, labels });
            }
            Ok(out)
        })
    }
}
