//! Engines over TCP with TLS (E5b), as the docker CLI reaches them with
//! `--tlsverify`: `tcp://host:2376`, trusting only the CA the context (or
//! `DOCKER_CERT_PATH`) names, checking that the engine's certificate is made
//! out for the host, and showing the client's certificate when there is one.
//!
//! Berth speaks TLS itself (rustls), so that a wrong CA, an expired
//! certificate and a name mismatch are each named, then serves a private
//! local socket ([`crate::engine::tunnel`]) whose every connection is a TLS
//! connection to the engine, so that none of Berth's clients changes.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_rustls::rustls::{
    self,
    pki_types::{pem::PemObject, CertificateDer, PrivateKeyDer, ServerName},
    AlertDescription, CertificateError, ClientConfig, RootCertStore,
};
use tokio_rustls::TlsConnector;

use crate::engine::endpoint::Failure;
use crate::engine::tunnel::{self, Tunnel};
use crate::said::Said;

/// How long connecting and the first answer may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The certificates of one TLS engine: the CA to trust and, when the engine
/// asks for one, the client's certificate and key.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TlsFiles {
    pub ca: PathBuf,
    pub cert: Option<PathBuf>,
    pub key: Option<PathBuf>,
}

impl TlsFiles {
    /// `ca.pem`, `cert.pem` and `key.pem` in `dir`, as the CLI names them
    /// in `DOCKER_CERT_PATH` and in a context's TLS folder; the client pair
    /// only where it is there.
    pub fn in_folder(dir: &Path) -> TlsFiles {
        let there = |name: &str| Some(dir.join(name)).filter(|p| p.exists());
        TlsFiles {
            ca: dir.join("ca.pem"),
            cert: there("cert.pem"),
            key: there("key.pem"),
        }
    }
}

/// Why an engine could not be reached over TLS.
#[derive(Debug, Clone)]
pub struct TlsFailure {
    pub failure: Failure,
    /// Boxed: clippy's `result_large_err`.
    pub said: Box<Said>,
    /// The file at fault, when one is.
    pub file: Option<PathBuf>,
}

fn fail(failure: Failure, said: Said) -> TlsFailure {
    TlsFailure {
        failure,
        said: Box::new(said),
        file: None,
    }
}

/// A failure of the file at `path`.
fn of_file(path: &Path, failure: Failure, said: Said) -> TlsFailure {
    TlsFailure {
        file: Some(path.to_path_buf()),
        ..fail(failure, said)
    }
}

fn unreadable(path: &Path, detail: impl ToString) -> TlsFailure {
    of_file(
        path,
        Failure::TlsFiles,
        Said::PathFailed {
            path: path.display().to_string(),
            detail: detail.to_string(),
        },
    )
}

fn read_certs(path: &Path) -> Result<Vec<CertificateDer<'static>>, TlsFailure> {
    let bytes = std::fs::read(path).map_err(|e| unreadable(path, e))?;
    let certs = CertificateDer::pem_slice_iter(&bytes)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| {
            of_file(
                path,
                Failure::TlsFiles,
                Said::TlsPemBad {
                    path: path.display().to_string(),
                    detail: e.to_string(),
                },
            )
        })?;
    if certs.is_empty() {
        return Err(of_file(
            path,
            Failure::TlsFiles,
            Said::TlsNoCertificate {
                path: path.display().to_string(),
            },
        ));
    }
    Ok(certs)
}

/// A client certificate out of its dates is named before any connection.
fn check_dates(path: &Path, cert: &CertificateDer<'_>) -> Result<(), TlsFailure> {
    let Ok((_, parsed)) = x509_parser::parse_x509_certificate(cert.as_ref()) else {
        // rustls says what is wrong with it when it is used.
        return Ok(());
    };
    let validity = parsed.validity();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let file = path;
    let path = path.display().to_string();
    if validity.not_after.timestamp() < now {
        return Err(of_file(
            file,
            Failure::TlsExpired,
            Said::TlsClientExpired {
                path,
                date: validity.not_after.to_string(),
            },
        ));
    }
    if validity.not_before.timestamp() > now {
        return Err(of_file(
            file,
            Failure::TlsExpired,
            Said::TlsClientNotYet {
                path,
                date: validity.not_before.to_string(),
            },
        ));
    }
    Ok(())
}

/// The client configuration of `files`: only their CA trusted.
pub fn client_config(files: &TlsFiles) -> Result<Arc<ClientConfig>, TlsFailure> {
    if !files.ca.exists() {
        return Err(of_file(
            &files.ca,
            Failure::TlsFiles,
            Said::TlsNoCa {
                path: files.ca.display().to_string(),
            },
        ));
    }
    let mut roots = RootCertStore::empty();
    for c in read_certs(&files.ca)? {
        roots.add(c).map_err(|e| {
            of_file(
                &files.ca,
                Failure::TlsFiles,
                Said::TlsPemBad {
                    path: files.ca.display().to_string(),
                    detail: e.to_string(),
                },
            )
        })?;
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| {
            fail(
                Failure::Other,
                Said::TlsConfigBad {
                    detail: e.to_string(),
                },
            )
        })?
        .with_root_certificates(roots);
    let config = match (&files.cert, &files.key) {
        (None, None) => builder.with_no_client_auth(),
        (Some(cert), Some(key)) => {
            let chain = read_certs(cert)?;
            check_dates(cert, &chain[0])?;
            let bytes = std::fs::read(key).map_err(|e| unreadable(key, e))?;
            let der = PrivateKeyDer::from_pem_slice(&bytes).map_err(|e| {
                of_file(
                    key,
                    Failure::TlsFiles,
                    Said::TlsPemBad {
                        path: key.display().to_string(),
                        detail: e.to_string(),
                    },
                )
            })?;
            builder.with_client_auth_cert(chain, der).map_err(|e| {
                of_file(
                    key,
                    Failure::TlsFiles,
                    Said::TlsConfigBad {
                        detail: e.to_string(),
                    },
                )
            })?
        }
        (Some(one), None) | (None, Some(one)) => {
            return Err(of_file(
                one,
                Failure::TlsFiles,
                Said::TlsPairHalf {
                    path: one.display().to_string(),
                },
            ))
        }
    };
    Ok(Arc::new(config))
}

