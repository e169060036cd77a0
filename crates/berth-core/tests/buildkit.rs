//! B1 with BuildKit against the real engine: a cache mount seen by the next
//! build, a secret readable during its step and nowhere after, two stages
//! run in parallel, a failing step marked at its line with the engine's
//! words, a cancelled build that tags nothing, and one cache with the docker
//! CLI's own BuildKit builds, both ways.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails by panicking"
)]

mod common;

use std::path::Path;
use std::process::Command;

use berth_core::build::{BuildEvent, BuildForm, Builder, SecretRow, StepCache};
use common::*;

fn write(dir: &Path, name: &str, text: &str) {
    let p = dir.join(name);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn form(dir: &Path, tag: &str) -> BuildForm {
    BuildForm {
        folder: dir.display().to_string(),
        tag: tag.into(),
        builder: Builder::BuildKit,
        ..Default::default()
    }
}

async fn build(
    form: &BuildForm,
) -> (
    berth_core::error::Result<berth_core::build::Built>,
    Vec<BuildEvent>,
) {
    let engine = engine().await;
    let mut events = Vec::new();
    let r = engine.build(form, |e| events.push(e)).await;
    (r, events)
}

fn output(events: &[BuildEvent]) -> String {
    events
        .iter()
        .filter_map(|e| match e {
            BuildEvent::Output { text, .. } => Some(text.as_str()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The docker CLI with BuildKit built in (Debian's 20.10 client; a newer
/// one needs buildx, which Debian 12 does not package).
fn cli_build(dir: &Path, tag: &str, extra: &[&str]) -> String {
    let out = Command::new("/usr/bin/docker")
        .env("DOCKER_BUILDKIT", "1")
        .args(["build", "--progress=plain", "-t", tag])
        .args(extra)
        .arg(dir)
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&out.stderr).into_owned() + &String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    text
}

/// The steps the CLI's plain progress says were CACHED, by their text.
fn cached_steps(progress: &str) -> Vec<String> {
    let mut names = std::collections::HashMap::new();
    let mut cached = Vec::new();
    for line in progress.lines() {
        let Some((n, rest)) = line.split_once(' ') else {
            continue;
        };
        if let Some((_, name)) = rest.strip_prefix('[').and_then(|r| r.split_once("] ")) {
            names.insert(n.to_string(), name.to_string());
        } else if rest == "CACHED" {
            if let Some(name) = names.get(n) {
                cached.push(name.clone());
            }
        }
    }
    cached.sort();
    cached.dedup();
    cached
}

#[tokio::test]
async fn a_cache_mount_is_seen_by_the_next_build_and_parallel_stages_overlap() {
    let p = prefix("bk-cache");
    let tag = format!("{p}:1");
    let mut gone = Untag(vec![tag.clone()]);
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "Dockerfile",
        &format!(
            "FROM {FIXTURE} AS one
RUN echo {p}-one && sleep 2 && echo done > /one
FROM {FIXTURE} AS two
RUN echo {p}-two && sleep 2 && echo done > /two
FROM {FIXTURE}
COPY --from=one /one /one
COPY --from=two /two /two
RUN --mount=type=cache,id={p},target=/cache sh -c 'echo seen:$(cat /cache/n 2>/dev/null || echo nothing); echo {p} > /cache/n'
"
        ),
    );
    let f = form(dir.path(), &tag);
    let (first, events) = build(&f).await;
    let first = first.unwrap();
    // A rebuilt tag leaves the old image dangling: each one made is removed.
    gone.0.push(first.id.clone());
    assert!(
        output(&events).contains("seen:nothing"),
        "{}",
        output(&events)
    );
    assert!(
        first
            .command
            .starts_with(&format!("{} -t ", berth_core::build::buildkit_cli())),
        "{}",
        first.command
    );
    // Both stages' RUNs (steps 2 and 4) started before either ended.
    let at = |want: &dyn Fn(&BuildEvent) -> bool| events.iter().position(want).unwrap();
    let start2 = at(&|e| matches!(e, BuildEvent::Step { step: 2, .. }));
    let start4 = at(&|e| matches!(e, BuildEvent::Step { step: 4, .. }));
    let done2 = at(&|e| matches!(e, BuildEvent::StepDone { step: 2, .. }));
    let done4 = at(&|e| matches!(e, BuildEvent::StepDone { step: 4, .. }));
    assert!(start2.max(start4) < done2.min(done4), "{events:?}");
    let cache: Vec<(u32, StepCache)> = first.steps.iter().map(|s| (s.step, s.cache)).collect();
    assert!(
        cache.contains(&(2, StepCache::Miss)) && cache.contains(&(8, StepCache::Miss)),
        "{cache:?}"
    );
    assert_eq!(
        first.steps.iter().find(|s| s.step == 8).unwrap().first_line,
        Some(8)
    );
    assert_eq!(
        docker_ok(&["image", "inspect", "-f", "{{.Id}}", &tag]),
        first.id
    );

    // The RUN changed: it runs again, and its cache mount still holds what
    // the first build wrote. (Not `--no-cache`: the engine then leaves
    // cache mounts out too, as the CLI's builds show.)
    let text = std::fs::read_to_string(dir.path().join("Dockerfile")).unwrap();
    write(
        dir.path(),
        "Dockerfile",
        &text.replace("> /cache/n'", "> /cache/n; true'"),
    );
    let (second, events) = build(&f).await;
    second.unwrap();
    assert!(
        output(&events).contains(&format!("seen:{p}")),
        "{}",
        output(&events)
    );
}

#[tokio::test]
async fn a_secret_is_read_in_its_step_and_kept_nowhere() {
    let p = prefix("bk-secret");
    let tag = format!("{p}:1");
    let _gone = Untag(vec![tag.clone()]);
    let dir = tempfile::tempdir().unwrap();
    let value = format!("s3cret-{p}");
    let src = dir.path().join("token.txt");
    std::fs::write(&src, &value).unwrap();
    write(dir.path(), ".dockerignore", "token.txt\n");
    write(
        dir.path(),
        "Dockerfile",
        &format!(
            "FROM {FIXTURE}
RUN --mount=type=secret,id=tok sh -c 'echo {p}; wc -c < /run/secrets/tok > /len; ls /run/secrets'
"
        ),
    );
    let mut f = form(dir.path(), &tag);
    f.secrets = vec![SecretRow {
        id: "tok".into(),
        src: src.display().to_string(),
    }];
    let (built, events) = build(&f).await;
    let built = built.unwrap();
    assert!(
        output(&events).contains("tok"),
        "{}\n{events:?}",
        output(&events)
    );
    assert!(
        built
            .command
            .contains(&format!("--secret 'id=tok,src={}'", src.display())),
        "{}",
        built.command
    );
    assert_eq!(
        docker_ok(&["run", "--rm", &tag, "cat", "/len"]).trim(),
        value.len().to_string()
    );
    assert_eq!(
        docker_ok(&[
            "run",
            "--rm",
            &tag,
            "sh",
            "-c",
            "ls /run/secrets 2>&1 | wc -l"
        ]),
        "0"
    );
    let history = docker_ok(&["history", "--no-trunc", &tag]);
    let inspect = docker_ok(&["image", "inspect", &tag]);
    let saved = Command::new("docker")
        .args(["save", &tag])
        .output()
        .unwrap()
        .stdout;
    for (what, text) in [
        ("history", history),
        ("inspect", inspect),
        ("events", format!("{events:?}")),
        ("image tar", String::from_utf8_lossy(&saved).into_owned()),
    ] {
        assert!(!text.contains(&value), "the secret is in the {what}");
    }

    // A missing secret file is refused by its field, before anything is sent.
    f.secrets[0].src = dir.path().join("nope").display().to_string();
    match build(&f).await.0.unwrap_err() {
        berth_core::Error::InvalidInput { field, .. } => assert_eq!(field, "secrets[0].src"),
        e => panic!("{e:?}"),
    }
    // And with the classic builder, said so.
    f.secrets[0].src = src.display().to_string();
    f.builder = Builder::Classic;
    match build(&f).await.0.unwrap_err() {
        berth_core::Error::InvalidInput { field, .. } => assert_eq!(field, "secrets[0].id"),
        e => panic!("{e:?}"),
    }
}

#[tokio::test]
async fn a_failing_step_is_marked_at_its_line_with_the_engines_words() {
    let p = prefix("bk-fail");
    let tag = format!("{p}:1");
    let _gone = Untag(vec![tag.clone()]);
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "Dockerfile",
        &format!("FROM {FIXTURE}\nRUN echo {p}\n\nRUN echo about to fail && exit 3\n"),
    );
    let (r, events) = build(&form(dir.path(), &tag)).await;
    let err = r.unwrap_err();
    let failed = events.iter().find_map(|e| match e {
        BuildEvent::Failed {
            step,
            line,
            message,
        } => Some((*step, *line, message.clone())),
        _ => None,
    });
    let (step, line, message) = failed.expect("a failed event");
    assert_eq!((step, line), (Some(3), Some(4)), "{message}");
    assert!(message.contains("exit code: 3"), "{message}");
    assert!(err.to_string().contains("exit code: 3"), "{err}");
    assert!(
        output(&events).contains("about to fail"),
        "{}",
        output(&events)
    );
    assert!(!docker(&["image", "inspect", &tag]).0);
}

#[tokio::test]
async fn a_cancelled_build_tags_nothing() {
    let p = prefix("bk-cancel");
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
    loop {
        match tokio::time::timeout(std::time::Duration::from_secs(30), rx.recv()).await {
            Ok(Some(BuildEvent::Output { text, .. })) if text == p => break,
            Ok(Some(_)) => {}
            other => panic!("no output from the RUN: {other:?}"),
        }
    }
    task.abort();
    let _ = task.await;
    // The engine stops the solve when its request goes away.
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    assert!(!docker(&["image", "inspect", &tag]).0);
}

#[tokio::test]
async fn one_cache_with_the_clis_buildkit_builds_both_ways() {
    let p = prefix("bk-shared");
    let ours = format!("{p}:berth");
    let theirs = format!("{p}:cli");
    let mut gone = Untag(vec![ours.clone(), theirs.clone()]);
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "src/a.txt", "alpha\n");
    write(dir.path(), "skip/big.txt", "left out\n");
    write(dir.path(), ".dockerignore", "skip\n");
    let dockerfile = |salt: &str| {
        format!(
            "FROM {FIXTURE}
RUN echo {salt} > /salt
COPY src/ /src/
RUN cat /src/a.txt > /out
"
        )
    };
    // Berth first, then the CLI: every step after FROM is CACHED there.
    write(dir.path(), "Dockerfile", &dockerfile(&format!("{p}-1")));
    let (built, _) = build(&form(dir.path(), &ours)).await;
    gone.0.push(built.unwrap().id);
    let cli = cli_build(dir.path(), &theirs, &[]);
    gone.0
        .push(docker_ok(&["image", "inspect", "-f", "{{.Id}}", &theirs]));
    let mut cached = cached_steps(&cli);
    cached.retain(|s| !s.starts_with("FROM "));
    assert_eq!(
        cached,
        [
            "COPY src/ /src/".to_string(),
            "RUN cat /src/a.txt > /out".into(),
            format!("RUN echo {p}-1 > /salt")
        ],
        "{cli}"
    );

    // The CLI first, then Berth: every step is a hit.
    write(dir.path(), "Dockerfile", &dockerfile(&format!("{p}-2")));
    cli_build(dir.path(), &theirs, &[]);
    gone.0
        .push(docker_ok(&["image", "inspect", "-f", "{{.Id}}", &theirs]));
    let (built, _) = build(&form(dir.path(), &ours)).await;
    let built = built.unwrap();
    gone.0.push(built.id.clone());
    let cache: Vec<(u32, StepCache)> = built.steps.iter().map(|s| (s.step, s.cache)).collect();
    assert_eq!(
        cache,
        vec![
            (1, StepCache::Base),
            (2, StepCache::Hit),
            (3, StepCache::Hit),
            (4, StepCache::Hit)
        ]
    );
    assert_eq!(docker_ok(&["run", "--rm", &ours, "cat", "/out"]), "alpha");
}

#[tokio::test]
async fn the_ssh_agent_is_forwarded_to_a_step_that_mounts_it() {
    let p = prefix("bk-ssh");
    let tag = format!("{p}:1");
    let _gone = Untag(vec![tag.clone()]);
    let dir = tempfile::tempdir().unwrap();
    // A real agent of this test's own, on a socket in its folder.
    let sock = dir.path().join("agent.sock");
    let agent = Command::new("ssh-agent")
        .args(["-D", "-a"])
        .arg(&sock)
        .spawn()
        .unwrap();
    struct Kill(std::process::Child);
    impl Drop for Kill {
        fn drop(&mut self) {
            let _ = self.0.kill();
        }
    }
    let _agent = Kill(agent);
    for _ in 0..50 {
        if sock.exists() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    std::env::set_var("SSH_AUTH_SOCK", &sock);
    write(
        dir.path(),
        "Dockerfile",
        &format!("FROM {FIXTURE}\nRUN --mount=type=ssh sh -c 'echo {p}; test -S \"$SSH_AUTH_SOCK\" && echo agent-at-$SSH_AUTH_SOCK'\n"),
    );
    write(dir.path(), ".dockerignore", "agent.sock\n");
    let mut f = form(dir.path(), &tag);
    f.ssh = true;
    let (built, events) = build(&f).await;
    let built = built.unwrap();
    assert!(
        output(&events).contains("agent-at-/run/buildkit/ssh_agent.0"),
        "{}",
        output(&events)
    );
    assert!(
        built.command.contains(" --ssh default "),
        "{}",
        built.command
    );
    // Without an agent, said so before anything is sent.
    std::env::remove_var("SSH_AUTH_SOCK");
    match build(&f).await.0.unwrap_err() {
        berth_core::Error::InvalidInput { field, .. } => assert_eq!(field, "ssh"),
        e => panic!("{e:?}"),
    }
}

#[tokio::test]
async fn the_context_is_synced_with_dockerignore_and_its_exceptions() {
    let p = prefix("bk-ignore");
    let tag = format!("{p}:1");
    let _gone = Untag(vec![tag.clone()]);
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "data/keep.txt", "kept\n");
    write(dir.path(), "data/drop.txt", "dropped\n");
    write(dir.path(), "data/deep/x.txt", "deep\n");
    write(dir.path(), "a.txt", "a\n");
    write(dir.path(), ".dockerignore", "data\n!data/keep.txt\n");
    std::os::unix::fs::symlink("a.txt", dir.path().join("link")).unwrap();
    write(
        dir.path(),
        "Dockerfile",
        &format!("FROM {FIXTURE}\nCOPY . /ctx/\nRUN echo {p} && cd /ctx && find . | sort && readlink link\n"),
    );
    let (built, events) = build(&form(dir.path(), &tag)).await;
    built.unwrap();
    let out = output(&events);
    for want in ["./a.txt", "./data/keep.txt", "./link", "a.txt"] {
        assert!(out.lines().any(|l| l == want), "{want} missing:\n{out}");
    }
    for not in ["./data/drop.txt", "./data/deep"] {
        assert!(!out.lines().any(|l| l == not), "{not} sent:\n{out}");
    }
    assert_eq!(
        docker_ok(&["run", "--rm", &tag, "cat", "/ctx/data/keep.txt"]),
        "kept"
    );
}

/// What a learner types wrong in the secrets and SSH fields, refused by
/// field before anything is sent.
#[test]
fn bad_secrets_and_ssh_are_refused_by_field() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "Dockerfile", &format!("FROM {FIXTURE}\n"));
    write(dir.path(), "tok", "value");
    std::fs::write(dir.path().join("big"), vec![b'x'; 600 * 1024]).unwrap();
    let tok = dir.path().join("tok").display().to_string();
    let refused = |secrets: Vec<(&str, &str)>, ssh: bool, builder: Builder| {
        let mut f = form(dir.path(), "");
        f.builder = builder;
        f.ssh = ssh;
        f.secrets = secrets
            .into_iter()
            .map(|(id, src)| SecretRow {
                id: id.into(),
                src: src.into(),
            })
            .collect();
        match berth_core::build::plan(&f).unwrap_err() {
            berth_core::Error::InvalidInput { field, message, .. } => (field, message),
            e => panic!("{e:?}"),
        }
    };
    let (field, message) = refused(vec![("my token", &tok)], false, Builder::BuildKit);
    assert_eq!(field, "secrets[0].id");
    assert!(message.contains("my token"), "{message}");
    let (field, _) = refused(vec![("", &tok)], false, Builder::BuildKit);
    assert_eq!(field, "secrets[0].id");
    let (field, message) = refused(vec![("a", &tok), ("a", &tok)], false, Builder::BuildKit);
    assert_eq!(field, "secrets[1].id");
    assert!(message.contains("twice"), "{message}");
    let big = dir.path().join("big").display().to_string();
    let (field, message) = refused(vec![("a", &big)], false, Builder::BuildKit);
    assert_eq!(field, "secrets[0].src");
    assert!(message.contains("614400"), "{message}");
    let folder = dir.path().display().to_string();
    let (field, _) = refused(vec![("a", &folder)], false, Builder::BuildKit);
    assert_eq!(field, "secrets[0].src");
    let (field, _) = refused(vec![], true, Builder::Classic);
    assert_eq!(field, "ssh");
    // An empty row is no secret.
    let mut f = form(dir.path(), "");
    f.secrets = vec![SecretRow::default()];
    assert!(berth_core::build::plan(&f).is_ok());
}
