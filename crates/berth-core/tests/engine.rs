//! The core against the real engine: connecting, the lists, disk usage and
//! the event stream. Every object is name-prefixed, labelled and removed.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails by panicking"
)]

mod common;

use std::process::Command;
use std::time::Duration;

use berth_core::containers::State;
use berth_core::engine::endpoint::{Environment, Failure};
use berth_core::{Engine, Error};
use bollard::query_parameters::{CommitContainerOptionsBuilder, RemoveImageOptionsBuilder};
use common::*;
use futures_util::StreamExt;

#[tokio::test]
async fn connecting_negotiates_down_to_the_engines_api_version() {
    let engine = engine().await;
    let info = engine.info().await.unwrap();
    let cli = Command::new("docker")
        .args([
            "version",
            "--format",
            "{{.Server.APIVersion}} {{.Server.Version}}",
        ])
        .output()
        .expect("docker CLI");
    let cli = String::from_utf8(cli.stdout).unwrap();
    let (api, version) = cli.trim().split_once(' ').unwrap();
    assert_eq!(info.engine_api_version, api);
    assert_eq!(info.server_version, version);
    // Never above what the engine speaks (bollard alone would send 1.53).
    let parse = |v: &str| -> (u32, u32) {
        let (a, b) = v.split_once('.').unwrap();
        (a.parse().unwrap(), b.parse().unwrap())
    };
    assert!(
        parse(&info.api_version) <= parse(api),
        "{} > {api}",
        info.api_version
    );
    assert!(!info.arch.is_empty() && !info.storage_driver.is_empty());
    assert!(info.cpus >= 1 && info.memory_bytes > 0);
}

#[tokio::test]
async fn a_created_container_is_listed_with_its_name_image_state_and_ports() {
    let engine = engine().await;
    let _cleanup_listed = Cleanup::new("listed");
    let name = prefix("listed");
    let port = free_port();
    let id = create(
        &engine,
        Spec {
            test: "listed",
            name: &name,
            cmd: &["sleep", "60"],
            publish: &[("127.0.0.1", port, "80/tcp")],
        },
    )
    .await;

    let all = engine.list_containers(true).await.unwrap();
    let row = all
        .iter()
        .find(|r| r.id == id)
        .expect("listed with all=true");
    assert_eq!(row.name, name);
    assert_eq!(row.image, FIXTURE);
    assert_eq!(row.state, State::Created);
    let running = engine.list_containers(false).await.unwrap();
    assert!(
        running.iter().all(|r| r.id != id),
        "a created container is not running"
    );

    engine.docker().start_container(&id, None).await.unwrap();
    let running = engine.list_containers(false).await.unwrap();
    let row = running.iter().find(|r| r.id == id).expect("running");
    assert_eq!(row.state, State::Running);
    assert_eq!(row.ports.len(), 1, "{:?}", row.ports);
    let p = &row.ports[0];
    assert_eq!(
        (
            p.host_ip.as_deref(),
            p.host_port,
            p.container_port,
            p.protocol.as_str()
        ),
        (Some("127.0.0.1"), Some(port), 80, "tcp")
    );
}

#[tokio::test]
async fn an_exited_container_reports_its_exit_code() {
    let engine = engine().await;
    let _cleanup_exit = Cleanup::new("exit");
    let name = prefix("exit3");
    let id = create(
        &engine,
        Spec {
            test: "exit",
            name: &name,
            cmd: &["sh", "-c", "exit 3"],
            publish: &[],
        },
    )
    .await;
    run_to_exit(&engine, &id).await;
    let killed = create(
        &engine,
        Spec {
            test: "exit",
            name: &prefix("killed"),
            cmd: &["sleep", "60"],
            publish: &[],
        },
    )
    .await;
    engine
        .docker()
        .start_container(&killed, None)
        .await
        .unwrap();
    engine.docker().kill_container(&killed, None).await.unwrap();
    let _ = engine
        .docker()
        .wait_container(&killed, None)
        .collect::<Vec<_>>()
        .await;

    let all = engine.list_containers(true).await.unwrap();
    let row = all.iter().find(|r| r.id == id).unwrap();
    assert_eq!(
        (row.state, row.exit_code),
        (State::Exited, Some(3)),
        "{}",
        row.status
    );
    let row = all.iter().find(|r| r.id == killed).unwrap();
    assert_eq!(row.exit_code, Some(137), "{}", row.status);
}

