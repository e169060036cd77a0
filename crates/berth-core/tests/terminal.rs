//! C6 against the real engine: a shell with a TTY answers what is typed,
//! follows a resize, and ends on `exit`.

mod common;

use std::time::Duration;

use berth_core::containers::Lifecycle;
use berth_core::Error;
use common::*;
use futures_util::StreamExt;
use tokio::io::AsyncWriteExt;

async fn read_until(session: &mut berth_core::terminal::Session, needle: &str) -> String {
    let mut seen = String::new();
    let found = tokio::time::timeout(Duration::from_secs(10), async {
        while let Some(chunk) = session.output.next().await {
            seen.push_str(&String::from_utf8_lossy(&chunk.unwrap()));
            if seen.contains(needle) {
                return true;
            }
        }
        false
    })
    .await;
    assert_eq!(found, Ok(true), "{needle:?} not in {seen:?}");
    seen
}

#[tokio::test]
async fn a_shell_answers_follows_a_resize_and_ends_on_exit() {
    let engine = engine().await;
    let id = create(
        &engine,
        Spec {
            test: "term",
            name: &prefix("term"),
            cmd: &["sleep", "600"],
            publish: &[],
        },
    )
    .await;
    engine.lifecycle(&id, Lifecycle::Start).await.unwrap();

    let shells = engine.shells(&id).await.unwrap();
    assert_eq!(
        shells,
        vec!["ash", "sh"],
        "busybox has ash and sh, not bash"
    );

    let mut s = engine.open_shell(&id, "ash", 80, 24).await.unwrap();
    s.input.write_all(b"echo hello-$((6*7))\n").await.unwrap();
    read_until(&mut s, "hello-42").await;

    engine.resize_shell(&s.exec_id, 100, 30).await.unwrap();
    s.input.write_all(b"stty size\n").await.unwrap();
    read_until(&mut s, "30 100").await;

    s.input.write_all(b"exit\n").await.unwrap();
    let ended = tokio::time::timeout(Duration::from_secs(10), async {
        while s.output.next().await.is_some() {}
    })
    .await;
    assert!(ended.is_ok(), "the session ends after exit");
    cleanup(&engine, "term").await;
}

#[tokio::test]
async fn a_shell_that_is_not_offered_is_refused_by_name() {
    let engine = engine().await;
    match engine.open_shell("whatever", "zsh; rm -rf /", 80, 24).await {
        Err(Error::InvalidInput { field, .. }) => assert_eq!(field, "shell"),
        Err(e) => panic!("{e:?}"),
        Ok(_) => panic!("opened"),
    }
}
