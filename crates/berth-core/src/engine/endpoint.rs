//! Where the engine is, decided the way the docker CLI decides it.
//!
//! Order: `DOCKER_HOST`; else `DOCKER_CONTEXT`; else the `currentContext` of
//! `config.json` (in `DOCKER_CONFIG` or `~/.docker`); else the platform's
//! default sockets, then Podman's Docker-compatible sockets. An explicit choice
//! (the variable or a context) is the only candidate: if it fails, Berth says
//! so rather than quietly talking to some other engine.
//!
//! Resolution is pure over an [`Environment`] snapshot, so it is unit-tested
//! without touching the process environment.

use crate::said::Said;
use std::path::{Path, PathBuf};

use serde::Serialize;
use sha2::{Digest, Sha256};
use specta::Type;

use crate::engine::tls::TlsFiles;
use crate::error::{Error, Result};
use crate::platform::Os;

/// A way to reach an engine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Address {
    Unix(PathBuf),
    /// TCP: plain HTTP, or TLS with the certificates DOCKER_TLS_VERIFY
    /// (DOCKER_CERT_PATH) or the context names.
    Tcp {
        host: String,
        port: u16,
        tls: Option<TlsFiles>,
    },
    NamedPipe(String),
    Ssh(String),
}

impl Address {
    /// The address written the way DOCKER_HOST writes it.
    pub fn display(&self) -> String {
        match self {
            Address::Unix(p) => format!("unix://{}", p.display()),
            Address::Tcp { host, port, .. } => format!("tcp://{host}:{port}"),
            Address::NamedPipe(p) => format!("npipe://{p}"),
            Address::Ssh(s) => s.clone(),
        }
    }
}

/// Why this address is a candidate; shown on the Engine and engine-down screens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Source {
    /// The `DOCKER_HOST` environment variable.
    DockerHost,
    /// A docker context, named by `DOCKER_CONTEXT` or by config.json.
    Context {
        name: String,
        #[serde(rename = "fromEnv")]
        from_env: bool,
    },
    /// The platform's default location of the Docker socket.
    PlatformDefault,
    /// A Podman socket that speaks the Docker API.
    Podman,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub address: Address,
    pub source: Source,
}

/// The parts of the process environment that decide the endpoint.
#[derive(Debug, Clone, Default)]
pub struct Environment {
    pub docker_host: Option<String>,
    pub docker_context: Option<String>,
    pub docker_config: Option<PathBuf>,
    pub docker_tls_verify: bool,
    /// Where DOCKER_TLS_VERIFY's certificates are (`~/.docker` when unset).
    pub docker_cert_path: Option<PathBuf>,
    pub home: Option<PathBuf>,
    pub xdg_runtime_dir: Option<PathBuf>,
    /// The user's ssh agent (`SSH_AUTH_SOCK`), for SSH engines.
    pub ssh_auth_sock: Option<PathBuf>,
    /// The platform whose default sockets and pipes are tried.
    pub os: Os,
}

impl Environment {
    pub fn from_process() -> Self {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        Environment {
            docker_host: var("DOCKER_HOST"),
            docker_context: var("DOCKER_CONTEXT"),
            docker_config: var("DOCKER_CONFIG").map(PathBuf::from),
            docker_tls_verify: var("DOCKER_TLS_VERIFY").is_some(),
            docker_cert_path: var("DOCKER_CERT_PATH").map(PathBuf::from),
            home: crate::platform::process_home(),
            xdg_runtime_dir: var("XDG_RUNTIME_DIR").map(PathBuf::from),
            ssh_auth_sock: var("SSH_AUTH_SOCK").map(PathBuf::from),
            os: Os::current(),
        }
    }

    pub(crate) fn config_dir(&self) -> Option<PathBuf> {
        crate::platform::docker_config_dir(self.docker_config.as_deref(), self.home.as_deref())
    }
}

