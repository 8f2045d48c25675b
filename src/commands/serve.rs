//! `passerelle serve [--addr 127.0.0.1:8080]`: the web application and the
//! JSON API (crates/server). On first run the ROME is imported from
//! `PASSERELLE_DATA`; then everything is loaded as one snapshot of one data
//! version, reloaded whole when an import commits a new version.

use std::sync::{Arc, Mutex, Weak};
use std::time::Instant;

use anyhow::Context as _;
use passerelle_core::territory::context::TerritorialContext;
use passerelle_core::territory::local::LocalMarket;
use passerelle_core::territory::territorial_context;
use passerelle_core::text::fr_int;
use passerelle_core::{DeptCode, RomeCode};
use passerelle_render::document::Entretiens;
use passerelle_render::{FicheRequest, LookupError, Lookups, Pipeline};
use passerelle_server::{
    Announcements, App, AppState, Cancel, DeptEntry, DocFormat, DocumentProvider, IndexSearch,
    ProviderError, ReloadError, Reloader, Rendered, TerritoryProvider,
};
use passerelle_store::territory::TerritoryRepository;
use passerelle_store::{DataVersionListener, DbLocation, Store};

use crate::args::*;
use crate::clock::Clock;
use crate::context::Context;

pub fn run(ctx: &Context, args: ServeArgs) -> anyhow::Result<()> {
    let addr = args.addr;
    let poll = poll_period()?;
    let started = Instant::now();
    let state = build_state(ctx)?;
    let summary = format!(
        "{} fiches, {} appellations, {} profil(s) de poste{}",
        fr_int(state.catalog.referential.fiches.len() as u64),
        fr_int(state.catalog.referential.appellations.len() as u64),
        state.catalog.postes.len(),
        if state.territory.is_some() {
            ", données territoriales"
        } else {
            ""
        }
    );
    let stamp = state.stamp;
    let reloader = StoreReloader::new(ctx);
    let app = App::new(Arc::new(state)).with_reloader(Box::new(reloader), poll);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("démarrage de tokio")?;
    let out = runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .with_context(|| format!("écoute sur {addr} impossible"))?;
        eprintln!(
            "Passerelle écoute sur http://{} ({summary} ; prêt en {} ms). Ctrl-C pour arrêter.",
            listener.local_addr()?,
            started.elapsed().as_millis()
        );
        tracing::info!(adresse = %listener.local_addr()?, version_donnees = stamp, "serveur démarré");
        app.serve(listener).await.context("serveur HTTP")?;
        eprintln!("Passerelle arrêté.");
        anyhow::Ok(())
    });
    // Work abandoned by a forced stop ends at its next cancellation check.
    runtime.shutdown_timeout(std::time::Duration::from_secs(5));
    out
}

/// Everything the server reads (importing the ROME, the demo profiles, the
/// territorial data and the demo training offer on first run), as one snapshot.
pub fn build_state(ctx: &Context) -> anyhow::Result<AppState> {
    first_run(ctx)?;
    load_snapshot(ctx).map(|(state, _)| state)
}

/// First run: imports what an empty database lacks.
fn first_run(ctx: &Context) -> anyhow::Result<()> {
    use passerelle_store::{PosteRepository, ProfileRepository, RomeRepository};
    // Without data and without a database, say where we looked and what to
    // run, before creating any file.
    if !ctx.rome_dir().is_dir() && !ctx.has_imported_referential()? {
        anyhow::bail!(ctx.no_data_message());
    }
    let store = ctx.open_store()?;
    let complete = store.has_referential()?
        && !store.load_surveys()?.is_empty()
        && !store.load_postes()?.is_empty();
    if !complete {
        drop(store);
        ctx.referential_or_import()?;
    }
    let store = ctx.open_store()?;
    if !store.has_territory()? && ctx.territory_dir().is_dir() {
        eprintln!(
            "Première utilisation : import des données territoriales depuis {}…",
            ctx.territory_dir().display()
        );
        drop(store);
        let args = ImportTerritoireArgs {
            sources: Vec::new(),
            quiet: true,
            download: DownloadArgs {
                timeout: passerelle_fetch::Limits::DEFAULT_TIMEOUT_SECS,
                max_size: passerelle_fetch::Limits::DEFAULT_MAX_BYTES,
            },
        };
        if let Err(e) = crate::commands::territoire::import(ctx, args) {
            eprintln!(
                "avertissement : données territoriales non importées ({e}) ; le site fonctionne sans contexte territorial"
            );
        }
        crate::commands::territoire::ensure_demo_formations(ctx)?;
    }
    Ok(())
}

