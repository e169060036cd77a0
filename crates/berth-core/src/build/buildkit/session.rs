//! A BuildKit session (B1): the engine's `/session` endpoint upgraded to
//! HTTP/2, on which Berth is the gRPC server the builder calls back: for a
//! secret's value (`--secret id=…,src=…`), for the SSH agent
//! (`--ssh default`), for registry credentials (a FROM from a registry
//! that wants a login), and for health. Nothing a secret holds is kept or
//! logged here: each is read from its file when the builder asks for it.

use std::collections::HashMap;
use std::path::PathBuf;
use std::pin::Pin;
use std::task::{Context, Poll};

use bollard_buildkit_proto::health::health_check_response::ServingStatus;
use bollard_buildkit_proto::health::health_server::{Health, HealthServer};
use bollard_buildkit_proto::health::{
    HealthCheckRequest, HealthCheckResponse, HealthListRequest, HealthListResponse,
};
use bollard_buildkit_proto::moby::buildkit::secrets::v1::secrets_server::{Secrets, SecretsServer};
use bollard_buildkit_proto::moby::buildkit::secrets::v1::{GetSecretRequest, GetSecretResponse};
use bollard_buildkit_proto::moby::filesync::v1::auth_server::{Auth, AuthServer};
use bollard_buildkit_proto::moby::filesync::v1::{
    CredentialsRequest, CredentialsResponse, FetchTokenRequest, FetchTokenResponse,
    GetTokenAuthorityRequest, GetTokenAuthorityResponse, VerifyTokenAuthorityRequest,
    VerifyTokenAuthorityResponse,
};
use bollard_buildkit_proto::moby::sshforward::v1::ssh_server::{Ssh, SshServer};
use bollard_buildkit_proto::moby::sshforward::v1::{
    BytesMessage, CheckAgentRequest, CheckAgentResponse,
};
use futures_util::{Stream, StreamExt};
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tonic::{Request, Response, Status};

use crate::engine::endpoint::Address;
use crate::error::{Error, Result};
use crate::said::Said;

/// The largest secret the builder takes (BuildKit's own limit).
pub const SECRET_MAX: u64 = 500 * 1024;

/// What the session serves.
#[derive(Default, Clone)]
pub(crate) struct Provides {
    /// Secret id → the file it is read from.
    pub secrets: HashMap<String, PathBuf>,
    /// The SSH agent's socket, for `--ssh default`.
    pub ssh_agent: Option<PathBuf>,
    /// The folders BuildKit syncs (the context, the Dockerfile's).
    pub folders: super::filesync::Folders,
    /// Names the folder across builds, so BuildKit keeps what it synced
    /// and asks only for what changed.
    pub shared_key: String,
}

struct SecretFiles(HashMap<String, PathBuf>);

#[tonic::async_trait]
impl Secrets for SecretFiles {
    async fn get_secret(
        &self,
        request: Request<GetSecretRequest>,
    ) -> std::result::Result<Response<GetSecretResponse>, Status> {
        let id = request.into_inner().id;
        let Some(path) = self.0.get(&id) else {
            return Err(Status::not_found(format!("secret {id} not found")));
        };
        // The path and the error kind only: never the value.
        let data = tokio::fs::read(path).await.map_err(|e| {
            Status::not_found(format!("secret {id}: {}: {}", path.display(), e.kind()))
        })?;
        Ok(Response::new(GetSecretResponse { data }))
    }
}

struct Healthy;

#[tonic::async_trait]
impl Health for Healthy {
    async fn check(
        &self,
        _: Request<HealthCheckRequest>,
    ) -> std::result::Result<Response<HealthCheckResponse>, Status> {
        Ok(Response::new(HealthCheckResponse {
            status: ServingStatus::Serving as i32,
        }))
    }

    async fn list(
        &self,
        _: Request<HealthListRequest>,
    ) -> std::result::Result<Response<HealthListResponse>, Status> {
        Ok(Response::new(HealthListResponse::default()))
    }

