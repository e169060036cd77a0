//! A plain GET to the engine that returns the JSON as the engine sent it.
//!
//! bollard's typed `system df` follows API 1.52+, whose shape differs from the
//! one engines up to 1.51 send (Images/Containers/Volumes/BuildCache lists);
//! with typed parsing an older engine's answer would be silently empty. This
//! reads the raw JSON so [`crate::storage::disk`] can understand both shapes.

use crate::said::Said;
use std::future::Future;
use std::pin::Pin;

use futures_util::FutureExt;
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;

use crate::engine::endpoint::Address;
use crate::error::{Error, Result};

/// Percent-encodes what is not safe in a URL path segment or query value.
pub(crate) fn percent(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// GET `path` (e.g. `/system/df`) at API `version`; the body as JSON.
pub(crate) async fn get_json(
    address: &Address,
    version: &str,
    path: &str,
) -> Result<serde_json::Value> {
    let (uri, resp, driver) = get(address, version, path).await?;
    let body = whole_body(&uri, resp, driver).await?;
    serde_json::from_slice(&body).map_err(|e| {
        Error::failed(Said::EngineAnswerUnreadable {
            request: format!("GET {uri}"),
            detail: e.to_string(),
        })
    })
}

/// Reads a whole (short) body, its connection driven by a spawned task.
async fn whole_body(
    uri: &str,
    resp: hyper::Response<hyper::body::Incoming>,
    driver: Driver,
) -> Result<Bytes> {
    tokio::spawn(driver);
    Ok(resp
        .into_body()
        .collect()
        .await
        .map_err(|e| {
            Error::failed(Said::EngineStreamBroke {
                request: format!("GET {uri}"),
                detail: e.to_string(),
            })
        })?
        .to_bytes())
}

/// What moves bytes between the socket and the response body. It must be
/// polled for the body to make progress: a caller reading a long body polls
/// it in its own task (see [`Driven`]); otherwise spawn it.
pub(crate) type Driver = Pin<Box<dyn Future<Output = ()> + Send>>;

/// GET `path` at API `version`: the response, its body not read yet, and its
/// connection's driver. An answer other than 2xx is an error carrying the
/// engine's message.
pub(crate) async fn get(
    address: &Address,
    version: &str,
    path: &str,
) -> Result<(String, hyper::Response<hyper::body::Incoming>, Driver)> {
    request(address, version, hyper::Method::GET, path, &[]).await
}

/// Like [`get`], with any method and extra headers (an empty body).
pub(crate) async fn request(
    address: &Address,
    version: &str,
    method: hyper::Method,
    path: &str,
    headers: &[(&str, &str)],
) -> Result<(String, hyper::Response<hyper::body::Incoming>, Driver)> {
    request_with_body(address, version, method, path, headers, Bytes::new()).await
}

/// POSTs `value` as JSON to `path`; the answer's body as JSON.
pub(crate) async fn post_json(
    address: &Address,
    version: &str,
    path: &str,
    value: &serde_json::Value,
) -> Result<serde_json::Value> {
    let (uri, resp, driver) = request_with_body(
        address,
        version,
        hyper::Method::POST,
        path,
        &[("Content-Type", "application/json")],
        Bytes::from(value.to_string()),
    )
    .await?;
    let body = whole_body(&uri, resp, driver).await?;
    serde_json::from_slice(&body).map_err(|e| {
        Error::failed(Said::EngineAnswerUnreadable {
            request: format!("POST {uri}"),
            detail: e.to_string(),
        })
    })
}

/// Like [`request`], with a body.
pub(crate) async fn request_with_body(
    address: &Address,
    version: &str,
    method: hyper::Method,
    path: &str,
    headers: &[(&str, &str)],
    body: Bytes,
) -> Result<(String, hyper::Response<hyper::body::Incoming>, Driver)> {
    let uri = format!("/v{version}{path}");
    let broken = |e: &dyn std::fmt::Display| {
        Error::failed(Said::EngineStreamBroke {
            request: format!("{method} {uri}"),
            detail: e.to_string(),
        })
    };
    let mut req = hyper::Request::builder()
        .method(method.clone())
        .uri(&uri)
        .header("Host", "docker");
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let req = req.body(Full::new(body)).map_err(|e| broken(&e))?;
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
            return Err(Error::failed(Said::NotOverThisConnection {
                request: format!("{method} {uri}"),
                address: other.display(),
            }))
        }
    };
    let (resp, driver) = resp;
    let status = resp.status();
    if !status.is_success() {
        let body = whole_body(&uri, resp, driver).await?;
        let message = serde_json::from_slice::<serde_json::Value>(&body)
            .ok()
            .and_then(|v| v["message"].as_str().map(str::to_string))
            .unwrap_or_else(|| String::from_utf8_lossy(&body).into_owned());
        return Err(Error::from_status(status.as_u16(), message));
    }
    Ok((uri, resp, driver))
}

/// Sends the request with the connection driven in this same task: on a
/// multi-threaded runtime a separately spawned connection task costs a
/// cross-thread wake-up per body chunk (measured: a million-line log took
/// 22 s instead of 6 s).
async fn send<S>(
    stream: S,
    req: hyper::Request<Full<Bytes>>,
) -> Result<(hyper::Response<hyper::body::Incoming>, Driver)>
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let broken = |e: hyper::Error| Error::Disconnected {
        message: e.to_string(),
    };
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(broken)?;
    let mut response = Box::pin(sender.send_request(req));
    let mut driver: Driver = Box::pin(
        async move {
            let _keep_open = sender;
            let _ = conn.await;
        }
        .fuse(),
    );
    let resp = std::future::poll_fn(|cx| {
        let _ = driver.as_mut().poll(cx);
        response.as_mut().poll(cx)
    })
    .await
    .map_err(broken)?;
    Ok((resp, driver))
}

