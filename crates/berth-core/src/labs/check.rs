//! A lab step's check: what the engine's state must show for the step to
//! be done, read through the Engine API (inspect, diff, history, the
//! registry, the host's files), never through what the window did. When
//! the state is close but wrong, the check says what differs (a hint).

use std::collections::BTreeMap;
use std::path::Path;

use bollard::models::ContainerInspectResponse;
use serde::{Deserialize, Serialize};
use specta::Type;

use super::{Lab, Values};
use crate::error::{Error, Result};
use crate::said::Said;
use crate::Engine;

/// A published port a container must have: host `host` to container
/// `container` (tcp).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(deny_unknown_fields)]
pub struct PortCheck {
    pub container: u16,
    pub host: String,
}

/// A named volume a container must mount at `destination`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(deny_unknown_fields)]
pub struct MountCheck {
    pub volume: String,
    pub destination: String,
}

/// A file in a container.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(deny_unknown_fields)]
pub struct FileRef {
    pub container: String,
    pub path: String,
}

/// What an `answer` step's answer must be.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum AnswerOf {
    /// The image's ID (its config's digest): 12 characters or more of it.
    ImageId,
    /// The image's repo digest (its manifest's digest in a registry).
    RepoDigest,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase", tag = "kind", deny_unknown_fields)]
pub enum Check {
    /// A container by name, with what it must be or have.
    #[serde(rename_all = "camelCase")]
    Container {
        name: String,
        #[serde(default)]
        running: bool,
        #[serde(default)]
        exited_ok: bool,
        #[serde(default)]
        port: Option<PortCheck>,
        #[serde(default)]
        mount: Option<MountCheck>,
        #[serde(default)]
        logs_contain: Option<String>,
    },
    /// Some container made from `image` that ran and exited 0.
    #[serde(rename_all = "camelCase")]
    ContainerFrom {
        image: String,
        #[serde(default)]
        logs_contain: Option<String>,
    },
    /// No container with this name is left.
    ContainerGone { name: String },
    /// A file in a container's own layer was changed or added
    /// (`docker container diff`).
    FileChanged(FileRef),
    /// The page on host port `port` answers, and when `sameAs` is given,
    /// with exactly that file's content.
    #[serde(rename_all = "camelCase")]
    Http {
        port: String,
        #[serde(default)]
        same_as: Option<FileRef>,
    },
    /// An image by reference, with what it must be.
    #[serde(rename_all = "camelCase")]
    Image {
        reference: String,
        /// Made by `docker container commit` of this container.
        #[serde(default)]
        committed_from: Option<String>,
        /// Not the same image as this one.
        #[serde(default)]
        differs_from: Option<String>,
        /// Its last step that made a layer is a COPY or ADD.
        #[serde(default)]
        copy_last: bool,
        /// It shares every layer but its last with this image.
        #[serde(default)]
        reuses_all_but_last_of: Option<String>,
    },
    /// This reference is no longer in the local image store.
    ImageGone { reference: String },
    /// The registry holds this reference; its digest is learned as
    /// `learn` for the later steps.
    Pushed { reference: String, learn: String },
    /// An image pulled by digest: `repository@digest` is local, and no tag
    /// of `repository` is.
    PulledByDigest { repository: String, digest: String },
    /// The learner's typed answer, about `reference`.
    Answer { reference: String, of: AnswerOf },
    /// Files in the lab's folder exist and, when asked, differ.
    #[serde(rename_all = "camelCase")]
    HostFiles {
        files: Vec<String>,
        #[serde(default)]
        differ: bool,
    },
    /// A named volume exists.
    Volume { name: String },
    /// Every one of these holds.
    All { all: Vec<Check> },
}

impl Check {
    /// The value this check learns for later steps, if any.
    pub fn learns(&self) -> Option<&str> {
        match self {
            Check::Pushed { learn, .. } => Some(learn),
            _ => None,
        }
    }
}

