//! Engine properties on small synthetic referentials (the v460 golden tests
//! live in the CLI tests, which read the official data).

use proptest::prelude::*;

use super::*;
use crate::catalog::Catalog;
use crate::codes::{OgrCode, RomeCode};
use crate::referential::{
    CoeurMetier, Competence, CompetenceCategory, CompetenceNature, CompetenceSubcategory, Contexte,
    Fiche, FicheTags, ItemKind, ItemLink, Referential, ReferentialData, Savoir, SavoirCategory,
};
use crate::transversal::{Competency, ProfileEntry, Provenance, TransversalProfile};

const N_SAV: u32 = 12;
const N_COMP: u32 = 12;
const N_CTX: u32 = 6;

fn sav_ogr(i: u32) -> OgrCode {
    OgrCode::new(100_000 + i)
}
fn comp_ogr(i: u32) -> OgrCode {
    OgrCode::new(200_000 + i)
}
fn macro_ogr(i: u32) -> OgrCode {
    OgrCode::new(300_000 + i)
}
fn ctx_ogr(i: u32) -> OgrCode {
    OgrCode::new(400_000 + i)
}
const CERT: u32 = 999_999;

/// Savoirs: two sub-categories; labels share words pairwise so that some
/// are near. Compétences: three macro-compétence families of four.
fn base_data() -> ReferentialData {
    let mut d = ReferentialData::default();
    for i in 0..N_SAV {
        d.savoirs.push(Savoir {
            ogr: sav_ogr(i),
            // Savoir 11 shares no word with any other label: nothing is near it.
            label: if i == N_SAV - 1 {
                "Comptabilité analytique".into()
            } else {
                format!(
                    "Technique de {} {}",
                    ["soudure", "peinture", "couture"][(i % 3) as usize],
                    i / 3
                )
            },
            category: SavoirCategory::TechniquesProfessionnelles,
            subcategory: if i % 2 == 0 { "A".into() } else { "B".into() },
            transition_eco: None,
            transition_num: None,
        });
    }
    d.savoirs.push(Savoir {
        ogr: OgrCode::new(CERT),
        label: "CAP soudure".into(),
        category: SavoirCategory::CertificationsHabilitations,
        subcategory: "Certifications".into(),
        transition_eco: None,
        transition_num: None,
    });
    for m in 0..3 {
        d.competences.push(competence(
            macro_ogr(m),
            None,
            CompetenceNature::MacroCompetence,
        ));
    }
    for i in 0..N_COMP {
        d.competences.push(competence(
            comp_ogr(i),
            Some(macro_ogr(i / 4)),
            CompetenceNature::Competence,
        ));
    }
    for i in 0..N_CTX {
        d.contextes.push(Contexte {
            ogr: ctx_ogr(i),
            label: format!("Contexte {i}"),
            type_code: i % 2,
            type_label: format!("Type {}", i % 2),
        });
    }
    d
}

fn competence(ogr: OgrCode, macro_ogr: Option<OgrCode>, nature: CompetenceNature) -> Competence {
    Competence {
        ogr,
        label: format!("Savoir-faire {}", ogr.get()),
        definition: None,
        nature,
        category: CompetenceCategory::SavoirFaire,
        subcategory: CompetenceSubcategory::Technique,
        macro_ogr,
        code_macro: None,
        transition_eco: None,
        transition_num: None,
        riasec: None,
        heterogeneite: None,
        origine: None,
    }
}

fn fiche(code: &str, items: Vec<ItemLink>) -> Fiche {
    let code = RomeCode::parse(code).unwrap();
    Fiche {
        code,
        ogr: OgrCode::new(1),
        code_fiche_metier: None,
        title: format!("Métier {code}"),
        parent: code,
        domaine: code.domaine().to_string(),
        tags: FicheTags::default(),
        riasec: None,
        definition: vec![],
        acces: vec![],
        appellations: vec![],
        items,
        centres_interet: vec![],
        secteurs: vec![],
        themes: vec![],
        secteurs_naf: vec![],
    }
}

fn link(ogr: OgrCode, kind: ItemKind) -> ItemLink {
    ItemLink {
        ogr,
        kind,
        coeur: CoeurMetier::Non,
    }
}

