//! Volumes (S1) and how storage attaches to containers (S2): the volume
//! list with who uses each volume, create, remove (refused while in use,
//! naming the containers), prune with an exact preview, and the storage
//! overview of every container's binds, volumes and tmpfs side by side.

use std::collections::{BTreeMap, HashMap};

use bollard::models::VolumeCreateRequest;
use bollard::query_parameters::{PruneVolumesOptionsBuilder, RemoveVolumeOptionsBuilder};
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::containers::validate_name;
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::said::Said;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct VolumeInfo {
    pub name: String,
    pub driver: String,
    /// Where the data lives on the engine's host.
    pub mountpoint: String,
    pub created: Option<String>,
    pub labels: BTreeMap<String, String>,
    pub options: BTreeMap<String, String>,
    /// Made by a Dockerfile VOLUME or `-v /path` with no name: a 64-hex name.
    pub anonymous: bool,
    /// Containers (running or not) that mount it, by name.
    pub used_by: Vec<String>,
    /// Bytes on disk, when asked for (it costs a disk scan).
    #[specta(type = Option<crate::JsNumber>)]
    pub size: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct VolumeForm {
    /// Empty: the engine picks a (64-hex) name.
    pub name: String,
    /// Empty: `local`.
    pub driver: String,
    /// `-o KEY=VALUE`, one per row.
    pub options: Vec<String>,
    /// `--label KEY=VALUE`, one per row.
    pub labels: Vec<String>,
}

/// One container's storage, for the overview (S2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct StorageRow {
    pub container: String,
    pub container_id: String,
    pub state: String,
    pub mounts: Vec<crate::containers::details::Mount>,
}

pub fn is_anonymous(name: &str) -> bool {
    name.len() == 64 && name.bytes().all(|b| b.is_ascii_hexdigit())
}

fn pairs(field: &str, rows: &[String]) -> Result<HashMap<String, String>> {
    let mut out = HashMap::new();
    for (i, r) in rows.iter().enumerate() {
        let r = r.trim();
        if r.is_empty() {
            continue;
        }
        match r.split_once('=') {
            Some((k, v)) if !k.trim().is_empty() => {
                out.insert(k.trim().to_string(), v.to_string());
            }
            _ => {
                return Err(Error::said(
                    format!("{field}.{i}"),
                    Said::NotKeyValue { row: r.to_string() },
                ))
            }
        }
    }
    Ok(out)
}

impl Engine {
    /// Container names by the volumes they mount.
    async fn volume_users(&self) -> Result<HashMap<String, Vec<String>>> {
        let list = self.summaries(true, None).await?;
        let mut users: HashMap<String, Vec<String>> = HashMap::new();
        for c in list {
            let name = c
                .names
                .and_then(|n| n.into_iter().next())
                .map(|n| n.trim_start_matches('/').to_string())
                .unwrap_or_default();
            for m in c.mounts.unwrap_or_default() {
                if let Some(v) = m.name {
                    users.entry(v).or_default().push(name.clone());
                }
            }
        }
        Ok(users)
    }

