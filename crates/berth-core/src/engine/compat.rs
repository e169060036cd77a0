//! Where a Docker-compatible engine answers what Docker's API does not
//! have. Podman names states Docker lacks (`stopped`, while a stopped
//! container is cleaned up; `configured`, `initialized`), and bollard's
//! typed answers refuse them; Berth would then fail to list or open every
//! container. Such an answer is read again as plain JSON, each such state
//! said in Docker's word, so the window shows the container as it is.

use bollard::models::{ContainerInspectResponse, ContainerSummary};
use bollard::query_parameters::{InspectContainerOptions, ListContainersOptions};

use crate::error::{Error, Result};
use crate::said::Said;
use crate::Engine;

/// A Podman state in Docker's word; None for one Docker has.
fn docker_state(state: &str) -> Option<&'static str> {
    match state {
        "stopped" => Some("exited"),
        "configured" | "initialized" => Some("created"),
        _ => None,
    }
}

fn fix(v: Option<&mut serde_json::Value>) {
    if let Some(v) = v {
        if let Some(d) = v.as_str().and_then(docker_state) {
            *v = d.into();
        }
    }
}

/// Whether bollard refused a state word it does not know.
fn unknown_state(e: &bollard::errors::Error) -> bool {
    matches!(e, bollard::errors::Error::JsonDataError { message, .. } if message.contains("unknown variant"))
}

fn unreadable(request: String, e: serde_json::Error) -> Error {
    Error::failed(Said::EngineAnswerUnreadable {
        request,
        detail: e.to_string(),
    })
}

impl Engine {
    /// `docker inspect` of a container, Podman's own states read too.
    pub(crate) async fn inspect(&self, id: &str, size: bool) -> Result<ContainerInspectResponse> {
        let opts = InspectContainerOptions { size };
        match self.docker.inspect_container(id, Some(opts)).await {
            Err(e) if unknown_state(&e) => {
                let path = format!(
                    "/containers/{}/json?size={size}",
                    crate::engine::raw::percent(id)
                );
                let mut v =
                    crate::engine::raw::get_json(&self.address, &self.api_version(), &path).await?;
                fix(v.pointer_mut("/State/Status"));
                serde_json::from_value(v).map_err(|e| unreadable(format!("GET {path}"), e))
            }
            r => Ok(r?),
        }
    }

    /// `docker ps [--filter …]`, Podman's own states read too.
    pub(crate) async fn summaries(
        &self,
        all: bool,
        filters: Option<std::collections::HashMap<String, Vec<String>>>,
    ) -> Result<Vec<ContainerSummary>> {
        let query = filters
            .as_ref()
            .map(|f| {
                let json = serde_json::to_string(f).unwrap_or_default();
                format!("&filters={}", crate::engine::raw::percent(&json))
            })
            .unwrap_or_default();
        let opts = ListContainersOptions {
            all,
            filters,
            ..Default::default()
        };
        match self.docker.list_containers(Some(opts)).await {
            Err(e) if unknown_state(&e) => {
                let path = format!("/containers/json?all={all}{query}");
                let mut v =
                    crate::engine::raw::get_json(&self.address, &self.api_version(), &path).await?;
                for c in v.as_array_mut().into_iter().flatten() {
                    fix(c.get_mut("State"));
                }
                serde_json::from_value(v).map_err(|e| unreadable(format!("GET {path}"), e))
            }
            r => Ok(r?),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn podmans_own_states_are_said_in_dockers_words() {
        let mut v = serde_json::json!({"State": {"Status": "stopped"}});
        fix(v.pointer_mut("/State/Status"));
        let i: ContainerInspectResponse = serde_json::from_value(v).unwrap();
        assert_eq!(
            i.state.and_then(|s| s.status).map(|s| s.to_string()),
            Some("exited".into())
        );
        let mut list = serde_json::json!([{"State": "configured"}, {"State": "running"}]);
        for c in list.as_array_mut().unwrap() {
            fix(c.get_mut("State"));
        }
        let l: Vec<ContainerSummary> = serde_json::from_value(list).unwrap();
        let states: Vec<String> = l.iter().map(|c| c.state.unwrap().to_string()).collect();
        assert_eq!(states, ["created", "running"]);
    }
}
