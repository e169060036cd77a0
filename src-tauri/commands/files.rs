//! A container's files (F1-F4): browse, preview, changes, copy in and out.

use berth_core::files::{Change, Preview};
use tauri::ipc::Channel;
use tauri::State;

use crate::copies::{self, CopyEvent, ListEvent};
use crate::dialogs;
use crate::error::IpcResult;
use crate::state::EngineState;
use crate::streams::Streams;

/// A folder's entries, as a stream: through the archive it can take long,
/// so it says how far it is and can be cancelled with `stream_cancel`.
#[tauri::command]
#[specta::specta]
pub async fn files_list(
    state: State<'_, EngineState>,
    streams: State<'_, Streams>,
    id: String,
    path: String,
    on_event: Channel<ListEvent>,
) -> IpcResult<u32> {
    let engine = state.engine()?;
    Ok(streams.spawn(copies::list(engine, id, path, on_event)))
}

#[tauri::command]
#[specta::specta]
pub async fn files_preview(
    state: State<'_, EngineState>,
    id: String,
    path: String,
) -> IpcResult<Preview> {
    Ok(state.engine()?.preview_file(&id, &path).await?)
}

/// `docker container diff`.
#[tauri::command]
#[specta::specta]
pub async fn files_changes(state: State<'_, EngineState>, id: String) -> IpcResult<Vec<Change>> {
    Ok(state.engine()?.changes(&id).await?)
}

/// Which of `names` already exist in the container folder `dest`.
#[tauri::command]
#[specta::specta]
pub async fn files_existing(
    state: State<'_, EngineState>,
    id: String,
    dest: String,
    names: Vec<String>,
) -> IpcResult<Vec<String>> {
    Ok(state.engine()?.existing_in(&id, &dest, &names).await?)
}

/// Host paths into a container folder; cancel with `stream_cancel`.
#[tauri::command]
#[specta::specta]
pub async fn files_copy_in(
    state: State<'_, EngineState>,
    streams: State<'_, Streams>,
    id: String,
    sources: Vec<String>,
    dest: String,
    on_event: Channel<CopyEvent>,
) -> IpcResult<u32> {
    let engine = state.engine()?;
    Ok(streams.spawn(copies::copy_in(engine, id, sources, dest, on_event)))
}

/// Container paths into a host folder; cancel with `stream_cancel`.
#[tauri::command]
#[specta::specta]
pub async fn files_copy_out(
    state: State<'_, EngineState>,
    streams: State<'_, Streams>,
    id: String,
    paths: Vec<String>,
    dest: String,
    overwrite: bool,
    on_event: Channel<CopyEvent>,
) -> IpcResult<u32> {
    let engine = state.engine()?;
    Ok(streams.spawn(copies::copy_out(
        engine, id, paths, dest, overwrite, on_event,
    )))
}

/// Host files (or one folder) to copy in. Empty: cancelled.
#[tauri::command]
#[specta::specta]
pub async fn pick_sources(app: tauri::AppHandle, folder: bool, title: String) -> Vec<String> {
    let picked = if folder {
        dialogs::pick_folder(&app, &title)
            .await
            .into_iter()
            .collect()
    } else {
        dialogs::pick_files(&app, &title).await
    };
    picked
        .into_iter()
        .map(|p| p.display().to_string())
        .collect()
}
