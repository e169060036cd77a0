//! Long-running streams to the window (stats, logs, pulls, pushes, builds,
//! copies, terminals): each runs as a task that sends over its `tauri::ipc::Channel`,
//! has an id the window can cancel it by, and ends when the window's end of
//! the channel is gone.

use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::{Stream, StreamExt};
use tauri::async_runtime::JoinHandle;
use tauri::ipc::Channel;
use tokio::sync::Semaphore;

use crate::error::IpcError;

#[derive(Default)]
pub struct Streams {
    next: AtomicU32,
    tasks: Mutex<HashMap<u32, JoinHandle<()>>>,
    paces: Mutex<HashMap<u32, Arc<Pace>>>,
}

/// The window's say in how fast a stream comes (logs): a batch is read from
/// the engine and sent only while fewer than `IN_FLIGHT` sent batches are
/// undrawn, and the window tells which it drew (`stream_drawn`). A window
/// that falls behind (its main thread starved of CPU) so slows the reading,
/// and with it the engine's own work for the stream, instead of the
/// engine's work starving it further. A window that never tells (hidden,
/// or throttled) still gets a batch every `PACE_WAIT`.
pub struct Pace {
    undrawn: Semaphore,
}

/// Batches sent and not yet drawn, at most: one being drawn, one on its way.
pub const IN_FLIGHT: usize = 2;
pub const PACE_WAIT: Duration = Duration::from_millis(250);

impl Default for Pace {
    fn default() -> Self {
        Pace {
            undrawn: Semaphore::new(IN_FLIGHT),
        }
    }
}

impl Pace {
    /// Waits until a batch may be sent (or `PACE_WAIT` went by).
    pub async fn ready(&self) {
        if let Ok(Ok(permit)) = tokio::time::timeout(PACE_WAIT, self.undrawn.acquire()).await {
            permit.forget();
        }
    }

    /// The window drew `batches` more; never more credit than `IN_FLIGHT`.
    pub fn drawn(&self, batches: u32) {
        let room = IN_FLIGHT.saturating_sub(self.undrawn.available_permits());
        self.undrawn.add_permits((batches as usize).min(room));
    }
}

impl Streams {
    pub fn spawn(&self, task: impl Future<Output = ()> + Send + 'static) -> u32 {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let mut tasks = self.tasks.lock().unwrap_or_else(|p| p.into_inner());
        tasks.retain(|_, t| !t.inner().is_finished());
        self.paces
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .retain(|id, _| tasks.contains_key(id));
        tasks.insert(id, tauri::async_runtime::spawn(task));
        id
    }

    /// A stream the window paces (see `Pace`).
    pub fn spawn_paced<F: Future<Output = ()> + Send + 'static>(
        &self,
        task: impl FnOnce(Arc<Pace>) -> F,
    ) -> u32 {
        let pace = Arc::new(Pace::default());
        let id = self.spawn(task(pace.clone()));
        // The window learns the id from this command's answer, so it
        // cannot tell a draw before the pace is found by it.
        self.paces
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(id, pace);
        id
    }

    /// The window drew `batches` of a paced stream; false if it has ended
    /// (or is no paced stream of this app).
    pub fn drawn(&self, id: u32, batches: u32) -> bool {
        let running = self
            .tasks
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&id)
            .is_some_and(|t| !t.inner().is_finished());
        if !running {
            return false;
        }
        match self
            .paces
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&id)
        {
            Some(p) => {
                p.drawn(batches);
                true
            }
            None => false,
        }
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
    forward_paced(stream, channel, None, item, end).await
}

/// `forward`, each item read only when `pace` (if any) allows it.
pub async fn forward_paced<T, E, M>(
    stream: impl Stream<Item = Result<T, E>> + Send,
    channel: Channel<M>,
    pace: Option<Arc<Pace>>,
    item: impl Fn(T) -> M + Send,
    end: impl Fn(Option<IpcError>) -> M + Send,
) where
    E: Into<IpcError>,
    M: serde::Serialize + tauri::ipc::IpcResponse + Clone,
{
    let mut stream = std::pin::pin!(stream);
    loop {
        if let Some(p) = &pace {
            p.ready().await;
        }
        let Some(next) = stream.next().await else {
            break;
        };
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

#[cfg(test)]
mod tests {
    use super::{Pace, Streams, IN_FLIGHT, PACE_WAIT};

    #[tokio::test]
    async fn a_draw_is_told_only_to_a_paced_stream_still_running() {
        let streams = Streams::default();
        // An id the window made up, or a stream that is not paced.
        assert!(!streams.drawn(7, 1));
        let plain = streams.spawn(std::future::pending());
        assert!(!streams.drawn(plain, 1));
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let paced = streams.spawn_paced(|_| async move {
            let _ = rx.await;
        });
        assert!(streams.drawn(paced, u32::MAX));
        drop(tx);
        for _ in 0..100 {
            if !streams.drawn(paced, 1) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("a draw was still taken after the stream ended");
    }
    use std::time::{Duration, Instant};

    async fn took(pace: &Pace) -> Duration {
        let t = Instant::now();
        pace.ready().await;
        t.elapsed()
    }

    #[tokio::test]
    async fn a_stream_waits_for_the_window_to_draw_and_never_stalls() {
        let pace = Pace::default();
        // IN_FLIGHT batches go at once.
        for _ in 0..IN_FLIGHT {
            assert!(took(&pace).await < Duration::from_millis(50));
        }
        // The next waits for a draw; with none, it goes after PACE_WAIT.
        let waited = took(&pace).await;
        assert!(waited >= PACE_WAIT - Duration::from_millis(5), "{waited:?}");
        // A draw lets the next go at once.
        pace.drawn(1);
        assert!(took(&pace).await < Duration::from_millis(50));
        // Many draws told at once give no more credit than IN_FLIGHT.
        pace.drawn(100);
        assert_eq!(pace.undrawn.available_permits(), IN_FLIGHT);
        for _ in 0..IN_FLIGHT {
            pace.ready().await;
        }
        assert!(took(&pace).await >= PACE_WAIT - Duration::from_millis(5));
    }

    #[tokio::test]
    async fn a_draw_told_while_the_stream_waits_wakes_it() {
        let pace = std::sync::Arc::new(Pace::default());
        for _ in 0..IN_FLIGHT {
            pace.ready().await;
        }
        let p = pace.clone();
        let waiting = tokio::spawn(async move { took(&p).await });
        tokio::time::sleep(Duration::from_millis(40)).await;
        pace.drawn(1);
        let waited = waiting.await.unwrap();
        assert!(
            waited < PACE_WAIT - Duration::from_millis(100),
            "{waited:?}"
        );
    }
}
