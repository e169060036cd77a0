//! Shared set-up for the tests against the real engine: a connection, a
//! per-run name prefix and label, and cleanup of everything a test made.
#![allow(dead_code)]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test helpers fail the test by panicking"
)]

use std::collections::HashMap;

use berth_core::engine::endpoint::Environment;
use berth_core::Engine;
use bollard::models::{ContainerCreateBody, HostConfig, PortBinding};
use bollard::query_parameters::{
    CreateContainerOptionsBuilder, ListContainersOptionsBuilder, RemoveContainerOptionsBuilder,
};

pub const FIXTURE: &str = "berth-fixture/busybox:1";
pub const LABEL: &str = "berth.test";

/// Tests that add images or compare image counts hold this, so that one's
/// images never show up in another's count.
pub static IMAGES: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

pub async fn engine() -> Engine {
    Engine::connect(&Environment::from_process())
        .await
        .expect("these tests need a running Docker engine (scripts/setup.sh starts one)")
}

/// A unique prefix per test so parallel tests never share objects.
pub fn prefix(test: &str) -> String {
    format!("berth-test-{}-{test}", std::process::id())
}

pub struct Spec<'a> {
    /// The test's own tag: its containers carry it, and cleanup removes them.
    pub test: &'a str,
    pub name: &'a str,
    pub cmd: &'a [&'a str],
    /// (host ip, host port, container port "80/tcp")
    pub publish: &'a [(&'a str, u16, &'a str)],
}

pub async fn create(engine: &Engine, spec: Spec<'_>) -> String {
    let mut bindings: HashMap<String, Option<Vec<PortBinding>>> = HashMap::new();
    for (ip, port, cport) in spec.publish {
        bindings.insert(
            cport.to_string(),
            Some(vec![PortBinding {
                host_ip: Some(ip.to_string()),
                host_port: Some(port.to_string()),
            }]),
        );
    }
    let body = ContainerCreateBody {
        image: Some(FIXTURE.into()),
        cmd: Some(spec.cmd.iter().map(|s| s.to_string()).collect()),
        labels: Some(HashMap::from([(LABEL.to_string(), prefix(spec.test))])),
        exposed_ports: Some(spec.publish.iter().map(|(_, _, c)| c.to_string()).collect()),
        host_config: Some(HostConfig {
            port_bindings: Some(bindings),
            ..Default::default()
        }),
        ..Default::default()
    };
    engine
        .docker()
        .create_container(
            Some(CreateContainerOptionsBuilder::new().name(spec.name).build()),
            body,
        )
        .await
        .expect("create container")
        .id
}

/// Creates a container from a whole create body, named `prefix(test)`.
pub async fn create_named(engine: &Engine, test: &str, body: ContainerCreateBody) -> String {
    engine
        .docker()
        .create_container(
            Some(
                CreateContainerOptionsBuilder::new()
                    .name(&prefix(test))
                    .build(),
            ),
            body,
        )
        .await
        .expect("create container")
        .id
}

/// Removes the containers the test `test` labelled when it is dropped: at
/// the end of the test, and also when the test fails half-way (a panic
/// unwinds through it), so a failed run leaves nothing behind.
pub struct Cleanup(String);

impl Cleanup {
    pub fn new(test: &str) -> Self {
        Cleanup(test.to_string())
    }
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        let test = self.0.clone();
        // Drop cannot await, and the test's own runtime may be the one
        // unwinding: a thread with a runtime of its own does the work.
        let _ = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime for cleanup");
            runtime.block_on(async {
                if let Ok(engine) = Engine::connect(&Environment::from_process()).await {
                    cleanup(&engine, &test).await;
                }
            });
        })
        .join();
    }
}

/// Removes every container the test `test` labelled.
pub async fn cleanup(engine: &Engine, test: &str) {
    let filters = HashMap::from([(
        "label".to_string(),
        vec![format!("{LABEL}={}", prefix(test))],
    )]);
    let list = engine
        .docker()
        .list_containers(Some(
            ListContainersOptionsBuilder::new()
                .all(true)
                .filters(&filters)
                .build(),
        ))
        .await
        .unwrap_or_default();
    for c in list {
        let _ = engine
            .docker()
            .remove_container(
                c.id.as_deref().unwrap_or_default(),
                Some(
                    RemoveContainerOptionsBuilder::new()
                        .force(true)
                        .v(true)
                        .build(),
                ),
            )
            .await;
    }
}

