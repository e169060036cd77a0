//! B2 against the real engine: the ch03 lab (write a file in a container,
//! commit, run the new image, see the file), changes that set CMD and ENV,
//! and a volume's data left out of the image.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails by panicking"
)]

mod common;

use berth_core::containers::commit::CommitForm;
use berth_core::containers::Lifecycle;
use berth_core::Error;
use common::*;

#[tokio::test]
async fn a_file_written_in_a_container_is_in_the_image_committed_from_it() {
    let _images = IMAGES.lock().await;
    let engine = engine().await;
    let _cleanup_commit = Cleanup::new("commit");
    let p = prefix("commit");
    let image = format!("{p}:2");
    let _gone = Untag(vec![image.clone()]);
    let id = create(
        &engine,
        Spec {
            test: "commit",
            name: &p,
            cmd: &["sleep", "600"],
            publish: &[],
        },
    )
    .await;
    engine.lifecycle(&id, Lifecycle::Start).await.unwrap();
    assert!(docker(&["exec", &p, "sh", "-c", "echo committed > /hello.txt"]).0);

    for (form, field) in [
        (
            CommitForm {
                image: "Bad/Name".into(),
                ..Default::default()
            },
            "image",
        ),
        (
            CommitForm {
                image: image.clone(),
                changes: vec!["RUN echo".into()],
                ..Default::default()
            },
            "changes.0",
        ),
    ] {
        match engine.commit(&id, &form).await.unwrap_err() {
            Error::InvalidInput { field: f, .. } => assert_eq!(f, field),
            e => panic!("{e:?}"),
        }
    }

    let c = engine
        .commit(
            &id,
            &CommitForm {
                image: image.clone(),
                message: "add hello".into(),
                author: "Berth test".into(),
                pause: true,
                changes: vec![
                    r#"CMD ["cat", "/hello.txt"]"#.into(),
                    "ENV GREETING=committed".into(),
                ],
            },
        )
        .await
        .unwrap();
    assert_eq!(c.image, image);
    let i = engine.docker().inspect_image(&image).await.unwrap();
    assert_eq!(i.id.as_deref(), Some(c.id.as_str()));
    assert_eq!(i.comment.as_deref(), Some("add hello"));
    assert_eq!(i.author.as_deref(), Some("Berth test"));
    let cfg = i.config.unwrap();
    assert_eq!(cfg.cmd.unwrap(), ["cat", "/hello.txt"]);
    assert!(cfg.env.unwrap().contains(&"GREETING=committed".to_string()));
    // The new top layer holds the container's changes; the rest is the image's.
    let layers = i.root_fs.unwrap().layers.unwrap();
    assert_eq!(c.top_layer.as_ref(), layers.last());
    let base = engine
        .docker()
        .inspect_image(FIXTURE)
        .await
        .unwrap()
        .root_fs
        .unwrap()
        .layers
        .unwrap();
    assert_eq!(&layers[..base.len()], &base[..]);
    assert_eq!(layers.len(), base.len() + 1);

    let (ok, out) = docker(&[
        "run",
        "--rm",
        "--label",
        &format!("{LABEL}={}", prefix("commit")),
        &image,
    ]);
    assert!(ok && out == "committed", "{out}");
}

#[tokio::test]
async fn a_volumes_data_is_not_in_the_committed_image() {
    let _images = IMAGES.lock().await;
    let engine = engine().await;
    let _cleanup_commit_vol = Cleanup::new("commit-vol");
    let p = prefix("commit-vol");
    let image = format!("{p}:1");
    let _gone = Untag(vec![image.clone()]);
    let label = format!("{LABEL}={}", prefix("commit-vol"));
    let (ok, _) = docker(&[
        "run",
        "--name",
        &p,
        "--label",
        &label,
        "-v",
        &format!("{p}:/data"),
        FIXTURE,
        "sh",
        "-c",
        "echo secret > /data/in-volume; echo kept > /in-layer",
    ]);
    assert!(ok);
    engine
        .commit(
            &p,
            &CommitForm {
                image: image.clone(),
                pause: true,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let (ok, out) = docker(&["run", "--rm", "--label", &label, &image, "cat", "/in-layer"]);
    assert!(ok && out == "kept", "{out}");
    let (ok, out) = docker(&[
        "run",
        "--rm",
        "--label",
        &label,
        &image,
        "cat",
        "/data/in-volume",
    ]);
    assert!(
        !ok && out.contains("No such file"),
        "the volume's file must not be in the image: {out}"
    );
    cleanup(&engine, "commit-vol").await;
    let _ = docker(&["volume", "rm", "-f", &p]);
}
