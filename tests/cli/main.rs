//! CLI integration tests of the `passerelle` binary: one module per area.

mod common;

mod rome;
mod territoire;
mod engine;
mod search;
mod serve;
mod profil;
mod postes;
mod documents;
mod ranking;
mod download;
mod parity;
