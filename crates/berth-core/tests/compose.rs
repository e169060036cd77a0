//! Compose projects (P1-P4) against the real engine: grouping by labels
//! (v2's exactly, made through the API), actions and down on one project
//! never touching another whose name it prefixes, merged logs in time
//! order, and a file brought up by the compose CLI installed here (v1).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests fail by panicking"
)]

mod common;

use std::collections::HashMap;
use std::time::Duration;

use berth_core::compose::logs::ProjectLogOptions;
use berth_core::compose::project::Target;
use berth_core::compose::{file, labels, tool};
use berth_core::containers::{Lifecycle, State};
use berth_core::engine::endpoint::Environment;
use berth_core::{Engine, Error};
use bollard::models::{ContainerCreateBody, NetworkCreateRequest, VolumeCreateRequest};
use bollard::query_parameters::CreateContainerOptionsBuilder;
use common::{engine, free_port, FIXTURE};
use futures_util::TryStreamExt;

/// Takes its projects down (volumes too) when dropped, even when the test
/// fails half-way.
struct Down(Vec<String>);

impl Drop for Down {
    fn drop(&mut self) {
        let projects = self.0.clone();
        let _ = std::thread::spawn(move || {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap()
                .block_on(async {
                    if let Ok(e) = Engine::connect(&Environment::from_process()).await {
                        for p in projects {
                            let _ = e.down(&p, true).await;
                        }
                    }
                });
        })
        .join();
    }
}

fn v2_labels(project: &str, service: &str, number: u32, oneoff: bool) -> HashMap<String, String> {
    HashMap::from([
        (labels::PROJECT.into(), project.into()),
        (labels::SERVICE.into(), service.into()),
        (labels::NUMBER.into(), number.to_string()),
        (
            labels::ONEOFF.into(),
            if oneoff { "True" } else { "False" }.into(),
        ),
        (labels::WORKING_DIR.into(), format!("/srv/{project}")),
        (
            labels::CONFIG_FILES.into(),
            format!("/srv/{project}/compose.yaml,/srv/{project}/compose.override.yaml"),
        ),
        ("com.docker.compose.version".into(), "2.29.0".into()),
    ])
}

/// A project as `docker compose` v2 makes it, through the API: its
/// network, its volume, and its containers on them.
async fn make_project(e: &Engine, project: &str, services: &[(&str, u32, bool)]) {
    let d = e.docker();
    let net = format!("{project}_default");
    d.create_network(NetworkCreateRequest {
        name: net.clone(),
        labels: Some(HashMap::from([(labels::PROJECT.into(), project.into())])),
        ..Default::default()
    })
    .await
    .unwrap();
    d.create_volume(VolumeCreateRequest {
        name: Some(format!("{project}_data")),
        labels: Some(HashMap::from([(labels::PROJECT.into(), project.into())])),
        ..Default::default()
    })
    .await
    .unwrap();
    for (service, number, oneoff) in services {
        let name = if *oneoff {
            format!("{project}-{service}-run-0a1b2c")
        } else {
            format!("{project}-{service}-{number}")
        };
        let id = d
            .create_container(
                Some(CreateContainerOptionsBuilder::new().name(&name).build()),
                ContainerCreateBody {
                    image: Some(FIXTURE.into()),
                    cmd: Some(vec![
                        "sh".into(),
                        "-c".into(),
                        // Ends on SIGTERM, as a well-behaved service does.
                        format!("trap 'exit 0' TERM; echo {service}-{number}-a; sleep 0.3; echo {service}-{number}-b; sleep 600 & wait"),
                    ]),
                    labels: Some(v2_labels(project, service, *number, *oneoff)),
                    host_config: Some(bollard::models::HostConfig {
                        network_mode: Some(net.clone()),
                        binds: Some(vec![format!("{project}_data:/data")]),
                        ..Default::default()
                    }),
                    ..Default::default()
                },
            )
            .await
            .unwrap()
            .id;
        d.start_container(&id, None).await.unwrap();
    }
}

