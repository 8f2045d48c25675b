//! Job-title profiles ("postes"): a named selection of a fiche's items.
//!
//! ROME links items to fiches, not to job titles, so a fiche such as J1303
//! mixes medical, dental, hearing-aid and radiology assistants. A poste keeps
//! only the items of the job a sheet is really about, and the engine uses it
//! in place of the whole fiche.

pub mod toml;

use serde::{Deserialize, Serialize};

use crate::codes::{OgrCode, RomeCode};
use crate::referential::ItemLink;

/// Who made a poste, when, and from what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PosteProvenance {
    pub author: String,
    pub date: String,
    /// What it was made from ("fiche passerelle AFPA, Hérault", "contenu du CQP", …).
    pub basis: String,
}

/// A job-title profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Poste {
    /// `assistant-medical` in `poste:assistant-medical`.
    pub slug: String,
    pub title: String,
    /// The fiche the poste narrows.
    pub base: RomeCode,
    /// The appellation the poste describes, if any.
    pub appellation: Option<OgrCode>,
    /// The retained items (from the base fiche, or declared extras).
    pub items: Vec<ItemLink>,
    /// Items retained that the base fiche does not have, declared as such.
    pub extra: Vec<OgrCode>,
    pub provenance: PosteProvenance,
    /// ROME version number the selection was made against.
    pub rome_version: u32,
    /// Identifier of the surveyed transversal profile attached, if any.
    pub survey: Option<String>,
    /// Free notes (e.g. seed items with no exact ROME match).
    pub notes: Vec<String>,
}

/// Why a poste is not valid against the referential.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PosteError {
    #[error(
        "slug « {0} » invalide : lettres minuscules sans accent, chiffres et tirets (80 au plus)"
    )]
    Slug(String),
    #[error("fiche de base inconnue : {0} n'est pas une fiche du référentiel")]
    UnknownBase(RomeCode),
    #[error("appellation {0} inconnue")]
    UnknownAppellation(OgrCode),
    #[error("appellation {appellation} : elle appartient à la fiche {actual}, pas à {base}")]
    AppellationElsewhere {
        appellation: OgrCode,
        base: RomeCode,
        actual: RomeCode,
    },
    #[error("item {0} : code OGR inconnu du référentiel")]
    UnknownItem(OgrCode),
    #[error(
        "item {ogr} « {label} » : absent de la fiche {base} ; déclarez-le en « extra » s'il est voulu"
    )]
    NotInBase {
        ogr: OgrCode,
        label: String,
        base: RomeCode,
    },
    #[error("item {0} : présent deux fois")]
    Duplicate(OgrCode),
    #[error("sélection vide : un profil de poste retient au moins un item")]
    Empty,
    #[error("appellation {appellation} : déjà décrite par le profil poste:{other}")]
    AppellationTaken { appellation: OgrCode, other: String },
}

/// Whether a slug is valid for `poste:<slug>`.
pub fn valid_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= 80
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// A problem found when a poste made against an older ROME version meets
/// the current referential.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PosteIssue {
    pub slug: String,
    pub ogr: OgrCode,
    pub old_label: String,
    /// `None` when the item disappeared.
    pub new_label: Option<String>,
    /// What to do, in French.
    pub advice: String,
}

impl Poste {
    /// Builds the item links of a selection from a fiche: each retained OGR
    /// code must be an item of the base fiche, or listed in `extra` and
    /// known to the referential. The links keep the fiche's `coeur_metier`.
    pub fn select_items(
        referential: &crate::Referential,
        base: RomeCode,
        retained: &[OgrCode],
        extra: &[OgrCode],
    ) -> Result<Vec<ItemLink>, PosteError> {
        use crate::referential::{CoeurMetier, CompetenceCategory, ItemKind, ItemRef};
        let fiche = referential
            .fiche(base)
            .ok_or(PosteError::UnknownBase(base))?;
        if retained.is_empty() {
            return Err(PosteError::Empty);
        }
        let mut seen = std::collections::HashSet::new();
        let mut items = Vec::with_capacity(retained.len());
        for &ogr in retained {
            if !seen.insert(ogr) {
                return Err(PosteError::Duplicate(ogr));
            }
            if let Some(link) = fiche.items.iter().find(|l| l.ogr == ogr) {
                items.push(*link);
                continue;
            }
            let item = referential.item(ogr).ok_or(PosteError::UnknownItem(ogr))?;
            if !extra.contains(&ogr) {
                return Err(PosteError::NotInBase {
                    ogr,
                    label: item.label().to_string(),
                    base,
                });
            }
            let kind = match item {
                ItemRef::Competence(c) if c.category == CompetenceCategory::SavoirEtre => {
                    ItemKind::SavoirEtre
                }
                ItemRef::Competence(_) => ItemKind::SavoirFaire,
                ItemRef::Savoir(_) => ItemKind::Savoir,
                ItemRef::Contexte(_) => ItemKind::Contexte,
            };
            items.push(ItemLink {
                ogr,
                kind,
                coeur: CoeurMetier::Non,
            });
        }
        Ok(items)
    }

