//! Open shells (C6): the keystroke side of each exec session, by id. The
//! output side runs as a task sending over the window's Channel; closing a
//! terminal drops its input, which ends the shell, and stops the task.

use std::collections::HashMap;
use std::pin::Pin;
use std::sync::atomic::{AtomicU32, Ordering};

use berth_core::terminal::{Session, Target, Wiring, DETACH_KEYS};
use berth_core::Engine;
use tauri::async_runtime::JoinHandle;
use tauri::ipc::Channel;
use tokio::io::{AsyncWrite, AsyncWriteExt};
use tokio::sync::Mutex;

use crate::error::{IpcError, IpcResult};
use crate::streams;

/// What a terminal sends: the TTY's bytes, then its end.
#[derive(Debug, Clone, serde::Serialize, specta::Type)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum TerminalEvent {
    Output {
        data: Vec<u8>,
    },
    /// The shell exited (reason None) or the connection broke.
    Ended {
        reason: Option<String>,
    },
}

/// An opened terminal: its id for input, resize and close.
#[derive(Debug, Clone, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Opened {
    pub terminal: u32,
    pub wiring: Wiring,
}

struct Open {
    target: Target,
    input: Pin<Box<dyn AsyncWrite + Send>>,
    output: JoinHandle<()>,
}

#[derive(Default)]
pub struct Terminals {
    next: AtomicU32,
    open: Mutex<HashMap<u32, Open>>,
}

fn gone(id: u32) -> IpcError {
    IpcError::NotFound {
        message: format!("terminal {id} is closed"),
    }
}

impl Terminals {
    /// Starts forwarding a session's output; returns its id and wiring.
    pub async fn open(&self, session: Session, channel: Channel<TerminalEvent>) -> Opened {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let output = tauri::async_runtime::spawn(streams::forward(
            session.output,
            channel,
            |data| TerminalEvent::Output { data },
            |reason| TerminalEvent::Ended { reason },
        ));
        self.open.lock().await.insert(
            id,
            Open {
                target: session.target,
                input: session.input,
                output,
            },
        );
        Opened {
            terminal: id,
            wiring: session.wiring,
        }
    }

    pub async fn input(&self, id: u32, data: &[u8]) -> IpcResult<()> {
        let mut open = self.open.lock().await;
        let t = open.get_mut(&id).ok_or_else(|| gone(id))?;
        let sent = async {
            t.input.write_all(data).await?;
            t.input.flush().await
        };
        sent.await.map_err(|e| IpcError::Failed {
            message: format!("terminal {id}: {e}"),
        })
    }

    pub async fn resize(&self, engine: &Engine, id: u32, cols: u16, rows: u16) -> IpcResult<()> {
        let target = self
            .open
            .lock()
            .await
            .get(&id)
            .ok_or_else(|| gone(id))?
            .target
            .clone();
        Ok(engine.resize_terminal(&target, cols, rows).await?)
    }

    pub async fn close(&self, id: u32) {
        if let Some(mut t) = self.open.lock().await.remove(&id) {
            if matches!(t.target, Target::Main(_)) {
                // Detach, so that closing the tab does not close the main
                // process's stdin (which would end an `-it` shell).
                let _ = t.input.write_all(DETACH_KEYS).await;
                let _ = t.input.flush().await;
            }
            let _ = t.input.shutdown().await;
            t.output.abort();
        }
    }
}
