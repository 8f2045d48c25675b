//! Near-item ("proche de …") credit: a sparse, symmetric item-to-item table
//! built once from the referential.
//!
//! Two items are *near* when their labels are lexically similar, or when the
//! ROME hierarchy puts them in the same macro-compétence family and their
//! labels share rare enough words
//! (savoir-faire). The lexical similarity is a cosine over accent-folded,
//! lightly stemmed words weighted by their rarity among the axis's labels;
//! pairs below [`MIN_COSINE`] are dropped (Nesta's filter, as a hard
//! threshold). The hierarchy is evidence too: within the same ROME group
//! (savoir sub-category, macro-compétence family) a weaker lexical overlap,
//! [`MIN_COSINE_SAME_GROUP`], suffices. Credit never reaches an exact match:
//! it is [`NEAR_CREDIT`] × similarity.

use std::collections::HashMap;

use crate::text::fold;

/// A near item counts at most this fraction of an exact one.
pub const NEAR_CREDIT: f64 = 0.5;
/// Lexical cosine below which two labels are not considered near.
pub const MIN_COSINE: f64 = 0.5;
/// The same, for two items of the same ROME group.
pub const MIN_COSINE_SAME_GROUP: f64 = 0.35;
/// Content words two labels must share to be near, whatever their cosine.
pub const MIN_SHARED_WORDS: usize = 2;

/// Which pairs are compared lexically.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// No lexical comparison (families only).
    None,
    /// Only items of the same group.
    WithinGroup,
    /// All items that have a group (the group lowers the threshold).
    Everywhere,
}

const STOPWORDS: &[&str] = &[
    "les", "des", "une", "pour", "par", "sur", "avec", "dans", "aux", "son", "ses", "leur",
    "leurs", "est", "que", "qui", "hors", "sans", "selon", "entre", "autres", "autre", "etc",
];

/// A small reviewed table of words that name the same thing in ROME labels
/// (folded stems): the second is read as the first.
pub const SYNONYMS: &[(&str, &str)] = &[
    ("agenda", "planning"),
    ("agenda", "emploi du temps"),
    ("rendez", "rdv"),
    ("patient", "malade"),
    ("courri", "correspondance"),
    ("telephon", "appel"),
    ("organiser", "planifier"),
    ("medical", "professionnel de sante"),
];

/// Words too general to make two labels near by themselves.
const GENERIC: &[&str] = &[
    "realis", "assur", "effectu", "mettr", "oeuvr", "personn", "activ", "travail", "vous",
];