/// Names what rustls found wrong in a handshake or the first answer.
fn classify(address: &str, host: &str, files: &TlsFiles, e: &std::io::Error) -> TlsFailure {
    let ca = &files.ca;
    let inner = e
        .get_ref()
        .and_then(|i| i.downcast_ref::<rustls::Error>())
        .cloned();
    let address = address.to_string();
    let detail = e.to_string();
    match inner {
        Some(rustls::Error::InvalidCertificate(c)) => match c {
            CertificateError::UnknownIssuer | CertificateError::BadSignature => fail(
                Failure::TlsUntrusted,
                Said::TlsUnknownCa {
                    address,
                    ca: ca.display().to_string(),
                },
            ),
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
                fail(
                    Failure::TlsNameMismatch,
                    Said::TlsNameMismatch {
                        address,
                        host: host.to_string(),
                        detail,
                    },
                )
            }
            CertificateError::Expired
            | CertificateError::ExpiredContext { .. }
            | CertificateError::NotValidYet
            | CertificateError::NotValidYetContext { .. } => fail(
                Failure::TlsExpired,
                Said::TlsServerExpired { address, detail },
            ),
            _ => fail(Failure::TlsUntrusted, Said::TlsFailed { address, detail }),
        },
        Some(rustls::Error::AlertReceived(AlertDescription::CertificateExpired)) => fail(
            Failure::TlsExpired,
            Said::TlsClientRefusedExpired { address },
        ),
        Some(rustls::Error::AlertReceived(
            AlertDescription::CertificateRequired | AlertDescription::BadCertificate,
        )) if files.cert.is_none() => {
            fail(Failure::TlsRefused, Said::TlsNeedsClientCert { address })
        }
        Some(rustls::Error::AlertReceived(
            AlertDescription::BadCertificate
            | AlertDescription::CertificateRequired
            | AlertDescription::UnknownCA
            | AlertDescription::UnsupportedCertificate
            | AlertDescription::CertificateUnknown
            | AlertDescription::AccessDenied,
        )) => fail(
            Failure::TlsRefused,
            Said::TlsClientRefused { address, detail },
        ),
        _ => fail(Failure::Other, Said::TlsFailed { address, detail }),
    }
}

type Stream = tokio_rustls::client::TlsStream<tokio::net::TcpStream>;

async fn dial(
    connector: &TlsConnector,
    addr: &str,
    name: ServerName<'static>,
) -> std::io::Result<Stream> {
    let tcp = tokio::net::TcpStream::connect(addr).await?;
    tcp.set_nodelay(true)?;
    connector.connect(name, tcp).await
}

/// Connects once to check the engine (its certificate, and that it takes
/// Berth's), then serves a local socket at `socket` piping each connection
/// over its own TLS connection.
pub async fn open(
    host: &str,
    port: u16,
    files: &TlsFiles,
    socket: &Path,
) -> Result<Tunnel, TlsFailure> {
    let config = client_config(files)?;
    let addr = format!("{host}:{port}");
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let name = ServerName::try_from(bare.to_string()).map_err(|e| {
        fail(
            Failure::Other,
            Said::TlsFailed {
                address: addr.clone(),
                detail: e.to_string(),
            },
        )
    })?;
    let connector = TlsConnector::from(config);
    let timed_out = || {
        fail(
            Failure::Timeout,
            Said::NoAnswerWithin {
                address: addr.clone(),
                secs: CONNECT_TIMEOUT.as_secs() as u32,
            },
        )
    };
    // With TLS 1.3 the engine judges the client's certificate after the
    // client's side of the handshake is done: its verdict comes with the
    // first answer, so the check asks for one.
    let probe = async {
        let mut s = dial(&connector, &addr, name.clone()).await?;
        s.write_all(
            format!("GET /_ping HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").as_bytes(),
        )
        .await?;
        let mut head = [0u8; 12];
        let n = s.read(&mut head).await?;
        Ok::<_, std::io::Error>(head[..n].to_vec())
    };
    match tokio::time::timeout(CONNECT_TIMEOUT, probe).await {
        Err(_) => return Err(timed_out()),
        Ok(Err(e)) if e.get_ref().is_some_and(|i| i.is::<rustls::Error>()) => {
            return Err(classify(&addr, host, files, &e))
        }
        Ok(Err(e)) => {
            return Err(fail(
                crate::engine::endpoint::classify_io(&e),
                Said::TlsFailed {
                    address: addr.clone(),
                    detail: e.to_string(),
                },
            ))
        }
        Ok(Ok(head)) if !head.starts_with(b"HTTP/") => {
            return Err(fail(
                Failure::NotDocker,
                Said::TlsNotDocker {
                    address: addr.clone(),
                    detail: String::from_utf8_lossy(&head).into_owned(),
                },
            ))
        }
        Ok(Ok(_)) => {}
    }
    tunnel::serve(socket, move || {
        let connector = connector.clone();
        let addr = addr.clone();
        let name = name.clone();
        async move { dial(&connector, &addr, name).await.ok() }
    })
    .map_err(|e| {
        fail(
            Failure::Other,
            Said::PathFailed {
                path: socket.display().to_string(),
                detail: e.to_string(),
            },
        )
    })
}
