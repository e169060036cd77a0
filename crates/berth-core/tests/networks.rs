//! N1, N2 against the real engine: the built-in networks described and
//! protected, a user network where two containers reach each other by name
//! (busybox nslookup and nc, traffic only between this test's containers) until one is
//! disconnected, and bad input refused precisely.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails by panicking"
)]

mod common;

use std::process::Command;

use berth_core::networks::NetworkForm;
use berth_core::Error;
use common::*;

struct Gone(String);
impl Drop for Gone {
    fn drop(&mut self) {
        let _ = Command::new("docker")
            .args(["network", "rm", &self.0])
            .output();
    }
}

#[tokio::test]
async fn containers_on_a_user_network_reach_each_other_by_name_until_disconnected() {
    let engine = engine().await;
    let _cleanup_net = Cleanup::new("net");
    let net = prefix("net");
    let _gone = Gone(net.clone());
    let label = format!("{LABEL}={}", prefix("net"));
    engine
        .create_network(&NetworkForm {
            name: net.clone(),
            ..Default::default()
        })
        .await
        .unwrap();
    let web = format!("{net}-web");
    let client = format!("{net}-client");
    assert!(
        docker(&[
            "run",
            "-d",
            "--name",
            &web,
            "--label",
            &label,
            "--network",
            &net,
            "berth-fixture/web:1"
        ])
        .0
    );
    assert!(
        docker(&["run", "-d", "--name", &client, "--label", &label, FIXTURE, "sleep", "600"]).0
    );
    engine
        .connect_network(&net, &client, &["peer".into()], "")
        .await
        .unwrap();

    let rows = engine.list_networks().await.unwrap();
    let row = rows.iter().find(|n| n.name == net).unwrap();
    assert_eq!(row.driver, "bridge");
    let names: Vec<&str> = row.containers.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, [client.as_str(), web.as_str()]);
    assert!(row
        .containers
        .iter()
        .all(|c| c.ipv4.is_some() && c.mac.is_some()));

    // busybox-static's wget and ping crash inside static glibc here, so the
    // name is resolved with busybox's own nslookup (the network's embedded
    // DNS) and the page fetched with nc.
    let script = format!(
        "ip=$(nslookup {web} 2>/dev/null | awk '/^Address/ {{a=$2}} END {{print a}}'); \
         case $ip in 127.*|'') echo no-name; exit 1;; esac; \
         printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 3 $ip 80"
    );
    let fetch = || docker(&["exec", &client, "sh", "-c", &script]);
    let mut ok = false;
    for _ in 0..20 {
        if fetch().1.contains("<h1>Berth</h1>") {
            ok = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    assert!(
        ok,
        "the client reaches the web container by name: {:?}",
        fetch()
    );
    // Removing a network with containers on it is refused, naming them.
    match engine.remove_network(&net).await.unwrap_err() {
        Error::Conflict { message, .. } => assert!(message.contains(&web), "{message}"),
        e => panic!("{e:?}"),
    }
    engine.disconnect_network(&net, &client).await.unwrap();
    let (_, out) = fetch();
    assert!(
        !out.contains("<h1>Berth</h1>"),
        "after disconnecting, the name no longer answers: {out}"
    );
    cleanup(&engine, "net").await;
    engine.remove_network(&net).await.unwrap();
}

#[tokio::test]
async fn built_ins_are_described_and_protected_and_bad_input_is_refused() {
    let engine = engine().await;
    let rows = engine.list_networks().await.unwrap();
    let bridge = rows.iter().find(|n| n.name == "bridge").unwrap();
    assert!(bridge.built_in);
    assert_eq!(bridge.host_interface.as_deref(), Some("docker0"));
    assert!(!bridge.subnets.is_empty() && !bridge.gateways.is_empty());
    for n in ["bridge", "host", "none"] {
        match engine.remove_network(n).await.unwrap_err() {
            Error::InvalidInput { field, message, .. } => {
                assert_eq!(field, "network");
                assert!(message.contains("built in"), "{message}");
            }
            e => panic!("{n}: {e:?}"),
        }
    }
    let net = prefix("badnet");
    let _gone = Gone(net.clone());
    let bridge_subnet = bridge.subnets[0].clone();
    for (form, field, why) in [
        (
            NetworkForm {
                name: "bad name".into(),
                ..Default::default()
            },
            "name",
            "only letters, digits",
        ),
        (
            NetworkForm {
                name: net.clone(),
                subnet: "10.1.2.0".into(),
                ..Default::default()
            },
            "subnet",
            "no prefix length",
        ),
        (
            NetworkForm {
                name: net.clone(),
                subnet: "10.1.2.3/24".into(),
                ..Default::default()
            },
            "subnet",
            "host bits",
        ),
        (
            NetworkForm {
                name: net.clone(),
                subnet: bridge_subnet.clone(),
                ..Default::default()
            },
            "subnet",
            "of network `bridge`",
        ),
        (
            NetworkForm {
                name: net.clone(),
                subnet: "10.99.0.0/24".into(),
                gateway: "10.98.0.1".into(),
                ..Default::default()
            },
            "gateway",
            "not inside",
        ),
        (
            NetworkForm {
                name: net.clone(),
                driver: "host".into(),
                ..Default::default()
            },
            "driver",
            "only one",
        ),
    ] {
        match engine.create_network(&form).await.unwrap_err() {
            Error::InvalidInput {
                field: f, message, ..
            } => {
                assert_eq!(f, field, "{message}");
                assert!(message.contains(why), "{message}");
            }
            e => panic!("{form:?}: {e:?}"),
        }
    }
    // A subnet and gateway that fit are taken.
    engine
        .create_network(&NetworkForm {
            name: net.clone(),
            subnet: "10.99.0.0/24".into(),
            gateway: "10.99.0.1".into(),
            internal: true,
            ..Default::default()
        })
        .await
        .unwrap();
    let row = engine
        .list_networks()
        .await
        .unwrap()
        .into_iter()
        .find(|n| n.name == net)
        .unwrap();
    assert_eq!(
        (
            row.subnets[0].as_str(),
            row.gateways[0].as_str(),
            row.internal
        ),
        ("10.99.0.0/24", "10.99.0.1", true)
    );
}
