//! What Berth says itself, as a code and its values rather than prose, so
//! that the window says it in the user's language (the `said.<code>` keys
//! of `ui/src/lib/i18n`, which the type checker holds to exist for every
//! code, in English and Korean). `Display` is the English sentence: for
//! logs, the CLI side and tests. Where the engine or a registry spoke, its
//! own words travel beside these, unchanged.
//!
//! The reference parser (I7), the `-p` parser (C4), and networks' and
//! volumes' checks and refusals (N2, S1) say everything this way; other
//! messages of the core still travel as English text (see issue 15).

use serde::Serialize;
use specta::Type;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(
    tag = "code",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum Said {
    // Image references (I7).
    RefEmpty,
    RefSpace {
        input: String,
        char: String,
    },
    RefImageId {
        input: String,
    },
    RefNoNameBeforeAt {
        input: String,
    },
    RefNoNameBeforeColon {
        input: String,
    },
    RefEmptyPart {
        name: String,
    },
    RefTooLong {
        name: String,
        len: u32,
        max: u32,
    },
    RegistryNoPort {
        registry: String,
    },
    RegistryPortNotNumber {
        registry: String,
        port: String,
    },
    RegistryNotHost {
        host: String,
    },
    RepoUppercase {
        part: String,
    },
    NamePartChar {
        part: String,
        char: String,
    },
    NamePartEdge {
        part: String,
    },
    NamePartSeparator {
        part: String,
        separator: String,
    },
    TagEmpty,
    TagTooLong {
        len: u32,
        max: u32,
    },
    TagChars {
        tag: String,
    },
    DigestNoColon {
        digest: String,
    },
    DigestNoAlgorithm {
        digest: String,
    },
    DigestAlgorithm {
        algorithm: String,
    },
    DigestLength {
        digest: String,
        len: u32,
        algorithm: String,
        want: u32,
    },
    DigestHex {
        digest: String,
    },
    // Published ports, `-p` (C4).
    PortSpecEmpty,
    PortSpecTrailingSlash {
        spec: String,
    },
    PortProtocol {
        protocol: String,
    },
    PortSpecTooManyColons {
        spec: String,
    },
    PortSpecNoContainerPort {
        spec: String,
    },
    PortRangeMismatch {
        spec: String,
        host: u32,
        container: u32,
    },
    Ipv6Unclosed {
        spec: String,
    },
    Ipv6NoColon {
        spec: String,
        address: String,
    },
    NotAnIp {
        ip: String,
    },
    HostPortRangeBackwards {
        range: String,
    },
    ContainerPortRangeBackwards {
        range: String,
    },
    HostPortNotNumber {
        port: String,
    },
    ContainerPortNotNumber {
        port: String,
    },
    HostPortOutOfRange {
        port: String,
    },
    ContainerPortOutOfRange {
        port: String,
    },
    // Networks (N2).
    CidrNoPrefix {
        cidr: String,
    },
    CidrNotIp {
        ip: String,
    },
    CidrPrefix {
        len: String,
        max: u32,
    },
    CidrHostBits {
        cidr: String,
        len: u32,
        network: String,
    },
    NetworkOnlyOne {
        driver: String,
    },
    NetworkExists {
        name: String,
        id: String,
    },
    SubnetOverlap {
        subnet: String,
        other: String,
        network: String,
    },
    GatewayOutside {
        gateway: String,
        subnet: String,
    },
    GatewayNeedsSubnet,
    NetworkBuiltIn {
        name: String,
    },
    NetworkInUse {
        network: String,
        containers: String,
    },
    ConnectNotIp {
        ip: String,
    },
    AliasSpace {
        alias: String,
    },
    // Volumes (S1).
    NotKeyValue {
        row: String,
    },
    VolumeExists {
        name: String,
    },
    VolumeInUse {
        volume: String,
        users: String,
        count: u32,
    },
    // Copies (F2, F3).
    AlreadyInDestination {
        dest: String,
        names: String,
    },
}

const NAME_RULE: &str = "letters a-z, digits, and `.`, `_`, `__` or `-` between them";
const PORT_FORM: &str = "the form is [IP:][HOST_PORT:]CONTAINER_PORT[/tcp|udp|sctp], e.g. 8080:80";

impl std::fmt::Display for Said {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use Said::*;
        match self {
            RefEmpty => write!(
                f,
                "is empty: type an image name such as `busybox` or `127.0.0.1:5000/team/app:1`"
            ),
            RefSpace { input, char } => {
                write!(f, "`{input}` contains {char}: a reference has no spaces")
            }
            RefImageId { input } => write!(
                f,
                "`{input}` is a 64-character hex string: that is an image ID, not a name"
            ),
            RefNoNameBeforeAt { input } => write!(f, "`{input}` has no name before `@`"),
            RefNoNameBeforeColon { input } => write!(f, "`{input}` has no name before `:`"),
            RefEmptyPart { name } => write!(
                f,
                "`{name}` has an empty part: no leading, trailing or double `/`"
            ),
            RefTooLong { name, len, max } => write!(
                f,
                "the full name `{name}` is {len} characters; the limit is {max}"
            ),
            RegistryNoPort { registry } => {
                write!(f, "registry `{registry}` ends with `:` but has no port")
            }
            RegistryPortNotNumber { registry, port } => {
                write!(f, "registry `{registry}`: port `{port}` is not a number")
            }
            RegistryNotHost { host } => write!(
                f,
                "registry `{host}` is not a host name: letters, digits, inner `-`, parts joined by `.`"
            ),
            RepoUppercase { part } => write!(
                f,
                "repository `{part}` must be lowercase (tags may have capitals, names may not)"
            ),
            NamePartChar { part, char } => {
                write!(f, "`{part}` contains {char}: a name part has {NAME_RULE}")
            }
            NamePartEdge { part } => write!(
                f,
                "`{part}` starts or ends with a separator: a name part has {NAME_RULE}"
            ),
            NamePartSeparator { part, separator } => write!(
                f,
                "`{part}` has the separator `{separator}`: a name part has {NAME_RULE}"
            ),
            TagEmpty => write!(f, "the tag after `:` is empty"),
            TagTooLong { len, max } => {
                write!(f, "the tag is {len} characters; the limit is {max}")
            }
            TagChars { tag } => write!(
                f,
                "tag `{tag}`: letters, digits, `_`, `.` and `-`, not starting with `.` or `-`"
            ),
            DigestNoColon { digest } => write!(
                f,
                "digest `{digest}` has no `:`: a digest looks like `sha256:` and 64 hex digits"
            ),
            DigestNoAlgorithm { digest } => {
                write!(f, "digest `{digest}` has no algorithm before `:`")
            }
            DigestAlgorithm { algorithm } => write!(
                f,
                "digest algorithm `{algorithm}` is not one Docker accepts (sha256, sha384, sha512)"
            ),
            DigestLength {
                digest,
                len,
                algorithm,
                want,
            } => write!(
                f,
                "digest `{digest}` has {len} hex digits; {algorithm} needs {want}"
            ),
            DigestHex { digest } => write!(
                f,
                "digest `{digest}` must be lowercase hex digits (0-9, a-f)"
            ),
            PortSpecEmpty => write!(f, "is empty: {PORT_FORM}"),
            PortSpecTrailingSlash { spec } => write!(f, "`{spec}` ends with `/`: {PORT_FORM}"),
            PortProtocol { protocol } => {
                write!(f, "protocol `{protocol}` is not tcp, udp or sctp")
            }
            PortSpecTooManyColons { spec } => {
                write!(f, "`{spec}` has too many `:`: {PORT_FORM}")
            }
            PortSpecNoContainerPort { spec } => {
                write!(f, "`{spec}` has no container port: {PORT_FORM}")
            }
            PortRangeMismatch {
                spec,
                host,
                container,
            } => write!(
                f,
                "`{spec}`: the host range has {host} ports but the container range has {container}"
            ),
            Ipv6Unclosed { spec } => write!(
                f,
                "`{spec}` opens `[` for an IPv6 address but never closes it"
            ),
            Ipv6NoColon { spec, address } => {
                write!(f, "`{spec}`: a `:` must follow `[{address}]`")
            }
            NotAnIp { ip } => write!(f, "`{ip}` is not an IP address; {PORT_FORM}"),
            HostPortRangeBackwards { range } => {
                write!(f, "host port range `{range}` ends before it starts")
            }
            ContainerPortRangeBackwards { range } => {
                write!(f, "container port range `{range}` ends before it starts")
            }
            HostPortNotNumber { port } => write!(f, "host port `{port}` is not a number"),
            ContainerPortNotNumber { port } => {
                write!(f, "container port `{port}` is not a number")
            }
            HostPortOutOfRange { port } => write!(
                f,
                "host port `{port}` is out of range: ports are 1 to 65535"
            ),
            ContainerPortOutOfRange { port } => write!(
                f,
                "container port `{port}` is out of range: ports are 1 to 65535"
            ),
            CidrNoPrefix { cidr } => write!(
                f,
                "`{cidr}` has no prefix length: write it as ADDRESS/BITS, e.g. 172.30.0.0/16"
            ),
            CidrNotIp { ip } => write!(f, "`{ip}` is not an IP address"),
            CidrPrefix { len, max } => write!(f, "prefix length `/{len}` is not 0 to {max}"),
            CidrHostBits { cidr, len, network } => write!(
                f,
                "`{cidr}` has host bits set: the network address for /{len} is {network}"
            ),
            NetworkOnlyOne { driver } => write!(
                f,
                "there is only one `{driver}` network, built in: containers join it with --network {driver}"
            ),
            NetworkExists { name, id } => {
                write!(f, "a network named `{name}` already exists ({id})")
            }
            SubnetOverlap {
                subnet,
                other,
                network,
            } => write!(f, "{subnet} overlaps {other}, the subnet of network `{network}`"),
            GatewayOutside { gateway, subnet } => write!(f, "{gateway} is not inside {subnet}"),
            GatewayNeedsSubnet => write!(f, "a gateway needs a subnet to sit in"),
            NetworkBuiltIn { name } => write!(
                f,
                "`{name}` is built in: the engine needs it and refuses to remove it (it is not in use by you alone)"
            ),
            NetworkInUse {
                network,
                containers,
            } => write!(
                f,
                "network `{network}` still has containers attached: {containers}; disconnect them first"
            ),
            ConnectNotIp { ip } => write!(f, "`{ip}` is not an IP address"),
            AliasSpace { alias } => write!(f, "`{alias}` has a space"),
            NotKeyValue { row } => write!(f, "`{row}` is not KEY=VALUE"),
            VolumeExists { name } => write!(f, "a volume named `{name}` already exists"),
            VolumeInUse {
                volume,
                users,
                count,
            } => write!(
                f,
                "volume `{volume}` is in use by {users}: remove {} first (a stopped container still holds its volumes)",
                if *count == 1 { "it" } else { "them" }
            ),
            AlreadyInDestination { dest, names } => write!(
                f,
                "already in {dest}: {names}; nothing was copied (choose to replace them to go on)"
            ),
        }
    }
}

