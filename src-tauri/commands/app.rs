//! The app itself: settings (E6), stream cancel, the session script (L2), folder picking.

use berth_core::settings::Settings;
use tauri::State;

use crate::dialogs;
use crate::error::{IpcError, IpcResult};
use crate::settings::{self, SettingsView};
use crate::state::SettingsState;
use crate::streams::Streams;

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
pub fn stream_cancel(streams: State<'_, Streams>, stream: u32) -> bool {
    streams.cancel(stream)
}

/// The window drew `batches` more of a paced stream (a container's logs):
/// the next are read from the engine. False if the stream has ended.
#[tauri::command]
#[specta::specta]
pub fn stream_drawn(streams: State<'_, Streams>, stream: u32, batches: u32) -> bool {
    streams.drawn(stream, batches)
}

/// A host folder (a bind mount's, a copy's destination), the dialog titled
/// by the window in its language. None: cancelled.
#[tauri::command]
#[specta::specta]
pub async fn pick_folder(app: tauri::AppHandle, title: String) -> Option<String> {
    dialogs::pick_folder(&app, &title)
        .await
        .map(|p| p.display().to_string())
}

/// A file the user picks (a stack's compose file, a secret's value), the
/// dialog titled by the window in its language. None: cancelled.
#[tauri::command]
#[specta::specta]
pub async fn pick_file(app: tauri::AppHandle, title: String) -> Option<String> {
    dialogs::pick_file(&app, &title)
        .await
        .map(|p| p.display().to_string())
}

/// Runs disk work (walking a folder, a helper process) off the async
/// threads.
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> berth_core::error::Result<T> + Send + 'static,
) -> IpcResult<T> {
    tauri::async_runtime::spawn_blocking(f)
        .await
        .map_err(|e| IpcError::from(berth_core::Error::task(e)))?
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
    title: String,
) -> IpcResult<Option<String>> {
    let Some(path) = dialogs::save_file(&app, &title, "berth-session.sh").await else {
        return Ok(None);
    };
    let shown = path.display().to_string();
    blocking(move || berth_core::cli::save(&path, &commands, &when)).await?;
    Ok(Some(shown))
}

/// Berth itself, for the About view: its version, name and bundle
/// identifier, and what it runs on. The engine's side comes from
/// `engine_info`.
#[derive(serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AppAbout {
    pub name: String,
    pub version: String,
    pub identifier: String,
    pub tauri: String,
    /// WebKitGTK, WebView2 or WKWebView's version; empty when it does not say.
    pub webview: String,
    pub os: String,
    pub arch: String,
}

#[tauri::command]
#[specta::specta]
pub fn app_about(app: tauri::AppHandle) -> AppAbout {
    let info = app.package_info();
    AppAbout {
        name: info.name.clone(),
        version: info.version.to_string(),
        identifier: app.config().identifier.clone(),
        tauri: tauri::VERSION.to_string(),
        webview: tauri::webview_version().unwrap_or_default(),
        os: std::env::consts::OS.to_string(),
        arch: std::env::consts::ARCH.to_string(),
    }
}
