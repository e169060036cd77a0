//! L5 against the real engine: the shipped labs' checks, with the project's
//! fixtures as their parameters. A state close to a step's goal but wrong
//! gives the hint that names the difference (an anonymous volume, a file
//! written to the container's layer, a bind mount, an image pulled by tag,
//! the digest typed for the image ID); the right state ticks; reset
//! removes what the lab labelled and leaves the rest.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails by panicking"
)]

mod common;

use std::collections::BTreeMap;

use berth_core::labs::{self, check::LabState, Lab, Values};
use berth_core::said::Said;
use berth_core::Engine;
use common::*;

fn lab(id: &str, params: &[(&str, &str)], workspace: &std::path::Path) -> (Lab, Values) {
    let (all, problems) = labs::catalog(None);
    assert!(problems.is_empty(), "{problems:?}");
    let lab = all.into_iter().find(|l| l.id == id).unwrap();
    let given: Values = params
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let values = labs::values(&lab, &given, workspace);
    (labs::filled(&lab, &values).unwrap(), values)
}

async fn state(
    engine: &Engine,
    lab: &Lab,
    values: &Values,
    done: &[&str],
    answers: &[(&str, &str)],
) -> LabState {
    let done: Vec<String> = done.iter().map(|s| s.to_string()).collect();
    let answers: BTreeMap<String, String> = answers
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    engine
        .lab_check(lab, values, &done, &answers)
        .await
        .unwrap()
}

fn step<'a>(s: &'a LabState, id: &str) -> &'a berth_core::labs::check::StepState {
    s.steps.iter().find(|x| x.id == id).unwrap()
}

/// Removes containers with their anonymous volumes (`-v /random` makes one).
fn rm(names: &[&str]) {
    for n in names {
        let _ = docker(&["rm", "-f", "-v", n]);
    }
}

#[tokio::test]
async fn the_volume_step_names_an_anonymous_volume_a_bind_and_the_container_layer() {
    let engine = engine().await;
    let dir = tempfile::tempdir().unwrap();
    let (lab, values) = lab(
        "volumes",
        &[("image", "berth-fixture/random-number:1")],
        dir.path(),
    );
    let names = ["lab-rn1", "lab-rn2", "lab-rn3", "lab-rn4"];
    rm(&names);
    let _ = docker(&["volume", "rm", "-f", "lab-numbers"]);
    docker_ok(&[
        "volume",
        "create",
        "--label",
        "berth.lab=volumes",
        "lab-numbers",
    ]);
    let done = ["two", "copy"];
    let run3 = |extra: &[&str]| {
        rm(&["lab-rn3"]);
        let mut args = vec!["run", "--name", "lab-rn3", "--label", "berth.lab=volumes"];
        args.extend_from_slice(extra);
        args.push("berth-fixture/random-number:1");
        docker_ok(&args);
    };

    // Nothing mounted: the number went to the container's own layer.
    run3(&[]);
    let s = state(&engine, &lab, &values, &done, &[]).await;
    assert!(!step(&s, "volume").done);
    assert!(
        matches!(&step(&s, "volume").hint, Some(Said::LabWroteToLayer { name, path }) if name == "lab-rn3" && path == "/random"),
        "{s:?}"
    );

    // An anonymous volume at the right place.
    run3(&["-v", "/random"]);
    let s = state(&engine, &lab, &values, &done, &[]).await;
    assert!(
        matches!(&step(&s, "volume").hint, Some(Said::LabAnonymousVolume { volume, .. }) if volume == "lab-numbers"),
        "{s:?}"
    );

    // A bind mount there instead.
    let host = tempfile::tempdir().unwrap();
    run3(&["-v", &format!("{}:/random", host.path().display())]);
    let s = state(&engine, &lab, &values, &done, &[]).await;
    assert!(
        matches!(&step(&s, "volume").hint, Some(Said::LabNotAVolume { kind, .. }) if kind == "bind"),
        "{s:?}"
    );

    // The volume by name: done, and the next step is not (lab-rn3 is there).
    run3(&["-v", "lab-numbers:/random"]);
    let s = state(&engine, &lab, &values, &done, &[]).await;
    assert!(step(&s, "volume").done, "{s:?}");
    assert!(!step(&s, "outlive").done);

    // lab-rn4 reads the number lab-rn3 left in the volume.
    let first = docker_ok(&["logs", "lab-rn3"]);
    rm(&["lab-rn3"]);
    docker_ok(&[
        "run",
        "--name",
        "lab-rn4",
        "--label",
        "berth.lab=volumes",
        "-v",
        "lab-numbers:/random",
        "berth-fixture/random-number:1",
    ]);
    assert_eq!(docker_ok(&["logs", "lab-rn4"]), first);
    // Ticked steps stay ticked (the window keeps them): lab-rn3 is gone now.
    let s = state(&engine, &lab, &values, &["two", "copy", "volume"], &[]).await;
    assert!(step(&s, "outlive").done, "{s:?}");

    // Reset: the lab's container and volume go; one made by hand stays.
    docker_ok(&["run", "--name", "lab-rn1", "berth-fixture/random-number:1"]);
    let plan = engine.lab_reset_plan(&lab).await.unwrap();
    assert_eq!(plan.containers, vec!["lab-rn4".to_string()]);
    assert_eq!(plan.volumes, vec!["lab-numbers".to_string()]);
    assert!(engine.lab_reset(&plan).await.unwrap().is_empty());
    assert!(!docker(&["inspect", "lab-rn4"]).0);
    assert!(!docker(&["volume", "inspect", "lab-numbers"]).0);
    assert!(
        docker(&["inspect", "lab-rn1"]).0,
        "a container not the lab's stays"
    );
    rm(&names);
}