/// How many database connections a snapshot keeps for its reads.
const SNAPSHOT_CONNECTIONS: usize = 2;

/// Opens the snapshot's connections, each pinned to the same data version
/// (retrying when an import commits between two of them).
fn pinned_connections(ctx: &Context) -> anyhow::Result<(u64, Vec<Store>)> {
    for _ in 0..5 {
        let mut stores = Vec::new();
        let mut versions = std::collections::BTreeSet::new();
        for _ in 0..SNAPSHOT_CONNECTIONS {
            let store = ctx.open_store()?;
            versions.insert(store.pin_snapshot()?);
            stores.push(store);
        }
        if versions.len() == 1 {
            return Ok((*versions.first().expect("une version"), stores));
        }
    }
    anyhow::bail!("les imports se succèdent trop vite pour lire une version cohérente des données")
}

/// One snapshot: referential, postes, surveys, engine, search index and
/// territorial data, all read at one data version. The database
/// connections stay pinned to that version for the territorial reads of
/// pages and documents, so that every figure served comes from it. Also
/// returns those connections, weakly: the state holds them when it has
/// territorial data (else they are already closed).
pub fn load_snapshot(ctx: &Context) -> anyhow::Result<(AppState, Weak<Pinned>)> {
    use passerelle_store::RomeRepository;
    let t = Instant::now();
    let (stamp, stores) = pinned_connections(ctx)?;
    let store = &stores[0];
    let referential = store.load_referential()?;
    tracing::info!(
        ms = t.elapsed().as_millis() as u64,
        version_donnees = stamp,
        "référentiel chargé"
    );
    // The search index needs only the referential: build it on another
    // thread while the catalog (estimated profiles) and the engine are built.
    let (catalog, engine, index) = std::thread::scope(|s| {
        let for_index = referential.clone();
        let index = s.spawn(move || passerelle_search::SearchIndex::build(&for_index));
        let built = crate::context::catalog_from(store, referential).map(|catalog| {
            tracing::info!(ms = t.elapsed().as_millis() as u64, "catalogue construit");
            let engine = passerelle_core::engine::Engine::new(&catalog);
            engine.prepare();
            (catalog, engine)
        });
        let index = index
            .join()
            .map_err(|_| anyhow::anyhow!("construction de l'index de recherche interrompue"))?;
        let (catalog, engine) = built?;
        anyhow::Ok((catalog, engine, index.map_err(|e| anyhow::anyhow!("{e}"))?))
    })?;
    tracing::info!(
        ms = t.elapsed().as_millis() as u64,
        "moteur et index de recherche construits"
    );
    let search = IndexSearch::with_index(index, &catalog);
    let mut state = AppState::from_parts(catalog, engine, Box::new(search))
        .with_now(ctx.clock.fixed_rfc3339())
        .with_stamp(stamp);
    let has_territory = store.has_territory()?;
    let departements: Vec<DeptEntry> = if has_territory {
        store
            .departements()?
            .into_iter()
            .map(|d| DeptEntry {
                code: d.code.to_string(),
                nom: d.nom,
            })
            .collect()
    } else {
        Vec::new()
    };
    let pinned = Arc::new(Pinned::new(stores));
    let weak = Arc::downgrade(&pinned);
    if has_territory {
        let territory = StoreTerritory::new(pinned.clone(), &state.catalog.referential);
        state = state.with_territory(Box::new(territory), departements);
        state = state.with_documents(Box::new(RenderDocuments {
            store: Some(pinned),
            clock: ctx.clock,
        }));
    } else {
        state = state.with_documents(Box::new(RenderDocuments {
            store: None,
            clock: ctx.clock,
        }));
    }
    Ok((state, weak))
}

/// How often the data version is polled: `PASSERELLE_RELOAD_POLL` seconds,
/// else [`passerelle_server::RELOAD_EVERY`]. On PostgreSQL the poll is only
/// the fallback of `NOTIFY`; a test sets it very long to show that
/// announcements alone move the replicas (docs/deploy.md).
fn poll_period() -> anyhow::Result<std::time::Duration> {
    match std::env::var("PASSERELLE_RELOAD_POLL") {
        Err(_) => Ok(passerelle_server::RELOAD_EVERY),
        Ok(v) => match v.trim().parse::<u64>() {
            Ok(secs) if secs > 0 => Ok(std::time::Duration::from_secs(secs)),
            _ => anyhow::bail!(
                "PASSERELLE_RELOAD_POLL : « {v} » n'est pas un nombre de secondes (ex. 2)"
            ),
        },
    }
}