    /// A temporary poste derived from a fiche by keeping some of its items
    /// (the web page's "untick items" variant): validated like a stored
    /// poste, never stored. Extras are not allowed in a variant.
    pub fn variant_of(
        referential: &crate::Referential,
        base: RomeCode,
        retained: &[OgrCode],
    ) -> Result<Poste, PosteError> {
        let items = Self::select_items(referential, base, retained, &[])?;
        let title = referential
            .fiche(base)
            .map(|f| f.title.clone())
            .unwrap_or_default();
        Ok(Poste {
            slug: "variante".into(),
            title,
            base,
            appellation: None,
            items,
            extra: Vec::new(),
            provenance: PosteProvenance {
                author: "variante".into(),
                date: String::new(),
                basis: format!("fiche ROME {base}, items décochés"),
            },
            rome_version: referential.version.number,
            survey: None,
            notes: Vec::new(),
        })
    }

    /// The labels the poste's items have in `referential`, in the poste's
    /// order (what a file or a store records to detect a later relabelling).
    pub fn current_labels(&self, referential: &crate::Referential) -> Vec<(OgrCode, String)> {
        self.items
            .iter()
            .map(|l| {
                (
                    l.ogr,
                    referential
                        .item(l.ogr)
                        .map(|i| i.label().to_string())
                        .unwrap_or_default(),
                )
            })
            .collect()
    }

    /// Checks the poste against the referential (slug, base, appellation, items).
    pub fn validate(&self, referential: &crate::Referential) -> Result<(), PosteError> {
        if !valid_slug(&self.slug) {
            return Err(PosteError::Slug(self.slug.clone()));
        }
        if let Some(app) = self.appellation {
            let a = referential
                .appellation(app)
                .ok_or(PosteError::UnknownAppellation(app))?;
            if a.rome != self.base {
                return Err(PosteError::AppellationElsewhere {
                    appellation: app,
                    base: self.base,
                    actual: a.rome,
                });
            }
        }
        let retained: Vec<OgrCode> = self.items.iter().map(|l| l.ogr).collect();
        Self::select_items(referential, self.base, &retained, &self.extra).map(|_| ())
    }

    /// Compares the labels recorded when the poste was made with the
    /// current referential: disappeared or relabelled items are reported,
    /// never silently dropped.
    pub fn check_labels(
        &self,
        referential: &crate::Referential,
        recorded: &[(OgrCode, String)],
    ) -> Vec<PosteIssue> {
        let mut issues = Vec::new();
        for (ogr, old) in recorded {
            match referential.item(*ogr) {
                None => issues.push(PosteIssue {
                    slug: self.slug.clone(),
                    ogr: *ogr,
                    old_label: old.clone(),
                    new_label: None,
                    advice: "l'item n'existe plus dans cette version du ROME : choisissez son remplaçant dans la fiche, puis réimportez le profil".into(),
                }),
                Some(item) if item.label() != old => issues.push(PosteIssue {
                    slug: self.slug.clone(),
                    ogr: *ogr,
                    old_label: old.clone(),
                    new_label: Some(item.label().to_string()),
                    advice: "libellé modifié : vérifiez que l'item correspond toujours au poste, puis réexportez le profil".into(),
                }),
                Some(_) => {}
            }
        }
        issues
    }
}

