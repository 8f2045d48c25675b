//! Waiting for new data versions: how replicas learn that an import committed.

use std::time::Duration;

use postgres::fallible_iterator::FallibleIterator;
use postgres::{Client, NoTls};

use super::{DATA_CHANNEL, off_runtime, redact_url};
use crate::{Result, SqlContext, StoreError};

/// A dedicated connection that `LISTEN`s on [`DATA_CHANNEL`].
///
/// Blocking: give it its own thread. Typical use in a server that keeps one
/// snapshot of the data and swaps it atomically:
///
/// ```no_run
/// # fn reload(_: u64) {}
/// use std::time::Duration;
/// use passerelle_store::DataVersionListener;
///
/// let url = "postgres://passerelle@127.0.0.1:5432/passerelle".to_string();
/// std::thread::spawn(move || -> passerelle_store::Result<()> {
///     let mut listener = DataVersionListener::connect(&url)?;
///     let mut served = listener.current()?;
///     loop {
///         // Wakes up at least every 30 s, to notice a shutdown flag if any.
///         if let Some(v) = listener.wait(Duration::from_secs(30))? {
///             if v != served {
///                 reload(v);
///                 served = v;
///             }
///         }
///     }
/// });
/// ```
///
/// The version returned is read from the database, not taken from the
/// notification's payload: a burst of imports gives one reload, at the latest
/// version. When the connection breaks, `wait` returns the error; reconnect,
/// then compare [`DataVersionListener::current`] with the served version, as
/// an import may have committed in between.
pub struct DataVersionListener {
    client: Client,
    /// The latest version `wait` returned: a notification for it or an
    /// older one (delivered late, after that read) does not wake up again.
    seen: u64,
}

impl DataVersionListener {
    /// Opens a connection to `url` and starts listening.
    pub fn connect(url: &str) -> Result<Self> {
        let shown = redact_url(url);
        off_runtime(|| {
            let mut client = Client::connect(url, NoTls).map_err(|source| StoreError::PgOpen {
                url: shown.clone(),
                source,
            })?;
            // The channel name is a constant of this crate.
            client
                .batch_execute(&format!("LISTEN {DATA_CHANNEL}"))
                .ctx("abonnement aux nouvelles versions")?;
            Ok(DataVersionListener { client, seen: 0 })
        })
    }

    /// The data version the database is at now.
    pub fn current(&mut self) -> Result<u64> {
        off_runtime(|| {
            let v: i64 = self
                .client
                .query_one("SELECT counter FROM data_version WHERE id = 1", &[])
                .ctx("lecture de la version des données")?
                .get(0);
            Ok(v as u64)
        })
    }

    /// Blocks until an import commits a version newer than the last one
    /// returned (then returns the database's current version) or `timeout`
    /// passes (then `None`).
    pub fn wait(&mut self, timeout: Duration) -> Result<Option<u64>> {
        let deadline = std::time::Instant::now() + timeout;
        let seen = self.seen;
        let notified = off_runtime(|| {
            let mut notifications = self.client.notifications();
            loop {
                let left = deadline.saturating_duration_since(std::time::Instant::now());
                let Some(n) = notifications
                    .timeout_iter(left)
                    .next()
                    .ctx("attente d'une nouvelle version")?
                else {
                    return Ok(false);
                };
                // The payload is the version the import committed; an
                // unreadable one counts as new.
                if n.payload().parse::<u64>().map_or(true, |v| v > seen) {
                    break;
                }
            }
            // Drop the ones already queued: one reload covers them.
            let mut queued = notifications.iter();
            while queued
                .next()
                .ctx("attente d'une nouvelle version")?
                .is_some()
            {}
            Ok(true)
        })?;
        if !notified {
            return Ok(None);
        }
        let v = self.current()?;
        self.seen = self.seen.max(v);
        Ok(Some(v))
    }
}
