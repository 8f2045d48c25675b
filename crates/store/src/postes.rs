//! Storage of job-title profiles ("postes").

use rusqlite::params;

use passerelle_core::referential::{CoeurMetier, ItemKind, ItemLink};
use passerelle_core::{OgrCode, Poste, PosteProvenance, RomeCode};

use crate::{Result, SqlContext, SqliteStore, StoreError};

/// A stored poste with the item labels recorded when it was made.
#[derive(Debug, Clone)]
pub struct StoredPoste {
    pub poste: Poste,
    pub labels: Vec<(OgrCode, String)>,
}

/// Job-title profiles, behind a trait so that another database can serve them.
pub trait PosteRepository {
    /// Saves the postes, replacing those with the same slugs, in one
    /// transaction: on error nothing is written.
    fn save_postes(&mut self, postes: &[StoredPoste], imported_at: &str) -> Result<()>;
    fn load_postes(&self) -> Result<Vec<StoredPoste>>;
}

pub(crate) fn kind_str(k: ItemKind) -> &'static str {
    match k {
        ItemKind::SavoirFaire => "savoir_faire",
        ItemKind::SavoirEtre => "savoir_etre",
        ItemKind::Savoir => "savoir",
        ItemKind::Contexte => "contexte",
    }
}

pub(crate) fn kind_parse(s: &str) -> Option<ItemKind> {
    Some(match s {
        "savoir_faire" => ItemKind::SavoirFaire,
        "savoir_etre" => ItemKind::SavoirEtre,
        "savoir" => ItemKind::Savoir,
        "contexte" => ItemKind::Contexte,
        _ => return None,
    })
}

pub(crate) fn coeur_str(c: CoeurMetier) -> &'static str {
    match c {
        CoeurMetier::Non => "",
        CoeurMetier::Principale => "Principale",
        CoeurMetier::Emergente => "Émergente",
    }
}

impl PosteRepository for SqliteStore {
    fn save_postes(&mut self, postes: &[StoredPoste], imported_at: &str) -> Result<()> {
        let tx = self.import_transaction("début d'import des postes")?;
        for StoredPoste { poste: p, labels } in postes {
            tx.execute("DELETE FROM postes WHERE slug = ?1", params![p.slug])
                .ctx("remplacement d'un poste")?;
            let notes =
                serde_json::to_string(&p.notes).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            tx.execute(
                "INSERT INTO postes (slug, title, base, appellation, author, date, basis, rome_version, survey, notes, imported_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                params![
                    p.slug, p.title, p.base.as_str(), p.appellation.map(|a| a.get()),
                    p.provenance.author, p.provenance.date, p.provenance.basis,
                    p.rome_version, p.survey, notes, imported_at
                ],
            )
            .ctx("écriture d'un poste")?;
            for (i, l) in p.items.iter().enumerate() {
                let label = labels
                    .iter()
                    .find(|(o, _)| *o == l.ogr)
                    .map(|(_, s)| s.as_str())
                    .unwrap_or("");
                tx.execute(
                    "INSERT INTO poste_items (slug, position, ogr, kind, coeur, label, extra) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                    params![p.slug, i as i64, l.ogr.get(), kind_str(l.kind), coeur_str(l.coeur), label, p.extra.contains(&l.ogr)],
                )
                .ctx("écriture d'un item de poste")?;
            }
        }
        crate::bump_data_version(&tx)?;
        tx.commit().ctx("validation de l'import des postes")
    }

    fn load_postes(&self) -> Result<Vec<StoredPoste>> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare("SELECT slug, title, base, appellation, author, date, basis, rome_version, survey, notes FROM postes ORDER BY slug")
            .ctx("lecture des postes")?;
        #[allow(clippy::type_complexity)]
        let heads: Vec<(
            String,
            String,
            String,
            Option<u32>,
            String,
            String,
            String,
            u32,
            Option<String>,
            String,
        )> = stmt
            .query_map([], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                    r.get(8)?,
                    r.get(9)?,
                ))
            })
            .ctx("lecture des postes")?
            .collect::<rusqlite::Result<_>>()
            .ctx("lecture des postes")?;
        let mut items_stmt = conn
            .prepare("SELECT ogr, kind, coeur, label, extra FROM poste_items WHERE slug = ?1 ORDER BY position")
            .ctx("lecture des items de poste")?;
        let mut out = Vec::with_capacity(heads.len());
        for (slug, title, base, appellation, author, date, basis, rome_version, survey, notes) in
            heads
        {
            let corrupt = |what: &str| StoreError::Corrupt(format!("poste {slug} : {what}"));
            let base = RomeCode::parse(&base).map_err(|_| corrupt("fiche de base invalide"))?;
            let notes: Vec<String> =
                serde_json::from_str(&notes).map_err(|_| corrupt("notes illisibles"))?;
            let mut items = Vec::new();
            let mut extra = Vec::new();
            let mut labels = Vec::new();
            let rows = items_stmt
                .query_map(params![slug], |r| {
                    Ok((
                        r.get::<_, u32>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, bool>(4)?,
                    ))
                })
                .ctx("lecture des items de poste")?;
            for row in rows {
                let (ogr, kind, coeur, label, is_extra) = row.ctx("lecture des items de poste")?;
                let ogr = OgrCode::new(ogr);
                let kind = kind_parse(&kind).ok_or_else(|| corrupt("type d'item invalide"))?;
                let coeur =
                    CoeurMetier::parse(&coeur).ok_or_else(|| corrupt("cœur de métier invalide"))?;
                items.push(ItemLink { ogr, kind, coeur });
                if is_extra {
                    extra.push(ogr);
                }
                labels.push((ogr, label));
            }
            let poste = Poste {
                slug,
                title,
                base,
                appellation: appellation.map(OgrCode::new),
                items,
                extra,
                provenance: PosteProvenance {
                    author,
                    date,
                    basis,
                },
                rome_version,
                survey,
                notes,
            };
            out.push(StoredPoste { poste, labels });
        }
        Ok(out)
    }
}
