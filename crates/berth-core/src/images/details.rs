//! One image in full (I3, I4): what `docker image inspect` says, readable;
//! its layers with the history step that made each and which other local
//! images share it; its logical size against what removing it would free;
//! and the containers that use it.
//!
//! Layers are matched across images by chain ID (the digest of a layer
//! together with everything below it), which is how the engine itself
//! decides that two images share a layer on disk.

use std::collections::{BTreeMap, HashMap};

use bollard::models::ImageInspect;
use serde::Serialize;
use sha2::{Digest, Sha256};
use specta::Type;

use crate::containers::ContainerRow;
use crate::engine::Engine;
use crate::error::Result;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct HistoryStep {
    /// The Dockerfile instruction, as recorded (`RUN ...`, `ENV ...`).
    pub instruction: String,
    #[specta(type = crate::JsNumber)]
    pub size: i64,
    /// A metadata-only step (ENV, CMD, EXPOSE, LABEL...): it adds no files.
    pub empty: bool,
    /// For a step that made a layer: the layer's diff ID (the digest of its
    /// uncompressed content), when the steps could be matched to layers.
    pub diff_id: Option<String>,
    /// Other local images (a tag, or a short ID) that have this same layer.
    pub shared_with: Vec<String>,
    #[specta(type = crate::JsNumber)]
    pub created: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct UsedBy {
    pub id: String,
    pub name: String,
    pub state: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ImageDetails {
    pub id: String,
    pub repo_tags: Vec<String>,
    pub repo_digests: Vec<String>,
    pub created: Option<String>,
    pub os: String,
    pub architecture: String,
    pub variant: Option<String>,
    pub author: Option<String>,
    pub exposed_ports: Vec<String>,
    pub env: Vec<String>,
    pub cmd: Vec<String>,
    pub entrypoint: Vec<String>,
    pub working_dir: Option<String>,
    pub user: Option<String>,
    pub labels: BTreeMap<String, String>,
    pub volumes: Vec<String>,
    /// Oldest first, like the Dockerfile reads.
    pub history: Vec<HistoryStep>,
    /// True when the steps that made layers could be matched one to one
    /// with the image's layers.
    pub layers_matched: bool,
    /// All its layers together (what `docker image ls` shows).
    #[specta(type = crate::JsNumber)]
    pub size: i64,
    /// The part shared with other local images (`docker system df -v`).
    #[specta(type = Option<crate::JsNumber>)]
    pub shared_size: Option<i64>,
    /// Only this image's: what removing it would free.
    #[specta(type = Option<crate::JsNumber>)]
    pub unique_size: Option<i64>,
    pub containers: Vec<UsedBy>,
    /// The engine's answer as it came, pretty-printed.
    pub raw: String,
}

/// Chain IDs for a stack of diff IDs, bottom first: ChainID(L0) = L0,
/// ChainID(Ln) = sha256(ChainID(Ln-1) + " " + Ln) (the OCI image spec).
pub fn chain_ids(diff_ids: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(diff_ids.len());
    for d in diff_ids {
        let next = match out.last() {
            None => d.clone(),
            Some(prev) => format!(
                "sha256:{}",
                hex::encode(Sha256::digest(format!("{prev} {d}").as_bytes()))
            ),
        };
        out.push(next);
    }
    out
}

/// The instruction without the classic builder's `/bin/sh -c #(nop) `
/// wrapper, and RUN made explicit.
pub fn instruction(created_by: &str) -> String {
    let s = created_by.trim();
    if let Some(rest) = s.strip_prefix("/bin/sh -c #(nop)") {
        return rest.trim().to_string();
    }
    if let Some(rest) = s.strip_prefix("/bin/sh -c ") {
        return format!("RUN {rest}");
    }
    let s = s.trim_end_matches(" # buildkit");
    // An exec-form RUN is recorded as the bare command.
    let first = s.split_whitespace().next().unwrap_or("");
    let keyword = !first.is_empty() && first.chars().all(|c| c.is_ascii_uppercase());
    if keyword || s.is_empty() {
        s.to_string()
    } else {
        format!("RUN {s}")
    }
}

/// Instructions that only change the config: they never add files.
pub fn is_metadata(instr: &str) -> bool {
    let word = instr
        .split_whitespace()
        .next()
        .unwrap_or("")
        .to_ascii_uppercase();
    matches!(
        word.as_str(),
        "ENV"
            | "CMD"
            | "ENTRYPOINT"
            | "EXPOSE"
            | "LABEL"
            | "USER"
            | "VOLUME"
            | "STOPSIGNAL"
            | "HEALTHCHECK"
            | "SHELL"
            | "ARG"
            | "ONBUILD"
            | "MAINTAINER"
    )
}

/// Marks which steps made layers and pairs them with the diff IDs. The
/// steps that made layers are the non-metadata ones; if their count does
/// not equal the layers', the sizes decide; if that fails too, no step is
/// paired (the second value says so) rather than pairing wrongly.
pub fn pair_layers(steps: &mut [HistoryStep], diff_ids: &[String]) -> bool {
    let by_kind: Vec<usize> = (0..steps.len())
        .filter(|&i| !is_metadata(&steps[i].instruction))
        .collect();
    let by_size: Vec<usize> = (0..steps.len()).filter(|&i| steps[i].size > 0).collect();
    let chosen = if by_kind.len() == diff_ids.len() {
        Some(by_kind)
    } else if by_size.len() == diff_ids.len() {
        Some(by_size)
    } else {
        None
    };
    for s in steps.iter_mut() {
        s.empty = is_metadata(&s.instruction) && s.size == 0;
    }
    match chosen {
        Some(idx) => {
            for (k, i) in idx.into_iter().enumerate() {
                steps[i].diff_id = Some(diff_ids[k].clone());
                steps[i].empty = false;
            }
            for s in steps.iter_mut().filter(|s| s.diff_id.is_none()) {
                s.empty = true;
            }
            true
        }
        None => false,
    }
}

fn label_of(i: &ImageInspect) -> String {
    i.repo_tags
        .as_ref()
        .and_then(|t| t.first().cloned())
        .unwrap_or_else(|| {
            let id = i.id.clone().unwrap_or_default();
            id.trim_start_matches("sha256:").chars().take(12).collect()
        })
}

fn diff_ids_of(i: &ImageInspect) -> Vec<String> {
    i.root_fs
        .as_ref()
        .and_then(|r| r.layers.clone())
        .unwrap_or_default()
}

impl Engine {
    /// `docker image history`, oldest first, each step that made a layer
    /// paired with its diff ID (see [`pair_layers`]; the flag says whether
    /// the pairing held).
    pub(crate) async fn history_steps(
        &self,
        id: &str,
        diff_ids: &[String],
    ) -> Result<(Vec<HistoryStep>, bool)> {
        let mut steps: Vec<HistoryStep> = self
            .docker
            .image_history(id)
            .await?
            .iter()
            .rev()
            .map(|h| HistoryStep {
                instruction: instruction(&h.created_by),
                size: h.size.max(0),
                empty: false,
                diff_id: None,
                shared_with: Vec::new(),
                created: h.created,
            })
            .collect();
        let matched = pair_layers(&mut steps, diff_ids);
        Ok((steps, matched))
    }

    /// Every local image's inspect answer (for sharing and sizes).
    async fn inspect_all_images(&self) -> Result<Vec<ImageInspect>> {
        let list = self
            .docker
            .list_images(None::<bollard::query_parameters::ListImagesOptions>)
            .await?;
        let mut out = Vec::with_capacity(list.len());
        for s in list {
            // An image removed between the list and here is simply skipped.
            if let Ok(i) = self.docker.inspect_image(&s.id).await {
                out.push(i);
            }
        }
        Ok(out)
    }

    /// `docker image inspect` + `docker image history` + the sizes of
    /// `docker system df -v`, for one image (a reference or an ID).
    pub async fn image_details(&self, image: &str) -> Result<ImageDetails> {
        let i = self.docker.inspect_image(image).await?;
        let id = i.id.clone().unwrap_or_default();
        let diff_ids = diff_ids_of(&i);
        let (mut steps, layers_matched) = self.history_steps(&id, &diff_ids).await?;

        // Who else has each layer: same chain ID at any position.
        let mine = chain_ids(&diff_ids);
        let mut holders: HashMap<String, Vec<String>> = HashMap::new();
        for other in self.inspect_all_images().await? {
            if other.id.as_deref() == Some(id.as_str()) {
                continue;
            }
            let name = label_of(&other);
            for c in chain_ids(&diff_ids_of(&other)) {
                holders.entry(c).or_default().push(name.clone());
            }
        }
        for s in steps.iter_mut() {
            if let Some(d) = &s.diff_id {
                if let Some(k) = diff_ids.iter().position(|x| x == d) {
                    let mut who = holders.get(&mine[k]).cloned().unwrap_or_default();
                    who.sort();
                    who.dedup();
                    s.shared_with = who;
                }
            }
        }

        let df = self.df_json().await?;
        let entry = df["Images"]
            .as_array()
            .and_then(|a| a.iter().find(|e| e["Id"].as_str() == Some(id.as_str())));
        let num = |v: &serde_json::Value| v.as_i64().filter(|n| *n >= 0);
        let shared_size = entry.and_then(|e| num(&e["SharedSize"]));
        let size = entry.and_then(|e| num(&e["Size"])).or(i.size).unwrap_or(0);
        let unique_size = shared_size.map(|s| size - s);

        let containers = self
            .list_containers(true)
            .await?
            .into_iter()
            .filter(|c: &ContainerRow| c.image_id == id)
            .map(|c| UsedBy {
                id: c.id,
                name: c.name,
                state: crate::containers::state_word(c.state).into(),
            })
            .collect();

        let raw = serde_json::to_string_pretty(&i).unwrap_or_default();
        let c = i.config.clone().unwrap_or_default();
        let mut exposed = c.exposed_ports.unwrap_or_default();
        exposed.sort();
        let mut volumes = c.volumes.unwrap_or_default();
        volumes.sort();
        Ok(ImageDetails {
            id,
            repo_tags: i.repo_tags.unwrap_or_default(),
            repo_digests: i.repo_digests.unwrap_or_default(),
            created: i.created.map(|d| d.to_string()),
            os: i.os.unwrap_or_default(),
            architecture: i.architecture.unwrap_or_default(),
            variant: i.variant.filter(|v| !v.is_empty()),
            author: i.author.filter(|a| !a.is_empty()),
            exposed_ports: exposed,
            env: c.env.unwrap_or_default(),
            cmd: c.cmd.unwrap_or_default(),
            entrypoint: c.entrypoint.unwrap_or_default(),
            working_dir: c.working_dir.filter(|w| !w.is_empty()),
            user: c.user.filter(|u| !u.is_empty()),
            labels: c.labels.unwrap_or_default().into_iter().collect(),
            volumes,
            history: steps,
            layers_matched,
            size,
            shared_size,
            unique_size,
            containers,
            raw,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(instr: &str, size: i64) -> HistoryStep {
        HistoryStep {
            instruction: instruction(instr),
            size,
            empty: false,
            diff_id: None,
            shared_with: vec![],
            created: 0,
        }
    }

    #[test]
    fn chain_ids_follow_the_oci_formula() {
        let d = |c: char| format!("sha256:{}", c.to_string().repeat(64));
        let ids = chain_ids(&[d('a'), d('b')]);
        assert_eq!(ids[0], d('a'));
        let expect = hex::encode(Sha256::digest(format!("{} {}", d('a'), d('b')).as_bytes()));
        assert_eq!(ids[1], format!("sha256:{expect}"));
        // The same top layer on another base is a different chain.
        assert_ne!(chain_ids(&[d('c'), d('b')])[1], ids[1]);
    }

    #[test]
    fn instructions_are_read_from_both_builders() {
        assert_eq!(
            instruction("/bin/sh -c #(nop)  CMD [\"sh\"]"),
            "CMD [\"sh\"]"
        );
        assert_eq!(instruction("/bin/sh -c mkdir /www"), "RUN mkdir /www");
        assert_eq!(instruction("ENV A=1 # buildkit"), "ENV A=1");
        assert_eq!(
            instruction("/bin/busybox --install -s /bin"),
            "RUN /bin/busybox --install -s /bin"
        );
        assert_eq!(
            instruction("|1 V=2 /bin/sh -c echo"),
            "RUN |1 V=2 /bin/sh -c echo"
        );
        assert!(is_metadata("EXPOSE 80"));
        assert!(is_metadata("cmd [\"sh\"]"));
        assert!(!is_metadata("COPY file:abc in /bin/busybox"));
        assert!(!is_metadata("RUN echo"));
    }

    #[test]
    fn steps_that_made_layers_get_the_diff_ids_in_order() {
        let mut steps = vec![
            step("/bin/sh -c #(nop) COPY file:x in /bin/busybox", 1000),
            step("/bin/sh -c busybox --install", 0),
            step("/bin/sh -c #(nop)  ENV A=1", 0),
            step("/bin/sh -c #(nop)  CMD [\"sh\"]", 0),
        ];
        let ids = vec!["sha256:1".to_string(), "sha256:2".to_string()];
        assert!(pair_layers(&mut steps, &ids));
        let got: Vec<(Option<&str>, bool)> = steps
            .iter()
            .map(|s| (s.diff_id.as_deref(), s.empty))
            .collect();
        assert_eq!(
            got,
            [
                (Some("sha256:1"), false),
                (Some("sha256:2"), false),
                (None, true),
                (None, true)
            ]
        );
        // A count that matches neither way pairs nothing.
        let mut odd = vec![step("RUN a", 0), step("RUN b", 0)];
        assert!(!pair_layers(&mut odd, &["sha256:1".to_string()]));
        assert!(odd.iter().all(|s| s.diff_id.is_none()));
    }
}
