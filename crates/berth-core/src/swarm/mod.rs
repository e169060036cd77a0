//! Swarm (E7): Docker's own distributed engine, managed and never
//! reinvented. This engine's place in a swarm ([`Engine::swarm_status`]),
//! init, join and leave, the join tokens, and the nodes with their role,
//! availability and state (drain, activate, pause, promote, demote,
//! remove). Services, tasks and rolling updates are in [`services`], their
//! merged logs in [`logs`], secrets and configs in [`objects`], stacks in
//! [`stacks`].
//!
//! Every action returns the docker command it equals.

pub mod logs;
pub mod objects;
pub mod services;
pub mod stacks;

use std::collections::BTreeMap;

use bollard::models::{
    LocalNodeState, NodeSpecAvailabilityEnum, NodeSpecRoleEnum, SwarmInitRequest, SwarmJoinRequest,
};
use bollard::query_parameters::{LeaveSwarmOptions, ListNodesOptions, UpdateNodeOptions};
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::cli::{line, quote};
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::said::Said;

/// Where this engine stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum SwarmRole {
    /// Not in a swarm.
    Inactive,
    /// Joining, or locked, or in error: `message` says which.
    Pending,
    /// A worker: runs tasks; only managers manage.
    Worker,
    /// A manager: everything in this module can be done here.
    Manager,
    /// The engine has no Swarm mode (Podman).
    Unsupported,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SwarmStatus {
    pub role: SwarmRole,
    /// The engine's own word (`inactive`, `pending`, `active`, `error`,
    /// `locked`).
    pub local_state: String,
    pub node_id: String,
    /// The address other nodes reach this one by.
    pub node_addr: String,
    pub cluster_id: Option<String>,
    pub nodes: u32,
    pub managers: u32,
    /// Managers this node knows of (`10.0.0.1:2377`), for a worker to name.
    pub remote_managers: Vec<String>,
    /// What the engine said went wrong, if anything.
    pub error: Option<String>,
}

/// `docker swarm init`'s fields; empty fields are left to the engine.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct InitForm {
    /// `--advertise-addr`: the address (or interface) other nodes reach
    /// this one by. Asked when the machine has several.
    pub advertise_addr: String,
    /// `--listen-addr`; empty: 0.0.0.0:2377.
    pub listen_addr: String,
}

/// `docker swarm join`'s fields.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct JoinForm {
    /// A manager's address, `HOST[:2377]`.
    pub remote: String,
    pub token: String,
    pub advertise_addr: String,
}

/// The tokens that let a machine join, with the lines to type there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct JoinTokens {
    pub worker: String,
    pub manager: String,
    /// `docker swarm join --token … ADDR:2377`, for a worker.
    pub worker_command: String,
    pub manager_command: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct NodeRow {
    pub id: String,
    pub hostname: String,
    /// `manager` or `worker`.
    pub role: String,
    pub leader: bool,
    /// A manager's raft reachability: `reachable`, `unreachable`, `unknown`.
    pub reachability: Option<String>,
    /// `active`, `pause` or `drain`.
    pub availability: String,
    /// `ready`, `down`, `disconnected` or `unknown`.
    pub state: String,
    pub message: Option<String>,
    pub addr: String,
    pub engine_version: String,
    pub platform: String,
    pub cpus: u32,
    #[specta(type = crate::JsNumber)]
    pub memory: u64,
    pub labels: BTreeMap<String, String>,
    /// The engine Berth is talking to.
    pub this_node: bool,
    /// `docker node inspect`'s version, for updates.
    #[specta(type = crate::JsNumber)]
    pub version: u64,
}

/// What a create made: its ID and the command it equals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Created {
    pub id: String,
    pub command: String,
    /// What the user should know about it (a service's image that could
    /// not be pinned to a digest).
    pub note: Option<Said>,
}

/// What to change about a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum NodeChange {
    /// `docker node update --availability active`.
    Activate,
    /// `--availability pause`: keeps its tasks, takes no new ones.
    Pause,
    /// `--availability drain`: its tasks move to other nodes.
    Drain,
    Promote,
    Demote,
}

/// The engine's words for a 503 from a swarm endpoint.
fn not_manager(e: Error) -> Error {
    match &e {
        Error::Engine {
            status: Some(503),
            message,
            ..
        } => Error::failed(Said::SwarmNotManager {
            detail: message.clone(),
        }),
        _ => e,
    }
}

