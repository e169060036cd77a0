//! The one shape that keeps every client of Berth's unchanged for engines
//! that are not a plain socket (SSH, TCP with TLS): a private local socket
//! (0600, in a 0700 folder of the user's runtime folder). Each connection
//! to it is piped to the engine by a dialer: an SSH channel running
//! `docker system dial-stdio`, or a TLS connection checked against the
//! context's CA.

use std::future::Future;
use std::path::{Path, PathBuf};

use tokio::io::{AsyncRead, AsyncWrite};

/// A live tunnel: the local socket, served while this lives.
#[derive(Debug)]
pub struct Tunnel {
    pub socket: PathBuf,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Tunnel {
    fn drop(&mut self) {
        self.task.abort();
        let _ = std::fs::remove_file(&self.socket);
    }
}

/// Serves `socket`: each connection accepted is piped both ways to a
/// stream `dial` opens for it. A connection whose dial fails is closed,
/// which its client sees as a broken request (and E2 as the engine down).
#[cfg(unix)]
pub fn serve<D, F, S>(socket: &Path, dial: D) -> std::io::Result<Tunnel>
where
    D: Fn() -> F + Send + Sync + 'static,
    F: Future<Output = Option<S>> + Send + 'static,
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let listener = bind_private(socket)?;
    let dial = std::sync::Arc::new(dial);
    let task = tokio::spawn(async move {
        while let Ok((mut conn, _)) = listener.accept().await {
            let dial = dial.clone();
            tokio::spawn(async move {
                if let Some(mut stream) = dial().await {
                    let _ = tokio::io::copy_bidirectional(&mut conn, &mut stream).await;
                }
            });
        }
    });
    Ok(Tunnel {
        socket: socket.to_path_buf(),
        task,
    })
}

/// Windows has no unix sockets in tokio, and a loopback TCP port would be
/// open to every local user: refused plainly until a named pipe serves it.
#[cfg(not(unix))]
pub fn serve<D, F, S>(_socket: &Path, _dial: D) -> std::io::Result<Tunnel>
where
    D: Fn() -> F + Send + Sync + 'static,
    F: Future<Output = Option<S>> + Send + 'static,
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    Err(std::io::Error::new(
        std::io::ErrorKind::Unsupported,
        "remote engines need a private local socket, not yet made on Windows",
    ))
}

/// A unix socket only this user can open: in a 0700 folder, itself 0600.
#[cfg(unix)]
fn bind_private(path: &Path) -> std::io::Result<tokio::net::UnixListener> {
    use std::os::unix::fs::PermissionsExt;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    let _ = std::fs::remove_file(path);
    let l = tokio::net::UnixListener::bind(path)?;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    Ok(l)
}

/// Where the tunnel for `url` listens: the user's runtime folder, else a
/// private folder in the temporary folder; one socket per address.
pub fn socket_for(url: &str, runtime_dir: Option<&Path>) -> PathBuf {
    use sha2::Digest;
    let id = hex::encode(&sha2::Sha256::digest(url.as_bytes())[..8]);
    let dir = match runtime_dir {
        Some(d) => d.join("berth"),
        None => std::env::temp_dir().join(format!("berth-{}", local_user())),
    };
    dir.join(format!("engine-{id}.sock"))
}

/// The local user name (ssh's default remote user).
pub fn local_user() -> String {
    std::env::var("USER")
        .or_else(|_| std::env::var("LOGNAME"))
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "user".into())
}
