//! C3 against the real engine: every lifecycle action moves the container
//! to the state the list then shows; refusals keep the engine's words.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails by panicking"
)]

mod common;

use berth_core::containers::{Lifecycle, State};
use berth_core::Error;
use common::*;

async fn state_of(engine: &berth_core::Engine, id: &str) -> (State, Option<i32>) {
    let rows = engine.list_containers(true).await.unwrap();
    let r = rows.iter().find(|r| r.id == id).expect("listed");
    (r.state, r.exit_code)
}

#[tokio::test]
async fn each_lifecycle_action_moves_the_container_to_its_state() {
    let engine = engine().await;
    let _cleanup_life = Cleanup::new("life");
    // Answers SIGTERM at once, as a well-behaved main process does.
    let id = create(
        &engine,
        Spec {
            test: "life",
            name: &prefix("life"),
            cmd: &["sh", "-c", "trap 'exit 0' TERM; sleep 600 & wait"],
            publish: &[],
        },
    )
    .await;
    let steps = [
        (Lifecycle::Start, State::Running),
        (Lifecycle::Pause, State::Paused),
        (Lifecycle::Unpause, State::Running),
        (Lifecycle::Restart, State::Running),
        (Lifecycle::Stop, State::Exited),
        (Lifecycle::Start, State::Running),
        (Lifecycle::Kill, State::Exited),
    ];
    for (action, want) in steps {
        engine
            .lifecycle(&id, action)
            .await
            .unwrap_or_else(|e| panic!("{action:?}: {e}"));
        let (state, _) = state_of(&engine, &id).await;
        assert_eq!(state, want, "after {action:?}");
    }
    // Stopped by SIGTERM it exited 0 (its trap); killed, 137.
    assert_eq!(state_of(&engine, &id).await.1, Some(137));
}

#[tokio::test]
async fn removing_a_running_container_is_refused_in_the_engines_words_and_force_removes_it() {
    let engine = engine().await;
    let id = create(
        &engine,
        Spec {
            test: "rm",
            name: &prefix("rm"),
            cmd: &["sleep", "600"],
            publish: &[],
        },
    )
    .await;
    engine.lifecycle(&id, Lifecycle::Start).await.unwrap();
    match engine.remove_container(&id, false).await.unwrap_err() {
        Error::Conflict { message, .. } => {
            // Docker: "You cannot remove a running container"; Podman: "as it is running".
            assert!(message.contains("running"), "{message}");
        }
        e => panic!("{e:?}"),
    }
    engine.remove_container(&id, true).await.unwrap();
    assert!(engine
        .list_containers(true)
        .await
        .unwrap()
        .iter()
        .all(|r| r.id != id));
    match engine.remove_container(&id, true).await.unwrap_err() {
        Error::NotFound { message, .. } => {
            // Docker: "No such container"; Podman: "no such container".
            assert!(
                message.to_lowercase().contains("no such container"),
                "{message}"
            )
        }
        e => panic!("{e:?}"),
    }
}

#[tokio::test]
async fn renaming_checks_the_name_and_names_the_holder_of_a_taken_one() {
    let engine = engine().await;
    let _cleanup_ren = Cleanup::new("ren");
    let a = create(
        &engine,
        Spec {
            test: "ren",
            name: &prefix("ren-a"),
            cmd: &["true"],
            publish: &[],
        },
    )
    .await;
    let taken = prefix("ren-b");
    create(
        &engine,
        Spec {
            test: "ren",
            name: &taken,
            cmd: &["true"],
            publish: &[],
        },
    )
    .await;

    assert!(matches!(
        engine.rename_container(&a, "bad name").await.unwrap_err(),
        Error::InvalidInput { field, .. } if field == "name"
    ));
    match engine.rename_container(&a, &taken).await.unwrap_err() {
        Error::Conflict { message, .. } => assert!(message.contains(&taken), "{message}"),
        e => panic!("{e:?}"),
    }
    let new = prefix("ren-c");
    engine.rename_container(&a, &new).await.unwrap();
    let rows = engine.list_containers(true).await.unwrap();
    assert_eq!(rows.iter().find(|r| r.id == a).unwrap().name, new);
}
