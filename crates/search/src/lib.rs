//! Search over ROME job titles: appellations and fiche titles.
//!
//! Counsellors type what people say ("infirmiere", "assistant med",
//! "devlopeur"), so the index is forgiving three ways: a French analyzer
//! (lower case, stop words, accent folding *then* stemming, so that
//! `infirmiere` and `Infirmière` meet), a prefix field for typeahead on the
//! word being typed, and fuzzy terms for typos. A ROME code or an OGR code
//! goes straight to its fiche or appellation.
//!
//! The index lives in RAM and is rebuilt from the [`Referential`] at start-up
//! (≈15k short documents): there is nothing to keep in sync on disk.
//! User text never reaches tantivy's query parser; queries are built from the
//! analyzer's tokens, so no input can be a syntax error.

use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, Query, TermQuery};
use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, Value,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    StopWordFilter, TextAnalyzer, WhitespaceTokenizer,
};
use tantivy::{Index, IndexReader, TantivyDocument, Term};

use passerelle_core::{OgrCode, Referential, RomeCode};

/// Hits of a search when the user asks for no number (the CLI's `--limit`,
/// the API's `limit=`).
pub const DEFAULT_LIMIT: usize = 10;
/// Largest number of hits one query may ask for.
pub const MAX_LIMIT: usize = 200;
/// Longest query considered; the rest is ignored (the API refuses longer).
pub const MAX_QUERY_CHARS: usize = 200;

const FRENCH: &str = "fr_passerelle";
const PREFIX: &str = "prefix_passerelle";

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("paramètre limit invalide ({0}) : attendu un entier de 1 à {MAX_LIMIT}")]
    Limit(usize),
    #[error("index de recherche : {0}")]
    Index(#[from] tantivy::TantivyError),
}

/// What a hit designates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HitKind {
    Fiche,
    Appellation,
}

/// One entry of the index and its score. Not a JSON contract: outputs
/// show `passerelle_app::SearchHit`, which adds the registered postes.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub kind: HitKind,
    /// ROME code for a fiche, OGR code for an appellation.
    pub code: String,
    pub label: String,
    /// The fiche the hit belongs to.
    pub rome: RomeCode,
    pub fiche_title: String,
    pub score: f32,
}

/// The in-memory index. Cheap to share: it is `Send + Sync`.
pub struct SearchIndex {
    entries: Vec<Hit>,
    reader: IndexReader,
    label: Field,
    prefix: Field,
    idx: Field,
    analyzer: TextAnalyzer,
    by_rome: std::collections::HashMap<RomeCode, usize>,
    by_ogr: std::collections::HashMap<OgrCode, usize>,
}

fn french_analyzer() -> TextAnalyzer {
    // Order matters: folding before stemming, or "infirmière" and
    // "infirmiere" get different stems.
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(StopWordFilter::new(Language::French).expect("French stop words"))
        .filter(AsciiFoldingFilter)
        .filter(Stemmer::new(Language::French))
        .build()
}

/// The prefixes (2+ characters) of every folded word of a label.
fn prefixes(label: &str) -> String {
    let folded = passerelle_core::text::fold(label);
    let mut out = String::new();
    for word in folded
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| w.len() >= 2)
    {
        for end in 2..=word.len().min(20) {
            out.push_str(&word[..end]);
            out.push(' ');
        }
    }
    out
}

impl SearchIndex {
    /// Indexes every appellation and fiche title of the referential.
    pub fn build(referential: &Referential) -> Result<SearchIndex, SearchError> {
        let mut builder = Schema::builder();
        let text = |tok: &str| {
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(tok)
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            )
        };
        let label = builder.add_text_field("label", text(FRENCH));
        let prefix = builder.add_text_field("prefix", text(PREFIX));
        let idx = builder.add_u64_field("idx", NumericOptions::default().set_stored());
        let index = Index::create_in_ram(builder.build());
        index.tokenizers().register(FRENCH, french_analyzer());
        index.tokenizers().register(
            PREFIX,
            TextAnalyzer::builder(WhitespaceTokenizer::default()).build(),
        );

        let mut entries =
            Vec::with_capacity(referential.fiches.len() + referential.appellations.len());
        for fiche in &referential.fiches {
            entries.push(Hit {
                kind: HitKind::Fiche,
                code: fiche.code.to_string(),
                label: fiche.title.clone(),
                rome: fiche.code,
                fiche_title: fiche.title.clone(),
                score: 0.0,
            });
        }
        for app in &referential.appellations {
            let fiche_title = referential
                .fiche(app.rome)
                .map(|f| f.title.clone())
                .unwrap_or_default();
            entries.push(Hit {
                kind: HitKind::Appellation,
                code: app.ogr.to_string(),
                label: app.long_label.clone(),
                rome: app.rome,
                fiche_title,
                score: 0.0,
            });
        }

        let mut writer = index.writer_with_num_threads(1, 50_000_000)?;
        for (i, e) in entries.iter().enumerate() {
            let mut doc = TantivyDocument::default();
            doc.add_text(label, &e.label);
            doc.add_text(prefix, prefixes(&e.label));
            doc.add_u64(idx, i as u64);
            writer.add_document(doc)?;
        }
        writer.commit()?;
        let reader = index.reader()?;

