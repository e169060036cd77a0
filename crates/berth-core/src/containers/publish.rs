//! `-p` / `--publish` specs (`[IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL]`,
//! ports or equal-length ranges), read as the docker CLI reads them.

use std::net::IpAddr;

use serde::Serialize;
use specta::Type;

use crate::said::Said;

/// One container port published (or to be published) on the host.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Binding {
    /// As typed, without brackets; empty means every address (0.0.0.0 and ::).
    pub host_ip: String,
    /// A port, a range the engine picks from (`8000-8010`), or empty for
    /// any free port.
    pub host_port: String,
    pub container_port: u16,
    pub protocol: String,
}

impl Binding {
    /// The key the Engine API uses in ExposedPorts and PortBindings.
    pub fn key(&self) -> String {
        format!("{}/{}", self.container_port, self.protocol)
    }

    /// The single host port, when one is fixed (not a range, not random).
    pub fn fixed_host_port(&self) -> Option<u16> {
        self.host_port.parse().ok()
    }
}

/// Parses one spec into its bindings (a range gives one per port).
pub fn parse(spec: &str) -> Result<Vec<Binding>, Said> {
    let spec = spec.trim();
    if spec.is_empty() {
        return Err(Said::PortSpecEmpty);
    }
    let (rest, protocol) = match spec.rsplit_once('/') {
        Some((r, p)) => match p {
            "tcp" | "udp" | "sctp" => (r, p),
            "" => return Err(Said::PortSpecTrailingSlash { spec: spec.into() }),
            other => {
                return Err(Said::PortProtocol {
                    protocol: other.into(),
                })
            }
        },
        None => (spec, "tcp"),
    };
    let (ip, rest) = split_ip(rest)?;
    let parts: Vec<&str> = rest.split(':').collect();
    let (host_ip, host, container) = match (ip, parts.as_slice()) {
        (Some(ip), [h, c]) => (ip, *h, *c),
        (None, [c]) => (String::new(), "", *c),
        (None, [h, c]) => (String::new(), *h, *c),
        (None, [ip, h, c]) => (check_ip(ip)?, *h, *c),
        _ => return Err(Said::PortSpecTooManyColons { spec: spec.into() }),
    };
    if container.is_empty() {
        return Err(Said::PortSpecNoContainerPort { spec: spec.into() });
    }
    let (c_lo, c_hi) = port_range(container, Side::Container)?;
    let host_range = if host.is_empty() {
        None
    } else {
        Some(port_range(host, Side::Host)?)
    };
    let count = c_hi - c_lo;
    let host_port = |i: u16| match host_range {
        None => String::new(),
        Some((lo, hi)) if count == 0 && hi > lo => format!("{lo}-{hi}"),
        Some((lo, _)) => (lo + i).to_string(),
    };
    if let Some((lo, hi)) = host_range {
        if count > 0 && hi - lo != count {
            return Err(Said::PortRangeMismatch {
                spec: spec.into(),
                host: u32::from(hi - lo) + 1,
                container: u32::from(count) + 1,
            });
        }
    }
    Ok((0..=count)
        .map(|i| Binding {
            host_ip: host_ip.clone(),
            host_port: host_port(i),
            container_port: c_lo + i,
            protocol: protocol.to_string(),
        })
        .collect())
}

/// A leading `[v6]:` address.
fn split_ip(s: &str) -> Result<(Option<String>, &str), Said> {
    let Some(inner) = s.strip_prefix('[') else {
        return Ok((None, s));
    };
    let Some((addr, rest)) = inner.split_once(']') else {
        return Err(Said::Ipv6Unclosed { spec: s.into() });
    };
    let rest = rest.strip_prefix(':').ok_or_else(|| Said::Ipv6NoColon {
        spec: s.into(),
        address: addr.into(),
    })?;
    Ok((Some(check_ip(addr)?), rest))
}

fn check_ip(ip: &str) -> Result<String, Said> {
    ip.parse::<IpAddr>()
        .map(|_| ip.to_string())
        .map_err(|_| Said::NotAnIp { ip: ip.into() })
}

/// Which side of a mapping a port is on, for what is said about it.
#[derive(Clone, Copy)]
enum Side {
    Host,
    Container,
}

fn port_range(s: &str, what: Side) -> Result<(u16, u16), Said> {
    let (lo, hi) = match s.split_once('-') {
        Some((a, b)) => (port(a, what)?, port(b, what)?),
        None => {
            let p = port(s, what)?;
            (p, p)
        }
    };
    if hi < lo {
        let range = s.into();
        return Err(match what {
            Side::Host => Said::HostPortRangeBackwards { range },
            Side::Container => Said::ContainerPortRangeBackwards { range },
        });
    }
    Ok((lo, hi))
}

fn port(s: &str, what: Side) -> Result<u16, Said> {
    let port = s.to_string();
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(match what {
            Side::Host => Said::HostPortNotNumber { port },
            Side::Container => Said::ContainerPortNotNumber { port },
        });
    }
    match s.parse::<u16>() {
        Ok(n @ 1..) => Ok(n),
        _ => Err(match what {
            Side::Host => Said::HostPortOutOfRange { port },
            Side::Container => Said::ContainerPortOutOfRange { port },
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(spec: &str) -> (String, String, u16, String) {
        let b = parse(spec).unwrap_or_else(|e| panic!("{spec}: {e}"));
        assert_eq!(b.len(), 1, "{spec}");
        let b = &b[0];
        (
            b.host_ip.clone(),
            b.host_port.clone(),
            b.container_port,
            b.protocol.clone(),
        )
    }

    #[test]
    fn every_form_the_cli_takes_is_read() {
        let s = |x: &str| x.to_string();
        assert_eq!(one("80"), (s(""), s(""), 80, s("tcp")));
        assert_eq!(one("8080:80"), (s(""), s("8080"), 80, s("tcp")));
        assert_eq!(
            one("127.0.0.1:8080:80"),
            (s("127.0.0.1"), s("8080"), 80, s("tcp"))
        );
        assert_eq!(
            one("127.0.0.1::80/udp"),
            (s("127.0.0.1"), s(""), 80, s("udp"))
        );
        assert_eq!(one("[::1]:8080:80"), (s("::1"), s("8080"), 80, s("tcp")));
        assert_eq!(one(" 53:53/sctp "), (s(""), s("53"), 53, s("sctp")));
        assert_eq!(one("8000-8010:80"), (s(""), s("8000-8010"), 80, s("tcp")));
        let r = parse("8000-8001:80-81").unwrap();
        assert_eq!(
            r.iter()
                .map(|b| (b.host_port.as_str(), b.container_port))
                .collect::<Vec<_>>(),
            [("8000", 80), ("8001", 81)]
        );
    }

    #[test]
    fn bad_specs_say_which_part_is_wrong() {
        for (spec, why) in [
            ("", "is empty"),
            ("80:80:80", "`80` is not an IP address"),
            ("1.2.3.4:80:80:80", "too many"),
            ("70000:80", "host port `70000` is out of range"),
            ("8080:0", "container port `0` is out of range"),
            ("8080:", "no container port"),
            ("web:80", "host port `web` is not a number"),
            ("80/http", "protocol `http`"),
            ("80/", "ends with `/`"),
            (
                "8000-8002:80-81",
                "host range has 3 ports but the container range has 2",
            ),
            ("90-80", "ends before it starts"),
            ("[::1:80:80", "never closes"),
            ("localhost:80:80", "`localhost` is not an IP address"),
        ] {
            let e = parse(spec).expect_err(spec);
            assert!(e.to_string().contains(why), "{spec:?}: {e}");
        }
    }
}
