//! What the app holds between commands: the engine connection kept by
//! `berth_core::engine::watch`, and the settings store.

use std::sync::{Arc, RwLock};

use berth_core::engine::watch::Status;
use berth_core::settings::SettingsNotice;
use berth_core::Engine;
use tokio::sync::Notify;

use crate::error::{IpcError, IpcResult};

pub struct EngineState {
    pub status: RwLock<Status>,
    pub engine: RwLock<Option<Engine>>,
    /// Notified by the Retry button: reconnect now, not at the next tick.
    pub retry: Arc<Notify>,
}

impl EngineState {
    pub fn new() -> Self {
        EngineState {
            status: RwLock::new(Status::Connecting),
            engine: RwLock::new(None),
            retry: Arc::new(Notify::new()),
        }
    }

    /// The connected engine, or the error that sends the UI to the
    /// engine-down screen.
    pub fn engine(&self) -> IpcResult<Engine> {
        self.engine
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
            .ok_or_else(|| IpcError::EngineUnreachable {
                message: "no Docker engine is connected".into(),
            })
    }
}

pub struct SettingsState {
    /// Set when the settings file was damaged at start and moved aside.
    pub notice: Option<SettingsNotice>,
}