/// One step's state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct StepState {
    pub id: String,
    pub done: bool,
    /// What differs from the goal, when something is close.
    pub hint: Option<Said>,
}

/// The lab as the engine shows it now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct LabState {
    pub steps: Vec<StepState>,
    /// Values learned by the checks (a pushed digest), for the next steps.
    pub learned: BTreeMap<String, String>,
}

/// What a check found.
enum Found {
    Done,
    /// Not yet; with what differs, if something is close.
    Not(Option<Said>),
}

use Found::{Done, Not};

impl Engine {
    /// Checks `lab` (its `{name}`s already filled from `values`): the steps
    /// in `done` stay done; the first step not done is checked, and the
    /// next ones too while each is found done, so that several steps done
    /// in a terminal at once all tick.
    pub async fn lab_check(
        &self,
        lab: &Lab,
        values: &Values,
        done: &[String],
        answers: &BTreeMap<String, String>,
    ) -> Result<LabState> {
        let workspace = values.get("workspace").map(String::as_str).unwrap_or("");
        let mut learned = BTreeMap::new();
        let mut steps = Vec::new();
        let mut open = true;
        for step in &lab.steps {
            if done.contains(&step.id) {
                steps.push(StepState {
                    id: step.id.clone(),
                    done: true,
                    hint: None,
                });
                continue;
            }
            if !open {
                steps.push(StepState {
                    id: step.id.clone(),
                    done: false,
                    hint: None,
                });
                continue;
            }
            // A value learned by the step before fills this one's names.
            let mut v = values.clone();
            v.extend(learned.clone());
            let check = refill(&step.check, &v);
            let answer = answers.get(&step.id).map(String::as_str);
            let found = self
                .found(&check, answer, Path::new(workspace), &mut learned)
                .await?;
            let (is_done, hint) = match found {
                Done => (true, None),
                Not(h) => (false, h),
            };
            open = is_done;
            steps.push(StepState {
                id: step.id.clone(),
                done: is_done,
                hint,
            });
        }
        Ok(LabState { steps, learned })
    }

