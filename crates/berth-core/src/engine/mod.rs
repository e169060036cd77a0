//! A connection to one engine, and what the Engine screen shows about it.
//!
//! [`connect`] tries each candidate endpoint in order, checks that it speaks
//! the Docker API, and negotiates the API version down to what the engine
//! speaks (the Debian engine here is API 1.41; bollard defaults to 1.53).

pub(crate) mod compat;
pub mod contexts;
pub mod docker_config;
pub mod endpoint;
pub mod events;
pub(crate) mod raw;
pub mod ssh;
pub mod tls;
pub mod tunnel;
pub mod watch;

use crate::said::Said;
use std::time::Duration;

use bollard::Docker;
use serde::Serialize;
use specta::Type;

use crate::engine::endpoint::{Address, Attempt, Candidate, Environment, Failure, Source};
use crate::error::{Error, Result};

/// How long one call may take. Long enough for a busy engine's `system df`.
const CALL_TIMEOUT_SECS: u64 = 120;
/// How long a candidate may take to answer `/version` before the next is tried.
const PROBE_TIMEOUT: Duration = Duration::from_secs(5);

/// A connected engine. Cheap to clone (bollard's client is an `Arc` inside).
#[derive(Debug, Clone)]
pub struct Engine {
    pub(crate) docker: Docker,
    /// Where Berth's clients connect: for an SSH or TLS engine, its local
    /// tunnel.
    pub(crate) address: Address,
    pub(crate) source: Source,
    /// For an SSH or TLS engine: the address as the user wrote it, and the
    /// tunnel, served while any clone of this engine lives.
    pub(crate) remote: Option<Remote>,
}

/// An engine reached through a tunnel.
#[derive(Debug, Clone)]
pub(crate) struct Remote {
    /// The address as the user wrote it.
    address: Address,
    _tunnel: std::sync::Arc<tunnel::Tunnel>,
}

/// What the Engine screen shows.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct EngineInfo {
    pub endpoint: String,
    pub source: Source,
    /// Plain TCP without TLS: anyone on the network could drive this engine.
    pub insecure: bool,
    pub name: String,
    pub server_version: String,
    /// The API version both sides speak, after negotiation.
    pub api_version: String,
    /// The newest API version the engine speaks.
    pub engine_api_version: String,
    pub min_api_version: String,
    pub os: String,
    pub os_type: String,
    pub arch: String,
    pub kernel_version: String,
    pub storage_driver: String,
    pub docker_root_dir: String,
    pub cpus: u32,
    #[specta(type = crate::JsNumber)]
    pub memory_bytes: i64,
    pub containers: u32,
    pub containers_running: u32,
    pub containers_paused: u32,
    pub containers_stopped: u32,
    pub images: u32,
    /// Podman, Docker Engine, Docker Desktop...: from the version's components.
    pub product: String,
    /// Podman's Docker-compatible API (E5d), handled as such.
    pub podman: bool,
    /// What this engine does not have of Docker's, said plainly rather
    /// than met as an error.
    pub lacks: Vec<Lack>,
}

/// A part of Docker that an engine does not have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum Lack {
    /// Swarm mode: Podman has none (its API answers 404/503 there).
    Swarm,
    /// BuildKit: Podman builds with Buildah (no `RUN --mount`, no cache or
    /// secret mounts of BuildKit's).
    BuildKit,
}

impl Engine {
    /// Tries each candidate of `env` in order; the first that answers wins.
    pub async fn connect(env: &Environment) -> Result<Engine> {
        let candidates = endpoint::candidates(env)?;
        let mut attempts = Vec::new();
        for c in candidates {
            match Self::connect_with(&c, env).await {
                Ok(engine) => return Ok(engine),
                Err(a) => attempts.push(a),
            }
        }
        Err(Error::EngineUnreachable { attempts })
    }

    /// Connects to one endpoint, or says precisely why not.
    pub async fn connect_to(c: &Candidate) -> std::result::Result<Engine, Attempt> {
        Self::connect_with(c, &Environment::from_process()).await
    }

