//! Image references (`nginx`, `127.0.0.1:5000/team/app:1`,
//! `name@sha256:...`), read the way the docker CLI reads them (I7).
//!
//! Follows `distribution/reference`'s `ParseNormalizedNamed`: a first path
//! part is a registry only when it has a `.` or `:`, is `localhost`, or has
//! an uppercase letter; otherwise the registry is `docker.io` and a single
//! name gets `library/`. `latest` is implied only when there is neither tag
//! nor digest. Every refusal names the part that is wrong and why, before any
//! request is sent.

use serde::Serialize;
use specta::Type;

use crate::said::{len32, Said};

pub const DEFAULT_REGISTRY: &str = "docker.io";
const LEGACY_REGISTRY: &str = "index.docker.io";
const OFFICIAL_NAMESPACE: &str = "library";
pub const DEFAULT_TAG: &str = "latest";
const NAME_MAX: usize = 255;
const TAG_MAX: usize = 128;

/// A reference taken apart. The `*_implied` flags mark what the user did not
/// type and Docker fills in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Reference {
    /// e.g. `docker.io`, `127.0.0.1:5000`.
    pub registry: String,
    pub registry_implied: bool,
    /// The path before the last part, e.g. `library`, `team`, `a/b`; empty
    /// when there is none (`127.0.0.1:5000/app`).
    pub namespace: String,
    pub namespace_implied: bool,
    /// The last path part, e.g. `nginx`.
    pub repository: String,
    pub tag: Option<String>,
    pub tag_implied: bool,
    pub digest: Option<String>,
    /// `docker.io/library/nginx:latest`: what the engine stores and pulls.
    pub canonical: String,
    /// `nginx:latest`: what `docker images` prints.
    pub familiar: String,
}

impl Reference {
    /// The name without tag or digest: `docker.io/library/nginx`.
    pub fn name(&self) -> String {
        let mut s = format!("{}/", self.registry);
        if !self.namespace.is_empty() {
            s.push_str(&self.namespace);
            s.push('/');
        }
        s.push_str(&self.repository);
        s
    }

    /// The repository path inside the registry: `library/nginx`.
    pub fn path(&self) -> String {
        if self.namespace.is_empty() {
            self.repository.clone()
        } else {
            format!("{}/{}", self.namespace, self.repository)
        }
    }

    /// The name as `docker images` shows it: `nginx`, `team/app`,
    /// `127.0.0.1:5000/app`.
    pub fn familiar_name(&self) -> String {
        if self.registry != DEFAULT_REGISTRY {
            return self.name();
        }
        match self.namespace.as_str() {
            OFFICIAL_NAMESPACE => self.repository.clone(),
            _ => self.path(),
        }
    }
}

