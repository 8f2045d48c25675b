//! The title search (`bench search`, benches/search.rs): index build and
//! query latency over varied queries.

use std::time::Duration;

use passerelle_core::Referential;
use passerelle_search::SearchIndex;

use crate::timing::{Samples, timed};

/// Queries a counsellor types: names, abbreviations, typos, codes.
pub const QUERIES: [&str; 20] = [
    "assistant medical",
    "infirmiere",
    "secretaire medicale",
    "devlopeur",
    "assistant med",
    "boulangere",
    "electricien batiment",
    "aide soignante",
    "conducteur engins",
    "comptable",
    "j1303",
    "200145",
    "chef de projet informatique",
    "vendeur",
    "agent accueil",
    "plombier",
    "educateur specialise",
    "cuisinier",
    "hotellerie",
    "mecanicien auto",
];

/// Hits asked per query, as the typeahead does.
pub const LIMIT: usize = 10;

/// [`QUERIES`] over `rounds` rounds, varied: full, truncated (typeahead),
/// with a typo.
pub fn varied_queries(rounds: usize) -> Vec<String> {
    (0..rounds)
        .flat_map(|round| {
            QUERIES.iter().map(move |q| match round % 3 {
                0 => q.to_string(),
                1 => q.chars().take(q.len().saturating_sub(2).max(2)).collect(),
                _ => q.replacen('e', "", 1),
            })
        })
        .collect()
}

/// What `bench search` prints.
#[derive(Debug, Clone)]
pub struct SearchFigures {
    /// Titles indexed.
    pub titles: usize,
    pub build: Duration,
    /// One duration per query of [`varied_queries`]`(20)`.
    pub queries: Samples,
}

pub fn measure(referential: &Referential) -> crate::Result<SearchFigures> {
    let (index, build) = timed(|| SearchIndex::build(referential));
    let index = index?;
    let mut times = Vec::new();
    for q in varied_queries(20) {
        let (hits, t) = timed(|| index.search(&q, LIMIT));
        hits?;
        times.push(t);
    }
    Ok(SearchFigures {
        titles: index.len(),
        build,
        queries: Samples::new(times),
    })
}
