//! The labels compose puts on what it creates (P1). `docker compose` (v2),
//! `docker-compose` (v1) and Podman's compose all write them; they differ
//! only in details read here: v1 writes one config file, relative to the
//! working folder, v2 absolute paths joined by commas; `oneoff` is "True" or
//! "False" in both.

use std::collections::HashMap;

use serde::Serialize;
use specta::Type;

pub const PROJECT: &str = "com.docker.compose.project";
pub const SERVICE: &str = "com.docker.compose.service";
pub const NUMBER: &str = "com.docker.compose.container-number";
pub const ONEOFF: &str = "com.docker.compose.oneoff";
pub const WORKING_DIR: &str = "com.docker.compose.project.working_dir";
pub const CONFIG_FILES: &str = "com.docker.compose.project.config_files";

/// A container's place in its compose project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ComposeInfo {
    pub project: String,
    /// Empty for a container that names a project but no service.
    pub service: String,
    /// The replica's number within its service (1, 2, …).
    pub number: Option<u32>,
    /// Made by `compose run`: a one-off task, not one of the service's
    /// replicas.
    pub oneoff: bool,
    /// The folder compose ran in (relative paths of the file start there).
    pub working_dir: String,
    /// The compose files, as absolute paths where the folder is known.
    pub config_files: Vec<String>,
}

/// The compose labels of a container, if it has a project.
pub fn info(labels: &HashMap<String, String>) -> Option<ComposeInfo> {
    let project = labels.get(PROJECT).filter(|p| !p.is_empty())?.clone();
    let working_dir = labels.get(WORKING_DIR).cloned().unwrap_or_default();
    let config_files = labels
        .get(CONFIG_FILES)
        .map(|f| config_files(f, &working_dir))
        .unwrap_or_default();
    Some(ComposeInfo {
        project,
        service: labels.get(SERVICE).cloned().unwrap_or_default(),
        number: labels.get(NUMBER).and_then(|n| n.trim().parse().ok()),
        oneoff: labels
            .get(ONEOFF)
            .is_some_and(|v| v.eq_ignore_ascii_case("true")),
        working_dir,
        config_files,
    })
}

/// v2's comma-joined absolute paths, or v1's one path relative to the
/// working folder.
fn config_files(value: &str, working_dir: &str) -> Vec<String> {
    value
        .split(',')
        .map(str::trim)
        .filter(|f| !f.is_empty())
        .map(|f| {
            if f.starts_with('/') || working_dir.is_empty() || is_windows_absolute(f) {
                f.to_string()
            } else {
                format!(
                    "{}/{}",
                    working_dir.trim_end_matches('/'),
                    f.trim_start_matches("./")
                )
            }
        })
        .collect()
}

fn is_windows_absolute(p: &str) -> bool {
    let b = p.as_bytes();
    b.len() >= 3 && b[0].is_ascii_alphabetic() && b[1] == b':' && matches!(b[2], b'\\' | b'/')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn v1_and_v2_labels_read_the_same() {
        let v1 = info(&labels(&[
            (PROJECT, "web"),
            (SERVICE, "app"),
            (NUMBER, "2"),
            (ONEOFF, "False"),
            (WORKING_DIR, "/srv/web"),
            (CONFIG_FILES, "docker-compose.yml"),
        ]))
        .unwrap();
        assert_eq!(v1.config_files, ["/srv/web/docker-compose.yml"]);
        assert_eq!((v1.number, v1.oneoff), (Some(2), false));
        let v2 = info(&labels(&[
            (PROJECT, "web"),
            (SERVICE, "app"),
            (ONEOFF, "True"),
            (WORKING_DIR, "/srv/web"),
            (
                CONFIG_FILES,
                "/srv/web/compose.yaml,/srv/web/compose.override.yaml",
            ),
        ]))
        .unwrap();
        assert_eq!(
            v2.config_files,
            ["/srv/web/compose.yaml", "/srv/web/compose.override.yaml"]
        );
        assert!(v2.oneoff);
        assert_eq!(v2.number, None);
        assert!(info(&labels(&[(SERVICE, "x")])).is_none());
        assert!(info(&labels(&[(PROJECT, "")])).is_none());
    }

    #[test]
    fn a_hostile_number_is_no_number() {
        let i = info(&labels(&[(PROJECT, "p"), (NUMBER, "-1; rm -rf /")])).unwrap();
        assert_eq!(i.number, None);
        assert_eq!(i.service, "");
    }
}
