//! I3, I4, I6, I8 against the real engine: an image's history and layers
//! (shared with the images built on the same base), sizes equal to
//! `docker system df -v`, removal refused while a container uses the image
//! (naming it), untag vs delete, tag with the reference checked, and a
//! prune whose preview equals what it deletes.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails by panicking"
)]

mod common;

use std::process::Command;

use berth_core::Error;
use common::*;

/// docker's `units.HumanSize`: decimal units, 4 significant digits.
fn human(n: i64) -> String {
    let mut v = n as f64;
    let mut unit = 0;
    let units = ["B", "kB", "MB", "GB", "TB"];
    while v >= 1000.0 && unit < units.len() - 1 {
        v /= 1000.0;
        unit += 1;
    }
    let digits = if v >= 100.0 {
        1
    } else if v >= 10.0 {
        2
    } else {
        3
    };
    let s = format!("{v:.digits$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    format!("{s}{}", units[unit])
}

#[tokio::test]
async fn history_layers_sharing_and_sizes_match_the_cli() {
    let _images = IMAGES.lock().await;
    let engine = engine().await;
    let d = engine.image_details("berth-fixture/web:1").await.unwrap();
    assert!(d.layers_matched, "{:#?}", d.history);
    assert_eq!(d.exposed_ports, ["80/tcp"]);
    assert_eq!(d.cmd, ["httpd", "-f", "-p", "80", "-h", "/www"]);
    assert_eq!(d.os, "linux");
    let expose = d
        .history
        .iter()
        .find(|s| s.instruction.starts_with("EXPOSE"))
        .unwrap();
    assert!(expose.empty && expose.diff_id.is_none());
    let layers: Vec<_> = d.history.iter().filter(|s| s.diff_id.is_some()).collect();
    let want: usize = docker_ok(&[
        "image",
        "inspect",
        "--format",
        "{{len .RootFS.Layers}}",
        "berth-fixture/web:1",
    ])
    .parse()
    .unwrap();
    assert_eq!(layers.len(), want);
    // The base layers are busybox's, and tools is built on them too.
    assert!(
        layers[0]
            .shared_with
            .contains(&"berth-fixture/busybox:1".to_string()),
        "{:?}",
        layers[0]
    );
    assert!(layers[0]
        .shared_with
        .contains(&"berth-fixture/tools:1".to_string()));
    // The top layer (mkdir /www ...) is web's own.
    assert!(layers.last().unwrap().shared_with.is_empty());
    assert!(d.raw.contains("\"RootFS\""));

    let cli = docker_ok(&["system", "df", "-v", "--format", "{{json .Images}}"]);
    let rows: Vec<serde_json::Value> = serde_json::from_str(&cli).unwrap();
    for name in [
        "berth-fixture/web:1",
        "berth-fixture/busybox:1",
        "berth-fixture/tools:1",
    ] {
        let d = engine.image_details(name).await.unwrap();
        let row = rows.iter().find(|r| r["ID"] == d.id.as_str()).unwrap();
        assert_eq!(human(d.shared_size.unwrap()), row["SharedSize"], "{name}");
        assert_eq!(human(d.unique_size.unwrap()), row["UniqueSize"], "{name}");
    }
}

#[tokio::test]
async fn removing_an_image_in_use_names_the_container_and_one_tag_of_two_only_untags() {
    let _images = IMAGES.lock().await;
    let engine = engine().await;
    let _cleanup_rmi = Cleanup::new("rmi");
    let p = prefix("rmi");
    let (a, b) = (format!("{p}:a"), format!("{p}:b"));
    let _gone = Untag(vec![a.clone(), b.clone()]);
    // An image of this test's own, so no other test's containers use it.
    let ctx = tempfile::tempdir().unwrap();
    std::fs::write(
        ctx.path().join("Dockerfile"),
        format!("FROM {FIXTURE}\nRUN echo {p} > /p\n"),
    )
    .unwrap();
    docker_ok(&["build", "-q", "-t", &a, &ctx.path().to_string_lossy()]);

    // Tag with the reference checked; a digest cannot be a tag.
    assert_eq!(engine.tag_image(&a, &b).await.unwrap(), b);
    for (bad, why) in [
        ("Bad/Name", "lowercase"),
        (&format!("{p}@sha256:{}", "a".repeat(64)), "digest"),
    ] {
        match engine.tag_image(&a, bad).await.unwrap_err() {
            Error::InvalidInput { field, message, .. } => {
                assert_eq!(field, "target");
                assert!(message.contains(why), "{message}");
            }
            e => panic!("{e:?}"),
        }
    }
    let user = format!("{p}-user");
    let out = Command::new("docker")
        .args([
            "create",
            "--name",
            &user,
            "--label",
            &format!("{LABEL}={}", prefix("rmi")),
            &a,
            "true",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());

    // Two tags: removing one only untags, as docker does, container or not.
    let done = engine.remove_image(&a).await.unwrap();
    assert_eq!(done.untagged, std::slice::from_ref(&a));
    assert!(done.deleted.is_empty());
    // The last tag: refused while the container exists, naming it.
    match engine.remove_image(&b).await.unwrap_err() {
        Error::Conflict { message, .. } => assert!(message.contains(&user), "{message}"),
        e => panic!("{e:?}"),
    }
    cleanup(&engine, "rmi").await;
    let done = engine.remove_image(&b).await.unwrap();
    assert_eq!(done.untagged, std::slice::from_ref(&b));
    assert!(
        !done.deleted.is_empty(),
        "the image itself goes with its last tag"
    );
}

#[tokio::test]
async fn the_prune_preview_lists_exactly_what_prune_deletes() {
    let _images = IMAGES.lock().await;
    let engine = engine().await;
    let p = prefix("prune");
    let label = format!("berth.prune={p}");
    let ctx = tempfile::tempdir().unwrap();
    // Two builds of one tag: the first becomes dangling. A third image is
    // tagged and unused (only `-a` takes it).
    for n in 0..2 {
        std::fs::write(
            ctx.path().join("Dockerfile"),
            format!("FROM {FIXTURE}\nLABEL berth.prune={p}\nRUN echo {n}-{p} > /n\n"),
        )
        .unwrap();
        docker_ok(&[
            "build",
            "-q",
            "-t",
            &format!("{p}:dangling"),
            &ctx.path().to_string_lossy(),
        ]);
    }
    std::fs::write(
        ctx.path().join("Dockerfile"),
        format!("FROM {FIXTURE}\nLABEL berth.prune={p}\nRUN echo tagged-{p} > /n\n"),
    )
    .unwrap();
    docker_ok(&[
        "build",
        "-q",
        "-t",
        &format!("{p}:unused"),
        &ctx.path().to_string_lossy(),
    ]);
    let _gone = Untag(vec![format!("{p}:dangling"), format!("{p}:unused")]);

    for all in [false, true] {
        let plan = engine
            .prune_preview(all, std::slice::from_ref(&label))
            .await
            .unwrap();
        assert!(!plan.images.is_empty(), "all={all}");
        let done = engine
            .prune_images(all, std::slice::from_ref(&label))
            .await
            .unwrap();
        let mut planned: Vec<&String> = plan.images.iter().map(|i| &i.id).collect();
        let mut deleted: Vec<&String> = done
            .deleted
            .iter()
            .filter(|d| planned.contains(d))
            .collect();
        planned.sort();
        deleted.sort();
        assert_eq!(planned, deleted, "all={all}: {done:?}");
        assert_eq!(plan.reclaim_bytes, done.reclaimed_bytes, "all={all}");
        if all {
            assert!(plan
                .images
                .iter()
                .any(|i| i.tags == [format!("{p}:unused")]));
        } else {
            assert!(plan.images.iter().all(|i| i.tags.is_empty()));
        }
    }
    let out = Command::new("docker")
        .args(["image", "inspect", &format!("{p}:unused")])
        .output()
        .unwrap();
    assert!(
        !out.status.success(),
        "prune -a took the unused tagged image"
    );
}