/// Parses a `DOCKER_HOST`-style value. `field` names where it came from, so a
/// bad value is reported as e.g. `DOCKER_HOST: unknown scheme "htp"`.
pub fn parse_host(field: &str, value: &str, tls: Option<TlsFiles>) -> Result<Address> {
    let value = value.trim();
    let bad = |said: Said| Err(Error::said(field, said));
    let v = || value.to_string();
    if value.is_empty() {
        return bad(Said::HostEmpty);
    }
    // Like the CLI, a bare "host:port" means tcp.
    let (scheme, rest) = match value.split_once("://") {
        Some((s, r)) => (s.to_ascii_lowercase(), r),
        None => ("tcp".to_string(), value),
    };
    match scheme.as_str() {
        "unix" => {
            if rest.is_empty() || !rest.starts_with('/') {
                return bad(Said::HostUnixPath { value: v() });
            }
            Ok(Address::Unix(PathBuf::from(rest)))
        }
        "npipe" => {
            if crate::platform::pipe_path(rest).is_none() {
                return bad(Said::HostPipePath { value: v() });
            }
            Ok(Address::NamedPipe(rest.to_string()))
        }
        "ssh" => {
            if rest.is_empty() {
                return bad(Said::HostSshHost { value: v() });
            }
            Ok(Address::Ssh(value.to_string()))
        }
        "tcp" | "http" | "https" => {
            let hostport = rest.split('/').next().unwrap_or("");
            if hostport.is_empty() {
                return bad(Said::HostTcpHost { value: v() });
            }
            let (host, port) = match hostport.rsplit_once(':') {
                // An IPv6 literal without port: [::1]
                Some((h, p)) if !p.contains(']') => {
                    let port: u16 = match p.parse() {
                        Ok(n) if n > 0 => n,
                        _ => {
                            return bad(Said::HostPort {
                                port: p.into(),
                                value: v(),
                            })
                        }
                    };
                    (h.to_string(), port)
                }
                _ => (
                    hostport.to_string(),
                    if tls.is_some() { 2376 } else { 2375 },
                ),
            };
            if host.is_empty() {
                return bad(Said::HostNoHostBeforePort { value: v() });
            }
            Ok(Address::Tcp { host, port, tls })
        }
        other => bad(Said::HostScheme {
            scheme: other.into(),
            value: v(),
        }),
    }
}

/// The folder name the CLI gives a context's metadata: sha256 of its name.
pub(crate) fn context_dir_name(name: &str) -> String {
    hex::encode(Sha256::digest(name.as_bytes()))
}

/// Reads the docker endpoint of a named context from its meta.json.
fn context_address(env: &Environment, name: &str, from_env: bool) -> Result<Address> {
    let field = if from_env {
        "DOCKER_CONTEXT".to_string()
    } else {
        "config.json currentContext".to_string()
    };
    let Some(config_dir) = env.config_dir() else {
        return Err(Error::said(field, Said::NoHome));
    };
    let meta = config_dir
        .join("contexts")
        .join("meta")
        .join(context_dir_name(name))
        .join("meta.json");
    let text = std::fs::read_to_string(&meta).map_err(|e| {
        Error::said(
            &field,
            Said::ContextMissing {
                name: name.into(),
                path: meta.display().to_string(),
                detail: e.to_string(),
            },
        )
    })?;
    let json: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        Error::said(
            &field,
            Said::PathFailed {
                path: meta.display().to_string(),
                detail: e.to_string(),
            },
        )
    })?;
    let docker = &json["Endpoints"]["docker"];
    let host = docker["Host"].as_str().ok_or_else(|| {
        Error::said(
            &field,
            Said::ContextNoEndpoint {
                name: name.into(),
                path: meta.display().to_string(),
            },
        )
    })?;
    let tls = context_tls(&config_dir, name, docker)?;
    parse_host(&format!("context {name:?} endpoint"), host, tls)
}

/// A context's TLS material, as the CLI keeps it:
/// `contexts/tls/<sha256(name)>/docker/{ca,cert,key}.pem`. A context that
/// skips checking the engine's certificate is refused.
pub(crate) fn context_tls(
    config_dir: &Path,
    name: &str,
    docker: &serde_json::Value,
) -> Result<Option<TlsFiles>> {
    let dir = config_dir
        .join("contexts")
        .join("tls")
        .join(context_dir_name(name))
        .join("docker");
    if docker["SkipTLSVerify"].as_bool() == Some(true) {
        return Err(Error::said(
            "context",
            Said::TlsSkipVerify { name: name.into() },
        ));
    }
    Ok(dir.exists().then(|| TlsFiles::in_folder(&dir)))
}

/// DOCKER_TLS_VERIFY's certificates: DOCKER_CERT_PATH, else `~/.docker`.
fn env_tls(env: &Environment) -> Option<TlsFiles> {
    if !env.docker_tls_verify {
        return None;
    }
    let dir = env
        .docker_cert_path
        .clone()
        .or_else(|| env.home.as_ref().map(|h| h.join(".docker")))?;
    Some(TlsFiles::in_folder(&dir))
}