    fn found<'a>(
        &'a self,
        check: &'a Check,
        answer: Option<&'a str>,
        workspace: &'a Path,
        learned: &'a mut BTreeMap<String, String>,
    ) -> futures_util::future::BoxFuture<'a, Result<Found>> {
        Box::pin(async move {
            match check {
                Check::All { all } => {
                    for c in all {
                        if let Not(h) = self.found(c, answer, workspace, learned).await? {
                            return Ok(Not(h));
                        }
                    }
                    Ok(Done)
                }
                Check::Container {
                    name,
                    running,
                    exited_ok,
                    port,
                    mount,
                    logs_contain,
                } => {
                    let Some(c) = self.inspect_opt(name).await? else {
                        return Ok(Not(None));
                    };
                    let state = c.state.as_ref();
                    let is_running = state.and_then(|s| s.running).unwrap_or(false);
                    if *running && !is_running {
                        return Ok(Not(Some(Said::LabNotRunning { name: name.clone() })));
                    }
                    if *exited_ok {
                        if is_running {
                            return Ok(Not(None));
                        }
                        let code = state.and_then(|s| s.exit_code).unwrap_or(-1);
                        let started = state
                            .and_then(|s| s.started_at.as_deref())
                            .is_some_and(|t| !t.starts_with("0001"));
                        if !started {
                            return Ok(Not(Some(Said::LabNeverStarted { name: name.clone() })));
                        }
                        if code != 0 {
                            return Ok(Not(Some(Said::LabExitedWith {
                                name: name.clone(),
                                exit: code.to_string(),
                            })));
                        }
                    }
                    if let Some(p) = port {
                        if let Not(h) = port_found(name, &c, p) {
                            return Ok(Not(h));
                        }
                    }
                    if let Some(m) = mount {
                        if let Not(h) = self.mount_found(name, &c, m).await? {
                            return Ok(Not(h));
                        }
                    }
                    if let Some(text) = logs_contain {
                        let logs = self.lab_logs(name).await?;
                        if !logs.contains(text.as_str()) {
                            return Ok(Not(Some(Said::LabLogsLack {
                                name: name.clone(),
                                text: text.clone(),
                            })));
                        }
                    }
                    Ok(Done)
                }
                Check::ContainerFrom {
                    image,
                    logs_contain,
                } => self.container_from(image, logs_contain.as_deref()).await,
                Check::ContainerGone { name } => Ok(match self.inspect_opt(name).await? {
                    None => Done,
                    Some(_) => Not(None),
                }),
                Check::FileChanged(f) => {
                    if self.inspect_opt(&f.container).await?.is_none() {
                        return Ok(Not(None));
                    }
                    let changes = self.changes(&f.container).await?;
                    Ok(if changes.iter().any(|c| c.path == f.path) {
                        Done
                    } else {
                        Not(None)
                    })
                }
                Check::Http { port, same_as } => self.http_found(port, same_as.as_ref()).await,
                Check::Image {
                    reference,
                    committed_from,
                    differs_from,
                    copy_last,
                    reuses_all_but_last_of,
                } => {
                    let Some(img) = self.image_opt(reference).await? else {
                        return Ok(Not(None));
                    };
                    if let Some(from) = committed_from {
                        let want = self.inspect_opt(from).await?.and_then(|c| c.id);
                        // The committing container's ID is in the engine's
                        // own JSON (`Container`), which bollard's model lacks.
                        let id = img.id.clone().unwrap_or_default();
                        let raw = crate::engine::raw::get_json(
                            &self.address,
                            &self.api_version(),
                            &format!("/images/{id}/json"),
                        )
                        .await
                        .ok();
                        let made_by = raw
                            .as_ref()
                            .and_then(|v| v["Container"].as_str())
                            .filter(|c| !c.is_empty());
                        if made_by != want.as_deref() {
                            return Ok(Not(Some(Said::LabNotCommittedFrom {
                                image: reference.clone(),
                                container: from.clone(),
                            })));
                        }
                    }
                    if let Some(other) = differs_from {
                        if self.image_opt(other).await?.and_then(|o| o.id) == img.id {
                            return Ok(Not(Some(Said::LabSameImage {
                                image: reference.clone(),
                                other: other.clone(),
                            })));
                        }
                    }
                    if *copy_last {
                        let last = self.last_layer_step(reference).await?;
                        if !is_copy(&last) {
                            return Ok(Not(Some(Said::LabCopyNotLast {
                                image: reference.clone(),
                                step: last,
                            })));
                        }
                    }
                    if let Some(base) = reuses_all_but_last_of {
                        let Some(b) = self.image_opt(base).await? else {
                            return Ok(Not(None));
                        };
                        let mine = layers(&img);
                        let theirs = layers(&b);
                        let lower = theirs.len().saturating_sub(1);
                        let shared = mine.iter().zip(&theirs).take_while(|(a, b)| a == b).count();
                        if mine.len() != theirs.len() || shared < lower {
                            return Ok(Not(Some(Said::LabCacheMissed {
                                image: reference.clone(),
                                base: base.clone(),
                                shared: shared as u32,
                                lower: lower as u32,
                            })));
                        }
                    }
                    Ok(Done)
                }
                Check::ImageGone { reference } => Ok(match self.image_opt(reference).await? {
                    None => Done,
                    Some(_) => Not(None),
                }),
                Check::Pushed { reference, learn } => {
                    // Pushed from here: the local image knows the digest the
                    // registry gave it (a registry that had the tag from
                    // elsewhere does not count).
                    let Some(img) = self.image_opt(reference).await? else {
                        return Ok(Not(None));
                    };
                    let repo = repository_of(reference);
                    let local: Vec<String> = img
                        .repo_digests
                        .unwrap_or_default()
                        .into_iter()
                        .filter_map(|d| d.strip_prefix(&format!("{repo}@")).map(str::to_string))
                        .collect();
                    if local.is_empty() {
                        return Ok(Not(None));
                    }
                    let ask = self.docker.inspect_registry_image(reference, None);
                    match tokio::time::timeout(std::time::Duration::from_secs(10), ask).await {
                        Ok(Ok(d)) => match d.descriptor.digest.filter(|d| local.contains(d)) {
                            Some(digest) => {
                                learned.insert(learn.clone(), digest);
                                Ok(Done)
                            }
                            None => Ok(Not(Some(Said::LabNotPushed {
                                reference: reference.clone(),
                            }))),
                        },
                        _ => Ok(Not(Some(Said::LabNotPushed {
                            reference: reference.clone(),
                        }))),
                    }
                }
                Check::PulledByDigest { repository, digest } => {
                    let by_digest = format!("{repository}@{digest}");
                    let Some(img) = self.image_opt(&by_digest).await? else {
                        return Ok(Not(None));
                    };
                    let tags: Vec<String> = img
                        .repo_tags
                        .unwrap_or_default()
                        .into_iter()
                        .filter(|t| t.rsplit_once(':').is_some_and(|(r, _)| r == repository))
                        .collect();
                    if let Some(tag) = tags.first() {
                        return Ok(Not(Some(Said::LabPulledByTag { tag: tag.clone() })));
                    }
                    Ok(Done)
                }
                Check::Answer { reference, of } => {
                    let Some(typed) = answer.map(str::trim).filter(|a| !a.is_empty()) else {
                        return Ok(Not(None));
                    };
                    let Some(img) = self.image_opt(reference).await? else {
                        return Ok(Not(Some(Said::LabImageMissing {
                            image: reference.clone(),
                        })));
                    };
                    let id = img.id.clone().unwrap_or_default();
                    let digests: Vec<String> = img
                        .repo_digests
                        .clone()
                        .unwrap_or_default()
                        .into_iter()
                        .filter_map(|d| d.split_once('@').map(|(_, h)| h.to_string()))
                        .collect();
                    let typed = typed.rsplit_once('@').map_or(typed, |(_, h)| h);
                    let matches = |full: &str| {
                        let bare = full.trim_start_matches("sha256:");
                        let t = typed.trim_start_matches("sha256:");
                        t.len() >= 12 && bare.starts_with(&t.to_ascii_lowercase())
                    };
                    let is_id = matches(&id);
                    let is_digest = digests.iter().any(|d| matches(d));
                    Ok(match of {
                        AnswerOf::ImageId if is_id => Done,
                        AnswerOf::ImageId if is_digest => Not(Some(Said::LabThatIsTheDigest)),
                        AnswerOf::RepoDigest if is_digest => Done,
                        AnswerOf::RepoDigest if is_id => Not(Some(Said::LabThatIsTheId)),
                        _ if typed.trim_start_matches("sha256:").len() < 12 => {
                            Not(Some(Said::LabAnswerShort))
                        }
                        _ => Not(Some(Said::LabAnswerWrong)),
                    })
                }
                Check::HostFiles { files, differ } => {
                    let mut contents = Vec::new();
                    for f in files {
                        // Only inside the lab's folder, whatever a lab file says.
                        let rel = Path::new(f);
                        if rel.is_absolute()
                            || rel
                                .components()
                                .any(|c| matches!(c, std::path::Component::ParentDir))
                        {
                            return Ok(Not(None));
                        }
                        match std::fs::read(workspace.join(rel)) {
                            Ok(b) => contents.push(b),
                            Err(_) => return Ok(Not(None)),
                        }
                    }
                    if *differ && contents.windows(2).any(|w| w[0] == w[1]) {
                        return Ok(Not(Some(Said::LabFilesSame {
                            files: files.join(", "),
                        })));
                    }
                    Ok(Done)
                }
                Check::Volume { name } => {
                    Ok(match absent(self.docker.inspect_volume(name).await)? {
                        Some(_) => Done,
                        None => Not(None),
                    })
                }
            }
        })
    }

    async fn inspect_opt(&self, name: &str) -> Result<Option<ContainerInspectResponse>> {
        absent(self.docker.inspect_container(name, None).await)
    }

    async fn image_opt(&self, reference: &str) -> Result<Option<bollard::models::ImageInspect>> {
        absent(self.docker.inspect_image(reference).await)
    }

    async fn lab_logs(&self, name: &str) -> Result<String> {
        use futures_util::StreamExt;
        let opts = bollard::query_parameters::LogsOptionsBuilder::new()
            .stdout(true)
            .stderr(true)
            .tail("200")
            .build();
        let mut out = String::new();
        let mut s = self.docker.logs(name, Some(opts));
        while let Some(chunk) = s.next().await {
            out.push_str(&String::from_utf8_lossy(&chunk?.into_bytes()));
            if out.len() > 64 * 1024 {
                break;
            }
        }
        Ok(out)
    }

    async fn container_from(&self, image: &str, logs_contain: Option<&str>) -> Result<Found> {
        let Some(img) = self.image_opt(image).await? else {
            return Ok(Not(None));
        };
        let id = img.id.unwrap_or_default();
        let list = self
            .docker
            .list_containers(Some(
                bollard::query_parameters::ListContainersOptionsBuilder::new()
                    .all(true)
                    .build(),
            ))
            .await?;
        let mut hint = None;
        for c in list
            .into_iter()
            .filter(|c| c.image_id.as_deref() == Some(id.as_str()))
        {
            let name = c
                .names
                .unwrap_or_default()
                .first()
                .map(|n| n.trim_start_matches('/').to_string());
            let Some(name) = name else { continue };
            let Some(ins) = self.inspect_opt(&name).await? else {
                continue;
            };
            let st = ins.state.as_ref();
            if st.and_then(|s| s.running).unwrap_or(false) {
                continue;
            }
            let code = st.and_then(|s| s.exit_code).unwrap_or(-1);
            if code != 0 {
                hint = Some(Said::LabExitedWith {
                    name,
                    exit: code.to_string(),
                });
                continue;
            }
            match logs_contain {
                Some(text) if !self.lab_logs(&name).await?.contains(text) => {
                    hint = Some(Said::LabLogsLack {
                        name,
                        text: text.into(),
                    });
                }
                _ => return Ok(Done),
            }
        }
        Ok(Not(hint))
    }

    async fn mount_found(
        &self,
        name: &str,
        c: &ContainerInspectResponse,
        m: &MountCheck,
    ) -> Result<Found> {
        let mounts = c.mounts.clone().unwrap_or_default();
        let at = mounts
            .iter()
            .find(|x| x.destination.as_deref() == Some(m.destination.as_str()));
        match at {
            Some(x)
                if x.typ.as_deref() == Some("volume")
                    && x.name.as_deref() == Some(m.volume.as_str()) =>
            {
                Ok(Done)
            }
            Some(x) if x.typ.as_deref() == Some("volume") => {
                let anonymous = self
                    .docker
                    .inspect_volume(x.name.as_deref().unwrap_or(""))
                    .await
                    .ok()
                    .and_then(|v| v.labels.get("com.docker.volume.anonymous").cloned())
                    .is_some()
                    || x.name
                        .as_deref()
                        .is_some_and(|n| n.len() == 64 && n.chars().all(|c| c.is_ascii_hexdigit()));
                Ok(Not(Some(if anonymous {
                    Said::LabAnonymousVolume {
                        name: name.into(),
                        path: m.destination.clone(),
                        volume: m.volume.clone(),
                    }
                } else {
                    Said::LabOtherVolume {
                        name: name.into(),
                        path: m.destination.clone(),
                        found: x.name.clone().unwrap_or_default(),
                        volume: m.volume.clone(),
                    }
                })))
            }
            Some(x) => Ok(Not(Some(Said::LabNotAVolume {
                name: name.into(),
                path: m.destination.clone(),
                kind: x.typ.clone().unwrap_or_default(),
            }))),
            None => {
                // Nothing mounted there: what the container wrote went to
                // its own layer, and goes when it goes.
                let in_layer = self
                    .changes(name)
                    .await
                    .unwrap_or_default()
                    .iter()
                    .any(|ch| {
                        ch.path == m.destination
                            || ch.path.starts_with(&format!("{}/", m.destination))
                    });
                Ok(Not(Some(if in_layer {
                    Said::LabWroteToLayer {
                        name: name.into(),
                        path: m.destination.clone(),
                    }
                } else {
                    Said::LabNoMount {
                        name: name.into(),
                        path: m.destination.clone(),
                    }
                })))
            }
        }
    }

    async fn http_found(&self, port: &str, same_as: Option<&FileRef>) -> Result<Found> {
        let host = self.lab_host();
        let url = format!("http://{host}:{port}/");
        let client = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(3))
            .no_proxy()
            .build()
            .map_err(|e| {
                Error::failed(Said::LabHttpFailed {
                    url: url.clone(),
                    detail: e.to_string(),
                })
            })?;
        let body = match client.get(&url).send().await {
            Ok(r) if r.status().is_success() => page_text(r).await,
            Ok(r) => {
                return Ok(Not(Some(Said::LabHttpStatus {
                    url,
                    status: u32::from(r.status().as_u16()),
                })))
            }
            Err(e) => {
                return Ok(Not(Some(Said::LabHttpFailed {
                    url,
                    detail: e.to_string(),
                })))
            }
        };
        let Some(f) = same_as else { return Ok(Done) };
        // The Files tab's preview: the first 64 KiB of the file, as text.
        let file = match self.preview_file(&f.container, &f.path).await {
            Ok(p) if !p.truncated => p.text.unwrap_or_default(),
            _ => return Ok(Not(None)),
        };
        Ok(if body == file {
            Done
        } else {
            Not(Some(Said::LabPageDiffers {
                url,
                path: f.path.clone(),
            }))
        })
    }

    /// Where a published port is reached: this machine for a local engine,
    /// the engine's host for a remote one.
    fn lab_host(&self) -> String {
        let endpoint = self.endpoint();
        for scheme in ["tcp://", "ssh://", "http://", "https://"] {
            if let Some(rest) = endpoint.strip_prefix(scheme) {
                let host = rest.rsplit_once('@').map_or(rest, |(_, h)| h);
                let host = host.split(['/', ':']).next().unwrap_or("");
                if !host.is_empty() {
                    return host.to_string();
                }
            }
        }
        "127.0.0.1".into()
    }

    /// The instruction behind the image's newest layer-making step.
    async fn last_layer_step(&self, reference: &str) -> Result<String> {
        let history = self.docker.image_history(reference).await?;
        Ok(history
            .into_iter()
            .map(|h| h.created_by)
            .find(|c| makes_layer(c))
            .unwrap_or_default())
    }
}

