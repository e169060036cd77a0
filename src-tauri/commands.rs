//! The IPC commands: each takes the state, calls the core, maps the error.

use berth_core::build::{BuildForm, BuildPlan};
use berth_core::containers::commit::{CommitForm, Committed};
use berth_core::containers::details::ContainerDetails;
use berth_core::containers::logs::{LogLine, LogOptions, SavedLogs};
use berth_core::containers::run::{EnvImport, RunCheck, RunChoices, RunForm, Started};
use berth_core::containers::stats::StatsSample;
use berth_core::containers::{ContainerRow, Lifecycle};
use berth_core::engine::contexts::Contexts;
use berth_core::engine::endpoint::Environment;
use berth_core::engine::watch::Status;
use berth_core::engine::EngineInfo;
use berth_core::files::{Change, Listing, Preview};
use berth_core::images::details::ImageDetails;
use berth_core::images::prune::{PruneDone, PrunePlan};
use berth_core::images::pull::PullEvent;
use berth_core::images::reference::Reference;
use berth_core::images::{ImageRow, Removed};
use berth_core::networks::{NetworkForm, NetworkRow};
use berth_core::registry::inspector::Inspection;
use berth_core::registry::login::{LoggedOut, LoginDone, LoginForm, Logins};
use berth_core::settings::Settings;
use berth_core::storage::disk::DiskUsage;
use berth_core::storage::volumes::{StorageRow, VolumeForm, VolumeInfo};
use tauri::ipc::Channel;
use tauri::State;

use crate::copies::{self, BuildProgress, CopyEvent, PushProgress};
use crate::dialogs;
use crate::error::{IpcError, IpcResult};
use crate::settings::{self, SettingsView};
use crate::state::{EngineState, SettingsState};
use crate::streams::{self, Streams};
use crate::terminals::{Opened, TerminalEvent, Terminals};

#[tauri::command]
#[specta::specta]
pub fn engine_status(state: State<'_, EngineState>) -> Status {
    state.status.read().expect("status lock poisoned").clone()
}

#[tauri::command]
#[specta::specta]
pub fn engine_retry(state: State<'_, EngineState>) {
    state.retry.notify_one();
}

#[tauri::command]
#[specta::specta]
pub async fn engine_info(state: State<'_, EngineState>) -> IpcResult<EngineInfo> {
    Ok(state.engine()?.info().await?)
}

#[tauri::command]
#[specta::specta]
pub async fn disk_usage(state: State<'_, EngineState>) -> IpcResult<DiskUsage> {
    Ok(state.engine()?.disk_usage().await?)
}

