//! One container in full (`docker container inspect`), shaped for the
//! details view (C2): ports published or only exposed, mounts by kind (S2),
//! networks, the process, restart policy, and the writable layer's size (S3).

use crate::said::Said;
use std::collections::BTreeMap;

use bollard::models::ContainerInspectResponse;
use serde::Serialize;
use specta::Type;

use crate::engine::Engine;
use crate::error::{Error, Result};

/// The three kinds of storage a container can have, plus the Windows pipe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum MountKind {
    /// A host folder or file shared directly.
    Bind,
    /// Storage created and managed by Docker; outlives the container.
    Volume,
    /// In the host's memory; gone when the container stops.
    Tmpfs,
    /// A Windows named pipe.
    Npipe,
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Mount {
    pub kind: MountKind,
    /// Host path (bind), volume name (volume), or None (tmpfs: in memory).
    pub source: Option<String>,
    pub destination: String,
    pub read_only: bool,
    /// tmpfs options such as `size=64m`; a volume's driver.
    pub detail: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PublishedPort {
    pub container_port: u16,
    pub protocol: String,
    /// None: exposed (EXPOSE or --expose) but not published.
    pub host_ip: Option<String>,
    pub host_port: Option<u16>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct NetworkAttachment {
    pub network: String,
    pub ip_address: Option<String>,
    pub prefix_len: Option<u8>,
    pub gateway: Option<String>,
    pub mac_address: Option<String>,
    pub aliases: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ContainerDetails {
    pub id: String,
    pub name: String,
    pub image: String,
    pub image_id: String,
    pub created: String,
    pub status: String,
    pub exit_code: Option<i32>,
    pub oom_killed: bool,
    pub started_at: Option<String>,
    pub finished_at: Option<String>,
    pub entrypoint: Vec<String>,
    pub cmd: Vec<String>,
    pub working_dir: String,
    pub user: String,
    pub env: Vec<(String, String)>,
    pub labels: BTreeMap<String, String>,
    /// no, always, unless-stopped, on-failure[:N]
    pub restart_policy: String,
    /// `--rm`: the engine removes the container when it stops.
    pub auto_remove: bool,
    pub ports: Vec<PublishedPort>,
    pub mounts: Vec<Mount>,
    pub networks: Vec<NetworkAttachment>,
    /// Bytes written in the container's own layer.
    #[specta(type = crate::JsNumber)]
    pub size_rw: Option<i64>,
    #[specta(type = crate::JsNumber)]
    pub size_root_fs: Option<i64>,
}

fn split_port(key: &str) -> Option<(u16, String)> {
    let (port, proto) = key.split_once('/').unwrap_or((key, "tcp"));
    Some((port.parse().ok()?, proto.to_string()))
}

fn nonempty(s: Option<String>) -> Option<String> {
    s.filter(|s| !s.is_empty())
}

/// Mounts by kind: the engine lists bind, volume and `--mount type=tmpfs`
/// mounts in Mounts, but `--tmpfs` ones only in HostConfig.Tmpfs.
pub fn classify_mounts(i: &ContainerInspectResponse) -> Vec<Mount> {
    let mut out: Vec<Mount> = i
        .mounts
        .iter()
        .flatten()
        .map(|m| {
            let kind = match m.typ.as_ref().map(|t| t.to_string()).as_deref() {
                Some("bind") => MountKind::Bind,
                Some("volume") => MountKind::Volume,
                Some("tmpfs") => MountKind::Tmpfs,
                Some("npipe") => MountKind::Npipe,
                _ => MountKind::Other,
            };
            let source = match kind {
                MountKind::Volume => nonempty(m.name.clone()),
                MountKind::Tmpfs => None,
                _ => nonempty(m.source.clone()),
            };
            Mount {
                kind,
                source,
                destination: m.destination.clone().unwrap_or_default(),
                read_only: m.rw == Some(false),
                detail: match kind {
                    MountKind::Volume => nonempty(m.driver.clone()),
                    _ => None,
                },
            }
        })
        .collect();
    let tmpfs = i.host_config.as_ref().and_then(|h| h.tmpfs.as_ref());
    for (dest, opts) in tmpfs.into_iter().flatten() {
        if out.iter().any(|m| &m.destination == dest) {
            continue;
        }
        out.push(Mount {
            kind: MountKind::Tmpfs,
            source: None,
            destination: dest.clone(),
            read_only: opts.split(',').any(|o| o == "ro"),
            detail: nonempty(Some(opts.clone())),
        });
    }
    out.sort_by(|a, b| (a.kind, &a.destination).cmp(&(b.kind, &b.destination)));
    out
}

/// The address a browser on this machine opens for a published TCP port:
/// a binding to every address (0.0.0.0, ::) is reached on loopback.
pub fn browser_url(p: &PublishedPort) -> Option<String> {
    if p.protocol != "tcp" {
        return None;
    }
    let port = p.host_port?;
    let host = match p.host_ip.as_deref().unwrap_or("") {
        "" | "0.0.0.0" => "127.0.0.1".to_string(),
        "::" => "[::1]".to_string(),
        ip if ip.contains(':') => format!("[{ip}]"),
        ip => ip.to_string(),
    };
    Some(format!("http://{host}:{port}/"))
}

/// Published ports (NetworkSettings.Ports, or the requested bindings of a
/// container that is not running), then exposed-only ones.
pub fn ports_of(i: &ContainerInspectResponse) -> Vec<PublishedPort> {
    let live = i.network_settings.as_ref().and_then(|n| n.ports.clone());
    let wanted = i.host_config.as_ref().and_then(|h| h.port_bindings.clone());
    let running = i.state.as_ref().and_then(|s| s.running).unwrap_or(false);
    let map = if running { live } else { wanted.or(live) }.unwrap_or_default();
    let mut out = Vec::new();
    for (key, bindings) in &map {
        let Some((port, proto)) = split_port(key) else {
            continue;
        };
        let bindings = bindings.clone().unwrap_or_default();
        if bindings.is_empty() {
            out.push(PublishedPort {
                container_port: port,
                protocol: proto.clone(),
                host_ip: None,
                host_port: None,
            });
        }
        for b in bindings {
            out.push(PublishedPort {
                container_port: port,
                protocol: proto.clone(),
                host_ip: Some(nonempty(b.host_ip).unwrap_or_else(|| "0.0.0.0".into())),
                host_port: b.host_port.and_then(|p| p.parse().ok()),
            });
        }
    }
    let exposed = i
        .config
        .as_ref()
        .and_then(|c| c.exposed_ports.clone())
        .unwrap_or_default();
    for key in exposed {
        if let Some((port, proto)) = split_port(&key) {
            if !out
                .iter()
                .any(|p| p.container_port == port && p.protocol == proto)
            {
                out.push(PublishedPort {
                    container_port: port,
                    protocol: proto,
                    host_ip: None,
                    host_port: None,
                });
            }
        }
    }
    out.sort_by(|a, b| {
        (a.container_port, &a.protocol, &a.host_ip).cmp(&(
            b.container_port,
            &b.protocol,
            &b.host_ip,
        ))
    });
    out.dedup();
    out
}

pub fn details_from_inspect(i: ContainerInspectResponse) -> ContainerDetails {
    let mounts = classify_mounts(&i);
    let ports = ports_of(&i);
    let config = i.config.clone().unwrap_or_default();
    let host = i.host_config.clone().unwrap_or_default();
    let state = i.state.clone().unwrap_or_default();
    let restart_policy = match host.restart_policy.as_ref() {
        Some(p) => {
            let name = p
                .name
                .map(|n| n.to_string())
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| "no".into());
            match p.maximum_retry_count {
                Some(n) if n > 0 && name == "on-failure" => format!("{name}:{n}"),
                _ => name,
            }
        }
        None => "no".into(),
    };
    let networks = i
        .network_settings
        .as_ref()
        .and_then(|n| n.networks.clone())
        .unwrap_or_default()
        .into_iter()
        .map(|(network, e)| NetworkAttachment {
            network,
            ip_address: nonempty(e.ip_address),
            prefix_len: e
                .ip_prefix_len
                .and_then(|n| u8::try_from(n).ok())
                .filter(|&n| n > 0),
            gateway: nonempty(e.gateway),
            mac_address: nonempty(e.mac_address),
            aliases: e.aliases.unwrap_or_default(),
        })
        .collect();
    let is_exited = state.status.map(|s| s.to_string()) == Some("exited".into());
    ContainerDetails {
        id: i.id.unwrap_or_default(),
        name: i
            .name
            .unwrap_or_default()
            .trim_start_matches('/')
            .to_string(),
        image: config.image.clone().unwrap_or_default(),
        image_id: i.image.unwrap_or_default(),
        created: i.created.map(|d| d.to_string()).unwrap_or_default(),
        status: state.status.map(|s| s.to_string()).unwrap_or_default(),
        exit_code: if is_exited {
            state.exit_code.and_then(|c| i32::try_from(c).ok())
        } else {
            None
        },
        oom_killed: state.oom_killed.unwrap_or(false),
        started_at: nonempty(state.started_at).filter(|s| !s.starts_with("0001-")),
        finished_at: nonempty(state.finished_at).filter(|s| !s.starts_with("0001-")),
        entrypoint: config.entrypoint.unwrap_or_default(),
        cmd: config.cmd.unwrap_or_default(),
        working_dir: config.working_dir.unwrap_or_default(),
        user: config.user.unwrap_or_default(),
        env: config
            .env
            .unwrap_or_default()
            .into_iter()
            .map(|kv| match kv.split_once('=') {
                Some((k, v)) => (k.to_string(), v.to_string()),
                None => (kv, String::new()),
            })
            .collect(),
        labels: config.labels.unwrap_or_default().into_iter().collect(),
        restart_policy,
        auto_remove: host.auto_remove.unwrap_or(false),
        ports,
        mounts,
        networks,
        size_rw: i.size_rw,
        size_root_fs: i.size_root_fs,
    }
}

impl Engine {
    /// `docker container inspect --size ID`.
    /// Where a browser reaches the container's `port`/`protocol` (C2): read
    /// from the engine, never from what the window says.
    pub async fn port_url(&self, id: &str, port: u16, protocol: &str) -> Result<String> {
        let d = self.container_details(id).await?;
        d.ports
            .iter()
            .filter(|p| p.container_port == port && p.protocol == protocol)
            .find_map(browser_url)
            .ok_or_else(|| {
                Error::said(
                    "port",
                    Said::PortNotPublished {
                        port: u32::from(port),
                        protocol: protocol.into(),
                    },
                )
            })
    }

    pub async fn container_details(&self, id: &str) -> Result<ContainerDetails> {
        let i = self.inspect(id, true).await?;
        Ok(details_from_inspect(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_published_port_is_opened_where_this_machine_reaches_it() {
        let p = |ip: Option<&str>, port: Option<u16>, proto: &str| PublishedPort {
            container_port: 80,
            protocol: proto.into(),
            host_ip: ip.map(str::to_string),
            host_port: port,
        };
        let url = |ip, port, proto| browser_url(&p(ip, port, proto));
        assert_eq!(
            url(Some("0.0.0.0"), Some(8080), "tcp").unwrap(),
            "http://127.0.0.1:8080/"
        );
        assert_eq!(
            url(Some("::"), Some(8080), "tcp").unwrap(),
            "http://[::1]:8080/"
        );
        assert_eq!(
            url(Some("127.0.0.1"), Some(9), "tcp").unwrap(),
            "http://127.0.0.1:9/"
        );
        assert_eq!(
            url(Some("fd00::2"), Some(9), "tcp").unwrap(),
            "http://[fd00::2]:9/"
        );
        assert_eq!(url(None, None, "tcp"), None, "exposed only");
        assert_eq!(url(Some("0.0.0.0"), Some(53), "udp"), None);
    }
}
