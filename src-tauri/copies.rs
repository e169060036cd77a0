//! Long transfers as streams: file copies in and out of containers (F2,
//! F3) and image pushes (B3), progress over the window's Channel, then the
//! outcome. Cancelling a copy (closing its task) raises the copy's cancel
//! flag, which the blocking tar side checks between reads; cancelling a
//! push closes its connection, which stops the engine's upload.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use berth_core::files::archive::Extracted;
use berth_core::files::CopyProgress;
use berth_core::Engine;
use tauri::ipc::Channel;

use crate::error::IpcError;

/// What a copy sends.
#[derive(Debug, Clone, serde::Serialize, specta::Type)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum CopyEvent {
    Progress {
        progress: CopyProgress,
    },
    /// Finished: what was placed, skipped (and why), changed. `Ended`
    /// follows.
    Done {
        result: Extracted,
    },
    /// The end: error None after `Done`, else why it failed (a conflict:
    /// names already there) or that it was cancelled.
    Ended {
        error: Option<IpcError>,
    },
}

/// Raises the flag when the task ends, however it ends.
struct CancelOnDrop(Arc<AtomicBool>);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

/// Sends a stream's outcome: its `done` message then `Ended { None }`, or
/// `Ended { error }`.
fn finish<T, M: serde::Serialize + tauri::ipc::IpcResponse + Clone>(
    channel: &Channel<M>,
    outcome: berth_core::error::Result<T>,
    done: impl FnOnce(T) -> M,
    ended: impl Fn(Option<IpcError>) -> M,
) {
    match outcome {
        Ok(v) => {
            let _ = channel.send(done(v));
            let _ = channel.send(ended(None));
        }
        Err(e) => {
            let _ = channel.send(ended(Some(e.into())));
        }
    }
}

pub async fn copy_in(
    engine: Engine,
    id: String,
    sources: Vec<String>,
    dest: String,
    channel: Channel<CopyEvent>,
) {
    let cancel = Arc::new(AtomicBool::new(false));
    let _guard = CancelOnDrop(cancel.clone());
    let ch = channel.clone();
    let sources: Vec<PathBuf> = sources.into_iter().map(PathBuf::from).collect();
    let r = engine
        .copy_in(&id, sources, &dest, cancel, move |progress| {
            let _ = ch.send(CopyEvent::Progress { progress });
        })
        .await;
    finish(
        &channel,
        r,
        |p| CopyEvent::Done {
            result: Extracted {
                files: p.files,
                bytes: p.bytes,
                ..Default::default()
            },
        },
        |error| CopyEvent::Ended { error },
    );
}

pub async fn copy_out(
    engine: Engine,
    id: String,
    paths: Vec<String>,
    dest: String,
    overwrite: bool,
    channel: Channel<CopyEvent>,
) {
    let cancel = Arc::new(AtomicBool::new(false));
    let _guard = CancelOnDrop(cancel.clone());
    let ch = channel.clone();
    let r = engine
        .copy_out(
            &id,
            paths,
            PathBuf::from(dest),
            overwrite,
            cancel,
            move |progress| {
                let _ = ch.send(CopyEvent::Progress { progress });
            },
        )
        .await;
    finish(
        &channel,
        r,
        |result| CopyEvent::Done { result },
        |error| CopyEvent::Ended { error },
    );
}

/// What listing a folder sends (F1): how far the archive has been read
/// (only on the slow path), then the entries.
#[derive(Debug, Clone, serde::Serialize, specta::Type)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum ListEvent {
    /// Bytes below the folder read so far, and entries seen.
    Progress { progress: CopyProgress },
    /// The folder's entries. `Ended` follows.
    Done { listing: berth_core::files::Listing },
    /// The end: error None after `Done`, else why (cancelled, no such path).
    Ended { error: Option<IpcError> },
}

/// Cancelling (closing the task) stops the archive's reading between reads.
pub async fn list(engine: Engine, id: String, path: String, channel: Channel<ListEvent>) {
    let cancel = Arc::new(AtomicBool::new(false));
    let _guard = CancelOnDrop(cancel.clone());
    let ch = channel.clone();
    let r = engine
        .list_dir_watched(&id, &path, cancel, move |progress| {
            let _ = ch.send(ListEvent::Progress { progress });
        })
        .await;
    finish(
        &channel,
        r,
        |listing| ListEvent::Done { listing },
        |error| ListEvent::Ended { error },
    );
}

/// What a push sends.
#[derive(Debug, Clone, serde::Serialize, specta::Type)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum PushProgress {
    Progress {
        event: berth_core::images::push::PushEvent,
    },
    /// Pushed: the repo digest. `Ended` follows.
    Done { digest: String },
    /// The end: error None after `Done`, else why (`authRequired` when the
    /// registry wants a login).
    Ended { error: Option<IpcError> },
}

pub async fn push(engine: Engine, image: String, channel: Channel<PushProgress>) {
    let ch = channel.clone();
    let r = engine
        .push(&image, None, move |event| {
            let _ = ch.send(PushProgress::Progress { event });
        })
        .await;
    finish(
        &channel,
        r,
        |digest| PushProgress::Done { digest },
        |error| PushProgress::Ended { error },
    );
}

/// What a build sends: each step as it goes, then the image or the reason.
#[derive(Debug, Clone, serde::Serialize, specta::Type)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum BuildProgress {
    Progress {
        event: berth_core::build::BuildEvent,
    },
    /// Built: the image. `Ended` follows.
    Done { built: berth_core::build::Built },
    /// The end: error None after `Done`, else why, the engine's words kept
    /// (where it failed came before as a `failed` event).
    Ended { error: Option<IpcError> },
}

/// Cancelling (closing the task) drops the build's connection, which
/// stops the engine's build and the context's upload. A step's output lines
/// go in batches (joined by newlines, at most every 50 ms), so a RUN that
/// prints a million lines is a few hundred messages, not a million.
pub async fn build(
    engine: Engine,
    form: berth_core::build::BuildForm,
    channel: Channel<BuildProgress>,
) {
    use berth_core::build::BuildEvent;
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<BuildEvent>();
    let ch = channel.clone();
    let forward = async move {
        let send = |event| {
            let _ = ch.send(BuildProgress::Progress { event });
        };
        let flush = |pending: &mut Option<(Option<u32>, String)>| {
            if let Some((step, text)) = pending.take() {
                send(BuildEvent::Output { step, text });
            }
        };
        let mut pending: Option<(Option<u32>, String)> = None;
        let mut tick = tokio::time::interval(std::time::Duration::from_millis(50));
        loop {
            tokio::select! {
                ev = rx.recv() => match ev {
                    Some(BuildEvent::Output { step, text }) => match &mut pending {
                        Some((s, buf)) if *s == step => {
                            buf.push('\n');
                            buf.push_str(&text);
                        }
                        _ => {
                            flush(&mut pending);
                            pending = Some((step, text));
                        }
                    },
                    Some(other) => {
                        flush(&mut pending);
                        send(other);
                    }
                    None => {
                        flush(&mut pending);
                        break;
                    }
                },
                _ = tick.tick() => flush(&mut pending),
            }
        }
    };
    let run = async move {
        engine
            .build(&form, move |event| {
                let _ = tx.send(event);
            })
            .await
    };
    let (r, ()) = tokio::join!(run, forward);
    finish(
        &channel,
        r,
        |built| BuildProgress::Done { built },
        |error| BuildProgress::Ended { error },
    );
}
