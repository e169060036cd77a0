//! A plain GET to the engine that returns the JSON as the engine sent it.
//!
//! bollard's typed `system df` follows API 1.52+, whose shape differs from the
//! one engines up to 1.51 send (Images/Containers/Volumes/BuildCache lists);
//! with typed parsing an older engine's answer would be silently empty. This
//! reads the raw JSON so [`crate::disk`] can understand both shapes.

use http_body_util::{BodyExt, Empty};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;

use crate::endpoint::Address;
use crate::error::{Error, Result};

/// GET `path` (e.g. `/system/df`) at API `version`; the body as JSON.
pub(crate) async fn get_json(
    address: &Address,
    version: &str,
    path: &str,
) -> Result<serde_json::Value> {
    let uri = format!("/v{version}{path}");
    let broken = |e: &dyn std::fmt::Display| Error::Engine {
        status: None,
        message: format!("GET {uri}: {e}"),
    };
    let req = hyper::Request::get(&uri)
        .header("Host", "docker")
        .body(Empty::<Bytes>::new())
        .map_err(|e| broken(&e))?;
    let resp = match address {
        #[cfg(unix)]
        Address::Unix(p) => {
            let stream = tokio::net::UnixStream::connect(p)
                .await
                .map_err(|e| broken(&e))?;
            send(stream, req).await?
        }
        Address::Tcp { host, port, .. } => {
            let stream = tokio::net::TcpStream::connect((host.as_str(), *port))
                .await
                .map_err(|e| broken(&e))?;
            send(stream, req).await?
        }
        other => {
            return Err(Error::Engine {
                status: None,
                message: format!("GET {uri}: not supported over {}", other.display()),
            })
        }
    };
    let status = resp.status();
    let body = resp
        .into_body()
        .collect()
        .await
        .map_err(|e| broken(&e))?
        .to_bytes();
    if !status.is_success() {
        let message = serde_json::from_slice::<serde_json::Value>(&body)
            .ok()
            .and_then(|v| v["message"].as_str().map(str::to_string))
            .unwrap_or_else(|| String::from_utf8_lossy(&body).into_owned());
        return Err(Error::Engine {
            status: Some(status.as_u16()),
            message,
        });
    }
    serde_json::from_slice(&body).map_err(|e| broken(&e))
}

async fn send<S>(
    stream: S,
    req: hyper::Request<Empty<Bytes>>,
) -> Result<hyper::Response<hyper::body::Incoming>>
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let broken = |e: hyper::Error| Error::Engine {
        status: None,
        message: e.to_string(),
    };
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(broken)?;
    tokio::spawn(conn);
    sender.send_request(req).await.map_err(broken)
}