/// A version as Update* calls take it.
fn version_of(v: Option<&bollard::models::ObjectVersion>) -> i64 {
    v.and_then(|v| v.index)
        .and_then(|i| i64::try_from(i).ok())
        .unwrap_or(0)
}

/// A short ID as the CLI prints it.
pub fn short(id: &str) -> &str {
    &id[..id.len().min(12)]
}

/// The interfaces' addresses in the engine's complaint that it has several
/// ("… (10.0.0.1 on eth0 and 192.168.1.1 on eth1)").
pub fn address_choices(message: &str) -> Vec<String> {
    let re =
        regex::Regex::new(r"([0-9a-fA-F:.]+) on ([\w.@-]+)").unwrap_or_else(|_| unreachable!());
    re.captures_iter(message)
        .map(|c| format!("{} ({})", &c[1], &c[2]))
        .collect()
}

/// An address as `--advertise-addr` and `--listen-addr` take it: an IP or an
/// interface name, with an optional port.
fn check_address(field: &str, value: &str) -> Result<()> {
    let ok = !value.is_empty()
        && value.len() <= 255
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ".:-_[]%".contains(c));
    if ok {
        Ok(())
    } else {
        Err(Error::said(
            field,
            Said::SwarmAddressBad {
                value: value.into(),
            },
        ))
    }
}

impl Engine {
    /// Where this engine stands in a swarm (`docker info`'s Swarm part).
    pub async fn swarm_status(&self) -> Result<SwarmStatus> {
        let (info, podman) = tokio::try_join!(
            async { Ok::<_, Error>(self.docker.info().await?) },
            self.is_podman()
        )?;
        // Podman answers an "inactive" Swarm part, but has no Swarm mode.
        let swarm = info.swarm.filter(|_| !podman);
        let Some(s) = swarm else {
            return Ok(SwarmStatus {
                role: SwarmRole::Unsupported,
                local_state: String::new(),
                node_id: String::new(),
                node_addr: String::new(),
                cluster_id: None,
                nodes: 0,
                managers: 0,
                remote_managers: Vec::new(),
                error: None,
            });
        };
        let state = s.local_node_state.unwrap_or(LocalNodeState::EMPTY);
        let role = match state {
            LocalNodeState::ACTIVE if s.control_available == Some(true) => SwarmRole::Manager,
            LocalNodeState::ACTIVE => SwarmRole::Worker,
            LocalNodeState::PENDING | LocalNodeState::ERROR | LocalNodeState::LOCKED => {
                SwarmRole::Pending
            }
            _ => SwarmRole::Inactive,
        };
        let count = |n: Option<i64>| n.and_then(|n| u32::try_from(n).ok()).unwrap_or(0);
        Ok(SwarmStatus {
            role,
            local_state: state.to_string(),
            node_id: s.node_id.unwrap_or_default(),
            node_addr: s.node_addr.unwrap_or_default(),
            cluster_id: s.cluster.and_then(|c| c.id),
            nodes: count(s.nodes),
            managers: count(s.managers),
            remote_managers: s
                .remote_managers
                .unwrap_or_default()
                .into_iter()
                .filter_map(|p| p.addr)
                .collect(),
            error: s.error.filter(|e| !e.is_empty()),
        })
    }

    /// `docker swarm init [--advertise-addr A] [--listen-addr L]`. When the
    /// machine has several addresses and none was given, the engine's
    /// refusal comes back on `advertiseAddr`, with the choices it named.
    pub async fn swarm_init(&self, form: &InitForm) -> Result<String> {
        let advertise = form.advertise_addr.trim();
        let listen = form.listen_addr.trim();
        // "10.0.0.1 (eth0)", as the choices are shown, means the address.
        let advertise = advertise.split(" (").next().unwrap_or(advertise);
        if !advertise.is_empty() {
            check_address("advertiseAddr", advertise)?;
        }
        if !listen.is_empty() {
            check_address("listenAddr", listen)?;
        }
        let mut words = vec!["docker", "swarm", "init"];
        if !advertise.is_empty() {
            words.extend(["--advertise-addr", advertise]);
        }
        if !listen.is_empty() {
            words.extend(["--listen-addr", listen]);
        }
        let request = SwarmInitRequest {
            listen_addr: Some(if listen.is_empty() {
                "0.0.0.0:2377".into()
            } else {
                listen.into()
            }),
            advertise_addr: (!advertise.is_empty()).then(|| advertise.into()),
            ..Default::default()
        };
        match self.docker.init_swarm(request).await {
            Ok(_) => Ok(line(words)),
            Err(e) => {
                let e = Error::from(e);
                let msg = e.to_string();
                if msg.contains("could not choose an IP address to advertise")
                    || msg.contains("must specify a listening address")
                {
                    return Err(Error::said(
                        "advertiseAddr",
                        Said::SwarmChooseAddress {
                            choices: address_choices(&msg).join(", "),
                            detail: msg,
                        },
                    ));
                }
                Err(e)
            }
        }
    }

