//! Storage of job-title profiles ("postes").

use passerelle_core::referential::{CoeurMetier, ItemKind, ItemLink};
use passerelle_core::{OgrCode, Poste, PosteProvenance, RomeCode};

use crate::sql::{Backend, Cells, Change, Db};
use crate::{Result, StoreError};

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

impl<B: Backend> PosteRepository for B {
    fn save_postes(&mut self, postes: &[StoredPoste], imported_at: &str) -> Result<()> {
        self.write(Change::Data("import des postes"), |db| {
            postes
                .iter()
                .try_for_each(|p| save_poste(db, p, imported_at))
        })
    }

    fn load_postes(&self) -> Result<Vec<StoredPoste>> {
        self.read("lecture des postes", |db| {
            let heads = db.all(
                "SELECT slug, title, base, appellation, author, date, basis, rome_version, survey, notes \
                 FROM postes ORDER BY slug",
                &[],
                "lecture des postes",
                read_head,
            )?;
            heads
                .into_iter()
                .map(|poste| {
                    let items = db.all(
                        "SELECT ogr, kind, coeur, label, extra FROM poste_items WHERE slug = ?1 ORDER BY position",
                        &[&poste.slug],
                        "lecture des items de poste",
                        |c| read_item(c, &poste.slug),
                    )?;
                    Ok(with_items(poste, items))
                })
                .collect()
        })
    }
}

fn save_poste(db: &mut dyn Db, stored: &StoredPoste, imported_at: &str) -> Result<()> {
    let StoredPoste { poste: p, labels } = stored;
    db.execute(
        "DELETE FROM postes WHERE slug = ?1",
        &[&p.slug],
        "remplacement d'un poste",
    )?;
    let notes = serde_json::to_string(&p.notes).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    db.execute(
        "INSERT INTO postes (slug, title, base, appellation, author, date, basis, rome_version, survey, notes, imported_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        &[
            &p.slug,
            &p.title,
            &p.base.as_str(),
            &p.appellation.map(|a| a.get()),
            &p.provenance.author,
            &p.provenance.date,
            &p.provenance.basis,
            &p.rome_version,
            &p.survey,
            &notes,
            &imported_at,
        ],
        "écriture d'un poste",
    )?;
    for (i, l) in p.items.iter().enumerate() {
        let label = labels
            .iter()
            .find(|(o, _)| *o == l.ogr)
            .map_or("", |(_, s)| s.as_str());
        db.execute(
            "INSERT INTO poste_items (slug, position, ogr, kind, coeur, label, extra) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            &[
                &p.slug,
                &i,
                &l.ogr.get(),
                &kind_str(l.kind),
                &coeur_str(l.coeur),
                &label,
                &p.extra.contains(&l.ogr),
            ],
            "écriture d'un item de poste",
        )?;
    }
    Ok(())
}

fn corrupt(slug: &str, what: &str) -> StoreError {
    StoreError::Corrupt(format!("poste {slug} : {what}"))
}

/// A poste without its items.
fn read_head(c: &Cells<'_>) -> Result<Poste> {
    let slug = c.text(0)?;
    let base =
        RomeCode::parse(&c.text(2)?).map_err(|_| corrupt(&slug, "fiche de base invalide"))?;
    let notes =
        serde_json::from_str(&c.text(9)?).map_err(|_| corrupt(&slug, "notes illisibles"))?;
    Ok(Poste {
        title: c.text(1)?,
        base,
        appellation: c.opt_num(3)?.map(OgrCode::new),
        items: Vec::new(),
        extra: Vec::new(),
        provenance: PosteProvenance {
            author: c.text(4)?,
            date: c.text(5)?,
            basis: c.text(6)?,
        },
        rome_version: c.num(7)?,
        survey: c.opt_text(8)?,
        notes,
        slug,
    })
}

/// An item of a poste: the link, its label, whether it is an extra.
fn read_item(c: &Cells<'_>, slug: &str) -> Result<(ItemLink, String, bool)> {
    let ogr = OgrCode::new(c.num(0)?);
    let kind = kind_parse(&c.text(1)?).ok_or_else(|| corrupt(slug, "type d'item invalide"))?;
    let coeur =
        CoeurMetier::parse(&c.text(2)?).ok_or_else(|| corrupt(slug, "cœur de métier invalide"))?;
    Ok((ItemLink { ogr, kind, coeur }, c.text(3)?, c.flag(4)?))
}

fn with_items(mut poste: Poste, items: Vec<(ItemLink, String, bool)>) -> StoredPoste {
    let mut labels = Vec::with_capacity(items.len());
    for (link, label, is_extra) in items {
        if is_extra {
            poste.extra.push(link.ogr);
        }
        labels.push((link.ogr, label));
        poste.items.push(link);
    }
    StoredPoste { poste, labels }
}