pub(crate) fn current_context(env: &Environment) -> Option<String> {
    // A damaged config.json names no context (contexts::list says why).
    let json = crate::engine::docker_config::read_config(&env.config_dir()?).ok()?;
    json["currentContext"]
        .as_str()
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

fn platform_defaults(env: &Environment) -> Vec<Candidate> {
    crate::platform::default_endpoints(env.os, env.home.as_deref(), env.xdg_runtime_dir.as_deref())
        .into_iter()
        .filter_map(|(address, podman)| {
            Some(Candidate {
                address: parse_host("default", &address, None).ok()?,
                source: if podman {
                    Source::Podman
                } else {
                    Source::PlatformDefault
                },
            })
        })
        .collect()
}

/// The endpoints to try, in order.
pub fn candidates(env: &Environment) -> Result<Vec<Candidate>> {
    if let Some(host) = &env.docker_host {
        let address = parse_host("DOCKER_HOST", host, env_tls(env))?;
        return Ok(vec![Candidate {
            address,
            source: Source::DockerHost,
        }]);
    }
    let (context, from_env) = match &env.docker_context {
        Some(c) => (Some(c.clone()), true),
        None => (current_context(env), false),
    };
    if let Some(name) = context.filter(|n| n != "default") {
        let address = context_address(env, &name, from_env)?;
        return Ok(vec![Candidate {
            address,
            source: Source::Context { name, from_env },
        }]);
    }
    Ok(platform_defaults(env))
}

/// How one endpoint failed, in words a user can act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum Failure {
    /// Nothing at that path.
    NotFound,
    /// The socket exists but this user may not open it.
    PermissionDenied,
    /// Nothing listens there (a stale socket file or a closed port).
    Refused,
    /// Something answered, but not within the time limit.
    Timeout,
    /// Something answered, but it did not speak the Docker API.
    NotDocker,
    /// This kind of endpoint is not supported yet.
    Unsupported,
    /// SSH: the host's key is not in `known_hosts` yet (the user is asked).
    HostKeyUnknown,
    /// SSH: the host's key is not the one recorded (refused).
    HostKeyChanged,
    /// SSH: the host refused the user's keys.
    AuthFailed,
    /// SSH: a key file is locked with a passphrase (the user is asked).
    PassphraseNeeded,
    /// TLS: the engine's certificate is not signed by the CA Berth trusts.
    TlsUntrusted,
    /// TLS: a certificate (the engine's or the client's) is out of its dates.
    TlsExpired,
    /// TLS: the engine's certificate is made out for another name.
    TlsNameMismatch,
    /// TLS: the engine refused the client's certificate, or wants one.
    TlsRefused,
    /// TLS: a CA, certificate or key file is missing or does not read.
    TlsFiles,
    /// Any other error; the detail says which.
    Other,
}

/// One endpoint tried, and what happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Attempt {
    pub endpoint: String,
    pub source: Source,
    pub failure: Failure,
    /// The operating system's or engine's own words.
    pub detail: String,
    /// Berth's own words instead, where it has them (then `detail` is
    /// their English).
    pub said: Option<Said>,
    /// SSH on first contact: the key to show and, if the user trusts it,
    /// to record.
    pub host_key: Option<crate::engine::ssh::HostKey>,
    /// SSH: a key file to ask the passphrase of.
    pub locked_key: Option<String>,
}

/// Sorts an I/O error from connecting into a [`Failure`].
pub fn classify_io(e: &std::io::Error) -> Failure {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::NotFound => Failure::NotFound,
        K::PermissionDenied => Failure::PermissionDenied,
        K::ConnectionRefused => Failure::Refused,
        K::TimedOut => Failure::Timeout,
        _ => Failure::Other,
    }
}

