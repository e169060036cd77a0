//! Networks (N1, N2).

use berth_core::networks::{NetworkForm, NetworkRow};
use tauri::State;

use crate::error::IpcResult;
use crate::state::EngineState;

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
