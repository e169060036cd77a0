//! `docker image prune [-a]` with a preview (I6): exactly which images go
//! and how much space that frees, worked out before anything is deleted.
//!
//! The preview follows the engine's own rules (moby `daemon/images/
//! prune.go`, 20.10): dangling mode looks only at images nothing is built
//! on; an untagged image something is built on is left; an image a
//! container uses (running or not) is left; a deleted image takes its
//! untagged parents with it when nothing else is built on them. The space
//! is the size of every layer that no remaining image has, as the engine
//! counts `SpaceReclaimed`.

use std::collections::{HashMap, HashSet};

use bollard::query_parameters::{ListImagesOptions, PruneImagesOptionsBuilder};
use serde::Serialize;
use specta::Type;

use crate::engine::Engine;
use crate::error::Result;
use crate::images::details::chain_ids;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PruneItem {
    pub id: String,
    /// Its tags (prune -a removes tagged images nothing uses).
    pub tags: Vec<String>,
    #[specta(type = crate::JsNumber)]
    pub created: i64,
    #[specta(type = crate::JsNumber)]
    pub size: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PrunePlan {
    /// Every image that goes, tagged or not.
    pub images: Vec<PruneItem>,
    /// Tagged images that only lose their tags: other images are built on
    /// them, so their layers stay.
    pub untag_only: Vec<PruneItem>,
    /// What removing them frees: the layers no remaining image has.
    #[specta(type = crate::JsNumber)]
    pub reclaim_bytes: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PruneDone {
    pub deleted: Vec<String>,
    pub untagged: Vec<String>,
    #[specta(type = crate::JsNumber)]
    pub reclaimed_bytes: i64,
}

#[derive(Debug, Clone)]
struct Img {
    id: String,
    parent: String,
    tags: Vec<String>,
    digests: Vec<String>,
    labels: HashMap<String, String>,
    created: i64,
    size: i64,
}

/// `label=KEY` or `label=KEY=VALUE` filters, as the engine matches them.
fn labels_match(labels: &HashMap<String, String>, filters: &[String]) -> bool {
    filters.iter().all(|f| match f.split_once('=') {
        Some((k, v)) => labels.get(k).is_some_and(|x| x == v),
        None => labels.contains_key(f.as_str()),
    })
}

/// The engine's choice, given every image, which ones containers use, and
/// the label filters: the images deleted, and (in `-a` mode) the tagged
/// ones that are only untagged because something is still built on them.
fn choose(
    images: &[Img],
    used: &HashSet<String>,
    all: bool,
    labels: &[String],
) -> (Vec<String>, Vec<String>) {
    let by_id: HashMap<&str, &Img> = images.iter().map(|i| (i.id.as_str(), i)).collect();
    let mut children: HashMap<&str, Vec<&str>> = HashMap::new();
    for i in images {
        if !i.parent.is_empty() {
            children
                .entry(i.parent.as_str())
                .or_default()
                .push(i.id.as_str());
        }
    }
    let has_children = |id: &str| children.get(id).is_some_and(|c| !c.is_empty());
    let mut top: Vec<&Img> = images
        .iter()
        .filter(|i| all || !has_children(&i.id))
        .filter(|i| !(i.tags.is_empty() && i.digests.is_empty() && has_children(&i.id)))
        .filter(|i| labels_match(&i.labels, labels))
        .filter(|i| all || i.tags.is_empty())
        .filter(|i| !used.contains(&i.id))
        .collect();
    top.sort_by(|a, b| a.id.cmp(&b.id));

    let mut gone: Vec<String> = Vec::new();
    let mut gone_set: HashSet<String> = HashSet::new();
    let free = |id: &str, gone_set: &HashSet<String>| {
        children
            .get(id)
            .is_none_or(|cs| cs.iter().all(|c| gone_set.contains(*c)))
    };
    // Until nothing changes: the engine's order is random, its outcome is not.
    loop {
        let before = gone.len();
        for i in &top {
            if gone_set.contains(&i.id) || !free(&i.id, &gone_set) {
                continue;
            }
            gone_set.insert(i.id.clone());
            gone.push(i.id.clone());
            // Untagged parents go too once nothing else is built on them.
            let mut p = i.parent.as_str();
            while let Some(parent) = by_id.get(p) {
                let orphan = parent.tags.is_empty()
                    && parent.digests.is_empty()
                    && !used.contains(&parent.id)
                    && free(p, &gone_set);
                if !orphan || gone_set.contains(&parent.id) {
                    break;
                }
                gone_set.insert(parent.id.clone());
                gone.push(parent.id.clone());
                p = parent.parent.as_str();
            }
        }
        if gone.len() == before {
            break;
        }
    }
    let untag_only = top
        .iter()
        .filter(|i| !gone_set.contains(&i.id) && !i.tags.is_empty())
        .map(|i| i.id.clone())
        .collect();
    (gone, untag_only)
}

impl Engine {
    async fn all_images(&self) -> Result<Vec<Img>> {
        let list = self
            .docker
            .list_images(Some(ListImagesOptions {
                all: true,
                ..Default::default()
            }))
            .await?;
        Ok(list
            .into_iter()
            .map(|s| Img {
                id: s.id,
                parent: s.parent_id,
                tags: s
                    .repo_tags
                    .into_iter()
                    .filter(|t| t != "<none>:<none>")
                    .collect(),
                digests: s
                    .repo_digests
                    .into_iter()
                    .filter(|d| !d.starts_with("<none>@"))
                    .collect(),
                labels: s.labels,
                created: s.created,
                size: s.size,
            })
            .collect())
    }

    /// Each image's layers as (chain ID, size), sizes from its history.
    async fn layer_sizes(&self, id: &str) -> Result<Vec<(String, i64)>> {
        let i = self.docker.inspect_image(id).await?;
        let diff_ids = i.root_fs.and_then(|r| r.layers).unwrap_or_default();
        let (steps, _) = self.history_steps(id, &diff_ids).await?;
        let size_of: HashMap<String, i64> = steps
            .into_iter()
            .filter_map(|s| s.diff_id.map(|d| (d, s.size)))
            .collect();
        Ok(chain_ids(&diff_ids)
            .into_iter()
            .zip(diff_ids.iter())
            .map(|(c, d)| (c, size_of.get(d).copied().unwrap_or(0)))
            .collect())
    }

    /// What `docker image prune [-a] [--filter label=...]` would delete,
    /// without deleting anything.
    pub async fn prune_preview(&self, all: bool, labels: &[String]) -> Result<PrunePlan> {
        let images = self.all_images().await?;
        let used: HashSet<String> = self
            .list_containers(true)
            .await?
            .into_iter()
            .map(|c| c.image_id)
            .collect();
        let (gone, untag_only) = choose(&images, &used, all, labels);
        let gone_set: HashSet<&String> = gone.iter().collect();
        let mut kept_chains: HashSet<String> = HashSet::new();
        let mut gone_chains: HashMap<String, i64> = HashMap::new();
        for i in &images {
            for (chain, size) in self.layer_sizes(&i.id).await.unwrap_or_default() {
                if gone_set.contains(&i.id) {
                    gone_chains.insert(chain, size);
                } else {
                    kept_chains.insert(chain);
                }
            }
        }
        let reclaim_bytes = gone_chains
            .iter()
            .filter(|(c, _)| !kept_chains.contains(*c))
            .map(|(_, s)| *s)
            .sum();
        let by_id: HashMap<&str, &Img> = images.iter().map(|i| (i.id.as_str(), i)).collect();
        let items = |ids: &[String]| {
            ids.iter()
                .filter_map(|id| by_id.get(id.as_str()))
                .map(|i| PruneItem {
                    id: i.id.clone(),
                    tags: i.tags.clone(),
                    created: i.created,
                    size: i.size,
                })
                .collect()
        };
        Ok(PrunePlan {
            images: items(&gone),
            untag_only: items(&untag_only),
            reclaim_bytes,
        })
    }

    /// `docker image prune [-a] [--filter label=...]`.
    pub async fn prune_images(&self, all: bool, labels: &[String]) -> Result<PruneDone> {
        let mut filters: HashMap<String, Vec<String>> = HashMap::new();
        filters.insert("dangling".into(), vec![(!all).to_string()]);
        if !labels.is_empty() {
            filters.insert("label".into(), labels.to_vec());
        }
        let r = self
            .docker
            .prune_images(Some(
                PruneImagesOptionsBuilder::new().filters(&filters).build(),
            ))
            .await?;
        let items = r.images_deleted.unwrap_or_default();
        Ok(PruneDone {
            deleted: items.iter().filter_map(|i| i.deleted.clone()).collect(),
            untagged: items.iter().filter_map(|i| i.untagged.clone()).collect(),
            reclaimed_bytes: r.space_reclaimed.unwrap_or(0),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn img(id: &str, parent: &str, tags: &[&str]) -> Img {
        Img {
            id: id.into(),
            parent: parent.into(),
            tags: tags.iter().map(|t| t.to_string()).collect(),
            digests: vec![],
            labels: HashMap::new(),
            created: 0,
            size: 0,
        }
    }

    #[test]
    fn dangling_mode_takes_untagged_leaves_and_their_orphaned_parents() {
        // base(tagged) <- mid(untagged) <- old(untagged leaf): old goes, mid follows.
        // base <- mid2(untagged) <- app(tagged): nothing of that chain goes.
        let images = vec![
            img("base", "", &["busybox:1"]),
            img("mid", "base", &[]),
            img("old", "mid", &[]),
            img("mid2", "base", &[]),
            img("app", "mid2", &["app:1"]),
            img("used", "", &[]),
        ];
        let used = HashSet::from(["used".to_string()]);
        assert_eq!(choose(&images, &used, false, &[]).0, ["old", "mid"]);
    }

    #[test]
    fn all_mode_also_takes_tagged_images_no_container_uses() {
        let images = vec![
            img("base", "", &["busybox:1"]),
            img("mid2", "base", &[]),
            img("app", "mid2", &["app:1"]),
            img("other", "", &["other:1"]),
        ];
        let used = HashSet::from(["other".to_string()]);
        let (mut got, untag) = choose(&images, &used, true, &[]);
        got.sort();
        assert_eq!(got, ["app", "base", "mid2"]);
        assert!(untag.is_empty());
    }

    #[test]
    fn a_tagged_base_under_a_used_image_is_only_untagged() {
        let images = vec![
            img("base", "", &["busybox:1"]),
            img("app", "base", &["app:1"]),
        ];
        let used = HashSet::from(["app".to_string()]);
        assert_eq!(
            choose(&images, &used, true, &[]),
            (vec![], vec!["base".to_string()])
        );
    }

    #[test]
    fn label_filters_limit_the_candidates() {
        let mut a = img("a", "", &[]);
        a.labels.insert("k".into(), "v".into());
        let b = img("b", "", &[]);
        assert_eq!(
            choose(
                &[a.clone(), b.clone()],
                &HashSet::new(),
                false,
                &["k=v".into()]
            )
            .0,
            ["a"]
        );
        assert_eq!(
            choose(&[a, b], &HashSet::new(), false, &["k".into()]).0,
            ["a"]
        );
    }
}
