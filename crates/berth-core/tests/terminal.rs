//! C6 against the real engine: a shell with a TTY answers what is typed,
//! follows a resize, and ends on `exit`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails by panicking"
)]

mod common;

use std::time::Duration;

use berth_core::containers::Lifecycle;
use berth_core::Error;
use common::*;
use futures_util::StreamExt;
use tokio::io::AsyncWriteExt;

async fn read_until(
    session: &mut berth_core::containers::terminal::Session,
    needle: &str,
) -> String {
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
    let _cleanup_term = Cleanup::new("term");
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

    engine.resize_terminal(&s.target, 100, 30).await.unwrap();
    s.input.write_all(b"stty size\n").await.unwrap();
    read_until(&mut s, "30 100").await;

    s.input.write_all(b"exit\n").await.unwrap();
    let ended = tokio::time::timeout(Duration::from_secs(10), async {
        while s.output.next().await.is_some() {}
    })
    .await;
    assert!(ended.is_ok(), "the session ends after exit");
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

#[tokio::test]
async fn attaching_to_an_interactive_run_starts_it_and_detaching_leaves_it_running() {
    use berth_core::containers::run::RunForm;
    use berth_core::containers::terminal::DETACH_KEYS;
    let engine = engine().await;
    let name = prefix("attach-it");
    let started = engine
        .run(&RunForm {
            image: FIXTURE.into(),
            name: name.clone(),
            interactive: true,
            ..Default::default()
        })
        .await
        .unwrap();
    let mut s = engine.attach(&started.id, 80, 24).await.unwrap();
    assert!(s.wiring.tty && s.wiring.stdin);
    s.input.write_all(b"echo main-$((6*7))\n").await.unwrap();
    read_until(&mut s, "main-42").await;
    engine.resize_terminal(&s.target, 90, 20).await.unwrap();
    s.input.write_all(b"stty size\n").await.unwrap();
    read_until(&mut s, "20 90").await;

    s.input.write_all(DETACH_KEYS).await.unwrap();
    s.input.shutdown().await.unwrap();
    drop(s);
    tokio::time::sleep(Duration::from_millis(500)).await;
    let state = engine
        .docker()
        .inspect_container(&started.id, None)
        .await
        .unwrap()
        .state
        .unwrap();
    assert_eq!(state.running, Some(true), "detaching keeps the shell");
    let _ = std::process::Command::new("docker")
        .args(["rm", "-f", &name])
        .output();
}

#[tokio::test]
async fn attaching_to_a_process_without_stdin_shows_its_output() {
    let engine = engine().await;
    let _cleanup_attach_out = Cleanup::new("attach-out");
    let id = create(
        &engine,
        Spec {
            test: "attach-out",
            name: &prefix("attach-out"),
            cmd: &["sh", "-c", "while true; do echo tick; sleep 0.2; done"],
            publish: &[],
        },
    )
    .await;
    engine.lifecycle(&id, Lifecycle::Start).await.unwrap();
    let mut s = engine.attach(&id, 80, 24).await.unwrap();
    assert!(!s.wiring.tty && !s.wiring.stdin);
    read_until(&mut s, "tick\n").await;
}
