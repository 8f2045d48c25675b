//! The accept loop (issue 25): a request head must arrive within its
//! deadline, and the connection cap refuses clients one by one. Short
//! deadlines are configured; no assertion is timed, only bounded so that a
//! regression fails instead of hanging.

mod support;

use std::time::Duration;

use passerelle_server::{App, ConnectionLimits};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Serves the test state with `limits` on a free port.
async fn start(limits: ConnectionLimits) -> std::net::SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = App::new(support::state()).with_connection_limits(limits);
    tokio::spawn(async move { app.serve(listener).await.unwrap() });
    addr
}

/// Reads until the server closes the connection (bounded by `bound`):
/// what it sent before closing.
async fn until_closed(stream: &mut TcpStream, bound: Duration) -> Option<Vec<u8>> {
    let mut got = Vec::new();
    let read = async {
        let mut buf = [0u8; 1024];
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => got.extend_from_slice(&buf[..n]),
            }
        }
    };
    tokio::time::timeout(bound, read).await.ok().map(|()| got)
}

async fn healthz(addr: std::net::SocketAddr) -> String {
    let mut s = TcpStream::connect(addr).await.unwrap();
    s.write_all(b"GET /healthz HTTP/1.1\r\nHost: passerelle\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let got = until_closed(&mut s, Duration::from_secs(30))
        .await
        .expect("/healthz répond");
    String::from_utf8_lossy(&got).into_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_half_sent_head_is_closed_after_the_head_deadline_while_healthz_answers() {
    let addr = start(ConnectionLimits {
        head_read_timeout: Duration::from_secs(1),
        max_connections: 1000,
    })
    .await;
    let mut slow = Vec::new();
    for _ in 0..50 {
        let mut s = TcpStream::connect(addr).await.unwrap();
        s.write_all(b"GET /healthz HTTP/1.1\r\nHost: pass")
            .await
            .unwrap();
        slow.push(s);
    }
    // Nothing at all: the head deadline is also the wait for a first byte.
    slow.push(TcpStream::connect(addr).await.unwrap());
    assert!(healthz(addr).await.starts_with("HTTP/1.1 200"));
    for s in &mut slow {
        let sent = until_closed(s, Duration::from_secs(30))
            .await
            .expect("connexion lente fermée par le serveur");
        // Closed without a request: either nothing or a 408, never a 200.
        let text = String::from_utf8_lossy(&sent);
        assert!(
            sent.is_empty() || text.starts_with("HTTP/1.1 408"),
            "{text}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_idle_kept_alive_connection_is_closed_after_the_deadline() {
    let addr = start(ConnectionLimits {
        head_read_timeout: Duration::from_secs(1),
        max_connections: 1000,
    })
    .await;
    let mut s = TcpStream::connect(addr).await.unwrap();
    s.write_all(b"GET /healthz HTTP/1.1\r\nHost: passerelle\r\n\r\n")
        .await
        .unwrap();
    let got = until_closed(&mut s, Duration::from_secs(30))
        .await
        .expect("connexion inactive fermée par le serveur");
    assert!(String::from_utf8_lossy(&got).starts_with("HTTP/1.1 200"));
}

#[tokio::test(flavor = "multi_thread")]
async fn at_the_cap_the_oldest_idle_connection_makes_room_for_a_health_check() {
    let addr = start(ConnectionLimits {
        head_read_timeout: Duration::from_secs(30),
        max_connections: 3,
    })
    .await;
    // Three slow clients fill the cap: nothing sent, or half a head.
    let mut held = Vec::new();
    for i in 0..3 {
        let mut s = TcpStream::connect(addr).await.unwrap();
        if i > 0 {
            s.write_all(b"GET /healthz HTTP/1.1\r\nHost: pass")
                .await
                .unwrap();
        }
        held.push(s);
        // Let the loop accept them in order (their age decides).
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // A health check is still answered...
    assert!(healthz(addr).await.starts_with("HTTP/1.1 200"));
    // ...because the oldest slow connection was closed for it.
    let got = until_closed(&mut held[0], Duration::from_secs(10))
        .await
        .expect("la plus ancienne connexion lente est fermée");
    assert!(got.is_empty());
    // The others are still open: they get their answer once they finish.
    let s = &mut held[2];
    s.write_all(b"word\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let got = until_closed(s, Duration::from_secs(30)).await.unwrap();
    assert!(
        String::from_utf8_lossy(&got).starts_with("HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&got)
    );
}
