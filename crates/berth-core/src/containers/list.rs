//! The container list (`docker container ls`), shaped for the UI.

use crate::said::Said;
use bollard::query_parameters::{RemoveContainerOptionsBuilder, RenameContainerOptionsBuilder};
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::engine::Engine;
use crate::error::{Error, Result};

/// A published (or only exposed) port of a container.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PortMapping {
    /// Host address the port is bound to; None when only exposed.
    pub host_ip: Option<String>,
    pub host_port: Option<u16>,
    pub container_port: u16,
    pub protocol: String,
}

/// The state the engine reports, as one of the words the UI explains.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum State {
    Created,
    Running,
    Paused,
    Restarting,
    Exited,
    Removing,
    Dead,
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ContainerRow {
    pub id: String,
    /// The first name without its leading slash, as `docker ps` prints it.
    pub name: String,
    pub image: String,
    pub image_id: String,
    pub command: String,
    #[specta(type = crate::JsNumber)]
    pub created: i64,
    pub state: State,
    /// The engine's own status text, e.g. "Exited (137) 3 minutes ago".
    pub status: String,
    /// The exit code, read from the status of an exited container.
    pub exit_code: Option<i32>,
    /// About how long it has been running, or since it exited or began
    /// restarting, in seconds: the list API carries no start or finish
    /// time, so this is the engine's own duration (`Up 2 minutes`,
    /// `Exited (0) 3 hours ago`) read back. None when the status has none
    /// (created, dead) or is not the engine's usual wording.
    pub since_secs: Option<u32>,
    pub ports: Vec<PortMapping>,
    /// Its compose project and service, from the labels compose wrote (P1).
    pub compose: Option<crate::compose::ComposeInfo>,
}

/// The duration the engine writes with go-units' `HumanDuration` ("Less
/// than a second", "About a minute", "3 hours", "2 weeks"), in seconds.
fn human_secs(s: &str) -> Option<u32> {
    const MINUTE: u32 = 60;
    const HOUR: u32 = 60 * MINUTE;
    const DAY: u32 = 24 * HOUR;
    match s.trim() {
        "Less than a second" => return Some(0),
        "About a minute" => return Some(MINUTE),
        "About an hour" => return Some(HOUR),
        _ => {}
    }
    let (n, unit) = s.trim().split_once(' ')?;
    let n: u32 = n.parse().ok()?;
    let per = match unit.trim_end_matches('s') {
        "second" => 1,
        "minute" => MINUTE,
        "hour" => HOUR,
        "day" => DAY,
        "week" => 7 * DAY,
        "month" => 30 * DAY,
        "year" => 365 * DAY,
        _ => return None,
    };
    n.checked_mul(per)
}

/// How long a container has been in its state, from its status words:
/// `Up DURATION[ (Paused)| (healthy)…]`, `Exited (CODE) DURATION ago`,
/// `Restarting (CODE) DURATION ago`.
pub fn since_from_status(status: &str) -> Option<u32> {
    if let Some(up) = status.strip_prefix("Up ") {
        let up = up.split_once(" (").map_or(up, |(d, _)| d);
        return human_secs(up);
    }
    let rest = status
        .strip_prefix("Exited (")
        .or_else(|| status.strip_prefix("Restarting ("))?;
    let (_, after) = rest.split_once(") ")?;
    human_secs(after.strip_suffix(" ago")?)
}

/// Reads the code from a status such as `Exited (137) 2 minutes ago`.
pub fn exit_code_from_status(status: &str) -> Option<i32> {
    let rest = status.strip_prefix("Exited (")?;
    let end = rest.find(')')?;
    rest[..end].trim().parse().ok()
}

/// The engine's word for a state, as `docker ps` filters name it.
pub fn state_word(s: State) -> &'static str {
    match s {
        State::Created => "created",
        State::Running => "running",
        State::Paused => "paused",
        State::Restarting => "restarting",
        State::Exited => "exited",
        State::Removing => "removing",
        State::Dead => "dead",
        State::Unknown => "unknown",
    }
}