/// A job as item index lists (savoirs, compétences incl. macros 100+m, contextes).
#[derive(Debug, Clone)]
struct Spec {
    sav: Vec<u32>,
    comp: Vec<u32>,
    ctx: Vec<u32>,
    cert: bool,
}

fn items_of(s: &Spec) -> Vec<ItemLink> {
    let mut v: Vec<ItemLink> = s
        .sav
        .iter()
        .map(|&i| link(sav_ogr(i), ItemKind::Savoir))
        .collect();
    v.extend(s.comp.iter().map(|&i| {
        let o = if i >= 100 {
            macro_ogr(i - 100)
        } else {
            comp_ogr(i)
        };
        link(o, ItemKind::SavoirFaire)
    }));
    v.extend(s.ctx.iter().map(|&i| link(ctx_ogr(i), ItemKind::Contexte)));
    if s.cert {
        v.push(link(OgrCode::new(CERT), ItemKind::Savoir));
    }
    v
}

fn catalog(specs: &[Spec], profiles: Option<Vec<TransversalProfile>>) -> Catalog {
    let mut d = base_data();
    for (i, s) in specs.iter().enumerate() {
        d.fiches
            .push(fiche(&format!("A{:04}", 1000 + i), items_of(s)));
    }
    let referential = Referential::new(d);
    Catalog {
        levels: crate::qualification::access_levels(&referential),
        referential,
        postes: vec![],
        surveys: vec![],
        estimated: profiles.unwrap_or_default(),
    }
}

fn tp(entries: [(u8, u8); 14]) -> TransversalProfile {
    TransversalProfile {
        entries: entries.map(|(l, s)| Some(ProfileEntry::new(l, s).unwrap())),
        provenance: Provenance::Estime {
            method: "test".into(),
            rome_version: "60".into(),
        },
        rome: None,
    }
}

fn spec_strategy() -> impl Strategy<Value = Spec> {
    (
        proptest::collection::vec(0..N_SAV, 0..8),
        proptest::collection::vec(prop_oneof![0..N_COMP, 100..103u32], 0..8),
        proptest::collection::vec(0..N_CTX, 0..5),
        any::<bool>(),
    )
        .prop_map(|(sav, comp, ctx, cert)| Spec {
            sav,
            comp,
            ctx,
            cert,
        })
}

fn entry_strategy() -> impl Strategy<Value = (u8, u8)> {
    prop_oneof![Just((0u8, 0u8)), (1u8..=4, 1u8..=5)]
}

fn profile_strategy() -> impl Strategy<Value = TransversalProfile> {
    proptest::array::uniform14(entry_strategy()).prop_map(tp)
}

