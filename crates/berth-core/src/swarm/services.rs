//! Services and their tasks (E7): replicated or global, running against
//! desired, the image, ports published through the routing mesh, the
//! rolling update's state; each task's slot, node, desired and current
//! state, error and exit code, and whether it already runs the service's
//! current spec (a rolling update's progress, task by task).
//!
//! Scale, update (image, env, ports, and how the update rolls), roll back,
//! create from a form and remove; each returns the docker command it equals.
//! An update replaces the whole spec, so every change starts from the
//! service's own spec as `inspect` gives it; a stale version ("update out of
//! sequence") is read again and retried once.

use std::collections::{BTreeMap, HashMap};

use bollard::models::{
    EndpointPortConfig, EndpointPortConfigProtocolEnum, EndpointPortConfigPublishModeEnum,
    EndpointSpec, Service, ServiceSpec, ServiceSpecMode, ServiceSpecModeReplicated,
    ServiceSpecUpdateConfig, ServiceSpecUpdateConfigFailureActionEnum, Task, TaskSpec,
    TaskSpecContainerSpec, TaskSpecContainerSpecFile, TaskSpecContainerSpecSecrets,
};
use bollard::query_parameters::{
    InspectServiceOptions, ListServicesOptions, ListTasksOptions, UpdateServiceOptions,
};
use serde::{Deserialize, Serialize};
use specta::Type;

use super::{not_manager, short};
use crate::cli::{line, quote};
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::said::Said;

/// The label `docker stack deploy` puts on what a stack owns.
pub const STACK_LABEL: &str = "com.docker.stack.namespace";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ServicePort {
    /// On every node, through the routing mesh (or on the task's node
    /// only, `mode: host`). None: the swarm picks one (30000+).
    pub published: Option<u32>,
    pub target: u32,
    pub protocol: String,
    /// `ingress` (the routing mesh) or `host`.
    pub mode: String,
}

/// How a rolling update goes: `--update-parallelism`, `--update-delay`,
/// `--update-failure-action`, `--update-order`, `--update-monitor`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct UpdatePolicy {
    /// Tasks replaced at once; 0: all at once.
    pub parallelism: u32,
    /// Between batches, e.g. `10s`; empty: none.
    pub delay: String,
    /// `pause`, `continue` or `rollback`.
    pub failure_action: String,
    /// `stop-first` or `start-first`.
    pub order: String,
    /// How long a new task is watched before the next batch, e.g. `5s`.
    pub monitor: String,
}

impl Default for UpdatePolicy {
    /// The engine's own defaults.
    fn default() -> Self {
        UpdatePolicy {
            parallelism: 1,
            delay: String::new(),
            failure_action: "pause".into(),
            order: "stop-first".into(),
            monitor: "5s".into(),
        }
    }
}

/// The state of the last update or rollback.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct UpdateState {
    /// `updating`, `paused`, `completed`, `rollback_started`,
    /// `rollback_paused`, `rollback_completed`.
    pub state: String,
    pub started: Option<String>,
    pub completed: Option<String>,
    pub message: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ServiceRow {
    pub id: String,
    pub name: String,
    /// `replicated`, `global`, `replicated-job` or `global-job`.
    pub mode: String,
    /// Replicated: what was asked.
    pub replicas: Option<u32>,
    pub running: u32,
    pub desired: u32,
    /// As the service names it, without a pinned digest.
    pub image: String,
    /// `sha256:…` when the image was pinned at create or update.
    pub digest: Option<String>,
    pub args: Vec<String>,
    pub env: Vec<String>,
    pub ports: Vec<ServicePort>,
    pub update: Option<UpdateState>,
    pub policy: UpdatePolicy,
    /// There is a previous spec to roll back to.
    pub can_roll_back: bool,
    /// `com.docker.stack.namespace`.
    pub stack: Option<String>,
    pub secrets: Vec<String>,
    pub configs: Vec<String>,
    pub labels: BTreeMap<String, String>,
    pub created: String,
    pub updated: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TaskRow {
    pub id: String,
    /// `web.2` (replicated) or `web.<node>` (global), as `docker service ps`.
    pub name: String,
    pub slot: Option<u32>,
    pub node_id: String,
    pub node: String,
    /// What the orchestrator wants: `running`, `shutdown`...
    pub desired: String,
    /// Where the task is: `running`, `preparing`, `failed`, `rejected`...
    pub state: String,
    pub message: String,
    pub error: Option<String>,
    pub exit_code: Option<i32>,
    pub image: String,
    pub container_id: Option<String>,
    /// When it reached its state (RFC 3339).
    pub since: String,
    /// It runs the service's current spec: updated, in a rolling update.
    pub current: bool,
}

/// What `docker service create` is given.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ServiceForm {
    pub name: String,
    pub image: String,
    /// `replicated` (default) or `global`.
    pub mode: String,
    pub replicas: u32,
    /// The command's words after the image (`sleep 3600`), as a shell reads them.
    pub command: String,
    /// `KEY=VALUE`, one a row.
    pub env: Vec<String>,
    /// `8080:80`, `8080:80/udp`, `80` (the swarm picks the port).
    pub ports: Vec<String>,
    /// Secret names, mounted at /run/secrets/NAME.
    pub secrets: Vec<String>,
    pub policy: Option<UpdatePolicy>,
}