#[tokio::test]
async fn the_host_port_sent_to_the_wrong_container_port_is_named() {
    let engine = engine().await;
    let dir = tempfile::tempdir().unwrap();
    let port = free_port().to_string();
    let (lab, values) = lab(
        "web",
        &[
            ("image", "berth-fixture/web:1"),
            ("port", &port),
            ("docroot", "/www"),
        ],
        dir.path(),
    );
    rm(&["lab-web"]);
    docker_ok(&[
        "run",
        "-d",
        "--name",
        "lab-web",
        "-p",
        &format!("{port}:8080"),
        "berth-fixture/web:1",
    ]);
    let s = state(&engine, &lab, &values, &[], &[]).await;
    assert!(
        matches!(&step(&s, "run").hint, Some(Said::LabPortWrongTarget { found: 8080, container: 80, host, .. }) if *host == port),
        "{s:?}"
    );
    rm(&["lab-web"]);
    docker_ok(&["run", "-d", "--name", "lab-web", "berth-fixture/web:1"]);
    let s = state(&engine, &lab, &values, &[], &[]).await;
    assert!(
        matches!(
            &step(&s, "run").hint,
            Some(Said::LabPortNotPublished { container: 80, .. })
        ),
        "{s:?}"
    );
    rm(&["lab-web"]);
}

#[tokio::test]
async fn the_digest_typed_for_the_image_id_is_told_apart() {
    let engine = engine().await;
    let dir = tempfile::tempdir().unwrap();
    // An image with a repo digest: pushed to the test registry.
    let image = "127.0.0.1:5000/berth-test-labs/answer:1";
    docker_ok(&["tag", "berth-fixture/busybox:1", image]);
    docker_ok(&["push", "-q", image]);
    let (lab, values) = lab("layers", &[("image", image)], dir.path());
    let id = docker_ok(&["image", "inspect", "--format", "{{.Id}}", image]);
    let digest = docker_ok(&[
        "image",
        "inspect",
        "--format",
        "{{range .RepoDigests}}{{.}} {{end}}",
        image,
    ]);
    let digest = digest
        .split_whitespace()
        .find(|d| d.starts_with("127.0.0.1:5000/berth-test-labs/answer@"))
        .unwrap()
        .to_string();
    let s = state(&engine, &lab, &values, &["pull"], &[("id", &digest)]).await;
    assert_eq!(step(&s, "id").hint, Some(Said::LabThatIsTheDigest), "{s:?}");
    let s = state(&engine, &lab, &values, &["pull"], &[("id", "sha256:12")]).await;
    assert_eq!(step(&s, "id").hint, Some(Said::LabAnswerShort));
    let s = state(
        &engine,
        &lab,
        &values,
        &["pull"],
        &[("id", &id[..19]), ("digest", &id[..19])],
    )
    .await;
    assert!(step(&s, "id").done);
    assert_eq!(step(&s, "digest").hint, Some(Said::LabThatIsTheId));
    let s = state(
        &engine,
        &lab,
        &values,
        &["pull", "id"],
        &[("digest", &digest)],
    )
    .await;
    assert!(step(&s, "digest").done, "{s:?}");
    docker_ok(&["image", "rm", image]);
}
