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

/// What a copy sends.
#[derive(Debug, Clone, serde::Serialize, specta::Type)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum CopyEvent {
    Progress {
        progress: CopyProgress,
    },
    /// Finished: what was placed, skipped (and why), changed.
    Done {
        result: Extracted,
    },
    /// Failed or cancelled: the reason, the engine's words kept.
    Ended {
        reason: String,
        conflict: bool,
    },
}

/// Raises the flag when the task ends, however it ends.
struct CancelOnDrop(Arc<AtomicBool>);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

fn ended(e: berth_core::Error) -> CopyEvent {
    CopyEvent::Ended {
        conflict: matches!(e, berth_core::Error::Conflict { .. }),
        reason: e.to_string(),
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
    let _ = channel.send(match r {
        Ok(p) => CopyEvent::Done {
            result: Extracted {
                files: p.files,
                bytes: p.bytes,
                ..Default::default()
            },
        },
        Err(e) => ended(e),
    });
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
    let _ = channel.send(match r {
        Ok(result) => CopyEvent::Done { result },
        Err(e) => ended(e),
    });
}

/// What a push sends.
#[derive(Debug, Clone, serde::Serialize, specta::Type)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum PushProgress {
    Progress {
        event: berth_core::images::push::PushEvent,
    },
    Done {
        digest: String,
    },
    /// Failed: the reason; `auth` when the registry wants a login.
    Ended {
        reason: String,
        auth: bool,
    },
}

pub async fn push(engine: Engine, image: String, channel: Channel<PushProgress>) {
    let ch = channel.clone();
    let r = engine
        .push(&image, None, move |event| {
            let _ = ch.send(PushProgress::Progress { event });
        })
        .await;
    let _ = channel.send(match r {
        Ok(digest) => PushProgress::Done { digest },
        Err(e) => PushProgress::Ended {
            auth: matches!(e, berth_core::Error::AuthRequired { .. }),
            reason: e.to_string(),
        },
    });
}

/// What a build sends: each step as it goes, then the image or the reason.
#[derive(Debug, Clone, serde::Serialize, specta::Type)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum BuildProgress {
    Progress {
        event: berth_core::build::BuildEvent,
    },
    Done {
        built: berth_core::build::Built,
    },
    /// Failed: the reason, the engine's words kept (where it failed came
    /// before as a `failed` event).
    Ended {
        reason: String,
    },
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
    let _ = channel.send(match r {
        Ok(built) => BuildProgress::Done { built },
        Err(e) => BuildProgress::Ended {
            reason: e.to_string(),
        },
    });
}