#[tauri::command]
#[specta::specta]
pub async fn list_containers(
    state: State<'_, EngineState>,
    all: bool,
) -> IpcResult<Vec<ContainerRow>> {
    Ok(state.engine()?.list_containers(all).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn list_images(state: State<'_, EngineState>) -> IpcResult<Vec<ImageRow>> {
    Ok(state.engine()?.list_images().await?)
}

#[tauri::command]
#[specta::specta]
pub fn settings_get(
    app: tauri::AppHandle,
    notice: State<'_, SettingsState>,
) -> IpcResult<SettingsView> {
    settings::get(&app, &notice)
}

#[tauri::command]
#[specta::specta]
pub fn settings_set(app: tauri::AppHandle, settings: Settings) -> IpcResult<()> {
    settings::set(&app, &settings)
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

#[tauri::command]
#[specta::specta]
pub fn stream_cancel(streams: State<'_, Streams>, stream: u32) -> bool {
    streams.cancel(stream)
}

/// What the logs stream sends: batches of lines, then its end.
#[derive(Debug, Clone, serde::Serialize, specta::Type)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum LogEvent {
    Lines {
        lines: Vec<LogLine>,
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
    Ok(streams.spawn(streams::forward(
        logs,
        on_event,
        |lines| LogEvent::Lines { lines },
        |error| LogEvent::Ended { error },
    )))
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
) -> IpcResult<Option<SavedLogs>> {
    let engine = state.engine()?;
    let Some(path) = dialogs::save_file(&app, "Save logs", &format!("{name}.log")).await else {
        return Ok(None);
    };
    Ok(Some(engine.save_logs(&id, &options, &path).await?))
}

/// Reads a reference as the CLI would (I7), for any field that takes one.
#[tauri::command]
#[specta::specta]
pub fn reference_parse(input: String) -> IpcResult<Reference> {
    berth_core::images::reference::parse(input.trim()).map_err(|message| IpcError::InvalidInput {
        field: "reference".into(),
        message,
    })
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

/// A host folder for a bind mount. None: cancelled.
#[tauri::command]
#[specta::specta]
pub async fn pick_folder(app: tauri::AppHandle) -> Option<String> {
    dialogs::pick_folder(&app, "Choose a host folder")
        .await
        .map(|p| p.display().to_string())
}

/// Reads a `.env` file the user picks. None: cancelled.
#[tauri::command]
#[specta::specta]
pub async fn env_file_import(app: tauri::AppHandle) -> IpcResult<Option<EnvImport>> {
    match dialogs::pick_file(&app, "Import an env file").await {
        Some(path) => Ok(Some(berth_core::containers::run::read_env_file(&path)?)),
        None => Ok(None),
    }
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

/// The registry's tree for a reference, beside the local image (T1, T2).
#[tauri::command]
#[specta::specta]
pub async fn inspect_reference(
    state: State<'_, EngineState>,
    reference: String,
    platform: Option<String>,
) -> IpcResult<Inspection> {
    Ok(state
        .engine()?
        .inspect_reference(&reference, platform.as_deref())
        .await?)
}

#[tauri::command]
#[specta::specta]
pub async fn files_list(
    state: State<'_, EngineState>,
    id: String,
    path: String,
) -> IpcResult<Listing> {
    Ok(state.engine()?.list_dir(&id, &path).await?)
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
pub async fn pick_sources(app: tauri::AppHandle, folder: bool) -> Vec<String> {
    let picked = if folder {
        dialogs::pick_folder(&app, "Choose a folder to copy in")
            .await
            .into_iter()
            .collect()
    } else {
        dialogs::pick_files(&app, "Choose files to copy in").await
    };
    picked
        .into_iter()
        .map(|p| p.display().to_string())
        .collect()
}

/// `docker volume ls`; `sizes` adds each volume's size (a disk scan).
#[tauri::command]
#[specta::specta]
pub async fn volumes_list(
    state: State<'_, EngineState>,
    sizes: bool,
) -> IpcResult<Vec<VolumeInfo>> {
    Ok(state.engine()?.list_volumes(sizes).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn volume_create(state: State<'_, EngineState>, form: VolumeForm) -> IpcResult<String> {
    Ok(state.engine()?.create_volume(&form).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn volume_remove(state: State<'_, EngineState>, name: String) -> IpcResult<()> {
    Ok(state.engine()?.remove_volume(&name).await?)
}

/// What `docker volume prune` would delete; nothing is deleted.
#[tauri::command]
#[specta::specta]
pub async fn volume_prune_preview(state: State<'_, EngineState>) -> IpcResult<Vec<VolumeInfo>> {
    Ok(state.engine()?.volume_prune_preview(&[]).await?)
}

/// `docker volume prune`: the names deleted.
#[tauri::command]
#[specta::specta]
pub async fn volume_prune(state: State<'_, EngineState>) -> IpcResult<Vec<String>> {
    Ok(state.engine()?.prune_volumes(&[]).await?.0)
}

#[tauri::command]
#[specta::specta]
pub async fn storage_overview(state: State<'_, EngineState>) -> IpcResult<Vec<StorageRow>> {
    Ok(state.engine()?.storage_overview().await?)
}

#[tauri::command]
#[specta::specta]
pub async fn networks_list(state: State<'_, EngineState>) -> IpcResult<Vec<NetworkRow>> {
    Ok(state.engine()?.list_networks().await?)
}

#[tauri::command]
#[specta::specta]
pub async fn network_create(state: State<'_, EngineState>, form: NetworkForm) -> IpcResult<String> {
    Ok(state.engine()?.create_network(&form).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn network_remove(state: State<'_, EngineState>, name: String) -> IpcResult<()> {
    Ok(state.engine()?.remove_network(&name).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn network_connect(
    state: State<'_, EngineState>,
    network: String,
    container: String,
    aliases: Vec<String>,
    ip: String,
) -> IpcResult<()> {
    Ok(state
        .engine()?
        .connect_network(&network, &container, &aliases, &ip)
        .await?)
}

#[tauri::command]
#[specta::specta]
pub async fn network_disconnect(
    state: State<'_, EngineState>,
    network: String,
    container: String,
) -> IpcResult<()> {
    Ok(state
        .engine()?
        .disconnect_network(&network, &container)
        .await?)
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
pub async fn pick_dockerfile(app: tauri::AppHandle) -> Option<String> {
    dialogs::pick_file(&app, "Choose a Dockerfile")
        .await
        .map(|p| p.display().to_string())
}

/// The docker CLI's config folder, where logins are listed (B4).
fn docker_config() -> IpcResult<std::path::PathBuf> {
    berth_core::engine::docker_config::config_dir().ok_or_else(|| IpcError::Failed {
        message: "no home folder: set DOCKER_CONFIG to the docker CLI's config folder".into(),
    })
}

/// Who is logged in to which registry, and where it is kept.
#[tauri::command]
#[specta::specta]
pub async fn registry_logins() -> IpcResult<Logins> {
    let dir = docker_config()?;
    Ok(berth_core::registry::login::logins(&dir).await?)
}

/// `docker login`: checked by the engine, kept by the credential helper.
/// The password comes in once and never goes back.
#[tauri::command]
#[specta::specta]
pub async fn registry_login(
    state: State<'_, EngineState>,
    form: LoginForm,
) -> IpcResult<LoginDone> {
    let dir = docker_config()?;
    Ok(state.engine()?.login(&dir, &form).await?)
}

/// `docker logout`.
#[tauri::command]
#[specta::specta]
pub async fn registry_logout(server: String) -> IpcResult<LoggedOut> {
    let dir = docker_config()?;
    Ok(berth_core::registry::login::logout(&dir, &server).await?)
}

/// Runs disk work (walking a folder, a helper process) off the async
/// threads.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> berth_core::error::Result<T> + Send + 'static,
) -> IpcResult<T> {
    tauri::async_runtime::spawn_blocking(f)
        .await
        .map_err(|e| IpcError::Failed {
            message: e.to_string(),
        })?
        .map_err(IpcError::from)
}

/// Saves the session's commands (L2) as a shell script where the user
/// picks. None: cancelled.
#[tauri::command]
#[specta::specta]
pub async fn session_save(
    app: tauri::AppHandle,
    commands: Vec<String>,
    when: String,
) -> IpcResult<Option<String>> {
    let Some(path) =
        dialogs::save_file(&app, "Save the commands as a script", "berth-session.sh").await
    else {
        return Ok(None);
    };
    let shown = path.display().to_string();
    blocking(move || berth_core::cli::save(&path, &commands, &when)).await?;
    Ok(Some(shown))
}

/// `docker context ls` (E5).
#[tauri::command]
#[specta::specta]
pub async fn contexts_list() -> IpcResult<Contexts> {
    blocking(|| berth_core::engine::contexts::list(&Environment::from_process())).await
}

/// `docker context use NAME`, then connect to it; the command it equals.
#[tauri::command]
#[specta::specta]
pub async fn context_use(state: State<'_, EngineState>, name: String) -> IpcResult<String> {
    let command = blocking(move || {
        berth_core::engine::contexts::use_context(&Environment::from_process(), &name)
    })
    .await?;
    state.retry.notify_one();
    Ok(command)
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
    open::that_detached(&url).map_err(|e| IpcError::Failed {
        message: format!("no browser could open {url}: {e}"),
    })?;
    Ok(url)
}
