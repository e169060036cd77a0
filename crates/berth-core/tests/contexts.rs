//! E5 against the real engine and the real docker CLI: contexts the CLI
//! created are listed as `docker context ls` lists them; switching writes
//! what `docker context use` writes (the CLI then agrees on the current
//! one), and a running watch moves to the new engine, or names the broken
//! context it cannot reach; SSH contexts and the variables that win are
//! refused with the reason.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails by panicking"
)]

use std::path::Path;

mod common;

use berth_core::engine::contexts;
use berth_core::engine::endpoint::{Environment, Source};
use berth_core::engine::watch::Status;
use berth_core::Error;
use common::{engine_socket, spawn_watch, wait_for};

fn cli(dir: &Path, args: &[&str]) -> String {
    let out = std::process::Command::new("docker")
        .arg("--config")
        .arg(dir)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn env(dir: &Path) -> Environment {
    Environment {
        docker_config: Some(dir.to_path_buf()),
        ..Environment::from_process()
    }
}

#[tokio::test]
async fn contexts_are_listed_and_switched_as_the_cli_does() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    let sock = engine_socket();
    cli(
        dir,
        &[
            "context",
            "create",
            "same",
            "--description",
            "this engine again",
            "--docker",
            &format!("host=unix://{}", sock.display()),
        ],
    );
    cli(
        dir,
        &[
            "context",
            "create",
            "broken",
            "--docker",
            "host=unix:///nonexistent/berth.sock",
        ],
    );
    cli(
        dir,
        &[
            "context",
            "create",
            "remote",
            "--docker",
            "host=ssh://user@example.invalid",
        ],
    );
    let e = env(dir);
    let e = Environment {
        docker_host: None,
        docker_context: None,
        ..e
    };

    let listed = contexts::list(&e).unwrap();
    let names: Vec<&str> = listed.rows.iter().map(|r| r.name.as_str()).collect();
    let cli_names = cli(dir, &["context", "ls", "--format", "{{.Name}}"]);
    let mut cli_names: Vec<&str> = cli_names
        .lines()
        .map(|l| l.trim_end_matches(" *"))
        .collect();
    cli_names.sort();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(sorted, cli_names);
    assert_eq!(names[0], "default");
    assert!(listed.rows[0].current);
    let same = listed.rows.iter().find(|r| r.name == "same").unwrap();
    assert_eq!(same.description, "this engine again");
    assert_eq!(same.unusable, None);
    let remote = listed.rows.iter().find(|r| r.name == "remote").unwrap();
    // SSH engines are engines like any other now (E5a).
    assert_eq!(remote.unusable, None);
    assert_eq!(listed.overridden_by, None);

    // A watch follows the switches.
    let watch_env = e.clone();
    let (log, retry, watcher) = spawn_watch(move || watch_env.clone());
    wait_for(&log, "connected to default", |s| {
        matches!(s, Status::Connected { .. })
    })
    .await;

    assert_eq!(
        contexts::use_context(&e, "same").unwrap(),
        "docker context use same"
    );
    assert_eq!(cli(dir, &["context", "show"]), "same");
    retry.notify_one();
    wait_for(&log, "connected to same", |s| {
        matches!(s, Status::Connected { source: Source::Context { name, .. }, .. } if name == "same")
    })
    .await;

    contexts::use_context(&e, "broken").unwrap();
    retry.notify_one();
    match wait_for(&log, "down on broken", |s| matches!(s, Status::Down { .. })).await {
        Status::Down { attempts, .. } => {
            assert_eq!(attempts.len(), 1, "a chosen context is the only candidate");
            assert_eq!(
                attempts[0].source,
                Source::Context {
                    name: "broken".into(),
                    from_env: false
                }
            );
        }
        _ => unreachable!(),
    }

    log.lock().unwrap().clear();
    contexts::use_context(&e, "default").unwrap();
    assert_eq!(cli(dir, &["context", "show"]), "default");
    retry.notify_one();
    wait_for(&log, "connected again", |s| {
        matches!(s, Status::Connected { .. })
    })
    .await;
    watcher.abort();

    // Refusals, with the reason.
    for (name, words) in [("nope", "there are: default, broken, remote, same")] {
        match contexts::use_context(&e, name) {
            Err(Error::InvalidInput { field, message, .. }) => {
                assert_eq!(field, "context");
                assert!(message.contains(words), "{message}");
            }
            other => panic!("{name}: {other:?}"),
        }
    }
    let pinned = Environment {
        docker_host: Some(format!("unix://{}", sock.display())),
        ..e.clone()
    };
    assert!(contexts::list(&pinned)
        .unwrap()
        .overridden_by
        .unwrap()
        .starts_with("DOCKER_HOST="));
    match contexts::use_context(&pinned, "same") {
        Err(Error::InvalidInput { message, .. }) => {
            assert!(message.contains("DOCKER_HOST"), "{message}")
        }
        other => panic!("{other:?}"),
    }
}
