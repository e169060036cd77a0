//! T1, T2, T4 against the real registries (127.0.0.1:5000, and :5001 with a
//! password): the tree of the two-platform index, the local image compared
//! with it before and after the tag moves, a Docker manifest list and a
//! single manifest, credentials, and every refusal said plainly.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails by panicking"
)]

mod common;

use std::io::{Read, Write};
use std::process::Command;

use berth_core::images::pull::PullEvent;
use berth_core::images::reference;
use berth_core::registry::credentials::{CredentialSource, Credentials};
use berth_core::registry::{Registry, DOCKER_LIST, DOCKER_MANIFEST, OCI_INDEX};
use berth_core::Error;
use futures_util::StreamExt;
use serde_json::Value;

fn push_index(registry: &str, repo: &str, salt: &str, kind: &str, auth: Option<&str>) -> Value {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scripts/push_index.py");
    let mut cmd = Command::new("python3");
    cmd.args([script, registry, repo, "1", salt, kind]);
    if let Some(a) = auth {
        cmd.env("BERTH_REGISTRY_AUTH", a);
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

async fn pull(engine: &berth_core::Engine, r: &str, platform: &str) {
    let mut s = engine.pull(r, Some(platform)).unwrap();
    while let Some(e) = s.next().await {
        if let PullEvent::Done { .. } = e.unwrap() {}
    }
}

#[tokio::test]
async fn the_index_tree_matches_the_fixture_and_the_local_image_is_placed_in_it() {
    let engine = common::engine().await;
    let repo = format!("berth-test/inspect-{}", std::process::id());
    let fx = push_index("127.0.0.1:5000", &repo, "one", "oci", None);
    let r = fx["reference"].as_str().unwrap().to_string();
    let _gone = common::Untag(vec![r.clone()]);

    let ins = engine.inspect_reference(&r, None).await.unwrap();
    let ix = ins.tree.index.as_ref().expect("an index level");
    assert_eq!(ix.digest, fx["index"].as_str().unwrap());
    assert_eq!(ix.media_type, OCI_INDEX);
    assert_eq!(ix.platforms.len(), 2);
    for p in &ix.platforms {
        let arch = p.platform.architecture.as_str();
        assert_eq!(
            p.digest,
            fx["platforms"][arch]["manifest"].as_str().unwrap()
        );
        assert_eq!(
            p.config_digest.as_deref(),
            fx["platforms"][arch]["config"].as_str()
        );
    }
    // This machine's platform is chosen by default; its layer is paired
    // with the uncompressed diff ID from the config.
    let m = &ins.tree.manifest;
    assert_eq!(m.config.platform.architecture, "amd64");
    assert_eq!(
        m.layers[0].digest,
        fx["platforms"]["amd64"]["layer"].as_str().unwrap()
    );
    assert_eq!(
        m.layers[0].diff_id.as_deref(),
        fx["platforms"]["amd64"]["diffId"].as_str()
    );
    assert!(ins.local.is_none());
    // Another platform on request.
    let arm = engine
        .inspect_reference(&r, Some("linux/arm64/v8"))
        .await
        .unwrap();
    assert_eq!(
        arm.tree.manifest.config.digest,
        fx["platforms"]["arm64"]["config"].as_str().unwrap()
    );

    // After pulling amd64: the local ID is that manifest's config digest,
    // its repo digest the index's.
    pull(&engine, &r, "linux/amd64").await;
    let ins = engine.inspect_reference(&r, None).await.unwrap();
    let local = ins.local.expect("the local image");
    assert_eq!(
        local.image_id,
        fx["platforms"]["amd64"]["config"].as_str().unwrap()
    );
    assert_eq!(local.from_platform.as_deref(), Some("linux/amd64"));
    assert!(
        local.id_matches && local.repo_digest_matches && !local.behind,
        "{local:?}"
    );

    // The tag re-pushed with other content: the local tag is behind.
    push_index("127.0.0.1:5000", &repo, "two", "oci", None);
    let ins = engine.inspect_reference(&r, None).await.unwrap();
    let local = ins.local.unwrap();
    assert!(
        local.behind && !local.id_matches && !local.repo_digest_matches,
        "{local:?}"
    );
}

#[tokio::test]
async fn a_docker_manifest_list_and_a_single_manifest_both_render() {
    let engine = common::engine().await;
    let repo = format!("berth-test/list-{}", std::process::id());
    let fx = push_index("127.0.0.1:5000", &repo, "list", "docker", None);
    let ins = engine
        .inspect_reference(fx["reference"].as_str().unwrap(), None)
        .await
        .unwrap();
    let ix = ins.tree.index.unwrap();
    assert_eq!(ix.media_type, DOCKER_LIST);
    assert_eq!(ix.platforms.len(), 2);
    assert_eq!(ins.tree.manifest.media_type, DOCKER_MANIFEST);

    // The web fixture as docker 20.10 pushed it: one manifest, no index.
    let ins = engine
        .inspect_reference("127.0.0.1:5000/berth-fixture/web:1", None)
        .await
        .unwrap();
    assert!(ins.tree.index.is_none());
    assert_eq!(ins.tree.manifest.media_type, DOCKER_MANIFEST);
    assert_eq!(ins.tree.top_digest, ins.tree.manifest.digest);
    let want: usize = String::from_utf8(
        Command::new("docker")
            .args([
                "image",
                "inspect",
                "--format",
                "{{len .RootFS.Layers}}",
                "berth-fixture/web:1",
            ])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap()
    .trim()
    .parse()
    .unwrap();
    assert_eq!(ins.tree.manifest.layers.len(), want);
    assert!(ins.tree.manifest.layers.iter().all(|l| l.diff_id.is_some()));
}

#[tokio::test]
async fn a_registry_with_a_password_needs_the_right_credentials() {
    let repo = format!("berth-test/auth-{}", std::process::id());
    push_index(
        "127.0.0.1:5001",
        &repo,
        "auth",
        "oci",
        Some("berth:berth-secret"),
    );
    let r = reference::parse(&format!("127.0.0.1:5001/{repo}:1")).unwrap();
    let with = |c: Credentials| Registry::new("127.0.0.1:5001", c, CredentialSource::None);
    for c in [
        Credentials::Anonymous,
        Credentials::Basic {
            user: "berth".into(),
            secret: "wrong".into(),
        },
    ] {
        match with(c).tree(&r, None).await.unwrap_err() {
            Error::AuthRequired {
                registry, message, ..
            } => {
                assert_eq!(registry, "127.0.0.1:5001");
                assert!(
                    message.contains("docker login 127.0.0.1:5001") || message.contains("refused"),
                    "{message}"
                );
            }
            e => panic!("{e:?}"),
        }
    }
    let tree = with(Credentials::Basic {
        user: "berth".into(),
        secret: "berth-secret".into(),
    })
    .tree(&r, None)
    .await
    .unwrap();
    assert_eq!(tree.index.unwrap().platforms.len(), 2);
    // What the registry asks for, read from its challenge.
    assert_eq!(
        berth_core::registry::challenge("127.0.0.1:5001").await,
        Some(berth_core::registry::credentials::Challenge::Basic {
            realm: Some("berth-test".into())
        })
    );
}

#[tokio::test]
async fn unknown_tags_unreachable_registries_and_bad_references_are_said_plainly() {
    let engine = common::engine().await;
    match engine
        .inspect_reference("127.0.0.1:5000/berth-fixture/web:no-such-tag", None)
        .await
        .unwrap_err()
    {
        Error::NotFound { message, .. } => assert!(
            message.contains("no-such-tag")
                || message.contains("MANIFEST_UNKNOWN")
                || message.contains("404"),
            "{message}"
        ),
        e => panic!("{e:?}"),
    }
    let port = common::free_port();
    match engine
        .inspect_reference(&format!("127.0.0.1:{port}/x/y:1"), None)
        .await
        .unwrap_err()
    {
        Error::Engine { message, .. } => assert!(message.contains("could not reach"), "{message}"),
        e => panic!("{e:?}"),
    }
    match engine.inspect_reference("Bad/Ref", None).await.unwrap_err() {
        Error::InvalidInput { field, .. } => assert_eq!(field, "reference"),
        e => panic!("{e:?}"),
    }
}

/// A hostile registry on loopback: its manifest's bytes do not match the
/// digest it claims.
#[tokio::test]
async fn a_manifest_that_does_not_match_its_digest_is_rejected() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        let body = br#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:0000000000000000000000000000000000000000000000000000000000000000","size":2},"layers":[]}"#;
        let lie = format!("sha256:{}", "1".repeat(64));
        for stream in listener.incoming().flatten().take(8) {
            let mut s = stream;
            let mut buf = [0u8; 4096];
            let n = s.read(&mut buf).unwrap_or(0);
            let req = String::from_utf8_lossy(&buf[..n]);
            let resp = if req.contains("/manifests/") {
                format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/vnd.oci.image.manifest.v1+json\r\nDocker-Content-Digest: {lie}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                )
                .into_bytes()
                .into_iter()
                .chain(body.iter().copied())
                .collect::<Vec<u8>>()
            } else {
                b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}".to_vec()
            };
            let _ = s.write_all(&resp);
        }
    });
    let r = reference::parse(&format!("{addr}/evil/app:1")).unwrap();
    let err = Registry::new(
        &addr.to_string(),
        Credentials::Anonymous,
        CredentialSource::None,
    )
    .tree(&r, None)
    .await
    .unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("does not match its digest") && msg.contains(&"1".repeat(64)),
        "{msg}"
    );
}
