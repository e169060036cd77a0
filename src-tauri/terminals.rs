//! Open shells (C6): the keystroke side of each exec session, by id. The
//! output side runs as a task sending over the window's Channel; closing a
//! terminal drops its input, which ends the shell, and stops the task.
//!
//! The map's lock is held only to find a terminal, never across a write:
//! each terminal's input has a lock of its own, so a shell that stops
//! reading (back-pressure) stalls its own keystrokes and nobody else's.

use berth_core::said::Said;
use std::collections::HashMap;
use std::pin::Pin;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;

use berth_core::containers::terminal::{Session, Target, Wiring, DETACH_KEYS};
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
    /// The shell exited (error None) or the connection broke.
    Ended {
        error: Option<IpcError>,
    },
}

/// An opened terminal: its id for input, resize and close.
#[derive(Debug, Clone, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Opened {
    pub terminal: u32,
    pub wiring: Wiring,
}

type Input = Pin<Box<dyn AsyncWrite + Send>>;

struct Open {
    target: Target,
    input: Mutex<Input>,
    output: JoinHandle<()>,
}

#[derive(Default)]
pub struct Terminals {
    next: AtomicU32,
    open: std::sync::Mutex<HashMap<u32, Arc<Open>>>,
}

/// How long closing waits for a terminal's own pending write before it
/// lets go of the terminal anyway.
const CLOSE_GRACE: Duration = Duration::from_secs(2);

fn gone(id: u32) -> IpcError {
    berth_core::Error::not_found(Said::TerminalClosed { id }).into()
}

impl Terminals {
    /// Starts forwarding a session's output; returns its id and wiring.
    pub async fn open(&self, session: Session, channel: Channel<TerminalEvent>) -> Opened {
        let output = tauri::async_runtime::spawn(streams::forward(
            session.output,
            channel,
            |data| TerminalEvent::Output { data },
            |error| TerminalEvent::Ended { error },
        ));
        Opened {
            terminal: self.insert(session.target, session.input, output),
            wiring: session.wiring,
        }
    }

    fn insert(&self, target: Target, input: Input, output: JoinHandle<()>) -> u32 {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let open = Arc::new(Open {
            target,
            input: Mutex::new(input),
            output,
        });
        self.map().insert(id, open);
        id
    }

    fn map(&self) -> std::sync::MutexGuard<'_, HashMap<u32, Arc<Open>>> {
        // A panic while holding it leaves the map itself intact.
        self.open.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn get(&self, id: u32) -> IpcResult<Arc<Open>> {
        self.map().get(&id).cloned().ok_or_else(|| gone(id))
    }

    pub async fn input(&self, id: u32, data: &[u8]) -> IpcResult<()> {
        let t = self.get(id)?;
        let mut input = t.input.lock().await;
        let sent = async {
            input.write_all(data).await?;
            input.flush().await
        };
        sent.await.map_err(|e| {
            berth_core::Error::failed(Said::TerminalWriteFailed {
                id,
                detail: e.to_string(),
            })
            .into()
        })
    }

    pub async fn resize(&self, engine: &Engine, id: u32, cols: u16, rows: u16) -> IpcResult<()> {
        let target = self.get(id)?.target.clone();
        Ok(engine.resize_terminal(&target, cols, rows).await?)
    }

    pub async fn close(&self, id: u32) {
        let Some(t) = self.map().remove(&id) else {
            return;
        };
        t.output.abort();
        let goodbye = async {
            let mut input = t.input.lock().await;
            if matches!(t.target, Target::Main(_)) {
                // Detach, so that closing the tab does not close the main
                // process's stdin (which would end an `-it` shell).
                let _ = input.write_all(DETACH_KEYS).await;
                let _ = input.flush().await;
            }
            let _ = input.shutdown().await;
        };
        // A shell that reads nothing would hold this forever; the input is
        // dropped (and the connection closed) when its last write gives up.
        let _ = tokio::time::timeout(CLOSE_GRACE, goodbye).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::AsyncReadExt;

    fn idle() -> JoinHandle<()> {
        tauri::async_runtime::spawn(async {})
    }

    #[tokio::test]
    async fn a_terminal_that_reads_nothing_stalls_no_other() {
        let terminals = Arc::new(Terminals::default());
        // A shell that never reads: 16 bytes of room, then writes wait.
        let (stuck_in, _stuck_shell) = tokio::io::duplex(16);
        let (live_in, mut live_shell) = tokio::io::duplex(1024);
        let exec = |id: &str| Target::Exec(id.to_string());
        let stuck = terminals.insert(exec("stuck"), Box::pin(stuck_in), idle());
        let live = terminals.insert(exec("live"), Box::pin(live_in), idle());

        let blocked = {
            let terminals = terminals.clone();
            tokio::spawn(async move { terminals.input(stuck, &[b'x'; 4096]).await })
        };
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert!(!blocked.is_finished(), "the stuck shell's write waits");

        let within = Duration::from_secs(5);
        tokio::time::timeout(within, terminals.input(live, b"ls\n"))
            .await
            .expect("input to another terminal went through")
            .unwrap();
        let mut got = [0u8; 3];
        live_shell.read_exact(&mut got).await.unwrap();
        assert_eq!(&got, b"ls\n");
        tokio::time::timeout(within, terminals.close(live))
            .await
            .expect("closing another terminal went through");
        assert!(matches!(
            terminals.input(live, b"x").await,
            Err(IpcError::NotFound { .. })
        ));
        // Closing the stuck one itself gives up after its grace.
        tokio::time::timeout(within, terminals.close(stuck))
            .await
            .expect("closing the stuck terminal gave up waiting");
        assert!(!blocked.is_finished(), "its write still waits, alone");
        blocked.abort();
    }
}
