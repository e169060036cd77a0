//! C4 against the real engine: a container run from the form serves its
//! page on the published port, has its three mounts with the right kind and
//! mode, and the `docker run` line Berth shows, run by the docker CLI, makes
//! an equivalent container. Refusals name what is in the way.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails by panicking"
)]

mod common;

use std::io::{Read, Write};
use std::process::Command;
use std::time::Duration;

use berth_core::containers::details::MountKind;
use berth_core::containers::run::{self, BindRow, RunForm, TmpfsRow, VolumeRow};
use berth_core::{Engine, Error};
use common::*;
use serde_json::Value;

/// Removes what the test made, even after a failed assertion.
struct Made {
    containers: Vec<String>,
    volumes: Vec<String>,
}

impl Drop for Made {
    fn drop(&mut self) {
        for c in &self.containers {
            let _ = Command::new("docker").args(["rm", "-f", "-v", c]).output();
        }
        for v in &self.volumes {
            let _ = Command::new("docker")
                .args(["volume", "rm", "-f", v])
                .output();
        }
    }
}

async fn fetch(port: u16) -> String {
    for _ in 0..50 {
        if let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", port)) {
            let _ = s.write_all(b"GET / HTTP/1.0\r\n\r\n");
            let mut body = String::new();
            if s.read_to_string(&mut body).is_ok() && !body.is_empty() {
                return body;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("nothing answered on 127.0.0.1:{port}");
}

async fn inspect(engine: &Engine, id: &str) -> Value {
    let i = engine.docker().inspect_container(id, None).await.unwrap();
    serde_json::to_value(i).unwrap()
}

/// The fields that make two containers "the same run", with the name and
/// host port (the only things that must differ) taken out.
fn essence(v: &Value, port: u16) -> Value {
    let c = &v["Config"];
    let h = &v["HostConfig"];
    let mut mounts: Vec<Value> = v["Mounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| serde_json::json!([m["Type"], m["Destination"], m["RW"], m["Name"]]))
        .collect();
    mounts.sort_by_key(|m| m.to_string());
    // The CLI collects -v values in a Go map: their order is not kept.
    let mut binds: Vec<Value> = h["Binds"].as_array().cloned().unwrap_or_default();
    binds.sort_by_key(|b| b.to_string());
    let bindings = h["PortBindings"]
        .to_string()
        .replace(&port.to_string(), "PORT");
    serde_json::json!({
        "image": c["Image"], "cmd": c["Cmd"], "env": c["Env"], "tty": c["Tty"],
        "stdin": c["OpenStdin"], "exposed": c["ExposedPorts"], "volumes": c["Volumes"],
        "binds": binds, "ports": bindings, "tmpfs": h["Tmpfs"],
        "restart": h["RestartPolicy"], "rm": h["AutoRemove"], "net": h["NetworkMode"],
        "mounts": mounts,
    })
}

#[tokio::test]
async fn a_container_run_from_the_form_equals_the_one_its_cli_line_makes() {
    let engine = engine().await;
    let p = prefix("run");
    let mut made = Made {
        containers: vec![format!("{p}-berth"), format!("{p}-cli")],
        volumes: vec![format!("{p}-data")],
    };
    let site = tempfile::tempdir().unwrap();
    std::fs::write(site.path().join("index.html"), format!("served by {p}")).unwrap();
    let port = free_port();
    let form = RunForm {
        image: "berth-fixture/web:1".into(),
        name: format!("{p}-berth"),
        ports: vec![format!("127.0.0.1:{port}:80")],
        binds: vec![BindRow {
            source: site.path().to_string_lossy().into(),
            target: "/www".into(),
            read_only: true,
        }],
        volumes: vec![VolumeRow {
            name: format!("{p}-data"),
            target: "/data".into(),
            read_only: false,
        }],
        tmpfs: vec![TmpfsRow {
            target: "/scratch".into(),
            size: "8m".into(),
        }],
        env: vec![run::EnvRow {
            key: "GREETING".into(),
            value: "hi there".into(),
        }],
        ..Default::default()
    };
    let check = engine.check_run(&form).await.unwrap();
    assert!(check.errors.is_empty(), "{:?}", check.errors);
    assert_eq!(check.new_volumes, [format!("{p}-data")]);
    assert_eq!(check.image.as_ref().unwrap().exposed, ["80/tcp"]);
    let started = engine.run(&form).await.unwrap();
    assert_eq!(started.name, format!("{p}-berth"));
    assert!(started.started);

    let page = fetch(port).await;
    assert!(page.contains(&format!("served by {p}")), "{page}");

    let d = engine.container_details(&started.id).await.unwrap();
    let kind = |dest: &str| {
        let m = d.mounts.iter().find(|m| m.destination == dest).unwrap();
        (m.kind, m.read_only)
    };
    assert_eq!(kind("/www"), (MountKind::Bind, true));
    assert_eq!(kind("/data"), (MountKind::Volume, false));
    assert_eq!(kind("/scratch"), (MountKind::Tmpfs, false));

    // The CLI line, with only the name and host port changed, run by docker.
    let cli = check.cli.unwrap();
    let port2 = free_port();
    let mut args = shlex::split(&cli).unwrap();
    assert_eq!(&args[..2], ["docker", "run"]);
    for a in args.iter_mut() {
        *a = a
            .replace(&format!("{p}-berth"), &format!("{p}-cli"))
            .replace(&format!(":{port}:"), &format!(":{port2}:"));
    }
    let out = Command::new("docker").args(&args[1..]).output().unwrap();
    assert!(
        out.status.success(),
        "{cli}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let cli_id = String::from_utf8_lossy(&out.stdout).trim().to_string();
    assert!(fetch(port2).await.contains(&format!("served by {p}")));

    let ours = essence(&inspect(&engine, &started.id).await, port);
    let theirs = essence(&inspect(&engine, &cli_id).await, port2);
    // Mounts lists bind and volume; tmpfs lives in HostConfig.Tmpfs.
    assert_eq!(ours["mounts"].as_array().unwrap().len(), 2, "{ours}");
    assert_eq!(ours["tmpfs"]["/scratch"], "size=8m");
    assert!(
        ours["ports"].as_str().unwrap().contains("127.0.0.1"),
        "{ours}"
    );
    assert_eq!(ours, theirs);

    // Refusals that only the engine can know, each naming the holder.
    let again = engine.check_run(&form).await.unwrap();
    let msg = |field: &str| {
        again
            .errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.clone())
            .unwrap_or_else(|| panic!("no {field} error in {:?}", again.errors))
    };
    assert!(msg("name").contains(&started.id[..12]), "{}", msg("name"));
    assert!(msg("ports.0").contains(&format!("taken by container `{p}-berth`")));
    match engine.run(&form).await.unwrap_err() {
        Error::InvalidInput { field, .. } => assert_eq!(field, "name"),
        e => panic!("{e:?}"),
    }
    made.containers.push(cli_id);
}

#[tokio::test]
async fn what_only_the_engine_knows_is_checked_before_the_run() {
    let engine = engine().await;
    let p = prefix("run-refused");
    let _made = Made {
        containers: vec![],
        volumes: vec![],
    };
    let check = engine
        .check_run(&RunForm {
            image: format!("{p}/not-here:1"),
            network: format!("{p}-net"),
            ..Default::default()
        })
        .await
        .unwrap();
    let fields: Vec<&str> = check.errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["image", "network"], "{:?}", check.errors);
    assert!(check.errors[0].message.contains("not on this machine"));
    // Other tests' networks may be listed too; the built-ins always are.
    let msg = &check.errors[1].message;
    assert!(msg.contains("there are: "), "{msg}");
    for n in ["bridge", "host", "none"] {
        assert!(msg.contains(n), "{msg}");
    }

    // A host port a program outside the engine holds.
    let held = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = held.local_addr().unwrap().port();
    let check = engine
        .check_run(&RunForm {
            image: FIXTURE.into(),
            ports: vec![format!("127.0.0.1:{port}:80")],
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(check.errors.len(), 1, "{:?}", check.errors);
    assert!(check.errors[0]
        .message
        .contains("in use by a program on this machine"));
    // Syntax errors come back with the reference read so far.
    let check = engine
        .check_run(&RunForm {
            image: FIXTURE.into(),
            ports: vec!["80:80:80".into()],
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(check.errors[0].field, "ports.0");
    assert!(check.cli.is_none());
    assert_eq!(check.reference.unwrap().familiar, FIXTURE);
}

#[tokio::test]
async fn an_interactive_run_is_created_for_its_terminal_and_not_started() {
    let engine = engine().await;
    let p = prefix("run-it");
    let _made = Made {
        containers: vec![format!("{p}")],
        volumes: vec![],
    };
    let started = engine
        .run(&RunForm {
            image: FIXTURE.into(),
            name: p.clone(),
            interactive: true,
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(!started.started);
    let v = inspect(&engine, &started.id).await;
    assert_eq!(v["State"]["Status"], "created");
    assert_eq!(v["Config"]["Tty"], true);
    assert_eq!(v["Config"]["OpenStdin"], true);
}