/// `host:5000/team/app` of `host:5000/team/app:1` (a port's colon is not a
/// tag's).
fn repository_of(reference: &str) -> &str {
    match reference.rsplit_once(':') {
        Some((r, tag)) if !tag.contains('/') => r,
        _ => reference,
    }
}

/// A page's start: at most the preview's 64 KiB plus one byte (enough to
/// tell it from a file that size), whatever a container's server sends.
async fn page_text(mut r: reqwest::Response) -> String {
    let mut body = Vec::new();
    while let Ok(Some(chunk)) = r.chunk().await {
        body.extend_from_slice(&chunk);
        if body.len() > crate::files::PREVIEW_MAX {
            body.truncate(crate::files::PREVIEW_MAX + 1);
            break;
        }
    }
    String::from_utf8_lossy(&body).into_owned()
}

/// Something the engine does not have: the core's `NotFound` (its 404).
fn absent<T>(r: std::result::Result<T, bollard::errors::Error>) -> Result<Option<T>> {
    match r.map_err(Error::from) {
        Ok(x) => Ok(Some(x)),
        Err(Error::NotFound { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

fn layers(i: &bollard::models::ImageInspect) -> Vec<String> {
    i.root_fs
        .as_ref()
        .and_then(|r| r.layers.clone())
        .unwrap_or_default()
}

/// Whether a history entry made a layer: RUN, COPY and ADD do; ENV, CMD,
/// LABEL and the like only change the config. The classic builder marks
/// those `#(nop)` (COPY and ADD too, so they are named); BuildKit writes
/// the instruction itself.
fn makes_layer(created_by: &str) -> bool {
    let c = created_by.trim();
    if is_copy(c) {
        return true;
    }
    if c.contains("#(nop)") {
        return false;
    }
    let word = c.split_whitespace().next().unwrap_or("");
    c.starts_with("/bin/sh -c") || c.starts_with("|") || word == "RUN"
}

fn is_copy(created_by: &str) -> bool {
    let c = created_by.trim();
    let after_nop = c.split("#(nop)").nth(1).map_or(c, str::trim);
    after_nop.starts_with("COPY ") || after_nop.starts_with("ADD ")
}

fn port_found(name: &str, c: &ContainerInspectResponse, p: &PortCheck) -> Found {
    let ports = c
        .network_settings
        .as_ref()
        .and_then(|n| n.ports.clone())
        .unwrap_or_default();
    let mut to_other = None;
    for (key, bindings) in &ports {
        let Some(cport) = key.split('/').next().and_then(|x| x.parse::<u16>().ok()) else {
            continue;
        };
        for b in bindings.iter().flatten() {
            let host = b.host_port.clone().unwrap_or_default();
            if cport == p.container && host == p.host {
                return Done;
            }
            if host == p.host {
                to_other = Some(cport);
            }
            if cport == p.container {
                return Not(Some(Said::LabPortOtherHost {
                    name: name.into(),
                    container: u32::from(p.container),
                    found: host,
                    host: p.host.clone(),
                }));
            }
        }
    }
    Not(Some(match to_other {
        Some(found) => Said::LabPortWrongTarget {
            name: name.into(),
            host: p.host.clone(),
            found: u32::from(found),
            container: u32::from(p.container),
        },
        None => Said::LabPortNotPublished {
            name: name.into(),
            container: u32::from(p.container),
        },
    }))
}

/// The check with the names learned since the lab was filled in.
fn refill(check: &Check, values: &Values) -> Check {
    let Ok(v) = serde_yaml::to_value(check) else {
        return check.clone();
    };
    serde_yaml::from_value(super::fill_value(v, values)).unwrap_or_else(|_| check.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_steps_that_make_layers_are_told_from_the_config_ones() {
        assert!(is_copy("/bin/sh -c #(nop) COPY file:abc in /web/ "));
        assert!(is_copy("COPY index.html . # buildkit"));
        assert!(!is_copy("/bin/sh -c echo COPY"));
        assert!(makes_layer("/bin/sh -c echo building > /tools.txt"));
        assert!(makes_layer("RUN /bin/sh -c echo hi # buildkit"));
        assert!(!makes_layer("/bin/sh -c #(nop)  CMD [\"cat\"]"));
        assert!(!makes_layer("/bin/sh -c #(nop)  LABEL berth.lab=cache"));
        assert!(!makes_layer("CMD [\"cat\"]"));
    }
}