/// A response body read in the task that also drives its connection.
pub(crate) struct Driven {
    pub body: hyper::body::Incoming,
    pub driver: Driver,
}

impl Driven {
    /// The next frame of the body (None at its end).
    pub async fn frame(
        &mut self,
    ) -> Option<std::result::Result<hyper::body::Frame<Bytes>, hyper::Error>> {
        use hyper::body::Body;
        std::future::poll_fn(|cx| {
            let _ = self.driver.as_mut().poll(cx);
            Pin::new(&mut self.body).poll_frame(cx)
        })
        .await
    }
}

/// A connection to the engine (unix socket or TCP; an SSH or TLS engine is
/// reached through its local tunnel, which is one of these).
pub(crate) enum Stream {
    #[cfg(unix)]
    Unix(tokio::net::UnixStream),
    Tcp(tokio::net::TcpStream),
}

pub(crate) async fn connect(address: &Address, what: &str) -> Result<Stream> {
    let broken = |e: &dyn std::fmt::Display| {
        Error::failed(Said::EngineStreamBroke {
            request: what.to_string(),
            detail: e.to_string(),
        })
    };
    match address {
        #[cfg(unix)]
        Address::Unix(p) => Ok(Stream::Unix(
            tokio::net::UnixStream::connect(p)
                .await
                .map_err(|e| broken(&e))?,
        )),
        Address::Tcp { host, port, .. } => Ok(Stream::Tcp(
            tokio::net::TcpStream::connect((host.as_str(), *port))
                .await
                .map_err(|e| broken(&e))?,
        )),
        other => Err(Error::failed(Said::NotOverThisConnection {
            request: what.to_string(),
            address: other.display(),
        })),
    }
}

/// The engine's refusal as an error: its JSON `message`, or the body as text.
async fn refusal(resp: hyper::Response<hyper::body::Incoming>) -> Error {
    let status = resp.status().as_u16();
    let body = resp
        .into_body()
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    let message = serde_json::from_slice::<serde_json::Value>(&body)
        .ok()
        .and_then(|v| v["message"].as_str().map(str::to_string))
        .unwrap_or_else(|| String::from_utf8_lossy(&body).into_owned());
    Error::from_status(status, message)
}

/// A POST to `uri` with the engine's Host and `headers`.
fn post<B>(uri: &str, headers: &[(&str, &str)], body: B) -> hyper::http::Result<hyper::Request<B>> {
    let mut req = hyper::Request::builder()
        .method(hyper::Method::POST)
        .uri(uri)
        .header("Host", "docker");
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    req.body(body)
}

/// `path` upgraded (`101 Switching Protocols`): the engine's `/session`. The
/// connection is then the caller's, raw.
pub(crate) async fn upgrade(
    address: &Address,
    version: &str,
    path: &str,
    headers: &[(&str, &str)],
) -> Result<TokioIo<hyper::upgrade::Upgraded>> {
    let uri = format!("/v{version}{path}");
    let what = format!("POST {uri}");
    let broken = |e: &dyn std::fmt::Display| {
        Error::failed(Said::EngineStreamBroke {
            request: what.clone(),
            detail: e.to_string(),
        })
    };
    let req = post(&uri, headers, Full::new(Bytes::new())).map_err(|e| broken(&e))?;
    async fn go<S>(
        stream: S,
        req: hyper::Request<Full<Bytes>>,
    ) -> std::result::Result<hyper::Response<hyper::body::Incoming>, hyper::Error>
    where
        S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
    {
        let (mut sender, conn) =
            hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
        tokio::spawn(conn.with_upgrades());
        sender.send_request(req).await
    }
    let resp = match connect(address, &what).await? {
        #[cfg(unix)]
        Stream::Unix(s) => go(s, req).await,
        Stream::Tcp(s) => go(s, req).await,
    }
    .map_err(|e| broken(&e))?;
    if resp.status() != hyper::StatusCode::SWITCHING_PROTOCOLS {
        return Err(refusal(resp).await);
    }
    let upgraded = hyper::upgrade::on(resp).await.map_err(|e| broken(&e))?;
    Ok(TokioIo::new(upgraded))
}

/// POSTs a streamed body to `path`: the response, its body not read yet.
/// The connection is driven by a task of its own (a build's answer is a
/// few messages a second, not a flood).
pub(crate) async fn post_stream<B>(
    address: &Address,
    version: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: B,
) -> Result<hyper::Response<hyper::body::Incoming>>
where
    B: hyper::body::Body<Data = Bytes> + Send + 'static,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let uri = format!("/v{version}{path}");
    let what = format!("POST {}", uri.split('?').next().unwrap_or(&uri));
    let broken = |e: &dyn std::fmt::Display| {
        Error::failed(Said::EngineStreamBroke {
            request: what.clone(),
            detail: e.to_string(),
        })
    };
    let req = post(&uri, headers, body).map_err(|e| broken(&e))?;
    async fn go<S, B>(
        stream: S,
        req: hyper::Request<B>,
    ) -> std::result::Result<hyper::Response<hyper::body::Incoming>, hyper::Error>
    where
        S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
        B: hyper::body::Body<Data = Bytes> + Send + 'static,
        B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        let (mut sender, conn) =
            hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
        tokio::spawn(conn);
        sender.send_request(req).await
    }
    let resp = match connect(address, &what).await? {
        #[cfg(unix)]
        Stream::Unix(s) => go(s, req).await,
        Stream::Tcp(s) => go(s, req).await,
    }
    .map_err(|e| broken(&e))?;
    if !resp.status().is_success() {
        return Err(refusal(resp).await);
    }
    Ok(resp)
}
