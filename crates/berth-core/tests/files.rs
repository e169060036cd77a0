//! F1-F4 against the real engine: a folder tree with nested and empty
//! folders, a symlink, unicode and space names and a 1 GiB file copied into
//! a stopped container and back out byte for byte with modes kept; the
//! same on an image with no shell; listing, preview and `docker diff`; and
//! the learners' lab of two containers writing different random numbers.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails by panicking"
)]

mod common;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use berth_core::files::{ChangeKind, FileKind};
use berth_core::Engine;
use common::*;
use sha2::{Digest, Sha256};

const GIB: u64 = 1 << 30;

fn host_tree(root: &Path, big: u64) {
    std::fs::create_dir_all(root.join("nested/deeper/한글 폴더")).unwrap();
    std::fs::create_dir_all(root.join("empty dir")).unwrap();
    std::fs::write(
        root.join("nested/deeper/한글 폴더/파일 이름.txt"),
        "안녕 Berth\n",
    )
    .unwrap();
    std::fs::write(root.join("readme.txt"), "hello from the host\n").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::os::unix::fs::symlink("readme.txt", root.join("link to readme")).unwrap();
        std::fs::write(root.join("run.sh"), "#!/bin/sh\necho hi\n").unwrap();
        std::fs::set_permissions(root.join("run.sh"), std::fs::Permissions::from_mode(0o750))
            .unwrap();
    }
    // A big file of real (not sparse) bytes: a cheap pattern, no two MiB alike.
    let mut f = std::io::BufWriter::new(std::fs::File::create(root.join("big.bin")).unwrap());
    let mut block: Vec<u8> = (0..1u32 << 20)
        .map(|j| (j.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    for i in 0..(big >> 20) {
        // Each MiB starts with its own number, so no two are alike.
        block[..8].copy_from_slice(&i.to_le_bytes());
        f.write_all(&block).unwrap();
    }
    f.flush().unwrap();
}

/// Every path under `root` with what must survive the round trip: kind,
/// permission bits, symlink target, and a hash of the bytes.
fn fingerprint(root: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(p) = stack.pop() {
        let m = std::fs::symlink_metadata(&p).unwrap();
        let rel = p.strip_prefix(root).unwrap().display().to_string();
        #[cfg(unix)]
        let mode = {
            use std::os::unix::fs::PermissionsExt;
            m.permissions().mode() & 0o7777
        };
        #[cfg(not(unix))]
        let mode = 0;
        let what = if m.file_type().is_symlink() {
            format!("link -> {}", std::fs::read_link(&p).unwrap().display())
        } else if m.is_dir() {
            let mut kids: Vec<PathBuf> = std::fs::read_dir(&p)
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect();
            kids.sort();
            stack.extend(kids);
            format!("dir {mode:o}")
        } else {
            let mut h = Sha256::new();
            let mut f = std::fs::File::open(&p).unwrap();
            let mut buf = vec![0u8; 1 << 20];
            loop {
                let n = f.read(&mut buf).unwrap();
                if n == 0 {
                    break;
                }
                h.update(&buf[..n]);
            }
            format!("file {mode:o} {} {}", m.len(), hex::encode(h.finalize()))
        };
        out.push((rel, what));
    }
    out.sort();
    out
}

async fn round_trip(engine: &Engine, id: &str, big: u64) {
    let host = tempfile::tempdir().unwrap();
    let tree = host.path().join("tree");
    host_tree(&tree, big);
    let sent = engine
        .copy_in(
            id,
            vec![tree.clone()],
            "/",
            Arc::new(AtomicBool::new(false)),
            |_| {},
        )
        .await
        .unwrap();
    let on_host: u64 = fingerprint(&tree)
        .iter()
        .filter_map(|(_, w)| {
            w.strip_prefix("file ")
                .and_then(|r| r.split(' ').nth(1)?.parse::<u64>().ok())
        })
        .sum();
    assert_eq!(sent.bytes, on_host, "every byte counted");
    assert!(on_host > big);

    // F1: listed from the archive, small files previewed.
    let l = engine.list_dir(id, "/tree").await.unwrap();
    let names: Vec<(&str, FileKind)> = l
        .entries
        .iter()
        .map(|e| (e.name.as_str(), e.kind))
        .collect();
    assert!(names.contains(&("empty dir", FileKind::Dir)), "{names:?}");
    assert!(names.contains(&("link to readme", FileKind::Symlink)));
    let big_entry = l.entries.iter().find(|e| e.name == "big.bin").unwrap();
    assert_eq!(big_entry.size, big);
    let p = engine
        .preview_file(id, "/tree/nested/deeper/한글 폴더/파일 이름.txt")
        .await
        .unwrap();
    assert_eq!(p.text.as_deref(), Some("안녕 Berth\n"));
    assert!(
        engine
            .preview_file(id, "/tree/big.bin")
            .await
            .unwrap()
            .text
            .is_none(),
        "binary is not shown as text"
    );

    // F3: back out, byte for byte.
    let out = tempfile::tempdir().unwrap();
    let got = engine
        .copy_out(
            id,
            vec!["/tree".into()],
            out.path().to_path_buf(),
            false,
            Arc::new(AtomicBool::new(false)),
            |_| {},
        )
        .await
        .unwrap();
    assert!(got.skipped.is_empty(), "{:?}", got.skipped);
    assert_eq!(got.placed, ["tree"]);
    assert_eq!(fingerprint(&out.path().join("tree")), fingerprint(&tree));

    // Copying out again over it is refused, naming the path, unless asked.
    match engine
        .copy_out(
            id,
            vec!["/tree".into()],
            out.path().to_path_buf(),
            false,
            Arc::new(AtomicBool::new(false)),
            |_| {},
        )
        .await
        .unwrap_err()
    {
        berth_core::Error::Conflict { message, .. } => {
            assert!(message.contains("tree"), "{message}")
        }
        e => panic!("{e:?}"),
    }

    // F4: the copy shows in the container layer's changes.
    let changes = engine.changes(id).await.unwrap();
    assert!(
        changes
            .iter()
            .any(|c| c.path == "/tree" && c.kind == ChangeKind::Added),
        "{changes:?}"
    );
}

#[tokio::test]
async fn a_tree_with_a_1_gib_file_goes_into_a_stopped_container_and_back_out_unchanged() {
    let engine = engine().await;
    let _cleanup_files = Cleanup::new("files");
    let id = create(
        &engine,
        Spec {
            test: "files",
            name: &prefix("files"),
            cmd: &["true"],
            publish: &[],
        },
    )
    .await;
    run_to_exit(&engine, &id).await;
    round_trip(&engine, &id, GIB).await;
}

#[tokio::test]
async fn files_work_on_an_image_with_no_shell() {
    let _images = IMAGES.lock().await;
    let engine = engine().await;
    let _cleanup_noshell = Cleanup::new("noshell");
    let p = prefix("noshell");
    let image = format!("{p}:1");
    let _gone = Untag(vec![image.clone()]);
    let ctx = tempfile::tempdir().unwrap();
    std::fs::write(ctx.path().join("hello.txt"), "no shell here\n").unwrap();
    std::fs::write(
        ctx.path().join("Dockerfile"),
        "FROM scratch\nCOPY hello.txt /\nCMD [\"/nothing\"]\n",
    )
    .unwrap();
    let out = std::process::Command::new("docker")
        .args(["build", "-q", "-t", &image, &ctx.path().to_string_lossy()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let name = format!("{p}-c");
    let out = std::process::Command::new("docker")
        .args([
            "create",
            "--name",
            &name,
            "--label",
            &format!("{LABEL}={}", prefix("noshell")),
            &image,
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let id = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let root = engine.list_dir(&id, "/").await.unwrap();
    assert!(
        root.entries
            .iter()
            .any(|e| e.name == "hello.txt" && e.kind == FileKind::File),
        "{:?}",
        root.entries
    );
    assert!(engine.shells(&id).await.is_err() || engine.shells(&id).await.unwrap().is_empty());
    round_trip(&engine, &id, 4 << 20).await;
}

#[tokio::test]
async fn a_missing_path_and_a_relative_one_are_refused_by_name() {
    let engine = engine().await;
    let _cleanup_files_bad = Cleanup::new("files-bad");
    let id = create(
        &engine,
        Spec {
            test: "files-bad",
            name: &prefix("files-bad"),
            cmd: &["true"],
            publish: &[],
        },
    )
    .await;
    match engine.list_dir(&id, "/no/such/place").await.unwrap_err() {
        berth_core::Error::NotFound { message, .. } => {
            assert!(message.contains("/no/such/place"), "{message}")
        }
        e => panic!("{e:?}"),
    }
    match engine.list_dir(&id, "etc").await.unwrap_err() {
        berth_core::Error::InvalidInput { field, .. } => assert_eq!(field, "path"),
        e => panic!("{e:?}"),
    }
    // F2's destination: a folder is answered by the engine's stat, and
    // anything else still by name, as before the stat.
    let host = tempfile::tempdir().unwrap();
    let file = host.path().join("note.txt");
    std::fs::write(&file, "hi\n").unwrap();
    let copy = |dest: &'static str| {
        engine.copy_in(
            &id,
            vec![file.clone()],
            dest,
            Arc::new(AtomicBool::new(false)),
            |_| {},
        )
    };
    match copy("/no/such/place").await.unwrap_err() {
        berth_core::Error::NotFound { message, .. } => {
            assert!(message.contains("/no/such/place"), "{message}")
        }
        e => panic!("{e:?}"),
    }
    for not_a_folder in ["/bin/busybox", "/bin/sh"] {
        match copy(not_a_folder).await.unwrap_err() {
            berth_core::Error::InvalidInput { field, message, .. } => {
                assert_eq!(field, "destination");
                assert!(message.contains(not_a_folder), "{message}");
            }
            e => panic!("{not_a_folder}: {e:?}"),
        }
    }
    match copy("etc").await.unwrap_err() {
        berth_core::Error::InvalidInput { field, .. } => assert_eq!(field, "destination"),
        e => panic!("{e:?}"),
    }
    let sent = copy("/bin").await.unwrap();
    assert_eq!((sent.files, sent.bytes), (1, 3));
    let back = engine.preview_file(&id, "/bin/note.txt").await.unwrap();
    assert_eq!(back.text.as_deref(), Some("hi\n"));
}

/// The lab from the learners' notes (ch03): two containers of one image
/// each write a random number; copied out, the two files differ.
#[tokio::test]
async fn two_containers_of_one_image_write_different_random_numbers() {
    let engine = engine().await;
    let mut numbers = Vec::new();
    for n in 0..2 {
        let test = format!("lab-{n}");
        let id = create(
            &engine,
            Spec {
                test: &test,
                name: &prefix(&test),
                cmd: &[
                    "sh",
                    "-c",
                    "mkdir -p /random && echo $RANDOM$RANDOM > /random/number.txt",
                ],
                publish: &[],
            },
        )
        .await;
        run_to_exit(&engine, &id).await;
        let out = tempfile::tempdir().unwrap();
        engine
            .copy_out(
                &id,
                vec!["/random/number.txt".into()],
                out.path().to_path_buf(),
                false,
                Arc::new(AtomicBool::new(false)),
                |_| {},
            )
            .await
            .unwrap();
        numbers.push(std::fs::read_to_string(out.path().join("number.txt")).unwrap());
        cleanup(&engine, &test).await;
    }
    assert!(!numbers[0].trim().is_empty());
    assert_ne!(numbers[0], numbers[1]);
}

/// F1's fast path: a running container's folder listed by its own shell
/// gives what the archive gives (names with spaces and Korean, a symlink
/// and its target, modes, owners, sizes, times), without reading what lies
/// below; a name with a newline, a file, a missing path and a stopped
/// container all still answer, through the archive.
#[tokio::test]
async fn a_running_containers_folder_is_listed_by_its_shell_as_the_archive_lists_it() {
    let engine = engine().await;
    let _cleanup = Cleanup::new("files-fast");
    let id = create(
        &engine,
        Spec {
            test: "files-fast",
            name: &prefix("files-fast"),
            cmd: &["sleep", "600"],
            publish: &[],
        },
    )
    .await;
    engine.docker().start_container(&id, None).await.unwrap();
    docker_ok(&[
        "exec",
        &id,
        "sh",
        "-c",
        "mkdir -p '/w/a dir/deep' /w/빈폴더 && echo hi > '/w/a file' && ln -s '/w/a file' /w/link \
         && chmod 4750 '/w/a file' && chown 1000:1000 /w/빈폴더 && dd if=/dev/zero of='/w/a dir/deep/big' bs=1M count=64 2>/dev/null",
    ]);
    let fast = engine.list_dir(&id, "/w").await.unwrap();
    let slow = engine.list_dir_from_archive(&id, "/w").await.unwrap();
    assert!(!fast.from_archive && slow.from_archive);
    // Podman's archive gives every entry owner 0 (seen with 4.3.1); the
    // shell tells the truth, so there owners are compared by the shell alone.
    let owners = !engine.is_podman().await.unwrap();
    let view = |l: &berth_core::files::Listing| {
        l.entries
            .iter()
            .map(|e| {
                (
                    e.name.clone(),
                    e.kind,
                    e.size,
                    e.mode_text.clone(),
                    owners.then_some((e.uid, e.gid)),
                    e.link_target.clone(),
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(view(&fast), view(&slow));
    // Times to the second; Podman's archive rounds them up (seen: +1 s).
    for (a, b) in fast.entries.iter().zip(&slow.entries) {
        assert!(a.mtime.abs_diff(b.mtime) <= 1, "{a:?} {b:?}");
    }
    let names: Vec<&str> = fast.entries.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["a dir", "빈폴더", "a file", "link"]);
    assert_eq!(fast.entries[3].link_target.as_deref(), Some("/w/a file"));
    assert_eq!(fast.entries[2].mode_text, "-rwsr-x---");
    assert_eq!(fast.entries[1].uid, 1000);
    let this = fast.this.as_ref().unwrap();
    assert_eq!((this.name.as_str(), this.kind), ("w", FileKind::Dir));

    // A name with a newline: the shell's answer cannot carry it, the archive can.
    docker_ok(&[
        "exec",
        &id,
        "sh",
        "-c",
        "touch \"/w/two
lines\"",
    ]);
    let l = engine.list_dir(&id, "/w").await.unwrap();
    assert!(l.from_archive);
    assert!(l.entries.iter().any(|e| e.name == "two\nlines"), "{l:?}");
    // A file, and a missing path with the engine's words.
    let l = engine.list_dir(&id, "/w/a file").await.unwrap();
    assert!(l.entries.is_empty() && l.this.unwrap().kind == FileKind::File);
    assert!(matches!(
        engine.list_dir(&id, "/w/nothing").await.unwrap_err(),
        berth_core::Error::NotFound { .. }
    ));
    // Stopped: the archive.
    docker_ok(&["stop", "-t", "0", &id]);
    let l = engine.list_dir(&id, "/w").await.unwrap();
    assert!(l.from_archive && l.entries.len() == 5, "{l:?}");
}

/// The archive path (F1) says how far it has read, and stops when
/// cancelled: a stopped container with 512 MiB (sparse) below `/d`.
#[tokio::test]
async fn a_listing_through_the_archive_reports_progress_and_can_be_cancelled() {
    let engine = engine().await;
    let _cleanup = Cleanup::new("files-slow");
    let id = create(
        &engine,
        Spec {
            test: "files-slow",
            name: &prefix("files-slow"),
            cmd: &["sh", "-c", "mkdir /d && dd if=/dev/zero of=/d/big bs=1M count=0 seek=512 2>/dev/null && echo x > /d/x"],
            publish: &[],
        },
    )
    .await;
    run_to_exit(&engine, &id).await;
    let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = seen.clone();
    let listing = engine
        .list_dir_watched(&id, "/d", Arc::default(), move |p| {
            log.lock().unwrap().push(p)
        })
        .await
        .unwrap();
    assert!(listing.from_archive);
    let names: Vec<_> = listing.entries.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["big", "x"]);
    let seen = seen.lock().unwrap().clone();
    assert!(!seen.is_empty(), "no progress while 512 MiB were read");
    assert!(
        seen.windows(2).all(|w| w[0].bytes <= w[1].bytes),
        "{seen:?}"
    );
    assert!(seen.last().unwrap().bytes > 1 << 20, "{seen:?}");
    // Cancelled once the first progress comes: no listing, and said so.
    let cancel = Arc::new(AtomicBool::new(false));
    let flag = cancel.clone();
    let err = engine
        .list_dir_watched(&id, "/d", cancel, move |_| {
            flag.store(true, Ordering::Relaxed)
        })
        .await
        .unwrap_err();
    assert!(
        matches!(&err, berth_core::Error::Cancelled { .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("/d was not listed"), "{err}");
}

/// An engine that refuses a copy in while the archive is still being sent
/// (Docker: a read-only root filesystem) is named in its own words, not as the
/// broken pipe the packer then meets: the file is far larger than what the
/// body holds in flight.
#[tokio::test]
async fn a_refused_copy_in_keeps_the_engines_words() {
    use bollard::models::{ContainerCreateBody, HostConfig};
    use std::collections::HashMap;
    let engine = engine().await;
    if engine.is_podman().await.unwrap() {
        // Podman copies into a stopped container's read-only root (seen
        // with 4.3): it has no such refusal to keep.
        return;
    }
    let _cleanup = Cleanup::new("files-ro");
    let body = ContainerCreateBody {
        image: Some(FIXTURE.into()),
        cmd: Some(vec!["true".into()]),
        labels: Some(HashMap::from([(LABEL.to_string(), prefix("files-ro"))])),
        host_config: Some(HostConfig {
            readonly_rootfs: Some(true),
            ..Default::default()
        }),
        ..Default::default()
    };
    let id = create_named(&engine, "files-ro", body).await;
    let host = tempfile::tempdir().unwrap();
    let big = host.path().join("big.bin");
    std::fs::write(&big, vec![7u8; 32 << 20]).unwrap();
    let e = engine
        .copy_in(
            &id,
            vec![big],
            "/bin",
            Arc::new(AtomicBool::new(false)),
            |_| {},
        )
        .await
        .unwrap_err();
    let text = e.to_string();
    assert!(text.contains("read-only"), "{e:?}");
    assert!(!text.contains("stopped reading"), "{e:?}");
}
