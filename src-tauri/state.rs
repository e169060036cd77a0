//! What the app holds between commands: the engine connection kept by
//! `berth_core::engine::watch`, and the settings store.

use std::sync::{Arc, RwLock};

use berth_core::containers::ContainerRow;
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
    pub first_list: FirstList,
}

type Listing = tokio::task::JoinHandle<berth_core::error::Result<Vec<ContainerRow>>>;

/// The container list, asked as soon as the engine connects, so that the
/// window's first ask finds it under way or done: launch overlaps it with
/// WebKit's start (issue 19). Taken once; a container event, or the
/// connection going, throws it away, so it is never older than what the
/// engine has told.
#[derive(Default)]
pub struct FirstList(std::sync::Mutex<Option<(bool, Listing)>>);

impl FirstList {
    /// Starts listing (`all`: stopped ones too) on this engine.
    pub fn start(&self, engine: Engine, all: bool) {
        let job = tokio::spawn(async move { engine.list_containers(all).await });
        self.put(Some((all, job)));
    }

    pub fn clear(&self) {
        self.put(None);
    }

    fn put(&self, next: Option<(bool, Listing)>) {
        let old = std::mem::replace(&mut *self.0.lock().unwrap_or_else(|p| p.into_inner()), next);
        if let Some((_, job)) = old {
            job.abort();
        }
    }

    /// The list started for the same `all`, once; None if there is none.
    pub async fn take(&self, all: bool) -> Option<berth_core::error::Result<Vec<ContainerRow>>> {
        let taken = self.0.lock().unwrap_or_else(|p| p.into_inner()).take();
        match taken {
            Some((a, job)) if a == all => job.await.ok(),
            Some((_, job)) => {
                job.abort();
                None
            }
            None => None,
        }
    }
}

impl EngineState {
    pub fn new() -> Self {
        EngineState {
            status: RwLock::new(Status::Connecting),
            engine: RwLock::new(None),
            retry: Arc::new(Notify::new()),
            first_list: FirstList::default(),
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