/// What an update changes; None leaves a part as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ServiceChange {
    pub image: Option<String>,
    /// The whole list, as it should be.
    pub env: Option<Vec<String>>,
    pub ports: Option<Vec<String>>,
    pub policy: Option<UpdatePolicy>,
}

/// A duration as docker's flags write it (`1m30s`, `500ms`, `10s`), in
/// nanoseconds.
pub fn parse_duration(s: &str) -> std::result::Result<i64, Said> {
    let bad = || Said::DurationBad { value: s.into() };
    let t = s.trim();
    if t == "0" {
        return Ok(0);
    }
    let re = regex::Regex::new(r"^(?:(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h))+$")
        .unwrap_or_else(|_| unreachable!());
    if t.is_empty() || !re.is_match(t) {
        return Err(bad());
    }
    let part =
        regex::Regex::new(r"(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)").unwrap_or_else(|_| unreachable!());
    let mut total = 0f64;
    for c in part.captures_iter(t) {
        let n: f64 = c[1].parse().map_err(|_| bad())?;
        let unit = match &c[2] {
            "ns" => 1.0,
            "us" | "µs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            _ => 3600e9,
        };
        total += n * unit;
    }
    if total > 1e18 {
        return Err(bad());
    }
    Ok(total as i64)
}

/// Nanoseconds as docker prints them: `10s`, `1m30s`, `500ms`.
pub fn show_duration(ns: i64) -> String {
    if ns <= 0 {
        return "0s".into();
    }
    if ns % 1_000_000_000 != 0 {
        return format!("{}ms", ns / 1_000_000);
    }
    let s = ns / 1_000_000_000;
    let (h, m, s) = (s / 3600, s / 60 % 60, s % 60);
    let mut out = String::new();
    if h > 0 {
        out.push_str(&format!("{h}h"));
    }
    if m > 0 {
        out.push_str(&format!("{m}m"));
    }
    if s > 0 || out.is_empty() {
        out.push_str(&format!("{s}s"));
    }
    out
}

/// A service name as the engine takes it: like a container name, at most
/// 63 characters (it is also a DNS name on the service's networks).
pub fn check_service_name(field: &str, name: &str) -> Result<()> {
    crate::containers::validate_name(name).map_err(|s| Error::said(field, s))?;
    if name.len() > 63 {
        return Err(Error::said(
            field,
            Said::ServiceNameLong {
                name: name.into(),
                len: crate::said::len32(name.len()),
            },
        ));
    }
    Ok(())
}

fn check_env(rows: &[String]) -> Result<Vec<String>> {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let mut out = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let field = format!("env.{i}");
        let row = row.trim();
        if row.is_empty() {
            continue;
        }
        let Some((k, _)) = row.split_once('=') else {
            return Err(Error::said(field, Said::NotKeyValue { row: row.into() }));
        };
        if k.is_empty() {
            return Err(Error::said(field, Said::EnvNameEmpty));
        }
        if k.chars().any(char::is_whitespace) {
            return Err(Error::said(field, Said::EnvNameSpace { name: k.into() }));
        }
        if let Some(j) = seen.insert(k, i) {
            return Err(Error::said(
                field,
                Said::EnvNameTwice {
                    name: k.into(),
                    row: crate::said::len32(j + 1),
                },
            ));
        }
        out.push(row.to_string());
    }
    Ok(out)
}

/// `PUBLISHED:TARGET[/PROTO]` or `TARGET[/PROTO]`, as `--publish` takes
/// them (no host IP: the routing mesh listens on every node's addresses).
pub fn parse_port(spec: &str) -> std::result::Result<ServicePort, Said> {
    let b = crate::containers::publish::parse(spec)?;
    let [b] = b.as_slice() else {
        return Err(Said::ServicePortRange { spec: spec.into() });
    };
    if !b.host_ip.is_empty() {
        return Err(Said::ServicePortIp {
            spec: spec.trim().into(),
        });
    }
    let published = if b.host_port.is_empty() {
        None
    } else {
        Some(
            b.host_port
                .parse::<u32>()
                .map_err(|_| Said::ServicePortRange { spec: spec.into() })?,
        )
    };
    Ok(ServicePort {
        published,
        target: u32::from(b.container_port),
        protocol: b.protocol.clone(),
        mode: "ingress".into(),
    })
}

fn check_ports(rows: &[String]) -> Result<Vec<ServicePort>> {
    let mut out: Vec<ServicePort> = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        if row.trim().is_empty() {
            continue;
        }
        let p = parse_port(row).map_err(|s| Error::said(format!("ports.{i}"), s))?;
        if let Some(j) = out.iter().position(|o| {
            o.published.is_some() && o.published == p.published && o.protocol == p.protocol
        }) {
            return Err(Error::said(
                format!("ports.{i}"),
                Said::HostPortTwice {
                    port: p.published.unwrap_or(0).to_string(),
                    protocol: p.protocol,
                    row: crate::said::len32(j + 1),
                },
            ));
        }
        out.push(p);
    }
    Ok(out)
}

fn port_word(p: &ServicePort) -> String {
    let proto = if p.protocol == "tcp" {
        String::new()
    } else {
        format!("/{}", p.protocol)
    };
    match p.published {
        Some(n) => format!("{n}:{}{proto}", p.target),
        None => format!("{}{proto}", p.target),
    }
}

