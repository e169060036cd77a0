//! I5 against the real engine and the local registry (127.0.0.1:5000): a
//! pull reports every layer to completion, a layer the engine has is
//! "already exists", by digest works, a cancelled pull tags nothing, and
//! bad input is refused before any request.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails by panicking"
)]

mod common;

use common::docker_ok;

use std::process::Command;

use berth_core::images::pull::{LayerPhase, PullEvent};
use berth_core::{Engine, Error};
use futures_util::StreamExt;

const REGISTRY: &str = "127.0.0.1:5000";

/// Builds an image on the busybox fixture with `mb` MiB of fresh random
/// data (a layer no image here has), pushes it, and removes it locally.
fn pushed(name: &str, mb: u32) -> String {
    let ctx = tempfile::tempdir().unwrap();
    std::fs::write(
        ctx.path().join("Dockerfile"),
        format!(
            "FROM {}\nRUN head -c {} /dev/urandom > /blob\n",
            common::FIXTURE,
            mb * 1024 * 1024
        ),
    )
    .unwrap();
    let r = format!("{REGISTRY}/berth-test/{name}:1");
    docker_ok(&["build", "-q", "-t", &r, &ctx.path().to_string_lossy()]);
    docker_ok(&["push", &r]);
    docker_ok(&["image", "rm", &r]);
    r
}

async fn pull_all(engine: &Engine, r: &str) -> Vec<PullEvent> {
    let mut s = engine.pull(r, None).unwrap();
    let mut events = Vec::new();
    while let Some(e) = s.next().await {
        events.push(e.unwrap());
    }
    events
}

#[tokio::test]
async fn a_pull_reports_each_layer_to_completion_then_the_digest() {
    let engine = common::engine().await;
    let name = format!("pull-{}", std::process::id());
    let r = pushed(&name, 2);
    let _gone = common::Untag(vec![r.clone()]);
    let events = pull_all(&engine, &r).await;
    assert!(
        matches!(&events[0], PullEvent::Resolved { reference } if reference.registry == REGISTRY)
    );
    let phases = |want: LayerPhase| {
        events
            .iter()
            .filter_map(|e| match e {
                PullEvent::Layer { id, phase, .. } if *phase == want => Some(id.clone()),
                _ => None,
            })
            .collect::<Vec<_>>()
    };
    let base: usize = docker_ok(&[
        "image",
        "inspect",
        "--format",
        "{{len .RootFS.Layers}}",
        common::FIXTURE,
    ])
    .parse()
    .unwrap();
    assert_eq!(
        phases(LayerPhase::AlreadyExists).len(),
        base,
        "the fixture's layers are here already: {events:?}"
    );
    let complete = phases(LayerPhase::Complete);
    assert_eq!(complete.len(), 1, "{events:?}");
    assert!(phases(LayerPhase::Downloading).contains(&complete[0]));
    assert!(events
        .iter()
        .any(|e| matches!(e, PullEvent::Layer { current: Some(_), total: Some(t), .. } if *t > 0)));
    let Some(PullEvent::Done { digest, status }) = events.last() else {
        panic!("no Done: {events:?}");
    };
    let digest = digest.clone().expect("a digest");
    assert!(
        digest.starts_with("sha256:") && digest.len() == 71,
        "{digest}"
    );
    assert!(status.contains("Downloaded newer image"), "{status}");
    assert!(
        docker_ok(&["image", "inspect", "--format", "{{json .RepoDigests}}", &r]).contains(&digest)
    );

    // By digest: the same image, found by its manifest digest.
    docker_ok(&["image", "rm", &r]);
    let by_digest = format!("{REGISTRY}/berth-test/{name}@{digest}");
    let events = pull_all(&engine, &by_digest).await;
    assert!(
        matches!(events.last(), Some(PullEvent::Done { .. })),
        "{events:?}"
    );
    docker_ok(&["image", "inspect", &by_digest]);
    let _also = common::Untag(vec![by_digest]);
}

#[tokio::test]
async fn a_cancelled_pull_leaves_no_image_tagged() {
    let engine = common::engine().await;
    let r = pushed(&format!("pull-cancel-{}", std::process::id()), 64);
    let _gone = common::Untag(vec![r.clone()]);
    let mut s = engine.pull(&r, None).unwrap();
    while let Some(e) = s.next().await {
        if matches!(
            e.unwrap(),
            PullEvent::Layer {
                phase: LayerPhase::Downloading,
                ..
            }
        ) {
            break;
        }
    }
    drop(s);
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    let out = Command::new("docker")
        .args(["image", "inspect", &r])
        .output()
        .unwrap();
    assert!(!out.status.success(), "the image was tagged after a cancel");
}

#[tokio::test]
async fn bad_input_and_missing_tags_are_refused_with_the_reason() {
    let engine = common::engine().await;
    for (r, p, field) in [
        ("Busybox", None, "reference"),
        ("busybox@sha256:12", None, "reference"),
        ("busybox", Some("arm64"), "platform"),
    ] {
        match engine.pull(r, p).err().expect(r) {
            Error::InvalidInput { field: f, .. } => assert_eq!(f, field),
            e => panic!("{r}: {e:?}"),
        }
    }
    let missing = format!("{REGISTRY}/berth-test/none-{}:1", std::process::id());
    let mut s = engine.pull(&missing, None).unwrap();
    let mut err = None;
    while let Some(e) = s.next().await {
        if let Err(e) = e {
            err = Some(e.to_string());
        }
    }
    let err = err.expect("an error for a missing repository");
    assert!(
        err.contains("not found") || err.contains("unknown"),
        "{err}"
    );
}

/// Pushes the two-platform OCI index fixture under a name of this test's
/// own; returns the script's JSON (index, per-platform digests).
fn pushed_index(name: &str) -> serde_json::Value {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scripts/push_index.py");
    let out = Command::new("python3")
        .args([script, REGISTRY, &format!("berth-test/{name}"), "1", name])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[tokio::test]
async fn a_platform_is_picked_from_a_two_platform_index() {
    let engine = common::engine().await;
    let name = format!("multi-{}", std::process::id());
    let fx = pushed_index(&name);
    let r = fx["reference"].as_str().unwrap().to_string();
    let _gone = common::Untag(vec![r.clone()]);
    for arch in ["arm64", "amd64"] {
        let mut s = engine.pull(&r, Some(&format!("linux/{arch}"))).unwrap();
        let mut done = None;
        while let Some(e) = s.next().await {
            if let PullEvent::Done { digest, .. } = e.unwrap() {
                done = digest;
            }
        }
        // The repo digest is the index's; the image ID is this platform's config.
        assert_eq!(done.as_deref(), fx["index"].as_str(), "{arch}");
        let i = engine.docker().inspect_image(&r).await.unwrap();
        assert_eq!(i.architecture.as_deref(), Some(arch));
        assert_eq!(
            i.id.as_deref(),
            fx["platforms"][arch]["config"].as_str(),
            "{arch}"
        );
        let digests = i.repo_digests.unwrap_or_default();
        assert!(
            digests
                .iter()
                .any(|d| d.ends_with(fx["index"].as_str().unwrap())),
            "{digests:?}"
        );
        docker_ok(&["image", "rm", &r]);
    }
}
