//! Job-title search: the one search hit of every output (the CLI's
//! `search --json`, the API's `/search`, the pages' suggestions), behind a
//! trait: the search crate's index with the registered postes
//! ([`IndexSearch`]), or [`SimpleSearch`], a small accent-insensitive prefix
//! matcher used by tests and as a fallback.

use passerelle_core::text::fold;
use passerelle_core::{Catalog, JobKind};
use serde::Serialize;

/// One search result: a job name usable in every `{code}` path.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchHit {
    /// `appellation`, `fiche` or `poste`.
    pub kind: String,
    /// What to put in a `{code}` path: OGR code, ROME code or `poste:<slug>`.
    pub code: String,
    pub title: String,
    /// The ROME fiche (`J1303`) and its title.
    pub rome: String,
    pub rome_title: String,
    /// Whether an appellation resolves to a registered poste.
    pub poste: bool,
}

/// The search crate's tantivy index, plus the registered postes (matched
/// like [`SimpleSearch`], listed first: a poste is what a counsellor wants
/// when one exists). A poste also comes up, in its appellation's place, when
/// the index finds the appellation it describes, so that a typo
/// ("asistant medical") that the index forgives finds the poste too.
pub struct IndexSearch {
    index: passerelle_search::SearchIndex,
    postes: SimpleSearch,
    /// Appellation OGR code → the hit of the poste describing it.
    with_poste: std::collections::HashMap<String, SearchHit>,
}

impl IndexSearch {
    pub fn new(catalog: &Catalog) -> Result<IndexSearch, passerelle_search::SearchError> {
        let index = passerelle_search::SearchIndex::build(&catalog.referential)?;
        Ok(IndexSearch::with_index(index, catalog))
    }

    /// Over an index already built from `catalog.referential` (the server
    /// builds it while the catalog and the engine are being built).
    pub fn with_index(index: passerelle_search::SearchIndex, catalog: &Catalog) -> IndexSearch {
        let postes = SimpleSearch {
            entries: SimpleSearch::poste_entries(catalog),
        };
        let with_poste = catalog
            .postes
            .iter()
            .filter_map(|p| {
                let a = p.appellation?.to_string();
                let e = postes
                    .entries
                    .iter()
                    .find(|e| e.hit.code == format!("poste:{}", p.slug))?;
                Some((a, e.hit.clone()))
            })
            .collect();
        IndexSearch {
            index,
            postes,
            with_poste,
        }
    }
}

impl Searcher for IndexSearch {
    fn search(&self, query: &str, limit: usize) -> Vec<SearchHit> {
        let postes = self.postes.search(query, limit);
        // Over-fetch: hits read twice are dropped below.
        let hits = self
            .index
            .search(query, (2 * limit).clamp(1, passerelle_search::MAX_LIMIT))
            .unwrap_or_default();
        let mut others = Vec::new();
        for h in hits {
            let kind = match h.kind {
                passerelle_search::HitKind::Fiche => "fiche",
                passerelle_search::HitKind::Appellation => "appellation",
            };
            let poste = match kind {
                "appellation" => self.with_poste.get(&h.code),
                _ => None,
            };
            // The poste takes its appellation's place in the ranking.
            if let Some(p) = poste {
                others.push(p.clone());
            }
            others.push(SearchHit {
                kind: kind.into(),
                poste: poste.is_some(),
                code: h.code,
                title: h.label,
                rome: h.rome.to_string(),
                rome_title: h.fiche_title,
            });
        }
        distinct(postes.into_iter().chain(others), limit)
    }
}

/// The first `limit` hits, each shown once: a hit whose title and fiche
/// are those of a better one (an appellation titled like its fiche, a
/// poste found twice) reads the same in the suggestions and is dropped.
/// An appellation titled like its own fiche (without a poste) gives its
/// place to the fiche: both open the same whole fiche, the fiche by its code.
fn distinct(hits: impl Iterator<Item = SearchHit>, limit: usize) -> Vec<SearchHit> {
    let mut out: Vec<SearchHit> = Vec::new();
    for h in hits {
        let same = out
            .iter()
            .position(|o| o.code == h.code || (o.title == h.title && o.rome == h.rome));
        match same {
            Some(i) if h.kind == "fiche" && out[i].kind == "appellation" && !out[i].poste => {
                out[i] = h;
            }
            Some(_) => {}
            None if out.len() < limit => out.push(h),
            None => {}
        }
    }
    out
}

