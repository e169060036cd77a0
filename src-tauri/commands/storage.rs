//! Storage (S1-S3, E3): disk usage, volumes, the mounts overview.

use berth_core::storage::disk::DiskUsage;
use berth_core::storage::volumes::{StorageRow, VolumeForm, VolumeInfo};
use tauri::State;

use crate::error::IpcResult;
use crate::state::EngineState;

#[tauri::command]
#[specta::specta]
pub async fn disk_usage(state: State<'_, EngineState>) -> IpcResult<DiskUsage> {
    Ok(state.engine()?.disk_usage().await?)
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
