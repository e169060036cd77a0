//! Benchmark (not a test): Berth's core container-list call against
//! `docker ps -a` on the same engine, with N containers.
//!
//!   cargo run --release -p berth-core --example list_bench -- create 1000
//!   cargo run --release -p berth-core --example list_bench -- measure 25
//!   cargo run --release -p berth-core --example list_bench -- remove
//!   cargo run --release -p berth-core --example list_bench -- logs
//!   cargo run --release -p berth-core --example list_bench -- pull
//!
//! Prints medians and the ratio Berth / docker (lower is better).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a benchmark stops at the first failure, with its message"
)]

use std::collections::HashMap;
use std::time::{Duration, Instant};

use berth_core::engine::endpoint::Environment;
use berth_core::Engine;
use bollard::models::ContainerCreateBody;
use bollard::query_parameters::{
    CreateContainerOptionsBuilder, ListContainersOptionsBuilder, RemoveContainerOptionsBuilder,
};
use futures_util::stream::{self, StreamExt};

const LABEL: &str = "berth.bench";

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

async fn bench_ids(engine: &Engine) -> Vec<String> {
    let filters = HashMap::from([("label".to_string(), vec![LABEL.to_string()])]);
    engine
        .docker()
        .list_containers(Some(
            ListContainersOptionsBuilder::new()
                .all(true)
                .filters(&filters)
                .build(),
        ))
        .await
        .expect("list")
        .into_iter()
        .filter_map(|c| c.id)
        .collect()
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let engine = Engine::connect(&Environment::from_process())
        .await
        .expect("engine");
    match args.first().map(String::as_str) {
        Some("create") => {
            let n: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(1000);
            let have = bench_ids(&engine).await.len();
            let t = Instant::now();
            stream::iter(have..n)
                .for_each_concurrent(16, |i| {
                    let engine = engine.clone();
                    async move {
                        let body = ContainerCreateBody {
                            image: Some("berth-fixture/busybox:1".into()),
                            cmd: Some(vec!["true".into()]),
                            labels: Some(HashMap::from([(LABEL.to_string(), "1".to_string())])),
                            ..Default::default()
                        };
                        let name = format!("berth-bench-{i:05}");
                        engine
                            .docker()
                            .create_container(
                                Some(CreateContainerOptionsBuilder::new().name(&name).build()),
                                body,
                            )
                            .await
                            .expect("create");
                    }
                })
                .await;
            println!(
                "created {} containers in {:.1} s",
                n.saturating_sub(have),
                t.elapsed().as_secs_f64()
            );
        }
        Some("measure") => {
            let runs: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(25);
            let total = engine.list_containers(true).await.unwrap().len();
            // Warm both paths once.
            engine.list_containers(true).await.unwrap();
            std::process::Command::new("docker")
                .args(["ps", "-a"])
                .output()
                .unwrap();
            let mut ours = Vec::new();
            let mut cli = Vec::new();
            for _ in 0..runs {
                let t = Instant::now();
                let rows = engine.list_containers(true).await.unwrap();
                ours.push(t.elapsed());
                assert_eq!(rows.len(), total);
                let t = Instant::now();
                let out = std::process::Command::new("docker")
                    .args(["ps", "-a"])
                    .output()
                    .unwrap();
                cli.push(t.elapsed());
                assert!(out.status.success());
            }
            let (o, c) = (median(ours), median(cli));
            println!("containers listed: {total}");
            println!(
                "berth core list_containers(all): median {:.1} ms over {runs} runs",
                o.as_secs_f64() * 1e3
            );
            println!(
                "docker ps -a (whole CLI process): median {:.1} ms over {runs} runs",
                c.as_secs_f64() * 1e3
            );
            println!(
                "ratio berth/docker: {:.2}",
                o.as_secs_f64() / c.as_secs_f64()
            );
        }
        Some("remove") => {
            let ids = bench_ids(&engine).await;
            stream::iter(ids.iter())
                .for_each_concurrent(16, |id| {
                    let engine = engine.clone();
                    async move {
                        let _ = engine
                            .docker()
                            .remove_container(
                                id,
                                Some(RemoveContainerOptionsBuilder::new().force(true).build()),
                            )
                            .await;
                    }
                })
                .await;
            println!("removed {} containers", ids.len());
        }
        Some("logs") => {
            // A container that logged 1,000,000 lines, fetched whole.
            let name = "berth-bench-logs";
            let _ = std::process::Command::new("docker")
                .args(["rm", "-f", name])
                .output();
            let made = std::process::Command::new("docker")
                .args([
                    "run",
                    "--name",
                    name,
                    "berth-fixture/busybox:1",
                    "seq",
                    "1",
                    "1000000",
                ])
                .output()
                .unwrap();
            assert!(made.status.success());
            let opts = berth_core::containers::logs::LogOptions {
                follow: false,
                tail: None,
                timestamps: false,
                since: None,
            };
            let mut ours = Vec::new();
            let mut cli = Vec::new();
            for _ in 0..3 {
                let t = Instant::now();
                let mut n = 0usize;
                let mut s = engine.logs_fast(name, &opts).await.unwrap();
                while let Some(b) = s.next().await {
                    n += b.unwrap().len();
                }
                ours.push(t.elapsed());
                assert_eq!(n, 1_000_000);
                let t = Instant::now();
                let out = std::process::Command::new("docker")
                    .args(["logs", name])
                    .output()
                    .unwrap();
                cli.push(t.elapsed());
                assert_eq!(
                    out.stdout.iter().filter(|&&b| b == b'\n').count(),
                    1_000_000
                );
            }
            let _ = std::process::Command::new("docker")
                .args(["rm", "-f", name])
                .output();
            let (o, c) = (median(ours), median(cli));
            println!("1,000,000 log lines: berth core logs median {:.2} s, docker logs median {:.2} s (3 runs)", o.as_secs_f64(), c.as_secs_f64());
            println!(
                "ratio berth/docker (logs): {:.2}",
                o.as_secs_f64() / c.as_secs_f64()
            );
        }
        Some("pull") => pull_bench(&engine).await,
        Some("build") => build_bench(&engine).await,
        _ => eprintln!("usage: list_bench create N | measure RUNS | logs | pull | build | remove"),
    }
}