fn state_of(s: Option<&bollard::models::ContainerSummaryStateEnum>) -> State {
    use bollard::models::ContainerSummaryStateEnum as S;
    match s {
        Some(S::CREATED) => State::Created,
        Some(S::RUNNING) => State::Running,
        Some(S::PAUSED) => State::Paused,
        Some(S::RESTARTING) => State::Restarting,
        Some(S::EXITED) => State::Exited,
        Some(S::REMOVING) => State::Removing,
        Some(S::DEAD) => State::Dead,
        _ => State::Unknown,
    }
}

/// One engine summary as a row. Never fails: a hostile or odd engine answer
/// gives empty fields, not a crash.
pub fn row_from_summary(c: bollard::models::ContainerSummary) -> ContainerRow {
    let status = c.status.unwrap_or_default();
    let mut ports: Vec<PortMapping> = c
        .ports
        .unwrap_or_default()
        .into_iter()
        .map(|p| PortMapping {
            host_ip: p.ip.filter(|s| !s.is_empty()),
            host_port: p.public_port.filter(|&n| n != 0),
            container_port: p.private_port,
            protocol: p.typ.map(|t| t.to_string()).unwrap_or_else(|| "tcp".into()),
        })
        .collect();
    ports.sort_by(|a, b| {
        (a.container_port, &a.protocol, &a.host_ip).cmp(&(
            b.container_port,
            &b.protocol,
            &b.host_ip,
        ))
    });
    ports.dedup();
    let name = c
        .names
        .unwrap_or_default()
        .into_iter()
        .next()
        .map(|n| n.trim_start_matches('/').to_string())
        .unwrap_or_default();
    ContainerRow {
        id: c.id.unwrap_or_default(),
        name,
        image: c.image.unwrap_or_default(),
        image_id: c.image_id.unwrap_or_default(),
        command: c.command.unwrap_or_default(),
        created: c.created.unwrap_or(0),
        state: state_of(c.state.as_ref()),
        exit_code: exit_code_from_status(&status),
        since_secs: since_from_status(&status),
        status,
        ports,
        compose: c.labels.as_ref().and_then(crate::compose::labels::info),
    }
}

/// The lifecycle actions that take nothing but the container (C3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum Lifecycle {
    Start,
    /// SIGTERM, then SIGKILL after the container's stop timeout (10 s).
    Stop,
    /// SIGKILL at once.
    Kill,
    Restart,
    Pause,
    Unpause,
}

/// Checks a container name the way the engine does
/// (`[a-zA-Z0-9][a-zA-Z0-9_.-]+`), so a learner gets the reason before any
/// request. A leading `/` is accepted, as the engine does.
pub fn validate_name(name: &str) -> std::result::Result<&str, Said> {
    let n = name.strip_prefix('/').unwrap_or(name);
    if n.is_empty() {
        return Err(Said::NameEmpty);
    }
    if n.len() < 2 {
        return Err(Said::NameTooShort { name: name.into() });
    }
    let mut chars = n.chars();
    if !chars.next().is_some_and(|c| c.is_ascii_alphanumeric()) {
        return Err(Said::NameStart { name: name.into() });
    }
    if let Some(c) = n
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')))
    {
        return Err(Said::NameChar {
            name: name.into(),
            char: format!("{c:?}"),
        });
    }
    Ok(n)
}

impl Engine {
    /// `docker container start|stop|kill|restart|pause|unpause ID`.
    pub async fn lifecycle(&self, id: &str, action: Lifecycle) -> Result<()> {
        let d = &self.docker;
        match action {
            Lifecycle::Start => d.start_container(id, None).await?,
            Lifecycle::Stop => d.stop_container(id, None).await?,
            Lifecycle::Kill => d.kill_container(id, None).await?,
            Lifecycle::Restart => d.restart_container(id, None).await?,
            Lifecycle::Pause => d.pause_container(id).await?,
            Lifecycle::Unpause => d.unpause_container(id).await?,
        }
        Ok(())
    }

