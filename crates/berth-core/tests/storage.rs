//! S1, S2 against the real engine: a volume's lifecycle, removal refused
//! naming the container that uses it, a prune preview equal to what prune
//! deletes, data in a volume surviving its container, tmpfs data gone after
//! a restart, and a read-only bind refusing writes inside the container.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails by panicking"
)]

mod common;

use std::process::Command;

use berth_core::containers::details::MountKind;
use berth_core::storage::volumes::VolumeForm;
use berth_core::Error;
use common::*;

/// Runs a throwaway busybox container with `args` before the image and
/// `script` after it; returns (exit ok, output).
fn run(test: &str, args: &[&str], script: &str) -> (bool, String) {
    let label = format!("{LABEL}={}", prefix(test));
    let mut a = vec!["run", "--rm", "--label", &label];
    a.extend_from_slice(args);
    a.extend_from_slice(&[FIXTURE, "sh", "-c", script]);
    docker(&a)
}

#[tokio::test]
async fn a_volume_is_created_used_refused_while_in_use_and_keeps_data_across_containers() {
    let engine = engine().await;
    let _cleanup_vol = Cleanup::new("vol");
    let vol = prefix("vol");
    let _cleanup = Drop2(vol.clone());
    // Bad names first, before any request.
    for bad in ["my vol", "-x", "a", "vol/1"] {
        match engine
            .create_volume(&VolumeForm {
                name: bad.into(),
                ..Default::default()
            })
            .await
            .unwrap_err()
        {
            Error::InvalidInput { field, said, .. } => {
                assert_eq!(field, "name");
                assert!(
                    matches!(
                        said.as_deref(),
                        Some(
                            berth_core::said::Said::NameChar { .. }
                                | berth_core::said::Said::NameStart { .. }
                                | berth_core::said::Said::NameTooShort { .. }
                        )
                    ),
                    "{said:?}"
                );
            }
            e => panic!("{bad}: {e:?}"),
        }
    }
    let made = engine
        .create_volume(&VolumeForm {
            name: vol.clone(),
            labels: vec![format!("berth.test={vol}")],
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(made, vol);
    assert!(matches!(
        engine
            .create_volume(&VolumeForm {
                name: vol.clone(),
                ..Default::default()
            })
            .await,
        Err(Error::Conflict { .. })
    ));

    // Data written through the volume outlives the container that wrote it.
    let (ok, _) = run(
        "vol",
        &["-v", &format!("{vol}:/data")],
        "echo kept > /data/f",
    );
    assert!(ok);
    let (ok, out) = run("vol", &["-v", &format!("{vol}:/data")], "cat /data/f");
    assert!(ok && out == "kept", "{out}");

    // In use by a stopped container: refused, naming it.
    let holder = format!("{vol}-holder");
    let (ok, _) = docker(&[
        "create",
        "--name",
        &holder,
        "--label",
        &format!("{LABEL}={}", prefix("vol")),
        "-v",
        &format!("{vol}:/data"),
        FIXTURE,
    ]);
    assert!(ok);
    let row = engine
        .list_volumes(true)
        .await
        .unwrap()
        .into_iter()
        .find(|v| v.name == vol)
        .unwrap();
    assert_eq!(row.used_by, std::slice::from_ref(&holder));
    assert!(!row.anonymous);
    match engine.remove_volume(&vol).await.unwrap_err() {
        Error::Conflict { message, .. } => assert!(message.contains(&holder), "{message}"),
        e => panic!("{e:?}"),
    }
    // The storage overview shows it with its kind and mode.
    let overview = engine.storage_overview().await.unwrap();
    let s = overview.iter().find(|s| s.container == holder).unwrap();
    assert!(s.mounts.iter().any(|m| m.kind == MountKind::Volume
        && m.source.as_deref() == Some(vol.as_str())
        && !m.read_only));
    cleanup(&engine, "vol").await;
    engine.remove_volume(&vol).await.unwrap();
    assert!(!engine
        .list_volumes(false)
        .await
        .unwrap()
        .iter()
        .any(|v| v.name == vol));
}

#[tokio::test]
async fn the_volume_prune_preview_lists_exactly_what_prune_deletes() {
    let engine = engine().await;
    let _cleanup_vprune = Cleanup::new("vprune");
    let tag = prefix("vprune");
    let label = format!("berth.prune={tag}");
    let names: Vec<String> = (0..3).map(|i| format!("{tag}-{i}")).collect();
    let _cleanup: Vec<Drop2> = names.iter().cloned().map(Drop2).collect();
    for n in &names {
        engine
            .create_volume(&VolumeForm {
                name: n.clone(),
                labels: vec![label.clone()],
                ..Default::default()
            })
            .await
            .unwrap();
    }
    // One is in use: it must be neither previewed nor pruned.
    let (ok, _) = docker(&[
        "create",
        "--label",
        &format!("{LABEL}={}", prefix("vprune")),
        "-v",
        &format!("{}:/d", names[0]),
        FIXTURE,
    ]);
    assert!(ok);
    let preview: Vec<String> = engine
        .volume_prune_preview(std::slice::from_ref(&label))
        .await
        .unwrap()
        .into_iter()
        .map(|v| v.name)
        .collect();
    assert_eq!(preview, names[1..]);
    let (deleted, _) = engine
        .prune_volumes(std::slice::from_ref(&label))
        .await
        .unwrap();
    assert_eq!(deleted, preview);
}

#[tokio::test]
async fn tmpfs_data_is_gone_after_a_restart_and_a_read_only_bind_refuses_writes() {
    let engine = engine().await;
    let _cleanup_tmpfs = Cleanup::new("tmpfs");
    let name = prefix("tmpfs");
    let (ok, _) = docker(&[
        "run",
        "-d",
        "--name",
        &name,
        "--label",
        &format!("{LABEL}={}", prefix("tmpfs")),
        "--tmpfs",
        "/scratch",
        FIXTURE,
        "sleep",
        "600",
    ]);
    assert!(ok);
    assert!(docker(&["exec", &name, "sh", "-c", "echo here > /scratch/f"]).0);
    assert_eq!(docker(&["exec", &name, "cat", "/scratch/f"]).1, "here");
    engine
        .lifecycle(&name, berth_core::containers::Lifecycle::Restart)
        .await
        .unwrap();
    let (ok, out) = docker(&["exec", &name, "cat", "/scratch/f"]);
    assert!(!ok && out.contains("No such file"), "{out}");
    cleanup(&engine, "tmpfs").await;

    let host = tempfile::tempdir().unwrap();
    std::fs::write(host.path().join("f"), "host file").unwrap();
    let bind = format!("{}:/ro:ro", host.path().display());
    let (ok, out) = run("robind", &["-v", &bind], "echo changed > /ro/f");
    assert!(!ok && out.contains("Read-only file system"), "{out}");
    assert_eq!(
        std::fs::read_to_string(host.path().join("f")).unwrap(),
        "host file"
    );
    let (ok, out) = run("robind", &["-v", &bind], "cat /ro/f");
    assert!(ok && out == "host file");
}

/// Removes a test volume even after a failed assertion.
struct Drop2(String);

impl Drop for Drop2 {
    fn drop(&mut self) {
        let _ = Command::new("docker")
            .args(["volume", "rm", "-f", &self.0])
            .output();
    }
}