/// A port as the engine describes it.
fn port_of(p: EndpointPortConfig) -> ServicePort {
    ServicePort {
        published: p.published_port.and_then(|n| u32::try_from(n).ok()),
        target: p
            .target_port
            .and_then(|n| u32::try_from(n).ok())
            .unwrap_or(0),
        protocol: p
            .protocol
            .map(|x| x.to_string())
            .unwrap_or_else(|| "tcp".into()),
        mode: p
            .publish_mode
            .map(|x| x.to_string())
            .unwrap_or_else(|| "ingress".into()),
    }
}

fn port_config(p: &ServicePort) -> EndpointPortConfig {
    EndpointPortConfig {
        protocol: Some(match p.protocol.as_str() {
            "udp" => EndpointPortConfigProtocolEnum::UDP,
            "sctp" => EndpointPortConfigProtocolEnum::SCTP,
            _ => EndpointPortConfigProtocolEnum::TCP,
        }),
        target_port: Some(i64::from(p.target)),
        published_port: p.published.map(i64::from),
        publish_mode: Some(if p.mode == "host" {
            EndpointPortConfigPublishModeEnum::HOST
        } else {
            EndpointPortConfigPublishModeEnum::INGRESS
        }),
        ..Default::default()
    }
}

fn check_policy(p: &UpdatePolicy) -> Result<ServiceSpecUpdateConfig> {
    let delay = if p.delay.trim().is_empty() {
        0
    } else {
        parse_duration(&p.delay).map_err(|s| Error::said("policy.delay", s))?
    };
    let monitor = if p.monitor.trim().is_empty() {
        5_000_000_000
    } else {
        parse_duration(&p.monitor).map_err(|s| Error::said("policy.monitor", s))?
    };
    let failure_action = match p.failure_action.as_str() {
        "" | "pause" => ServiceSpecUpdateConfigFailureActionEnum::PAUSE,
        "continue" => ServiceSpecUpdateConfigFailureActionEnum::CONTINUE,
        "rollback" => ServiceSpecUpdateConfigFailureActionEnum::ROLLBACK,
        other => {
            return Err(Error::said(
                "policy.failureAction",
                Said::FailureActionBad {
                    value: other.into(),
                },
            ))
        }
    };
    let order = match p.order.as_str() {
        "" | "stop-first" => bollard::models::ServiceSpecUpdateConfigOrderEnum::STOP_FIRST,
        "start-first" => bollard::models::ServiceSpecUpdateConfigOrderEnum::START_FIRST,
        other => {
            return Err(Error::said(
                "policy.order",
                Said::UpdateOrderBad {
                    value: other.into(),
                },
            ))
        }
    };
    Ok(ServiceSpecUpdateConfig {
        parallelism: Some(i64::from(p.parallelism)),
        delay: Some(delay),
        failure_action: Some(failure_action),
        monitor: Some(monitor),
        max_failure_ratio: Some(0.0),
        order: Some(order),
    })
}

/// The policy's flags that differ from the engine's defaults.
fn policy_words(p: &UpdatePolicy) -> Vec<String> {
    let d = UpdatePolicy::default();
    let mut w = Vec::new();
    if p.parallelism != d.parallelism {
        w.extend(["--update-parallelism".into(), p.parallelism.to_string()]);
    }
    if !p.delay.trim().is_empty() && parse_duration(&p.delay).is_ok_and(|n| n > 0) {
        w.extend(["--update-delay".into(), p.delay.trim().to_string()]);
    }
    if !p.failure_action.is_empty() && p.failure_action != d.failure_action {
        w.extend(["--update-failure-action".into(), p.failure_action.clone()]);
    }
    if !p.order.is_empty() && p.order != d.order {
        w.extend(["--update-order".into(), p.order.clone()]);
    }
    if !p.monitor.trim().is_empty()
        && parse_duration(&p.monitor).ok() != parse_duration(&d.monitor).ok()
    {
        w.extend(["--update-monitor".into(), p.monitor.trim().to_string()]);
    }
    w
}

fn policy_of(c: Option<&ServiceSpecUpdateConfig>) -> UpdatePolicy {
    let d = UpdatePolicy::default();
    let Some(c) = c else { return d };
    UpdatePolicy {
        parallelism: c
            .parallelism
            .and_then(|p| u32::try_from(p).ok())
            .unwrap_or(d.parallelism),
        delay: c
            .delay
            .filter(|n| *n > 0)
            .map(show_duration)
            .unwrap_or_default(),
        failure_action: c
            .failure_action
            .map(|a| a.to_string())
            .filter(|a| !a.is_empty())
            .unwrap_or(d.failure_action),
        order: c
            .order
            .map(|o| o.to_string())
            .filter(|o| !o.is_empty())
            .unwrap_or(d.order),
        monitor: c.monitor.map(show_duration).unwrap_or(d.monitor),
    }
}

/// `name:tag@sha256:…` taken apart.
fn split_digest(image: &str) -> (String, Option<String>) {
    match image.split_once('@') {
        Some((name, digest)) => (name.to_string(), Some(digest.to_string())),
        None => (image.to_string(), None),
    }
}