/// Reloads from the database (see `passerelle_server::live`): the version
/// is one read on a connection of its own, kept between polls (reopened
/// after an error), which also empties the SQLite WAL after a reload; a
/// new snapshot is [`load_snapshot`]. On PostgreSQL an import's `NOTIFY`
/// triggers the reload at once ([`PgAnnouncements`]); the poll stays, as
/// the fallback and for SQLite (docs/deploy.md).
struct StoreReloader {
    ctx: Context,
    probe: Mutex<Option<Store>>,
    /// The version and the pinned connections of the last snapshot loaded.
    loaded: Mutex<Option<(u64, Weak<Pinned>)>>,
}

impl StoreReloader {
    fn new(ctx: &Context) -> StoreReloader {
        StoreReloader {
            ctx: ctx.clone(),
            probe: Mutex::new(None),
            loaded: Mutex::new(None),
        }
    }
}

impl StoreReloader {
    /// Runs `f` on the reloader's own connection, opened on first use and
    /// dropped after an error (reopened next time); `failed` names the step.
    fn on_probe<T>(
        &self,
        failed: fn(passerelle_server::StoreFailure) -> ReloadError,
        f: impl FnOnce(&Store) -> passerelle_store::Result<T>,
    ) -> Result<T, ReloadError> {
        let mut probe = self.probe.lock().map_err(|_| ReloadError::Locked)?;
        if probe.is_none() {
            *probe = Some(self.ctx.open_store().map_err(|e| failed(e.into()))?);
        }
        f(probe.as_ref().expect("connexion ouverte")).map_err(|e| {
            *probe = None;
            failed(e.into())
        })
    }
}

impl Reloader for StoreReloader {
    fn version(&self) -> Result<u64, ReloadError> {
        self.on_probe(ReloadError::Version, Store::data_version)
    }

    fn load(&self) -> Result<AppState, ReloadError> {
        let (state, pinned) = load_snapshot(&self.ctx).map_err(|e| ReloadError::Load(e.into()))?;
        *self.loaded.lock().map_err(|_| ReloadError::Locked)? = Some((state.stamp, pinned));
        Ok(state)
    }

    /// The old snapshot is gone. On SQLite, the WAL is emptied with the
    /// new snapshot re-pinned at its version ([`SqliteStore::reclaim_wal`]),
    /// so that it does not grow with every import.
    ///
    /// [`SqliteStore::reclaim_wal`]: passerelle_store::SqliteStore::reclaim_wal
    fn settle(&self) -> Result<(), ReloadError> {
        let loaded = self.loaded.lock().map_err(|_| ReloadError::Locked)?.clone();
        let Some((stamp, pinned)) = loaded else {
            return Ok(());
        };
        self.on_probe(ReloadError::Settle, |store| {
            let Store::Sqlite(store) = store else {
                return Ok(());
            };
            let reclaimed = store.reclaim_wal(stamp, &mut || match pinned.upgrade() {
                Some(p) => p.repin(stamp),
                None => Ok(()),
            })?;
            tracing::debug!(version_donnees = stamp, reclaimed, "journal WAL vidé");
            Ok(())
        })
    }

    fn announcements(&self) -> Option<Box<dyn Announcements>> {
        match &self.ctx.db {
            DbLocation::Postgres(url) => Some(Box::new(PgAnnouncements {
                url: url.clone(),
                listener: None,
            })),
            DbLocation::Sqlite(_) => None,
        }
    }
}

/// PostgreSQL's `NOTIFY` of each import, through a listening connection of
/// its own, reopened after an error.
struct PgAnnouncements {
    url: String,
    listener: Option<DataVersionListener>,
}

impl Announcements for PgAnnouncements {
    fn wait(&mut self, timeout: std::time::Duration) -> Result<bool, ReloadError> {
        let Some(listener) = &mut self.listener else {
            let listener = DataVersionListener::connect(&self.url)
                .map_err(|e| ReloadError::Announcements(e.into()))?;
            self.listener = Some(listener);
            // An import may have committed while nobody listened.
            return Ok(true);
        };
        listener.wait(timeout).map(|v| v.is_some()).map_err(|e| {
            self.listener = None;
            ReloadError::Announcements(e.into())
        })
    }
}

/// The snapshot's database connections, all pinned to its data version.
/// A read takes a free one, else waits for the first.
pub(crate) struct Pinned {
    stores: Vec<Mutex<Store>>,
}

impl Pinned {
    pub(crate) fn new(stores: Vec<Store>) -> Pinned {
        Pinned {
            stores: stores.into_iter().map(Mutex::new).collect(),
        }
    }

