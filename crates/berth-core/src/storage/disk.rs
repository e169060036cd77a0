//! Disk usage, computed like `docker system df`.
//!
//! Engines before API 1.52 send lists (Images, Containers, Volumes,
//! BuildCache, LayersSize) and the client sums them; newer engines send the
//! sums (ImageUsage, ...). [`from_df_json`] reads either, with the CLI's rules
//! for what counts as reclaimable.

use serde::Serialize;
use serde_json::Value;
use specta::Type;

use crate::engine::endpoint::Address;
use crate::engine::Engine;
use crate::error::Result;

/// One row of `docker system df`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct UsageRow {
    pub total_count: u32,
    pub active_count: u32,
    #[specta(type = crate::JsNumber)]
    pub size_bytes: i64,
    #[specta(type = crate::JsNumber)]
    pub reclaimable_bytes: i64,
    /// The engine reported 0 bytes where it holds data (Podman does for
    /// images): the size is not measured, not empty.
    pub unreported: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct DiskUsage {
    pub images: UsageRow,
    pub containers: UsageRow,
    pub volumes: UsageRow,
    pub build_cache: UsageRow,
}

impl DiskUsage {
    pub fn total_bytes(&self) -> i64 {
        self.images.size_bytes
            + self.containers.size_bytes
            + self.volumes.size_bytes
            + self.build_cache.size_bytes
    }
}

fn int(v: &Value) -> i64 {
    v.as_i64().unwrap_or(0)
}

fn list(v: &Value) -> &[Value] {
    v.as_array().map(Vec::as_slice).unwrap_or(&[])
}

fn summed(v: &Value) -> UsageRow {
    UsageRow {
        total_count: int(&v["TotalCount"]).max(0) as u32,
        active_count: int(&v["ActiveCount"]).max(0) as u32,
        size_bytes: int(&v["TotalSize"]).max(0),
        reclaimable_bytes: int(&v["Reclaimable"]).max(0),
        unreported: false,
    }
}

/// Reads either shape of the `/system/df` answer.
pub fn from_df_json(df: &Value) -> DiskUsage {
    if df.get("ImageUsage").is_some() {
        return DiskUsage {
            images: summed(&df["ImageUsage"]),
            containers: summed(&df["ContainerUsage"]),
            volumes: summed(&df["VolumeUsage"]),
            build_cache: summed(&df["BuildCacheUsage"]),
        };
    }

    // Podman lists an image once per tag: counted once, as Docker lists it.
    let mut seen = std::collections::HashSet::new();
    let images: Vec<&Value> = list(&df["Images"])
        .iter()
        .filter(|i| {
            i["Id"]
                .as_str()
                .is_none_or(|id| seen.insert(id.to_string()))
        })
        .collect();
    let total = int(&df["LayersSize"]).max(0);
    // The CLI: what is used is each in-use image's unique part; the rest of
    // the layer store could be reclaimed.
    let used: i64 = images
        .iter()
        .filter(|i| int(&i["Containers"]) > 0)
        .filter(|i| int(&i["Size"]) >= 0 && int(&i["SharedSize"]) >= 0)
        .map(|i| int(&i["Size"]) - int(&i["SharedSize"]))
        .sum();
    let image_row = UsageRow {
        total_count: images.len() as u32,
        active_count: images.iter().filter(|i| int(&i["Containers"]) > 0).count() as u32,
        size_bytes: total,
        reclaimable_bytes: (total - used).max(0),
        unreported: total == 0 && images.iter().any(|i| int(&i["Size"]) > 0),
    };

    let containers = list(&df["Containers"]);
    let running = |c: &Value| {
        matches!(
            c["State"].as_str(),
            Some("running" | "paused" | "restarting")
        )
    };
    let container_row = UsageRow {
        total_count: containers.len() as u32,
        active_count: containers.iter().filter(|c| running(c)).count() as u32,
        size_bytes: containers.iter().map(|c| int(&c["SizeRw"]).max(0)).sum(),
        reclaimable_bytes: containers
            .iter()
            .filter(|c| !running(c))
            .map(|c| int(&c["SizeRw"]).max(0))
            .sum(),
        unreported: false,
    };

    let volumes = list(&df["Volumes"]);
    let refs = |v: &Value| int(&v["UsageData"]["RefCount"]);
    let vsize = |v: &Value| int(&v["UsageData"]["Size"]).max(0);
    let volume_row = UsageRow {
        total_count: volumes.len() as u32,
        active_count: volumes.iter().filter(|v| refs(v) > 0).count() as u32,
        size_bytes: volumes.iter().map(vsize).sum(),
        reclaimable_bytes: volumes.iter().filter(|v| refs(v) == 0).map(vsize).sum(),
        unreported: false,
    };

    let cache = list(&df["BuildCache"]);
    let flag = |c: &Value, k: &str| c[k].as_bool().unwrap_or(false);
    let cache_row = UsageRow {
        total_count: cache.len() as u32,
        active_count: cache.iter().filter(|c| flag(c, "InUse")).count() as u32,
        size_bytes: cache
            .iter()
            .filter(|c| !flag(c, "Shared"))
            .map(|c| int(&c["Size"]).max(0))
            .sum(),
        reclaimable_bytes: cache
            .iter()
            .filter(|c| !flag(c, "Shared") && !flag(c, "InUse"))
            .map(|c| int(&c["Size"]).max(0))
            .sum(),
        unreported: false,
    };

    DiskUsage {
        images: image_row,
        containers: container_row,
        volumes: volume_row,
        build_cache: cache_row,
    }
}

