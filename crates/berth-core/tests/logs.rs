//! C5 against the real engine: streams told apart, a million lines, a 50 MB
//! line with no newline, and follow ending when the container dies.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails by panicking"
)]

mod common;

use std::time::{Duration, Instant};

use berth_core::containers::logs::{LogLine, LogOptions, LogStream, MAX_LINE};
use berth_core::Engine;
use common::*;
use futures_util::StreamExt;

async fn exited(engine: &Engine, test: &str, script: &str) -> String {
    let id = create(
        engine,
        Spec {
            test,
            name: &prefix(test),
            cmd: &["sh", "-c", script],
            publish: &[],
        },
    )
    .await;
    run_to_exit(engine, &id).await;
    id
}

async fn all_lines(engine: &Engine, id: &str, opts: LogOptions) -> (Vec<LogLine>, usize) {
    let mut stream = engine.logs_fast(id, &opts).await.unwrap();
    let mut lines = Vec::new();
    let mut batches = 0;
    while let Some(batch) = stream.next().await {
        lines.extend(batch.unwrap());
        batches += 1;
    }
    (lines, batches)
}

const ALL: LogOptions = LogOptions {
    follow: false,
    tail: None,
    timestamps: false,
    since: None,
};

#[tokio::test]
async fn stdout_and_stderr_are_told_apart_and_tail_keeps_the_last_lines() {
    let engine = engine().await;
    let _cleanup_logs_streams = Cleanup::new("logs-streams");
    let id = exited(
        &engine,
        "logs-streams",
        "echo out1; echo err1 >&2; sleep 0.1; echo out2",
    )
    .await;
    let (lines, _) = all_lines(&engine, &id, ALL).await;
    // The engine copies stdout and stderr separately: their relative order
    // is not kept, each stream's own order is.
    let of = |s: LogStream| {
        lines
            .iter()
            .filter(|l| l.stream == s)
            .map(|l| l.text.as_str())
            .collect::<Vec<_>>()
    };
    assert_eq!(of(LogStream::Stdout), vec!["out1", "out2"]);
    assert_eq!(of(LogStream::Stderr), vec!["err1"]);
    // bollard's reader (used over named pipes) reads the same lines.
    let mut via_bollard = Vec::new();
    let mut s = Box::pin(engine.logs(&id, &ALL));
    while let Some(b) = s.next().await {
        via_bollard.extend(b.unwrap());
    }
    let mut a = lines.clone();
    let mut b = via_bollard;
    a.sort_by(|x, y| x.text.cmp(&y.text));
    b.sort_by(|x, y| x.text.cmp(&y.text));
    assert_eq!(a, b);

    let (tail, _) = all_lines(
        &engine,
        &id,
        LogOptions {
            tail: Some(1),
            timestamps: true,
            ..ALL
        },
    )
    .await;
    assert_eq!(tail.len(), 1);
    assert_eq!(tail[0].text, "out2");
    assert!(
        tail[0]
            .timestamp
            .as_deref()
            .is_some_and(|t| t.starts_with("20")),
        "{:?}",
        tail[0]
    );
}

#[tokio::test]
async fn a_million_lines_arrive_complete_and_in_batches() {
    let engine = engine().await;
    let _cleanup_logs_million = Cleanup::new("logs-million");
    let id = exited(&engine, "logs-million", "seq 1 1000000").await;
    let t = Instant::now();
    let (lines, batches) = all_lines(&engine, &id, ALL).await;
    println!(
        "1,000,000 lines in {batches} batches, {:.2} s",
        t.elapsed().as_secs_f64()
    );
    assert_eq!(lines.len(), 1_000_000);
    assert_eq!(lines[0].text, "1");
    assert_eq!(lines[999_999].text, "1000000");
    assert!(batches <= 1_000_000 / 100, "{batches} batches: not batched");
}

