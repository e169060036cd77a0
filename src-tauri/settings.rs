//! Settings kept with tauri-plugin-store under the key "settings"; what the
//! value means, and what a damaged file does, is decided in berth_core.

use berth_core::said::Said;
use berth_core::settings::{self as core, Settings, SettingsNotice};
use serde::Serialize;
use specta::Type;
use tauri::{AppHandle, Manager};
use tauri_plugin_store::StoreExt;

use crate::error::{IpcError, IpcResult};
use crate::state::SettingsState;

pub const FILE: &str = "settings.json";
const KEY: &str = "settings";

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SettingsView {
    pub settings: Settings,
    /// Shown once: the file was damaged and the defaults are in use.
    pub notice: Option<SettingsNotice>,
}

fn failed(e: impl std::fmt::Display) -> IpcError {
    berth_core::Error::failed(Said::SettingsFailed {
        detail: e.to_string(),
    })
    .into()
}

/// Before the store first reads the file: move a damaged one aside.
pub fn check_at_start(app: &AppHandle) -> SettingsState {
    let notice = app
        .path()
        .app_data_dir()
        .ok()
        .and_then(|dir| core::quarantine_if_damaged(&dir.join(FILE)));
    SettingsState { notice }
}

pub fn get(app: &AppHandle, state: &SettingsState) -> IpcResult<SettingsView> {
    let store = app.store(FILE).map_err(failed)?;
    let settings = core::from_value(store.get(KEY)).map_err(failed)?;
    Ok(SettingsView {
        settings,
        notice: state.notice.clone(),
    })
}

/// Whether the list shows stopped containers too, as the window will ask
/// (the default when the settings cannot be read).
pub fn show_all(app: &AppHandle) -> bool {
    app.store(FILE)
        .ok()
        .and_then(|store| core::from_value(store.get(KEY)).ok())
        .is_none_or(|s| s.show_all_containers)
}

pub fn set(app: &AppHandle, settings: &Settings) -> IpcResult<()> {
    let store = app.store(FILE).map_err(failed)?;
    store.set(KEY, serde_json::to_value(settings).map_err(failed)?);
    store.save().map_err(failed)
}
