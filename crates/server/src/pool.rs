//! Blocking work off the async workers. Rendering a PDF, ranking with
//! custom weights or a variant, and reading SQLite take milliseconds to
//! seconds of CPU: run on the two tokio workers, they made `/healthz` wait
//! 6–8 s (issue 14). Each kind of work runs on tokio's blocking threads
//! behind its own semaphore (a concurrency limit per kind), with a bounded
//! number of requests allowed to wait.
//!
//! Admission knows the pool's capacity (issue 25): each pool keeps a
//! moving average of its recent service times, and a request that would
//! wait behind the others so long that it could not finish before the
//! request deadline is shed at once — 503 with `Retry-After` (the estimated
//! wait) and a French body — instead of waiting to be answered 408 at the
//! deadline. Those admitted are the ones the pool can finish in time.
//!
//! A job gets a [`Cancel`] flag, set when the request's future is dropped
//! (the client left, or the 20 s timeout answered 408); jobs check it
//! between stages and stop there instead of finishing for nobody.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};

use axum::http::StatusCode;
use tokio::sync::Semaphore;

use crate::error::{ApiError, ErrorCode};

/// The kinds of blocking work, each with its own limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Work {
    /// Fiche passerelle and parcours documents (PDF, HTML, JSON).
    Documents,
    /// Rankings, gaps, variants and the pages built from them.
    Calcul,
    /// Reads of the database (territorial context).
    Base,
}

impl Work {
    /// The service time assumed before the pool has finished a job: a
    /// cautious guess (a PDF takes 0,3 to 1 s on one core), replaced by the
    /// measured average from the first job on.
    fn prior_service(self) -> std::time::Duration {
        std::time::Duration::from_millis(match self {
            Work::Documents => 1000,
            Work::Calcul => 200,
            Work::Base => 20,
        })
    }

    pub fn label_fr(self) -> &'static str {
        match self {
            Work::Documents => "rendu de documents",
            Work::Calcul => "calcul de classements",
            Work::Base => "lecture de la base",
        }
    }
}

/// How many jobs of one kind run at once, and how many requests may wait
/// for a slot before the next one is shed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolLimits {
    pub running: usize,
    pub waiting: usize,
}

/// The limits of every kind of work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorkLimits {
    pub documents: PoolLimits,
    pub calcul: PoolLimits,
    pub base: PoolLimits,
    /// Seconds announced in `Retry-After` when a request is shed (at
    /// least; more when the estimated wait is longer).
    pub retry_after: u32,
    /// The time a request has to be answered: work that could not finish
    /// within it is not admitted.
    pub deadline: std::time::Duration,
}

impl Default for WorkLimits {
    /// Heavy work gets at most half the cores each, so that a core stays for
    /// the async workers (health checks, cached API answers); database reads
    /// are short and get one per core.
    fn default() -> Self {
        let cores = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(2);
        let half = (cores / 2).max(1);
        WorkLimits {
            // The waits are bounded by time (the deadline, estimated from
            // the service times); these counts are only a safety net.
            documents: PoolLimits {
                running: half,
                waiting: 128,
            },
            calcul: PoolLimits {
                running: half,
                waiting: 256,
            },
            base: PoolLimits {
                running: cores,
                waiting: 512,
            },
            retry_after: 2,
            deadline: crate::REQUEST_TIMEOUT,
        }
    }
}

/// Set when nobody waits for the job's result any more.
#[derive(Debug, Clone, Default)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    pub fn new() -> Cancel {
        Cancel::default()
    }

    pub fn cancel(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }

    /// `Err` once cancelled: call between stages and return the error.
    pub fn check(&self) -> Result<(), ApiError> {
        if self.is_cancelled() {
            return Err(ApiError::new(
                StatusCode::REQUEST_TIMEOUT,
                ErrorCode::DelaiDepasse,
                "requête abandonnée (client parti ou délai dépassé)",
            ));
        }
        Ok(())
    }
}

/// Cancels when dropped unless disarmed: the request future holds it, so a
/// dropped future (client gone, timeout) stops the job.
struct CancelOnDrop(Option<Cancel>);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        if let Some(c) = self.0.take() {
            c.cancel();
        }
    }
}

/// Decrements the waiting count when the wait ends, however it ends.
struct Waiting<'a>(&'a AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// One kind of work: a semaphore, a bounded wait, and its service times.
pub(crate) struct Pool {
    work: Work,
    slots: Arc<Semaphore>,
    running: usize,
    waiting: AtomicUsize,
    max_waiting: usize,
    retry_after: u32,
    deadline: std::time::Duration,
    /// Moving average of the recent service times, in microseconds (0
    /// before the first job, when [`Work::prior_service`] stands in).
    service_us: Arc<AtomicU64>,
    /// Requests shed since start.
    pub(crate) shed: AtomicU64,
}