#[tokio::test]
async fn projects_group_by_label_and_down_on_web_never_touches_web2() {
    let e = engine().await;
    let base = format!("bt{}", std::process::id());
    let (web, web2) = (format!("{base}web"), format!("{base}web2"));
    let _down = Down(vec![web.clone(), web2.clone()]);
    make_project(
        &e,
        &web,
        &[
            ("app", 1, false),
            ("app", 2, false),
            ("db", 1, false),
            ("app", 1, true),
        ],
    )
    .await;
    make_project(&e, &web2, &[("app", 1, false)]).await;

    // P1: the labels read back as the list's rows carry them.
    let rows = e.list_containers(true).await.unwrap();
    let mine: Vec<_> = rows
        .iter()
        .filter_map(|r| r.compose.as_ref().map(|c| (r, c)))
        .filter(|(_, c)| c.project == web)
        .collect();
    assert_eq!(mine.len(), 4);
    let oneoff: Vec<_> = mine.iter().filter(|(_, c)| c.oneoff).collect();
    assert_eq!(oneoff.len(), 1, "one one-off container, marked");
    assert!(mine.iter().all(|(_, c)| c.config_files
        == [
            format!("/srv/{web}/compose.yaml"),
            format!("/srv/{web}/compose.override.yaml")
        ]));
    assert_eq!(
        mine.iter()
            .filter(|(_, c)| c.service == "app" && !c.oneoff)
            .map(|(_, c)| c.number)
            .collect::<Vec<_>>()
            .len(),
        2
    );

    // P2: stop one service, then start the project again.
    let app = Target {
        project: web.clone(),
        service: Some("app".into()),
    };
    let line = e.project_action(&app, Lifecycle::Stop).await.unwrap();
    assert_eq!(line, format!("docker compose -p {web} stop app"));
    let after = e
        .project_containers(&Target {
            project: web.clone(),
            service: None,
        })
        .await
        .unwrap();
    for r in &after {
        let c = r.compose.as_ref().unwrap();
        let want = if c.service == "app" {
            State::Exited
        } else {
            State::Running
        };
        assert_eq!(r.state, want, "{} {}", r.name, c.service);
    }
    e.project_action(
        &Target {
            project: web.clone(),
            service: None,
        },
        Lifecycle::Start,
    )
    .await
    .unwrap();
    let after = e
        .project_containers(&Target {
            project: web.clone(),
            service: None,
        })
        .await
        .unwrap();
    for r in after.iter().filter(|r| !r.compose.as_ref().unwrap().oneoff) {
        assert_eq!(r.state, State::Running, "{}", r.name);
    }

    // Down: exactly web's containers and network; volumes kept unless asked.
    let plan = e.down_plan(&web, false).await.unwrap();
    assert_eq!(plan.containers.len(), 4, "{plan:?}");
    assert_eq!(plan.networks, [format!("{web}_default")]);
    assert!(plan.volumes.is_empty());
    assert_eq!(plan.kept_volumes, [format!("{web}_data")]);
    assert_eq!(plan.command, format!("docker compose -p {web} down"));
    e.down(&web, false).await.unwrap();
    let rows = e.list_containers(true).await.unwrap();
    let project_of = |p: &str| {
        rows.iter()
            .filter(|r| r.compose.as_ref().is_some_and(|c| c.project == p))
            .count()
    };
    assert_eq!(project_of(&web), 0);
    assert_eq!(project_of(&web2), 1, "web2's container is untouched");
    let d = e.docker();
    assert!(d
        .inspect_network(&format!("{web}_default"), None)
        .await
        .is_err());
    assert!(d
        .inspect_network(&format!("{web2}_default"), None)
        .await
        .is_ok());
    assert!(
        d.inspect_volume(&format!("{web}_data")).await.is_ok(),
        "kept unless asked"
    );
    let plan = e.down(&web2, true).await.unwrap();
    assert_eq!(plan.volumes, [format!("{web2}_data")]);
    assert!(d.inspect_volume(&format!("{web2}_data")).await.is_err());
    assert!(matches!(
        e.project_action(
            &Target {
                project: web2.clone(),
                service: None
            },
            Lifecycle::Start
        )
        .await,
        Err(Error::NotFound { .. })
    ));
}

