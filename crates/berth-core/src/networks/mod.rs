//! Networks (N1, N2): each with its driver explained, subnet, gateway and
//! attached containers (IP, MAC); create with the subnet checked before any
//! request (valid CIDR, a gateway inside it, no overlap with an existing
//! network, which is named); the built-in bridge, host and none protected;
//! connect (alias, fixed IP) and disconnect.

use std::collections::{BTreeMap, HashMap};
use std::net::IpAddr;

use bollard::models::{
    EndpointIpamConfig, EndpointSettings, Ipam, IpamConfig, NetworkConnectRequest,
    NetworkCreateRequest, NetworkDisconnectRequest,
};
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::containers::validate_name;
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::said::Said;

pub const BUILT_IN: [&str; 3] = ["bridge", "host", "none"];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Attached {
    pub id: String,
    pub name: String,
    pub ipv4: Option<String>,
    pub ipv6: Option<String>,
    pub mac: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct NetworkRow {
    pub id: String,
    pub name: String,
    pub driver: String,
    pub scope: String,
    pub subnets: Vec<String>,
    pub gateways: Vec<String>,
    pub internal: bool,
    pub built_in: bool,
    pub containers: Vec<Attached>,
    pub labels: BTreeMap<String, String>,
    /// For a bridge: the host's interface for it (`docker0` for the
    /// default), whose address is the gateway.
    pub host_interface: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct NetworkForm {
    pub name: String,
    /// Empty: bridge.
    pub driver: String,
    /// Empty: the engine picks one.
    pub subnet: String,
    pub gateway: String,
    pub internal: bool,
}

/// A CIDR as (is IPv6, network bits as a number, prefix length).
pub fn parse_cidr(s: &str) -> std::result::Result<(bool, u128, u8), Said> {
    let (ip, len) = s
        .split_once('/')
        .ok_or_else(|| Said::CidrNoPrefix { cidr: s.into() })?;
    let ip: IpAddr = ip.parse().map_err(|_| Said::CidrNotIp { ip: ip.into() })?;
    let (v6, bits, max) = match ip {
        IpAddr::V4(a) => (false, u128::from(u32::from(a)), 32u8),
        IpAddr::V6(a) => (true, u128::from(a), 128u8),
    };
    let len: u8 = len
        .parse()
        .ok()
        .filter(|n| *n <= max)
        .ok_or_else(|| Said::CidrPrefix {
            len: len.into(),
            max: u32::from(max),
        })?;
    let host_bits = u32::from(max - len);
    let mask = if host_bits >= 128 {
        0
    } else {
        !0u128 << host_bits
    } & if v6 { !0 } else { 0xffff_ffff };
    if bits & !mask != 0 {
        return Err(Said::CidrHostBits {
            cidr: s.into(),
            len: u32::from(len),
            network: show(v6, bits & mask),
        });
    }
    Ok((v6, bits, len))
}

/// The first address after a subnet's network address (`172.17.0.1`).
fn first_address(subnet: &str) -> Option<String> {
    let (v6, bits, len) = parse_cidr(subnet).ok()?;
    ((!v6 && len < 31) || (v6 && len < 127)).then(|| show(v6, bits + 1))
}

fn show(v6: bool, bits: u128) -> String {
    if v6 {
        std::net::Ipv6Addr::from(bits).to_string()
    } else {
        std::net::Ipv4Addr::from(bits as u32).to_string()
    }
}

/// Whether two CIDRs share any address.
pub fn overlaps(a: (bool, u128, u8), b: (bool, u128, u8)) -> bool {
    if a.0 != b.0 {
        return false;
    }
    let max = if a.0 { 128 } else { 32 };
    let len = a.2.min(b.2);
    let shift = u32::from(max - len);
    let cut = |x: u128| if shift >= 128 { 0 } else { x >> shift };
    cut(a.1) == cut(b.1)
}

fn contains(net: (bool, u128, u8), ip: &str) -> bool {
    match ip.parse::<IpAddr>() {
        Ok(IpAddr::V4(a)) if !net.0 => overlaps(net, (false, u128::from(u32::from(a)), 32)),
        Ok(IpAddr::V6(a)) if net.0 => overlaps(net, (true, u128::from(a), 128)),
        _ => false,
    }
}

impl Engine {
    /// `docker network ls` + `inspect` of each.
    pub async fn list_networks(&self) -> Result<Vec<NetworkRow>> {
        let list = self
            .docker
            .list_networks(None::<bollard::query_parameters::ListNetworksOptions>)
            .await?;
        let mut rows = Vec::new();
        for n in list {
            let Some(id) = n.id else { continue };
            let Ok(i) = self.docker.inspect_network(&id, None).await else {
                continue;
            };
            let name = i.name.unwrap_or_default();
            let cfg = i.ipam.and_then(|p| p.config).unwrap_or_default();
            let mut containers: Vec<Attached> = i
                .containers
                .unwrap_or_default()
                .into_iter()
                .map(|(cid, e)| Attached {
                    id: cid,
                    name: e.name.unwrap_or_default(),
                    ipv4: e.ipv4_address.filter(|s| !s.is_empty()),
                    ipv6: e.ipv6_address.filter(|s| !s.is_empty()),
                    mac: e.mac_address.filter(|s| !s.is_empty()),
                })
                .collect();
            containers.sort_by(|a, b| a.name.cmp(&b.name));
            let options = i.options.unwrap_or_default();
            let driver = i.driver.unwrap_or_default();
            let gateways = cfg
                .iter()
                .filter_map(|c| {
                    c.gateway.clone().filter(|g| !g.is_empty()).or_else(|| {
                        // A fresh engine may leave the default bridge's
                        // gateway out of its IPAM config; the default
                        // IPAM gave it the subnet's first address.
                        (driver == "bridge")
                            .then(|| c.subnet.as_deref().and_then(first_address))
                            .flatten()
                    })
                })
                .collect();
            rows.push(NetworkRow {
                built_in: BUILT_IN.contains(&name.as_str()),
                host_interface: (driver == "bridge").then(|| {
                    options
                        .get("com.docker.network.bridge.name")
                        .cloned()
                        .unwrap_or_else(|| format!("br-{}", &id[..id.len().min(12)]))
                }),
                id,
                name,
                driver,
                scope: i.scope.unwrap_or_default(),
                subnets: cfg.iter().filter_map(|c| c.subnet.clone()).collect(),
                gateways,
                internal: i.internal.unwrap_or(false),
                containers,
                labels: i.labels.unwrap_or_default().into_iter().collect(),
            });
        }
        rows.sort_by(|a, b| (!a.built_in, &a.name).cmp(&(!b.built_in, &b.name)));
        Ok(rows)
    }

    /// `docker network create [--driver D] [--subnet S --gateway G] [--internal] NAME`.
    pub async fn create_network(&self, form: &NetworkForm) -> Result<String> {
        let name = form.name.trim();
        validate_name(name).map_err(|said| Error::said("name", said))?;
        let driver = if form.driver.trim().is_empty() {
            "bridge"
        } else {
            form.driver.trim()
        };
        if matches!(driver, "host" | "none") {
            return Err(Error::said(
                "driver",
                Said::NetworkOnlyOne {
                    driver: driver.into(),
                },
            ));
        }
        let existing = self.list_networks().await?;
        if let Some(n) = existing.iter().find(|n| n.name == name) {
            return Err(Error::conflict(Said::NetworkExists {
                name: name.into(),
                id: n.id[..n.id.len().min(12)].into(),
            }));
        }
        let subnet = form.subnet.trim();
        let gateway = form.gateway.trim();
        let mut ipam = None;
        if !subnet.is_empty() {
            let net = parse_cidr(subnet).map_err(|m| Error::said("subnet", m))?;
            for n in &existing {
                for s in &n.subnets {
                    if let Ok(other) = parse_cidr(s) {
                        if overlaps(net, other) {
                            return Err(Error::said(
                                "subnet",
                                Said::SubnetOverlap {
                                    subnet: subnet.into(),
                                    other: s.clone(),
                                    network: n.name.clone(),
                                },
                            ));
                        }
                    }
                }
            }
            if !gateway.is_empty() && !contains(net, gateway) {
                return Err(Error::said(
                    "gateway",
                    Said::GatewayOutside {
                        gateway: gateway.into(),
                        subnet: subnet.into(),
                    },
                ));
            }
            ipam = Some(Ipam {
                config: Some(vec![IpamConfig {
                    subnet: Some(subnet.into()),
                    gateway: (!gateway.is_empty()).then(|| gateway.into()),
                    ..Default::default()
                }]),
                ..Default::default()
            });
        } else if !gateway.is_empty() {
            return Err(Error::said("gateway", Said::GatewayNeedsSubnet));
        }
        let r = self
            .docker
            .create_network(NetworkCreateRequest {
                name: name.into(),
                driver: Some(driver.into()),
                internal: Some(form.internal),
                ipam,
                ..Default::default()
            })
            .await?;
        Ok(r.id)
    }

    /// `docker network rm NAME`; the built-in ones are refused, explained.
    pub async fn remove_network(&self, name: &str) -> Result<()> {
        if BUILT_IN.contains(&name) {
            return Err(Error::said(
                "network",
                Said::NetworkBuiltIn { name: name.into() },
            ));
        }
        if let Some(n) = self
            .list_networks()
            .await?
            .into_iter()
            .find(|n| n.name == name || n.id == name)
        {
            if !n.containers.is_empty() {
                return Err(Error::conflict(Said::NetworkInUse {
                    network: n.name.clone(),
                    containers: n
                        .containers
                        .iter()
                        .map(|c| c.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                }));
            }
        }
        self.docker.remove_network(name).await?;
        Ok(())
    }

    /// `docker network connect [--alias A] [--ip IP] NETWORK CONTAINER`.
    pub async fn connect_network(
        &self,
        network: &str,
        container: &str,
        aliases: &[String],
        ip: &str,
    ) -> Result<()> {
        let ip = ip.trim();
        if !ip.is_empty() && ip.parse::<IpAddr>().is_err() {
            return Err(Error::said("ip", Said::ConnectNotIp { ip: ip.into() }));
        }
        let aliases: Vec<String> = aliases
            .iter()
            .map(|a| a.trim().to_string())
            .filter(|a| !a.is_empty())
            .collect();
        for a in &aliases {
            if a.contains(char::is_whitespace) {
                return Err(Error::said("alias", Said::AliasSpace { alias: a.clone() }));
            }
        }
        self.docker
            .connect_network(
                network,
                NetworkConnectRequest {
                    container: container.into(),
                    endpoint_config: Some(EndpointSettings {
                        aliases: (!aliases.is_empty()).then_some(aliases),
                        ipam_config: (!ip.is_empty()).then(|| EndpointIpamConfig {
                            ipv4_address: ip.contains('.').then(|| ip.to_string()),
                            ipv6_address: ip.contains(':').then(|| ip.to_string()),
                            ..Default::default()
                        }),
                        ..Default::default()
                    }),
                },
            )
            .await?;
        Ok(())
    }

    /// `docker network disconnect NETWORK CONTAINER`.
    pub async fn disconnect_network(&self, network: &str, container: &str) -> Result<()> {
        self.docker
            .disconnect_network(
                network,
                NetworkDisconnectRequest {
                    container: container.into(),
                    force: Some(false),
                },
            )
            .await?;
        Ok(())
    }
}

/// Names by network, for a quick "is this name free" in forms.
pub fn names(rows: &[NetworkRow]) -> HashMap<&str, &str> {
    rows.iter()
        .map(|r| (r.name.as_str(), r.id.as_str()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bridge_without_a_recorded_gateway_has_its_subnets_first_address() {
        assert_eq!(
            first_address("172.17.0.0/16").as_deref(),
            Some("172.17.0.1")
        );
        assert_eq!(first_address("fd00::/64").as_deref(), Some("fd00::1"));
        assert_eq!(first_address("10.0.0.0/31"), None);
        assert_eq!(first_address("not a cidr"), None);
    }

    #[test]
    fn cidrs_are_read_and_refused_with_the_reason() {
        assert_eq!(parse_cidr("172.30.0.0/16").unwrap().2, 16);
        assert!(parse_cidr("fd00::/64").unwrap().0);
        for (bad, why) in [
            ("172.30.0.0", "no prefix length"),
            ("172.300.0.0/16", "not an IP address"),
            ("172.30.0.0/33", "0 to 32"),
            (
                "172.30.1.0/16",
                "host bits set: the network address for /16 is 172.30.0.0",
            ),
            ("10.0.0.0/x", "`/x`"),
        ] {
            let e = parse_cidr(bad).unwrap_err();
            assert!(e.to_string().contains(why), "{bad}: {e}");
        }
    }

    #[test]
    fn overlapping_subnets_are_found() {
        let a = parse_cidr("172.17.0.0/16").unwrap();
        assert!(overlaps(a, parse_cidr("172.17.5.0/24").unwrap()));
        assert!(overlaps(parse_cidr("172.16.0.0/12").unwrap(), a));
        assert!(!overlaps(a, parse_cidr("172.18.0.0/16").unwrap()));
        assert!(!overlaps(a, parse_cidr("fd00::/8").unwrap()));
        assert!(contains(a, "172.17.0.1"));
        assert!(!contains(a, "10.0.0.1"));
    }
}