fn in_unit(v: Option<f64>) -> bool {
    v.is_none_or(|x| (0.0..=1.0).contains(&x))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn every_score_is_in_unit_interval(
        specs in proptest::collection::vec(spec_strategy(), 2..6),
        profiles in proptest::collection::vec(profile_strategy(), 6),
    ) {
        let n = specs.len();
        let cat = catalog(&specs, Some(profiles[..n].to_vec()));
        let e = Engine::new(&cat);
        let w = Weights::default();
        for s in 0..n {
            for t in 0..n {
                let sc = e.pair(s, t, &w, None, None);
                for a in Axis::ALL {
                    prop_assert!(in_unit(sc.exact.get(a)), "{:?}", sc);
                    prop_assert!(in_unit(sc.components.get(a)), "{:?}", sc);
                }
                prop_assert!(in_unit(sc.score));
            }
        }
        let all = e.exact_matrix();
        prop_assert!(all.iter().all(|v| v.is_nan() || (0.0..=1.0).contains(v)));
    }

    #[test]
    fn self_comparison_is_one_on_each_axis(spec in spec_strategy(), p in profile_strategy()) {
        let cat = catalog(&[spec.clone(), spec], Some(vec![p.clone(), p]));
        let e = Engine::new(&cat);
        let sc = e.pair(0, 0, &Weights::default(), None, None);
        for a in Axis::ALL {
            if let Some(v) = sc.exact.get(a) {
                prop_assert_eq!(v, 1.0, "{:?}", a);
            }
            if let Some(v) = sc.components.get(a) {
                prop_assert!((v - 1.0).abs() < 1e-6, "{:?} {}", a, v);
            }
        }
        if let Some(v) = sc.terms.axes {
            prop_assert!((v - 1.0).abs() < 1e-6);
        }
        // Identical fiches: same figures across the pair too.
        let across = e.pair(0, 1, &Weights::default(), None, None);
        prop_assert_eq!(across.exact, sc.exact);
    }

    #[test]
    fn an_item_with_nothing_near_never_raises_coverage(
        source in spec_strategy(),
        target in spec_strategy(),
        extra_ctx in 0..N_CTX,
    ) {
        // A contexte is never near anything: add one the source lacks.
        prop_assume!(!source.ctx.contains(&extra_ctx) && !target.ctx.contains(&extra_ctx));
        let mut bigger = target.clone();
        bigger.ctx.push(extra_ctx);
        let cat = catalog(&[source, target, bigger], None);
        let e = Engine::new(&cat);
        let w = Weights::default();
        let before = e.pair(0, 1, &w, None, None);
        let after = e.pair(0, 2, &w, None, None);
        for a in Axis::ALL {
            if let (Some(x), Some(y)) = (before.exact.get(a), after.exact.get(a)) {
                prop_assert!(y <= x + 1e-12, "{:?} exact {} → {}", a, x, y);
            }
            if let (Some(x), Some(y)) = (before.components.get(a), after.components.get(a)) {
                prop_assert!(y <= x + 1e-6, "{:?} component {} → {}", a, x, y);
            }
        }
    }

    #[test]
    fn a_savoir_with_nothing_near_never_raises_coverage(source in spec_strategy(), target in spec_strategy()) {
        // Savoir 11 shares no word with any other savoir: if the source lacks
        // it, the source has nothing near it either.
        let mut source = source;
        source.sav.retain(|&i| i != 11);
        prop_assume!(!target.sav.contains(&11));
        let mut bigger = target.clone();
        bigger.sav.push(11);
        let cat = catalog(&[source, target, bigger], None);
        let e = Engine::new(&cat);
        let w = Weights::default();
        let (before, after) = (e.pair(0, 1, &w, None, None), e.pair(0, 2, &w, None, None));
        if let (Some(x), Some(y)) = (before.components.get(Axis::Savoirs), after.components.get(Axis::Savoirs)) {
            prop_assert!(y <= x + 1e-6);
        }
        if let (Some(x), Some(y)) = (before.exact.get(Axis::Savoirs), after.exact.get(Axis::Savoirs)) {
            prop_assert!(y <= x + 1e-12);
        }
    }

    #[test]
    fn weights_renormalise_when_an_axis_is_missing(
        source in spec_strategy(), target in spec_strategy(),
        wt in 0.0f64..5.0, ws in 0.0f64..5.0, wf in 0.0f64..5.0, wc in 0.0f64..5.0,
    ) {
        let w = match Weights::new(PerAxis([wt, ws, wf, wc])) { Ok(w) => w, Err(_) => return Ok(()) };
        let cat = catalog(&[source, target], None); // no transversal profiles
        let e = Engine::new(&cat);
        let sc = e.pair(0, 1, &w, None, None);
        prop_assert_eq!(sc.exact.get(Axis::Transversal), None);
        let (mut num, mut den) = (0.0, 0.0);
        for a in [Axis::Savoirs, Axis::SavoirFaire, Axis::Contextes] {
            if let Some(v) = sc.components.get(a) {
                num += w.get(a) * v;
                den += w.get(a);
            }
        }
        match sc.terms.axes {
            Some(s) => prop_assert!((s - num / den).abs() < 1e-12),
            None => prop_assert!(den == 0.0),
        }
    }
}

fn spec(sav: &[u32], comp: &[u32], ctx: &[u32]) -> Spec {
    Spec {
        sav: sav.to_vec(),
        comp: comp.to_vec(),
        ctx: ctx.to_vec(),
        cert: false,
    }
}