    /// `docker volume ls`, with users and (when `sizes`) sizes from `docker system df -v`.
    pub async fn list_volumes(&self, sizes: bool) -> Result<Vec<VolumeInfo>> {
        let list = self
            .docker
            .list_volumes(None::<bollard::query_parameters::ListVolumesOptions>)
            .await?;
        let users = self.volume_users().await?;
        let size_of: HashMap<String, i64> = if sizes {
            self.df_json().await?["Volumes"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|v| {
                            Some((
                                v["Name"].as_str()?.to_string(),
                                v["UsageData"]["Size"].as_i64()?,
                            ))
                        })
                        .collect()
                })
                .unwrap_or_default()
        } else {
            HashMap::new()
        };
        let mut rows: Vec<VolumeInfo> = list
            .volumes
            .unwrap_or_default()
            .into_iter()
            .map(|v| {
                let mut used_by = users.get(&v.name).cloned().unwrap_or_default();
                used_by.sort();
                VolumeInfo {
                    anonymous: is_anonymous(&v.name)
                        || v.labels.contains_key("com.docker.volume.anonymous"),
                    size: size_of.get(&v.name).copied().filter(|s| *s >= 0),
                    name: v.name,
                    driver: v.driver,
                    mountpoint: v.mountpoint,
                    created: v.created_at.map(|d| d.to_string()),
                    labels: v.labels.into_iter().collect(),
                    options: v.options.into_iter().collect(),
                    used_by,
                }
            })
            .collect();
        rows.sort_by(|a, b| (a.anonymous, &a.name).cmp(&(b.anonymous, &b.name)));
        Ok(rows)
    }

    /// `docker volume create [--driver D] [-o K=V] [--label K=V] [NAME]`.
    pub async fn create_volume(&self, form: &VolumeForm) -> Result<String> {
        let name = form.name.trim();
        if !name.is_empty() {
            validate_name(name).map_err(|said| Error::said("name", said))?;
            if self.docker.inspect_volume(name).await.is_ok() {
                return Err(Error::conflict(Said::VolumeExists { name: name.into() }));
            }
        }
        let v = self
            .docker
            .create_volume(VolumeCreateRequest {
                name: (!name.is_empty()).then(|| name.to_string()),
                driver: Some(if form.driver.trim().is_empty() {
                    "local".into()
                } else {
                    form.driver.trim().into()
                }),
                driver_opts: Some(pairs("options", &form.options)?),
                labels: Some(pairs("labels", &form.labels)?),
                ..Default::default()
            })
            .await?;
        Ok(v.name)
    }

    /// `docker volume rm NAME`, refused while containers (even stopped
    /// ones) use it, naming them.
    pub async fn remove_volume(&self, name: &str) -> Result<()> {
        let users = self.volume_users().await?;
        if let Some(u) = users.get(name).filter(|u| !u.is_empty()) {
            return Err(Error::conflict(Said::VolumeInUse {
                volume: name.into(),
                users: u.join(", "),
                count: crate::said::len32(u.len()),
            }));
        }
        self.docker
            .remove_volume(name, Some(RemoveVolumeOptionsBuilder::new().build()))
            .await?;
        Ok(())
    }

    /// What `docker volume prune [--filter label=...]` would delete: every
    /// volume no container uses (API 1.41 prunes named ones too).
    pub async fn volume_prune_preview(&self, labels: &[String]) -> Result<Vec<VolumeInfo>> {
        let all = self.list_volumes(true).await?;
        Ok(all
            .into_iter()
            .filter(|v| v.used_by.is_empty())
            .filter(|v| {
                labels.iter().all(|f| match f.split_once('=') {
                    Some((k, val)) => v.labels.get(k).is_some_and(|x| x == val),
                    None => v.labels.contains_key(f.as_str()),
                })
            })
            .collect())
    }

    /// `docker volume prune [--filter label=...]`: the names deleted and the bytes freed.
    pub async fn prune_volumes(&self, labels: &[String]) -> Result<(Vec<String>, i64)> {
        let mut filters: HashMap<String, Vec<String>> = HashMap::new();
        if !labels.is_empty() {
            filters.insert("label".into(), labels.to_vec());
        }
        let r = self
            .docker
            .prune_volumes(Some(
                PruneVolumesOptionsBuilder::new().filters(&filters).build(),
            ))
            .await?;
        let mut deleted = r.volumes_deleted.unwrap_or_default();
        deleted.sort();
        Ok((deleted, r.space_reclaimed.unwrap_or(0)))
    }

    /// Every container's binds, volumes and tmpfs (S2).
    pub async fn storage_overview(&self) -> Result<Vec<StorageRow>> {
        let list = self.list_containers(true).await?;
        let mut out = Vec::new();
        for c in list {
            // Tmpfs lives only in the full inspect, not in the list's mounts.
            let Ok(d) = self.container_details(&c.id).await else {
                continue;
            };
            if d.mounts.is_empty() {
                continue;
            }
            out.push(StorageRow {
                container: c.name,
                container_id: c.id,
                state: crate::containers::state_word(c.state).into(),
                mounts: d.mounts,
            });
        }
        out.sort_by(|a, b| a.container.cmp(&b.container));
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anonymous_volumes_are_known_by_their_hex_names() {
        assert!(is_anonymous(&"a1".repeat(32)));
        assert!(!is_anonymous("data"));
        assert!(!is_anonymous(&"g".repeat(64)));
    }

    #[test]
    fn options_and_labels_are_key_value_rows() {
        let m = pairs("labels", &["a=1".into(), " ".into(), "b=x=y".into()]).unwrap();
        assert_eq!(m["a"], "1");
        assert_eq!(m["b"], "x=y");
        match pairs("labels", &["novalue".into()]).unwrap_err() {
            Error::InvalidInput { field, .. } => assert_eq!(field, "labels.0"),
            e => panic!("{e:?}"),
        }
    }
}