#[tokio::test]
async fn images_are_listed_per_tag_and_a_retagged_one_becomes_dangling() {
    let _images = IMAGES.lock().await;
    let engine = engine().await;
    let _cleanup_dangle = Cleanup::new("dangle");
    let repo = prefix("dangle");
    let a = create(
        &engine,
        Spec {
            test: "dangle",
            name: &prefix("dangle-a"),
            cmd: &["true"],
            publish: &[],
        },
    )
    .await;
    let b = create(
        &engine,
        Spec {
            test: "dangle",
            name: &prefix("dangle-b"),
            cmd: &["false"],
            publish: &[],
        },
    )
    .await;
    let commit = |c: &str| {
        CommitContainerOptionsBuilder::new()
            .container(c)
            .repo(&repo)
            .tag("1")
            .build()
    };
    let first = engine
        .docker()
        .commit_container(commit(&a), bollard::models::ContainerConfig::default())
        .await
        .unwrap()
        .id;
    let second = engine
        .docker()
        .commit_container(commit(&b), bollard::models::ContainerConfig::default())
        .await
        .unwrap()
        .id;
    assert_ne!(first, second);

    let rows = engine.list_images().await.unwrap();
    let tagged = rows
        .iter()
        .find(|r| r.id == second)
        .expect("second image listed");
    assert_eq!(tagged.repository.as_deref(), Some(repo.as_str()));
    assert_eq!(tagged.tag.as_deref(), Some("1"));
    let dangling = rows
        .iter()
        .find(|r| r.id == first)
        .expect("first image still listed");
    assert_eq!(
        (dangling.repository.as_ref(), dangling.tag.as_ref()),
        (None, None)
    );
    assert!(rows
        .iter()
        .any(|r| r.repository.as_deref() == Some("berth-fixture/busybox")));

    cleanup(&engine, "dangle").await;
    for id in [first, second] {
        let _ = engine
            .docker()
            .remove_image(
                &id,
                Some(RemoveImageOptionsBuilder::new().force(true).build()),
                None,
            )
            .await;
    }
}

#[tokio::test]
async fn disk_usage_counts_what_docker_system_df_counts() {
    let _images = IMAGES.lock().await;
    let engine = engine().await;
    let _cleanup_df = Cleanup::new("df");
    let id = create(
        &engine,
        Spec {
            test: "df",
            name: &prefix("df"),
            cmd: &["sh", "-c", "dd if=/dev/zero of=/blob bs=1024 count=2048"],
            publish: &[],
        },
    )
    .await;
    run_to_exit(&engine, &id).await;

    let ours = engine.disk_usage().await.unwrap();
    let cli = Command::new("docker")
        .args(["system", "df", "--format", "{{.Type}}|{{.TotalCount}}"])
        .output()
        .unwrap();
    let cli = String::from_utf8(cli.stdout).unwrap();
    let count = |ty: &str| -> u32 {
        cli.lines()
            .find_map(|l| l.strip_prefix(&format!("{ty}|")))
            .unwrap_or_else(|| panic!("{ty} missing in {cli}"))
            .parse()
            .unwrap()
    };
    // Other tests run beside this one and add or remove objects; the counts
    // are compared with the CLI's where nothing else moves them much.
    assert_eq!(ours.images.total_count, count("Images"));
    assert_eq!(ours.volumes.total_count, count("Local Volumes"));
    assert!(ours.containers.total_count >= 1);
    // The stopped container's 2 MiB writable layer is reclaimable.
    assert!(
        ours.containers.reclaimable_bytes >= 2 * 1024 * 1024,
        "{:?}",
        ours.containers
    );
    assert!(ours.images.size_bytes > 0);
    assert!(!ours.images.unreported, "Docker reports its image sizes");
}

