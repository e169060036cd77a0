//! Long-running streams to the window (stats, logs, pulls, pushes, builds,
//! copies, terminals): each runs as a task that sends over its `tauri::ipc::Channel`,
//! has an id the window can cancel it by, and ends when the window's end of
//! the channel is gone.

use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Mutex;

use futures_util::{Stream, StreamExt};
use tauri::async_runtime::JoinHandle;
use tauri::ipc::Channel;

use crate::error::IpcError;

#[derive(Default)]
pub struct Streams {
    next: AtomicU32,
    tasks: Mutex<HashMap<u32, JoinHandle<()>>>,
}

impl Streams {
    pub fn spawn(&self, task: impl Future<Output = ()> + Send + 'static) -> u32 {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let mut tasks = self.tasks.lock().unwrap_or_else(|p| p.into_inner());
        tasks.retain(|_, t| !t.inner().is_finished());
        tasks.insert(id, tauri::async_runtime::spawn(task));
        id
    }

    /// Stops a stream; false if it had already ended.
    pub fn cancel(&self, id: u32) -> bool {
        match self
            .tasks
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&id)
        {
            Some(t) => {
                t.abort();
                true
            }
            None => false,
        }
    }
}

/// Sends each item of `stream` as `item(x)`; its end is sent once as
/// `end(None)`, or `end(Some(error))` when it broke. Every stream's message
/// enum ends with `Ended { error: Option<IpcError> }`, so the window tells
/// each end the same way. Stops quietly when nobody listens.
pub async fn forward<T, E, M>(
    stream: impl Stream<Item = Result<T, E>> + Send,
    channel: Channel<M>,
    item: impl Fn(T) -> M + Send,
    end: impl Fn(Option<IpcError>) -> M + Send,
) where
    E: Into<IpcError>,
    M: serde::Serialize + tauri::ipc::IpcResponse + Clone,
{
    let mut stream = std::pin::pin!(stream);
    while let Some(next) = stream.next().await {
        match next {
            Ok(x) => {
                if channel.send(item(x)).is_err() {
                    return;
                }
            }
            Err(e) => {
                let _ = channel.send(end(Some(e.into())));
                return;
            }
        }
    }
    let _ = channel.send(end(None));
}
