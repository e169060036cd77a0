//! Live resource use of a container (C7), computed the way `docker stats`
//! computes it from the engine's samples.

use bollard::models::ContainerStatsResponse;
use bollard::query_parameters::StatsOptionsBuilder;
use futures_util::{Stream, StreamExt};
use serde::Serialize;
use specta::Type;

use crate::engine::Engine;
use crate::error::{Error, Result};

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct StatsSample {
    /// Percent of one CPU (200 = two CPUs busy), as `docker stats` prints.
    pub cpu_percent: f32,
    pub online_cpus: u32,
    /// Memory in use, without the page cache the kernel can drop.
    #[specta(type = crate::JsNumber)]
    pub memory_bytes: u64,
    #[specta(type = crate::JsNumber)]
    pub memory_limit_bytes: u64,
    #[specta(type = crate::JsNumber)]
    pub net_rx_bytes: u64,
    #[specta(type = crate::JsNumber)]
    pub net_tx_bytes: u64,
    #[specta(type = crate::JsNumber)]
    pub block_read_bytes: u64,
    #[specta(type = crate::JsNumber)]
    pub block_write_bytes: u64,
    pub pids: Option<u32>,
}

/// One engine sample to the figures `docker stats` shows. A stopped or
/// hostile sample (missing fields, counters going backwards) gives zeros.
pub fn sample_from(s: &ContainerStatsResponse) -> StatsSample {
    let cpu = s.cpu_stats.clone().unwrap_or_default();
    let pre = s.precpu_stats.clone().unwrap_or_default();
    let total = |c: &bollard::models::ContainerCpuStats| {
        c.cpu_usage
            .as_ref()
            .and_then(|u| u.total_usage)
            .unwrap_or(0)
    };
    let online = cpu
        .online_cpus
        .filter(|&n| n > 0)
        .or_else(|| {
            cpu.cpu_usage
                .as_ref()
                .and_then(|u| u.percpu_usage.as_ref())
                .map(|v| v.len() as u32)
        })
        .unwrap_or(1);
    let cpu_delta = total(&cpu).saturating_sub(total(&pre));
    let sys_delta = cpu
        .system_cpu_usage
        .unwrap_or(0)
        .saturating_sub(pre.system_cpu_usage.unwrap_or(0));
    let cpu_percent = if sys_delta > 0 && cpu_delta > 0 {
        (cpu_delta as f64 / sys_delta as f64 * online as f64 * 100.0) as f32
    } else {
        0.0
    };
    let mem = s.memory_stats.clone().unwrap_or_default();
    let stat = |k: &str| mem.stats.as_ref().and_then(|m| m.get(k).copied());
    // cgroup v1 reports total_inactive_file, v2 inactive_file; the CLI subtracts it.
    let cache = stat("total_inactive_file")
        .or_else(|| stat("inactive_file"))
        .unwrap_or(0);
    let usage = mem.usage.unwrap_or(0);
    let (mut rx, mut tx) = (0u64, 0u64);
    for n in s.networks.iter().flat_map(|m| m.values()) {
        rx = rx.saturating_add(n.rx_bytes.unwrap_or(0));
        tx = tx.saturating_add(n.tx_bytes.unwrap_or(0));
    }
    let (mut read, mut write) = (0u64, 0u64);
    let entries = s
        .blkio_stats
        .as_ref()
        .and_then(|b| b.io_service_bytes_recursive.as_ref());
    for e in entries.into_iter().flatten() {
        match e.op.as_deref().map(str::to_ascii_lowercase).as_deref() {
            Some("read") => read = read.saturating_add(e.value.unwrap_or(0)),
            Some("write") => write = write.saturating_add(e.value.unwrap_or(0)),
            _ => {}
        }
    }
    StatsSample {
        cpu_percent,
        online_cpus: online,
        memory_bytes: usage.saturating_sub(cache),
        memory_limit_bytes: mem.limit.unwrap_or(0),
        net_rx_bytes: rx,
        net_tx_bytes: tx,
        block_read_bytes: read,
        block_write_bytes: write,
        pids: s
            .pids_stats
            .as_ref()
            .and_then(|p| p.current)
            .and_then(|c| u32::try_from(c).ok()),
    }
}

impl Engine {
    /// `docker container stats ID`: one sample about every second until the
    /// container stops or the stream is dropped.
    pub fn stats(&self, id: &str) -> impl Stream<Item = Result<StatsSample>> + Send + 'static {
        self.docker
            .stats(id, Some(StatsOptionsBuilder::new().stream(true).build()))
            .map(|r| r.map(|s| sample_from(&s)).map_err(Error::from))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bollard::models::{ContainerCpuStats, ContainerCpuUsage, ContainerMemoryStats};
    use std::collections::HashMap;

    #[test]
    fn cpu_and_memory_are_computed_like_docker_stats() {
        let s = ContainerStatsResponse {
            cpu_stats: Some(ContainerCpuStats {
                cpu_usage: Some(ContainerCpuUsage {
                    total_usage: Some(3_000),
                    ..Default::default()
                }),
                system_cpu_usage: Some(20_000),
                online_cpus: Some(2),
                ..Default::default()
            }),
            precpu_stats: Some(ContainerCpuStats {
                cpu_usage: Some(ContainerCpuUsage {
                    total_usage: Some(1_000),
                    ..Default::default()
                }),
                system_cpu_usage: Some(10_000),
                online_cpus: Some(2),
                ..Default::default()
            }),
            memory_stats: Some(ContainerMemoryStats {
                usage: Some(10_000),
                limit: Some(100_000),
                stats: Some(HashMap::from([("inactive_file".to_string(), 4_000)])),
                ..Default::default()
            }),
            ..Default::default()
        };
        let x = sample_from(&s);
        assert!((x.cpu_percent - 40.0).abs() < 0.01, "{}", x.cpu_percent);
        assert_eq!((x.memory_bytes, x.memory_limit_bytes), (6_000, 100_000));
    }

    #[test]
    fn an_empty_or_backwards_sample_gives_zeros() {
        let x = sample_from(&ContainerStatsResponse::default());
        assert_eq!((x.cpu_percent, x.memory_bytes), (0.0, 0));
        let s = ContainerStatsResponse {
            cpu_stats: Some(ContainerCpuStats {
                cpu_usage: Some(ContainerCpuUsage {
                    total_usage: Some(1),
                    ..Default::default()
                }),
                system_cpu_usage: Some(1),
                ..Default::default()
            }),
            precpu_stats: Some(ContainerCpuStats {
                cpu_usage: Some(ContainerCpuUsage {
                    total_usage: Some(9),
                    ..Default::default()
                }),
                system_cpu_usage: Some(9),
                ..Default::default()
            }),
            ..Default::default()
        };
        assert_eq!(sample_from(&s).cpu_percent, 0.0);
    }
}