#[tokio::test]
async fn the_event_stream_reports_a_container_starting() {
    let engine = engine().await;
    let _cleanup_events = Cleanup::new("events");
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let mut events = Box::pin(engine.events(Some(since)));
    let id = create(
        &engine,
        Spec {
            test: "events",
            name: &prefix("events"),
            cmd: &["sleep", "30"],
            publish: &[],
        },
    )
    .await;
    engine.docker().start_container(&id, None).await.unwrap();
    let seen = tokio::time::timeout(Duration::from_secs(5), async {
        while let Some(ev) = events.next().await {
            let ev = ev.unwrap();
            if ev.kind == "container" && ev.action == "start" && ev.id == id {
                return ev;
            }
        }
        panic!("event stream ended");
    })
    .await
    .expect("start event within 5 s");
    assert_eq!(seen.name.as_deref(), Some(prefix("events").as_str()));
    assert_eq!(seen.exit_code, None);
    // Killed: `die` carries the exit code (128 + SIGKILL).
    engine
        .docker()
        .kill_container(&id, None::<bollard::query_parameters::KillContainerOptions>)
        .await
        .unwrap();
    let died = tokio::time::timeout(Duration::from_secs(5), async {
        while let Some(ev) = events.next().await {
            let ev = ev.unwrap();
            if ev.kind == "container" && ev.action == "die" && ev.id == id {
                return ev;
            }
        }
        panic!("event stream ended");
    })
    .await
    .expect("die event within 5 s");
    assert_eq!(died.exit_code, Some(137));
}

fn env_with_host(host: &str) -> Environment {
    Environment {
        docker_host: Some(host.into()),
        ..Default::default()
    }
}

async fn failure_of(host: &str) -> (Failure, String) {
    match Engine::connect(&env_with_host(host)).await.unwrap_err() {
        Error::EngineUnreachable { attempts } => {
            assert_eq!(attempts.len(), 1);
            assert_eq!(attempts[0].endpoint, host);
            (attempts[0].failure, attempts[0].detail.clone())
        }
        e => panic!("{host}: {e:?}"),
    }
}

#[tokio::test]
async fn each_unreachable_endpoint_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let missing = format!("unix://{}/nothing.sock", dir.path().display());
    assert_eq!(failure_of(&missing).await.0, Failure::NotFound);

    // A socket file left behind by a process that is gone.
    let stale = dir.path().join("stale.sock");
    drop(std::os::unix::net::UnixListener::bind(&stale).unwrap());
    let (f, detail) = failure_of(&format!("unix://{}", stale.display())).await;
    assert_eq!(f, Failure::Refused, "{detail}");

    let port = free_port();
    assert_eq!(
        failure_of(&format!("tcp://127.0.0.1:{port}")).await.0,
        Failure::Refused
    );

    // Something that speaks HTTP, but not the Docker API.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        loop {
            let (mut s, _) = listener.accept().await.unwrap();
            let mut buf = [0u8; 1024];
            let _ = s.read(&mut buf).await;
            let body = "<html>not docker</html>";
            let _ = s
                .write_all(format!("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\n\r\n{body}", body.len()).as_bytes())
                .await;
        }
    });
    let (f, detail) = failure_of(&format!("tcp://{addr}")).await;
    assert_eq!(f, Failure::NotDocker, "{detail}");
    server.abort();
}

#[tokio::test]
async fn a_garbage_docker_host_is_refused_before_any_connection() {
    match Engine::connect(&env_with_host("htp://oops"))
        .await
        .unwrap_err()
    {
        Error::InvalidInput { field, message, .. } => {
            assert_eq!(field, "DOCKER_HOST");
            assert!(
                message.contains("htp://oops") && message.contains("unknown scheme"),
                "{message}"
            );
        }
        e => panic!("{e:?}"),
    }
}
