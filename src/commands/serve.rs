//! `passerelle serve [--addr 127.0.0.1:8080]`: the web application and the
//! JSON API (crates/server). On first run the ROME is imported from
//! `PASSERELLE_DATA`; then everything is loaded once, read-only.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use anyhow::Context as _;
use passerelle_core::{DeptCode, RomeCode};
use passerelle_render::build::{FicheInput, ParcoursInput, build_fiche, build_parcours};
use passerelle_server::{App, AppState, DeptEntry, DocFormat, DocumentProvider, IndexSearch, Rendered, TerritoryProvider};
use passerelle_territory::context::TerritorialContext;
use passerelle_store::Store;
use passerelle_store::territory::TerritoryRepository;

use crate::args::*;
use crate::context::Context;

pub fn run(ctx: &Context, args: ServeArgs) -> anyhow::Result<()> {
    let addr: SocketAddr = args
        .addr
        .parse()
        .map_err(|_| anyhow::anyhow!("paramètre --addr : « {} » n'est pas une adresse IP:port (ex. 127.0.0.1:8080)", args.addr))?;
    let started = Instant::now();
    let state = build_state(ctx)?;
    let summary = format!(
        "{} fiches, {} appellations, {} profil(s) de poste{}",
        super::info::fr_int(state.catalog.referential.fiches.len() as u64),
        super::info::fr_int(state.catalog.referential.appellations.len() as u64),
        state.catalog.postes.len(),
        if state.territory.is_some() { ", données territoriales" } else { "" }
    );
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().context("démarrage de tokio")?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .with_context(|| format!("écoute sur {addr} impossible"))?;
        eprintln!(
            "Passerelle écoute sur http://{} ({summary} ; prêt en {} ms). Ctrl-C pour arrêter.",
            listener.local_addr()?,
            started.elapsed().as_millis()
        );
        App::new(Arc::new(state)).serve(listener).await.context("serveur HTTP")?;
        eprintln!("Passerelle arrêté.");
        anyhow::Ok(())
    })
}

/// Everything the server reads, loaded once (importing the ROME on first run).
pub fn build_state(ctx: &Context) -> anyhow::Result<AppState> {
    // First run: imports the ROME and the demo postes and surveys.
    let t = Instant::now();
    let referential = ctx.referential_or_import()?;
    tracing::info!(ms = t.elapsed().as_millis() as u64, "référentiel chargé");
    // The search index needs only the referential: build it on another
    // thread while the catalog (estimated profiles) and the engine are built.
    let (catalog, engine, index) = std::thread::scope(|s| {
        let for_index = referential.clone();
        let index = s.spawn(move || passerelle_search::SearchIndex::build(&for_index));
        let built = crate::context::catalog_from(&ctx.open_store()?, referential).map(|catalog| {
            tracing::info!(ms = t.elapsed().as_millis() as u64, "catalogue construit");
            let engine = passerelle_core::engine::Engine::new(&catalog);
            (catalog, engine)
        });
        let index = index.join().map_err(|_| anyhow::anyhow!("construction de l'index de recherche interrompue"))?;
        let (catalog, engine) = built?;
        anyhow::Ok((catalog, engine, index.map_err(|e| anyhow::anyhow!("{e}"))?))
    })?;
    tracing::info!(ms = t.elapsed().as_millis() as u64, "moteur et index de recherche construits");
    let search = IndexSearch::with_index(index, &catalog);
    let mut state = AppState::from_parts(catalog, engine, Box::new(search)).with_now(ctx.now.clone());
    let mut store = ctx.open_store()?;
    if !store.has_territory()? && ctx.territory_dir().is_dir() {
        eprintln!("Première utilisation : import des données territoriales depuis {}…", ctx.territory_dir().display());
        drop(store);
        let args = ImportOptionalPathArgs { path: None, quiet: true };
        if let Err(e) = crate::commands::territoire::import(ctx, args) {
            eprintln!("avertissement : données territoriales non importées ({e}) ; le site fonctionne sans contexte territorial");
        }
        store = ctx.open_store()?;
    }
    if store.has_territory()? {
        let departements = store
            .departements()?
            .into_iter()
            .map(|d| DeptEntry { code: d.code.to_string(), nom: d.nom })
            .collect();
        let parents = state.catalog.referential.fiches.iter().map(|f| (f.code, f.parent)).collect();
        let documents_store = ctx.open_store()?;
        state = state.with_territory(Box::new(StoreTerritory { store: Mutex::new(store), parents }), departements);
        state = state.with_documents(Box::new(RenderDocuments { store: Some(Mutex::new(documents_store)), now: ctx.now.clone() }));
    } else {
        state = state.with_documents(Box::new(RenderDocuments { store: None, now: ctx.now.clone() }));
    }
    // The method page shows the method document the binary was built with.
    Ok(state.with_methode(include_str!("../../docs/methode.md").to_string()))
}