/// A length as the bindings carry numbers.
pub(crate) fn len32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn samples() -> Vec<Said> {
        use Said::*;
        let s = |v: &str| v.to_string();
        vec![
            RefEmpty,
            RefSpace {
                input: s("my app"),
                char: s("' '"),
            },
            RefImageId { input: s("0123") },
            RefNoNameBeforeAt { input: s("@x") },
            RefNoNameBeforeColon { input: s(":1") },
            RefEmptyPart { name: s("a//b") },
            RefTooLong {
                name: s("x"),
                len: 300,
                max: 255,
            },
            RegistryNoPort { registry: s("h:") },
            RegistryPortNotNumber {
                registry: s("h:x"),
                port: s("x"),
            },
            RegistryNotHost { host: s("-h") },
            RepoUppercase { part: s("Ceo") },
            NamePartChar {
                part: s("a+b"),
                char: s("'+'"),
            },
            NamePartEdge { part: s("-a") },
            NamePartSeparator {
                part: s("a..b"),
                separator: s(".."),
            },
            TagEmpty,
            TagTooLong { len: 200, max: 128 },
            TagChars { tag: s(".x") },
            DigestNoColon {
                digest: s("sha256"),
            },
            DigestNoAlgorithm { digest: s(":ab") },
            DigestAlgorithm {
                algorithm: s("md5"),
            },
            DigestLength {
                digest: s("sha256:ab"),
                len: 2,
                algorithm: s("sha256"),
                want: 64,
            },
            DigestHex {
                digest: s("sha256:AB"),
            },
            PortSpecEmpty,
            PortSpecTrailingSlash { spec: s("80/") },
            PortProtocol {
                protocol: s("icmp"),
            },
            PortSpecTooManyColons { spec: s("1:2:3:4") },
            PortSpecNoContainerPort { spec: s("80:") },
            PortRangeMismatch {
                spec: s("1-3:1-2"),
                host: 3,
                container: 2,
            },
            Ipv6Unclosed { spec: s("[::1:80") },
            Ipv6NoColon {
                spec: s("[::1]80"),
                address: s("::1"),
            },
            NotAnIp { ip: s("80") },
            HostPortRangeBackwards { range: s("9-1") },
            ContainerPortRangeBackwards { range: s("9-1") },
            HostPortNotNumber { port: s("http") },
            ContainerPortNotNumber { port: s("http") },
            HostPortOutOfRange { port: s("70000") },
            ContainerPortOutOfRange { port: s("0") },
            CidrNoPrefix {
                cidr: s("10.0.0.0"),
            },
            CidrNotIp { ip: s("10.0.0") },
            CidrPrefix {
                len: s("33"),
                max: 32,
            },
            CidrHostBits {
                cidr: s("10.0.0.1/24"),
                len: 24,
                network: s("10.0.0.0"),
            },
            NetworkOnlyOne { driver: s("host") },
            NetworkExists {
                name: s("web"),
                id: s("0123456789ab"),
            },
            SubnetOverlap {
                subnet: s("10.1.0.0/16"),
                other: s("10.1.2.0/24"),
                network: s("db"),
            },
            GatewayOutside {
                gateway: s("10.9.0.1"),
                subnet: s("10.1.0.0/16"),
            },
            GatewayNeedsSubnet,
            NetworkBuiltIn { name: s("bridge") },
            NetworkInUse {
                network: s("web"),
                containers: s("a, b"),
            },
            ConnectNotIp { ip: s("10.0.0") },
            AliasSpace { alias: s("my db") },
            NotKeyValue { row: s("novalue") },
            VolumeExists { name: s("data") },
            VolumeInUse {
                volume: s("data"),
                users: s("web"),
                count: 1,
            },
            VolumeInUse {
                volume: s("data"),
                users: s("web, db"),
                count: 2,
            },
            AlreadyInDestination {
                dest: s("/tmp/out"),
                names: s("a, b"),
            },
        ]
    }

    /// The window's English (`said.*` in en.ts) is word for word what
    /// `Display` writes, for every code: one English, in two places.
    #[test]
    fn the_windows_english_is_the_cores_english_for_every_code() {
        let en = include_str!("../../../ui/src/lib/i18n/en.ts");
        let entry = regex::Regex::new(r#""said\.(\w+)":\s*"((?:[^"\\]|\\.)*)""#).unwrap();
        let texts: std::collections::HashMap<&str, String> = entry
            .captures_iter(en)
            .map(|c| {
                let (k, v) = (c.get(1).unwrap().as_str(), c.get(2).unwrap().as_str());
                (k, v.replace("\\\"", "\""))
            })
            .collect();
        let all = samples();
        let codes: std::collections::HashSet<String> = all
            .iter()
            .map(|s| {
                serde_json::to_value(s).unwrap()["code"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect();
        assert_eq!(texts.len(), codes.len(), "one text per code, no more");
        for said in all {
            let v = serde_json::to_value(&said).unwrap();
            let code = v["code"].as_str().unwrap();
            let mut text = texts
                .get(code)
                .unwrap_or_else(|| panic!("en.ts has no said.{code}"))
                .clone();
            for (k, val) in v.as_object().unwrap() {
                // `{n|one|other}`, as the window picks it for English.
                if let Some(n) = val.as_u64() {
                    let plural =
                        regex::Regex::new(&format!(r"\{{{k}\|([^|{{}}]*)\|([^{{}}]*)\}}")).unwrap();
                    text = plural
                        .replace_all(&text, |c: &regex::Captures| {
                            let form = if n == 1 { &c[1] } else { &c[2] };
                            form.replace('#', &n.to_string())
                        })
                        .into_owned();
                }
                let val = val
                    .as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| val.to_string());
                text = text.replace(&format!("{{{k}}}"), &val);
            }
            assert_eq!(text, said.to_string(), "said.{code}");
        }
    }
}
