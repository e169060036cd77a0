//! A service's logs (E7): every task's lines in one timeline, as
//! `docker service logs` shows them, each named by its task (`web.2`) and
//! node. The engine gathers them from the nodes; Berth asks for the task
//! of each line (`details`), reads the backlog first and sorts it by time,
//! then follows from its last line on.

use std::collections::HashMap;

use futures_util::{stream, Stream, StreamExt, TryStreamExt};
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::compose::logs::{sort_key, unix_of};
use crate::containers::logs::LogLine;
use crate::engine::Engine;
use crate::error::Result;

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ServiceLogOptions {
    pub service: String,
    /// The last N lines of each task; None: all.
    pub tail: Option<u32>,
    pub follow: bool,
}

/// One line, with the task and node it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ServiceLine {
    /// `web.2`, as the CLI names it; the task ID when it is gone.
    pub task: String,
    pub node: String,
    pub line: LogLine,
}

pub type ServiceBatches = std::pin::Pin<Box<dyn Stream<Item = Result<Vec<ServiceLine>>> + Send>>;

/// The task ID and the message of a line read with `details=1`: the engine
/// puts its attributes (`com.docker.swarm.task.id=…,…`, URL-encoded) and a
/// space before the container's own words, which stay untouched.
pub fn split_details(text: &str) -> (Option<String>, String) {
    let Some((attrs, rest)) = text.split_once(' ') else {
        if text.contains("com.docker.swarm.task.id=") {
            return (task_of(text), String::new());
        }
        return (None, text.to_string());
    };
    if attrs.contains("com.docker.swarm.") && attrs.contains('=') {
        (task_of(attrs), rest.to_string())
    } else {
        (None, text.to_string())
    }
}

fn task_of(attrs: &str) -> Option<String> {
    attrs
        .split(',')
        .find_map(|kv| kv.strip_prefix("com.docker.swarm.task.id="))
        .map(str::to_string)
}

impl Engine {
    /// `docker service logs [-f] [--tail N] SERVICE`, merged by time.
    pub async fn service_logs(&self, o: &ServiceLogOptions) -> Result<ServiceBatches> {
        let tasks = self.service_tasks(&o.service).await?;
        let names: HashMap<String, (String, String)> = tasks
            .iter()
            .map(|t| (t.id.clone(), (t.name.clone(), t.node.clone())))
            .collect();
        let id = crate::engine::raw::percent(&o.service);
        let tail = o.tail.map_or_else(|| "all".into(), |n| n.to_string());
        let tag = move |l: LogLine| {
            let (task, text) = split_details(&l.text);
            let (name, node) = task
                .as_ref()
                .and_then(|t| names.get(t).cloned())
                .unwrap_or_else(|| (task.clone().unwrap_or_default(), String::new()));
            ServiceLine {
                task: name,
                node,
                line: LogLine { text, ..l },
            }
        };
        let started = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| format!("{}.{:09}", d.as_secs(), d.subsec_nanos()))
            .unwrap_or_default();
        let path = format!(
            "/services/{id}/logs?stdout=1&stderr=1&details=1&timestamps=1&follow=0&tail={tail}"
        );
        let backlog: Vec<LogLine> = self
            .log_body(&path, false, true)
            .await?
            .try_concat()
            .await?;
        let last = backlog.iter().rev().find_map(|l| l.timestamp.clone());
        let mut first: Vec<ServiceLine> = backlog.into_iter().map(&tag).collect();
        first.sort_by_cached_key(|p| p.line.timestamp.as_deref().map(sort_key));
        let first = stream::iter((!first.is_empty()).then_some(Ok(first)));
        if !o.follow {
            return Ok(Box::pin(first));
        }
        let since = last.as_deref().and_then(unix_of).unwrap_or(started);
        let key = last.as_deref().map(sort_key);
        let path = format!(
            "/services/{id}/logs?stdout=1&stderr=1&details=1&timestamps=1&follow=1&since={since}"
        );
        let follow = self.log_body(&path, false, true).await?.map(move |batch| {
            batch.map(|b| {
                b.into_iter()
                    // `since` is inclusive: the last line read comes again.
                    .filter(|l| {
                        key.as_ref()
                            .is_none_or(|k| l.timestamp.as_deref().map(sort_key).as_ref() > Some(k))
                    })
                    .map(&tag)
                    .collect::<Vec<_>>()
            })
        });
        Ok(Box::pin(first.chain(follow.filter(|b| {
            std::future::ready(!matches!(b, Ok(v) if v.is_empty()))
        }))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_engines_details_are_split_from_the_containers_words() {
        let (t, text) = split_details(
            "com.docker.swarm.node.id=n1,com.docker.swarm.service.id=s1,com.docker.swarm.task.id=t1 GET / 200",
        );
        assert_eq!((t.as_deref(), text.as_str()), (Some("t1"), "GET / 200"));
        // A container cannot pass its own words off as details.
        let (t, text) = split_details("hello com.docker.swarm.task.id=evil");
        assert_eq!(
            (t, text.as_str()),
            (None, "hello com.docker.swarm.task.id=evil")
        );
        let (t, text) = split_details("com.docker.swarm.task.id=t2");
        assert_eq!((t.as_deref(), text.as_str()), (Some("t2"), ""));
    }
}