/// The re-import check: every poste (with the item labels recorded when it
/// was made) compared with the current referential. Disappeared and
/// relabelled items are reported; the postes themselves are left untouched.
pub fn check_postes<'a>(
    referential: &crate::Referential,
    postes: impl IntoIterator<Item = (&'a Poste, &'a [(OgrCode, String)])>,
) -> Vec<PosteIssue> {
    postes
        .into_iter()
        .flat_map(|(p, labels)| p.check_labels(referential, labels))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::referential::{
        Appellation, CoeurMetier, Fiche, FicheTags, ItemKind, Referential, ReferentialData, Savoir,
        SavoirCategory,
    };

    fn savoir(ogr: u32, label: &str) -> Savoir {
        Savoir {
            ogr: OgrCode::new(ogr),
            label: label.into(),
            category: SavoirCategory::TechniquesProfessionnelles,
            subcategory: "A".into(),
            transition_eco: None,
            transition_num: None,
        }
    }

    fn fiche(code: &str, items: &[u32]) -> Fiche {
        let code = RomeCode::parse(code).unwrap();
        Fiche {
            code,
            ogr: OgrCode::new(1),
            code_fiche_metier: None,
            title: format!("Fiche {code}"),
            parent: code,
            domaine: code.as_str()[..3].into(),
            tags: FicheTags::default(),
            riasec: None,
            definition: vec![],
            acces: vec![],
            appellations: vec![],
            items: items
                .iter()
                .map(|&o| ItemLink {
                    ogr: OgrCode::new(o),
                    kind: ItemKind::Savoir,
                    coeur: CoeurMetier::Principale,
                })
                .collect(),
            centres_interet: vec![],
            secteurs: vec![],
            themes: vec![],
            secteurs_naf: vec![],
        }
    }

    fn appellation(ogr: u32, rome: &str) -> Appellation {
        Appellation {
            ogr: OgrCode::new(ogr),
            long_label: format!("Appellation {ogr}"),
            short_label: format!("App {ogr}"),
            rome: RomeCode::parse(rome).unwrap(),
            tags: FicheTags::default(),
            classification: None,
            origine: None,
            parent: None,
            rare: false,
        }
    }

    /// J1303 holds savoirs 1, 2, 3; K2204 holds 4; savoir 5 is in no fiche.
    fn referential() -> Referential {
        let mut d = ReferentialData::default();
        d.version.number = 60;
        for (o, l) in [
            (1, "Terminologie médicale"),
            (2, "Orthodontie"),
            (3, "Règles d'hygiène"),
            (4, "Nettoyage"),
            (5, "Soudure"),
        ] {
            d.savoirs.push(savoir(o, l));
        }
        d.fiches.push(fiche("J1303", &[1, 2, 3]));
        d.fiches.push(fiche("K2204", &[4]));
        d.appellations.push(appellation(200145, "J1303"));
        d.appellations.push(appellation(19397, "J1303"));
        d.appellations.push(appellation(300000, "K2204"));
        Referential::new(d)
    }

    fn ogr(v: &[u32]) -> Vec<OgrCode> {
        v.iter().map(|&o| OgrCode::new(o)).collect()
    }

    fn poste(items: &[u32], extra: &[u32]) -> Poste {
        let r = referential();
        let base = RomeCode::parse("J1303").unwrap();
        let items = Poste::select_items(&r, base, &ogr(items), &ogr(extra)).unwrap();
        Poste {
            slug: "assistant-medical".into(),
            title: "Assistant médical".into(),
            base,
            appellation: Some(OgrCode::new(200145)),
            items,
            extra: ogr(extra),
            provenance: PosteProvenance {
                author: "t".into(),
                date: "2026-11-23".into(),
                basis: "t".into(),
            },
            rome_version: 60,
            survey: None,
            notes: vec![],
        }
    }

    #[test]
    fn slugs_are_lowercase_ascii_digits_and_dashes() {
        assert!(valid_slug("assistant-medical-2"));
        for bad in [
            "",
            "Assistant",
            "assistant médical",
            "assistant_medical",
            "assistant-médical",
            &"a".repeat(81),
        ] {
            assert!(!valid_slug(bad), "{bad}");
        }
    }

    #[test]
    fn selection_keeps_the_fiche_links_in_the_given_order() {
        let r = referential();
        let base = RomeCode::parse("J1303").unwrap();
        let items = Poste::select_items(&r, base, &ogr(&[3, 1]), &[]).unwrap();
        assert_eq!(
            items.iter().map(|l| l.ogr.get()).collect::<Vec<_>>(),
            [3, 1]
        );
        assert!(items.iter().all(|l| l.coeur == CoeurMetier::Principale));
    }

    #[test]
    fn every_bad_selection_is_refused_with_the_item_named() {
        let r = referential();
        let base = RomeCode::parse("J1303").unwrap();
        assert_eq!(
            Poste::select_items(&r, base, &[], &[]),
            Err(PosteError::Empty)
        );
        assert_eq!(
            Poste::select_items(&r, base, &ogr(&[1, 1]), &[]),
            Err(PosteError::Duplicate(OgrCode::new(1)))
        );
        assert_eq!(
            Poste::select_items(&r, base, &ogr(&[1, 999]), &[]),
            Err(PosteError::UnknownItem(OgrCode::new(999)))
        );
        let err = Poste::select_items(&r, base, &ogr(&[4]), &[]).unwrap_err();
        assert_eq!(
            err,
            PosteError::NotInBase {
                ogr: OgrCode::new(4),
                label: "Nettoyage".into(),
                base
            }
        );
        assert!(err.to_string().contains("extra"), "{err}");
        let z = RomeCode::parse("Z9999").unwrap();
        assert_eq!(
            Poste::select_items(&r, z, &ogr(&[1]), &[]),
            Err(PosteError::UnknownBase(z))
        );
        // Declared as extra, an item of another fiche is accepted, not "cœur de métier".
        let items = Poste::select_items(&r, base, &ogr(&[1, 5]), &ogr(&[5])).unwrap();
        assert_eq!(
            items[1],
            ItemLink {
                ogr: OgrCode::new(5),
                kind: ItemKind::Savoir,
                coeur: CoeurMetier::Non
            }
        );
    }

    #[test]
    fn validate_checks_slug_and_appellation() {
        let r = referential();
        assert_eq!(poste(&[1, 3], &[]).validate(&r), Ok(()));
        let mut p = poste(&[1], &[]);
        p.slug = "Mauvais Slug".into();
        assert!(matches!(p.validate(&r), Err(PosteError::Slug(_))));
        let mut p = poste(&[1], &[]);
        p.appellation = Some(OgrCode::new(300000));
        assert!(matches!(
            p.validate(&r),
            Err(PosteError::AppellationElsewhere { .. })
        ));
        p.appellation = Some(OgrCode::new(424242));
        assert_eq!(
            p.validate(&r),
            Err(PosteError::UnknownAppellation(OgrCode::new(424242)))
        );
    }

    #[test]
    fn variant_of_a_fiche_is_validated_and_refuses_extras() {
        let r = referential();
        let base = RomeCode::parse("J1303").unwrap();
        let v = Poste::variant_of(&r, base, &ogr(&[1, 3])).unwrap();
        assert_eq!(v.items.len(), 2);
        assert_eq!(v.rome_version, 60);
        assert_eq!(v.validate(&r), Ok(()));
        assert!(matches!(
            Poste::variant_of(&r, base, &ogr(&[5])),
            Err(PosteError::NotInBase { .. })
        ));
        assert_eq!(
            Poste::variant_of(&r, base, &[]).unwrap_err(),
            PosteError::Empty
        );
    }

    #[test]
    fn reimport_check_reports_relabelled_and_disappeared_items_without_shrinking() {
        let r = referential();
        let p = poste(&[1, 2, 3], &[]);
        let recorded = vec![
            (OgrCode::new(1), "Terminologie médicale".to_string()),
            (OgrCode::new(2), "Orthodontie (ancienne)".to_string()),
            (OgrCode::new(77), "Item retiré".to_string()),
        ];
        assert!(check_postes(&r, [(&p, p.current_labels(&r).as_slice())]).is_empty());
        let issues = check_postes(&r, [(&p, recorded.as_slice())]);
        assert_eq!(issues.len(), 2, "{issues:?}");
        assert_eq!(issues[0].ogr, OgrCode::new(2));
        assert_eq!(issues[0].new_label.as_deref(), Some("Orthodontie"));
        assert_eq!(issues[1].old_label, "Item retiré");
        assert_eq!(issues[1].new_label, None);
        assert!(issues[1].advice.contains("n'existe plus"));
        assert_eq!(p.items.len(), 3, "le poste n'est pas réduit");
    }
}