/// Weight of the newest service time in the moving average.
const SERVICE_ALPHA: f64 = 0.2;

impl Pool {
    fn new(
        work: Work,
        limits: PoolLimits,
        retry_after: u32,
        deadline: std::time::Duration,
    ) -> Pool {
        Pool {
            work,
            slots: Arc::new(Semaphore::new(limits.running.max(1))),
            running: limits.running.max(1),
            waiting: AtomicUsize::new(0),
            max_waiting: limits.waiting,
            retry_after,
            deadline,
            service_us: Arc::new(AtomicU64::new(0)),
            shed: AtomicU64::new(0),
        }
    }

    /// How long a request that finds `ahead` requests waiting would take
    /// to be served: its turn (every slot busy, `ahead` before it, served
    /// `running` at a time) and its own service.
    fn estimated_finish(&self, ahead: usize) -> std::time::Duration {
        let service = self.service().as_micros() as f64;
        let rounds = (ahead / self.running) as f64 + 1.0;
        std::time::Duration::from_micros((service * (rounds + 1.0)) as u64)
    }

    /// The average service time, or the prior before the first job.
    fn service(&self) -> std::time::Duration {
        match self.service_us.load(Ordering::Relaxed) {
            0 => self.work.prior_service(),
            us => std::time::Duration::from_micros(us),
        }
    }

    fn shed_now(&self, wait: std::time::Duration) -> ApiError {
        self.shed.fetch_add(1, Ordering::Relaxed);
        let seconds = u32::try_from(wait.as_secs().saturating_add(1)).unwrap_or(u32::MAX);
        ApiError::overloaded(self.work.label_fr(), self.retry_after.max(seconds))
    }

    /// Runs `job` on a blocking thread once a slot is free, or sheds the
    /// request when too many already wait. The slot is held by the job
    /// itself, so an abandoned job still counts until it reaches its next
    /// [`Cancel::check`].
    pub(crate) async fn run<T, E, F>(&self, job: F) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<ApiError> + Send + 'static,
        F: FnOnce(&Cancel) -> Result<T, E> + Send + 'static,
    {
        let permit = match self.slots.clone().try_acquire_owned() {
            Ok(p) => p,
            Err(_) => {
                let ahead = self.waiting.fetch_add(1, Ordering::SeqCst);
                let finish = self.estimated_finish(ahead);
                if ahead >= self.max_waiting || finish >= self.deadline {
                    self.waiting.fetch_sub(1, Ordering::SeqCst);
                    return Err(self.shed_now(finish).into());
                }
                let _waiting = Waiting(&self.waiting);
                let queued = std::time::Instant::now();
                let permit = self
                    .slots
                    .clone()
                    .acquire_owned()
                    .await
                    .map_err(|_| ApiError::internal("file de travail fermée"))?;
                // Admitted on an estimate that the wait proved wrong (the
                // first jobs were slower than thought): a job that cannot
                // finish any more before the deadline is not started.
                let service = self.service();
                if queued.elapsed() + service >= self.deadline {
                    drop(permit);
                    return Err(self.shed_now(service).into());
                }
                permit
            }
        };
        let cancel = Cancel::new();
        let mut guard = CancelOnDrop(Some(cancel.clone()));
        let service_us = self.service_us.clone();
        let handle = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            cancel.check()?;
            let started = std::time::Instant::now();
            let out = job(&cancel);
            record(&service_us, started.elapsed());
            out
        });
        let out = handle.await;
        guard.0 = None;
        match out {
            Ok(r) => r,
            // A panic in the job is a panic of the handler: CatchPanicLayer answers 500.
            Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
            Err(_) => Err(ApiError::internal("tâche de calcul interrompue").into()),
        }
    }
}

/// Folds a service time into the moving average.
fn record(average_us: &AtomicU64, took: std::time::Duration) {
    let took = took.as_micros().min(u128::from(u64::MAX)) as f64;
    let _ = average_us.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |old| {
        let next = if old == 0 {
            took
        } else {
            SERVICE_ALPHA * took + (1.0 - SERVICE_ALPHA) * old as f64
        };
        Some(next.max(1.0) as u64)
    });
}

/// The pools of the server, one per [`Work`].
pub(crate) struct Pools {
    documents: Pool,
    calcul: Pool,
    base: Pool,
}

impl Pools {
    pub(crate) fn new(limits: WorkLimits) -> Pools {
        Pools {
            documents: Pool::new(
                Work::Documents,
                limits.documents,
                limits.retry_after,
                limits.deadline,
            ),
            calcul: Pool::new(
                Work::Calcul,
                limits.calcul,
                limits.retry_after,
                limits.deadline,
            ),
            base: Pool::new(Work::Base, limits.base, limits.retry_after, limits.deadline),
        }
    }

    pub(crate) fn get(&self, work: Work) -> &Pool {
        match work {
            Work::Documents => &self.documents,
            Work::Calcul => &self.calcul,
            Work::Base => &self.base,
        }
    }

