//! The image list (`docker image ls`), one row per tag like the CLI prints it.

use crate::said::Said;
use bollard::query_parameters::{
    ListImagesOptions, RemoveImageOptionsBuilder, TagImageOptionsBuilder,
};
use serde::Serialize;
use specta::Type;

use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::images::reference;

/// What a removal did, as `docker image rm` prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Removed {
    /// Tags taken off (`Untagged: x:1`).
    pub untagged: Vec<String>,
    /// Images (and their untagged parents) deleted (`Deleted: sha256:...`).
    pub deleted: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ImageRow {
    /// `sha256:...`: the digest of the image's config, local to this engine.
    pub id: String,
    /// None for a dangling image (`<none>` in the CLI).
    pub repository: Option<String>,
    pub tag: Option<String>,
    /// `repo@sha256:...`: the manifest digests known from a registry.
    pub repo_digests: Vec<String>,
    #[specta(type = crate::JsNumber)]
    pub created: i64,
    #[specta(type = crate::JsNumber)]
    pub size: i64,
    /// How many tags this image has in all; removing one of several only untags.
    pub tag_count: u32,
}

/// Splits `repo:tag` at the last colon that is not part of a registry port.
pub fn split_repo_tag(s: &str) -> (String, Option<String>) {
    match s.rfind(':') {
        Some(i) if !s[i + 1..].contains('/') => (s[..i].to_string(), Some(s[i + 1..].to_string())),
        _ => (s.to_string(), None),
    }
}

/// Summaries to rows: one per repo:tag; a dangling image is one row with
/// no repository. `<none>:<none>` tags from old engines count as none.
pub fn rows_from_summaries(list: Vec<bollard::models::ImageSummary>) -> Vec<ImageRow> {
    let mut rows = Vec::new();
    for img in list {
        let tags: Vec<&String> = img
            .repo_tags
            .iter()
            .filter(|t| t.as_str() != "<none>:<none>")
            .collect();
        let digests: Vec<String> = img
            .repo_digests
            .iter()
            .filter(|d| !d.starts_with("<none>@"))
            .cloned()
            .collect();
        let base = ImageRow {
            id: img.id.clone(),
            repository: None,
            tag: None,
            repo_digests: digests,
            created: img.created,
            size: img.size,
            tag_count: tags.len() as u32,
        };
        if tags.is_empty() {
            rows.push(base);
            continue;
        }
        for t in tags {
            let (repo, tag) = split_repo_tag(t);
            rows.push(ImageRow {
                repository: Some(repo),
                tag,
                ..base.clone()
            });
        }
    }
    rows
}

impl Engine {
    /// `docker image tag SOURCE TARGET`, the target read as a reference
    /// first (a digest cannot be a tag's name).
    pub async fn tag_image(&self, source: &str, target: &str) -> Result<String> {
        let r = reference::parse(target.trim()).map_err(|m| Error::said("target", m))?;
        if r.digest.is_some() {
            return Err(Error::said("target", Said::TagDigest));
        }
        let tag = r
            .tag
            .clone()
            .unwrap_or_else(|| reference::DEFAULT_TAG.into());
        self.docker
            .tag_image(
                source,
                Some(
                    TagImageOptionsBuilder::new()
                        .repo(&r.familiar_name())
                        .tag(&tag)
                        .build(),
                ),
            )
            .await?;
        Ok(format!("{}:{tag}", r.familiar_name()))
    }

    /// `docker image rm REF`. With several tags, removing one only untags
    /// it (as the engine does, even while containers use the image).
    /// Removing the last name is refused while containers use the image,
    /// naming them all (the engine names one, by ID).
    pub async fn remove_image(&self, image: &str) -> Result<Removed> {
        let inspect = self.docker.inspect_image(image).await?;
        let id = inspect.id.unwrap_or_default();
        let tags = inspect.repo_tags.unwrap_or_default();
        let untag_only = tags.len() > 1
            && reference::parse(image)
                .is_ok_and(|r| tags.iter().any(|t| *t == r.familiar || *t == image));
        let users: Vec<String> = if untag_only {
            Vec::new()
        } else {
            self.list_containers(true)
                .await?
                .into_iter()
                .filter(|c| c.image_id == id)
                .map(|c| format!("{} ({})", c.name, crate::containers::state_word(c.state)))
                .collect()
        };
        if !users.is_empty() {
            return Err(Error::conflict(Said::ImageInUse {
                image: image.into(),
                count: crate::said::len32(users.len()),
                users: users.join(", "),
            }));
        }
        let items = self
            .docker
            .remove_image(image, Some(RemoveImageOptionsBuilder::new().build()), None)
            .await?;
        Ok(Removed {
            untagged: items.iter().filter_map(|i| i.untagged.clone()).collect(),
            deleted: items.iter().filter_map(|i| i.deleted.clone()).collect(),
        })
    }

    /// `docker image ls`.
    pub async fn list_images(&self) -> Result<Vec<ImageRow>> {
        let list = self
            .docker
            .list_images(Some(ListImagesOptions::default()))
            .await?;
        Ok(rows_from_summaries(list))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repo_and_tag_split_at_the_tag_colon_not_the_port() {
        assert_eq!(
            split_repo_tag("busybox:1"),
            ("busybox".into(), Some("1".into()))
        );
        assert_eq!(
            split_repo_tag("127.0.0.1:5000/team/app:1"),
            ("127.0.0.1:5000/team/app".into(), Some("1".into()))
        );
        assert_eq!(
            split_repo_tag("127.0.0.1:5000/team/app"),
            ("127.0.0.1:5000/team/app".into(), None)
        );
    }

    #[test]
    fn one_row_per_tag_and_one_for_a_dangling_image() {
        let tagged = bollard::models::ImageSummary {
            id: "sha256:aa".into(),
            repo_tags: vec!["a:1".into(), "b:2".into()],
            ..Default::default()
        };
        let dangling = bollard::models::ImageSummary {
            id: "sha256:bb".into(),
            repo_tags: vec!["<none>:<none>".into()],
            repo_digests: vec!["<none>@<none>".into()],
            ..Default::default()
        };
        let rows = rows_from_summaries(vec![tagged, dangling]);
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].tag_count, 2);
        assert_eq!(rows[1].repository.as_deref(), Some("b"));
        assert_eq!(rows[2].repository, None);
        assert!(rows[2].repo_digests.is_empty());
    }
}
