//! Shared fixtures of the HTTP and browser tests: the real ROME v460
//! referential (from PASSERELLE_DATA; the tests fail if it is missing), a
//! hostile poste (as a crafted import would register it), and small fake
//! territory and document providers.
#![allow(dead_code)]

use std::sync::{Arc, OnceLock};

use passerelle_core::territory::context::{BmoContext, DeptSummary, JobContext, Listing};
use passerelle_core::territory::records::TrainingOffer;
use passerelle_core::territory::{Attribution, Figure, TerritorialContext, Unit};
use passerelle_core::{
    Catalog, DeptCode, ItemKind, Job, OgrCode, Poste, PosteProvenance, Referential, RomeCode,
};
use passerelle_server::{
    AppState, Cancel, DeptEntry, DocFormat, DocumentProvider, IndexSearch, ProviderError, Rendered,
    SimpleSearch, TerritoryProvider,
};

/// A title no page may let through unescaped.
pub const HOSTILE: &str =
    "<script>alert('x')</script>\"><img src=x onerror=alert(1)> Poste « hostile »";

pub fn referential() -> Referential {
    passerelle_test_support::referential_v460().clone()
}

/// A poste of J1303 with a hostile title and provenance, as a crafted
/// `import postes` file would register it.
pub fn hostile_poste(r: &Referential) -> Poste {
    let j1303 = r.fiche(RomeCode::parse("J1303").unwrap()).unwrap();
    Poste {
        slug: "hostile".into(),
        title: HOSTILE.into(),
        base: j1303.code,
        appellation: None,
        items: j1303
            .items
            .iter()
            .filter(|l| l.kind != ItemKind::Contexte)
            .take(20)
            .cloned()
            .collect(),
        extra: Vec::new(),
        provenance: PosteProvenance {
            author: HOSTILE.into(),
            date: "2026-11-23".into(),
            basis: HOSTILE.into(),
        },
        rome_version: r.version.number,
        survey: None,
        notes: vec![HOSTILE.into()],
    }
}

pub struct FakeTerritory;

/// A figure as the fake shows it: its label, text and source line as given.
fn figure(label: &str, text: &str, source: Option<Attribution>) -> Figure {
    let mut f = Figure::value(label, Unit::Count, 0.0, Attribution::new("Insee", "", None));
    f.text = text.into();
    f.source = source;
    f
}

fn listing<T>(items: Vec<T>) -> Listing<T> {
    Listing {
        items,
        source: None,
        inherited_from: None,
        note: None,
    }
}

impl TerritoryProvider for FakeTerritory {
    /// A made-up local market in 34 (the CLI tests read the real one): each
    /// domaine professionnel is one BMO métier, with a hostile label, and
    /// hiring projects that grow with the domaine's number.
    fn local_market(
        &self,
        dept: DeptCode,
    ) -> Result<Option<passerelle_core::territory::local::LocalMarket>, ProviderError> {
        use passerelle_core::territory::figure::SecretCount;
        use passerelle_core::territory::local::{LocalMarket, MarketRows};
        use passerelle_core::territory::records::{BmoDept, BmoMetier, MatchMethod, RomeBmo};
        if dept.as_str() != "34" {
            return Ok(None);
        }
        let r = passerelle_test_support::referential_v460();
        let code_of =
            |rome: &RomeCode| format!("{}0Z{}", &rome.as_str()[..1], &rome.as_str()[1..3]);
        let mappings: Vec<RomeBmo> = r
            .fiches
            .iter()
            .map(|f| RomeBmo {
                rome: f.code,
                bmo: Some(code_of(&f.code)),
                method: Some(MatchMethod::Domaine),
                justification: String::new(),
            })
            .collect();
        let mut codes: Vec<String> = mappings.iter().filter_map(|m| m.bmo.clone()).collect();
        codes.sort();
        codes.dedup();
        let metiers = codes
            .iter()
            .map(|c| BmoMetier {
                code: c.clone(),
                libelle: format!("Métier {c} {HOSTILE}"),
                famille_code: c[..1].to_string(),
                famille_libelle: String::new(),
            })
            .collect();
        let bmo = codes
            .iter()
            .enumerate()
            .map(|(i, c)| BmoDept {
                dept,
                code: c.clone(),
                projets: SecretCount {
                    known: 10 * (i as u64 + 1),
                    secret_cells: 0,
                },
                difficiles: SecretCount {
                    known: 3 * (i as u64 + 1),
                    secret_cells: u32::from(i % 3 == 0),
                },
                saisonniers: SecretCount::default(),
                bassins: 3,
            })
            .collect();
        let rows = MarketRows {
            dept,
            nom: "Hérault".into(),
            bmo_year: 2025,
            mappings,
            metiers,
            bmo,
            tension: Vec::new(),
        };
        let parents = r.fiches.iter().map(|f| (f.code, f.parent)).collect();
        Ok(Some(LocalMarket::new(rows, parents)))
    }