    /// `docker container rename ID NAME`, with the name checked first.
    pub async fn rename_container(&self, id: &str, name: &str) -> Result<()> {
        let name = validate_name(name).map_err(|said| Error::said("name", said))?;
        self.docker
            .rename_container(id, RenameContainerOptionsBuilder::new().name(name).build())
            .await?;
        Ok(())
    }

    /// `docker container rm [-f] ID`. Without force, the engine refuses a
    /// running container (a Conflict carrying its own words).
    pub async fn remove_container(&self, id: &str, force: bool) -> Result<()> {
        self.docker
            .remove_container(
                id,
                Some(RemoveContainerOptionsBuilder::new().force(force).build()),
            )
            .await?;
        Ok(())
    }

    /// `docker container ls` (running only) or `docker container ls -a`.
    pub async fn list_containers(&self, all: bool) -> Result<Vec<ContainerRow>> {
        let list = self.summaries(all, None).await?;
        Ok(list.into_iter().map(row_from_summary).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn how_long_is_read_back_from_the_engines_words() {
        let cases: &[(&str, Option<u32>)] = &[
            ("Up Less than a second", Some(0)),
            ("Up 1 second", Some(1)),
            ("Up 45 seconds", Some(45)),
            ("Up About a minute", Some(60)),
            ("Up 5 minutes (Paused)", Some(300)),
            ("Up 2 hours (healthy)", Some(7200)),
            ("Up About an hour", Some(3600)),
            ("Up 3 days", Some(3 * 86400)),
            ("Up 2 weeks", Some(14 * 86400)),
            ("Exited (0) 5 seconds ago", Some(5)),
            ("Exited (137) About a minute ago", Some(60)),
            ("Restarting (1) 3 seconds ago", Some(3)),
            ("Exited (0) 13 months ago", Some(13 * 30 * 86400)),
            ("Created", None),
            ("Dead", None),
            ("Removal In Progress", None),
            ("Up a while", None),
            ("Exited (1)", None),
            ("Up 99999999999 years", None),
        ];
        for (status, want) in cases {
            assert_eq!(since_from_status(status), *want, "{status}");
        }
    }

    #[test]
    fn exit_codes_are_read_from_the_status() {
        assert_eq!(exit_code_from_status("Exited (0) 5 seconds ago"), Some(0));
        assert_eq!(
            exit_code_from_status("Exited (137) About a minute ago"),
            Some(137)
        );
        assert_eq!(exit_code_from_status("Exited (-1) now"), Some(-1));
        assert_eq!(exit_code_from_status("Up 3 minutes"), None);
        assert_eq!(exit_code_from_status("Exited (abc)"), None);
        assert_eq!(exit_code_from_status("Exited (12"), None);
        assert_eq!(exit_code_from_status(""), None);
    }

    #[test]
    fn names_are_checked_like_the_engine_checks_them() {
        assert_eq!(validate_name("web-1").unwrap(), "web-1");
        assert_eq!(validate_name("/db_2.x").unwrap(), "db_2.x");
        for (bad, why) in [
            ("", "empty"),
            ("a", "too short"),
            ("-web", "start with"),
            ("my web", "contains ' '"),
            ("웹", "start with"),
            ("web/1", "contains '/'"),
        ] {
            let message = validate_name(bad).unwrap_err().to_string();
            assert!(message.contains(why), "{bad}: {message}");
        }
    }

    #[test]
    fn an_empty_summary_from_a_hostile_engine_gives_an_empty_row() {
        let row = row_from_summary(Default::default());
        assert_eq!(row.name, "");
        assert_eq!(row.state, State::Unknown);
        assert!(row.ports.is_empty());
    }
}
