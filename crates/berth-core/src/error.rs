//! The core's one error type. Each variant is a case a caller treats
//! differently; the engine's own message is always kept verbatim.

use crate::engine::endpoint::Attempt;
use crate::said::Said;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No engine answered at any endpoint tried; each attempt says why.
    #[error("no Docker engine answered ({})", summarize(.attempts))]
    EngineUnreachable { attempts: Vec<Attempt> },
    /// Something the user (or the environment) gave is malformed. `said`,
    /// where there is one, is the same as a code the window says in the
    /// user's language.
    #[error("{field}: {message}")]
    InvalidInput {
        field: String,
        message: String,
        said: Option<Box<Said>>,
    },
    /// The engine answered 404.
    #[error("{message}")]
    NotFound {
        message: String,
        said: Option<Box<Said>>,
    },
    /// A registry wants credentials (or refused the ones given).
    #[error("{message}")]
    AuthRequired {
        registry: String,
        message: String,
        said: Option<Box<Said>>,
    },
    /// The engine answered 409 (in use, already exists, is running...),
    /// or Berth saw it first; `said` as for `InvalidInput`.
    #[error("{message}")]
    Conflict {
        message: String,
        said: Option<Box<Said>>,
    },
    /// The user stopped it (a pull, a build, a copy); nothing half-done is
    /// left behind.
    #[error("{message}")]
    Cancelled {
        message: String,
        said: Option<Box<Said>>,
    },
    /// The connection to the engine could not be made or broke mid-call
    /// (a dropped socket, a timeout): the engine is unreachable, whatever
    /// the call was.
    #[error("the connection to the engine broke: {message}")]
    Disconnected { message: String },
    /// Any other answer of the engine.
    #[error("{message}")]
    Engine {
        status: Option<u16>,
        message: String,
        said: Option<Box<Said>>,
    },
}

fn summarize(attempts: &[Attempt]) -> String {
    attempts
        .iter()
        .map(|a| format!("{}: {}", a.endpoint, a.detail))
        .collect::<Vec<_>>()
        .join("; ")
}

impl Error {
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::InvalidInput {
            field: field.into(),
            message: message.into(),
            said: None,
        }
    }

    /// The engine's refusal by its HTTP status, its words kept.
    pub(crate) fn from_status(status: u16, message: String) -> Self {
        match status {
            404 => Error::NotFound {
                message,
                said: None,
            },
            409 => Error::Conflict {
                message,
                said: None,
            },
            // Podman answers 500 where Docker answers 409: a container in
            // the wrong state for the request (running, when removed).
            500 if message.contains("container state improper") => Error::Conflict {
                message,
                said: None,
            },
            s => Error::Engine {
                status: Some(s),
                message,
                said: None,
            },
        }
    }

    /// In use or already there, said as a code (and in English).
    pub fn conflict(said: Said) -> Self {
        Error::Conflict {
            message: said.to_string(),
            said: Some(Box::new(said)),
        }
    }

    /// Not there, said as a code (and in English).
    pub fn not_found(said: Said) -> Self {
        Error::NotFound {
            message: said.to_string(),
            said: Some(Box::new(said)),
        }
    }

    /// A registry's refusal or demand for credentials, said as a code.
    pub fn auth(registry: impl Into<String>, said: Said) -> Self {
        Error::AuthRequired {
            registry: registry.into(),
            message: said.to_string(),
            said: Some(Box::new(said)),
        }
    }

    /// Stopped by the user, said as a code.
    pub fn cancelled(said: Said) -> Self {
        Error::Cancelled {
            message: said.to_string(),
            said: Some(Box::new(said)),
        }
    }

    /// Any other failure Berth describes itself (the engine's or system's
    /// words, where there are some, a value of the code).
    pub fn failed(said: Said) -> Self {
        Error::Engine {
            status: None,
            message: said.to_string(),
            said: Some(Box::new(said)),
        }
    }

    /// Berth's own words for this error, where it has them.
    /// The input field at fault, for an invalid input.
    pub fn field(&self) -> Option<&str> {
        match self {
            Error::InvalidInput { field, .. } => Some(field),
            _ => None,
        }
    }

    pub fn said_code(&self) -> Option<&Said> {
        match self {
            Error::InvalidInput { said, .. }
            | Error::NotFound { said, .. }
            | Error::AuthRequired { said, .. }
            | Error::Conflict { said, .. }
            | Error::Cancelled { said, .. }
            | Error::Engine { said, .. } => said.as_deref(),
            Error::EngineUnreachable { .. } | Error::Disconnected { .. } => None,
        }
    }

    /// A file or folder of this machine that could not be read or written,
    /// under `field`, the system's words kept.
    pub fn path(field: impl Into<String>, path: &std::path::Path, e: &std::io::Error) -> Self {
        Error::said(
            field,
            Said::PathFailed {
                path: path.display().to_string(),
                detail: e.to_string(),
            },
        )
    }

    /// One of Berth's own background tasks panicked or was dropped.
    pub fn task(e: impl std::fmt::Display) -> Self {
        Error::failed(Said::TaskFailed {
            detail: e.to_string(),
        })
    }

    /// Bad input under `field`, said as a code (and in English).
    pub fn said(field: impl Into<String>, said: Said) -> Self {
        Error::InvalidInput {
            field: field.into(),
            message: said.to_string(),
            said: Some(Box::new(said)),
        }
    }
}

impl From<bollard::errors::Error> for Error {
    fn from(e: bollard::errors::Error) -> Self {
        use bollard::errors::Error as B;
        match e {
            B::DockerResponseServerError {
                status_code,
                message,
            } => Error::from_status(status_code, message),
            e @ (B::IOError { .. }
            | B::HyperResponseError { .. }
            | B::HyperLegacyError { .. }
            | B::RequestTimeoutError
            | B::SocketNotFoundError(_)) => Error::Disconnected {
                message: e.to_string(),
            },
            other => Error::Engine {
                status: None,
                message: other.to_string(),
                said: None,
            },
        }
    }
}

pub type Result<T> = std::result::Result<T, Error>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dropped_socket_is_a_lost_engine_not_a_failure() {
        let io = std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "connection reset by peer",
        );
        let e: Error = bollard::errors::Error::from(io).into();
        assert!(matches!(e, Error::Disconnected { .. }), "{e:?}");
        assert!(e.to_string().contains("connection reset by peer"), "{e}");
        let e: Error = bollard::errors::Error::RequestTimeoutError.into();
        assert!(matches!(e, Error::Disconnected { .. }), "{e:?}");
        let e: Error = bollard::errors::Error::DockerResponseServerError {
            status_code: 409,
            message: "in use".into(),
        }
        .into();
        assert!(matches!(e, Error::Conflict { .. }), "{e:?}");
    }
}
