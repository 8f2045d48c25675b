//! The local market's re-ranking (`targets M1609 --dept 34 --local`): what
//! it costs beyond the plain ranking — the one read of the département's
//! rows, and the re-ranking with the figures of the rows shown — as
//! `passerelle_app::rank` does it with `local`.

use std::collections::HashMap;
use std::time::Duration;

use passerelle_core::engine::{DEFAULT_RANKING_LIMIT, Direction, Engine, Weights};
use passerelle_core::territory::local::LocalMarket;
use passerelle_core::{Catalog, DeptCode, RomeCode};
use passerelle_store::territory::TerritoryRepository;

use crate::engine::SOURCE;
use crate::timing::{sample, try_sample};

/// The département of the measure.
pub const DEPT: &str = "34";
/// Runs of each timing (medians).
const RUNS: usize = 51;

/// What `bench territoire` prints of the local market.
#[derive(Debug, Clone, Copy)]
pub struct LocalFigures {
    /// The targets of [`SOURCE`] ranked (median).
    pub plain: Duration,
    /// The département's rows read and indexed (median).
    pub read: Duration,
    /// The re-ranking and the figures of the rows shown (median).
    pub rerank: Duration,
}

impl LocalFigures {
    /// What `local` adds to the plain ranking.
    pub fn extra(&self) -> Duration {
        (self.read + self.rerank).saturating_sub(self.plain)
    }
}

/// Measures on `store` (which holds the referential of `catalog` and the
/// territorial data); `None` when the département is not in the data.
pub fn measure(
    catalog: &Catalog,
    store: &impl TerritoryRepository,
) -> crate::Result<Option<LocalFigures>> {
    let engine = Engine::new(catalog);
    let subject = engine.index_of_id(SOURCE).unwrap_or(0);
    let dept = DeptCode::parse(DEPT).expect("département valide");
    let parents: HashMap<RomeCode, RomeCode> = catalog
        .referential
        .fiches
        .iter()
        .map(|f| (f.code, f.parent))
        .collect();
    let w = Weights::default();
    let Some(rows) = store.market_rows(dept)? else {
        return Ok(None);
    };
    let market = LocalMarket::new(rows, parents.clone());
    let plain = sample(RUNS, || {
        engine.rank(Direction::Targets, subject, &w, DEFAULT_RANKING_LIMIT, None)
    })
    .median();
    let read = try_sample(RUNS, || {
        store
            .market_rows(dept)
            .map(|r| r.map(|r| LocalMarket::new(r, parents.clone())))
    })?
    .median();
    let rerank = sample(RUNS, || {
        let mut neutral = 0.5;
        let ranking = engine.rank_with(
            Direction::Targets,
            subject,
            &w,
            DEFAULT_RANKING_LIMIT,
            None,
            |c| {
                let o = market.order(c);
                neutral = o.neutral;
                Some(o.order)
            },
        );
        ranking
            .rows
            .iter()
            .filter_map(|r| {
                RomeCode::parse(&r.code)
                    .ok()
                    .map(|f| market.figures(f, r.score, neutral))
            })
            .count()
    })
    .median();
    Ok(Some(LocalFigures {
        plain,
        read,
        rerank,
    }))
}
