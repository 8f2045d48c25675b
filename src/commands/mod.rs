//! One module per command family. Each takes the [`crate::context::Context`]
//! and its parsed arguments, and returns `anyhow::Result<()>`.

pub mod bench;
pub mod documents;
pub mod download;
pub mod engine;
pub mod import;
pub mod info;
pub mod postes;
pub mod profil;
pub mod search;
pub mod serve;
pub mod show;
pub mod territoire;
