//! Stacks (E7): the services, networks, secrets and configs that
//! `docker stack deploy` made from one compose file, grouped by their
//! `com.docker.stack.namespace` label. Deploying and removing go through the
//! docker CLI (it converts the compose file for swarm), pointed at the
//! engine Berth is using, its output streamed.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use specta::Type;

use super::services::{check_service_name, ServiceRow};
use crate::cli::line;
use crate::compose::tool::{run_program, ToolLine};
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::said::Said;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct StackRow {
    pub name: String,
    pub services: Vec<String>,
    pub running: u32,
    pub desired: u32,
}

/// `docker stack deploy`'s fields.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct StackForm {
    /// The compose file.
    pub file: String,
    pub name: String,
    /// Ask the registry for each image's digest and pin it (the CLI's
    /// default, `--resolve-image always`); off: each node uses its own copy
    /// of the tag (`--resolve-image never`).
    pub pin_images: bool,
}

/// The stacks among the services, by name.
pub fn stacks(services: &[ServiceRow]) -> Vec<StackRow> {
    let mut by: BTreeMap<&str, StackRow> = BTreeMap::new();
    for s in services {
        let Some(stack) = s.stack.as_deref() else {
            continue;
        };
        let row = by.entry(stack).or_insert_with(|| StackRow {
            name: stack.into(),
            services: Vec::new(),
            running: 0,
            desired: 0,
        });
        row.services.push(s.name.clone());
        row.running += s.running;
        row.desired += s.desired;
    }
    by.into_values().collect()
}

/// The arguments of `docker stack deploy` for a form (after `docker`).
pub fn deploy_args(form: &StackForm) -> Result<Vec<String>> {
    let name = form.name.trim();
    check_service_name("name", name)?;
    let file = form.file.trim();
    if file.is_empty() {
        return Err(Error::said("file", Said::ComposeNoPath));
    }
    let path = Path::new(file);
    if !path.is_file() {
        let e = std::io::Error::from(std::io::ErrorKind::NotFound);
        return Err(Error::path("file", path, &e));
    }
    let mut a: Vec<String> = vec!["stack".into(), "deploy".into(), "-c".into(), file.into()];
    if !form.pin_images {
        a.extend(["--resolve-image".into(), "never".into()]);
    }
    a.push(name.into());
    Ok(a)
}

fn docker_cli() -> Vec<String> {
    vec!["docker".into()]
}

impl Engine {
    /// `docker stack deploy -c FILE [--resolve-image never] NAME`, its output
    /// to `on_line`; the line it equals.
    pub async fn deploy_stack(
        &self,
        form: &StackForm,
        on_line: impl FnMut(ToolLine) + Send,
    ) -> Result<String> {
        let args = deploy_args(form)?;
        run_program(&docker_cli(), &self.tool_host(), &args, on_line).await?;
        Ok(line(
            std::iter::once("docker").chain(args.iter().map(String::as_str)),
        ))
    }

    /// `docker stack rm NAME`: its services, networks, secrets and configs.
    pub async fn remove_stack(&self, name: &str) -> Result<String> {
        check_service_name("name", name)?;
        let known = stacks(&self.list_services().await?);
        if !known.iter().any(|s| s.name == name) {
            return Err(Error::not_found(Said::StackMissing { name: name.into() }));
        }
        let args: Vec<String> = vec!["stack".into(), "rm".into(), name.into()];
        run_program(&docker_cli(), &self.tool_host(), &args, |_| {}).await?;
        Ok(line(["docker", "stack", "rm", name]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deploy_is_the_line_a_user_types() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("stack file.yml");
        std::fs::write(&f, "services: {}\n").unwrap();
        let form = StackForm {
            file: f.display().to_string(),
            name: "shop".into(),
            pin_images: false,
        };
        let a = deploy_args(&form).unwrap();
        assert_eq!(a[..3], ["stack", "deploy", "-c"]);
        assert_eq!(a[4..], ["--resolve-image", "never", "shop"]);
        let missing = StackForm {
            file: dir.path().join("nope.yml").display().to_string(),
            ..form.clone()
        };
        assert_eq!(deploy_args(&missing).unwrap_err().field(), Some("file"));
        let bad = StackForm {
            name: "my shop".into(),
            ..form
        };
        assert_eq!(deploy_args(&bad).unwrap_err().field(), Some("name"));
    }
}
