//! The process's allocator, chosen for a server that reloads its data.
//!
//! A snapshot is a few hundred megabytes of small allocations made by
//! several threads (the loader, the engine's preparation, the request
//! pools). With glibc's allocator, they spread over many arenas; once a
//! replaced snapshot is dropped, glibc keeps most of its free pages, the
//! next snapshot (built by other threads) does not reuse them all, and
//! resident memory grows with every reload (bench/web/soak.sh: +43 % over
//! five reloads). mimalloc returns freed pages to the system and reuses
//! them across threads: memory levels off (docs/api.md, « Rechargements »).

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