#[tokio::test]
async fn a_50_mb_line_without_newline_is_cut_at_64_kib() {
    let engine = engine().await;
    let _cleanup_logs_long = Cleanup::new("logs-long");
    let id = exited(
        &engine,
        "logs-long",
        "head -c 52428800 /dev/zero | tr '\\0' x; echo; echo after",
    )
    .await;
    let (lines, _) = all_lines(&engine, &id, ALL).await;
    assert_eq!(
        lines.len(),
        2,
        "{:?}",
        lines.iter().map(|l| l.text.len()).collect::<Vec<_>>()
    );
    assert_eq!(lines[0].text.len(), MAX_LINE);
    assert!(lines[0].truncated);
    assert_eq!(lines[1].text, "after");
}

#[tokio::test]
async fn follow_delivers_new_lines_and_ends_when_the_container_dies() {
    let engine = engine().await;
    let _cleanup_logs_follow = Cleanup::new("logs-follow");
    let id = create(
        &engine,
        Spec {
            test: "logs-follow",
            name: &prefix("logs-follow"),
            cmd: &["sh", "-c", "echo a; sleep 1; echo b"],
            publish: &[],
        },
    )
    .await;
    engine.docker().start_container(&id, None).await.unwrap();
    let mut stream = Box::pin(engine.logs(
        &id,
        &LogOptions {
            follow: true,
            ..ALL
        },
    ));
    let mut texts = Vec::new();
    let done = tokio::time::timeout(Duration::from_secs(10), async {
        while let Some(batch) = stream.next().await {
            texts.extend(batch.unwrap().into_iter().map(|l| l.text));
        }
    })
    .await;
    assert!(done.is_ok(), "follow ends when the container exits");
    assert_eq!(texts, vec!["a", "b"]);
}

#[tokio::test]
async fn logs_of_a_missing_container_say_not_found() {
    let engine = engine().await;
    match engine.logs_fast("berth-no-such-container", &ALL).await {
        Err(berth_core::Error::NotFound { message, .. }) => {
            assert!(message.contains("berth-no-such-container"), "{message}")
        }
        Err(e) => panic!("{e:?}"),
        Ok(_) => panic!("a stream for a missing container"),
    }
}

#[tokio::test]
async fn a_tty_containers_log_is_one_console_stream() {
    let engine = engine().await;
    let _cleanup_logs_tty = Cleanup::new("logs-tty");
    let name = prefix("logs-tty");
    let out = std::process::Command::new("docker")
        .args([
            "run",
            "-t",
            "--name",
            &name,
            "--label",
            &format!("{LABEL}={}", prefix("logs-tty")),
            FIXTURE,
            "sh",
            "-c",
            "echo one; echo two >&2",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let (lines, _) = all_lines(&engine, &name, ALL).await;
    let got: Vec<_> = lines.iter().map(|l| (l.stream, l.text.as_str())).collect();
    assert_eq!(
        got,
        vec![(LogStream::Console, "one"), (LogStream::Console, "two")]
    );
}

#[tokio::test]
async fn saving_logs_writes_every_line_to_the_file_and_a_bad_folder_is_named() {
    let engine = engine().await;
    let _cleanup_logs_save = Cleanup::new("logs-save");
    let id = exited(
        &engine,
        "logs-save",
        "i=1; while [ $i -le 2000 ]; do echo line $i; i=$((i+1)); done",
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("web.log");
    let saved = engine.save_logs(&id, &ALL, &path).await.unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(saved.lines, 2000);
    assert_eq!(saved.bytes, text.len() as u64);
    assert_eq!(text.lines().next(), Some("line 1"));
    assert_eq!(text.lines().last(), Some("line 2000"));
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no .partial left"
    );

    let opts = LogOptions {
        tail: Some(5),
        timestamps: true,
        ..ALL
    };
    engine.save_logs(&id, &opts, &path).await.unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(text.lines().count(), 5);
    assert!(text.lines().all(|l| l.contains("Z line ")), "{text}");

    let missing = dir.path().join("no-such-folder/web.log");
    match engine.save_logs(&id, &ALL, &missing).await.unwrap_err() {
        berth_core::Error::InvalidInput { field, message, .. } => {
            assert_eq!(field, "path");
            assert!(message.contains("no-such-folder"), "{message}");
        }
        e => panic!("{e:?}"),
    }
}
