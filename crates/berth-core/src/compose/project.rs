//! A compose project through the Engine API (P2): its containers, networks
//! and volumes found by their labels (an exact match, so `web` never takes
//! `web2`'s), the lifecycle actions on all of them or one service, and
//! `down` with a preview of exactly what goes.

use std::collections::HashMap;

use bollard::query_parameters::{
    ListNetworksOptions, ListVolumesOptions, RemoveContainerOptionsBuilder,
    RemoveVolumeOptionsBuilder,
};
use serde::{Deserialize, Serialize};
use specta::Type;

use super::labels;
use crate::cli::quote;
use crate::containers::{row_from_summary, ContainerRow, Lifecycle, State};
use crate::error::{Error, Result};
use crate::said::Said;
use crate::Engine;

/// What a project action is done to: a whole project, or one service.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Target {
    pub project: String,
    pub service: Option<String>,
}

impl Target {
    fn check(&self) -> Result<()> {
        if self.project.trim().is_empty() {
            return Err(Error::said("project", Said::ProjectEmpty));
        }
        Ok(())
    }

    fn filters(&self) -> HashMap<String, Vec<String>> {
        let mut label = vec![format!("{}={}", labels::PROJECT, self.project)];
        if let Some(s) = &self.service {
            label.push(format!("{}={s}", labels::SERVICE));
        }
        HashMap::from([("label".to_string(), label)])
    }
}

/// `docker compose -p NAME ACTION [SERVICE]`, the line an action equals.
pub fn compose_line(target: &Target, action: &str) -> String {
    let mut line = format!("docker compose -p {} {action}", quote(&target.project));
    if let Some(s) = &target.service {
        line.push(' ');
        line.push_str(&quote(s));
    }
    line
}

fn action_word(a: Lifecycle) -> &'static str {
    match a {
        Lifecycle::Start => "start",
        Lifecycle::Stop => "stop",
        Lifecycle::Kill => "kill",
        Lifecycle::Restart => "restart",
        Lifecycle::Pause => "pause",
        Lifecycle::Unpause => "unpause",
    }
}

/// What `down` removes, listed before anything goes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct DownPlan {
    pub project: String,
    /// Container names, one-off ones too.
    pub containers: Vec<String>,
    pub networks: Vec<String>,
    /// Only when volumes were asked for (`-v`); otherwise kept.
    pub volumes: Vec<String>,
    /// The project's volumes that stay because they were not asked for.
    pub kept_volumes: Vec<String>,
    pub command: String,
}

impl Engine {
    /// The containers of a project (or one of its services), stopped ones
    /// too, in service and replica order.
    pub async fn project_containers(&self, target: &Target) -> Result<Vec<ContainerRow>> {
        target.check()?;
        let list = self.summaries(true, Some(target.filters())).await?;
        let mut rows: Vec<ContainerRow> = list.into_iter().map(row_from_summary).collect();
        // The engine's filter is exact; kept here too, against an engine
        // that matched loosely.
        rows.retain(|r| {
            r.compose.as_ref().is_some_and(|c| {
                c.project == target.project
                    && target.service.as_ref().is_none_or(|s| &c.service == s)
            })
        });
        rows.sort_by_key(|r| {
            let c = r.compose.clone();
            (
                c.as_ref().map(|c| c.service.clone()),
                c.as_ref().map(|c| c.oneoff),
                c.and_then(|c| c.number),
                r.name.clone(),
            )
        });
        Ok(rows)
    }

