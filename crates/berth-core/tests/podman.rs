//! E5d against a real Podman (`podman system service`, its Docker-compatible
//! API): Berth names it, says what it lacks (swarm mode, BuildKit), flags the
//! image sizes it reports as 0, lists and inspects its containers whatever
//! their state, and reads its refusals as Docker's (a running container's
//! removal is a conflict; a missing path is named).
//!
//! Run by the Podman lane of scripts/test.sh with DOCKER_HOST at Podman's
//! socket (so `ignored` in the Docker lane, where these facts are false).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests fail by panicking"
)]

mod common;

use berth_core::containers::{Lifecycle, State};
use berth_core::engine::Lack;
use berth_core::Error;
use common::*;

async fn podman() -> berth_core::Engine {
    let engine = engine().await;
    let info = engine.info().await.unwrap();
    assert!(
        info.podman,
        "DOCKER_HOST must be Podman's socket here, not {}",
        info.product
    );
    engine
}

#[tokio::test]
#[ignore = "the Podman lane runs it: DOCKER_HOST at podman system service (scripts/test.sh)"]
async fn podman_is_named_and_what_it_lacks_is_said() {
    let engine = podman().await;
    let info = engine.info().await.unwrap();
    assert!(info.product.contains("Podman"), "{}", info.product);
    assert_eq!(info.lacks, [Lack::Swarm, Lack::BuildKit]);
    // It answers an "inactive" Swarm part; Berth says it has no Swarm mode
    // rather than offering an init that would fail.
    let swarm = engine.swarm_status().await.unwrap();
    assert_eq!(swarm.role, berth_core::swarm::SwarmRole::Unsupported);
    // Its disk figures: images it holds, reported as 0 bytes, are flagged.
    let disk = engine.disk_usage().await.unwrap();
    assert!(disk.images.total_count > 0, "the fixtures are loaded");
    assert!(
        disk.images.unreported && disk.images.size_bytes == 0,
        "{disk:?}"
    );
    assert!(!disk.containers.unreported);
}

#[tokio::test]
#[ignore = "the Podman lane runs it: DOCKER_HOST at podman system service (scripts/test.sh)"]
async fn its_containers_list_in_every_state_and_its_refusals_read_as_dockers() {
    let engine = podman().await;
    let _cleanup = Cleanup::new("podman");
    let id = create(
        &engine,
        Spec {
            test: "podman",
            name: &prefix("podman"),
            cmd: &["sh", "-c", "trap 'exit 0' TERM; sleep 600 & wait"],
            publish: &[],
        },
    )
    .await;
    let state = |rows: Vec<berth_core::containers::ContainerRow>| {
        rows.into_iter().find(|r| r.id == id).map(|r| r.state)
    };
    assert_eq!(
        state(engine.list_containers(true).await.unwrap()),
        Some(State::Created)
    );
    engine.lifecycle(&id, Lifecycle::Start).await.unwrap();

    // Removing it while it runs: Podman's 500 "container state improper"
    // is the conflict Docker's 409 is.
    match engine.remove_container(&id, false).await.unwrap_err() {
        Error::Conflict { message, .. } => assert!(message.contains("running"), "{message}"),
        e => panic!("{e:?}"),
    }
    // A missing path is named, Podman's own words kept.
    match engine.list_dir(&id, "/no/such/place").await.unwrap_err() {
        Error::NotFound { message, .. } => {
            assert!(message.contains("/no/such/place"), "{message}")
        }
        e => panic!("{e:?}"),
    }

    // Stopping passes through Podman's own `stopped` state (until its
    // cleanup is done): listed and opened all along, exited at the end.
    let stop = {
        let engine = engine.clone();
        let id = id.clone();
        tokio::spawn(async move { engine.lifecycle(&id, Lifecycle::Stop).await })
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let now = state(engine.list_containers(true).await.unwrap()).expect("listed");
        engine.container_details(&id).await.unwrap();
        if now == State::Exited && stop.is_finished() {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "still {now:?}");
    }
    stop.await.unwrap().unwrap();
}

#[tokio::test]
#[ignore = "the Podman lane runs it: DOCKER_HOST at podman system service (scripts/test.sh)"]
async fn a_buildkit_build_is_refused_by_name_and_nothing_is_sent() {
    let engine = podman().await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("Dockerfile"), format!("FROM {FIXTURE}\n")).unwrap();
    let form = berth_core::build::BuildForm {
        folder: dir.path().display().to_string(),
        builder: berth_core::build::Builder::BuildKit,
        ..Default::default()
    };
    let mut events = Vec::new();
    match engine.build(&form, |e| events.push(e)).await.unwrap_err() {
        Error::InvalidInput { field, message, .. } => {
            assert_eq!(field, "builder");
            assert!(message.contains("Podman"), "{message}");
        }
        e => panic!("{e:?}"),
    }
    assert!(events.is_empty(), "{events:?}");
}