    fn context(
        &self,
        dept: DeptCode,
        rome: Option<RomeCode>,
    ) -> Result<Option<TerritorialContext>, ProviderError> {
        if dept.as_str() != "34" && dept.as_str() != "12" {
            return Ok(None);
        }
        let absent = || figure("", "", None);
        Ok(Some(TerritorialContext {
            departement: DeptSummary {
                code: dept.as_str().into(),
                nom: "Hérault".into(),
                region_code: "76".into(),
                region_nom: "Occitanie".into(),
            },
            population: figure(
                "Population",
                "1\u{202f}230\u{202f}289",
                Some(Attribution::new("Insee", "populations légales", Some(2023))),
            ),
            chomage: figure(
                "Taux de chômage",
                "10,4\u{202f}%",
                Some(Attribution::new("Insee", "taux de chômage localisés", None)),
            ),
            metier: rome.map(|r| JobContext {
                code_rome: r.as_str().into(),
                code_rome_parent: None,
                bmo: BmoContext {
                    code_bmo: None,
                    libelle_bmo: None,
                    famille_bmo: None,
                    correspondance: None,
                    justification: None,
                    projets: absent(),
                    difficiles: absent(),
                    saisonniers: absent(),
                },
                offres: figure("Offres <b>", HOSTILE, None),
                demandeurs: absent(),
                secteurs: listing(Vec::new()),
                certifications: listing(Vec::new()),
                fiches_rncp: listing(Vec::new()),
                formations: listing(vec![TrainingOffer {
                    intitule: "Titre professionnel secrétaire assistant médico-social".into(),
                    organisme: "AFPA Montpellier".into(),
                    ..TrainingOffer::default()
                }]),
                // The shipped CQP, as the real territory attaches it.
                cqp: (r.as_str() == "J1303")
                    .then(passerelle_core::territory::cqp::Cqp::assistant_medical),
            }),
            sources: Vec::new(),
        }))
    }
}

pub struct FakeDocuments;

impl DocumentProvider for FakeDocuments {
    fn fiche(
        &self,
        _: &AppState,
        target: &Job,
        sources: &[Job],
        _: Option<DeptCode>,
        format: DocFormat,
        _: &Cancel,
    ) -> Result<Rendered, ProviderError> {
        let mut title = target.title.clone();
        for s in sources {
            title.push_str(&format!(" ; détaille {}", s.id));
        }
        Ok(fake(format, &title))
    }
    fn parcours(
        &self,
        _: &AppState,
        s: &Job,
        t: &Job,
        _: Option<DeptCode>,
        format: DocFormat,
        _: &Cancel,
    ) -> Result<Rendered, ProviderError> {
        Ok(fake(format, &format!("{} → {}", s.title, t.title)))
    }
}

fn fake(format: DocFormat, title: &str) -> Rendered {
    let bytes = match format {
        DocFormat::Pdf => b"%PDF-1.7\n% faux document de test\n".to_vec(),
        DocFormat::Json => serde_json::to_vec(&serde_json::json!({ "titre": title })).unwrap(),
        DocFormat::Markdown => format!("# {title}\n").into_bytes(),
        DocFormat::Html => format!(
            "<!doctype html><html lang=\"fr\"><style>p{{color:red}}</style><p>{}</p></html>",
            title.replace('<', "&lt;")
        )
        .into_bytes(),
    };
    Rendered {
        bytes,
        style_hashes: vec!["sha256-abc".into()],
    }
}