/// Reads `input` as the docker CLI would. The error says what is wrong in
/// words a learner can act on; callers put it under their own field name.
pub fn parse(input: &str) -> Result<Reference, Said> {
    if input.is_empty() {
        return Err(Said::RefEmpty);
    }
    if let Some(c) = input.chars().find(|c| c.is_whitespace()) {
        return Err(Said::RefSpace {
            input: input.into(),
            char: format!("{c:?}"),
        });
    }
    if input.len() == 64
        && input
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    {
        return Err(Said::RefImageId {
            input: input.into(),
        });
    }
    let (rest, digest) = match input.split_once('@') {
        Some((r, d)) => (r, Some(check_digest(d)?)),
        None => (input, None),
    };
    if rest.is_empty() {
        return Err(Said::RefNoNameBeforeAt {
            input: input.into(),
        });
    }
    let last_slash = rest.rfind('/');
    let (name, tag) = match rest.rfind(':') {
        Some(i) if last_slash.is_none_or(|s| i > s) => {
            (&rest[..i], Some(check_tag(&rest[i + 1..])?))
        }
        _ => (rest, None),
    };
    if name.is_empty() {
        return Err(Said::RefNoNameBeforeColon {
            input: input.into(),
        });
    }
    let (registry, registry_implied, remainder) = split_registry(name)?;
    let mut parts: Vec<&str> = remainder.split('/').collect();
    if parts.iter().any(|p| p.is_empty()) {
        return Err(Said::RefEmptyPart { name: name.into() });
    }
    for p in &parts {
        check_path_component(p)?;
    }
    let namespace_implied = registry == DEFAULT_REGISTRY && parts.len() == 1;
    let repository = parts.pop().unwrap_or_default().to_string();
    let namespace = if namespace_implied {
        OFFICIAL_NAMESPACE.to_string()
    } else {
        parts.join("/")
    };
    let tag_implied = tag.is_none() && digest.is_none();
    let mut r = Reference {
        registry,
        registry_implied,
        namespace,
        namespace_implied,
        repository,
        tag: tag
            .map(str::to_string)
            .or(tag_implied.then(|| DEFAULT_TAG.into())),
        tag_implied,
        digest,
        canonical: String::new(),
        familiar: String::new(),
    };
    let full = r.name();
    if full.len() > NAME_MAX {
        return Err(Said::RefTooLong {
            len: len32(full.len()),
            name: full,
            max: len32(NAME_MAX),
        });
    }
    let suffix = |name: String| {
        let mut s = name;
        if let Some(t) = &r.tag {
            s.push(':');
            s.push_str(t);
        }
        if let Some(d) = &r.digest {
            s.push('@');
            s.push_str(d);
        }
        s
    };
    r.canonical = suffix(full);
    r.familiar = suffix(r.familiar_name());
    Ok(r)
}

/// `distribution`'s `splitDockerDomain`: which part is the registry.
fn split_registry(name: &str) -> Result<(String, bool, &str), Said> {
    let (registry, implied, rest) = match name.split_once('/') {
        Some((first, rest))
            if first.contains(['.', ':'])
                || first == "localhost"
                || first.chars().any(|c| c.is_ascii_uppercase()) =>
        {
            match check_registry(first) {
                Ok(()) => (first, false, rest),
                // Not a host, but a valid path part: the CLI's grammar then
                // reads the whole name as a Docker Hub path
                // (`my_host.com/x` is `docker.io/my_host.com/x`).
                Err(_) if check_path_component(first).is_ok() => (DEFAULT_REGISTRY, true, name),
                Err(e) => return Err(e),
            }
        }
        _ => (DEFAULT_REGISTRY, true, name),
    };
    let registry = if registry == LEGACY_REGISTRY {
        DEFAULT_REGISTRY
    } else {
        registry
    };
    Ok((registry.to_string(), implied, rest))
}

/// `host[:port]`, host = DNS labels of letters, digits and inner dashes.
fn check_registry(reg: &str) -> Result<(), Said> {
    let (host, port) = match reg.split_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (reg, None),
    };
    if let Some(p) = port {
        if p.is_empty() {
            return Err(Said::RegistryNoPort {
                registry: reg.into(),
            });
        }
        if !p.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Said::RegistryPortNotNumber {
                registry: reg.into(),
                port: p.into(),
            });
        }
    }
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    if host.is_empty() || !host.split('.').all(label_ok) {
        return Err(Said::RegistryNotHost { host: host.into() });
    }
    Ok(())
}

/// `[a-z0-9]+` runs joined by `.`, `_`, `__` or one or more `-`.
fn check_path_component(p: &str) -> Result<(), Said> {
    if p.chars().any(|c| c.is_ascii_uppercase()) {
        return Err(Said::RepoUppercase { part: p.into() });
    }
    if let Some(c) = p
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-')))
    {
        return Err(Said::NamePartChar {
            part: p.into(),
            char: format!("{c:?}"),
        });
    }
    let bytes = p.as_bytes();
    let alnum = |b: u8| b.is_ascii_alphanumeric();
    if !alnum(bytes[0]) || !alnum(bytes[bytes.len() - 1]) {
        return Err(Said::NamePartEdge { part: p.into() });
    }
    for sep in p
        .split(|c: char| c.is_ascii_alphanumeric())
        .filter(|s| !s.is_empty())
    {
        let ok = matches!(sep, "." | "_" | "__") || sep.bytes().all(|b| b == b'-');
        if !ok {
            return Err(Said::NamePartSeparator {
                part: p.into(),
                separator: sep.into(),
            });
        }
    }
    Ok(())
}