pub(crate) fn path_exists(p: &Path) -> bool {
    std::fs::symlink_metadata(p).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env_in(dir: &Path) -> Environment {
        Environment {
            home: Some(dir.to_path_buf()),
            ..Default::default()
        }
    }

    #[test]
    fn docker_host_wins_and_is_the_only_candidate() {
        let mut env = Environment {
            docker_host: Some("unix:///tmp/x.sock".into()),
            docker_context: Some("other".into()),
            ..Default::default()
        };
        let c = candidates(&env).unwrap();
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].address, Address::Unix("/tmp/x.sock".into()));
        assert_eq!(c[0].source, Source::DockerHost);
        env.docker_host = Some("tcp://127.0.0.1:2375".into());
        assert_eq!(
            candidates(&env).unwrap()[0].address,
            Address::Tcp {
                host: "127.0.0.1".into(),
                port: 2375,
                tls: None
            }
        );
    }

    #[test]
    fn a_bare_host_and_port_means_tcp_like_the_cli() {
        assert_eq!(
            parse_host("DOCKER_HOST", "localhost:1234", None).unwrap(),
            Address::Tcp {
                host: "localhost".into(),
                port: 1234,
                tls: None
            }
        );
        assert_eq!(
            parse_host("DOCKER_HOST", "tcp://10.0.0.1", Some(TlsFiles::default())).unwrap(),
            Address::Tcp {
                host: "10.0.0.1".into(),
                port: 2376,
                tls: Some(TlsFiles::default())
            }
        );
    }

    #[test]
    fn garbage_docker_host_names_the_variable_and_the_value() {
        for bad in [
            "htp://x",
            "unix://",
            "unix://relative.sock",
            "tcp://",
            "tcp://host:99999",
            "tcp://host:abc",
            "tcp://:2375",
            "   ",
        ] {
            let e = candidates(&Environment {
                docker_host: Some(bad.into()),
                ..Default::default()
            })
            .unwrap_err();
            match e {
                Error::InvalidInput { field, message, .. } => {
                    assert_eq!(field, "DOCKER_HOST", "{bad}");
                    assert!(message.contains(bad.trim()), "{bad}: {message}");
                }
                other => panic!("{bad}: {other:?}"),
            }
        }
    }

    fn write_context(dir: &Path, name: &str, host: &str) {
        let meta = dir
            .join(".docker/contexts/meta")
            .join(context_dir_name(name));
        std::fs::create_dir_all(&meta).unwrap();
        std::fs::write(
            meta.join("meta.json"),
            format!(r#"{{"Name":"{name}","Metadata":{{}},"Endpoints":{{"docker":{{"Host":"{host}","SkipTLSVerify":false}}}}}}"#),
        )
        .unwrap();
    }

    #[test]
    fn a_named_pipe_must_name_a_pipe() {
        assert_eq!(
            parse_host("DOCKER_HOST", "npipe:////./pipe/docker_engine", None).unwrap(),
            Address::NamedPipe("//./pipe/docker_engine".into())
        );
        for bad in ["npipe://", "npipe://docker_engine", "npipe:////./pipe/"] {
            let e = parse_host("DOCKER_HOST", bad, None)
                .unwrap_err()
                .to_string();
            assert!(e.contains("DOCKER_HOST") && e.contains(bad), "{e}");
        }
    }

    #[test]
    fn the_current_context_in_config_json_is_read_from_its_meta_file() {
        let dir = tempfile::tempdir().unwrap();
        write_context(dir.path(), "lab", "unix:///srv/lab.sock");
        std::fs::write(
            dir.path().join(".docker/config.json"),
            r#"{"currentContext":"lab"}"#,
        )
        .unwrap();
        let c = candidates(&env_in(dir.path())).unwrap();
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].address, Address::Unix("/srv/lab.sock".into()));
        assert_eq!(
            c[0].source,
            Source::Context {
                name: "lab".into(),
                from_env: false
            }
        );
    }

    #[test]
    fn docker_context_overrides_config_json_and_a_missing_one_is_named() {
        let dir = tempfile::tempdir().unwrap();
        write_context(dir.path(), "lab", "unix:///srv/lab.sock");
        write_context(dir.path(), "ci", "tcp://127.0.0.1:2375");
        std::fs::write(
            dir.path().join(".docker/config.json"),
            r#"{"currentContext":"lab"}"#,
        )
        .unwrap();
        let mut env = env_in(dir.path());
        env.docker_context = Some("ci".into());
        assert!(matches!(
            candidates(&env).unwrap()[0].address,
            Address::Tcp { port: 2375, .. }
        ));
        env.docker_context = Some("nope".into());
        match candidates(&env).unwrap_err() {
            Error::InvalidInput { field, message, .. } => {
                assert_eq!(field, "DOCKER_CONTEXT");
                assert!(message.contains("`nope` not found"), "{message}");
            }
            e => panic!("{e:?}"),
        }
    }

    #[test]
    fn the_default_context_falls_back_to_platform_sockets_then_podman() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join(".docker")).unwrap();
        std::fs::write(
            dir.path().join(".docker/config.json"),
            r#"{"currentContext":"default"}"#,
        )
        .unwrap();
        let mut env = env_in(dir.path());
        env.xdg_runtime_dir = Some("/run/user/1000".into());
        let c = candidates(&env).unwrap();
        assert_eq!(c[0].address, Address::Unix("/var/run/docker.sock".into()));
        assert!(c
            .iter()
            .any(|c| c.address == Address::Unix(dir.path().join(".docker/run/docker.sock"))));
        let first_podman = c.iter().position(|c| c.source == Source::Podman).unwrap();
        assert!(c[..first_podman]
            .iter()
            .all(|c| c.source == Source::PlatformDefault));
        assert!(c
            .iter()
            .any(|c| c.address == Address::Unix("/run/user/1000/podman/podman.sock".into())));
    }

    #[test]
    fn windows_defaults_to_the_named_pipe() {
        let env = Environment {
            os: Os::Windows,
            ..Default::default()
        };
        assert_eq!(
            candidates(&env).unwrap()[0].address,
            Address::NamedPipe("//./pipe/docker_engine".into())
        );
    }

    #[test]
    fn a_corrupt_config_json_is_ignored_like_the_cli_default() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join(".docker")).unwrap();
        std::fs::write(dir.path().join(".docker/config.json"), "{not json").unwrap();
        let c = candidates(&env_in(dir.path())).unwrap();
        assert_eq!(c[0].source, Source::PlatformDefault);
    }
}