#[test]
fn exact_coverage_is_the_unweighted_share_of_the_target() {
    // Target holds 8 savoirs, the source 2 of them (the seed's 25 %).
    let target = spec(&[0, 1, 2, 3, 4, 5, 6, 7], &[0, 1], &[0, 1, 2]);
    let source = spec(&[0, 1, 9], &[2], &[0]);
    let e = Engine::new(&catalog(&[source, target], None));
    let sc = e.pair(0, 1, &Weights::default(), None, None);
    assert_eq!(sc.exact.get(Axis::Savoirs), Some(0.25));
    assert_eq!(sc.exact.get(Axis::SavoirFaire), Some(0.0));
    assert_eq!(sc.exact.get(Axis::Contextes), Some(1.0 / 3.0));
    // Same family (macro 0) but labels that share only common words: a
    // family alone gives no partial credit.
    assert_eq!(sc.components.get(Axis::SavoirFaire), Some(0.0));
    assert_eq!(e.exact_counts(0, 1), [2, 0, 1]);
}

#[test]
fn certifications_are_kept_apart_from_savoirs() {
    let mut target = spec(&[0, 1], &[], &[]);
    target.cert = true;
    let mut source = spec(&[0], &[], &[]);
    source.cert = true;
    let cat = catalog(&[source, target], None);
    let e = Engine::new(&cat);
    assert_eq!(
        e.pair(0, 1, &Weights::default(), None, None)
            .exact
            .get(Axis::Savoirs),
        Some(0.5)
    );
    let (s, t) = (
        Job::from_fiche(&cat.referential.fiches[0]),
        Job::from_fiche(&cat.referential.fiches[1]),
    );
    let g = e.gap(&s, &t, &Weights::default(), None, None).unwrap();
    assert_eq!(g.savoirs.denominator, 2);
    assert_eq!(g.certifications.communes.len(), 1);
    assert_eq!(g.certifications.communes[0].label, "CAP soudure");
}

#[test]
fn matrix_paths_agree_with_single_pairs() {
    let specs = vec![
        spec(&[0, 1, 2], &[0, 1, 100], &[0, 1]),
        spec(&[1, 2, 3, 5], &[1, 2, 5], &[1, 2, 3]),
        spec(&[], &[4, 8], &[]),
        spec(&[7, 9, 11], &[0, 9, 101], &[5]),
    ];
    let e = Engine::new(&catalog(&specs, None));
    let w = Weights::default();
    let n = specs.len();
    let exact = e.exact_matrix();
    let full = e.score_matrix(&w);
    let mut seen = 0;
    e.for_each_pair_score(&w, |s, t, sc| {
        seen += 1;
        let single = e.pair(s, t, &w, None, None);
        assert_eq!(sc, &single);
        for a in Axis::ALL {
            let m = exact[(s * n + t) * 4 + a.index()];
            match single.exact.get(a) {
                Some(v) => assert!((f64::from(m) - v).abs() < 1e-6),
                None => assert!(m.is_nan()),
            }
        }
        match single.score {
            Some(v) => assert!((f64::from(full[s * n + t]) - v).abs() < 1e-6),
            None => assert!(full[s * n + t].is_nan()),
        }
    });
    assert_eq!(seen, n * (n - 1));
    // One target against every source: the inverted-list path.
    for t in 0..n {
        let all = e.all_sources_of(t, &w, None);
        for (s, sc) in all.iter().enumerate() {
            let single = e.pair(s, t, &w, None, None);
            assert_eq!(sc.exact, single.exact);
            for a in Axis::ALL {
                match (sc.components.get(a), single.components.get(a)) {
                    (Some(x), Some(y)) => assert!((x - y).abs() < 1e-6),
                    (x, y) => assert_eq!(x, y),
                }
            }
        }
    }
}

