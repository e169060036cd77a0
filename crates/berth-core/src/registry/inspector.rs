//! The tag/digest inspector (T1, T2): the registry's tree for a reference
//! beside the local image of the same name, saying which platform manifest
//! the local image came from, whether its ID is that manifest's config
//! digest and its repo digest the tag's, and whether the local tag is
//! behind the registry.

use serde::Serialize;
use specta::Type;

use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::images::reference;
use crate::registry::{Registry, RemoteTree};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct LocalView {
    pub image_id: String,
    pub platform: String,
    /// This repository's repo digests on the local image.
    pub repo_digests: Vec<String>,
    /// The platform (or the single manifest's) whose config digest equals
    /// the local image ID: where the local image came from.
    pub from_platform: Option<String>,
    /// The local image ID is a config digest the registry has now.
    pub id_matches: bool,
    /// A local repo digest equals what the tag resolves to now.
    pub repo_digest_matches: bool,
    /// The tag moved on in the registry since this image was pulled.
    pub behind: bool,
    /// Built or committed here: no repo digest for this repository.
    pub never_pulled: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Inspection {
    pub tree: RemoteTree,
    pub local: Option<LocalView>,
}

/// Compares a local image with the registry's tree.
pub fn compare(
    tree: &RemoteTree,
    image_id: &str,
    platform: String,
    repo_digests: Vec<String>,
) -> LocalView {
    let name = tree.reference.name();
    let familiar = tree.reference.familiar_name();
    let mine: Vec<String> = repo_digests
        .into_iter()
        .filter(|d| {
            d.split_once('@')
                .is_some_and(|(n, _)| n == familiar || n == name)
        })
        .collect();
    let from_platform = match &tree.index {
        Some(ix) => ix
            .platforms
            .iter()
            .find(|p| p.config_digest.as_deref() == Some(image_id))
            .map(|p| p.platform.label()),
        None => {
            (tree.manifest.config.digest == image_id).then(|| tree.manifest.config.platform.label())
        }
    };
    let repo_digest_matches = mine
        .iter()
        .any(|d| d.ends_with(&format!("@{}", tree.top_digest)));
    let never_pulled = mine.is_empty();
    LocalView {
        image_id: image_id.to_string(),
        platform,
        id_matches: from_platform.is_some(),
        from_platform,
        repo_digest_matches,
        behind: !never_pulled && !repo_digest_matches,
        never_pulled,
        repo_digests: mine,
    }
}

impl Engine {
    /// Reads `input`, asks its registry for the tree (`platform` chosen in
    /// an index), and compares the local image of that name, if any.
    pub async fn inspect_reference(
        &self,
        input: &str,
        platform: Option<&str>,
    ) -> Result<Inspection> {
        let r = reference::parse(input.trim()).map_err(|m| Error::said("reference", m))?;
        let tree = Registry::for_reference(&r)
            .await?
            .tree(&r, platform)
            .await?;
        let local = match self.docker.inspect_image(&r.familiar).await {
            Ok(i) => {
                let p = match i.variant.as_deref().filter(|v| !v.is_empty()) {
                    Some(v) => format!(
                        "{}/{}/{v}",
                        i.os.unwrap_or_default(),
                        i.architecture.unwrap_or_default()
                    ),
                    None => format!(
                        "{}/{}",
                        i.os.unwrap_or_default(),
                        i.architecture.unwrap_or_default()
                    ),
                };
                Some(compare(
                    &tree,
                    &i.id.unwrap_or_default(),
                    p,
                    i.repo_digests.unwrap_or_default(),
                ))
            }
            Err(_) => None,
        };
        Ok(Inspection { tree, local })
    }
}