    /// Requests shed since start, all kinds together.
    pub(crate) fn shed(&self) -> u64 {
        [&self.documents, &self.calcul, &self.base]
            .iter()
            .map(|p| p.shed.load(Ordering::Relaxed))
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_full_queue_sheds_with_503_and_retry_after() {
        let pool = Arc::new(Pool::new(
            Work::Documents,
            PoolLimits {
                running: 1,
                waiting: 1,
            },
            3,
            crate::REQUEST_TIMEOUT,
        ));
        let (tx, rx) = std::sync::mpsc::channel::<()>();
        let rx = Arc::new(std::sync::Mutex::new(rx));
        // One job runs (blocked on the channel), one waits: the third is shed.
        let spawn = |pool: Arc<Pool>, rx: Arc<std::sync::Mutex<std::sync::mpsc::Receiver<()>>>| {
            tokio::spawn(async move {
                pool.run(move |_| Ok::<_, ApiError>(rx.lock().unwrap().recv().is_ok()))
                    .await
            })
        };
        let a = spawn(pool.clone(), rx.clone());
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        let b = spawn(pool.clone(), rx.clone());
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        let e = pool.run(|_| Ok::<_, ApiError>(())).await.unwrap_err();
        assert_eq!(e.status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(e.code, ErrorCode::ServeurOccupe);
        // At least the configured 3 s; more when the estimated wait is longer.
        assert!(e.retry_after.is_some_and(|s| s >= 3), "{:?}", e.retry_after);
        assert!(
            e.message.contains("serveur occupé (rendu de documents)"),
            "{}",
            e.message
        );
        tx.send(()).unwrap();
        tx.send(()).unwrap();
        assert!(
            a.await.unwrap().unwrap() && b.await.unwrap().unwrap(),
            "les deux premières finissent"
        );
        assert_eq!(pool.shed.load(Ordering::Relaxed), 1);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_dropped_request_cancels_its_job() {
        let pool = Arc::new(Pool::new(
            Work::Calcul,
            PoolLimits {
                running: 1,
                waiting: 1,
            },
            1,
            crate::REQUEST_TIMEOUT,
        ));
        let (seen_tx, seen_rx) = std::sync::mpsc::channel::<bool>();
        let p = pool.clone();
        let request = tokio::spawn(async move {
            p.run(move |cancel| {
                // Stage 1 takes a while; the request is dropped meanwhile.
                std::thread::sleep(std::time::Duration::from_millis(300));
                seen_tx.send(cancel.is_cancelled()).unwrap();
                cancel.check()?;
                Ok::<_, ApiError>(())
            })
            .await
        });
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        request.abort();
        let cancelled = tokio::task::spawn_blocking(move || seen_rx.recv().unwrap())
            .await
            .unwrap();
        assert!(
            cancelled,
            "le travail voit que personne n'attend plus son résultat"
        );
    }

    /// Work that could not finish before the deadline is shed at once with
    /// 503 and the estimated wait, while the requests the pool can finish in
    /// time are admitted and served (none gets a 408).
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn work_that_cannot_finish_before_the_deadline_is_shed_at_once() {
        let service = std::time::Duration::from_millis(200);
        let pool = Arc::new(Pool::new(
            Work::Calcul,
            PoolLimits {
                running: 1,
                waiting: 100,
            },
            1,
            std::time::Duration::from_millis(1000),
        ));
        // One job teaches the pool its service time.
        pool.run(move |_| {
            std::thread::sleep(service);
            Ok::<_, ApiError>(())
        })
        .await
        .unwrap();
        // Eight requests at once on one slot: 200 ms each, 1 s to answer.
        let started = std::time::Instant::now();
        let requests: Vec<_> = (0..8)
            .map(|_| {
                let p = pool.clone();
                tokio::spawn(async move {
                    let out = p
                        .run(move |_| {
                            std::thread::sleep(service);
                            Ok::<_, ApiError>(())
                        })
                        .await;
                    (out, started.elapsed())
                })
            })
            .collect();
        let mut served = 0;
        let mut shed = 0;
        for r in requests {
            let (out, took) = r.await.unwrap();
            match out {
                Ok(()) => {
                    served += 1;
                    assert!(took < std::time::Duration::from_millis(1500), "{took:?}");
                }
                Err(e) => {
                    shed += 1;
                    assert_eq!(e.status, StatusCode::SERVICE_UNAVAILABLE);
                    assert!(e.retry_after.is_some_and(|s| s >= 1));
                    // Refused before the first of the others was served.
                    assert!(took < service, "refusé après {took:?}");
                }
            }
        }
        assert!(
            served >= 2 && shed >= 2,
            "servies {served}, refusées {shed}"
        );
        assert_eq!(served + shed, 8);
    }
}