/// The answer of a search: the query as read, and the hits.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchOut {
    pub query: String,
    pub hits: Vec<SearchHit>,
}

/// Searches `query`, best `limit` hits first.
pub fn search(searcher: &dyn Searcher, query: &str, limit: usize) -> SearchOut {
    SearchOut {
        query: query.to_string(),
        hits: searcher.search(query, limit),
    }
}

pub trait Searcher: Send + Sync {
    /// Best hits first; typo- and accent-tolerant when the implementation is.
    fn search(&self, query: &str, limit: usize) -> Vec<SearchHit>;
}

struct Entry {
    folded: String,
    hit: SearchHit,
}

/// Every query word must start a word of the title (accents and case
/// folded); shorter titles first.
pub struct SimpleSearch {
    entries: Vec<Entry>,
}

impl SimpleSearch {
    pub fn new(catalog: &Catalog) -> SimpleSearch {
        let mut entries = Self::poste_entries(catalog);
        Self::fiche_and_appellation_entries(catalog, &mut entries);
        SimpleSearch { entries }
    }

    fn poste_entries(catalog: &Catalog) -> Vec<Entry> {
        let r = &catalog.referential;
        let mut entries = Vec::new();
        for p in &catalog.postes {
            let rome_title = r.fiche(p.base).map(|f| f.title.clone()).unwrap_or_default();
            entries.push(Entry {
                folded: fold(&p.title),
                hit: SearchHit {
                    kind: "poste".into(),
                    code: format!("poste:{}", p.slug),
                    title: p.title.clone(),
                    rome: p.base.to_string(),
                    rome_title,
                    poste: true,
                },
            });
        }
        entries
    }

    fn fiche_and_appellation_entries(catalog: &Catalog, entries: &mut Vec<Entry>) {
        let r = &catalog.referential;
        for f in r.fiches.iter() {
            entries.push(Entry {
                folded: format!(
                    "{} {}",
                    fold(&f.title),
                    f.code.as_str().to_ascii_lowercase()
                ),
                hit: SearchHit {
                    kind: "fiche".into(),
                    code: f.code.to_string(),
                    title: f.title.clone(),
                    rome: f.code.to_string(),
                    rome_title: f.title.clone(),
                    poste: false,
                },
            });
        }
        for a in r.appellations.iter() {
            let rome_title = r.fiche(a.rome).map(|f| f.title.clone()).unwrap_or_default();
            let poste = catalog
                .resolve(&passerelle_core::JobRef::Appellation(a.ogr))
                .map(|j| matches!(j.kind, JobKind::Poste { .. }))
                .unwrap_or(false);
            entries.push(Entry {
                folded: fold(&a.long_label),
                hit: SearchHit {
                    kind: "appellation".into(),
                    code: a.ogr.to_string(),
                    title: a.long_label.clone(),
                    rome: a.rome.to_string(),
                    rome_title,
                    poste,
                },
            });
        }
    }
}

fn words(s: &str) -> impl Iterator<Item = &str> {
    s.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
}

impl Searcher for SimpleSearch {
    fn search(&self, query: &str, limit: usize) -> Vec<SearchHit> {
        let q = fold(query);
        let terms: Vec<&str> = words(&q).collect();
        if terms.is_empty() {
            return Vec::new();
        }
        let mut found: Vec<(usize, usize, &Entry)> = self
            .entries
            .iter()
            .filter(|e| {
                terms
                    .iter()
                    .all(|t| words(&e.folded).any(|w| w.starts_with(t)))
            })
            .map(|e| {
                let exact = terms
                    .iter()
                    .filter(|t| words(&e.folded).any(|w| w == **t))
                    .count();
                (usize::MAX - exact, e.folded.len(), e)
            })
            .collect();
        found.sort_by(|a, b| {
            (a.0, a.1)
                .cmp(&(b.0, b.1))
                .then_with(|| a.2.folded.cmp(&b.2.folded))
        });
        distinct(found.into_iter().map(|(_, _, e)| e.hit.clone()), limit)
    }
}
