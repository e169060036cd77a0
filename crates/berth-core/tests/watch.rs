//! The connection keeper against the real engine: down while nothing listens,
//! connected by itself when the engine appears, down again (naming the lost
//! endpoint) when the connection breaks.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails by panicking"
)]

mod common;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use berth_core::engine::endpoint::{Environment, Failure};
use berth_core::engine::watch::Status;
use common::{engine_socket, spawn_watch, wait_for};
use tokio::net::{UnixListener, UnixStream};
use tokio::task::JoinSet;

/// Forwards a unix socket to the real engine's, so a test can make the
/// engine "appear" and "vanish" at an address of its own.
struct Proxy {
    tasks: JoinSet<()>,
}

impl Proxy {
    fn start(at: PathBuf, engine: PathBuf) -> Proxy {
        let mut tasks = JoinSet::new();
        let listener = UnixListener::bind(&at).unwrap();
        let conns = Arc::new(Mutex::new(JoinSet::new()));
        let c2 = conns.clone();
        tasks.spawn(async move {
            // Keep the connection tasks alive with the accept loop; aborting
            // this task drops them all.
            let _hold = c2.clone();
            loop {
                let (mut inbound, _) = listener.accept().await.unwrap();
                let engine = engine.clone();
                c2.lock().unwrap().spawn(async move {
                    if let Ok(mut out) = UnixStream::connect(&engine).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut out).await;
                    }
                });
            }
        });
        drop(conns);
        Proxy { tasks }
    }

    fn stop(mut self, at: &PathBuf) {
        self.tasks.abort_all();
        let _ = std::fs::remove_file(at);
    }
}

#[tokio::test]
async fn the_watch_reconnects_by_itself_and_reports_a_broken_connection() {
    let dir = tempfile::tempdir().unwrap();
    let sock = dir.path().join("engine.sock");
    let host = format!("unix://{}", sock.display());
    let env_host = host.clone();
    let (log, retry, watcher) = spawn_watch(move || Environment {
        docker_host: Some(env_host.clone()),
        ..Default::default()
    });

    let down = wait_for(&log, "down", |s| matches!(s, Status::Down { .. })).await;
    match down {
        Status::Down { attempts, lost, .. } => {
            assert_eq!(attempts[0].endpoint, host);
            assert_eq!(attempts[0].failure, Failure::NotFound);
            assert_eq!(lost, None);
        }
        _ => unreachable!(),
    }

    let started = Instant::now();
    let proxy = Proxy::start(sock.clone(), engine_socket());
    retry.notify_one();
    wait_for(&log, "connected", |s| matches!(s, Status::Connected { .. })).await;
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "reconnect took {:?}",
        started.elapsed()
    );

    log.lock().unwrap().clear();
    proxy.stop(&sock);
    let down = wait_for(&log, "down after the break", |s| {
        matches!(s, Status::Down { .. })
    })
    .await;
    match down {
        Status::Down { lost, .. } => {
            let lost = lost.expect("the broken connection is named");
            assert!(lost.starts_with(&host), "{lost}");
        }
        _ => unreachable!(),
    }
    watcher.abort();
}