#[tokio::test]
async fn a_projects_logs_merge_every_service_in_time_order() {
    let e = engine().await;
    let project = format!("bt{}logs", std::process::id());
    let _down = Down(vec![project.clone()]);
    make_project(&e, &project, &[("a", 1, false), ("b", 1, false)]).await;
    // Each prints its two lines 0.3 s apart: wait for both.
    tokio::time::sleep(Duration::from_millis(900)).await;
    let opts = ProjectLogOptions {
        project: project.clone(),
        services: vec![],
        tail: None,
        follow: false,
    };
    let lines: Vec<_> = e
        .project_logs(&opts)
        .await
        .unwrap()
        .try_concat()
        .await
        .unwrap();
    let texts: Vec<_> = lines.iter().map(|l| l.line.text.as_str()).collect();
    assert_eq!(texts.len(), 4, "{texts:?}");
    for s in ["a", "b"] {
        let i = texts.iter().position(|t| *t == format!("{s}-1-a")).unwrap();
        let j = texts.iter().position(|t| *t == format!("{s}-1-b")).unwrap();
        assert!(i < j, "{texts:?}");
    }
    let keys: Vec<_> = lines
        .iter()
        .map(|l| berth_core::compose::logs::sort_key(l.line.timestamp.as_deref().unwrap()))
        .collect();
    assert!(
        keys.windows(2).all(|w| w[0] <= w[1]),
        "in time order: {keys:?}"
    );
    assert!(lines.iter().all(|l| l.service == "a" || l.service == "b"));

    // One service only, followed: a new line arrives, none twice.
    let opts = ProjectLogOptions {
        services: vec!["b".into()],
        follow: true,
        ..opts
    };
    let mut stream = e.project_logs(&opts).await.unwrap();
    let first = stream.try_next().await.unwrap().unwrap();
    assert_eq!(
        first
            .iter()
            .map(|l| l.line.text.as_str())
            .collect::<Vec<_>>(),
        ["b-1-a", "b-1-b"]
    );
    let b = e
        .project_containers(&Target {
            project: project.clone(),
            service: Some("b".into()),
        })
        .await
        .unwrap();
    let exec = e
        .docker()
        .create_exec(
            &b[0].id,
            bollard::models::ExecConfig {
                cmd: Some(vec![
                    "sh".into(),
                    "-c".into(),
                    "echo b-later > /proc/1/fd/1".into(),
                ]),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    e.docker().start_exec(&exec.id, None).await.unwrap();
    let next = tokio::time::timeout(Duration::from_secs(10), stream.try_next())
        .await
        .expect("the followed line")
        .unwrap()
        .unwrap();
    assert_eq!(
        next.iter()
            .map(|l| l.line.text.as_str())
            .collect::<Vec<_>>(),
        ["b-later"]
    );
}

const FILE: &str = "services:
  web:
    image: berth-fixture/web:1
    ports:
      - \"127.0.0.1:${WEB_PORT}:80\"
  worker:
    image: berth-fixture/busybox:1
    command: sh -c \"echo ${GREETING:-hello}; sleep 600\"
";

#[tokio::test]
async fn a_file_comes_up_through_the_compose_cli_serves_its_page_and_recreates() {
    let e = engine().await;
    let t = tool::find(None)
        .await
        .expect("a compose CLI (scripts/setup.sh installs docker-compose)");
    let dir = tempfile::tempdir().unwrap();
    let project = format!("bt{}up", std::process::id());
    let _down = Down(vec![project.clone()]);
    let port = free_port();
    std::fs::write(dir.path().join("compose.yaml"), FILE).unwrap();
    std::fs::write(
        dir.path().join(".env"),
        format!("WEB_PORT={port}\nGREETING=from-dotenv\n"),
    )
    .unwrap();

    // Read first: what it will make, the values filled in.
    let folder = dir.path().display().to_string();
    let plan = file::read(&folder, Some(&project), t.separator()).unwrap();
    assert!(plan.problems.is_empty(), "{:?}", plan.problems);
    assert_eq!(plan.services[0].ports, [format!("127.0.0.1:{port}:80")]);
    assert_eq!(
        plan.services[1].command.as_deref(),
        Some("sh -c \"echo from-dotenv; sleep 600\"")
    );

    let form = tool::UpForm {
        path: folder.clone(),
        project: project.clone(),
        ..Default::default()
    };
    let mut out = Vec::new();
    let line = e.compose_up(&t, &form, |l| out.push(l.text)).await.unwrap();
    assert!(line.contains(&format!("-p {project} up -d")), "{line}");
    assert!(!out.is_empty(), "its output streamed");
    let page = reqwest::get(format!("http://127.0.0.1:{port}/"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("<h1>Berth</h1>"), "{page}");
    let rows = e
        .project_containers(&Target {
            project: project.clone(),
            service: None,
        })
        .await
        .unwrap();
    assert_eq!(rows.len(), 2);
    let worker_id = rows
        .iter()
        .find(|r| r.compose.as_ref().unwrap().service == "worker")
        .unwrap()
        .id
        .clone();

    // The file changes: up again recreates the changed service only.
    std::fs::write(
        dir.path().join("compose.yaml"),
        FILE.replace("sleep 600", "sleep 601"),
    )
    .unwrap();
    e.compose_up(&t, &form, |_| {}).await.unwrap();
    let rows = e
        .project_containers(&Target {
            project: project.clone(),
            service: None,
        })
        .await
        .unwrap();
    let worker = rows
        .iter()
        .find(|r| r.compose.as_ref().unwrap().service == "worker")
        .unwrap();
    assert_ne!(worker.id, worker_id, "recreated");
    assert!(worker.command.contains("sleep 601"), "{}", worker.command);

    // A broken file: refused before the CLI runs, at its line.
    std::fs::write(
        dir.path().join("compose.yaml"),
        "services:\n  web:\n    image: x\n   ports: [1\n",
    )
    .unwrap();
    let plan = file::read(&folder, Some(&project), t.separator()).unwrap();
    assert_eq!(plan.problems[0].line, Some(4), "{:?}", plan.problems);
    let cli = tool::config_check(&t, &e.endpoint(), &dir.path().join("compose.yaml"))
        .await
        .unwrap();
    assert!(!cli.is_empty() && cli[0].line.is_some(), "{cli:?}");
    assert!(matches!(
        e.compose_up(&t, &form, |_| {}).await,
        Err(Error::InvalidInput { .. })
    ));

    // A missing image: the CLI's failure, its words kept.
    std::fs::write(
        dir.path().join("compose.yaml"),
        "services:\n  ghost:\n    image: 127.0.0.1:5000/berth-e2e/no-such-image:1\n",
    )
    .unwrap();
    match e.compose_up(&t, &form, |_| {}).await {
        Err(Error::Engine { message, .. }) => assert!(message.contains("failed"), "{message}"),
        other => panic!("{other:?}"),
    }

    // No compose CLI at all: none is found.
    assert!(
        tool::find(Some(("/nonexistent/docker", "/nonexistent/docker-compose")))
            .await
            .is_none()
    );
}