        let by_rome = entries
            .iter()
            .enumerate()
            .filter(|(_, e)| e.kind == HitKind::Fiche)
            .map(|(i, e)| (e.rome, i))
            .collect();
        let by_ogr = entries
            .iter()
            .enumerate()
            .filter(|(_, e)| e.kind == HitKind::Appellation)
            .filter_map(|(i, e)| OgrCode::parse(&e.code).ok().map(|o| (o, i)))
            .collect();
        Ok(SearchIndex {
            entries,
            reader,
            label,
            prefix,
            idx,
            analyzer: french_analyzer(),
            by_rome,
            by_ogr,
        })
    }

    /// Number of indexed titles.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Searches titles. The last word also matches as a prefix, so the same
    /// call serves typeahead ("assistant med").
    pub fn search(&self, query: &str, limit: usize) -> Result<Vec<Hit>, SearchError> {
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(SearchError::Limit(limit));
        }
        let query: String = query.chars().take(MAX_QUERY_CHARS).collect();
        if let Some(hit) = self.exact_code(&query) {
            return Ok(vec![hit]);
        }
        let Some(q) = self.build_query(&query) else {
            return Ok(Vec::new());
        };
        let searcher = self.reader.searcher();
        // Over-fetch a little so that the stable tie-break below is applied
        // over the candidates that matter.
        let top = searcher.search(&q, &TopDocs::with_limit(limit + 20).order_by_score())?;
        let mut hits = Vec::with_capacity(top.len());
        for (score, address) in top {
            let doc: TantivyDocument = searcher.doc(address)?;
            let Some(i) = doc.get_first(self.idx).and_then(|v| v.as_u64()) else {
                continue;
            };
            let mut hit = self.entries[i as usize].clone();
            hit.score = score;
            hits.push(hit);
        }
        // Equal scores: appellations before fiches (users type job titles),
        // then shorter labels, then code, for a deterministic order.
        hits.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then((a.kind == HitKind::Fiche).cmp(&(b.kind == HitKind::Fiche)))
                .then(a.label.len().cmp(&b.label.len()))
                .then(a.code.cmp(&b.code))
        });
        hits.truncate(limit);
        Ok(hits)
    }

    /// Suggestions for a search box while the user types: the same ranking
    /// as [`SearchIndex::search`], whose last word already matches as a
    /// prefix ("assistant med" → Assistant médical).
    pub fn typeahead(&self, prefix: &str, limit: usize) -> Result<Vec<Hit>, SearchError> {
        self.search(prefix, limit)
    }

    /// A ROME code or an appellation OGR code goes straight to its entry.
    fn exact_code(&self, query: &str) -> Option<Hit> {
        let q = query.trim();
        if let Ok(code) = RomeCode::parse(q) {
            return self.by_rome.get(&code).map(|&i| self.entries[i].clone());
        }
        if q.len() <= 9 && q.bytes().all(|b| b.is_ascii_digit()) {
            let ogr = OgrCode::parse(q).ok()?;
            return self.by_ogr.get(&ogr).map(|&i| self.entries[i].clone());
        }
        None
    }

    fn build_query(&self, query: &str) -> Option<Box<dyn Query>> {
        let mut analyzer = self.analyzer.clone();
        let mut terms = Vec::new();
        let mut stream = analyzer.token_stream(query);
        while let Some(tok) = stream.next() {
            terms.push(tok.text.clone());
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for t in &terms {
            let term = Term::from_field_text(self.label, t);
            let distance = match t.chars().count() {
                0..=4 => 0,
                5..=7 => 1,
                _ => 2,
            };
            let mut alternatives: Vec<(Occur, Box<dyn Query>)> = vec![(
                Occur::Should,
                Box::new(BoostQuery::new(
                    Box::new(TermQuery::new(term.clone(), IndexRecordOption::WithFreqs)),
                    3.0,
                )),
            )];
            if distance > 0 {
                alternatives.push((
                    Occur::Should,
                    Box::new(FuzzyTermQuery::new(term, distance, true)),
                ));
            }
            clauses.push((Occur::Should, Box::new(BooleanQuery::new(alternatives))));
        }
        // The word being typed, as a prefix.
        let last = passerelle_core::text::fold(query);
        let last = last
            .split(|c: char| !c.is_ascii_alphanumeric())
            .rfind(|w| !w.is_empty());
        if let Some(word) = last.filter(|w| w.len() >= 2) {
            let word = &word[..word.len().min(20)];
            let term = Term::from_field_text(self.prefix, word);
            clauses.push((
                Occur::Should,
                Box::new(BoostQuery::new(
                    Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
                    1.5,
                )),
            ));
        }
        if clauses.is_empty() {
            None
        } else {
            Some(Box::new(BooleanQuery::new(clauses)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::prefixes;

    /// The web server shares one index between request threads.
    #[test]
    fn index_is_send_and_sync() {
        fn shareable<T: Send + Sync>() {}
        shareable::<super::SearchIndex>();
    }

    #[test]
    fn prefixes_are_folded_word_starts() {
        assert_eq!(
            prefixes("Aide-médical"),
            "ai aid aide me med medi medic medica medical "
        );
    }
}
