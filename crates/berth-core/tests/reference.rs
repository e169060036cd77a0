//! The reference parser against its oracle, the docker CLI on this machine:
//! `docker tag` accepts exactly the names the parser accepts, and the engine
//! stores them under the familiar name the parser gives.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails by panicking"
)]

mod common;

use common::docker;

use berth_core::images::reference;

#[tokio::test]
async fn the_parser_accepts_and_normalises_exactly_what_docker_tag_does() {
    let _images = common::IMAGES.lock().await;
    let p = format!("berth-test-{}-ref", std::process::id());
    let long_ok = format!("{p}/{}", "b".repeat(255 - 10 - p.len() - 1));
    let long_bad = format!("{long_ok}b");
    let inputs = [
        p.clone(),
        format!("{p}:v1.0-RC_2"),
        format!("library/{p}"),
        format!("docker.io/{p}:x"),
        format!("index.docker.io/{p}/app"),
        format!("127.0.0.1:5000/{p}/app:1"),
        format!("localhost/{p}"),
        format!("localhost:5000/{p}"),
        format!("Registry.example/{p}"),
        format!("{p}/a__b.c---d"),
        long_ok,
        // refused
        long_bad,
        format!("{p}/App"),
        format!("{p}:"),
        format!("{p}//x"),
        format!("{p}/-x"),
        format!("{p}/a..b"),
        format!("{p}/a___b"),
        format!("{p}:-1"),
        format!("{p}:{}", "t".repeat(129)),
        format!("localhost:abc/{p}"),
        format!("my_host.com/{p}"),
        format!("a-.com/{p}"),
        format!("My_Host.com/{p}"),
        format!("localhost:99999/{p}"),
        format!("{p}/caf\u{e9}"),
    ];
    let mut made = common::Untag(Vec::new());
    for input in &inputs {
        let ours = reference::parse(input);
        let (cli_ok, cli_text) = docker(&["tag", common::FIXTURE, input]);
        if cli_ok {
            made.0.push(input.clone());
        }
        assert_eq!(
            ours.is_ok(),
            cli_ok,
            "{input:?}: Berth says {ours:?}, docker tag says {cli_text}"
        );
        if let Ok(r) = ours {
            let (_, tags) = docker(&["image", "inspect", "--format", "{{json .RepoTags}}", input]);
            assert!(
                tags.contains(&format!("\"{}\"", r.familiar)),
                "{input:?}: engine stored {tags}, Berth says {}",
                r.familiar
            );
        }
    }
}