fn check_tag(tag: &str) -> Result<&str, Said> {
    if tag.is_empty() {
        return Err(Said::TagEmpty);
    }
    if tag.len() > TAG_MAX {
        return Err(Said::TagTooLong {
            len: len32(tag.len()),
            max: len32(TAG_MAX),
        });
    }
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let b = tag.as_bytes();
    if !word(b[0]) || !b.iter().all(|&c| word(c) || c == b'.' || c == b'-') {
        return Err(Said::TagChars { tag: tag.into() });
    }
    Ok(tag)
}

/// `algorithm:hex`, where Docker knows sha256, sha384 and sha512 and each
/// needs its exact number of lowercase hex digits.
fn check_digest(d: &str) -> Result<String, Said> {
    let Some((alg, hex)) = d.split_once(':') else {
        return Err(Said::DigestNoColon { digest: d.into() });
    };
    let len = match alg {
        "sha256" => 64,
        "sha384" => 96,
        "sha512" => 128,
        "" => return Err(Said::DigestNoAlgorithm { digest: d.into() }),
        other => {
            return Err(Said::DigestAlgorithm {
                algorithm: other.into(),
            })
        }
    };
    if hex.len() != len {
        return Err(Said::DigestLength {
            digest: d.into(),
            len: len32(hex.len()),
            algorithm: alg.into(),
            want: len32(len),
        });
    }
    if !hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        return Err(Said::DigestHex { digest: d.into() });
    }
    Ok(d.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const D: &str = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    fn ok(s: &str) -> Reference {
        parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn a_bare_name_gets_docker_io_library_and_latest_marked_as_implied() {
        let r = ok("nginx");
        assert_eq!(r.canonical, "docker.io/library/nginx:latest");
        assert_eq!(r.familiar, "nginx:latest");
        assert!(r.registry_implied && r.namespace_implied && r.tag_implied);
        assert_eq!(
            (r.namespace.as_str(), r.repository.as_str()),
            ("library", "nginx")
        );
    }

    #[test]
    fn registries_namespaces_tags_and_digests_are_read_like_the_cli() {
        for (input, canonical, familiar) in [
            ("team/app:1", "docker.io/team/app:1", "team/app:1"),
            (
                "library/nginx",
                "docker.io/library/nginx:latest",
                "nginx:latest",
            ),
            (
                "docker.io/nginx",
                "docker.io/library/nginx:latest",
                "nginx:latest",
            ),
            (
                "index.docker.io/nginx:1",
                "docker.io/library/nginx:1",
                "nginx:1",
            ),
            (
                "127.0.0.1:5000/team/app:1",
                "127.0.0.1:5000/team/app:1",
                "127.0.0.1:5000/team/app:1",
            ),
            (
                "localhost/app",
                "localhost/app:latest",
                "localhost/app:latest",
            ),
            (
                "localhost:5000",
                "docker.io/library/localhost:5000",
                "localhost:5000",
            ),
            (
                "a/b/c/d:Tag_1.x-y",
                "docker.io/a/b/c/d:Tag_1.x-y",
                "a/b/c/d:Tag_1.x-y",
            ),
            (
                "my-app__x.y---z",
                "docker.io/library/my-app__x.y---z:latest",
                "my-app__x.y---z:latest",
            ),
            ("Registry/app", "Registry/app:latest", "Registry/app:latest"),
            (
                "my_host.com/app",
                "docker.io/my_host.com/app:latest",
                "my_host.com/app:latest",
            ),
            (
                "localhost:99999/app",
                "localhost:99999/app:latest",
                "localhost:99999/app:latest",
            ),
        ] {
            let r = ok(input);
            assert_eq!(r.canonical, canonical, "{input}");
            assert_eq!(r.familiar, familiar, "{input}");
        }
        let r = ok(&format!("127.0.0.1:5000/app@{D}"));
        assert_eq!(r.digest.as_deref(), Some(D));
        assert_eq!((r.tag.as_deref(), r.tag_implied), (None, false));
        assert_eq!(r.namespace, "");
        assert_eq!(r.path(), "app");
        let r = ok(&format!("busybox:1@{D}"));
        assert_eq!(r.canonical, format!("docker.io/library/busybox:1@{D}"));
    }

    #[test]
    fn what_learners_type_wrong_is_refused_with_the_reason() {
        let long_tag = "t".repeat(129);
        let long_name = format!("{}/x", "a".repeat(250));
        let hex64 = "a".repeat(64);
        for (input, why) in [
            ("", "is empty"),
            ("my app", "no spaces"),
            ("Nginx", "must be lowercase"),
            ("team/MyApp:1", "must be lowercase"),
            ("nginx:", "tag after `:` is empty"),
            (":1", "no name before `:`"),
            ("nginx@", "has no `:`"),
            ("@sha256:abc", "sha256 needs 64"),
            (
                "nginx@md5:0123456789abcdef0123456789abcdef",
                "not one Docker accepts",
            ),
            ("nginx@sha256:0123", "has 4 hex digits; sha256 needs 64"),
            (
                &format!("nginx@{}", D.to_uppercase().replace("SHA", "sha")),
                "lowercase hex",
            ),
            (
                &format!("nginx:{long_tag}"),
                "129 characters; the limit is 128",
            ),
            (&long_name, "the limit is 255"),
            ("team//app", "empty part"),
            ("team/app/", "empty part"),
            ("localhost:abc/app", "port `abc` is not a number"),
            ("localhost:/app", "has no port"),
            ("a-.com/app", "not a host name"),
            ("-app", "starts or ends with a separator"),
            ("a..b", "separator `..`"),
            ("a___b", "separator `___`"),
            ("app:-1", "not starting with"),
            ("app:1!", "not starting with"),
            ("caf\u{e9}", "contains"),
            (hex64.as_str(), "image ID"),
        ] {
            match parse(input) {
                Ok(r) => panic!("{input:?} was accepted as {}", r.canonical),
                Err(e) => assert!(e.to_string().contains(why), "{input:?}: {e}"),
            }
        }
    }

    #[test]
    fn the_255_limit_counts_the_implied_registry_like_the_cli() {
        // docker.io/ (10) + 245 = 255: accepted; one more is refused.
        let ok_name = format!("a/{}", "b".repeat(243));
        assert_eq!(ok(&ok_name).name().len(), 255);
        assert!(parse(&format!("a/{}", "b".repeat(244))).is_err());
    }

    #[test]
    fn no_input_makes_it_panic() {
        // A deterministic xorshift walk over the characters that matter to
        // the grammar, plus multi-byte ones to catch slicing mistakes.
        let alphabet: Vec<char> = "aZ09:/@._-__sha256:f\u{e9}\u{d55c} \t[]".chars().collect();
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let mut accepted = 0;
        for _ in 0..100_000 {
            let len = (next() % 24) as usize;
            let s: String = (0..len)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                .collect();
            if let Ok(r) = parse(&s) {
                accepted += 1;
                // The canonical form of whatever is accepted is a fixed point.
                let again = parse(&r.canonical).map(|a| a.canonical);
                assert_eq!(again.as_ref(), Ok(&r.canonical), "{s:?}");
            }
        }
        assert!(
            accepted > 100,
            "the walk should hit valid names too ({accepted})"
        );
    }
}
