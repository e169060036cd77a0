//! Compose projects (P1-P6): thin commands over `berth_core::compose`.

use berth_core::compose::file::{ComposePlan, FileProblem};
use berth_core::compose::logs::{ProjectLine, ProjectLogOptions};
use berth_core::compose::project::{DownPlan, Target};
use berth_core::compose::tool::{self, ComposeTool, ToolLine, UpForm};
use berth_core::containers::Lifecycle;
use tauri::ipc::Channel;
use tauri::State;

use super::app::blocking;
use crate::dialogs;
use crate::error::{IpcError, IpcResult};
use crate::state::EngineState;
use crate::streams::{self, Streams};

/// The compose CLI found here, or None (the window says what to install).
#[tauri::command]
#[specta::specta]
pub async fn compose_tool() -> Option<ComposeTool> {
    tool::find(None).await
}

/// What a compose file (or the one in a folder) will create, read before
/// anything runs; its problems on their lines.
#[tauri::command]
#[specta::specta]
pub async fn compose_plan(path: String, project: Option<String>) -> IpcResult<ComposePlan> {
    let sep = tool::find(None)
        .await
        .map_or("-", |t| t.separator())
        .to_string();
    blocking(move || berth_core::compose::file::read(&path, project.as_deref(), &sep)).await
}

/// The compose CLI's own check of the file (`config -q`).
#[tauri::command]
#[specta::specta]
pub async fn compose_config_check(
    state: State<'_, EngineState>,
    file: String,
) -> IpcResult<Vec<FileProblem>> {
    let t = berth_core::compose::require_tool().await?;
    let endpoint = state.engine()?.tool_host();
    Ok(tool::config_check(&t, &endpoint, std::path::Path::new(&file)).await?)
}

/// Saves the edited compose file, only if it still reads as YAML.
#[tauri::command]
#[specta::specta]
pub async fn compose_save(file: String, text: String) -> IpcResult<()> {
    blocking(move || tool::save(std::path::Path::new(&file), &text)).await
}

/// A compose file or folder the user picks. None: cancelled.
#[tauri::command]
#[specta::specta]
pub async fn pick_compose_file(app: tauri::AppHandle, title: String) -> Option<String> {
    dialogs::pick_file(&app, &title)
        .await
        .map(|p| p.display().to_string())
}

/// What `compose up` sends: its output lines, the line it equals, its end.
#[derive(Debug, Clone, serde::Serialize, specta::Type)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum ComposeUpEvent {
    Line { line: ToolLine },
    Done { command: String },
    Ended { error: Option<IpcError> },
}

/// `<compose> -f FILE -p NAME up -d`; cancel with `stream_cancel` (the CLI
/// is stopped).
#[tauri::command]
#[specta::specta]
pub async fn compose_up(
    state: State<'_, EngineState>,
    streams: State<'_, Streams>,
    form: UpForm,
    on_event: Channel<ComposeUpEvent>,
) -> IpcResult<u32> {
    let engine = state.engine()?;
    let t = berth_core::compose::require_tool().await?;
    Ok(streams.spawn(async move {
        let ch = on_event.clone();
        let done = engine
            .compose_up(&t, &form, |line| {
                let _ = ch.send(ComposeUpEvent::Line { line });
            })
            .await;
        match done {
            Ok(command) => {
                let _ = on_event.send(ComposeUpEvent::Done { command });
                let _ = on_event.send(ComposeUpEvent::Ended { error: None });
            }
            Err(e) => {
                let _ = on_event.send(ComposeUpEvent::Ended {
                    error: Some(e.into()),
                });
            }
        }
    }))
}

/// `docker compose -p NAME start|stop|restart|pause|unpause [SERVICE]`;
/// returns the line it equals.
#[tauri::command]
#[specta::specta]
pub async fn project_action(
    state: State<'_, EngineState>,
    target: Target,
    action: Lifecycle,
) -> IpcResult<String> {
    Ok(state.engine()?.project_action(&target, action).await?)
}

/// What `docker compose -p NAME down [-v]` would remove.
#[tauri::command]
#[specta::specta]
pub async fn project_down_plan(
    state: State<'_, EngineState>,
    project: String,
    volumes: bool,
) -> IpcResult<DownPlan> {
    Ok(state.engine()?.down_plan(&project, volumes).await?)
}

/// `docker compose -p NAME down [-v]`: what it removed.
#[tauri::command]
#[specta::specta]
pub async fn project_down(
    state: State<'_, EngineState>,
    project: String,
    volumes: bool,
) -> IpcResult<DownPlan> {
    Ok(state.engine()?.down(&project, volumes).await?)
}

/// What a project's logs stream sends.
#[derive(Debug, Clone, serde::Serialize, specta::Type)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum ProjectLogEvent {
    Lines { lines: Vec<ProjectLine> },
    Ended { error: Option<IpcError> },
}

/// `docker compose -p NAME logs [-f] [--tail N] [SERVICE...]`, merged by
/// time; cancel with `stream_cancel`.
#[tauri::command]
#[specta::specta]
pub async fn project_logs(
    state: State<'_, EngineState>,
    streams: State<'_, Streams>,
    options: ProjectLogOptions,
    on_event: Channel<ProjectLogEvent>,
) -> IpcResult<u32> {
    let logs = state.engine()?.project_logs(&options).await?;
    Ok(streams.spawn(streams::forward(
        logs,
        on_event,
        |lines| ProjectLogEvent::Lines { lines },
        |error| ProjectLogEvent::Ended { error },
    )))
}
