//! Images (I1-I8, B3): list, references, pull, details, tag, remove, prune, push.

use berth_core::images::details::ImageDetails;
use berth_core::images::prune::{PruneDone, PrunePlan};
use berth_core::images::pull::PullEvent;
use berth_core::images::reference::Reference;
use berth_core::images::{ImageRow, Removed};
use tauri::ipc::Channel;
use tauri::State;

use crate::copies::{self, PushProgress};
use crate::error::{IpcError, IpcResult};
use crate::state::EngineState;
use crate::streams::{self, Streams};

#[tauri::command]
#[specta::specta]
pub async fn list_images(state: State<'_, EngineState>) -> IpcResult<Vec<ImageRow>> {
    Ok(state.engine()?.list_images().await?)
}

/// Reads a reference as the CLI would (I7), for any field that takes one.
#[tauri::command]
#[specta::specta]
pub fn reference_parse(input: String) -> IpcResult<Reference> {
    berth_core::images::reference::parse(input.trim())
        .map_err(|said| berth_core::Error::said("reference", said).into())
}

/// What a pull sends: its progress, then its end (error None: finished).
#[derive(Debug, Clone, serde::Serialize, specta::Type)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum PullProgress {
    Progress { event: PullEvent },
    Ended { error: Option<IpcError> },
}

/// `docker image pull [--platform P] REF`; cancel with `stream_cancel`.
#[tauri::command]
#[specta::specta]
pub async fn image_pull(
    state: State<'_, EngineState>,
    streams: State<'_, Streams>,
    reference: String,
    platform: Option<String>,
    on_event: Channel<PullProgress>,
) -> IpcResult<u32> {
    let pull = state.engine()?.pull(&reference, platform.as_deref())?;
    Ok(streams.spawn(streams::forward(
        pull,
        on_event,
        |event| PullProgress::Progress { event },
        |error| PullProgress::Ended { error },
    )))
}

#[tauri::command]
#[specta::specta]
pub async fn image_details(
    state: State<'_, EngineState>,
    image: String,
) -> IpcResult<ImageDetails> {
    Ok(state.engine()?.image_details(&image).await?)
}

/// `docker image tag SOURCE TARGET`; returns the new `name:tag`.
#[tauri::command]
#[specta::specta]
pub async fn image_tag(
    state: State<'_, EngineState>,
    source: String,
    target: String,
) -> IpcResult<String> {
    Ok(state.engine()?.tag_image(&source, &target).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn image_remove(state: State<'_, EngineState>, image: String) -> IpcResult<Removed> {
    Ok(state.engine()?.remove_image(&image).await?)
}

/// What `docker image prune [-a]` would delete; nothing is deleted.
#[tauri::command]
#[specta::specta]
pub async fn image_prune_preview(state: State<'_, EngineState>, all: bool) -> IpcResult<PrunePlan> {
    Ok(state.engine()?.prune_preview(all, &[]).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn image_prune(state: State<'_, EngineState>, all: bool) -> IpcResult<PruneDone> {
    Ok(state.engine()?.prune_images(all, &[]).await?)
}

/// `docker image push`; cancel with `stream_cancel`.
#[tauri::command]
#[specta::specta]
pub async fn image_push(
    state: State<'_, EngineState>,
    streams: State<'_, Streams>,
    image: String,
    on_event: Channel<PushProgress>,
) -> IpcResult<u32> {
    let engine = state.engine()?;
    Ok(streams.spawn(copies::push(engine, image, on_event)))
}