    /// As [`Engine::connect_to`], SSH reading `env`'s home folder
    /// (`~/.ssh`) and runtime folder (the tunnel's socket).
    pub async fn connect_with(
        c: &Candidate,
        env: &Environment,
    ) -> std::result::Result<Engine, Attempt> {
        let fail = |failure: Failure, detail: String| Attempt {
            endpoint: c.address.display(),
            source: c.source.clone(),
            failure,
            detail,
            said: None,
            host_key: None,
            locked_key: None,
        };
        let said = |failure: Failure, said: Said| Attempt {
            detail: said.to_string(),
            said: Some(said),
            ..fail(failure, String::new())
        };
        let version = bollard::API_DEFAULT_VERSION;
        let docker = match &c.address {
            Address::Unix(path) => {
                if !endpoint::path_exists(path) {
                    return Err(said(
                        Failure::NotFound,
                        Said::NoSocket {
                            path: path.display().to_string(),
                        },
                    ));
                }
                // A plain connect first: its io::Error tells "permission
                // denied" from "refused" precisely, which bollard's does not.
                #[cfg(unix)]
                if let Err(e) = tokio::net::UnixStream::connect(path).await {
                    return Err(fail(endpoint::classify_io(&e), e.to_string()));
                }
                Docker::connect_with_unix(&path.to_string_lossy(), CALL_TIMEOUT_SECS, version)
            }
            Address::Tcp {
                host,
                port,
                tls: Some(files),
            } => {
                let socket =
                    tunnel::socket_for(&c.address.display(), env.xdg_runtime_dir.as_deref());
                let opened = tls::open(host, *port, files, &socket)
                    .await
                    .map_err(|f| said(f.failure, *f.said))?;
                return Self::through(opened, c, &fail).await;
            }
            Address::Tcp {
                host,
                port,
                tls: None,
            } => {
                let addr = format!("{host}:{port}");
                match tokio::time::timeout(PROBE_TIMEOUT, tokio::net::TcpStream::connect(&addr))
                    .await
                {
                    Err(_) => {
                        return Err(said(
                            Failure::Timeout,
                            Said::NoAnswerWithin {
                                address: addr,
                                secs: PROBE_TIMEOUT.as_secs() as u32,
                            },
                        ))
                    }
                    Ok(Err(e)) => return Err(fail(endpoint::classify_io(&e), e.to_string())),
                    Ok(Ok(_)) => {}
                }
                Docker::connect_with_http(&format!("http://{addr}"), CALL_TIMEOUT_SECS, version)
            }
            #[cfg(windows)]
            Address::NamedPipe(p) => Docker::connect_with_named_pipe(p, CALL_TIMEOUT_SECS, version),
            #[cfg(not(windows))]
            Address::NamedPipe(_) => {
                return Err(said(Failure::Unsupported, Said::NamedPipesWindowsOnly))
            }
            Address::Ssh(url) => {
                let files = ssh::SshFiles {
                    home: env.home.clone().unwrap_or_else(|| "/".into()),
                    agent: env.ssh_auth_sock.clone(),
                };
                let socket = tunnel::socket_for(url, env.xdg_runtime_dir.as_deref());
                let opened = ssh::open(url, &files, &tunnel::local_user(), &socket)
                    .await
                    .map_err(|f| Attempt {
                        host_key: f.host_key,
                        locked_key: f.locked_key,
                        ..said(f.failure, f.said)
                    })?;
                return Self::through(opened, c, &fail).await;
            }
        }
        .map_err(|e| fail(Failure::Other, e.to_string()))?;

        let docker = Self::negotiated(docker, &fail).await?;
        Ok(Engine {
            docker,
            address: c.address.clone(),
            source: c.source.clone(),
            remote: None,
        })
    }

    /// The engine behind a tunnel just opened to `c`.
    async fn through(
        opened: tunnel::Tunnel,
        c: &Candidate,
        fail: &impl Fn(Failure, String) -> Attempt,
    ) -> std::result::Result<Engine, Attempt> {
        let tunnel = std::sync::Arc::new(opened);
        let docker = Docker::connect_with_unix(
            &tunnel.socket.to_string_lossy(),
            CALL_TIMEOUT_SECS,
            bollard::API_DEFAULT_VERSION,
        )
        .map_err(|e| fail(Failure::Other, e.to_string()))?;
        let docker = Self::negotiated(docker, fail).await?;
        Ok(Engine {
            address: Address::Unix(tunnel.socket.clone()),
            remote: Some(Remote {
                address: c.address.clone(),
                _tunnel: tunnel,
            }),
            docker,
            source: c.source.clone(),
        })
    }

    /// The client, its API version negotiated down to the engine's.
    async fn negotiated(
        docker: Docker,
        fail: &impl Fn(Failure, String) -> Attempt,
    ) -> std::result::Result<Docker, Attempt> {
        let negotiated = tokio::time::timeout(PROBE_TIMEOUT, docker.negotiate_version()).await;
        match negotiated {
            Err(_) => {
                let said = Said::NoVersionAnswer {
                    secs: PROBE_TIMEOUT.as_secs() as u32,
                };
                Err(Attempt {
                    detail: said.to_string(),
                    said: Some(said),
                    ..fail(Failure::Timeout, String::new())
                })
            }
            Ok(Err(e)) => {
                let detail = e.to_string();
                let failure = match e {
                    bollard::errors::Error::JsonDataError { .. }
                    | bollard::errors::Error::JsonSerdeError { .. }
                    | bollard::errors::Error::APIVersionParseError {} => Failure::NotDocker,
                    _ => Failure::Other,
                };
                Err(fail(failure, detail))
            }
            Ok(Ok(d)) => Ok(d),
        }
    }

    /// Why this endpoint was chosen.
    pub fn source(&self) -> &Source {
        &self.source
    }

