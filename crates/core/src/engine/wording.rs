//! Wording similarity of two jobs: TF-IDF cosines over the words of their
//! descriptions (title, appellations, definition) and over the words of
//! their items' labels.
//!
//! Two fiches often describe the same work in different items ("Organiser
//! les rendez-vous…" / "Gérer les agendas…"); the item axes then see
//! nothing in common while the words do. This is the lexical stand-in for
//! Nesta's sentence-embedding overlap, without a neural model: accent-folded
//! words, a light French suffix stemmer, stop words dropped, sub-linear term
//! frequency and IDF over the fiches, unit vectors.

use std::collections::HashMap;

use crate::text::fold;

/// Words that carry no meaning about the work.
const STOPWORDS: &[&str] = &[
    "les", "des", "une", "pour", "par", "sur", "dans", "avec", "aux", "son", "ses", "leur",
    "leurs", "est", "que", "qui", "selon", "etc", "peut", "peuvent", "etre", "tout", "tous",
    "toute", "toutes", "plus", "pas", "cette", "ces", "ainsi", "entre", "hors", "sans", "autre",
    "autres", "lors", "dont", "elle", "ils",
];

/// Suffixes removed (longest first) when at least four letters remain, so
/// that "organiser", "organisation" and "organisateur" share a stem.
const SUFFIXES: &[&str] = &[
    "issements",
    "issement",
    "ations",
    "ation",
    "ements",
    "ement",
    "euses",
    "euse",
    "eurs",
    "eur",
    "rices",
    "rice",
    "iques",
    "ique",
    "ites",
    "ite",
    "ees",
    "ee",
    "es",
    "er",
    "s",
    "e",
];

/// Stems of the content words of a text.
pub fn stems(text: &str) -> impl Iterator<Item = String> + '_ {
    fold(text)
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| w.len() > 2 && !STOPWORDS.contains(w))
        .map(stem)
        .collect::<Vec<_>>()
        .into_iter()
}

fn stem(word: &str) -> String {
    // Plural in -aux of a word in -al ("médicaux" → "médical").
    if word.len() > 5 && word.ends_with("aux") {
        return format!("{}al", &word[..word.len() - 3]);
    }
    for suffix in SUFFIXES {
        if word.len() >= suffix.len() + 4 && word.ends_with(suffix) {
            return word[..word.len() - suffix.len()].to_string();
        }
    }
    word.to_string()
}

/// A unit TF-IDF vector: (term, weight) by increasing term.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TermVector(Vec<(u32, f32)>);

impl TermVector {
    /// Cosine of two unit vectors (merge of the sorted terms).
    pub fn cosine(&self, other: &TermVector) -> f64 {
        let (a, b) = (&self.0, &other.0);
        let (mut i, mut j, mut dot) = (0, 0, 0f32);
        while i < a.len() && j < b.len() {
            match a[i].0.cmp(&b[j].0) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    dot += a[i].1 * b[j].1;
                    i += 1;
                    j += 1;
                }
            }
        }
        f64::from(dot).clamp(0.0, 1.0)
    }

    /// The cosine in which one shared word counts at most as much as all
    /// the other shared words together: the similarity the other words
    /// corroborate. One shared word is not a shared description —
    /// "assurance" in « assurance qualité » and in « assurance des
    /// sinistres »: a word used in another sense is usually alone, while two
    /// jobs that do the same work share several words (docs/methode.md
    /// § 4.2).
    pub fn corroborated(&self, other: &TermVector) -> f64 {
        let (a, b) = (&self.0, &other.0);
        let (mut i, mut j, mut dot, mut top) = (0, 0, 0f32, 0f32);
        while i < a.len() && j < b.len() {
            match a[i].0.cmp(&b[j].0) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    let x = a[i].1 * b[j].1;
                    dot += x;
                    top = top.max(x);
                    i += 1;
                    j += 1;
                }
            }
        }
        f64::from(corroborate(dot, top)).clamp(0.0, 1.0)
    }

    pub fn terms(&self) -> &[(u32, f32)] {
        &self.0
    }
}

/// The vocabulary of one kind of text, with IDF over the fiches.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    ids: HashMap<String, u32>,
    idf: Vec<f32>,
}

impl Vocabulary {
    /// Builds the vocabulary from the fiches' texts (one bag of stems per
    /// fiche) and returns their unit vectors.
    pub fn build(fiche_texts: &[Vec<String>]) -> (Vocabulary, Vec<TermVector>) {
        let mut v = Vocabulary::default();
        let mut df: Vec<u32> = Vec::new();
        for words in fiche_texts {
            let mut seen: Vec<u32> = words.iter().map(|w| v.intern(w, &mut df)).collect();
            seen.sort_unstable();
            seen.dedup();
            for t in seen {
                df[t as usize] += 1;
            }
        }
        let n = fiche_texts.len().max(1) as f32;
        v.idf = df.iter().map(|&d| (n / d.max(1) as f32).ln()).collect();
        let vectors = fiche_texts.iter().map(|w| v.vector(w)).collect();
        (v, vectors)
    }

