//! The territorial model: the records read from the official territorial
//! files ([`records`]), the figures shown with their source and year
//! ([`figure`]), the CQP Assistant médical ([`cqp`]), the pure assembly of
//! a département's context for a job ([`context`]) from what the store
//! read ([`rows`]) and the rule that picks
//! the certifications a document lists first ([`fit`]), and the local
//! market's demand and re-ranking ([`local`]).
//!
//! The readers live in `passerelle-territory`; keeping the model here lets the
//! store, render and server use it without pulling calamine, quick-xml or csv.

pub mod context;
pub mod cqp;
pub mod figure;
pub mod fit;
pub mod local;
pub mod records;
pub mod rows;

pub use context::{Chosen, ContextInput, Found, JobInput, TerritorialContext, build_context};
pub use figure::{Amount, Attribution, Cell, Figure, SecretCount, Unit};
pub use rows::{
    CodeRows, ContextRows, JobRows, PerCode, context_input, lookup_codes, order_certifications,
    territorial_context,
};
