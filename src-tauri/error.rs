//! The one error type that crosses the IPC boundary. Its variants are the
//! cases the UI treats differently; the engine's own words are kept verbatim
//! in `message`.

use serde::Serialize;
use specta::Type;

#[derive(Debug, Clone, thiserror::Error, Serialize, Type)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum IpcError {
    /// No engine is connected: the UI shows the engine-down screen.
    #[error("{message}")]
    EngineUnreachable { message: String },
    /// Bad input; the UI puts the message next to the named field, said
    /// in the user's language where `said` carries its code.
    #[error("{field}: {message}")]
    InvalidInput {
        field: String,
        message: String,
        said: Option<Box<berth_core::said::Said>>,
    },
    #[error("{message}")]
    NotFound {
        message: String,
        said: Option<Box<berth_core::said::Said>>,
    },
    /// A registry asks for credentials: the UI points to logging in.
    #[error("{message}")]
    AuthRequired {
        registry: String,
        message: String,
        said: Option<Box<berth_core::said::Said>>,
    },
    /// In use, already exists, is running: the UI offers what to do.
    #[error("{message}")]
    Conflict {
        message: String,
        said: Option<Box<berth_core::said::Said>>,
    },
    /// The user stopped it; nothing half-done is left.
    #[error("{message}")]
    Cancelled {
        message: String,
        said: Option<Box<berth_core::said::Said>>,
    },
    /// Anything else the engine or the app said.
    #[error("{message}")]
    Failed {
        message: String,
        said: Option<Box<berth_core::said::Said>>,
    },
}

impl From<berth_core::Error> for IpcError {
    fn from(e: berth_core::Error) -> Self {
        use berth_core::Error as E;
        let message = e.to_string();
        match e {
            E::EngineUnreachable { .. } | E::Disconnected { .. } => {
                IpcError::EngineUnreachable { message }
            }
            E::InvalidInput {
                field,
                message,
                said,
            } => IpcError::InvalidInput {
                field,
                message,
                said,
            },
            E::NotFound { message, said } => IpcError::NotFound { message, said },
            E::Conflict { message, said } => IpcError::Conflict { message, said },
            E::AuthRequired {
                registry,
                message,
                said,
            } => IpcError::AuthRequired {
                registry,
                message,
                said,
            },
            E::Cancelled { message, said } => IpcError::Cancelled { message, said },
            E::Engine { message, said, .. } => IpcError::Failed { message, said },
        }
    }
}

pub type IpcResult<T> = Result<T, IpcError>;