    fn intern(&mut self, word: &str, df: &mut Vec<u32>) -> u32 {
        let next = self.ids.len() as u32;
        *self.ids.entry(word.to_string()).or_insert_with(|| {
            df.push(0);
            next
        })
    }

    /// The unit vector of a bag of stems; words unknown to the fiches are
    /// ignored (they cannot be shared with any fiche).
    pub fn vector(&self, words: &[String]) -> TermVector {
        let mut tf = HashMap::new();
        self.count(words, &mut tf);
        self.vector_of_counts(tf)
    }

    /// Adds the known words of a bag of stems to term counts.
    pub fn count(&self, words: &[String], tf: &mut HashMap<u32, u32>) {
        for w in words {
            if let Some(&t) = self.ids.get(w) {
                *tf.entry(t).or_default() += 1;
            }
        }
    }

    /// The unit vector of term counts ([`Vocabulary::count`]).
    pub fn vector_of_counts(&self, tf: HashMap<u32, u32>) -> TermVector {
        let mut terms: Vec<(u32, f32)> = tf
            .into_iter()
            .map(|(t, c)| (t, (1.0 + (c as f32).ln()) * self.idf[t as usize]))
            .collect();
        terms.sort_unstable_by_key(|&(t, _)| t);
        let norm = terms.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
        if norm > 0.0 {
            for (_, w) in &mut terms {
                *w /= norm;
            }
        }
        TermVector(terms)
    }

    pub fn len(&self) -> usize {
        self.idf.len()
    }

    pub fn is_empty(&self) -> bool {
        self.idf.is_empty()
    }
}

/// A dot product whose largest term `top` counts at most as much as the
/// rest: `rest + min(top, rest)`.
fn corroborate(dot: f32, top: f32) -> f32 {
    let rest = dot - top;
    rest + top.min(rest)
}

/// Dense copy of one vector, to take its dot product with many others.
pub(crate) struct Dense(Vec<f32>);

impl Dense {
    pub(crate) fn new(len: usize) -> Dense {
        Dense(vec![0.0; len])
    }

    pub(crate) fn load(&mut self, v: &TermVector) {
        self.0.iter_mut().for_each(|x| *x = 0.0);
        for &(t, w) in v.terms() {
            self.0[t as usize] = w;
        }
    }

    /// [`TermVector::corroborated`] of the loaded vector and `v`.
    #[inline]
    pub(crate) fn corroborated(&self, v: &TermVector) -> f64 {
        let (mut dot, mut top) = (0f32, 0f32);
        for &(t, w) in v.terms() {
            let x = self.0[t as usize] * w;
            dot += x;
            top = top.max(x);
        }
        f64::from(corroborate(dot, top)).clamp(0.0, 1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_group_word_families_and_drop_small_words() {
        let s: Vec<String> = stems("Organiser l'organisation des rendez-vous").collect();
        assert_eq!(s[0], s[1]);
        assert!(!s.iter().any(|w| w == "des"));
    }

    #[test]
    fn cosine_of_identical_texts_is_one_and_of_disjoint_is_zero() {
        let docs: Vec<Vec<String>> = [
            "accueil patient secretariat",
            "soudure metal chantier",
            "accueil client vente",
        ]
        .iter()
        .map(|t| stems(t).collect())
        .collect();
        let (_, v) = Vocabulary::build(&docs);
        assert!((v[0].cosine(&v[0]) - 1.0).abs() < 1e-5);
        assert_eq!(v[0].cosine(&v[1]), 0.0);
        assert!(v[0].cosine(&v[2]) > 0.0);
    }

    #[test]
    fn one_shared_word_is_not_corroborated() {
        let docs: Vec<Vec<String>> = [
            "assurance qualite audit norme",
            "assurance sinistre indemnisation expertise",
            "sinistre indemnisation expertise contrat",
            "soudure metal chantier tuyau",
        ]
        .iter()
        .map(|t| stems(t).collect())
        .collect();
        let (_, v) = Vocabulary::build(&docs);
        assert!(v[0].cosine(&v[1]) > 0.0);
        assert_eq!(v[0].corroborated(&v[1]), 0.0);
        assert!(v[1].corroborated(&v[2]) > 0.0);
        let mut dense = Dense::new(20);
        dense.load(&v[1]);
        assert!((dense.corroborated(&v[2]) - v[1].corroborated(&v[2])).abs() < 1e-6);
    }
}
