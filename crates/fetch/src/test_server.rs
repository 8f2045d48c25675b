//! A tiny HTTP/1.1 server on 127.0.0.1 (free port chosen at run time) that
//! serves canned replies, including the failures a real download meets: a
//! 404, a body cut before its announced length, a silent server. Only for
//! tests (feature `test-server`); nothing here leaves the machine.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

/// What a path answers.
#[derive(Debug, Clone)]
pub enum Reply {
    /// 200 with `Content-Length`.
    File(Vec<u8>),
    /// 200 without `Content-Length`: the end of the body is the closed connection.
    NoLength(Vec<u8>),
    /// 200 announcing `announced` bytes, sending `body`, then closing.
    Truncated { body: Vec<u8>, announced: u64 },
    /// An error status with a short body.
    Status(u16),
    /// Reads the request and says nothing for this long, then closes.
    Stall(Duration),
}

/// The server; stops accepting when dropped. Unknown paths answer 404.
pub struct TestServer {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    requests: Arc<AtomicUsize>,
}

impl TestServer {
    pub fn start<'a>(routes: impl IntoIterator<Item = (&'a str, Reply)>) -> TestServer {
        let routes: Arc<HashMap<String, Reply>> = Arc::new(
            routes
                .into_iter()
                .map(|(p, r)| (p.to_string(), r))
                .collect(),
        );
        let listener = TcpListener::bind("127.0.0.1:0").expect("port libre sur 127.0.0.1");
        let addr = listener.local_addr().expect("adresse du serveur de test");
        let stop = Arc::new(AtomicBool::new(false));
        let requests = Arc::new(AtomicUsize::new(0));
        let (stop2, requests2) = (stop.clone(), requests.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stop2.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                requests2.fetch_add(1, Ordering::SeqCst);
                let routes = routes.clone();
                std::thread::spawn(move || {
                    let _ = serve(stream, &routes);
                });
            }
        });
        TestServer {
            addr,
            stop,
            requests,
        }
    }

    /// `http://127.0.0.1:PORT/path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Connections accepted so far.
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the accept loop so that it sees the flag.
        let _ = TcpStream::connect(self.addr);
    }
}

fn serve(mut stream: TcpStream, routes: &HashMap<String, Reply>) -> std::io::Result<()> {
    let path = read_request_path(&mut stream)?;
    let head = |status: &str, len: Option<u64>| {
        let len = len
            .map(|n| format!("Content-Length: {n}\r\n"))
            .unwrap_or_default();
        format!(
            "HTTP/1.1 {status}\r\nContent-Type: application/octet-stream\r\n{len}Connection: close\r\n\r\n"
        )
    };
    match routes.get(&path).cloned().unwrap_or(Reply::Status(404)) {
        Reply::File(body) => {
            stream.write_all(head("200 OK", Some(body.len() as u64)).as_bytes())?;
            stream.write_all(&body)?;
        }
        Reply::NoLength(body) => {
            stream.write_all(head("200 OK", None).as_bytes())?;
            stream.write_all(&body)?;
        }
        Reply::Truncated { body, announced } => {
            stream.write_all(head("200 OK", Some(announced)).as_bytes())?;
            stream.write_all(&body)?;
        }
        Reply::Status(code) => {
            let body = format!("erreur {code}\n");
            stream
                .write_all(head(&format!("{code} Erreur"), Some(body.len() as u64)).as_bytes())?;
            stream.write_all(body.as_bytes())?;
        }
        Reply::Stall(d) => std::thread::sleep(d),
    }
    stream.flush()?;
    stream.shutdown(std::net::Shutdown::Both)
}

/// The path of `GET /path HTTP/1.1`, after reading the whole header block.
fn read_request_path(stream: &mut TcpStream) -> std::io::Result<String> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut buf = Vec::new();
    let mut byte = [0u8; 1];
    while !buf.ends_with(b"\r\n\r\n") && buf.len() < 64 * 1024 {
        if stream.read(&mut byte)? == 0 {
            break;
        }
        buf.push(byte[0]);
    }
    let text = String::from_utf8_lossy(&buf);
    Ok(text.split_whitespace().nth(1).unwrap_or("/").to_string())
}