/// Territorial context read from the store (read-only queries).
struct StoreTerritory {
    store: Mutex<Store>,
    parents: std::collections::HashMap<RomeCode, RomeCode>,
}

impl TerritoryProvider for StoreTerritory {
    fn context(&self, dept: DeptCode, rome: Option<RomeCode>) -> Result<Option<serde_json::Value>, String> {
        let store = self.store.lock().map_err(|_| "base verrouillée".to_string())?;
        let job = rome.map(|r| (r, self.parents.get(&r).copied()));
        let ctx = store.territorial_context(dept, job).map_err(|e| e.to_string())?;
        ctx.map(|c| serde_json::to_value(c).map_err(|e| e.to_string())).transpose()
    }
}

/// The documents of crates/render (fiche passerelle, parcours), built from
/// the shared state and the store's territorial context.
struct RenderDocuments {
    /// `None` when no territorial data was imported.
    store: Option<Mutex<Store>>,
    now: Option<String>,
}

impl RenderDocuments {
    fn territory(&self, state: &AppState, dept: Option<DeptCode>, job: &passerelle_core::Job) -> Result<Option<TerritorialContext>, String> {
        let (Some(dept), Some(store)) = (dept, &self.store) else { return Ok(None) };
        let store = store.lock().map_err(|_| "base verrouillée".to_string())?;
        let parent = state.catalog.referential.fiche(job.fiche).map(|f| f.parent);
        store.territorial_context(dept, Some((job.fiche, parent))).map_err(|e| e.to_string())
    }

    fn now(&self) -> String {
        match &self.now {
            Some(s) if s.len() == 10 => format!("{s}T00:00:00Z"),
            Some(s) => s.clone(),
            None => crate::context::rfc3339_utc(std::time::SystemTime::now()),
        }
    }
}

fn rendered(bytes: Vec<u8>, format: DocFormat) -> Rendered {
    let style_hashes = match format {
        DocFormat::Html => vec![passerelle_render::html::css_csp_hash().trim_matches('\'').to_string()],
        _ => Vec::new(),
    };
    Rendered { bytes, style_hashes }
}

impl DocumentProvider for RenderDocuments {
    fn fiche(&self, state: &AppState, target: &passerelle_core::Job, dept: Option<DeptCode>, format: DocFormat) -> Result<Rendered, String> {
        let doc = build_fiche(FicheInput {
            catalog: &state.catalog,
            engine: &state.engine,
            target,
            dept,
            territory: self.territory(state, dept, target)?,
            sources: Vec::new(),
            detailed: 3,
            limit: 15,
            enquete: None,
            generated_at: self.now(),
            entretiens: None,
        })
        .map_err(|e| e.to_string())?;
        let bytes = match format {
            DocFormat::Json => serde_json::to_vec_pretty(&doc).map_err(|e| e.to_string())?,
            DocFormat::Html => passerelle_render::html::fiche(&doc).into_bytes(),
            DocFormat::Pdf => passerelle_render::pdf::fiche(&doc).map_err(|e| e.to_string())?,
        };
        Ok(rendered(bytes, format))
    }

    fn parcours(
        &self,
        state: &AppState,
        source: &passerelle_core::Job,
        target: &passerelle_core::Job,
        dept: Option<DeptCode>,
        format: DocFormat,
    ) -> Result<Rendered, String> {
        let doc = build_parcours(ParcoursInput {
            catalog: &state.catalog,
            engine: &state.engine,
            source,
            target,
            dept,
            territory: self.territory(state, dept, target)?,
            generated_at: self.now(),
        })
        .map_err(|e| e.to_string())?;
        let bytes = match format {
            DocFormat::Json => serde_json::to_vec_pretty(&doc).map_err(|e| e.to_string())?,
            DocFormat::Html => passerelle_render::html::parcours(&doc).into_bytes(),
            DocFormat::Pdf => passerelle_render::pdf::parcours(&doc).map_err(|e| e.to_string())?,
        };
        Ok(rendered(bytes, format))
    }
}
