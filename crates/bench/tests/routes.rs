//! The route figure of `bench ranking`: among expert moves the engine does
//! not label a direct passerelle, the share a route of two steps reaches
//! (docs/methode.md § 13). Checked against the engine's own rankings on a
//! few hand-picked pairs, then on the calibration file.

use passerelle_bench::ranking::{expert_path, read_expert_pairs, route_reach};
use passerelle_core::Catalog;
use passerelle_core::engine::yardstick::ExpertPair;
use passerelle_core::engine::{Direction, Engine, Reach, Weights};

#[test]
fn two_step_reach_agrees_with_the_rankings_and_is_counted_on_both_halves() {
    let referential = passerelle_test_support::referential_v460();
    let catalog = Catalog::new(referential.clone(), Vec::new(), Vec::new());
    let engine = Engine::new(&catalog);
    let w = Weights::default();
    let index = |c: &str| engine.index_of_id(c).unwrap();
    // Aide-soignant → cadre de santé: a long move, not direct; through the
    // nurse's job, a long step then a direct one.
    let (s, t) = (index("J1501"), index("J1502"));
    let reach = engine.two_step_reach(&[(s, t), (index("M1609"), index("M1607"))], &w);
    assert_eq!(reach[0], Reach::TwoStepsWithLong);
    // Secrétaire médicale → secrétaire: a direct passerelle in the ranking.
    let row = engine.rank(Direction::Targets, index("M1609"), &w, 5000, None);
    let m1607 = row.rows.iter().find(|r| r.id == "M1607").unwrap();
    assert!(m1607.tier.is_direct());
    assert_eq!(reach[1], Reach::Direct);

    // On the calibration file: both halves counted, consistent shares.
    let data = std::path::PathBuf::from(
        std::env::var_os("PASSERELLE_DATA")
            .unwrap_or_else(|| passerelle_import::default_data_dir().into_os_string()),
    );
    let pairs: Vec<ExpertPair> = read_expert_pairs(&expert_path(&data)).unwrap();
    let halves = route_reach(&engine, &pairs, &w);
    let total: usize = halves.iter().map(|h| h.pairs).sum();
    assert!(total > 3000, "{halves:?}");
    for h in &halves {
        assert!(h.missed > 0 && h.missed < h.pairs, "{h:?}");
        assert!(
            h.two_direct_steps + h.two_steps_with_long <= h.missed,
            "{h:?}"
        );
        let (direct, with_long) = h.shares();
        assert!(
            0.0 < direct && direct <= with_long && with_long <= 1.0,
            "{h:?}"
        );
    }
    // One expert pair, recounted by hand from the engine's rankings: the
    // first missed pair of the file reached by two direct steps has an
    // intermediate that both rankings call direct.
    let known: Vec<(&ExpertPair, usize, usize)> = pairs
        .iter()
        .filter_map(|p| {
            let s = engine.index_of_id(p.source.as_str())?;
            let t = engine.index_of_id(p.target.as_str())?;
            (s != t).then_some((p, s, t))
        })
        .collect();
    let indices: Vec<(usize, usize)> = known.iter().map(|k| (k.1, k.2)).collect();
    let reach = engine.two_step_reach(&indices, &w);
    let missed = known
        .iter()
        .zip(&reach)
        .find(|(_, r)| **r == Reach::TwoDirectSteps)
        .map(|(k, _)| *k)
        .unwrap();
    let (p, s, _) = missed;
    let from_s = engine.rank(Direction::Targets, s, &w, 5000, None);
    let through = from_s
        .rows
        .iter()
        .filter(|r| r.tier.is_direct() && !r.poste)
        .any(|r| {
            let x = engine.index_of_id(&r.id).unwrap();
            engine
                .rank(Direction::Targets, x, &w, 5000, None)
                .rows
                .iter()
                .any(|r2| r2.id == p.target.as_str() && r2.tier.is_direct())
        });
    assert!(
        through,
        "{} → {} : aucun intermédiaire direct",
        p.source, p.target
    );
}