    /// Pins every connection again, at `stamp` (SQLite; see
    /// [`passerelle_store::SqliteStore::reclaim_wal`], which holds imports
    /// off meanwhile). A request reading through one waits for it.
    fn repin(&self, stamp: u64) -> passerelle_store::Result<()> {
        for m in &self.stores {
            let store = m.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            if let Store::Sqlite(s) = &*store {
                let version = s.repin()?;
                debug_assert_eq!(version, stamp, "imports are held off while re-pinning");
            }
        }
        Ok(())
    }

    fn with<T>(&self, f: impl FnOnce(&Store) -> T) -> Result<T, String> {
        for m in &self.stores {
            if let Ok(store) = m.try_lock() {
                return Ok(f(&store));
            }
        }
        let store = self.stores[0]
            .lock()
            .map_err(|_| "base verrouillée".to_string())?;
        Ok(f(&store))
    }
}

/// Territorial context read from the store's connections: the snapshot's
/// pinned ones when serving, the one connection of a command.
pub(crate) struct StoreTerritory {
    store: Arc<Pinned>,
    /// Each fiche's ROME v3 parent, where older figures are counted.
    parents: std::collections::HashMap<RomeCode, RomeCode>,
}

impl StoreTerritory {
    pub(crate) fn new(store: Arc<Pinned>, referential: &passerelle_core::Referential) -> Self {
        let parents = referential
            .fiches
            .iter()
            .map(|f| (f.code, f.parent))
            .collect();
        StoreTerritory { store, parents }
    }
}

impl TerritoryProvider for StoreTerritory {
    fn context(
        &self,
        dept: DeptCode,
        rome: Option<RomeCode>,
    ) -> Result<Option<TerritorialContext>, ProviderError> {
        let job = rome.map(|r| (r, self.parents.get(&r).copied()));
        self.store
            .with(|s| s.context_rows(dept, job))
            .map_err(ProviderError::Connection)?
            .map(|rows| rows.map(territorial_context))
            .map_err(ProviderError::read)
    }

    fn local_market(&self, dept: DeptCode) -> Result<Option<LocalMarket>, ProviderError> {
        self.store
            .with(|s| s.market_rows(dept))
            .map_err(ProviderError::Connection)?
            .map(|rows| rows.map(|r| LocalMarket::new(r, self.parents.clone())))
            .map_err(ProviderError::read)
    }
}

/// The documents of crates/render (fiche passerelle, parcours), made by its
/// pipeline from the shared state and the snapshot's territorial context.
struct RenderDocuments {
    /// `None` when no territorial data was imported.
    store: Option<Arc<Pinned>>,
    /// Read at each document: the generation date is the request's.
    clock: Clock,
}

impl RenderDocuments {
    fn pipeline<'a>(&'a self, state: &'a AppState, cancel: &'a dyn Fn() -> bool) -> Pipeline<'a> {
        Pipeline {
            cancelled: cancel,
            ..Pipeline::new(
                &state.catalog,
                &state.engine,
                self,
                self.clock.now_rfc3339(),
            )
        }
    }
}

/// The server reads the territory from the snapshot's pinned connections,
/// and no authored interviews (the CLI reads them from files).
impl Lookups for RenderDocuments {
    fn territory(
        &self,
        dept: DeptCode,
        fiche: RomeCode,
        parent: Option<RomeCode>,
    ) -> Result<Option<TerritorialContext>, LookupError> {
        let Some(store) = &self.store else {
            return Ok(None);
        };
        store.with(|s| crate::commands::documents::territory_context(s, dept, fiche, parent))?
    }

    fn entretiens(
        &self,
        _: DeptCode,
        _: &passerelle_core::Job,
    ) -> Result<Option<Entretiens>, LookupError> {
        Ok(None)
    }
}

impl DocumentProvider for RenderDocuments {
    fn fiche(
        &self,
        state: &AppState,
        target: &passerelle_core::Job,
        sources: &[passerelle_core::Job],
        dept: Option<DeptCode>,
        format: DocFormat,
        cancel: &Cancel,
    ) -> Result<Rendered, ProviderError> {
        let cancelled = || cancel.is_cancelled();
        let request = FicheRequest {
            target,
            dept,
            sources,
            enquete: None,
        };
        self.pipeline(state, &cancelled)
            .fiche(request, format)
            .map_err(ProviderError::Document)
    }

    fn parcours(
        &self,
        state: &AppState,
        source: &passerelle_core::Job,
        target: &passerelle_core::Job,
        dept: Option<DeptCode>,
        format: DocFormat,
        cancel: &Cancel,
    ) -> Result<Rendered, ProviderError> {
        let cancelled = || cancel.is_cancelled();
        self.pipeline(state, &cancelled)
            .parcours(source, target, dept, format)
            .map_err(ProviderError::Document)
    }
}
