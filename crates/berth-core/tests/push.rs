//! B3 against the real registries: every layer reported, the ones the
//! registry has said to be skipped, the digest it stored, and a registry
//! that asks for a password refusing an anonymous push.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails by panicking"
)]

mod common;

use berth_core::images::push::{PushEvent, PushPhase};
use berth_core::registry::credentials::Credentials;
use berth_core::Error;
use common::*;

fn build_unique(image: &str, salt: &str) {
    let ctx = tempfile::tempdir().unwrap();
    std::fs::write(
        ctx.path().join("Dockerfile"),
        format!("FROM {FIXTURE}\nRUN echo {salt} > /salt\n"),
    )
    .unwrap();
    docker_ok(&["build", "-q", "-t", image, &ctx.path().to_string_lossy()]);
}

#[tokio::test]
async fn a_push_sends_the_new_layer_and_skips_what_the_registry_has() {
    let engine = engine().await;
    let image = format!("127.0.0.1:5000/berth-test/push-{}:1", std::process::id());
    let _gone = Untag(vec![image.clone()]);
    build_unique(&image, &image);
    let mut events = Vec::new();
    let digest = engine.push(&image, None, |e| events.push(e)).await.unwrap();
    let last = |id: &str| {
        events.iter().rev().find_map(|e| match e {
            PushEvent::Layer { id: i, phase, .. } if i == id => Some(*phase),
            _ => None,
        })
    };
    let ids: Vec<String> = events
        .iter()
        .filter_map(|e| match e {
            PushEvent::Layer { id, .. } => Some(id.clone()),
            _ => None,
        })
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let layers: usize = docker_ok(&[
        "image",
        "inspect",
        "--format",
        "{{len .RootFS.Layers}}",
        &image,
    ])
    .parse()
    .unwrap();
    assert_eq!(ids.len(), layers, "{events:?}");
    let pushed = ids
        .iter()
        .filter(|i| last(i) == Some(PushPhase::Pushed))
        .count();
    assert_eq!(pushed, 1, "only the new layer travels: {events:?}");
    assert!(ids.iter().all(|i| matches!(
        last(i),
        Some(PushPhase::Pushed | PushPhase::Mounted | PushPhase::AlreadyExists)
    )));
    assert!(events
        .iter()
        .any(|e| matches!(e, PushEvent::Done { digest: d, .. } if *d == digest)));
    assert!(docker_ok(&[
        "image",
        "inspect",
        "--format",
        "{{json .RepoDigests}}",
        &image
    ])
    .contains(&digest));

    // Again: the registry has everything.
    let mut again = Vec::new();
    assert_eq!(
        engine.push(&image, None, |e| again.push(e)).await.unwrap(),
        digest
    );
    assert!(
        again
            .iter()
            .filter_map(|e| match e {
                PushEvent::Layer { phase, .. } => Some(*phase),
                _ => None,
            })
            .filter(|p| *p != PushPhase::Preparing && *p != PushPhase::Waiting)
            .all(|p| p == PushPhase::AlreadyExists),
        "{again:?}"
    );
}

#[tokio::test]
async fn a_registry_with_a_password_refuses_an_anonymous_push_and_takes_the_right_one() {
    let engine = engine().await;
    let image = format!(
        "127.0.0.1:5001/berth-test/push-auth-{}:1",
        std::process::id()
    );
    let _gone = Untag(vec![image.clone()]);
    build_unique(&image, &image);
    match engine
        .push(&image, Some(Credentials::Anonymous), |_| {})
        .await
        .unwrap_err()
    {
        Error::AuthRequired {
            registry, message, ..
        } => {
            assert_eq!(registry, "127.0.0.1:5001");
            assert!(message.contains("docker login 127.0.0.1:5001"), "{message}");
        }
        e => panic!("{e:?}"),
    }
    let creds = Credentials::Basic {
        user: "berth".into(),
        secret: "berth-secret".into(),
    };
    let digest = engine.push(&image, Some(creds), |_| {}).await.unwrap();
    assert!(digest.starts_with("sha256:"));
}
