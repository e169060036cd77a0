//! Containers (C1-C7): list, lifecycle, details, stats, logs, terminals, run, commit.

use berth_core::containers::commit::{CommitForm, Committed};
use berth_core::containers::details::ContainerDetails;
use berth_core::containers::logs::{LogChunk, LogOptions, SavedLogs};
use berth_core::containers::run::{EnvImport, RunCheck, RunChoices, RunForm, Started};
use berth_core::containers::stats::StatsSample;
use berth_core::containers::{ContainerRow, Lifecycle};
use berth_core::said::Said;
use tauri::ipc::Channel;
use tauri::State;

use crate::dialogs;
use crate::error::{IpcError, IpcResult};
use crate::state::EngineState;
use crate::streams::{self, Streams};
use crate::terminals::{Opened, TerminalEvent, Terminals};

#[tauri::command]
#[specta::specta]
pub async fn list_containers(
    state: State<'_, EngineState>,
    all: bool,
) -> IpcResult<Vec<ContainerRow>> {
    let engine = state.engine()?;
    if let Some(first) = state.first_list.take(all).await {
        return Ok(first?);
    }
    Ok(engine.list_containers(all).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn container_lifecycle(
    state: State<'_, EngineState>,
    id: String,
    action: Lifecycle,
) -> IpcResult<()> {
    Ok(state.engine()?.lifecycle(&id, action).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn container_rename(
    state: State<'_, EngineState>,
    id: String,
    name: String,
) -> IpcResult<()> {
    Ok(state.engine()?.rename_container(&id, &name).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn container_remove(
    state: State<'_, EngineState>,
    id: String,
    force: bool,
) -> IpcResult<()> {
    Ok(state.engine()?.remove_container(&id, force).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn container_details(
    state: State<'_, EngineState>,
    id: String,
) -> IpcResult<ContainerDetails> {
    Ok(state.engine()?.container_details(&id).await?)
}

/// What the stats stream sends: a sample about every second, then its end.
#[derive(Debug, Clone, serde::Serialize, specta::Type)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum StatsEvent {
    Sample {
        sample: StatsSample,
    },
    /// The engine closed the stream (error None) or it broke (the error).
    /// Some engines keep sending empty samples for a stopped container
    /// instead; the window stops the stream when the container stops.
    Ended {
        error: Option<IpcError>,
    },
}

#[tauri::command]
#[specta::specta]
pub fn container_stats(
    state: State<'_, EngineState>,
    streams: State<'_, Streams>,
    id: String,
    on_event: Channel<StatsEvent>,
) -> IpcResult<u32> {
    let stats = state.engine()?.stats(&id);
    Ok(streams.spawn(streams::forward(
        stats,
        on_event,
        |sample| StatsEvent::Sample { sample },
        |error| StatsEvent::Ended { error },
    )))
}

/// What the logs stream sends: batches of lines, then its end.
#[derive(Debug, Clone, serde::Serialize, specta::Type)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum LogEvent {
    Lines {
        chunk: LogChunk,
    },
    /// The log ended (not following, or the container stopped: error None)
    /// or the stream broke (the error).
    Ended {
        error: Option<IpcError>,
    },
}

#[tauri::command]
#[specta::specta]
pub async fn container_logs(
    state: State<'_, EngineState>,
    streams: State<'_, Streams>,
    id: String,
    options: LogOptions,
    on_event: Channel<LogEvent>,
) -> IpcResult<u32> {
    let logs = state.engine()?.logs_fast(&id, &options).await?;
    Ok(streams.spawn_paced(|pace| {
        streams::forward_paced(
            logs,
            on_event,
            Some(pace),
            |lines| LogEvent::Lines {
                chunk: LogChunk::of(&lines),
            },
            |error| LogEvent::Ended { error },
        )
    }))
}

#[tauri::command]
#[specta::specta]
pub async fn terminal_shells(state: State<'_, EngineState>, id: String) -> IpcResult<Vec<String>> {
    Ok(state.engine()?.shells(&id).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn terminal_open(
    state: State<'_, EngineState>,
    terminals: State<'_, Terminals>,
    id: String,
    shell: String,
    cols: u16,
    rows: u16,
    on_event: Channel<TerminalEvent>,
) -> IpcResult<Opened> {
    let session = state.engine()?.open_shell(&id, &shell, cols, rows).await?;
    Ok(terminals.open(session, on_event).await)
}

/// `docker attach`: the main process; an interactive run starts here.
#[tauri::command]
#[specta::specta]
pub async fn terminal_attach(
    state: State<'_, EngineState>,
    terminals: State<'_, Terminals>,
    id: String,
    cols: u16,
    rows: u16,
    on_event: Channel<TerminalEvent>,
) -> IpcResult<Opened> {
    let session = state.engine()?.attach(&id, cols, rows).await?;
    Ok(terminals.open(session, on_event).await)
}

#[tauri::command]
#[specta::specta]
pub async fn terminal_input(
    terminals: State<'_, Terminals>,
    terminal: u32,
    data: String,
) -> IpcResult<()> {
    terminals.input(terminal, data.as_bytes()).await
}

#[tauri::command]
#[specta::specta]
pub async fn terminal_resize(
    state: State<'_, EngineState>,
    terminals: State<'_, Terminals>,
    terminal: u32,
    cols: u16,
    rows: u16,
) -> IpcResult<()> {
    terminals
        .resize(&state.engine()?, terminal, cols, rows)
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn terminal_close(terminals: State<'_, Terminals>, terminal: u32) -> IpcResult<()> {
    terminals.close(terminal).await;
    Ok(())
}

/// `docker logs ID > FILE`, the file picked by the user. None: cancelled.
#[tauri::command]
#[specta::specta]
pub async fn container_logs_save(
    app: tauri::AppHandle,
    state: State<'_, EngineState>,
    id: String,
    name: String,
    options: LogOptions,
    title: String,
) -> IpcResult<Option<SavedLogs>> {
    let engine = state.engine()?;
    let Some(path) = dialogs::save_file(&app, &title, &format!("{name}.log")).await else {
        return Ok(None);
    };
    Ok(Some(engine.save_logs(&id, &options, &path).await?))
}

#[tauri::command]
#[specta::specta]
pub async fn run_choices(state: State<'_, EngineState>) -> IpcResult<RunChoices> {
    Ok(state.engine()?.run_choices().await?)
}

#[tauri::command]
#[specta::specta]
pub async fn run_check(state: State<'_, EngineState>, form: RunForm) -> IpcResult<RunCheck> {
    Ok(state.engine()?.check_run(&form).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn run_container(state: State<'_, EngineState>, form: RunForm) -> IpcResult<Started> {
    Ok(state.engine()?.run(&form).await?)
}

/// Reads a `.env` file the user picks. None: cancelled.
#[tauri::command]
#[specta::specta]
pub async fn env_file_import(app: tauri::AppHandle, title: String) -> IpcResult<Option<EnvImport>> {
    match dialogs::pick_file(&app, &title).await {
        Some(path) => Ok(Some(berth_core::containers::run::read_env_file(&path)?)),
        None => Ok(None),
    }
}

/// `docker container commit`.
#[tauri::command]
#[specta::specta]
pub async fn container_commit(
    state: State<'_, EngineState>,
    id: String,
    form: CommitForm,
) -> IpcResult<Committed> {
    Ok(state.engine()?.commit(&id, &form).await?)
}

/// Opens a published port in the default browser (C2); the address opened.
/// The address is read from the engine, not taken from the window.
#[tauri::command]
#[specta::specta]
pub async fn port_open(
    state: State<'_, EngineState>,
    id: String,
    port: u16,
    protocol: String,
) -> IpcResult<String> {
    let url = state.engine()?.port_url(&id, port, &protocol).await?;
    open::that_detached(&url).map_err(|e| {
        IpcError::from(berth_core::Error::failed(Said::NoBrowser {
            url: url.clone(),
            detail: e.to_string(),
        }))
    })?;
    Ok(url)
}
