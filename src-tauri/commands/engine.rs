//! The engine: its status, reconnecting, what it runs, contexts (E1, E2, E5).

use berth_core::engine::contexts::Contexts;
use berth_core::engine::endpoint::Environment;
use berth_core::engine::watch::Status;
use berth_core::engine::EngineInfo;
use tauri::State;

use super::app::blocking;

use crate::error::IpcResult;
use crate::state::EngineState;

#[tauri::command]
#[specta::specta]
pub fn engine_status(state: State<'_, EngineState>) -> Status {
    state
        .status
        .read()
        .unwrap_or_else(|p| p.into_inner())
        .clone()
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
