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

fn kind_str(k: ItemKind) -> &'static str {
    match k {
        ItemKind::SavoirFaire => "savoir_faire",
        ItemKind::SavoirEtre => "savoir_etre",
        ItemKind::Savoir => "savoir",
        ItemKind::Contexte => "contexte",
    }
}

fn kind_parse(s: &str) -> Option<ItemKind> {
    Some(match s {
        "savoir_faire" => ItemKind::SavoirFaire,
        "savoir_etre" => ItemKind::SavoirEtre,
        "savoir" => ItemKind::Savoir,
        "contexte" => ItemKind::Contexte,
        _ => return None,
    })
}

fn coeur_str(c: CoeurMetier) -> &'static str {
    match c {
        CoeurMetier::Non => "",
        CoeurMetier::Principale => "Principale",
        CoeurMetier::Emergente => "Émergente",
    }
}

impl PosteRepository for SqliteStore {
    fn save_postes(&mut self, postes: &[StoredPoste], imported_at: &str) -> Result<()> {
        let tx = self.conn_mut().transaction().ctx("début d'import des postes")?;
        for StoredPoste { poste: p, labels } in postes {
            tx.execute("DELETE FROM postes WHERE slug = ?1", params![p.slug]).ctx("remplacement d'un poste")?;
            let notes = serde_json::to_string(&p.notes).map_err(|e| StoreError::Corrupt(e.to_string()))?;
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
                let label = labels.iter().find(|(o, _)| *o == l.ogr).map(|(_, s)| s.as_str()).unwrap_or("");
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
        let heads: Vec<(String, String, String, Option<u32>, String, String, String, u32, Option<String>, String)> = stmt
            .query_map([], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?, r.get(8)?, r.get(9)?))
            })
            .ctx("lecture des postes")?
            .collect::<rusqlite::Result<_>>()
            .ctx("lecture des postes")?;
        let mut items_stmt = conn
            .prepare("SELECT ogr, kind, coeur, label, extra FROM poste_items WHERE slug = ?1 ORDER BY position")
            .ctx("lecture des items de poste")?;
        let mut out = Vec::with_capacity(heads.len());
        for (slug, title, base, appellation, author, date, basis, rome_version, survey, notes) in heads {
            let corrupt = |what: &str| StoreError::Corrupt(format!("poste {slug} : {what}"));
            let base = RomeCode::parse(&base).map_err(|_| corrupt("fiche de base invalide"))?;
            let notes: Vec<String> = serde_json::from_str(&notes).map_err(|_| corrupt("notes illisibles"))?;
            let mut items = Vec::new();
            let mut extra = Vec::new();
            let mut labels = Vec::new();
            let rows = items_stmt
                .query_map(params![slug], |r| {
                    Ok((r.get::<_, u32>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?, r.get::<_, bool>(4)?))
                })
                .ctx("lecture des items de poste")?;
            for row in rows {
                let (ogr, kind, coeur, label, is_extra) = row.ctx("lecture des items de poste")?;
                let ogr = OgrCode::new(ogr);
                let kind = kind_parse(&kind).ok_or_else(|| corrupt("type d'item invalide"))?;
                let coeur = CoeurMetier::parse(&coeur).ok_or_else(|| corrupt("cœur de métier invalide"))?;
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
                provenance: PosteProvenance { author, date, basis },
                rome_version,
                survey,
                notes,
            };
            out.push(StoredPoste { poste, labels });
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(o: u32, kind: ItemKind, coeur: CoeurMetier) -> ItemLink {
        ItemLink { ogr: OgrCode::new(o), kind, coeur }
    }

    fn stored(slug: &str, items: Vec<ItemLink>) -> StoredPoste {
        let labels = items.iter().map(|l| (l.ogr, format!("libellé {}", l.ogr))).collect();
        let extra = items.iter().filter(|l| l.coeur == CoeurMetier::Non).map(|l| l.ogr).collect();
        StoredPoste {
            poste: Poste {
                slug: slug.into(),
                title: "Assistant médical".into(),
                base: RomeCode::parse("J1303").unwrap(),
                appellation: Some(OgrCode::new(200145)),
                items,
                extra,
                provenance: PosteProvenance { author: "Équipe".into(), date: "2026-11-23".into(), basis: "fiche AFPA".into() },
                rome_version: 60,
                survey: Some("afpa-aveyron-assistant-medical".into()),
                notes: vec!["« rapprochement »".into()],
            },
            labels,
        }
    }

    #[test]
    fn postes_round_trip_with_labels_kinds_and_extras() {
        let mut store = SqliteStore::open_in_memory().unwrap();
        let p = stored(
            "assistant-medical",
            vec![
                link(107361, ItemKind::Savoir, CoeurMetier::Principale),
                link(124221, ItemKind::SavoirFaire, CoeurMetier::Emergente),
                link(300490, ItemKind::SavoirEtre, CoeurMetier::Principale),
                link(38126, ItemKind::Contexte, CoeurMetier::Non),
            ],
        );
        store.save_postes(std::slice::from_ref(&p), "2026-11-23T00:00:00Z").unwrap();
        let loaded = store.load_postes().unwrap();
        assert_eq!(loaded.len(), 1);
        assert_eq!(loaded[0].poste, p.poste);
        assert_eq!(loaded[0].labels, p.labels);
        // Same slug again: replaced, not duplicated.
        let smaller = stored("assistant-medical", vec![link(107361, ItemKind::Savoir, CoeurMetier::Principale)]);
        store.save_postes(&[smaller], "2026-11-24T00:00:00Z").unwrap();
        let loaded = store.load_postes().unwrap();
        assert_eq!(loaded.len(), 1);
        assert_eq!(loaded[0].poste.items.len(), 1);
    }

    #[test]
    fn a_failing_save_writes_nothing() {
        let mut store = SqliteStore::open_in_memory().unwrap();
        let good = stored("a", vec![link(1, ItemKind::Savoir, CoeurMetier::Principale)]);
        // The same item twice breaks the (slug, ogr) key after `good` was written.
        let bad = stored("b", vec![link(2, ItemKind::Savoir, CoeurMetier::Principale); 2]);
        assert!(store.save_postes(&[good, bad], "2026-11-23T00:00:00Z").is_err());
        assert!(store.load_postes().unwrap().is_empty());
    }
}