#[test]
fn transversal_buckets_and_percentage() {
    let mut s = [(0u8, 0u8); 14];
    let mut t = [(0u8, 0u8); 14];
    t[Competency::Communiquer.index()] = (2, 5);
    s[Competency::Communiquer.index()] = (2, 3); // adaptée
    t[Competency::TransmettreSavoirs.index()] = (3, 3);
    s[Competency::TransmettreSavoirs.index()] = (1, 1); // à faire évoluer, deficit 2
    t[Competency::OrganiserActions.index()] = (1, 2);
    s[Competency::OrganiserActions.index()] = (3, 4); // plus élevée
    t[Competency::ApprendreContinu.index()] = (4, 1); // source lacks it: deficit capped at 3
    let cov = transversal_coverage(&tp(s), &tp(t)).unwrap();
    let expected = (5.0 * 1.0 + 3.0 * (1.0 / 3.0) + 2.0 * 1.0 + 1.0 * 0.0) / 11.0;
    assert!((cov.score - expected).abs() < 1e-12);
    let bucket = |c: Competency| {
        cov.competencies
            .iter()
            .find(|g| g.competency == c)
            .unwrap()
            .bucket
    };
    assert_eq!(bucket(Competency::Communiquer), Bucket::Adaptee);
    assert_eq!(
        bucket(Competency::TransmettreSavoirs),
        Bucket::AFaireEvoluer
    );
    assert_eq!(bucket(Competency::OrganiserActions), Bucket::PlusElevee);
    assert_eq!(bucket(Competency::ApprendreContinu), Bucket::AFaireEvoluer);
    assert_eq!(cov.competencies.len(), 4);
    assert!(transversal_coverage(&tp(t), &tp([(0, 0); 14])).is_none());
}

#[test]
fn gap_sentences_agree_in_number() {
    let target = spec(&[0, 1, 2, 3, 4, 5, 6, 7], &[0], &[0, 1, 2, 3]);
    let source = spec(&[0, 1], &[0], &[0, 1, 2]);
    let mut st = [(0u8, 0u8); 14];
    let mut tt = [(0u8, 0u8); 14];
    for (i, c) in Competency::ALL.iter().enumerate().take(12) {
        tt[c.index()] = (2, 3);
        st[c.index()] = match i {
            0..7 => (2, 3),
            7..10 => (3, 3),
            _ => (1, 3),
        };
    }
    let cat = catalog(&[source, target], Some(vec![tp(st), tp(tt)]));
    let e = Engine::new(&cat);
    let (s, t) = (
        Job::from_fiche(&cat.referential.fiches[0]),
        Job::from_fiche(&cat.referential.fiches[1]),
    );
    let g = e.gap(&s, &t, &Weights::default(), None, None).unwrap();
    let tr = g.transversal.as_ref().unwrap();
    assert_eq!(
        (
            tr.adaptees.len(),
            tr.plus_elevees.len(),
            tr.a_faire_evoluer.len()
        ),
        (7, 3, 2)
    );
    // The higher competencies are named in the sentence.
    let higher = format!(
        "{}, {} et {}",
        tr.plus_elevees[0], tr.plus_elevees[1], tr.plus_elevees[2]
    );
    assert_eq!(
        g.narrative[0],
        format!(
            "Le métier « Métier A1000 » couvre 94\u{202f}% des compétences transversales du métier « Métier A1001 », pondérées par leur importance : 7 avec une expertise similaire, 3 d'un niveau plus élevé ({higher}) et 2 à faire évoluer, déjà mobilisées à un niveau inférieur (comptées en partie)."
        )
    );
    assert!(g.narrative[1].starts_with("Le métier « Métier A1000 » possède déjà 2 des 8 savoirs du métier « Métier A1001 » ; 6 savoirs restent à acquérir"), "{}", g.narrative[1]);
    assert_eq!(
        g.narrative[2],
        "Le métier « Métier A1000 » maîtrise déjà l'ensemble des savoir-faire du métier « Métier A1001 »."
    );
    assert_eq!(
        g.narrative[3],
        "Les contextes d'activité liés au métier « Métier A1001 » sont en très grande partie connus pour le métier « Métier A1000 »."
    );
    // Nothing in common: "doit acquérir l'ensemble".
    let g2 = e.gap(&t, &s, &Weights::default(), None, None).unwrap();
    assert!(
        g2.narrative
            .iter()
            .any(|n| n.contains("possède déjà l'ensemble des savoirs")),
        "{:?}",
        g2.narrative
    );
}