    /// `docker compose -p NAME start|stop|restart|pause|unpause [SERVICE]`:
    /// the action on each of its containers (one-off ones only for stop
    /// and kill, as compose does). Returns the line it equals.
    pub async fn project_action(&self, target: &Target, action: Lifecycle) -> Result<String> {
        let rows = self.project_containers(target).await?;
        if rows.is_empty() {
            return Err(Error::not_found(Said::ProjectGone {
                project: target.project.clone(),
            }));
        }
        let wanted = rows.iter().filter(|r| {
            let oneoff = r.compose.as_ref().is_some_and(|c| c.oneoff);
            match action {
                Lifecycle::Start => !oneoff && r.state != State::Running,
                Lifecycle::Stop | Lifecycle::Kill => {
                    matches!(r.state, State::Running | State::Paused | State::Restarting)
                }
                Lifecycle::Restart => !oneoff,
                Lifecycle::Pause => r.state == State::Running,
                Lifecycle::Unpause => r.state == State::Paused,
            }
        });
        // All at once, as compose does: stopping takes up to each
        // container's stop timeout.
        futures_util::future::try_join_all(wanted.map(|r| self.lifecycle(&r.id, action))).await?;
        Ok(compose_line(target, action_word(action)))
    }

    /// What `docker compose -p NAME down [-v]` would remove.
    pub async fn down_plan(&self, project: &str, with_volumes: bool) -> Result<DownPlan> {
        let target = Target {
            project: project.to_string(),
            service: None,
        };
        let containers = self
            .project_containers(&target)
            .await?
            .into_iter()
            .map(|r| r.name)
            .collect();
        let mut networks: Vec<String> = self
            .docker
            .list_networks(Some(ListNetworksOptions {
                filters: Some(target.filters()),
            }))
            .await?
            .into_iter()
            .filter(|n| {
                n.labels
                    .as_ref()
                    .and_then(|l| l.get(labels::PROJECT))
                    .is_some_and(|p| p == project)
            })
            .filter_map(|n| n.name)
            .collect();
        networks.sort();
        let mut all_volumes: Vec<String> = self
            .docker
            .list_volumes(Some(ListVolumesOptions {
                filters: Some(target.filters()),
            }))
            .await?
            .volumes
            .unwrap_or_default()
            .into_iter()
            .filter(|v| v.labels.get(labels::PROJECT).is_some_and(|p| p == project))
            .map(|v| v.name)
            .collect();
        all_volumes.sort();
        let (volumes, kept_volumes) = if with_volumes {
            (all_volumes, Vec::new())
        } else {
            (Vec::new(), all_volumes)
        };
        Ok(DownPlan {
            project: project.to_string(),
            containers,
            networks,
            command: compose_line(&target, if with_volumes { "down -v" } else { "down" }),
            volumes,
            kept_volumes,
        })
    }

    /// `docker compose -p NAME down [-v]`: the containers stopped and
    /// removed, then the project's networks, then (when asked) its
    /// volumes. What it removed is returned.
    pub async fn down(&self, project: &str, volumes: bool) -> Result<DownPlan> {
        let plan = self.down_plan(project, volumes).await?;
        let target = Target {
            project: project.to_string(),
            service: None,
        };
        let rows = self.project_containers(&target).await?;
        let gone = |r: Result<()>| match r {
            Ok(()) | Err(Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(e),
        };
        futures_util::future::try_join_all(rows.iter().map(|r| async {
            if matches!(r.state, State::Running | State::Paused | State::Restarting) {
                gone(self.lifecycle(&r.id, Lifecycle::Stop).await)?;
            }
            gone(
                self.docker
                    .remove_container(
                        &r.id,
                        Some(RemoveContainerOptionsBuilder::new().force(true).build()),
                    )
                    .await
                    .map_err(Error::from),
            )
        }))
        .await?;
        for n in &plan.networks {
            match self.docker.remove_network(n).await.map_err(Error::from) {
                Ok(()) | Err(Error::NotFound { .. }) => {}
                Err(e) => return Err(e),
            }
        }
        for v in &plan.volumes {
            match self
                .docker
                .remove_volume(v, Some(RemoveVolumeOptionsBuilder::new().build()))
                .await
                .map_err(Error::from)
            {
                Ok(()) | Err(Error::NotFound { .. }) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(plan)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_quotes_what_needs_it() {
        let t = Target {
            project: "web".into(),
            service: Some("my app".into()),
        };
        assert_eq!(
            compose_line(&t, "stop"),
            "docker compose -p web stop 'my app'"
        );
        let t = Target {
            project: "web".into(),
            service: None,
        };
        assert_eq!(compose_line(&t, "down -v"), "docker compose -p web down -v");
    }
}