    /// `docker swarm join --token T HOST:PORT`.
    pub async fn swarm_join(&self, form: &JoinForm) -> Result<String> {
        let token = form.token.trim();
        let remote = form.remote.trim();
        let advertise = form.advertise_addr.trim();
        if !token.starts_with("SWMTKN-") || token.contains(char::is_whitespace) {
            return Err(Error::said("token", Said::SwarmTokenBad));
        }
        check_address("remote", remote)?;
        if !advertise.is_empty() {
            check_address("advertiseAddr", advertise)?;
        }
        let remote = if remote
            .rsplit_once(':')
            .is_some_and(|(_, p)| p.parse::<u16>().is_ok())
            && !remote.ends_with(']')
        {
            remote.to_string()
        } else {
            format!("{remote}:2377")
        };
        self.docker
            .join_swarm(SwarmJoinRequest {
                listen_addr: Some("0.0.0.0:2377".into()),
                advertise_addr: (!advertise.is_empty()).then(|| advertise.into()),
                remote_addrs: Some(vec![remote.clone()]),
                join_token: Some(token.into()),
                ..Default::default()
            })
            .await?;
        let mut words = vec!["docker", "swarm", "join", "--token", token];
        if !advertise.is_empty() {
            words.extend(["--advertise-addr", advertise]);
        }
        words.push(&remote);
        Ok(line(words))
    }

    /// `docker swarm leave [--force]`: a manager must force it, and the
    /// engine's refusal says why.
    pub async fn swarm_leave(&self, force: bool) -> Result<String> {
        self.docker
            .leave_swarm(Some(LeaveSwarmOptions { force }))
            .await?;
        Ok(if force {
            "docker swarm leave --force".into()
        } else {
            "docker swarm leave".into()
        })
    }

    /// `docker swarm join-token worker|manager`: the tokens grant entry.
    pub async fn join_tokens(&self) -> Result<JoinTokens> {
        let s = self
            .docker
            .inspect_swarm()
            .await
            .map_err(|e| not_manager(e.into()))?;
        let t = s.join_tokens.unwrap_or_default();
        let status = self.swarm_status().await?;
        let addr = if status.node_addr.contains(':') {
            format!("[{}]:2377", status.node_addr)
        } else {
            format!("{}:2377", status.node_addr)
        };
        let worker = t.worker.unwrap_or_default();
        let manager = t.manager.unwrap_or_default();
        let cmd = |tok: &str| line(["docker", "swarm", "join", "--token", tok, addr.as_str()]);
        Ok(JoinTokens {
            worker_command: cmd(&worker),
            manager_command: cmd(&manager),
            worker,
            manager,
        })
    }

