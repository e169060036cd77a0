//! Benchmark (not a test): Berth's core container-list call against
//! `docker ps -a` on the same engine, with N containers.
//!
//!   cargo run --release -p berth-core --example list_bench -- create 1000
//!   cargo run --release -p berth-core --example list_bench -- measure 25
//!   cargo run --release -p berth-core --example list_bench -- remove
//!   cargo run --release -p berth-core --example list_bench -- logs
//!   cargo run --release -p berth-core --example list_bench -- pull
//!   cargo run --release -p berth-core --example list_bench -- build
//!   cargo run --release -p berth-core --example list_bench -- copy
//!   cargo run --release -p berth-core --example list_bench -- files
//!   cargo run --release -p berth-core --example list_bench -- group
//!
//! Prints medians and the ratio Berth / docker (lower is better), and
//! records each figure for `scripts/bench.sh`'s summary.
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
            create(&engine, n, false).await;
        }
        Some("group") => group_bench(&engine).await,
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
            record("list_ratio", o.as_secs_f64() / c.as_secs_f64(), Some(1.0), "ratio");
            record(&format!("list_ms_{total}"), o.as_secs_f64() * 1e3, None, "ms");
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
            record("logs_ratio", o.as_secs_f64() / c.as_secs_f64(), Some(1.0), "ratio");
        }
        Some("pull") => pull_bench(&engine).await,
        Some("build") => build_bench(&engine).await,
        Some("copy") => copy_bench(&engine).await,
        Some("files") => files_bench(&engine).await,
        _ => eprintln!(
            "usage: list_bench create N | measure RUNS | logs | pull | build | copy | files | group | remove"
        ),
    }
}

