//! The engine's event stream (`docker system events`), reduced to what the
//! UI needs to know: which kind of object changed, how, and which one.

use bollard::query_parameters::EventsOptions;
use futures_util::{Stream, StreamExt};
use serde::Serialize;
use specta::Type;

use crate::engine::Engine;
use crate::error::{Error, Result};

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct EngineEvent {
    /// container, image, volume, network, daemon, plugin, ...
    pub kind: String,
    /// start, die, create, destroy, pull, tag, delete, ...
    pub action: String,
    pub id: String,
    /// The object's name where the engine gives one (containers, volumes).
    pub name: Option<String>,
    #[specta(type = crate::JsNumber)]
    pub time: i64,
    /// A container's exit code, on `die`.
    pub exit_code: Option<i32>,
}

pub fn event_from_message(m: bollard::models::EventMessage) -> EngineEvent {
    let actor = m.actor.unwrap_or_default();
    let name = actor
        .attributes
        .as_ref()
        .and_then(|a| a.get("name"))
        .cloned();
    let exit_code = actor
        .attributes
        .as_ref()
        .and_then(|a| a.get("exitCode"))
        .and_then(|c| c.parse().ok());
    EngineEvent {
        kind: m.typ.map(|t| t.to_string()).unwrap_or_default(),
        action: m.action.unwrap_or_default(),
        id: actor.id.unwrap_or_default(),
        name,
        time: m.time.unwrap_or(0),
        exit_code,
    }
}

impl Engine {
    /// Events from `since` (unix seconds; the engine replays what happened
    /// since then) or from now. The request is sent when the stream is first
    /// polled. The stream ends (or yields an error) when the connection to
    /// the engine breaks: the caller treats that as "engine down".
    pub fn events(
        &self,
        since: Option<i64>,
    ) -> impl Stream<Item = Result<EngineEvent>> + Send + 'static {
        self.docker
            .events(Some(EventsOptions {
                since: since.map(|s| s.to_string()),
                ..Default::default()
            }))
            .map(|r| r.map(event_from_message).map_err(Error::from))
    }
}
