//! E7 against a real three-node swarm made on this machine: three dockerds,
//! each in its own network namespace with its own data root
//! (`scripts/swarm-nodes.sh`). Berth inits the swarm on node1 and joins the
//! other two as workers; then the nodes are listed with their roles, a
//! service of 3 replicas spreads over the three, draining a node moves its
//! tasks, scaling goes 3 → 5 → 1, a rolling update with parallelism 1
//! replaces one task at a time (read from the task history), a rollback and
//! a failing update that rolls itself back, the logs of all tasks come
//! merged, a secret is read inside its task's container and never comes
//! back through Berth, and a stack is deployed from a compose file and
//! removed.
//!
//! Nothing is published: this kernel has no IPVS, so the routing mesh
//! cannot work here (see the README). One test, as the swarm takes seconds
//! to form; the engines and namespaces are removed when it ends, pass or
//! fail.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests fail by panicking"
)]

use std::collections::HashSet;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use berth_core::engine::endpoint::Environment;
use berth_core::said::Said;
use berth_core::swarm::objects::{ObjectForm, ObjectKind};
use berth_core::swarm::services::{ServiceChange, ServiceForm, TaskRow, UpdatePolicy};
use berth_core::swarm::stacks::{stacks, StackForm};
use berth_core::swarm::{InitForm, JoinForm, NodeChange, SwarmRole};
use berth_core::{Engine, Error};

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

/// The test's engines, stopped and removed when dropped.
struct Nodes {
    dir: PathBuf,
    net: u32,
}

impl Nodes {
    fn up(n: u32) -> Nodes {
        let net = 20 + std::process::id() % 200;
        let dir = std::env::temp_dir().join(format!("berth-swarm-{}", std::process::id()));
        let script = Path::new(ROOT).join("scripts/swarm-nodes.sh");
        let out = Command::new("bash")
            .arg(&script)
            .args([
                "up",
                &dir.display().to_string(),
                &n.to_string(),
                &net.to_string(),
            ])
            .output()
            .expect("bash");
        let nodes = Nodes { dir, net };
        assert!(
            out.status.success(),
            "swarm-nodes.sh up (needs root, iproute2 and docker.io): {}",
            String::from_utf8_lossy(&out.stderr)
        );
        nodes
    }

    fn socket(&self, k: u32) -> String {
        format!("unix://{}/node{k}/docker.sock", self.dir.display())
    }

    fn addr(&self, k: u32) -> String {
        format!("10.77.{}.1{k}", self.net)
    }

    async fn engine(&self, k: u32) -> Engine {
        let env = Environment {
            docker_host: Some(self.socket(k)),
            ..Environment::from_process()
        };
        Engine::connect(&env).await.expect("a node's engine")
    }