/// Creates bench containers up to `n`; `compose`: labelled as 100 compose
/// projects of 10 services (container i is project i % 100, service i / 100).
async fn create(engine: &Engine, n: usize, compose: bool) {
    let have = bench_ids(engine).await.len();
    let t = Instant::now();
    stream::iter(have..n)
        .for_each_concurrent(16, |i| {
            let engine = engine.clone();
            async move {
                let mut labels = HashMap::from([(LABEL.to_string(), "1".to_string())]);
                if compose {
                    let project = format!("bench-p{:02}", i % 100);
                    for (k, v) in [
                        ("com.docker.compose.project", project.clone()),
                        ("com.docker.compose.service", format!("s{}", i / 100)),
                        ("com.docker.compose.container-number", "1".into()),
                        ("com.docker.compose.oneoff", "False".into()),
                        (
                            "com.docker.compose.project.working_dir",
                            format!("/srv/{project}"),
                        ),
                        (
                            "com.docker.compose.project.config_files",
                            format!("/srv/{project}/compose.yaml"),
                        ),
                    ] {
                        labels.insert(k.to_string(), v);
                    }
                }
                let body = ContainerCreateBody {
                    image: Some("berth-fixture/busybox:1".into()),
                    cmd: Some(vec!["true".into()]),
                    labels: Some(labels),
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

/// P1 (issue 19): the list call with 1,000 containers in 100 compose
/// projects, the bench's own containers only. Writes the rows the window
/// would get to `target/bench/rows.json`, where `ui/bench/grouping.bench.ts`
/// times grouping them into projects and records the ratio.
async fn group_bench(engine: &Engine) {
    assert!(
        bench_ids(engine).await.is_empty(),
        "remove the bench containers first (list_bench remove)"
    );
    create(engine, 1000, true).await;
    let rows = engine.list_containers(true).await.unwrap();
    let mut times = Vec::new();
    for _ in 0..25 {
        let t = Instant::now();
        let again = engine.list_containers(true).await.unwrap();
        times.push(t.elapsed());
        assert_eq!(again.len(), rows.len());
    }
    let list = median(times);
    let projects = rows.iter().filter(|r| r.compose.is_some()).count();
    assert!(
        projects >= 1000,
        "only {projects} rows carry compose labels"
    );
    println!(
        "list call with {} containers ({projects} in 100 compose projects): median {:.1} ms",
        rows.len(),
        list.as_secs_f64() * 1e3
    );
    std::fs::create_dir_all("target/bench").unwrap();
    std::fs::write(
        "target/bench/rows.json",
        serde_json::json!({ "listMs": list.as_secs_f64() * 1e3, "rows": rows }).to_string(),
    )
    .unwrap();
    record("group_list_ms_1000", list.as_secs_f64() * 1e3, None, "ms");
}

/// Runs the docker CLI, which must succeed.
fn sh(args: &[&str]) {
    docker_out(args);
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
    record(
        "pull_ratio",
        o.as_secs_f64() / c.as_secs_f64(),
        Some(1.0),
        "ratio",
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
    // BuildKit on both sides: Berth's tar upload against the CLI's own
    // BuildKit client (Debian's 20.10 CLI: a newer one needs buildx).
    let bk_form = BuildForm {
        builder: berth_core::build::Builder::BuildKit,
        ..form.clone()
    };
    let cli_bk = || {
        let out = std::process::Command::new("/usr/bin/docker")
            .env("DOCKER_BUILDKIT", "1")
            .args(["build", "-q", "-t", &tag, &folder])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    engine.build(&bk_form, |_| {}).await.expect("build");
    cli_bk();
    let (mut bk_ours, mut bk_cli) = (Vec::new(), Vec::new());
    for _ in 0..3 {
        let t = Instant::now();
        let built = engine.build(&bk_form, |_| {}).await.expect("build");
        bk_ours.push(t.elapsed());
        assert!(built
            .steps
            .iter()
            .all(|s| s.cache != berth_core::build::StepCache::Miss));
        let t = Instant::now();
        cli_bk();
        bk_cli.push(t.elapsed());
    }
    let (bo, bc) = (median(bk_ours), median(bk_cli));
    println!(
        "cached BuildKit build of a 200 MiB context: berth core median {:.2} s, DOCKER_BUILDKIT=1 docker build median {:.2} s (3 runs); ratio {:.2}",
        bo.as_secs_f64(),
        bc.as_secs_f64(),
        bo.as_secs_f64() / bc.as_secs_f64()
    );
    record(
        "buildkit_ratio",
        bo.as_secs_f64() / bc.as_secs_f64(),
        Some(1.0),
        "ratio",
    );
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
    record(
        "build_ratio",
        o.as_secs_f64() / c.as_secs_f64(),
        Some(1.0),
        "ratio",
    );
}

/// Appends one figure to the benchmark's record (`BERTH_BENCH_OUT`, by
/// default `target/bench/figures.jsonl`), which `scripts/bench.sh` turns
/// into `target/bench/summary.json`.
fn record(key: &str, value: f64, aim: Option<f64>, unit: &str) {
    use std::io::Write;
    let path =
        std::env::var("BERTH_BENCH_OUT").unwrap_or_else(|_| "target/bench/figures.jsonl".into());
    if let Some(dir) = std::path::Path::new(&path).parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    let line = serde_json::json!({ "key": key, "value": (value * 1000.0).round() / 1000.0, "aim": aim, "unit": unit });
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .unwrap();
    writeln!(f, "{line}").unwrap();
}

/// This process's peak resident memory so far, in MB (VmHWM).
fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

/// Runs the docker CLI, which must succeed; its output.
fn docker_out(args: &[&str]) -> String {
    let out = std::process::Command::new("docker")
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "docker {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// Writes `mib` MiB of pseudo-random bytes to `path`.
fn random_file(path: &std::path::Path, mib: usize) {
    use std::io::Write;
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let block: Vec<u8> = (0..1 << 20)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed as u8
        })
        .collect();
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    for i in 0..mib {
        // Each MiB differs a little, so nothing below can dedupe it.
        let mut b = block.clone();
        b[..8].copy_from_slice(&(i as u64).to_le_bytes());
        f.write_all(&b).unwrap();
    }
}

/// One 1 GiB file and 20,000 small files, in and out, through the core and
/// through `docker cp` on the same engine (3 runs each, medians), and this
/// process's peak memory: a copy streams, nothing is held whole.
async fn copy_bench(engine: &Engine) {
    use std::sync::atomic::AtomicBool;
    use std::sync::Arc;
    let name = "berth-bench-copy";
    let _ = std::process::Command::new("docker")
        .args(["rm", "-f", name])
        .output();
    sh(&["run", "-d", "--name", name, "berth-fixture/tools:1"]);
    let dir = std::env::temp_dir().join(format!("berth-copy-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("small")).unwrap();
    let big = dir.join("big.bin");
    random_file(&big, 1024);
    for i in 0..20_000 {
        let sub = dir.join("small").join(format!("d{:03}", i % 100));
        if i < 100 {
            std::fs::create_dir_all(&sub).unwrap();
        }
        std::fs::write(
            sub.join(format!("f{i:05}.txt")),
            format!("file {i}\n").repeat(1 + i % 64),
        )
        .unwrap();
    }
    let before = peak_rss_mb();
    let cancel = || Arc::new(AtomicBool::new(false));
    let out_dir = dir.join("out");
    for (what, src, cpath) in [
        ("1 GiB file", big.clone(), "/tmp/in/big.bin"),
        ("20,000 small files", dir.join("small"), "/tmp/in/small"),
    ] {
        let (mut core_in, mut cli_in, mut core_out, mut cli_out) = (vec![], vec![], vec![], vec![]);
        let fresh = |out_dir: &std::path::Path| {
            sh(&[
                "exec",
                name,
                "sh",
                "-c",
                "rm -rf /tmp/in && mkdir -p /tmp/in",
            ]);
            let _ = std::fs::remove_dir_all(out_dir);
            std::fs::create_dir_all(out_dir).unwrap();
        };
        for k in 0..4 {
            // Who goes first alternates: the page cache favours the second.
            for core in [k % 2 == 0, k % 2 != 0] {
                fresh(&out_dir);
                if core {
                    let t = Instant::now();
                    engine
                        .copy_in(name, vec![src.clone()], "/tmp/in", cancel(), |_| {})
                        .await
                        .expect("copy in");
                    core_in.push(t.elapsed());
                    let t = Instant::now();
                    engine
                        .copy_out(
                            name,
                            vec![cpath.into()],
                            out_dir.clone(),
                            true,
                            cancel(),
                            |_| {},
                        )
                        .await
                        .expect("copy out");
                    core_out.push(t.elapsed());
                } else {
                    let t = Instant::now();
                    sh(&["cp", &src.to_string_lossy(), &format!("{name}:/tmp/in/")]);
                    cli_in.push(t.elapsed());
                    let t = Instant::now();
                    sh(&["cp", &format!("{name}:{cpath}"), &out_dir.to_string_lossy()]);
                    cli_out.push(t.elapsed());
                }
            }
        }
        let (ci, di, co, dout) = (
            median(core_in),
            median(cli_in),
            median(core_out),
            median(cli_out),
        );
        println!(
            "copy of {what}: in: berth core {:.2} s, docker cp {:.2} s; out: berth core {:.2} s, docker cp {:.2} s (medians of 4, who goes first alternating)",
            ci.as_secs_f64(),
            di.as_secs_f64(),
            co.as_secs_f64(),
            dout.as_secs_f64()
        );
        let suffix = if what.starts_with('1') { "" } else { "_small" };
        let (rin, rout) = (
            ci.as_secs_f64() / di.as_secs_f64(),
            co.as_secs_f64() / dout.as_secs_f64(),
        );
        println!("ratio berth/docker (copy in{suffix}): {rin:.2}; (copy out{suffix}): {rout:.2}");
        record(&format!("copy_in{suffix}_ratio"), rin, Some(1.0), "ratio");
        record(&format!("copy_out{suffix}_ratio"), rout, Some(1.0), "ratio");
    }
    let grew = peak_rss_mb() - before;
    println!("peak memory of the copying process grew by {grew:.0} MB over the copies (a 1 GiB file included)");
    record("copy_peak_growth_mb", grew, Some(64.0), "MB");
    let _ = std::process::Command::new("docker")
        .args(["rm", "-f", name])
        .output();
    let _ = std::fs::remove_dir_all(&dir);
}

/// Listing `/` of a running container with 2 GiB below it: the exec fast
/// path against the archive API (5 runs each, medians).
async fn files_bench(engine: &Engine) {
    let name = "berth-bench-files";
    let _ = std::process::Command::new("docker")
        .args(["rm", "-f", name])
        .output();
    sh(&["run", "-d", "--name", name, "berth-fixture/tools:1"]);
    sh(&[
        "exec",
        name,
        "sh",
        "-c",
        "mkdir -p /big && for i in 1 2 3 4 5 6 7 8; do dd if=/dev/zero of=/big/f$i bs=1M count=256 2>/dev/null; done",
    ]);
    let below = docker_out(&["exec", name, "du", "-sm", "/big"]);
    let (mut fast, mut archive) = (vec![], vec![]);
    for _ in 0..5 {
        let t = Instant::now();
        let l = engine.list_dir(name, "/").await.expect("list");
        fast.push(t.elapsed());
        assert!(l.entries.iter().any(|e| e.name == "big"));
        let t = Instant::now();
        let l = engine.list_dir_from_archive(name, "/").await.expect("list");
        archive.push(t.elapsed());
        assert!(l.entries.iter().any(|e| e.name == "big"));
    }
    let (f, a) = (median(fast), median(archive));
    println!(
        "listing / with {} MiB below it: fast path (exec) {:.0} ms, archive API {:.0} ms (medians of 5)",
        below.split_whitespace().next().unwrap_or("?"),
        f.as_secs_f64() * 1e3,
        a.as_secs_f64() * 1e3
    );
    record("files_list_ms", f.as_secs_f64() * 1e3, Some(300.0), "ms");
    record("files_list_archive_ms", a.as_secs_f64() * 1e3, None, "ms");
    let _ = std::process::Command::new("docker")
        .args(["rm", "-f", name])
        .output();
}