impl Engine {
    /// `docker system df`.
    pub async fn disk_usage(&self) -> Result<DiskUsage> {
        Ok(from_df_json(&self.df_json().await?))
    }

    /// The engine's `/system/df` answer as JSON, in whichever shape the
    /// engine speaks (bollard's typed call only reads the 1.52+ one).
    pub(crate) async fn df_json(&self) -> Result<Value> {
        match &self.address {
            Address::Unix(_) | Address::Tcp { .. } => {
                crate::engine::raw::get_json(&self.address, &self.api_version(), "/system/df").await
            }
            // Named pipes: bollard's typed call, which reads the 1.52+ shape.
            _ => Ok(serde_json::to_value(self.docker.df(None).await?).unwrap_or_default()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_legacy_shape_is_summed_with_the_clis_rules() {
        let df = json!({
            "LayersSize": 1000,
            "Images": [
                {"Size": 600, "SharedSize": 100, "Containers": 1},
                {"Size": 300, "SharedSize": 100, "Containers": 0}
            ],
            "Containers": [
                {"State": "running", "SizeRw": 10},
                {"State": "exited", "SizeRw": 5}
            ],
            "Volumes": [
                {"UsageData": {"Size": 50, "RefCount": 1}},
                {"UsageData": {"Size": 20, "RefCount": 0}},
                {"UsageData": {"Size": -1, "RefCount": -1}}
            ],
            "BuildCache": [
                {"Size": 7, "InUse": false, "Shared": false},
                {"Size": 9, "InUse": true, "Shared": false},
                {"Size": 100, "InUse": false, "Shared": true}
            ]
        });
        let d = from_df_json(&df);
        assert_eq!(
            d.images,
            UsageRow {
                total_count: 2,
                active_count: 1,
                size_bytes: 1000,
                reclaimable_bytes: 500,
                unreported: false
            }
        );
        assert_eq!(
            d.containers,
            UsageRow {
                total_count: 2,
                active_count: 1,
                size_bytes: 15,
                reclaimable_bytes: 5,
                unreported: false
            }
        );
        assert_eq!(
            d.volumes,
            UsageRow {
                total_count: 3,
                active_count: 1,
                size_bytes: 70,
                reclaimable_bytes: 20,
                unreported: false
            }
        );
        assert_eq!(
            d.build_cache,
            UsageRow {
                total_count: 3,
                active_count: 1,
                size_bytes: 16,
                reclaimable_bytes: 7,
                unreported: false
            }
        );
        assert_eq!(d.total_bytes(), 1101);
    }

    #[test]
    fn podmans_images_listed_per_tag_and_sized_0_are_counted_once_and_flagged() {
        let img = json!({"Id": "a", "Containers": 1, "Size": 2126376, "SharedSize": 0});
        let df = json!({"LayersSize": 0, "Images": [img, img], "Containers": [], "Volumes": [], "BuildCache": []});
        let d = from_df_json(&df);
        assert_eq!(d.images.total_count, 1);
        assert!(d.images.unreported && d.images.size_bytes == 0);
        assert!(!d.containers.unreported);
    }

    #[test]
    fn the_new_shape_is_read_as_sent() {
        let df = json!({
            "ImageUsage": {"ActiveCount": 1, "TotalCount": 3, "TotalSize": 900, "Reclaimable": 400},
            "ContainerUsage": {"ActiveCount": 0, "TotalCount": 1, "TotalSize": 3, "Reclaimable": 3},
            "VolumeUsage": {"ActiveCount": 0, "TotalCount": 0, "TotalSize": 0, "Reclaimable": 0},
            "BuildCacheUsage": {"ActiveCount": 0, "TotalCount": 0, "TotalSize": 0, "Reclaimable": 0}
        });
        let d = from_df_json(&df);
        assert_eq!(d.images.reclaimable_bytes, 400);
        assert_eq!(d.containers.total_count, 1);
    }

    #[test]
    fn a_hostile_or_empty_answer_gives_zeros_not_a_panic() {
        for df in [
            json!(null),
            json!({"Images": "x", "LayersSize": "big"}),
            json!({"Containers": [1, 2]}),
        ] {
            let d = from_df_json(&df);
            assert_eq!(d.images.size_bytes, 0);
        }
    }
}