fn container_spec(spec: &ServiceSpec) -> TaskSpecContainerSpec {
    spec.task_template
        .as_ref()
        .and_then(|t| t.container_spec.clone())
        .unwrap_or_default()
}

fn mode_of(spec: &ServiceSpec) -> (String, Option<u32>) {
    let m = spec.mode.clone().unwrap_or_default();
    if let Some(r) = m.replicated {
        (
            "replicated".into(),
            Some(r.replicas.and_then(|n| u32::try_from(n).ok()).unwrap_or(1)),
        )
    } else if m.global.is_some() {
        ("global".into(), None)
    } else if m.replicated_job.is_some() {
        ("replicated-job".into(), None)
    } else if m.global_job.is_some() {
        ("global-job".into(), None)
    } else {
        ("replicated".into(), Some(1))
    }
}

fn row_of(s: Service) -> ServiceRow {
    let spec = s.spec.clone().unwrap_or_default();
    let cs = container_spec(&spec);
    let (image, digest) = split_digest(cs.image.as_deref().unwrap_or_default());
    let (mode, replicas) = mode_of(&spec);
    let status = s.service_status.unwrap_or_default();
    let n = |x: Option<u64>| x.and_then(|n| u32::try_from(n).ok()).unwrap_or(0);
    let ports = s
        .endpoint
        .and_then(|e| e.ports)
        .or_else(|| spec.endpoint_spec.clone().and_then(|e| e.ports))
        .unwrap_or_default()
        .into_iter()
        .map(port_of)
        .collect();
    let labels: BTreeMap<String, String> = spec
        .labels
        .clone()
        .unwrap_or_default()
        .into_iter()
        .collect();
    ServiceRow {
        id: s.id.unwrap_or_default(),
        name: spec.name.clone().unwrap_or_default(),
        mode,
        replicas,
        running: n(status.running_tasks),
        desired: n(status.desired_tasks),
        image,
        digest,
        args: cs.args.clone().unwrap_or_default(),
        env: cs.env.clone().unwrap_or_default(),
        ports,
        update: s.update_status.and_then(|u| {
            let state = u.state.map(|x| x.to_string()).unwrap_or_default();
            (!state.is_empty()).then(|| UpdateState {
                state,
                started: u.started_at,
                completed: u.completed_at,
                message: u.message.filter(|m| !m.is_empty()),
            })
        }),
        policy: policy_of(spec.update_config.as_ref()),
        can_roll_back: false,
        stack: labels.get(STACK_LABEL).cloned(),
        secrets: cs
            .secrets
            .unwrap_or_default()
            .into_iter()
            .filter_map(|x| x.secret_name)
            .collect(),
        configs: cs
            .configs
            .unwrap_or_default()
            .into_iter()
            .filter_map(|x| x.config_name)
            .collect(),
        labels,
        created: s.created_at.unwrap_or_default(),
        updated: s.updated_at.unwrap_or_default(),
    }
}

fn task_row(
    t: Task,
    service: &str,
    current: Option<&TaskSpec>,
    nodes: &HashMap<String, String>,
) -> TaskRow {
    let status = t.status.clone().unwrap_or_default();
    let node_id = t.node_id.clone().unwrap_or_default();
    let node = nodes.get(&node_id).cloned().unwrap_or_default();
    let slot = t
        .slot
        .and_then(|n| u32::try_from(n).ok())
        .filter(|n| *n > 0);
    let cstatus = status.container_status.clone().unwrap_or_default();
    let image = t
        .spec
        .as_ref()
        .and_then(|s| s.container_spec.as_ref())
        .and_then(|c| c.image.clone())
        .map(|i| split_digest(&i).0)
        .unwrap_or_default();
    let is_current = match (current, t.spec.as_ref()) {
        (Some(a), Some(b)) => same_task_spec(a, b),
        _ => false,
    };
    TaskRow {
        name: match slot {
            Some(n) => format!("{service}.{n}"),
            None => format!(
                "{service}.{}",
                if node.is_empty() {
                    short(&node_id)
                } else {
                    &node
                }
            ),
        },
        id: t.id.unwrap_or_default(),
        slot,
        node_id,
        node,
        desired: t.desired_state.map(|s| s.to_string()).unwrap_or_default(),
        state: status.state.map(|s| s.to_string()).unwrap_or_default(),
        message: status.message.unwrap_or_default(),
        error: status.err.filter(|e| !e.is_empty()),
        exit_code: cstatus
            .exit_code
            .and_then(|c| i32::try_from(c).ok())
            .filter(|_| cstatus.container_id.is_some()),
        image,
        container_id: cstatus.container_id.filter(|c| !c.is_empty()),
        since: status.timestamp.unwrap_or_default(),
        current: is_current,
    }
}

/// A task runs the current spec if its container part and resources match
/// (the orchestrator copies the template into each task it makes).
fn same_task_spec(a: &TaskSpec, b: &TaskSpec) -> bool {
    let strip = |t: &TaskSpec| {
        serde_json::json!({
            "c": t.container_spec,
            "r": t.resources,
            "p": t.placement,
            "f": t.force_update,
        })
    };
    strip(a) == strip(b)
}

/// Stale versions answer 500 "update out of sequence".
fn out_of_sequence(e: &bollard::errors::Error) -> bool {
    e.to_string().contains("update out of sequence")
}