    type WatchStream =
        Pin<Box<dyn Stream<Item = std::result::Result<HealthCheckResponse, Status>> + Send>>;

    async fn watch(
        &self,
        _: Request<HealthCheckRequest>,
    ) -> std::result::Result<Response<Self::WatchStream>, Status> {
        Err(Status::unimplemented("watch"))
    }
}

/// Registry credentials, as the docker CLI's config gives them.
struct Logins;

#[tonic::async_trait]
impl Auth for Logins {
    async fn credentials(
        &self,
        request: Request<CredentialsRequest>,
    ) -> std::result::Result<Response<CredentialsResponse>, Status> {
        use crate::registry::credentials::{lookup, Credentials};
        let host = request.into_inner().host;
        let registry = if host == "registry-1.docker.io" {
            "docker.io".to_string()
        } else {
            host
        };
        match lookup(&registry).await {
            Ok((Credentials::Basic { user, secret }, _)) => {
                Ok(Response::new(CredentialsResponse {
                    username: user,
                    secret,
                }))
            }
            // No login: anonymous, as the CLI does.
            _ => Ok(Response::new(CredentialsResponse::default())),
        }
    }

    async fn fetch_token(
        &self,
        _: Request<FetchTokenRequest>,
    ) -> std::result::Result<Response<FetchTokenResponse>, Status> {
        Err(Status::unimplemented("fetch_token"))
    }

    async fn get_token_authority(
        &self,
        _: Request<GetTokenAuthorityRequest>,
    ) -> std::result::Result<Response<GetTokenAuthorityResponse>, Status> {
        Err(Status::unimplemented("get_token_authority"))
    }

    async fn verify_token_authority(
        &self,
        _: Request<VerifyTokenAuthorityRequest>,
    ) -> std::result::Result<Response<VerifyTokenAuthorityResponse>, Status> {
        Err(Status::unimplemented("verify_token_authority"))
    }
}

/// `--ssh default`: each forward is a connection to the agent's socket.
struct Agent(PathBuf);

type Bytes = Pin<Box<dyn Stream<Item = std::result::Result<BytesMessage, Status>> + Send>>;

#[tonic::async_trait]
impl Ssh for Agent {
    async fn check_agent(
        &self,
        _: Request<CheckAgentRequest>,
    ) -> std::result::Result<Response<CheckAgentResponse>, Status> {
        Ok(Response::new(CheckAgentResponse {}))
    }

    type ForwardAgentStream = Bytes;

    async fn forward_agent(
        &self,
        request: Request<tonic::Streaming<BytesMessage>>,
    ) -> std::result::Result<Response<Bytes>, Status> {
        #[cfg(unix)]
        {
            let sock = tokio::net::UnixStream::connect(&self.0)
                .await
                .map_err(|e| Status::unavailable(format!("{}: {e}", self.0.display())))?;
            let (rd, mut wr) = sock.into_split();
            let mut incoming = request.into_inner();
            tokio::spawn(async move {
                while let Some(Ok(m)) = incoming.next().await {
                    if wr.write_all(&m.data).await.is_err() {
                        break;
                    }
                }
                let _ = wr.shutdown().await;
            });
            let out = futures_util::stream::unfold(rd, |mut rd| async move {
                let mut buf = vec![0u8; 16 * 1024];
                match rd.read(&mut buf).await {
                    Ok(0) | Err(_) => None,
                    Ok(n) => {
                        buf.truncate(n);
                        Some((Ok(BytesMessage { data: buf }), rd))
                    }
                }
            });
            Ok(Response::new(Box::pin(out)))
        }
        #[cfg(not(unix))]
        {
            let _ = request;
            Err(Status::unimplemented(
                "ssh agent forwarding needs a unix socket",
            ))
        }
    }
}

/// The upgraded connection, as tonic's server takes one.
struct Conn(TokioIo<hyper::upgrade::Upgraded>);

