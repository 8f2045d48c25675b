//! The application layer: each question Passerelle answers, answered once,
//! and one serde contract per answer. The CLI's `--json`, the JSON API and
//! the web pages all call these functions; they differ only in how they
//! read the question (arguments, query strings) and present the answer
//! (text, JSON, HTML).
//!
//! - [`resolve`]: a job as a user names it, possibly narrowed by a variant;
//! - [`ranking`]: sources and targets ([`RankingOut`]);
//! - [`gap`]: the gap analysis ([`GapOut`]);
//! - [`fiche`]: the fiche of a job ([`FicheOut`]), also `show --json`;
//! - [`profil`]: the transversal profile ([`ProfilOut`]);
//! - [`routes`]: routes between jobs, the second circle, what to learn
//!   next ([`RoutesOut`], [`SecondCircleOut`], [`LearnOut`]);
//! - [`search`]: the job-title search ([`SearchOut`], [`SearchHit`]);
//! - [`territory`]: where the territorial context comes from.
//!
//! The documents (fiche passerelle, parcours) are one pipeline of
//! `passerelle_render`, which both the CLI and the server call.
//!
//! No I/O here: storage comes in through [`TerritoryProvider`].

pub mod error;
pub mod fiche;
pub mod gap;
pub mod profil;
pub mod ranking;
pub mod resolve;
pub mod routes;
pub mod search;
pub mod territory;

pub use error::{AppError, LocalRefusal, short};
pub use fiche::{FicheOut, ItemOut, data_version, fiche, items_of};
pub use gap::{ChosenProfiles, GapOut, gap, gap_out};
pub use profil::{ProfilOut, profil};
pub use ranking::{RankRequest, RankingOut, rank, ranking};
pub use resolve::{
    NoMemo, Resolved, Variant, VariantMemo, encode_removed, parse_job, parse_removed, resolve_job,
    resolve_ref, resolve_with_variant, variant_poste,
};
pub use routes::{LearnOut, RoutesOut, SecondCircleOut, learn, routes, second_circle};
pub use search::{IndexSearch, SearchHit, SearchOut, Searcher, SimpleSearch, search};
pub use territory::{ProviderError, TerritoryProvider, context_of, market_of};