impl Engine {
    /// `docker service ls`, with running against desired (API 1.41's
    /// `status`), oldest stack first, then by name.
    pub async fn list_services(&self) -> Result<Vec<ServiceRow>> {
        let list = self
            .docker
            .list_services(Some(ListServicesOptions {
                status: Some(true),
                ..Default::default()
            }))
            .await
            .map_err(|e| not_manager(e.into()))?;
        let mut rows: Vec<ServiceRow> = list.into_iter().map(row_of).collect();
        let earlier = self.with_previous_spec().await;
        for r in &mut rows {
            r.can_roll_back = earlier.contains(&r.id);
        }
        rows.sort_by(|a, b| (&a.stack, &a.name).cmp(&(&b.stack, &b.name)));
        Ok(rows)
    }

    /// The services that have a spec to roll back to (`PreviousSpec`, which
    /// bollard's model leaves out), read from the engine's own JSON.
    async fn with_previous_spec(&self) -> std::collections::HashSet<String> {
        let Ok(v) =
            crate::engine::raw::get_json(&self.address, &self.api_version(), "/services").await
        else {
            return Default::default();
        };
        v.as_array()
            .into_iter()
            .flatten()
            .filter(|s| s.get("PreviousSpec").is_some_and(|p| !p.is_null()))
            .filter_map(|s| s["ID"].as_str().map(str::to_string))
            .collect()
    }

    async fn inspect_service(&self, service: &str) -> Result<Service> {
        self.docker
            .inspect_service(service, Some(InspectServiceOptions::default()))
            .await
            .map_err(|e| not_manager(e.into()))
    }

    /// `docker service ps SERVICE`: every task the swarm still remembers,
    /// newest of each slot first.
    pub async fn service_tasks(&self, service: &str) -> Result<Vec<TaskRow>> {
        let s = self.inspect_service(service).await?;
        let id = s.id.clone().unwrap_or_default();
        let spec = s.spec.clone().unwrap_or_default();
        let name = spec.name.clone().unwrap_or_default();
        let nodes: HashMap<String, String> = self
            .list_nodes()
            .await?
            .into_iter()
            .map(|n| (n.id, n.hostname))
            .collect();
        let tasks = self
            .docker
            .list_tasks(Some(ListTasksOptions {
                filters: Some(HashMap::from([("service".to_string(), vec![id])])),
            }))
            .await
            .map_err(|e| not_manager(e.into()))?;
        let mut rows: Vec<TaskRow> = tasks
            .into_iter()
            .map(|t| task_row(t, &name, spec.task_template.as_ref(), &nodes))
            .collect();
        rows.sort_by(|a, b| {
            (a.slot, &a.node, std::cmp::Reverse(&a.since)).cmp(&(
                b.slot,
                &b.node,
                std::cmp::Reverse(&b.since),
            ))
        });
        Ok(rows)
    }

    /// Reads the service, changes its spec, and sends it back with the
    /// version read; once more if the version went stale meanwhile.
    async fn change_spec(
        &self,
        service: &str,
        rollback: bool,
        change: impl Fn(&mut ServiceSpec) -> Result<()>,
    ) -> Result<Vec<String>> {
        for attempt in 0..2 {
            let s = self.inspect_service(service).await?;
            let mut spec = s.spec.clone().unwrap_or_default();
            change(&mut spec)?;
            let version = s
                .version
                .and_then(|v| v.index)
                .and_then(|i| i32::try_from(i).ok())
                .unwrap_or(0);
            let options = UpdateServiceOptions {
                version,
                rollback: rollback.then(|| "previous".to_string()),
                ..Default::default()
            };
            match self
                .docker
                .update_service(service, spec, options, None)
                .await
            {
                Ok(r) => return Ok(r.warnings.unwrap_or_default()),
                Err(e) if attempt == 0 && out_of_sequence(&e) => continue,
                Err(e) => return Err(not_manager(e.into())),
            }
        }
        Err(Error::task(
            "the service kept changing while it was updated",
        ))
    }

    /// The image pinned to the digest its registry has for it now, as
    /// `docker service create` and `update --image` do, so every node runs
    /// the same image; when the registry cannot be asked (offline, private,
    /// a local-only tag) the tag is kept, and None says so.
    async fn pin(&self, image: &str) -> Option<String> {
        if image.contains('@') {
            return Some(image.to_string());
        }
        let ask = self.docker.inspect_registry_image(image, None);
        match tokio::time::timeout(std::time::Duration::from_secs(10), ask).await {
            Ok(Ok(d)) => d
                .descriptor
                .digest
                .filter(|d| d.starts_with("sha256:"))
                .map(|d| format!("{image}@{d}")),
            _ => None,
        }
    }

    /// `docker service scale NAME=N`.
    pub async fn scale_service(&self, service: &str, replicas: u32) -> Result<String> {
        if replicas > 10_000 {
            return Err(Error::said(
                "replicas",
                Said::ReplicasBad {
                    value: replicas.to_string(),
                },
            ));
        }
        let s = self.inspect_service(service).await?;
        let name = s
            .spec
            .and_then(|x| x.name)
            .unwrap_or_else(|| service.to_string());
        self.change_spec(service, false, |spec| {
            let mode = spec.mode.get_or_insert_with(Default::default);
            match mode.replicated.as_mut() {
                Some(r) => {
                    r.replicas = Some(i64::from(replicas));
                    Ok(())
                }
                None => Err(Error::said(
                    "replicas",
                    Said::ServiceNotReplicated { name: name.clone() },
                )),
            }
        })
        .await?;
        Ok(format!(
            "docker service scale {}",
            quote(&format!("{name}={replicas}"))
        ))
    }