    /// Whether the engine's published ports land on this machine (a local
    /// socket or pipe, or TCP to loopback), so a host port can be probed here.
    pub fn is_local(&self) -> bool {
        match self.remote.as_ref().map_or(&self.address, |r| &r.address) {
            Address::Unix(_) | Address::NamedPipe(_) => true,
            Address::Tcp { host, .. } => {
                host == "localhost"
                    || host
                        .parse::<std::net::IpAddr>()
                        .is_ok_and(|ip| ip.is_loopback())
            }
            Address::Ssh(_) => false,
        }
    }

    pub fn endpoint(&self) -> String {
        self.remote
            .as_ref()
            .map_or(&self.address, |r| &r.address)
            .display()
    }

    /// The address a helper CLI (the compose CLI) is given as DOCKER_HOST:
    /// for an SSH or TLS engine, Berth's own tunnel to it, so the helper
    /// needs neither ssh nor the certificates.
    pub fn tool_host(&self) -> String {
        self.address.display()
    }

    /// The bollard client, for integration tests and the benchmark.
    pub fn docker(&self) -> &Docker {
        &self.docker
    }

    /// The negotiated API version, e.g. "1.41".
    pub fn api_version(&self) -> String {
        let v = self.docker.client_version();
        format!("{}.{}", v.major_version, v.minor_version)
    }

    /// A cheap liveness check.
    pub async fn ping(&self) -> Result<()> {
        self.docker.ping().await?;
        Ok(())
    }

    /// Whether the engine is Podman's Docker-compatible API (which lacks
    /// Swarm and BuildKit).
    pub async fn is_podman(&self) -> Result<bool> {
        Ok(product_of(&self.docker.version().await?).contains("Podman"))
    }

    pub async fn info(&self) -> Result<EngineInfo> {
        let (info, version) = tokio::try_join!(self.docker.info(), self.docker.version())?;
        let product = product_of(&version);
        let n = |v: Option<i64>| v.unwrap_or(0).max(0) as u32;
        let podman = product.contains("Podman");
        Ok(EngineInfo {
            podman,
            lacks: if podman {
                vec![Lack::Swarm, Lack::BuildKit]
            } else {
                Vec::new()
            },
            endpoint: self.endpoint(),
            source: self.source.clone(),
            insecure: matches!(self.address, Address::Tcp { tls: None, .. }),
            name: info.name.unwrap_or_default(),
            server_version: version.version.unwrap_or_default(),
            api_version: self.api_version(),
            engine_api_version: version.api_version.unwrap_or_default(),
            min_api_version: version.min_api_version.unwrap_or_default(),
            os: info.operating_system.unwrap_or_default(),
            os_type: info.os_type.unwrap_or_default(),
            arch: info.architecture.unwrap_or_default(),
            kernel_version: info.kernel_version.unwrap_or_default(),
            storage_driver: info.driver.unwrap_or_default(),
            docker_root_dir: info.docker_root_dir.unwrap_or_default(),
            cpus: n(info.ncpu),
            memory_bytes: info.mem_total.unwrap_or(0),
            containers: n(info.containers),
            containers_running: n(info.containers_running),
            containers_paused: n(info.containers_paused),
            containers_stopped: n(info.containers_stopped),
            images: n(info.images),
            product,
        })
    }
}

/// What "Test connection" found for an address, before it is saved.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Tested {
    pub endpoint: String,
    /// The engine's version, when it answered.
    pub server_version: Option<String>,
    pub containers: Option<u32>,
    /// Why not, when it did not (an unknown SSH host key among them).
    pub attempt: Option<Attempt>,
}

impl Engine {
    /// Connects to `host` (as `DOCKER_HOST` writes it) once, to say whether
    /// it answers, without making it the engine in use.
    pub async fn test_host(env: &Environment, new: &contexts::NewContext) -> Result<Tested> {
        let address = new.address()?;
        let host = &new.host;
        let c = Candidate {
            address,
            source: Source::Context {
                name: new.name.trim().to_string(),
                from_env: false,
            },
        };
        Ok(match Self::connect_with(&c, env).await {
            Ok(engine) => {
                let v = engine.docker.version().await?;
                let n = engine.list_containers(true).await?.len();
                Tested {
                    endpoint: engine.endpoint(),
                    server_version: v.version,
                    containers: Some(crate::said::len32(n)),
                    attempt: None,
                }
            }
            Err(a) => Tested {
                endpoint: host.trim().to_string(),
                server_version: None,
                containers: None,
                attempt: Some(a),
            },
        })
    }
}

/// The engine's product name, from its version answer: "Docker Engine",
/// "Podman Engine", a platform's own name.
fn product_of(version: &bollard::models::SystemVersion) -> String {
    let component = version
        .components
        .as_ref()
        .and_then(|c| c.first())
        .map(|c| c.name.clone());
    match (version.platform.as_ref().map(|p| p.name.clone()), component) {
        (_, Some(c)) if c.contains("Podman") => c,
        (Some(p), _) if !p.is_empty() => p,
        // dockerd names its component plainly "Engine".
        (_, Some(c)) if c != "Engine" => c,
        _ => "Docker Engine".into(),
    }
}
