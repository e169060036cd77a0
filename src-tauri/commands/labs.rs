//! Labs (L5): the catalog, a lab filled in for the user's values, its check
//! against the engine, and reset.

use std::collections::BTreeMap;
use std::path::PathBuf;

use berth_core::labs::check::LabState;
use berth_core::labs::reset::ResetPlan;
use berth_core::labs::{self, Lab, LabProblem, Values};
use berth_core::said::Said;
use serde::Serialize;
use specta::Type;
use tauri::{AppHandle, Manager, State};

use crate::error::{IpcError, IpcResult};
use crate::state::EngineState;

/// Every lab, the files that could not be used, and where a teacher puts
/// their own.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct LabCatalog {
    pub labs: Vec<Lab>,
    pub problems: Vec<LabProblem>,
    pub folder: String,
}

/// A lab as the window shows it: filled in with the user's values, and the
/// folder it works in.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct LabView {
    pub lab: Lab,
    pub workspace: String,
}

fn dir(app: &AppHandle, which: &str) -> IpcResult<PathBuf> {
    app.path()
        .app_data_dir()
        .map(|d| d.join(which))
        .map_err(|e| {
            berth_core::Error::failed(Said::LabUnreadable {
                detail: e.to_string(),
            })
            .into()
        })
}

/// The labs folder a teacher's `.yaml` files go in.
fn added(app: &AppHandle) -> IpcResult<PathBuf> {
    dir(app, "labs")
}

fn workspace(app: &AppHandle, id: &str) -> IpcResult<PathBuf> {
    Ok(dir(app, "lab-work")?.join(id))
}

fn find(app: &AppHandle, id: &str, given: &Values) -> IpcResult<(Lab, Values, PathBuf)> {
    let folder = added(app)?;
    let (all, _) = labs::catalog(Some(&folder));
    let lab = all.into_iter().find(|l| l.id == id).ok_or_else(|| {
        IpcError::from(berth_core::Error::said(
            "lab",
            Said::LabMissing { id: id.into() },
        ))
    })?;
    let work = workspace(app, id)?;
    let values = labs::values(&lab, given, &work);
    let filled = labs::filled(&lab, &values)?;
    Ok((filled, values, work))
}

#[tauri::command]
#[specta::specta]
pub fn labs_list(app: AppHandle) -> IpcResult<LabCatalog> {
    let folder = added(&app)?;
    let (labs, problems) = labs::catalog(Some(&folder));
    Ok(LabCatalog {
        labs,
        problems,
        folder: folder.display().to_string(),
    })
}

/// The lab filled in with `params` (and values learned); its folder is
/// prepared with its files.
#[tauri::command]
#[specta::specta]
pub fn lab_open(app: AppHandle, id: String, params: Values) -> IpcResult<LabView> {
    let (lab, _, work) = find(&app, &id, &params)?;
    labs::prepare(&lab, &work)?;
    Ok(LabView {
        lab,
        workspace: work.display().to_string(),
    })
}

#[tauri::command]
#[specta::specta]
pub async fn lab_check(
    app: AppHandle,
    state: State<'_, EngineState>,
    id: String,
    params: Values,
    done: Vec<String>,
    answers: BTreeMap<String, String>,
) -> IpcResult<LabState> {
    let (lab, values, _) = find(&app, &id, &params)?;
    Ok(state
        .engine()?
        .lab_check(&lab, &values, &done, &answers)
        .await?)
}

#[tauri::command]
#[specta::specta]
pub async fn lab_reset_plan(
    app: AppHandle,
    state: State<'_, EngineState>,
    id: String,
    params: Values,
) -> IpcResult<ResetPlan> {
    let (lab, _, _) = find(&app, &id, &params)?;
    Ok(state.engine()?.lab_reset_plan(&lab).await?)
}

/// Removes what the lab made (as its plan, asked again now) and its folder.
#[tauri::command]
#[specta::specta]
pub async fn lab_reset(
    app: AppHandle,
    state: State<'_, EngineState>,
    id: String,
    params: Values,
) -> IpcResult<ResetPlan> {
    let (lab, _, work) = find(&app, &id, &params)?;
    let engine = state.engine()?;
    let mut plan = engine.lab_reset_plan(&lab).await?;
    plan.kept = engine.lab_reset(&plan).await?;
    if work.exists() {
        std::fs::remove_dir_all(&work)
            .map_err(|e| berth_core::Error::path("workspace", &work, &e))?;
    }
    Ok(plan)
}
