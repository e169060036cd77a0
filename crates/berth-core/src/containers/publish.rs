//! `-p` / `--publish` specs (`[IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL]`,
//! ports or equal-length ranges), read as the docker CLI reads them.

use std::net::IpAddr;

use serde::Serialize;
use specta::Type;

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

const FORM: &str = "the form is [IP:][HOST_PORT:]CONTAINER_PORT[/tcp|udp|sctp], e.g. 8080:80";

/// Parses one spec into its bindings (a range gives one per port).
pub fn parse(spec: &str) -> Result<Vec<Binding>, String> {
    let spec = spec.trim();
    if spec.is_empty() {
        return Err(format!("is empty: {FORM}"));
    }
    let (rest, protocol) = match spec.rsplit_once('/') {
        Some((r, p)) => match p {
            "tcp" | "udp" | "sctp" => (r, p),
            "" => return Err(format!("`{spec}` ends with `/`: {FORM}")),
            other => return Err(format!("protocol `{other}` is not tcp, udp or sctp")),
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
        _ => return Err(format!("`{spec}` has too many `:`: {FORM}")),
    };
    if container.is_empty() {
        return Err(format!("`{spec}` has no container port: {FORM}"));
    }
    let (c_lo, c_hi) = port_range(container, "container port")?;
    let host_range = if host.is_empty() {
        None
    } else {
        Some(port_range(host, "host port")?)
    };
    let count = c_hi - c_lo;
    let host_port = |i: u16| match host_range {
        None => String::new(),
        Some((lo, hi)) if count == 0 && hi > lo => format!("{lo}-{hi}"),
        Some((lo, _)) => (lo + i).to_string(),
    };
    if let Some((lo, hi)) = host_range {
        if count > 0 && hi - lo != count {
            return Err(format!(
                "`{spec}`: the host range has {} ports but the container range has {}",
                hi - lo + 1,
                count + 1
            ));
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
fn split_ip(s: &str) -> Result<(Option<String>, &str), String> {
    let Some(inner) = s.strip_prefix('[') else {
        return Ok((None, s));
    };
    let Some((addr, rest)) = inner.split_once(']') else {
        return Err(format!(
            "`{s}` opens `[` for an IPv6 address but never closes it"
        ));
    };
    let rest = rest
        .strip_prefix(':')
        .ok_or_else(|| format!("`{s}`: a `:` must follow `[{addr}]`"))?;
    Ok((Some(check_ip(addr)?), rest))
}

fn check_ip(ip: &str) -> Result<String, String> {
    ip.parse::<IpAddr>()
        .map(|_| ip.to_string())
        .map_err(|_| format!("`{ip}` is not an IP address; {FORM}"))
}

fn port_range(s: &str, what: &str) -> Result<(u16, u16), String> {
    let (lo, hi) = match s.split_once('-') {
        Some((a, b)) => (port(a, what)?, port(b, what)?),
        None => {
            let p = port(s, what)?;
            (p, p)
        }
    };
    if hi < lo {
        return Err(format!("{what} range `{s}` ends before it starts"));
    }
    Ok((lo, hi))
}

fn port(s: &str, what: &str) -> Result<u16, String> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("{what} `{s}` is not a number"));
    }
    match s.parse::<u32>() {
        Ok(n @ 1..=65535) => Ok(n as u16),
        _ => Err(format!(
            "{what} `{s}` is out of range: ports are 1 to 65535"
        )),
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
            assert!(e.contains(why), "{spec:?}: {e}");
        }
    }
}