    /// `docker service update [--image I] [--env-add K=V] [--env-rm K]
    /// [--publish-add P:T] [--publish-rm T] [--update-…] NAME`: a rolling
    /// update when the tasks' part changes.
    pub async fn update_service(&self, service: &str, change: &ServiceChange) -> Result<String> {
        let image = match change.image.as_deref().map(str::trim) {
            Some("") => return Err(Error::said("image", Said::NameEmpty)),
            Some(i) => {
                crate::images::reference::parse(i).map_err(|s| Error::said("image", s))?;
                Some(i.to_string())
            }
            None => None,
        };
        let env = change.env.as_deref().map(check_env).transpose()?;
        let ports = change.ports.as_deref().map(check_ports).transpose()?;
        let policy = change.policy.as_ref().map(check_policy).transpose()?;
        let pinned = match &image {
            Some(i) => Some(self.pin(i).await.unwrap_or_else(|| i.clone())),
            None => None,
        };
        let before = self.inspect_service(service).await?;
        let before_spec = before.spec.clone().unwrap_or_default();
        let name = before_spec
            .name
            .clone()
            .unwrap_or_else(|| service.to_string());
        self.change_spec(service, false, |spec| {
            let tt = spec.task_template.get_or_insert_with(Default::default);
            let cs = tt.container_spec.get_or_insert_with(Default::default);
            if let Some(i) = &pinned {
                cs.image = Some(i.clone());
            }
            if let Some(e) = &env {
                cs.env = Some(e.clone());
            }
            if let Some(p) = &ports {
                spec.endpoint_spec = Some(EndpointSpec {
                    ports: Some(p.iter().map(port_config).collect()),
                    ..spec.endpoint_spec.clone().unwrap_or_default()
                });
            }
            if let Some(u) = &policy {
                spec.update_config = Some(u.clone());
            }
            Ok(())
        })
        .await?;
        Ok(update_line(
            &name,
            &before_spec,
            &image,
            &env,
            &ports,
            change.policy.as_ref(),
        ))
    }

    /// `docker service rollback NAME`: back to the spec before the last
    /// update.
    pub async fn rollback_service(&self, service: &str) -> Result<String> {
        let s = self.inspect_service(service).await?;
        if !self
            .with_previous_spec()
            .await
            .contains(s.id.as_deref().unwrap_or_default())
        {
            return Err(Error::conflict(Said::ServiceNoPrevious {
                name: s
                    .spec
                    .and_then(|x| x.name)
                    .unwrap_or_else(|| service.into()),
            }));
        }
        let name = s
            .spec
            .and_then(|x| x.name)
            .unwrap_or_else(|| service.into());
        self.change_spec(service, true, |_| Ok(())).await?;
        Ok(format!("docker service rollback {}", quote(&name)))
    }

    /// `docker service rm NAME`.
    pub async fn remove_service(&self, service: &str) -> Result<String> {
        let s = self.inspect_service(service).await?;
        let name = s
            .spec
            .and_then(|x| x.name)
            .unwrap_or_else(|| service.into());
        self.docker
            .delete_service(service)
            .await
            .map_err(|e| not_manager(e.into()))?;
        Ok(format!("docker service rm {}", quote(&name)))
    }

    /// `docker service create …`: checked field by field first; the
    /// secrets named must exist.
    pub async fn create_service(&self, form: &ServiceForm) -> Result<super::Created> {
        let plan = plan_service(form)?;
        let mut spec = plan.spec;
        let image = form.image.trim();
        let pinned = self.pin(image).await;
        if let Some(cs) = spec
            .task_template
            .as_mut()
            .and_then(|t| t.container_spec.as_mut())
        {
            cs.image = Some(pinned.clone().unwrap_or_else(|| image.to_string()));
        }
        if !form.secrets.is_empty() {
            let known: HashMap<String, String> = self
                .list_secrets()
                .await?
                .into_iter()
                .map(|s| (s.name, s.id))
                .collect();
            let mut refs = Vec::new();
            for (i, name) in form.secrets.iter().enumerate() {
                let Some(id) = known.get(name.trim()) else {
                    return Err(Error::said(
                        format!("secrets.{i}"),
                        Said::SecretUnknown {
                            name: name.trim().into(),
                        },
                    ));
                };
                refs.push(TaskSpecContainerSpecSecrets {
                    file: Some(TaskSpecContainerSpecFile {
                        name: Some(name.trim().into()),
                        uid: Some("0".into()),
                        gid: Some("0".into()),
                        mode: Some(0o444),
                    }),
                    secret_id: Some(id.clone()),
                    secret_name: Some(name.trim().into()),
                });
            }
            if let Some(cs) = spec
                .task_template
                .as_mut()
                .and_then(|t| t.container_spec.as_mut())
            {
                cs.secrets = Some(refs);
            }
        }
        let r = self
            .docker
            .create_service(spec, None)
            .await
            .map_err(|e| not_manager(e.into()))?;
        Ok(super::Created {
            id: r.id.unwrap_or_default(),
            command: plan.line,
            note: pinned.is_none().then(|| Said::ServiceImageUnpinned {
                image: image.to_string(),
            }),
        })
    }
}

