//! Builds (B1).

use berth_core::build::{BuildForm, BuildPlan};
use tauri::ipc::Channel;
use tauri::State;

use super::app::blocking;

use crate::copies::{self, BuildProgress};
use crate::dialogs;
use crate::error::IpcResult;
use crate::state::EngineState;
use crate::streams::Streams;

/// What a build would send and do (B1), read before it starts: the
/// Dockerfile with its steps, the context's size, what is ignored.
#[tauri::command]
#[specta::specta]
pub async fn build_plan(form: BuildForm) -> IpcResult<BuildPlan> {
    blocking(move || berth_core::build::plan(&form)).await
}

/// `docker image build`; cancel with `stream_cancel`.
#[tauri::command]
#[specta::specta]
pub async fn image_build(
    state: State<'_, EngineState>,
    streams: State<'_, Streams>,
    form: BuildForm,
    on_event: Channel<BuildProgress>,
) -> IpcResult<u32> {
    let engine = state.engine()?;
    Ok(streams.spawn(copies::build(engine, form, on_event)))
}

/// A Dockerfile the user picks (B1). None: cancelled.
#[tauri::command]
#[specta::specta]
pub async fn pick_dockerfile(app: tauri::AppHandle, title: String) -> Option<String> {
    dialogs::pick_file(&app, &title)
        .await
        .map(|p| p.display().to_string())
}