fn sh(args: &[&str]) {
    let out = std::process::Command::new("docker")
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "docker {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A 100 MiB image (one fresh random layer on the busybox fixture) pushed
/// to the local registry, pulled 3 times each way, removed in between.
async fn pull_bench(engine: &Engine) {
    let r = format!("127.0.0.1:5000/berth-bench/pull-{}:1", std::process::id());
    let ctx = std::env::temp_dir().join(format!("berth-pull-bench-{}", std::process::id()));
    std::fs::create_dir_all(&ctx).unwrap();
    std::fs::write(
        ctx.join("Dockerfile"),
        "FROM berth-fixture/busybox:1\nRUN head -c 104857600 /dev/urandom > /blob\n",
    )
    .unwrap();
    sh(&["build", "-q", "-t", &r, &ctx.to_string_lossy()]);
    sh(&["push", "-q", &r]);
    sh(&["image", "rm", &r]);
    let (mut ours, mut cli) = (Vec::new(), Vec::new());
    for _ in 0..3 {
        let t = Instant::now();
        let mut s = engine.pull(&r, None).unwrap();
        while let Some(e) = s.next().await {
            e.unwrap();
        }
        ours.push(t.elapsed());
        sh(&["image", "rm", &r]);
        let t = Instant::now();
        sh(&["pull", "-q", &r]);
        cli.push(t.elapsed());
        sh(&["image", "rm", &r]);
    }
    let _ = std::fs::remove_dir_all(&ctx);
    let (o, c) = (median(ours), median(cli));
    println!(
        "pull of a 100 MiB image from 127.0.0.1:5000: berth core median {:.2} s, docker pull median {:.2} s (3 runs)",
        o.as_secs_f64(),
        c.as_secs_f64()
    );
    println!(
        "ratio berth/docker (pull): {:.2}",
        o.as_secs_f64() / c.as_secs_f64()
    );
}

/// A 200 MiB build context (200 files of 1 MiB) whose build is all cached:
/// the folder walked, sent as a tar and checked against the cache, by the
/// core and by `docker image build`, 3 times each.
async fn build_bench(engine: &Engine) {
    use berth_core::build::BuildForm;
    let tag = format!("berth-bench/build-{}:1", std::process::id());
    let ctx = std::env::temp_dir().join(format!("berth-build-bench-{}", std::process::id()));
    std::fs::create_dir_all(ctx.join("data")).unwrap();
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    for i in 0..200 {
        let block: Vec<u8> = (0..1 << 20)
            .map(|_| {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                seed as u8
            })
            .collect();
        std::fs::write(ctx.join(format!("data/f{i:03}")), block).unwrap();
    }
    std::fs::write(
        ctx.join("Dockerfile"),
        "FROM berth-fixture/busybox:1\nCOPY data/ /data/\nRUN du -s /data\n",
    )
    .unwrap();
    let folder = ctx.to_string_lossy().to_string();
    sh(&["build", "-q", "-t", &tag, &folder]);
    let form = BuildForm {
        folder: folder.clone(),
        tag: tag.clone(),
        ..Default::default()
    };
    let (mut ours, mut cli) = (Vec::new(), Vec::new());
    for _ in 0..3 {
        let t = Instant::now();
        let built = engine.build(&form, |_| {}).await.expect("build");
        ours.push(t.elapsed());
        assert!(built
            .steps
            .iter()
            .all(|s| s.cache != berth_core::build::StepCache::Miss));
        let t = Instant::now();
        sh(&["build", "-q", "-t", &tag, &folder]);
        cli.push(t.elapsed());
    }
    sh(&["image", "rm", &tag]);
    let _ = std::fs::remove_dir_all(&ctx);
    let (o, c) = (median(ours), median(cli));
    println!(
        "cached build of a 200 MiB context: berth core median {:.2} s, docker image build median {:.2} s (3 runs)",
        o.as_secs_f64(),
        c.as_secs_f64()
    );
    println!(
        "ratio berth/docker (build): {:.2}",
        o.as_secs_f64() / c.as_secs_f64()
    );
}
