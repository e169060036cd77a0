//! C7 against the real engine: a busy container shows CPU use and memory,
//! and a stopped one nothing.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails by panicking"
)]

mod common;

use std::time::Duration;

use berth_core::containers::Lifecycle;
use common::*;
use futures_util::StreamExt;

#[tokio::test]
async fn a_busy_container_shows_cpu_and_memory_and_a_stopped_one_nothing() {
    let engine = engine().await;
    let _cleanup_stats = Cleanup::new("stats");
    let id = create(
        &engine,
        Spec {
            test: "stats",
            name: &prefix("stats"),
            cmd: &["sh", "-c", "while :; do :; done"],
            publish: &[],
        },
    )
    .await;
    engine.lifecycle(&id, Lifecycle::Start).await.unwrap();
    let mut stream = Box::pin(engine.stats(&id));
    // The first sample has no previous one to compare with; the third surely has.
    let mut last = None;
    for _ in 0..3 {
        let s = tokio::time::timeout(Duration::from_secs(5), stream.next())
            .await
            .expect("a sample within 5 s")
            .expect("stream open")
            .expect("sample");
        last = Some(s);
    }
    let s = last.unwrap();
    assert!(s.cpu_percent > 20.0, "a busy loop uses CPU: {s:?}");
    assert!(
        s.memory_bytes > 0 && s.memory_limit_bytes >= s.memory_bytes,
        "{s:?}"
    );
    assert!(s.online_cpus >= 1);

    engine.lifecycle(&id, Lifecycle::Kill).await.unwrap();
    // Engines differ: some end the stream, API 1.41 goes on with empty
    // samples. Either way, no CPU is reported for a stopped container.
    let idle = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            match stream.next().await {
                None | Some(Err(_)) => return true,
                Some(Ok(s)) if s.cpu_percent == 0.0 && s.memory_bytes == 0 => return true,
                Some(Ok(_)) => {}
            }
        }
    })
    .await;
    assert_eq!(
        idle,
        Ok(true),
        "stopped: the stream ends or reports nothing in use"
    );
}