/// Content words of a label: folded, split on non-letters, short words and
/// stop words dropped, lightly stemmed (the wording stemmer), synonyms
/// mapped to one word.
pub fn tokens(label: &str) -> Vec<String> {
    let mut folded = fold(label);
    for (canonical, other) in SYNONYMS {
        if folded.contains(other) {
            folded = folded.replace(other, canonical);
        }
    }
    let mut out: Vec<String> = super::wording::stems(&folded)
        .filter(|w| {
            w.len() >= 3 && !STOPWORDS.contains(&w.as_str()) && !GENERIC.contains(&w.as_str())
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Sparse symmetric table: for each item, its near items with their credit
/// (in `(0, NEAR_CREDIT]`), sorted by item index.
#[derive(Debug, Clone, Default)]
pub struct NearTable {
    offsets: Vec<u32>,
    entries: Vec<(u32, f32)>,
}

impl NearTable {
    /// Near items of `i`.
    pub fn of(&self, i: u32) -> &[(u32, f32)] {
        if i as usize + 1 >= self.offsets.len() {
            return &[];
        }
        let (a, b) = (
            self.offsets[i as usize] as usize,
            self.offsets[i as usize + 1] as usize,
        );
        &self.entries[a..b]
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Credit of `j` for `i` (0 when not near).
    pub fn credit(&self, i: u32, j: u32) -> f32 {
        let row = self.of(i);
        row.binary_search_by_key(&j, |e| e.0)
            .map(|k| row[k].1)
            .unwrap_or(0.0)
    }

    fn from_pairs(n: usize, pairs: HashMap<(u32, u32), f32>) -> Self {
        let mut rows: Vec<Vec<(u32, f32)>> = vec![Vec::new(); n];
        for ((a, b), c) in pairs {
            rows[a as usize].push((b, c));
            rows[b as usize].push((a, c));
        }
        let mut offsets = Vec::with_capacity(n + 1);
        let mut entries = Vec::new();
        offsets.push(0);
        for mut r in rows {
            r.sort_by_key(|e| e.0);
            entries.extend(r);
            offsets.push(entries.len() as u32);
        }
        NearTable { offsets, entries }
    }
}

/// What the builder needs to know about one item.
pub struct NearInput<'a> {
    pub label: &'a str,
    /// ROME group (None: never compared lexically).
    pub group: Option<u64>,
}

/// Whether the words two labels share fix what they are about: at least
/// two shared content words. One shared word alone is too often a qualifier,
/// or a head noun with another object or sense: *Comptabilité générale* /
/// *Mécanique générale*, *Droit du travail* / *Droit du numérique*,
/// *Produits d'hygiène* / *Règles d'hygiène*, *Piloter une activité* /
/// *Piloter un budget* (docs/methode.md § 3).
fn sense_fixed(common: usize) -> bool {
    common >= MIN_SHARED_WORDS
}

/// Builds the table for `items` (dense indices = positions).
pub fn build(items: &[NearInput<'_>], scope: Scope) -> NearTable {
    let lexical = scope != Scope::None;
    let n = items.len();
    // Token vocabulary and rarity over this axis's labels.
    let toks: Vec<Vec<String>> = items.iter().map(|it| tokens(it.label)).collect();
    let mut df: HashMap<&str, u32> = HashMap::new();
    for t in &toks {
        for w in t {
            *df.entry(w.as_str()).or_default() += 1;
        }
    }
    let mut vocab: HashMap<&str, u32> = HashMap::with_capacity(df.len());
    let mut idf = Vec::with_capacity(df.len());
    for (w, d) in &df {
        vocab.insert(w, idf.len() as u32);
        idf.push((1.0 + n as f64 / *d as f64).ln());
    }
    // Unit vectors (token id, weight).
    let vecs: Vec<Vec<(u32, f64)>> = toks
        .iter()
        .map(|t| {
            let mut v: Vec<(u32, f64)> = t
                .iter()
                .map(|w| {
                    let id = vocab[w.as_str()];
                    (id, idf[id as usize])
                })
                .collect();
            let norm = v.iter().map(|e| e.1 * e.1).sum::<f64>().sqrt();
            v.iter_mut().for_each(|e| e.1 /= norm);
            v.sort_by_key(|e| e.0);
            v
        })
        .collect();

    let mut pairs: HashMap<(u32, u32), f32> = HashMap::new();
    let mut keep = |a: u32, b: u32, sim: f64| {
        let key = if a < b { (a, b) } else { (b, a) };
        let credit = (NEAR_CREDIT * sim) as f32;
        let e = pairs.entry(key).or_insert(0.0);
        if credit > *e {
            *e = credit;
        }
    };

    // Lexical: within each group, accumulate dot products through a token
    // inverted index (only pairs sharing a word are ever visited).
    if lexical {
        let mut groups: HashMap<u64, Vec<u32>> = HashMap::new();
        for (i, it) in items.iter().enumerate() {
            if let Some(g) = it.group {
                let key = if scope == Scope::Everywhere { 0 } else { g };
                groups.entry(key).or_default().push(i as u32);
            }
        }
        for members in groups.values() {
            let mut postings: HashMap<u32, Vec<(u32, f64)>> = HashMap::new();
            for &i in members {
                for &(w, x) in &vecs[i as usize] {
                    postings.entry(w).or_default().push((i, x));
                }
            }
            // Each item's row is independent: rows run on all cores, each
            // summing its products in the sequential order.
            use rayon::prelude::*;
            let near: Vec<(u32, u32, f64)> = members
                .par_iter()
                .map_init(
                    || (vec![0.0f64; n], vec![0u16; n], Vec::new()),
                    |(acc, shared, touched), &a| {
                        for &(w, x) in &vecs[a as usize] {
                            for &(b, y) in &postings[&w] {
                                if b > a {
                                    if acc[b as usize] == 0.0 {
                                        touched.push(b);
                                    }
                                    acc[b as usize] += x * y;
                                    shared[b as usize] += 1;
                                }
                            }
                        }
                        let mut row = Vec::new();
                        for b in touched.drain(..) {
                            let cos = acc[b as usize].min(1.0);
                            let common = usize::from(shared[b as usize]);
                            acc[b as usize] = 0.0;
                            shared[b as usize] = 0;
                            if !sense_fixed(common) {
                                continue;
                            }
                            let same = items[a as usize].group == items[b as usize].group;
                            if cos
                                >= if same {
                                    MIN_COSINE_SAME_GROUP
                                } else {
                                    MIN_COSINE
                                }
                            {
                                row.push((a, b, cos));
                            }
                        }
                        row
                    },
                )
                .flatten_iter()
                .collect();
            for (a, b, cos) in near {
                keep(a, b, cos);
            }
        }
    }
    NearTable::from_pairs(n, pairs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_fold_stem_and_drop_stopwords() {
        assert_eq!(
            tokens("Procédés de stérilisation"),
            vec!["proced", "sterilis"]
        );
        assert_eq!(
            tokens("Règles d'hygiène et d'asepsie"),
            vec!["asepsi", "hygien", "regl"]
        );
        assert_eq!(tokens("Gérer le planning"), tokens("gérer l'agenda"));
    }

    #[test]
    fn near_requires_group_and_similarity() {
        let items = [
            NearInput {
                label: "Techniques de stérilisation du matériel",
                group: Some(1),
            },
            NearInput {
                label: "Stérilisation du matériel",
                group: Some(1),
            },
            NearInput {
                label: "Techniques de stérilisation du matériel",
                group: Some(2),
            },
            NearInput {
                label: "Comptabilité générale",
                group: Some(1),
            },
        ];
        let t = build(&items, Scope::WithinGroup);
        assert!(t.credit(0, 1) > 0.0 && t.credit(0, 1) <= NEAR_CREDIT as f32);
        assert_eq!(t.credit(0, 1), t.credit(1, 0));
        assert_eq!(t.credit(0, 2), 0.0, "groupes différents");
        assert_eq!(t.credit(0, 3), 0.0, "aucun mot commun");
    }

    #[test]
    fn a_shared_family_alone_is_not_nearness() {
        let items = [
            NearInput {
                label: "Réaliser un pansement",
                group: Some(7),
            },
            NearInput {
                label: "Accueillir un patient",
                group: Some(7),
            },
        ];
        assert_eq!(build(&items, Scope::Everywhere).credit(0, 1), 0.0);
    }

    #[test]
    fn installer_une_personne_is_not_near_a_telephone_welcome() {
        let items = [
            NearInput {
                label: "Installer une personne",
                group: Some(1),
            },
            NearInput {
                label: "Assurer un accueil téléphonique",
                group: Some(1),
            },
        ];
        assert_eq!(build(&items, Scope::Everywhere).credit(0, 1), 0.0);
    }

    #[test]
    fn agendas_and_appointments_worded_differently_are_near() {
        // Common words ("gérer", "organiser", "santé"…) appear in many other
        // labels, as in the ROME: what the two share ("agenda", "rendez-vous")
        // is rare, so their cosine is high.
        let mut labels = vec![
            "Organiser les rendez-vous et l'agenda d'un professionnel de santé".to_string(),
            "Gérer les agendas et planifier des rendez-vous".to_string(),
            "Souder des pièces métalliques".to_string(),
        ];
        for w in ["Gérer", "Organiser", "Planifier", "Contrôler"] {
            for o in [
                "un stock",
                "un chantier",
                "la production",
                "les soins d'un professionnel de santé",
                "une équipe",
            ] {
                labels.push(format!("{w} {o}"));
            }
        }
        let items: Vec<NearInput<'_>> = labels
            .iter()
            .enumerate()
            .map(|(i, l)| NearInput {
                label: l,
                group: Some(i as u64),
            })
            .collect();
        let t = build(&items, Scope::Everywhere);
        assert!(t.credit(0, 1) > 0.0);
        assert_eq!(t.credit(0, 2), 0.0);
    }
}