/// A TCP port nothing listens on right now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts a container and waits until it has exited.
pub async fn run_to_exit(engine: &Engine, id: &str) {
    use futures_util::StreamExt;
    engine
        .docker()
        .start_container(id, None)
        .await
        .expect("start");
    let _ = engine
        .docker()
        .wait_container(id, None)
        .collect::<Vec<_>>()
        .await;
}

/// Removes image tags a test made, even after a failed assertion.
pub struct Untag(pub Vec<String>);

impl Drop for Untag {
    fn drop(&mut self) {
        for r in &self.0 {
            let _ = std::process::Command::new("docker")
                .args(["image", "rm", r])
                .output();
        }
    }
}

/// Removes the dangling images carrying `berth.test=VALUE` (a multi-stage
/// build's earlier stages, a rebuilt tag's old image), even after a failed
/// assertion.
pub struct PruneLabelled(pub String);

impl Drop for PruneLabelled {
    fn drop(&mut self) {
        let _ = std::process::Command::new("docker")
            .args([
                "image",
                "prune",
                "-f",
                "--filter",
                &format!("label={LABEL}={}", self.0),
            ])
            .output();
    }
}

/// Runs the docker CLI: whether it succeeded, and its stdout and stderr.
pub fn docker(args: &[&str]) -> (bool, String) {
    let out = std::process::Command::new("docker")
        .args(args)
        .output()
        .expect("the docker CLI is installed by scripts/setup.sh");
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    (out.status.success(), text.trim().to_string())
}

/// Runs the docker CLI, which must succeed; its stdout.
pub fn docker_ok(args: &[&str]) -> String {
    let out = std::process::Command::new("docker")
        .args(args)
        .output()
        .expect("the docker CLI is installed by scripts/setup.sh");
    assert!(
        out.status.success(),
        "docker {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// The real engine's socket (DOCKER_HOST's when it is a unix one).
pub fn engine_socket() -> std::path::PathBuf {
    match std::env::var("DOCKER_HOST") {
        Ok(h) if h.starts_with("unix://") => h.trim_start_matches("unix://").into(),
        _ => "/var/run/docker.sock".into(),
    }
}

/// Waits (8 s at most) for a watch status matching `pred` in `log`.
pub async fn wait_for(
    log: &std::sync::Arc<std::sync::Mutex<Vec<berth_core::engine::watch::Status>>>,
    what: &str,
    pred: impl Fn(&berth_core::engine::watch::Status) -> bool,
) -> berth_core::engine::watch::Status {
    let start = std::time::Instant::now();
    loop {
        if let Some(s) = log.lock().unwrap().iter().rev().find(|s| pred(s)) {
            return s.clone();
        }
        assert!(
            start.elapsed() < std::time::Duration::from_secs(8),
            "no {what} within 8 s: {:?}",
            log.lock().unwrap()
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// Runs `watch::run` in a task, recording every status it reports; the
/// log, the retry handle and the task.
pub fn spawn_watch(
    env: impl Fn() -> berth_core::engine::endpoint::Environment + Send + 'static,
) -> (
    std::sync::Arc<std::sync::Mutex<Vec<berth_core::engine::watch::Status>>>,
    std::sync::Arc<tokio::sync::Notify>,
    tokio::task::JoinHandle<()>,
) {
    use berth_core::engine::watch::{self, Status, Update};
    let log: std::sync::Arc<std::sync::Mutex<Vec<Status>>> = Default::default();
    let sink_log = log.clone();
    let retry = std::sync::Arc::new(tokio::sync::Notify::new());
    let task = tokio::spawn(watch::run(env, retry.clone(), move |u| {
        let s = match u {
            Update::Connected(e) => Status::Connected {
                endpoint: e.endpoint(),
                source: e.source().clone(),
                api_version: e.api_version(),
            },
            Update::Down(s) => s,
            Update::Event(_) => return,
        };
        sink_log.lock().unwrap().push(s);
    }));
    (log, retry, task)
}
