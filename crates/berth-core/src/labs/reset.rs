//! Reset (L5): what a lab made, shown first, then removed. A lab's objects
//! carry `berth.lab=<id>`; the references it tagged or pulled are named in
//! its `cleanup`. Nothing else is touched: a container made by hand with a
//! name like the lab's stays.

use serde::Serialize;
use specta::Type;

use super::{Lab, LABEL};
use crate::error::Result;
use crate::Engine;

/// What reset would remove.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ResetPlan {
    /// Container names.
    pub containers: Vec<String>,
    /// Image references (a tag is untagged; an image labelled for the lab
    /// is named by its ID).
    pub images: Vec<String>,
    pub volumes: Vec<String>,
    /// The `docker` commands that equal it.
    pub commands: Vec<String>,
    /// After a reset: images kept because a container not the lab's still
    /// uses them, with the engine's words.
    pub kept: Vec<String>,
}

impl Engine {
    /// What `lab` (filled in) made, as the engine shows it now.
    pub async fn lab_reset_plan(&self, lab: &Lab) -> Result<ResetPlan> {
        use bollard::query_parameters::{
            ListContainersOptionsBuilder, ListImagesOptionsBuilder, ListVolumesOptionsBuilder,
        };
        let label = format!("{LABEL}={}", lab.id);
        let filter = std::collections::HashMap::from([("label".to_string(), vec![label.clone()])]);
        let mut plan = ResetPlan::default();
        let containers = self
            .docker
            .list_containers(Some(
                ListContainersOptionsBuilder::new()
                    .all(true)
                    .filters(&filter)
                    .build(),
            ))
            .await?;
        for c in containers {
            if let Some(n) = c.names.unwrap_or_default().first() {
                plan.containers.push(n.trim_start_matches('/').to_string());
            }
        }
        plan.containers.sort();
        let mut images: Vec<String> = Vec::new();
        for r in &lab.cleanup.images {
            if self.docker.inspect_image(r).await.is_ok() {
                images.push(r.clone());
            }
        }
        let labelled = self
            .docker
            .list_images(Some(
                ListImagesOptionsBuilder::new().filters(&filter).build(),
            ))
            .await?;
        for i in labelled {
            let tags: Vec<String> = i
                .repo_tags
                .into_iter()
                .filter(|t| t != "<none>:<none>")
                .collect();
            if tags.is_empty() {
                images.push(
                    i.id.trim_start_matches("sha256:")
                        .chars()
                        .take(12)
                        .collect(),
                );
            } else {
                images.extend(tags);
            }
        }
        images.sort();
        images.dedup();
        plan.images = images;
        let volumes = self
            .docker
            .list_volumes(Some(
                ListVolumesOptionsBuilder::new().filters(&filter).build(),
            ))
            .await?;
        plan.volumes = volumes
            .volumes
            .unwrap_or_default()
            .into_iter()
            .map(|v| v.name)
            .collect();
        for v in &lab.cleanup.volumes {
            if !plan.volumes.contains(v) && self.docker.inspect_volume(v).await.is_ok() {
                plan.volumes.push(v.clone());
            }
        }
        plan.volumes.sort();
        if !plan.containers.is_empty() {
            plan.commands.push(format!(
                "docker container rm -f {}",
                plan.containers.join(" ")
            ));
        }
        if !plan.images.is_empty() {
            plan.commands
                .push(format!("docker image rm {}", plan.images.join(" ")));
        }
        if !plan.volumes.is_empty() {
            plan.commands
                .push(format!("docker volume rm {}", plan.volumes.join(" ")));
        }
        Ok(plan)
    }

    /// Removes what `plan` names: containers first (they hold images and
    /// volumes), then images, then volumes. Something already gone is
    /// skipped; the first other failure stops it, with the engine's words.
    pub async fn lab_reset(&self, plan: &ResetPlan) -> Result<Vec<String>> {
        use bollard::query_parameters::{RemoveContainerOptionsBuilder, RemoveImageOptionsBuilder};
        let gone = |e: &bollard::errors::Error| {
            matches!(
                e,
                bollard::errors::Error::DockerResponseServerError {
                    status_code: 404,
                    ..
                }
            )
        };
        for c in &plan.containers {
            match self
                .docker
                .remove_container(
                    c,
                    Some(
                        RemoveContainerOptionsBuilder::new()
                            .force(true)
                            .v(false)
                            .build(),
                    ),
                )
                .await
            {
                Err(e) if !gone(&e) => return Err(e.into()),
                _ => {}
            }
        }
        let mut kept = Vec::new();
        for i in &plan.images {
            match self
                .docker
                .remove_image(
                    i,
                    Some(RemoveImageOptionsBuilder::new().force(false).build()),
                    None,
                )
                .await
            {
                Err(bollard::errors::Error::DockerResponseServerError {
                    status_code: 409,
                    message,
                }) => kept.push(format!("{i}: {message}")),
                Err(e) if !gone(&e) => return Err(e.into()),
                _ => {}
            }
        }
        for v in &plan.volumes {
            match self
                .docker
                .remove_volume(v, None::<bollard::query_parameters::RemoveVolumeOptions>)
                .await
            {
                Err(e) if !gone(&e) => return Err(e.into()),
                _ => {}
            }
        }
        Ok(kept)
    }
}
