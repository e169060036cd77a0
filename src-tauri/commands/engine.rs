//! The engine: its status, reconnecting, what it runs, contexts (E1, E2, E5).

use berth_core::engine::contexts::{Contexts, NewContext};
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

/// `docker context create NAME --docker host=HOST[,ca=…,cert=…,key=…]`;
/// the command it equals.
#[tauri::command]
#[specta::specta]
pub async fn context_create(form: NewContext) -> IpcResult<String> {
    blocking(move || berth_core::engine::contexts::create(&Environment::from_process(), &form))
        .await
}

/// `docker context update NAME --description D --docker host=…`; the
/// command it equals. Editing the context in use reconnects.
#[tauri::command]
#[specta::specta]
pub async fn context_update(state: State<'_, EngineState>, form: NewContext) -> IpcResult<String> {
    let line =
        blocking(move || berth_core::engine::contexts::update(&Environment::from_process(), &form))
            .await?;
    state.retry.notify_one();
    Ok(line)
}

/// The line saving the form will run (create, or update when editing),
/// shown while the form is filled.
#[tauri::command]
#[specta::specta]
pub fn context_save_line(form: NewContext, update: bool) -> String {
    berth_core::engine::contexts::save_line(&form, update)
}

/// A certificate or key file for a TLS engine. None: cancelled.
#[tauri::command]
#[specta::specta]
pub async fn pick_tls_file(app: tauri::AppHandle, title: String) -> Option<String> {
    crate::dialogs::pick_file(&app, &title)
        .await
        .map(|p| p.display().to_string())
}

/// `docker context rm NAME`; the command it equals.
#[tauri::command]
#[specta::specta]
pub async fn context_remove(name: String) -> IpcResult<String> {
    blocking(move || berth_core::engine::contexts::remove(&Environment::from_process(), &name))
        .await
}

/// "Test connection": does `host` answer, before it is saved or used.
#[tauri::command]
#[specta::specta]
pub async fn engine_test(form: NewContext) -> IpcResult<berth_core::engine::Tested> {
    Ok(berth_core::Engine::test_host(&Environment::from_process(), &form).await?)
}

/// Trusts an SSH host key the user was shown (first contact), writing it
/// to `~/.ssh/known_hosts` as ssh does; then connects again.
#[tauri::command]
#[specta::specta]
pub async fn ssh_trust(
    state: State<'_, EngineState>,
    key: berth_core::engine::ssh::HostKey,
) -> IpcResult<()> {
    let env = Environment::from_process();
    let files = berth_core::engine::ssh::SshFiles {
        home: env.home.clone().unwrap_or_else(|| "/".into()),
        agent: env.ssh_auth_sock.clone(),
    };
    blocking(move || berth_core::engine::ssh::trust(&files, &key)).await?;
    state.retry.notify_one();
    Ok(())
}

/// Unlocks an SSH key file with the passphrase the user typed (kept in
/// memory until Berth quits, never written); then connects again.
#[tauri::command]
#[specta::specta]
pub async fn ssh_unlock(
    state: State<'_, EngineState>,
    key: String,
    passphrase: String,
) -> IpcResult<()> {
    blocking(move || berth_core::engine::ssh::unlock(std::path::Path::new(&key), &passphrase))
        .await?;
    state.retry.notify_one();
    Ok(())
}