impl tonic::transport::server::Connected for Conn {
    type ConnectInfo = ();
    fn connect_info(&self) -> Self::ConnectInfo {}
}

impl AsyncRead for Conn {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.0).poll_read(cx, buf)
    }
}

impl AsyncWrite for Conn {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.0).poll_write(cx, buf)
    }
    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.0).poll_flush(cx)
    }
    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.0).poll_shutdown(cx)
    }
}

/// A session open on the engine; it ends when this is dropped.
pub(crate) struct Session {
    pub id: String,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Session {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn random_id() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut out = String::new();
    for _ in 0..2 {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u128(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or(0),
        );
        out += &format!("{:016x}", h.finish());
    }
    out
}

/// Opens a session on the engine at `address` serving `provides`.
pub(crate) async fn open(address: &Address, version: &str, provides: Provides) -> Result<Session> {
    let id = random_id();
    let mut methods = vec![
        "/grpc.health.v1.Health/Check".to_string(),
        "/moby.filesync.v1.Auth/Credentials".to_string(),
        "/moby.filesync.v1.Auth/FetchToken".to_string(),
        "/moby.filesync.v1.Auth/GetTokenAuthority".to_string(),
        "/moby.filesync.v1.Auth/VerifyTokenAuthority".to_string(),
        "/moby.buildkit.secrets.v1.Secrets/GetSecret".to_string(),
        "/moby.filesync.v1.FileSync/DiffCopy".to_string(),
        "/moby.filesync.v1.FileSync/TarStream".to_string(),
    ];
    if provides.ssh_agent.is_some() {
        methods.push("/moby.sshforward.v1.SSH/CheckAgent".into());
        methods.push("/moby.sshforward.v1.SSH/ForwardAgent".into());
    }
    let mut headers: Vec<(&str, &str)> = vec![
        ("Upgrade", "h2c"),
        ("Connection", "Upgrade"),
        ("X-Docker-Expose-Session-Uuid", &id),
        ("X-Docker-Expose-Session-Name", "berth"),
        ("X-Docker-Expose-Session-Sharedkey", &provides.shared_key),
    ];
    for m in &methods {
        headers.push(("X-Docker-Expose-Session-Grpc-Method", m));
    }
    let io = crate::engine::raw::upgrade(address, version, "/session", &headers).await?;
    let mut router = tonic::transport::Server::builder()
        .add_service(HealthServer::new(Healthy))
        .add_service(AuthServer::new(Logins))
        .add_service(SecretsServer::new(SecretFiles(provides.secrets)))
        .add_service(
            bollard_buildkit_proto::moby::filesync::packet::file_sync_server::FileSyncServer::new(
                provides.folders,
            )
            .max_decoding_message_size(32 << 20)
            .max_encoding_message_size(32 << 20),
        );
    if let Some(sock) = provides.ssh_agent {
        router = router.add_service(SshServer::new(Agent(sock)));
    }
    let task = tokio::spawn(async move {
        let _ = router
            .serve_with_incoming(futures_util::stream::iter([Ok::<_, std::io::Error>(Conn(
                io,
            ))]))
            .await;
    });
    Ok(Session { id, task })
}

/// A secret's file, checked before the build starts: it must be a readable
/// file of at most [`SECRET_MAX`] bytes.
pub(crate) fn check_secret_file(field: &str, src: &str) -> Result<PathBuf> {
    let path = PathBuf::from(src.trim());
    match std::fs::metadata(&path) {
        Ok(m) if m.is_file() && m.len() <= SECRET_MAX => Ok(path),
        Ok(m) if m.is_file() => Err(Error::said(
            field,
            Said::SecretTooBig {
                path: path.display().to_string(),
                size: m.len(),
                max: SECRET_MAX,
            },
        )),
        Ok(_) => Err(Error::said(
            field,
            Said::NotAFile {
                path: path.display().to_string(),
            },
        )),
        Err(e) => Err(Error::path(field, &path, &e)),
    }
}
