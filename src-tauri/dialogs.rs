//! Native file dialogs, opened from Rust so that the window needs no dialog
//! or file-system permission: the front end asks a command, the command
//! asks the user, and only the chosen path (never file bytes) goes back.
//! Each title comes from the window, in the user's language.

use std::path::PathBuf;

use tauri::AppHandle;
use tauri_plugin_dialog::{DialogExt, FilePath};

fn path_of(p: Option<FilePath>) -> Option<PathBuf> {
    p.and_then(|p| p.into_path().ok())
}

/// A host folder (bind mount source, copy destination).
pub async fn pick_folder(app: &AppHandle, title: &str) -> Option<PathBuf> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    app.dialog().file().set_title(title).pick_folder(move |p| {
        let _ = tx.send(path_of(p));
    });
    rx.await.ok().flatten()
}

/// One existing file.
pub async fn pick_file(app: &AppHandle, title: &str) -> Option<PathBuf> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    app.dialog().file().set_title(title).pick_file(move |p| {
        let _ = tx.send(path_of(p));
    });
    rx.await.ok().flatten()
}

/// Where to write a new file, suggesting `name`.
pub async fn save_file(app: &AppHandle, title: &str, name: &str) -> Option<PathBuf> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    app.dialog()
        .file()
        .set_title(title)
        .set_file_name(name)
        .save_file(move |p| {
            let _ = tx.send(path_of(p));
        });
    rx.await.ok().flatten()
}

/// Several existing files.
pub async fn pick_files(app: &AppHandle, title: &str) -> Vec<PathBuf> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    app.dialog().file().set_title(title).pick_files(move |p| {
        let _ = tx.send(
            p.unwrap_or_default()
                .into_iter()
                .filter_map(|p| p.into_path().ok())
                .collect(),
        );
    });
    rx.await.unwrap_or_default()
}
