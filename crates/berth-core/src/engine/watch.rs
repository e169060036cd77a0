//! Keeping a connection: connect, follow the event stream, notice when it
//! breaks, and reconnect by itself (E2, E4).
//!
//! [`run`] never returns; it reports through a sink so that any front end
//! (the Tauri app, a test) can follow it. While the engine is down it retries
//! every [`RETRY_EVERY`], or at once when `retry` is notified.

use crate::said::Said;
use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use serde::Serialize;
use specta::Type;
use tokio::sync::Notify;

use crate::engine::endpoint::{Attempt, Environment, Source};
use crate::engine::events::EngineEvent;
use crate::engine::Engine;
use crate::error::Error;

pub const RETRY_EVERY: Duration = Duration::from_secs(2);

/// The connection as the UI shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(tag = "state", rename_all = "camelCase")]
pub enum Status {
    Connecting,
    #[serde(rename_all = "camelCase")]
    Connected {
        endpoint: String,
        source: Source,
        api_version: String,
    },
    #[serde(rename_all = "camelCase")]
    Down {
        /// Each endpoint tried, and why it failed.
        attempts: Vec<Attempt>,
        /// A setting that is wrong before anything could be tried, naming
        /// the variable and its value (e.g. a garbage DOCKER_HOST).
        config_problem: Option<Problem>,
        /// The endpoint whose connection broke, with the reason.
        lost: Option<String>,
    },
}

/// A setting that is wrong: where it is, and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Problem {
    /// The variable or file (`DOCKER_HOST`, `config`), when known.
    pub field: Option<String>,
    /// In English.
    pub message: String,
    /// The same as a code, where Berth has one.
    pub said: Option<Said>,
}

impl From<Error> for Problem {
    fn from(e: Error) -> Self {
        let said = e.said_code().cloned();
        match e {
            Error::InvalidInput { field, message, .. } => Problem {
                field: Some(field),
                message,
                said,
            },
            other => Problem {
                field: None,
                message: other.to_string(),
                said,
            },
        }
    }
}

pub enum Update {
    Connected(Engine),
    Down(Status),
    Event(EngineEvent),
}

fn down(e: Error, lost: Option<String>) -> Status {
    match e {
        Error::EngineUnreachable { attempts } => Status::Down {
            attempts,
            config_problem: None,
            lost,
        },
        other => Status::Down {
            attempts: vec![],
            config_problem: Some(other.into()),
            lost,
        },
    }
}

/// Connects and follows the engine forever.
pub async fn run<E, S>(env: E, retry: Arc<Notify>, mut sink: S)
where
    E: Fn() -> Environment,
    S: FnMut(Update),
{
    let mut lost: Option<String> = None;
    loop {
        // Events from the moment of connecting on, so none is lost between
        // "connected" (the UI loads its lists) and the stream being open.
        let since = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .ok();
        match Engine::connect(&env()).await {
            Ok(engine) => {
                sink(Update::Connected(engine.clone()));
                let mut events = Box::pin(engine.events(since));
                let why = loop {
                    tokio::select! {
                        next = events.next() => match next {
                            Some(Ok(ev)) => sink(Update::Event(ev)),
                            Some(Err(e)) => break Some(e.to_string()),
                            None => break Some("the engine closed its event stream".to_string()),
                        },
                        // Asked to connect again while connected: the
                        // endpoint was switched (another context).
                        _ = retry.notified() => break None,
                    }
                };
                lost = why.map(|why| format!("{}: {why}", engine.endpoint()));
                // Straight back to connecting: an engine restart is often quick.
                continue;
            }
            Err(e) => sink(Update::Down(down(e, lost.clone()))),
        }
        tokio::select! {
            _ = tokio::time::sleep(RETRY_EVERY) => {}
            _ = retry.notified() => {}
        }
    }
}