#[test]
fn singular_sentences() {
    assert_eq!(plural(1, "savoir", "savoirs"), "1 savoir");
    assert_eq!(plural(2, "savoir", "savoirs"), "2 savoirs");
    assert_eq!(join_et(&["a".into(), "b".into(), "c".into()]), "a, b et c");
    assert_eq!(contextes_qualifier(0, 5), "tous nouveaux");
    assert_eq!(contextes_qualifier(5, 5), "tous connus");
    assert_eq!(contextes_qualifier(4, 9), "en grande partie connus");
}

#[test]
fn ranking_excludes_the_subject_fiche_and_sorts_by_score() {
    let specs = vec![
        spec(&[0, 1, 2, 3], &[0, 1], &[0, 1]),
        spec(&[0, 1, 2], &[0, 1], &[0, 1]),
        spec(&[0], &[8], &[4]),
        spec(&[5], &[9], &[5]),
    ];
    let e = Engine::new(&catalog(&specs, None));
    let r = e.rank(Direction::Sources, 0, &Weights::default(), 10, None);
    assert_eq!(r.candidates, 3);
    assert!(r.rows.iter().all(|row| row.id != "A1000"));
    assert_eq!(r.rows[0].id, "A1001");
    assert!(r.rows.windows(2).all(|w| w[0].score >= w[1].score));
    let r = e.rank(Direction::Targets, 0, &Weights::default(), 1, None);
    assert_eq!(r.rows.len(), 1);
}

#[test]
fn upsert_job_matches_a_full_rebuild() {
    use crate::poste::{Poste, PosteProvenance};
    let specs = vec![
        spec(&[0, 1, 2, 3], &[0, 1, 100], &[0, 1]),
        spec(&[1, 2, 5], &[1, 2, 4], &[1, 2]),
        spec(&[6, 7], &[8, 9], &[3, 4]),
    ];
    let mut cat = catalog(&specs, None);
    let poste = |items: Vec<ItemLink>| Poste {
        slug: "variante".into(),
        title: "Variante".into(),
        base: cat.referential.fiches[0].code,
        appellation: None,
        items,
        extra: vec![],
        provenance: PosteProvenance {
            author: "test".into(),
            date: String::new(),
            basis: String::new(),
        },
        rome_version: 60,
        survey: None,
        notes: vec![],
    };
    let mut items = cat.referential.fiches[0].items.clone();
    items.retain(|l| l.ogr != sav_ogr(3));
    let first = poste(items.clone());
    let mut engine = Engine::new(&cat);
    cat.postes.push(first.clone());
    let job = cat
        .resolve(&crate::job::JobRef::Poste("variante".into()))
        .unwrap();
    let idx = engine.upsert_job(&job, None);
    let rebuilt = Engine::new(&cat);
    let w = Weights::default();
    let ridx = rebuilt.index_of(&job).unwrap();
    assert_eq!(idx, ridx);
    for other in 0..3 {
        assert_eq!(
            engine.pair(other, idx, &w, None, None),
            rebuilt.pair(other, ridx, &w, None, None)
        );
        assert_eq!(
            engine.pair(idx, other, &w, None, None),
            rebuilt.pair(ridx, other, &w, None, None)
        );
    }
    let a = engine.rank(Direction::Targets, 1, &w, 10, None);
    let b = rebuilt.rank(Direction::Targets, 1, &w, 10, None);
    assert_eq!(
        a.rows.iter().map(|r| (&r.id, r.score)).collect::<Vec<_>>(),
        b.rows.iter().map(|r| (&r.id, r.score)).collect::<Vec<_>>()
    );
    // Replacing the variant keeps one profile and updates the lists.
    items.retain(|l| l.ogr != sav_ogr(2));
    cat.postes[0] = poste(items);
    let job2 = cat
        .resolve(&crate::job::JobRef::Poste("variante".into()))
        .unwrap();
    assert_eq!(engine.upsert_job(&job2, None), idx);
    assert_eq!(engine.profiles().len(), 4);
    let rebuilt = Engine::new(&cat);
    let sources_a = engine.all_sources_of(1, &w, None);
    let sources_b = rebuilt.all_sources_of(1, &w, None);
    assert_eq!(sources_a, sources_b);
    // A whole fiche is never replaced.
    let fiche_job = Job::from_fiche(&cat.referential.fiches[2]);
    assert_eq!(engine.upsert_job(&fiche_job, None), 2);
}
