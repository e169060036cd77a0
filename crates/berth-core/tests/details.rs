//! C2 / S2 against the real engine: a container with a published port, a
//! read-only bind mount, a named volume and a tmpfs is described with each
//! mount's kind and mode, and its writable layer's size.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails by panicking"
)]

mod common;

use std::collections::HashMap;

use berth_core::containers::details::MountKind;
use berth_core::Error;
use bollard::models::{
    ContainerCreateBody, HostConfig, PortBinding, RestartPolicy, RestartPolicyNameEnum,
};
use bollard::query_parameters::RemoveVolumeOptionsBuilder;
use common::*;

#[tokio::test]
async fn details_show_ports_mounts_by_kind_networks_and_the_layer_size() {
    let engine = engine().await;
    let _cleanup_details = Cleanup::new("details");
    let host_dir = tempfile::tempdir().unwrap();
    let volume = prefix("details-vol");
    let port = free_port();
    let body = ContainerCreateBody {
        image: Some("berth-fixture/web:1".into()),
        cmd: Some(vec![
            "sh".into(),
            "-c".into(),
            "echo hi > /written && httpd -f -p 80 -h /www".into(),
        ]),
        env: Some(vec!["GREETING=hello".into(), "EMPTY=".into()]),
        labels: Some(HashMap::from([(LABEL.to_string(), prefix("details"))])),
        exposed_ports: Some(vec!["80/tcp".into(), "9000/udp".into()]),
        host_config: Some(HostConfig {
            port_bindings: Some(HashMap::from([(
                "80/tcp".to_string(),
                Some(vec![PortBinding {
                    host_ip: Some("127.0.0.1".into()),
                    host_port: Some(port.to_string()),
                }]),
            )])),
            binds: Some(vec![
                format!("{}:/host:ro", host_dir.path().display()),
                format!("{volume}:/data"),
            ]),
            tmpfs: Some(HashMap::from([(
                "/cache".to_string(),
                "size=64m".to_string(),
            )])),
            restart_policy: Some(RestartPolicy {
                name: Some(RestartPolicyNameEnum::ON_FAILURE),
                maximum_retry_count: Some(3),
            }),
            ..Default::default()
        }),
        ..Default::default()
    };
    let id = create_named(&engine, "details", body).await;
    engine.docker().start_container(&id, None).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;

    let d = engine.container_details(&id).await.unwrap();
    assert_eq!(d.name, prefix("details"));
    assert_eq!(d.status, "running");
    assert_eq!(d.restart_policy, "on-failure:3");
    assert!(d.env.contains(&("GREETING".into(), "hello".into())));
    assert!(d.env.contains(&("EMPTY".into(), "".into())));

    let published: Vec<_> = d.ports.iter().filter(|p| p.host_port.is_some()).collect();
    assert_eq!(published.len(), 1, "{:?}", d.ports);
    assert_eq!(
        (
            published[0].host_ip.as_deref(),
            published[0].host_port,
            published[0].container_port
        ),
        (Some("127.0.0.1"), Some(port), 80)
    );
    assert!(d
        .ports
        .iter()
        .any(|p| p.container_port == 9000 && p.protocol == "udp" && p.host_port.is_none()));

    let kinds: Vec<_> = d
        .mounts
        .iter()
        .map(|m| (m.kind, m.destination.as_str(), m.read_only))
        .collect();
    assert_eq!(
        kinds,
        vec![
            (MountKind::Bind, "/host", true),
            (MountKind::Volume, "/data", false),
            (MountKind::Tmpfs, "/cache", false)
        ]
    );
    assert_eq!(
        d.mounts[0].source.as_deref(),
        Some(host_dir.path().to_str().unwrap())
    );
    assert_eq!(d.mounts[1].source.as_deref(), Some(volume.as_str()));
    assert_eq!(d.mounts[2].detail.as_deref(), Some("size=64m"));

    let bridge = d
        .networks
        .iter()
        .find(|n| n.network == "bridge")
        .expect("on the default bridge");
    assert!(
        bridge.ip_address.is_some() && bridge.gateway.is_some() && bridge.mac_address.is_some()
    );
    assert!(
        d.size_rw.unwrap() > 0,
        "the written file counts in the layer"
    );

    cleanup(&engine, "details").await;
    engine
        .docker()
        .remove_volume(
            &volume,
            Some(RemoveVolumeOptionsBuilder::new().force(true).build()),
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn details_of_a_missing_container_say_not_found_in_the_engines_words() {
    let engine = engine().await;
    match engine
        .container_details("berth-no-such-container")
        .await
        .unwrap_err()
    {
        Error::NotFound { message, .. } => {
            assert!(message.contains("berth-no-such-container"), "{message}")
        }
        e => panic!("{e:?}"),
    }
}

#[tokio::test]
async fn a_published_port_opens_where_this_machine_reaches_the_server() {
    use std::io::{Read, Write};
    let engine = engine().await;
    let _cleanup_port_url = Cleanup::new("port-url");
    let port = free_port();
    let id = create(
        &engine,
        Spec {
            test: "port-url",
            name: &prefix("port-url"),
            cmd: &[
                "sh",
                "-c",
                "echo served > /index.html && httpd -f -p 80 -h /",
            ],
            publish: &[("0.0.0.0", port, "80/tcp")],
        },
    )
    .await;
    engine.docker().start_container(&id, None).await.unwrap();
    let url = engine.port_url(&id, 80, "tcp").await.unwrap();
    assert_eq!(url, format!("http://127.0.0.1:{port}/"));
    // The address really reaches the container's server.
    let mut body = String::new();
    for _ in 0..50 {
        if let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", port)) {
            let _ = s.write_all(b"GET /index.html HTTP/1.0\r\n\r\n");
            body.clear();
            let _ = s.read_to_string(&mut body);
            if body.contains("served") {
                break;
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(body.contains("served"), "{body}");
    match engine.port_url(&id, 81, "tcp").await {
        Err(Error::InvalidInput { field, message, .. }) => {
            assert_eq!(field, "port");
            assert!(message.contains("-p HOST_PORT:81"), "{message}");
        }
        other => panic!("{other:?}"),
    }
}