    /// The docker CLI on node k.
    fn docker(&self, k: u32, args: &[&str]) -> String {
        let out = Command::new("docker")
            .args(["-H", &self.socket(k)])
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "docker {args:?} on node{k}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }
}

impl Drop for Nodes {
    fn drop(&mut self) {
        let script = Path::new(ROOT).join("scripts/swarm-nodes.sh");
        let _ = Command::new("bash")
            .arg(script)
            .args(["down", &self.dir.display().to_string()])
            .output();
    }
}

/// Polls `f` until it gives Some, for `secs` at most.
async fn until<T, F, Fut>(secs: u64, what: &str, mut f: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let start = Instant::now();
    loop {
        if let Some(t) = f().await {
            return t;
        }
        assert!(
            start.elapsed() < Duration::from_secs(secs),
            "{what}: not within {secs} s"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// The tasks that are running and meant to run.
fn running(tasks: &[TaskRow]) -> Vec<&TaskRow> {
    tasks
        .iter()
        .filter(|t| t.desired == "running" && t.state == "running")
        .collect()
}

async fn running_count(e: &Engine, service: &str) -> usize {
    running(&e.service_tasks(service).await.unwrap()).len()
}

/// RFC 3339 as seconds.
fn secs(ts: &str) -> f64 {
    berth_core::compose::logs::unix_of(ts)
        .unwrap_or_else(|| panic!("not a time: {ts}"))
        .parse()
        .unwrap()
}

fn said(e: &Error) -> &Said {
    e.said_code().unwrap_or_else(|| panic!("no code: {e:?}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_three_node_swarm_is_managed_through_berth() {
    let nodes = Nodes::up(3);
    let (m, w2, w3) = (
        nodes.engine(1).await,
        nodes.engine(2).await,
        nodes.engine(3).await,
    );

    // --- the swarm itself -------------------------------------------------
    assert_eq!(m.swarm_status().await.unwrap().role, SwarmRole::Inactive);
    let e = m.list_services().await.unwrap_err();
    assert!(
        matches!(said(&e), Said::SwarmNotManager { detail } if detail.contains("not a swarm manager")),
        "{e:?}"
    );
    let e = m
        .swarm_init(&InitForm {
            advertise_addr: "10.0.0.1; rm -rf /".into(),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(e.field(), Some("advertiseAddr"));
    let line = m
        .swarm_init(&InitForm {
            advertise_addr: nodes.addr(1),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        line,
        format!("docker swarm init --advertise-addr {}", nodes.addr(1))
    );
    let status = m.swarm_status().await.unwrap();
    assert_eq!(status.role, SwarmRole::Manager);
    assert_eq!(status.node_addr, nodes.addr(1));

    let tokens = m.join_tokens().await.unwrap();
    assert!(tokens.worker.starts_with("SWMTKN-1-"), "{tokens:?}");
    assert_ne!(tokens.worker, tokens.manager);
    assert_eq!(
        tokens.worker_command,
        format!(
            "docker swarm join --token {} {}:2377",
            tokens.worker,
            nodes.addr(1)
        )
    );
    let e = w2
        .swarm_join(&JoinForm {
            remote: nodes.addr(1),
            token: "not-a-token".into(),
            advertise_addr: String::new(),
        })
        .await
        .unwrap_err();
    assert_eq!(e.field(), Some("token"));
    for (w, k) in [(&w2, 2), (&w3, 3)] {
        let line = w
            .swarm_join(&JoinForm {
                remote: nodes.addr(1),
                token: tokens.worker.clone(),
                advertise_addr: nodes.addr(k),
            })
            .await
            .unwrap();
        assert!(line.ends_with(&format!("{}:2377", nodes.addr(1))), "{line}");
        assert_eq!(w.swarm_status().await.unwrap().role, SwarmRole::Worker);
    }
    // A worker is told so, not shown an error of its own.
    let e = w2.list_nodes().await.unwrap_err();
    assert!(matches!(said(&e), Said::SwarmNotManager { .. }), "{e:?}");

    // --- nodes ------------------------------------------------------------
    let listed = until(30, "three ready nodes", || async {
        let n = m.list_nodes().await.unwrap();
        (n.len() == 3 && n.iter().all(|r| r.state == "ready")).then_some(n)
    })
    .await;
    let names: Vec<(&str, &str)> = listed
        .iter()
        .map(|n| (n.hostname.as_str(), n.role.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("node1", "manager"),
            ("node2", "worker"),
            ("node3", "worker")
        ]
    );
    assert!(listed[0].leader && listed[0].this_node);
    assert_eq!(listed[0].reachability.as_deref(), Some("reachable"));
    assert!(listed[1..]
        .iter()
        .all(|n| !n.leader && n.reachability.is_none() && !n.this_node));
    assert!(listed.iter().all(|n| n.availability == "active"));
    let node3 = listed[2].id.clone();

    // --- a service of 3 replicas spreads over the three nodes --------------
    let form = ServiceForm {
        name: "web".into(),
        image: "berth-fixture/web:1".into(),
        replicas: 3,
        policy: Some(UpdatePolicy {
            parallelism: 1,
            delay: "2s".into(),
            monitor: "1s".into(),
            ..Default::default()
        }),
        ..Default::default()
    };
    let created = m.create_service(&form).await.unwrap();
    let (id, line) = (created.id, created.command);
    assert!(!id.is_empty());
    // No registry is reachable from the namespaces: the tag is kept, and said.
    assert!(
        matches!(&created.note, Some(Said::ServiceImageUnpinned { image }) if image == "berth-fixture/web:1"),
        "{:?}",
        created.note
    );
    assert_eq!(
        line,
        "docker service create --name web --replicas 3 --update-delay 2s --update-monitor 1s berth-fixture/web:1"
    );
    let spread = until(60, "3 running tasks", || async {
        let t = m.service_tasks("web").await.unwrap();
        let r = running(&t);
        (r.len() == 3).then(|| r.iter().map(|t| t.node.clone()).collect::<HashSet<_>>())
    })
    .await;
    assert_eq!(
        spread,
        HashSet::from(["node1".into(), "node2".into(), "node3".into()])
    );
    let row = m
        .list_services()
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.name == "web")
        .unwrap();
    assert_eq!(
        (row.mode.as_str(), row.replicas, row.running, row.desired),
        ("replicated", Some(3), 3, 3)
    );
    assert_eq!(row.image, "berth-fixture/web:1");
    assert_eq!(row.digest, None);
    assert!(!row.can_roll_back);
    let e = m.rollback_service("web").await.unwrap_err();
    assert!(matches!(said(&e), Said::ServiceNoPrevious { .. }), "{e:?}");

    // --- drain moves node3's task; activate takes new ones again ------------
    let line = m.update_node(&node3, NodeChange::Drain).await.unwrap();
    assert_eq!(line, "docker node update --availability drain node3");
    let after = until(60, "node3's task moved", || async {
        let t = m.service_tasks("web").await.unwrap();
        let r: Vec<String> = running(&t).iter().map(|t| t.node.clone()).collect();
        (r.len() == 3 && !r.contains(&"node3".to_string())).then_some(t)
    })
    .await;
    assert!(
        after
            .iter()
            .any(|t| t.node == "node3" && t.desired == "shutdown"),
        "node3's old task is shut down: {after:?}"
    );
    let n3 = m
        .list_nodes()
        .await
        .unwrap()
        .into_iter()
        .find(|n| n.id == node3)
        .unwrap();
    assert_eq!(n3.availability, "drain");
    m.update_node(&node3, NodeChange::Activate).await.unwrap();

    // --- scale 3 → 5 → 1 ---------------------------------------------------
    assert_eq!(
        m.scale_service("web", 5).await.unwrap(),
        "docker service scale web=5"
    );
    until(60, "5 running", || async {
        (running_count(&m, "web").await == 5).then_some(())
    })
    .await;
    m.scale_service("web", 1).await.unwrap();
    until(60, "1 running", || async {
        (running_count(&m, "web").await == 1).then_some(())
    })
    .await;
    m.scale_service("web", 3).await.unwrap();
    until(60, "3 running again", || async {
        (running_count(&m, "web").await == 3).then_some(())
    })
    .await;

    // --- a rolling update, one task at a time -------------------------------
    let line = m
        .update_service(
            "web",
            &ServiceChange {
                image: Some("berth-fixture/web:2".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(
        line,
        "docker service update --image berth-fixture/web:2 web"
    );
    let seen_partial = std::sync::atomic::AtomicBool::new(false);
    let done = until(120, "the update completed", || {
        let m = &m;
        let seen = &seen_partial;
        async move {
            let t = m.service_tasks("web").await.unwrap();
            let r = running(&t);
            let new = r.iter().filter(|t| t.current).count();
            if new > 0 && new < 3 {
                seen.store(true, std::sync::atomic::Ordering::Relaxed);
            }
            let s = m
                .list_services()
                .await
                .unwrap()
                .into_iter()
                .find(|s| s.name == "web")?;
            (s.update.as_ref().is_some_and(|u| u.state == "completed") && new == 3).then_some(t)
        }
    })
    .await;
    assert!(
        seen_partial.into_inner(),
        "the update was seen half-way: some tasks new, some old"
    );
    // From the history: each new task started after the one before it had
    // run for the delay (parallelism 1, delay 2 s).
    let mut started: Vec<f64> = running(&done)
        .iter()
        .filter(|t| t.current && t.image == "berth-fixture/web:2")
        .map(|t| secs(&t.since))
        .collect();
    started.sort_by(|a, b| a.partial_cmp(b).unwrap());
    assert_eq!(started.len(), 3, "{done:?}");
    for w in started.windows(2) {
        assert!(w[1] - w[0] >= 1.9, "one at a time, 2 s apart: {started:?}");
    }
    let old: Vec<&TaskRow> = done
        .iter()
        .filter(|t| t.image == "berth-fixture/web:1" && t.desired == "shutdown")
        .collect();
    assert!(
        old.len() >= 3,
        "the old tasks stay in the history: {done:?}"
    );

    // --- roll back by hand --------------------------------------------------
    assert_eq!(
        m.rollback_service("web").await.unwrap(),
        "docker service rollback web"
    );
    until(120, "rolled back to web:1", || async {
        let s = m
            .list_services()
            .await
            .unwrap()
            .into_iter()
            .find(|s| s.name == "web")?;
        let t = m.service_tasks("web").await.unwrap();
        let r = running(&t);
        (s.image == "berth-fixture/web:1"
            && s.update
                .as_ref()
                .is_some_and(|u| u.state == "rollback_completed")
            && r.len() == 3
            && r.iter().all(|t| t.image == "berth-fixture/web:1"))
        .then_some(())
    })
    .await;

    // --- an update that fails rolls itself back ------------------------------
    let line = m
        .update_service(
            "web",
            &ServiceChange {
                image: Some("berth-fixture/nothing:1".into()),
                policy: Some(UpdatePolicy {
                    parallelism: 1,
                    delay: "1s".into(),
                    failure_action: "rollback".into(),
                    monitor: "2s".into(),
                    ..Default::default()
                }),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(
        line,
        "docker service update --image berth-fixture/nothing:1 --update-delay 1s --update-failure-action rollback --update-monitor 2s web"
    );
    let failed = until(120, "the failed update rolled back", || async {
        let s = m
            .list_services()
            .await
            .unwrap()
            .into_iter()
            .find(|s| s.name == "web")?;
        (s.update
            .as_ref()
            .is_some_and(|u| u.state == "rollback_completed")
            && s.image == "berth-fixture/web:1")
            .then_some(s)
    })
    .await;
    assert!(
        failed
            .update
            .unwrap()
            .message
            .is_some_and(|m| m.contains("rollback")),
        "the engine says why"
    );
    let t = m.service_tasks("web").await.unwrap();
    assert!(
        t.iter().any(|t| t.image == "berth-fixture/nothing:1"
            && (t.state == "rejected" || t.state == "failed")
            && t.error
                .as_deref()
                .is_some_and(|e| e.contains("No such image"))),
        "the failed task and the engine's words: {t:?}"
    );
    until(60, "3 running after the rollback", || async {
        (running_count(&m, "web").await == 3).then_some(())
    })
    .await;

    // --- the logs of every task, merged -------------------------------------
    m.create_service(&ServiceForm {
        name: "talk".into(),
        image: "berth-fixture/busybox:1".into(),
        replicas: 3,
        command: r#"sh -c 'for i in 1 2 3; do echo "line $i"; sleep 0.3; done; exec sleep 3600'"#
            .into(),
        ..Default::default()
    })
    .await
    .unwrap();
    until(60, "talk's 3 tasks", || async {
        (running_count(&m, "talk").await == 3).then_some(())
    })
    .await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    use futures_util::TryStreamExt;
    let lines: Vec<_> = m
        .service_logs(&berth_core::swarm::logs::ServiceLogOptions {
            service: "talk".into(),
            tail: None,
            follow: false,
        })
        .await
        .unwrap()
        .try_concat()
        .await
        .unwrap();
    assert_eq!(lines.len(), 9, "{lines:?}");
    let tasks: HashSet<&str> = lines.iter().map(|l| l.task.as_str()).collect();
    assert_eq!(
        tasks,
        HashSet::from(["talk.1", "talk.2", "talk.3"]),
        "{lines:?}"
    );
    let nodes_seen: HashSet<&str> = lines.iter().map(|l| l.node.as_str()).collect();
    assert!(nodes_seen.len() >= 2, "from several nodes: {nodes_seen:?}");
    assert!(
        lines.iter().all(|l| l.line.text.starts_with("line ")),
        "{lines:?}"
    );
    let times: Vec<f64> = lines
        .iter()
        .map(|l| secs(l.line.timestamp.as_deref().unwrap()))
        .collect();
    assert!(
        times.windows(2).all(|w| w[0] <= w[1]),
        "merged by time: {times:?}"
    );
    m.remove_service("talk").await.unwrap();
    let e = m.rollback_service("talk").await.unwrap_err();
    assert!(matches!(e, Error::NotFound { .. }), "{e:?}");

    // --- a secret, mounted and never given back -----------------------------
    let value = "s3cret-value-only-the-task-sees";
    let line = m
        .create_object(&ObjectForm {
            kind: Some(ObjectKind::Secret),
            name: "berth-pass".into(),
            value: value.into(),
            file: String::new(),
        })
        .await
        .unwrap()
        .command;
    assert_eq!(line, "docker secret create berth-pass -");
    let e = m
        .create_object(&ObjectForm {
            kind: Some(ObjectKind::Secret),
            name: "berth-pass".into(),
            value: "again".into(),
            file: String::new(),
        })
        .await
        .unwrap_err();
    assert!(matches!(said(&e), Said::SwarmObjectExists { .. }), "{e:?}");
    let e = m
        .create_service(&ServiceForm {
            name: "vault".into(),
            image: "berth-fixture/tools:1".into(),
            replicas: 1,
            secrets: vec!["berth-nope".into()],
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(e.field(), Some("secrets.0"));
    m.create_service(&ServiceForm {
        name: "vault".into(),
        image: "berth-fixture/tools:1".into(),
        replicas: 1,
        secrets: vec!["berth-pass".into()],
        ..Default::default()
    })
    .await
    .unwrap();
    let task = until(60, "vault running", || async {
        let t = m.service_tasks("vault").await.unwrap();
        running(&t).first().map(|t| (*t).clone())
    })
    .await;
    let k: u32 = task.node.trim_start_matches("node").parse().unwrap();
    let read = nodes.docker(
        k,
        &[
            "exec",
            task.container_id.as_deref().unwrap(),
            "cat",
            "/run/secrets/berth-pass",
        ],
    );
    assert_eq!(read, value, "the task reads the secret's value");
    let secrets = m.list_secrets().await.unwrap();
    assert_eq!(secrets.len(), 1);
    assert_eq!(secrets[0].used_by, ["vault"]);
    let everything = serde_json::json!({
        "secrets": secrets,
        "services": m.list_services().await.unwrap(),
        "tasks": m.service_tasks("vault").await.unwrap(),
        "configs": m.list_configs().await.unwrap(),
    })
    .to_string();
    assert!(
        !everything.contains(value),
        "Berth never gives the value back"
    );
    let e = m
        .remove_object(ObjectKind::Secret, "berth-pass")
        .await
        .unwrap_err();
    assert!(
        matches!(said(&e), Said::SwarmObjectInUse { services, .. } if services == "vault"),
        "{e:?}"
    );
    m.remove_service("vault").await.unwrap();
    assert_eq!(
        m.remove_object(ObjectKind::Secret, "berth-pass")
            .await
            .unwrap(),
        "docker secret rm berth-pass"
    );

    // --- a stack from a compose file ----------------------------------------
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("stack.yml");
    std::fs::write(
        &file,
        "version: \"3.8\"\nservices:\n  front:\n    image: berth-fixture/web:1\n    deploy:\n      replicas: 2\n  back:\n    image: berth-fixture/tools:1\n",
    )
    .unwrap();
    let mut out = Vec::new();
    let line = m
        .deploy_stack(
            &StackForm {
                file: file.display().to_string(),
                name: "shop".into(),
                pin_images: false,
            },
            |l| out.push(l.text),
        )
        .await
        .unwrap();
    assert_eq!(
        line,
        format!(
            "docker stack deploy -c {} --resolve-image never shop",
            file.display()
        )
    );
    assert!(
        out.iter().any(|l| l.contains("shop_front")),
        "the CLI's output: {out:?}"
    );
    let shop = until(90, "the stack running", || async {
        let s = m.list_services().await.unwrap();
        let st = stacks(&s);
        st.into_iter()
            .find(|x| x.name == "shop" && x.running == 3 && x.desired == 3)
    })
    .await;
    assert_eq!(shop.services, ["shop_back", "shop_front"]);
    assert_eq!(
        m.remove_stack("shop").await.unwrap(),
        "docker stack rm shop"
    );
    until(60, "the stack gone", || async {
        let s = m.list_services().await.unwrap();
        s.iter().all(|x| x.stack.is_none()).then_some(())
    })
    .await;
    let e = m.remove_stack("shop").await.unwrap_err();
    assert!(matches!(said(&e), Said::StackMissing { .. }), "{e:?}");

    // --- leaving -------------------------------------------------------------
    assert_eq!(w3.swarm_leave(false).await.unwrap(), "docker swarm leave");
    assert_eq!(w3.swarm_status().await.unwrap().role, SwarmRole::Inactive);
    let e = m.swarm_leave(false).await.unwrap_err();
    assert!(e.to_string().contains("--force"), "the engine's words: {e}");
    assert_eq!(
        m.swarm_leave(true).await.unwrap(),
        "docker swarm leave --force"
    );
    drop(nodes);
}