    /// `docker node ls`, this engine's node marked.
    pub async fn list_nodes(&self) -> Result<Vec<NodeRow>> {
        let me = self.swarm_status().await?.node_id;
        let nodes = self
            .docker
            .list_nodes(None::<ListNodesOptions>)
            .await
            .map_err(|e| not_manager(e.into()))?;
        let mut rows: Vec<NodeRow> = nodes
            .into_iter()
            .map(|n| {
                let spec = n.spec.unwrap_or_default();
                let desc = n.description.unwrap_or_default();
                let status = n.status.unwrap_or_default();
                let ms = n.manager_status;
                let platform = desc.platform.unwrap_or_default();
                let res = desc.resources.unwrap_or_default();
                let id = n.id.unwrap_or_default();
                NodeRow {
                    this_node: id == me,
                    hostname: desc.hostname.unwrap_or_default(),
                    role: spec.role.map(|r| r.to_string()).unwrap_or_default(),
                    leader: ms.as_ref().and_then(|m| m.leader).unwrap_or(false),
                    reachability: ms
                        .as_ref()
                        .and_then(|m| m.reachability)
                        .map(|r| r.to_string()),
                    availability: spec.availability.map(|a| a.to_string()).unwrap_or_default(),
                    state: status.state.map(|s| s.to_string()).unwrap_or_default(),
                    message: status.message.filter(|m| !m.is_empty()),
                    addr: status.addr.unwrap_or_default(),
                    engine_version: desc
                        .engine
                        .and_then(|e| e.engine_version)
                        .unwrap_or_default(),
                    platform: format!(
                        "{}/{}",
                        platform.os.unwrap_or_default(),
                        platform.architecture.unwrap_or_default()
                    ),
                    cpus: res
                        .nano_cpus
                        .map_or(0, |c| u32::try_from(c / 1_000_000_000).unwrap_or(0)),
                    memory: res
                        .memory_bytes
                        .map_or(0, |m| u64::try_from(m).unwrap_or(0)),
                    labels: spec.labels.unwrap_or_default().into_iter().collect(),
                    version: n.version.and_then(|v| v.index).unwrap_or(0),
                    id,
                }
            })
            .collect();
        rows.sort_by(|a, b| {
            (a.role != "manager", &a.hostname, &a.id).cmp(&(
                b.role != "manager",
                &b.hostname,
                &b.id,
            ))
        });
        Ok(rows)
    }

    /// `docker node update --availability …` / `docker node promote|demote`,
    /// from the node's current spec (an update replaces it whole).
    pub async fn update_node(&self, node: &str, change: NodeChange) -> Result<String> {
        let n = self
            .docker
            .inspect_node(node)
            .await
            .map_err(|e| not_manager(e.into()))?;
        let mut spec = n.spec.clone().unwrap_or_default();
        let words = match change {
            NodeChange::Activate => {
                spec.availability = Some(NodeSpecAvailabilityEnum::ACTIVE);
                vec!["docker", "node", "update", "--availability", "active"]
            }
            NodeChange::Pause => {
                spec.availability = Some(NodeSpecAvailabilityEnum::PAUSE);
                vec!["docker", "node", "update", "--availability", "pause"]
            }
            NodeChange::Drain => {
                spec.availability = Some(NodeSpecAvailabilityEnum::DRAIN);
                vec!["docker", "node", "update", "--availability", "drain"]
            }
            NodeChange::Promote => {
                spec.role = Some(NodeSpecRoleEnum::MANAGER);
                vec!["docker", "node", "promote"]
            }
            NodeChange::Demote => {
                spec.role = Some(NodeSpecRoleEnum::WORKER);
                vec!["docker", "node", "demote"]
            }
        };
        self.docker
            .update_node(
                node,
                spec,
                UpdateNodeOptions {
                    version: version_of(n.version.as_ref()),
                },
            )
            .await
            .map_err(|e| not_manager(e.into()))?;
        let name = n
            .description
            .and_then(|d| d.hostname)
            .unwrap_or_else(|| node.to_string());
        Ok(format!("{} {}", line(words), quote(&name)))
    }

    /// `docker node rm [--force] NODE`: a node that is down, or has left.
    pub async fn remove_node(&self, node: &str, force: bool) -> Result<String> {
        self.docker
            .delete_node(
                node,
                Some(bollard::query_parameters::DeleteNodeOptions { force }),
            )
            .await
            .map_err(|e| not_manager(e.into()))?;
        Ok(format!(
            "docker node rm {}{}",
            if force { "--force " } else { "" },
            quote(node)
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_engines_choice_of_addresses_is_read() {
        let m = "could not choose an IP address to advertise since this system has multiple addresses on different interfaces (10.0.2.15 on eth0 and 192.168.56.101 on eth1)";
        assert_eq!(
            address_choices(m),
            vec!["10.0.2.15 (eth0)", "192.168.56.101 (eth1)"]
        );
        assert!(address_choices("nothing here").is_empty());
    }

    #[test]
    fn addresses_are_checked_before_any_request() {
        assert!(check_address("a", "10.0.0.1").is_ok());
        assert!(check_address("a", "eth0:2377").is_ok());
        assert!(check_address("a", "[fd00::1]:2377").is_ok());
        let e = check_address("advertiseAddr", "10.0.0.1; rm -rf").unwrap_err();
        assert_eq!(e.field(), Some("advertiseAddr"));
        assert!(check_address("a", "").is_err());
    }
}