/// A checked form: the spec and the line it equals.
pub struct ServicePlan {
    pub spec: ServiceSpec,
    pub line: String,
}

/// Checks a create form field by field (no request) and builds the spec and
/// its `docker service create` line.
pub fn plan_service(form: &ServiceForm) -> Result<ServicePlan> {
    let name = form.name.trim();
    check_service_name("name", name)?;
    let image = form.image.trim();
    if image.is_empty() {
        return Err(Error::said("image", Said::NameEmpty));
    }
    crate::images::reference::parse(image).map_err(|s| Error::said("image", s))?;
    let global = match form.mode.as_str() {
        "" | "replicated" => false,
        "global" => true,
        other => {
            return Err(Error::said(
                "mode",
                Said::ServiceModeBad {
                    value: other.into(),
                },
            ))
        }
    };
    if form.replicas > 10_000 {
        return Err(Error::said(
            "replicas",
            Said::ReplicasBad {
                value: form.replicas.to_string(),
            },
        ));
    }
    let args =
        shlex::split(&form.command).ok_or_else(|| Error::said("command", Said::CommandQuote))?;
    let env = check_env(&form.env)?;
    let ports = check_ports(&form.ports)?;
    let policy = form.policy.as_ref().map(check_policy).transpose()?;
    let mut secrets = Vec::new();
    for (i, s) in form.secrets.iter().enumerate() {
        let s = s.trim();
        if s.is_empty() {
            continue;
        }
        super::objects::check_object_name(&format!("secrets.{i}"), s)?;
        secrets.push(s.to_string());
    }

    let mut words: Vec<String> = vec!["docker".into(), "service".into(), "create".into()];
    words.extend(["--name".into(), name.into()]);
    if global {
        words.extend(["--mode".into(), "global".into()]);
    } else if form.replicas != 1 {
        words.extend(["--replicas".into(), form.replicas.to_string()]);
    }
    for e in &env {
        words.extend(["--env".into(), e.clone()]);
    }
    for p in &ports {
        words.extend(["--publish".into(), port_word(p)]);
    }
    for s in &secrets {
        words.extend(["--secret".into(), s.clone()]);
    }
    if let Some(p) = &form.policy {
        words.extend(policy_words(p));
    }
    words.push(image.into());
    words.extend(args.iter().cloned());

    let spec = ServiceSpec {
        name: Some(name.into()),
        task_template: Some(TaskSpec {
            container_spec: Some(TaskSpecContainerSpec {
                image: Some(image.into()),
                args: (!args.is_empty()).then_some(args),
                env: (!env.is_empty()).then_some(env),
                ..Default::default()
            }),
            ..Default::default()
        }),
        mode: Some(if global {
            ServiceSpecMode {
                global: Some(HashMap::new()),
                ..Default::default()
            }
        } else {
            ServiceSpecMode {
                replicated: Some(ServiceSpecModeReplicated {
                    replicas: Some(i64::from(form.replicas)),
                }),
                ..Default::default()
            }
        }),
        update_config: policy,
        endpoint_spec: (!ports.is_empty()).then(|| EndpointSpec {
            ports: Some(ports.iter().map(port_config).collect()),
            ..Default::default()
        }),
        ..Default::default()
    };
    Ok(ServicePlan {
        spec,
        line: line(words.iter().map(String::as_str)),
    })
}