/// The catalog of the tests: ROME v460 plus the hostile poste.
pub fn catalog() -> Catalog {
    let referential = referential();
    let postes = vec![hostile_poste(&referential)];
    Catalog::new(referential, postes, Vec::new())
}

/// The catalog with its search index, the fake territory of `depts` and
/// `documents`.
fn state_with(depts: &[(&str, &str)], documents: Box<dyn DocumentProvider>) -> Arc<AppState> {
    let catalog = catalog();
    let search = Box::new(IndexSearch::new(&catalog).expect("index de recherche"));
    let depts = depts
        .iter()
        .map(|(code, nom)| DeptEntry {
            code: code.to_string(),
            nom: nom.to_string(),
        })
        .collect();
    Arc::new(
        AppState::new(catalog, search)
            .with_territory(Box::new(FakeTerritory), depts)
            .with_documents(documents),
    )
}

/// A full state (territory and documents fakes), built once per test binary.
pub fn state() -> Arc<AppState> {
    static S: OnceLock<Arc<AppState>> = OnceLock::new();
    S.get_or_init(|| {
        state_with(
            &[("12", "Aveyron"), ("34", "Hérault")],
            Box::new(FakeDocuments),
        )
    })
    .clone()
}

/// A state without territory nor documents.
pub fn bare_state() -> Arc<AppState> {
    static S: OnceLock<Arc<AppState>> = OnceLock::new();
    S.get_or_init(|| {
        let catalog = catalog();
        let search = Box::new(SimpleSearch::new(&catalog));
        Arc::new(AppState::new(catalog, search))
    })
    .clone()
}

/// An OGR code of an item of J1303.
pub fn j1303_item(n: usize) -> OgrCode {
    referential()
        .fiche(RomeCode::parse("J1303").unwrap())
        .unwrap()
        .items[n]
        .ogr
}

/// The real documents (the render crate's pipeline over the test catalog),
/// without territory nor interviews: what the browser tests read and print.
pub struct RealDocuments;

struct NoLookups;

impl passerelle_render::Lookups for NoLookups {
    fn territory(
        &self,
        _: DeptCode,
        _: RomeCode,
        _: Option<RomeCode>,
    ) -> Result<Option<TerritorialContext>, passerelle_render::LookupError> {
        Ok(None)
    }

    fn entretiens(
        &self,
        _: DeptCode,
        _: &Job,
    ) -> Result<Option<passerelle_render::document::Entretiens>, passerelle_render::LookupError>
    {
        Ok(None)
    }
}

fn pipeline<'a>(
    state: &'a AppState,
    cancelled: &'a dyn Fn() -> bool,
) -> passerelle_render::Pipeline<'a> {
    passerelle_render::Pipeline {
        cancelled,
        ..passerelle_render::Pipeline::new(
            &state.catalog,
            &state.engine,
            &NoLookups,
            "2026-11-29T12:00:00Z".into(),
        )
    }
}

impl DocumentProvider for RealDocuments {
    fn fiche(
        &self,
        state: &AppState,
        target: &Job,
        sources: &[Job],
        dept: Option<DeptCode>,
        format: DocFormat,
        cancel: &Cancel,
    ) -> Result<Rendered, ProviderError> {
        let cancelled = || cancel.is_cancelled();
        let request = passerelle_render::FicheRequest {
            target,
            dept,
            sources,
            enquete: None,
        };
        Ok(pipeline(state, &cancelled).fiche(request, format)?)
    }

    fn parcours(
        &self,
        state: &AppState,
        source: &Job,
        target: &Job,
        dept: Option<DeptCode>,
        format: DocFormat,
        cancel: &Cancel,
    ) -> Result<Rendered, ProviderError> {
        let cancelled = || cancel.is_cancelled();
        Ok(pipeline(state, &cancelled).parcours(source, target, dept, format)?)
    }
}

/// The full state with the real documents instead of the fakes, built once
/// per test binary (the browser tests).
pub fn real_state() -> Arc<AppState> {
    static S: OnceLock<Arc<AppState>> = OnceLock::new();
    S.get_or_init(|| state_with(&[("34", "Hérault")], Box::new(RealDocuments)))
        .clone()
}
