//! Registries (T1-T4, B4): the inspector tree and logins.

use berth_core::registry::inspector::Inspection;
use berth_core::registry::login::{LoggedOut, LoginDone, LoginForm, Logins};
use berth_core::said::Said;
use tauri::State;

use crate::error::IpcResult;
use crate::state::EngineState;

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

/// The docker CLI's config folder, where logins are listed (B4).
fn docker_config() -> IpcResult<std::path::PathBuf> {
    berth_core::engine::docker_config::config_dir()
        .ok_or_else(|| berth_core::Error::said("config", Said::NoHome).into())
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