/// The `docker service update` line for a change, its env and ports as the
/// differences from what the service had.
fn update_line(
    name: &str,
    before: &ServiceSpec,
    image: &Option<String>,
    env: &Option<Vec<String>>,
    ports: &Option<Vec<ServicePort>>,
    policy: Option<&UpdatePolicy>,
) -> String {
    let cs = container_spec(before);
    let mut words: Vec<String> = vec!["docker".into(), "service".into(), "update".into()];
    if let Some(i) = image {
        words.extend(["--image".into(), i.clone()]);
    }
    if let Some(env) = env {
        let old = cs.env.clone().unwrap_or_default();
        let key = |r: &str| {
            r.split_once('=')
                .map_or(r.to_string(), |(k, _)| k.to_string())
        };
        for r in &old {
            if !env.iter().any(|n| key(n) == key(r)) {
                words.extend(["--env-rm".into(), key(r)]);
            }
        }
        for r in env {
            if !old.contains(r) {
                words.extend(["--env-add".into(), r.clone()]);
            }
        }
    }
    if let Some(ports) = ports {
        let old: Vec<ServicePort> = before
            .endpoint_spec
            .as_ref()
            .and_then(|e| e.ports.clone())
            .unwrap_or_default()
            .into_iter()
            .map(port_of)
            .collect();
        for p in &old {
            if !ports.contains(p) {
                words.extend([
                    "--publish-rm".into(),
                    port_word(&ServicePort {
                        published: None,
                        ..p.clone()
                    }),
                ]);
            }
        }
        for p in ports {
            if !old.contains(p) {
                words.extend(["--publish-add".into(), port_word(p)]);
            }
        }
    }
    if let Some(p) = policy {
        let was = policy_of(before.update_config.as_ref());
        let d = UpdatePolicy::default();
        // Only what differs from before, spelled even when it is a default.
        if p.parallelism != was.parallelism {
            words.extend(["--update-parallelism".into(), p.parallelism.to_string()]);
        }
        if parse_duration(&p.delay).unwrap_or(0) != parse_duration(&was.delay).unwrap_or(0) {
            words.extend([
                "--update-delay".into(),
                if p.delay.trim().is_empty() {
                    "0s".into()
                } else {
                    p.delay.trim().into()
                },
            ]);
        }
        let fa = if p.failure_action.is_empty() {
            d.failure_action.clone()
        } else {
            p.failure_action.clone()
        };
        if fa != was.failure_action {
            words.extend(["--update-failure-action".into(), fa]);
        }
        let order = if p.order.is_empty() {
            d.order.clone()
        } else {
            p.order.clone()
        };
        if order != was.order {
            words.extend(["--update-order".into(), order]);
        }
        if !p.monitor.trim().is_empty()
            && parse_duration(&p.monitor).ok() != parse_duration(&was.monitor).ok()
        {
            words.extend(["--update-monitor".into(), p.monitor.trim().into()]);
        }
    }
    words.push(name.into());
    line(words.iter().map(String::as_str))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_docker_writes_them() {
        assert_eq!(parse_duration("10s"), Ok(10_000_000_000));
        assert_eq!(parse_duration("1m30s"), Ok(90_000_000_000));
        assert_eq!(parse_duration("500ms"), Ok(500_000_000));
        assert_eq!(parse_duration("0"), Ok(0));
        for bad in ["", "10", "s", "ten s", "10 s", "-5s", "5d"] {
            assert_eq!(
                parse_duration(bad),
                Err(Said::DurationBad { value: bad.into() }),
                "{bad}"
            );
        }
        assert_eq!(show_duration(90_000_000_000), "1m30s");
        assert_eq!(show_duration(500_000_000), "500ms");
        assert_eq!(show_duration(5_000_000_000), "5s");
    }

    #[test]
    fn ports_for_the_routing_mesh() {
        let p = parse_port("8080:80").unwrap();
        assert_eq!(
            (p.published, p.target, p.protocol.as_str()),
            (Some(8080), 80, "tcp")
        );
        assert_eq!(parse_port("53/udp").unwrap().published, None);
        assert!(matches!(
            parse_port("127.0.0.1:8080:80"),
            Err(Said::ServicePortIp { .. })
        ));
        assert!(matches!(
            parse_port("8000-8001:80-81"),
            Err(Said::ServicePortRange { .. })
        ));
        assert!(matches!(
            parse_port("x:80"),
            Err(Said::HostPortNotNumber { .. })
        ));
    }

    #[test]
    fn a_create_form_is_checked_field_by_field_and_gives_its_line() {
        let form = ServiceForm {
            name: "web".into(),
            image: "berth-fixture/web:1".into(),
            replicas: 3,
            env: vec!["MODE=prod".into(), "".into()],
            ports: vec!["8080:80".into()],
            policy: Some(UpdatePolicy {
                parallelism: 1,
                delay: "10s".into(),
                failure_action: "rollback".into(),
                ..Default::default()
            }),
            command: "httpd -f -p 80 -h '/my www'".into(),
            ..Default::default()
        };
        let plan = plan_service(&form).unwrap();
        assert_eq!(
            plan.line,
            "docker service create --name web --replicas 3 --env MODE=prod --publish 8080:80 \
             --update-delay 10s --update-failure-action rollback berth-fixture/web:1 httpd -f -p 80 -h '/my www'"
        );
        let cs = plan.spec.task_template.unwrap().container_spec.unwrap();
        assert_eq!(cs.args.unwrap().last().unwrap(), "/my www");
        let bad = |f: ServiceForm, field: &str| {
            let e = plan_service(&f)
                .err()
                .unwrap_or_else(|| panic!("{f:?} passed"));
            assert_eq!(e.field(), Some(field), "{e:?}");
        };
        bad(
            ServiceForm {
                name: "we b".into(),
                ..form.clone()
            },
            "name",
        );
        bad(
            ServiceForm {
                image: "Web:1".into(),
                ..form.clone()
            },
            "image",
        );
        bad(
            ServiceForm {
                env: vec!["MODE".into()],
                ..form.clone()
            },
            "env.0",
        );
        bad(
            ServiceForm {
                ports: vec!["80".into(), "8080:80".into(), "8080:81".into()],
                ..form.clone()
            },
            "ports.2",
        );
        bad(
            ServiceForm {
                command: "sh -c 'echo".into(),
                ..form.clone()
            },
            "command",
        );
        bad(
            ServiceForm {
                mode: "everywhere".into(),
                ..form.clone()
            },
            "mode",
        );
        bad(
            ServiceForm {
                policy: Some(UpdatePolicy {
                    delay: "10".into(),
                    ..Default::default()
                }),
                ..form.clone()
            },
            "policy.delay",
        );
        bad(
            ServiceForm {
                policy: Some(UpdatePolicy {
                    failure_action: "retry".into(),
                    ..Default::default()
                }),
                ..form
            },
            "policy.failureAction",
        );
    }
}
