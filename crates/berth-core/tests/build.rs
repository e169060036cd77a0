//! B1 against the real engine: a multi-stage build built twice (all cached
//! the second time), a changed file missing from its COPY on, the cache
//! shared with `docker image build`, `--target` and build args, Dockerfile
//! errors pointed at their line, `.dockerignore` keeping a large folder
//! out, and a build cancelled mid-RUN.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails by panicking"
)]

mod common;

use std::path::Path;

use berth_core::build::{self, BuildArgRow, BuildEvent, BuildForm, StepCache};
use berth_core::Error;
use common::*;

fn write(dir: &Path, name: &str, text: &str) {
    let p = dir.join(name);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// A multi-stage file; `salt` makes its first build miss the cache, and
/// labels its images for [`PruneLabelled`].
fn fixture(dir: &Path, salt: &str) {
    write(dir, "deps.txt", "dependency list\n");
    write(dir, "src/a.txt", "alpha\n");
    write(dir, "src/b.txt", "beta\n");
    write(
        dir,
        "Dockerfile",
        &format!(
            "FROM {FIXTURE} AS builder
LABEL {LABEL}={salt}
WORKDIR /work
# rarely changed first: the dependencies
COPY deps.txt /work/
RUN cat deps.txt > /work/deps.out
COPY src/ /work/src/
RUN cat /work/src/a.txt /work/src/b.txt > /work/out.txt

FROM {FIXTURE}
LABEL {LABEL}={salt} berth.stage=final
COPY --from=builder /work/out.txt /out.txt
CMD [\"cat\", \"/out.txt\"]
"
        ),
    );
}

fn form(dir: &Path, tag: &str) -> BuildForm {
    BuildForm {
        folder: dir.display().to_string(),
        tag: tag.into(),
        ..Default::default()
    }
}

async fn build(form: &BuildForm) -> (berth_core::error::Result<build::Built>, Vec<BuildEvent>) {
    let engine = engine().await;
    let mut events = Vec::new();
    let r = engine.build(form, |e| events.push(e)).await;
    (r, events)
}

/// (step, cache, after) of each step.
fn caches(b: &build::Built) -> Vec<(u32, StepCache, Option<u32>)> {
    b.steps.iter().map(|s| (s.step, s.cache, s.after)).collect()
}

#[tokio::test]
async fn a_second_build_is_all_cached_and_a_changed_file_misses_from_its_copy_on() {
    let _images = IMAGES.lock().await;
    let p = prefix("build");
    let tag = format!("{p}:1");
    let _pruned = PruneLabelled(p.clone());
    let mut gone = Untag(vec![tag.clone(), format!("{p}:cli")]);
    let dir = tempfile::tempdir().unwrap();
    fixture(dir.path(), &p);
    let f = form(dir.path(), &tag);

    let (first, events) = build(&f).await;
    let first = first.unwrap();
    // Rebuilding a tag leaves the old image dangling: remove each one made.
    gone.0.push(first.id.clone());
    use StepCache::*;
    assert_eq!(
        caches(&first),
        vec![
            (1, Base, None),
            (2, Miss, None),
            (3, Miss, Some(2)),
            (4, Miss, Some(2)),
            (5, Miss, Some(2)),
            (6, Miss, Some(2)),
            (7, Miss, Some(2)),
            (8, Base, None),
            (9, Miss, None),
            (10, Miss, Some(9)),
            (11, Miss, Some(9)),
        ]
    );
    let lines: Vec<Option<u32>> = first.steps.iter().map(|s| s.first_line).collect();
    assert_eq!(
        lines,
        [1, 2, 3, 5, 6, 7, 8, 10, 11, 12, 13].map(Some).to_vec()
    );
    assert!(events
        .iter()
        .any(|e| matches!(e, BuildEvent::Sending { total, .. } if *total > 0)));
    assert_eq!(
        first.command,
        format!(
            "docker image build --force-rm -t {tag} {}",
            dir.path().canonicalize().unwrap().display()
        )
    );
    let id = docker_ok(&["image", "inspect", "-f", "{{.Id}}", &tag]);
    assert_eq!(id, first.id);
    assert_eq!(docker_ok(&["run", "--rm", &tag]), "alpha\nbeta");

    let (second, _) = build(&f).await;
    let second = second.unwrap();
    assert!(
        second.steps.iter().all(|s| matches!(s.cache, Base | Hit)),
        "{:?}",
        caches(&second)
    );
    assert_eq!(second.steps.iter().filter(|s| s.cache == Hit).count(), 9);
    assert_eq!(second.id, first.id);

    // The context is sent as the CLI sends it, so the CLI's build uses
    // the same cache.
    let cli = docker_ok(&[
        "image",
        "build",
        "-t",
        &format!("{p}:cli"),
        &dir.path().display().to_string(),
    ]);
    assert_eq!(cli.matches("Using cache").count(), 9, "{cli}");

    // A changed source file: its COPY and every step after it in that
    // stage miss; in the last stage, from the COPY --from on.
    write(dir.path(), "src/a.txt", "ALPHA\n");
    let (third, _) = build(&f).await;
    let third = third.unwrap();
    gone.0.push(third.id.clone());
    assert_eq!(
        caches(&third),
        vec![
            (1, Base, None),
            (2, Hit, None),
            (3, Hit, None),
            (4, Hit, None),
            (5, Hit, None),
            (6, Miss, None),
            (7, Miss, Some(6)),
            (8, Base, None),
            (9, Hit, None),
            (10, Miss, None),
            (11, Miss, Some(10)),
        ]
    );
    assert_eq!(docker_ok(&["run", "--rm", &tag]), "ALPHA\nbeta");
}

#[tokio::test]
async fn the_target_stage_and_build_args_are_used() {
    let _images = IMAGES.lock().await;
    let p = prefix("build-target");
    let tag = format!("{p}:1");
    let _pruned = PruneLabelled(p.clone());
    let mut gone = Untag(vec![tag.clone()]);
    let dir = tempfile::tempdir().unwrap();
    fixture(dir.path(), &p);
    let mut f = form(dir.path(), &tag);
    f.target = "builder".into();
    let (b, _) = build(&f).await;
    let b = b.unwrap();
    gone.0.push(b.id.clone());
    assert_eq!(b.steps.len(), 7, "the builder stage only");
    assert!(b.command.contains(" --target builder "), "{}", b.command);
    assert_eq!(
        docker_ok(&["run", "--rm", &tag, "cat", "/work/out.txt"]),
        "alpha\nbeta"
    );

    f.target = "nope".into();
    match build(&f).await.0 {
        Err(Error::InvalidInput { field, message, .. }) => {
            assert_eq!(field, "target");
            assert!(message.contains("the stages are: builder"), "{message}");
        }
        other => panic!("{other:?}"),
    }

    write(
        dir.path(),
        "Dockerfile.args",
        &format!("FROM {FIXTURE}\nARG GREETING=hello\nRUN echo \"$GREETING {p}\" > /greeting\n"),
    );
    let f = BuildForm {
        dockerfile: "Dockerfile.args".into(),
        args: vec![BuildArgRow {
            name: "GREETING".into(),
            value: "annyeong haseyo".into(),
        }],
        target: String::new(),
        ..f
    };
    let plan = build::plan(&f).unwrap();
    assert!(plan.warnings.is_empty(), "{:?}", plan.warnings);
    assert!(
        plan.command
            .contains("-f Dockerfile.args --build-arg 'GREETING=annyeong haseyo'"),
        "{}",
        plan.command
    );
    gone.0.push(build(&f).await.0.unwrap().id);
    assert_eq!(
        docker_ok(&["run", "--rm", &tag, "cat", "/greeting"]),
        format!("annyeong haseyo {p}")
    );
}

fn failed(events: &[BuildEvent]) -> (Option<u32>, Option<u32>) {
    events
        .iter()
        .find_map(|e| match e {
            BuildEvent::Failed { step, line, .. } => Some((*step, *line)),
            _ => None,
        })
        .expect("a Failed event")
}

#[tokio::test]
async fn dockerfile_errors_point_at_their_line() {
    let dir = tempfile::tempdir().unwrap();
    let p = prefix("build-errors");
    let cases = [
        // An unknown instruction: the engine refuses the file, naming the line.
        (
            format!("FROM {FIXTURE}\nRUN true\n\nFOOBAR x\n"),
            (None, Some(4)),
            "unknown instruction: FOOBAR",
        ),
        // A file missing from the context: the step and its line.
        (
            format!("FROM {FIXTURE}\n# copy it\nCOPY missing.txt /\n"),
            (Some(2), Some(3)),
            "missing.txt",
        ),
        // A RUN that fails: its step, its line, and the exit code.
        (
            format!("FROM {FIXTURE}\nRUN echo {p} && \\\n    exit 3\n"),
            (Some(2), Some(2)),
            "returned a non-zero code: 3",
        ),
    ];
    for (text, place, words) in cases {
        write(dir.path(), "Dockerfile", &text);
        let (r, events) = build(&form(dir.path(), "")).await;
        let e = r.unwrap_err().to_string();
        assert!(e.contains(words), "{e}");
        let engine_words = e.rsplit("): ").next().unwrap();
        assert!(
            ["COPY failed", "The command", "dockerfile parse error"]
                .iter()
                .any(|w| engine_words.starts_with(w)),
            "the engine's own words, nothing put before them: {e}"
        );
        assert_eq!(failed(&events), place, "{text}");
        if let (_, Some(l)) = place {
            assert!(e.contains(&format!("line {l}")), "{e}");
        }
    }
    // The failing RUN's own output came before the failure, and its
    // container is not left behind.
    let (_, events) = build(&form(dir.path(), "")).await;
    assert!(events
        .iter()
        .any(|e| matches!(e, BuildEvent::Output { step: Some(2), text } if *text == p)));
    let left = docker_ok(&["ps", "-a", "--no-trunc", "--format", "{{.Command}}"]);
    assert!(
        !left.contains(&p),
        "a failed step's container is left: {left}"
    );
}

#[tokio::test]
async fn bad_forms_name_their_field() {
    let dir = tempfile::tempdir().unwrap();
    let f = |folder: &str, dockerfile: &str, tag: &str, args: Vec<(&str, &str)>| BuildForm {
        folder: folder.into(),
        dockerfile: dockerfile.into(),
        tag: tag.into(),
        args: args
            .into_iter()
            .map(|(n, v)| BuildArgRow {
                name: n.into(),
                value: v.into(),
            })
            .collect(),
        ..Default::default()
    };
    let d = dir.path().display().to_string();
    let cases = [
        (f("", "", "", vec![]), "folder"),
        (f("/no/such/folder", "", "", vec![]), "folder"),
        (f(&d, "", "", vec![]), "dockerfile"),
        (f(&d, "nope.Dockerfile", "", vec![]), "dockerfile"),
    ];
    for (form, field) in cases {
        match build::plan(&form) {
            Err(Error::InvalidInput { field: got, .. }) => assert_eq!(got, field, "{form:?}"),
            other => panic!("{form:?}: {other:?}"),
        }
    }
    write(dir.path(), "Dockerfile", "FROM scratch\nARG A\n");
    let cases = [
        (f(&d, "", "Bad Tag", vec![]), "tag"),
        (f(&d, "", "x@sha256:abc", vec![]), "tag"),
        (f(&d, "", "", vec![("", "v")]), "args[0].name"),
        (f(&d, "", "", vec![("A", "1"), ("A", "2")]), "args[1].name"),
        (f(&d, "", "", vec![("A B", "1")]), "args[0].name"),
    ];
    for (form, field) in cases {
        match build::plan(&form) {
            Err(Error::InvalidInput { field: got, .. }) => assert_eq!(got, field, "{form:?}"),
            other => panic!("{form:?}: {other:?}"),
        }
    }
    let plan = build::plan(&f(&d, "", "", vec![("B", "1")])).unwrap();
    assert_eq!(
        plan.warnings.len(),
        1,
        "B is not declared: {:?}",
        plan.warnings
    );
    std::fs::write(dir.path().join("Dockerfile"), [0xffu8, 0xfe, 0]).unwrap();
    assert!(matches!(
        build::plan(&f(&d, "", "", vec![])),
        Err(Error::InvalidInput { field, .. }) if field == "dockerfile"
    ));
}

#[tokio::test]
async fn a_large_ignored_folder_is_not_sent() {
    let _images = IMAGES.lock().await;
    let p = prefix("build-ignore");
    let tag = format!("{p}:1");
    let _gone = Untag(vec![tag.clone()]);
    let dir = tempfile::tempdir().unwrap();
    let big = vec![7u8; 8 << 20];
    for i in 0..8 {
        std::fs::create_dir_all(dir.path().join("node_modules/pkg")).unwrap();
        std::fs::write(dir.path().join(format!("node_modules/pkg/blob{i}")), &big).unwrap();
    }
    write(
        dir.path(),
        "node_modules/pkg/LICENSE",
        "kept by an exception\n",
    );
    write(dir.path(), "app/main.txt", "main\n");
    write(dir.path(), "app/debug.log", "noise\n");
    write(
        dir.path(),
        ".dockerignore",
        "# as learners write it\nnode_modules\n!node_modules/pkg/LICENSE\n**/*.log\n",
    );
    write(
        dir.path(),
        "Dockerfile",
        &format!("FROM {FIXTURE}\nCOPY . /ctx/\nRUN echo {p}\n"),
    );
    let f = form(dir.path(), &tag);
    let plan = build::plan(&f).unwrap();
    assert!(plan.context.bytes < 4096, "{:?}", plan.context);
    assert!(plan.context.ignored.contains(&"node_modules".to_string()));
    assert!(plan.context.ignored.contains(&"app/debug.log".to_string()));
    let (b, events) = build(&f).await;
    b.unwrap();
    let sent = events
        .iter()
        .filter_map(|e| match e {
            BuildEvent::Sending { total, .. } => Some(*total),
            _ => None,
        })
        .max()
        .unwrap();
    assert_eq!(sent, plan.context.bytes);
    let listing = docker_ok(&["run", "--rm", &tag, "find", "/ctx", "-type", "f"]);
    let mut files: Vec<&str> = listing.lines().collect();
    files.sort();
    assert_eq!(
        files,
        vec![
            "/ctx/.dockerignore",
            "/ctx/Dockerfile",
            "/ctx/app/main.txt",
            "/ctx/node_modules/pkg/LICENSE"
        ]
    );
}

#[tokio::test]
async fn a_cancelled_build_stops_its_step_and_tags_nothing() {
    let p = prefix("build-cancel");
    let tag = format!("{p}:1");
    let _gone = Untag(vec![tag.clone()]);
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "Dockerfile",
        &format!("FROM {FIXTURE}\nRUN echo {p} && sleep 60\n"),
    );
    let f = form(dir.path(), &tag);
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let task = tokio::spawn(async move {
        let engine = engine().await;
        let _ = engine.build(&f, move |e| drop(tx.send(e))).await;
    });
    // Wait for the RUN's own output: its container is running.
    loop {
        match tokio::time::timeout(std::time::Duration::from_secs(30), rx.recv()).await {
            Ok(Some(BuildEvent::Output { text, .. })) if text == p => break,
            Ok(Some(_)) => {}
            other => panic!("no output from the RUN: {other:?}"),
        }
    }
    let running = || docker_ok(&["ps", "-a", "--no-trunc", "--format", "{{.ID}} {{.Command}}"]);
    assert!(running().contains(&p), "{}", running());
    task.abort();
    let _ = task.await;
    let mut gone = false;
    for _ in 0..50 {
        if !running().contains(&p) {
            gone = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    assert!(gone, "the step's container is still there: {}", running());
    assert!(!docker(&["image", "inspect", &tag]).0);
}

#[tokio::test]
async fn a_dockerfile_from_outside_the_folder_is_sent_with_it() {
    let _images = IMAGES.lock().await;
    let p = prefix("build-outside");
    let tag = format!("{p}:1");
    let _gone = Untag(vec![tag.clone()]);
    let context = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    write(context.path(), "hello.txt", &format!("{p}\n"));
    let df = elsewhere.path().join("build.Dockerfile");
    std::fs::write(&df, format!("FROM {FIXTURE}\nCOPY hello.txt /hello.txt\n")).unwrap();
    let f = BuildForm {
        dockerfile: df.display().to_string(),
        ..form(context.path(), &tag)
    };
    let plan = build::plan(&f).unwrap();
    assert!(
        plan.command
            .contains(&format!("-f {}", df.canonicalize().unwrap().display())),
        "{}",
        plan.command
    );
    build(&f).await.0.unwrap();
    assert_eq!(docker_ok(&["run", "--rm", &tag, "cat", "/hello.txt"]), p);
    // The Dockerfile travelled under a name of its own, not into the image.
    let listing = docker_ok(&["run", "--rm", &tag, "ls", "/"]);
    assert!(!listing.contains(".dockerfile"), "{listing}");
}
