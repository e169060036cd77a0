//! Compose projects (P1-P6). Compose is a client: what it makes is plain
//! containers, networks and volumes carrying its labels. So Berth groups and
//! manages a project through the Engine API by those labels ([`project`],
//! [`logs`]), whichever compose made it, and runs the user's compose CLI
//! ([`tool`]) only to bring a file up, after reading it itself ([`file`]).

pub mod file;
pub mod labels;
pub mod logs;
pub mod project;
pub mod tool;

pub use labels::ComposeInfo;

use crate::error::{Error, Result};
use crate::said::Said;
use crate::Engine;

impl Engine {
    /// `<compose> -f FILE -p NAME up -d`, against this engine, after the
    /// file is read and found sound. Returns the line it equals.
    pub async fn compose_up(
        &self,
        t: &tool::ComposeTool,
        form: &tool::UpForm,
        on_line: impl FnMut(tool::ToolLine) + Send,
    ) -> Result<String> {
        let project = form.project.trim();
        let plan = file::read(&form.path, Some(project), t.separator())?;
        if let Some(p) = plan.problems.first() {
            return Err(Error::said("file", p.said.clone()));
        }
        let file = std::path::PathBuf::from(&plan.file);
        tool::up(t, &self.tool_host(), &file, &plan.project, form, on_line).await
    }
}

/// The compose CLI, or why there is none (the install screen says which
/// one to install).
pub async fn require_tool() -> Result<tool::ComposeTool> {
    tool::find(None)
        .await
        .ok_or_else(|| Error::not_found(Said::ComposeNoTool))
}
