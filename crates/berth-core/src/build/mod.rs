//! `docker image build` (B1) with the classic builder, as the docker CLI of
//! API 1.41 engines does by default: the folder walked first (what is sent,
//! how big, what `.dockerignore` leaves out), then the context streamed as
//! a tar while the engine's "Step N/M" output is read into per-step events:
//! which Dockerfile lines a step is, whether the cache was used, the time,
//! the output folded under it, and the step (or line) a failure is at.

mod buildkit;
pub mod dockerfile;
pub mod dockerignore;

use crate::said::Said;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Instant;

use bollard::auth::DockerCredentials;
use bollard::query_parameters::BuildImageOptionsBuilder;
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use specta::Type;
use tokio_util::io::{ReaderStream, SyncIoBridge};

use crate::build::dockerfile::Dockerfile;
use crate::build::dockerignore::Context;
use crate::cli::quote;
use crate::engine::docker_config::HUB_KEY;
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::images::reference;
use crate::registry::credentials::{self, Credentials};

/// The largest Dockerfile read (the engine's own limit is far above any
/// real one; this keeps a wrong pick, say a disk image, from being read).
const DOCKERFILE_MAX: u64 = 1 << 20;

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct BuildArgRow {
    pub name: String,
    pub value: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct BuildForm {
    /// The build context: the folder whose files COPY and ADD can see.
    pub folder: String,
    /// Empty: `Dockerfile` in the folder. Else a path, relative to the
    /// folder or absolute (it may be outside the folder).
    pub dockerfile: String,
    /// `name[:tag]`; empty for an untagged image.
    pub tag: String,
    pub args: Vec<BuildArgRow>,
    /// The stage to stop at (`--target`); empty for the last.
    pub target: String,
    pub no_cache: bool,
    /// Which builder: BuildKit where the engine has it (the window's
    /// default), else the classic one.
    #[serde(default)]
    pub builder: Builder,
    /// `--secret id=…,src=…` (BuildKit): files a `RUN --mount=type=secret`
    /// reads during its step, never kept in the image.
    #[serde(default)]
    pub secrets: Vec<SecretRow>,
    /// `--ssh default` (BuildKit): the SSH agent (`SSH_AUTH_SOCK`) for a
    /// `RUN --mount=type=ssh`.
    #[serde(default)]
    pub ssh: bool,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum Builder {
    /// The engine's first builder: no `RUN --mount`, no secrets; Podman's.
    #[default]
    Classic,
    /// BuildKit: the default of the docker CLI since 23.0.
    BuildKit,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SecretRow {
    pub id: String,
    /// The file its value is read from, on this computer.
    pub src: String,
}

/// What the context holds, before anything is sent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ContextSummary {
    #[specta(type = crate::JsNumber)]
    pub files: u64,
    #[specta(type = crate::JsNumber)]
    pub bytes: u64,
    /// The first paths `.dockerignore` leaves out (a folder once).
    pub ignored: Vec<String>,
    #[specta(type = crate::JsNumber)]
    pub ignored_count: u64,
    pub has_dockerignore: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct BuildPlan {
    /// The `docker image build` line this build equals.
    pub command: String,
    pub folder: String,
    /// The Dockerfile's path and text, as read.
    pub dockerfile_path: String,
    pub dockerfile_text: String,
    pub dockerfile: Dockerfile,
    /// How many steps the builder will number (up to the target).
    pub steps: u32,
    pub context: ContextSummary,
    /// Things the engine would only warn about (a build arg no ARG takes).
    pub warnings: Vec<Said>,
    pub builder: Builder,
}

/// Everything a build needs, checked.
struct Inputs {
    plan: BuildPlan,
    context: Context,
    /// The name the engine finds the Dockerfile by in the context.
    dockerfile_name: String,
    /// A Dockerfile from outside the folder, added to the tar.
    extra: Vec<(String, Vec<u8>)>,
    args: HashMap<String, String>,
    /// Secret id → its file (BuildKit).
    secrets: HashMap<String, PathBuf>,
}

const IGNORED_SHOWN: usize = 20;

fn check(form: &BuildForm) -> Result<Inputs> {
    let folder = form.folder.trim();
    if folder.is_empty() {
        return Err(Error::said("folder", Said::BuildNoFolder));
    }
    let root = PathBuf::from(folder);
    match std::fs::metadata(&root) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => {
            return Err(Error::said(
                "folder",
                Said::BuildFolderIsFile {
                    folder: folder.into(),
                },
            ))
        }
        Err(e) => return Err(Error::path("folder", &root, &e)),
    }
    let root = root
        .canonicalize()
        .map_err(|e| Error::path("folder", &root, &e))?;
    let df_path = match form.dockerfile.trim() {
        "" => ["Dockerfile", "dockerfile"]
            .iter()
            .map(|n| root.join(n))
            .find(|p| p.is_file())
            .ok_or_else(|| {
                Error::said(
                    "dockerfile",
                    Said::NoDockerfile {
                        folder: root.display().to_string(),
                    },
                )
            })?,
        p => {
            let p = Path::new(p);
            let p = if p.is_absolute() {
                p.to_path_buf()
            } else {
                root.join(p)
            };
            match std::fs::metadata(&p) {
                Ok(m) if m.is_file() => p,
                Ok(_) => {
                    return Err(Error::said(
                        "dockerfile",
                        Said::NotAFile {
                            path: p.display().to_string(),
                        },
                    ))
                }
                Err(e) => return Err(Error::path("dockerfile", &p, &e)),
            }
        }
    };
    let df_path = df_path.canonicalize().unwrap_or(df_path);
    let size = std::fs::metadata(&df_path).map(|m| m.len()).unwrap_or(0);
    if size > DOCKERFILE_MAX {
        return Err(Error::said(
            "dockerfile",
            Said::DockerfileTooBig {
                path: df_path.display().to_string(),
                size,
            },
        ));
    }
    let text = std::fs::read(&df_path).map_err(|e| Error::path("dockerfile", &df_path, &e))?;
    let text = String::from_utf8(text).map_err(|_| {
        Error::said(
            "dockerfile",
            Said::NotText {
                path: df_path.display().to_string(),
            },
        )
    })?;
    let parsed = dockerfile::parse(&text)?;
    let target = form.target.trim();
    let steps = parsed.step_count(Some(target))? as u32;

    let tag = form.tag.trim();
    if !tag.is_empty() {
        let r = reference::parse(tag).map_err(|m| Error::said("tag", m))?;
        if r.digest.is_some() {
            return Err(Error::said("tag", Said::BuildTagDigest));
        }
    }
    let mut args = HashMap::new();
    let mut warnings = Vec::new();
    for (i, a) in form.args.iter().enumerate() {
        let name = a.name.trim();
        if name.is_empty() && a.value.is_empty() {
            continue;
        }
        let field = format!("args[{i}].name");
        if name.is_empty() {
            return Err(Error::said(field, Said::BuildArgNoName));
        }
        if name.contains(|c: char| c == '=' || c.is_whitespace()) {
            return Err(Error::said(field, Said::BuildArgName { name: name.into() }));
        }
        if args.insert(name.to_string(), a.value.clone()).is_some() {
            return Err(Error::said(
                field,
                Said::BuildArgTwice { name: name.into() },
            ));
        }
        if !parsed.args.iter().any(|d| d.name == name) {
            warnings.push(Said::BuildArgUnused { name: name.into() });
        }
    }

    let mut secrets = HashMap::new();
    for (i, row) in form.secrets.iter().enumerate() {
        let id = row.id.trim();
        if id.is_empty() && row.src.trim().is_empty() {
            continue;
        }
        let field = format!("secrets[{i}].id");
        if form.builder != Builder::BuildKit {
            return Err(Error::said(field, Said::SecretNeedsBuildKit));
        }
        if id.is_empty()
            || !id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
        {
            return Err(Error::said(field, Said::SecretIdBad { id: id.into() }));
        }
        let path = buildkit::session::check_secret_file(&format!("secrets[{i}].src"), &row.src)?;
        if secrets.insert(id.to_string(), path).is_some() {
            return Err(Error::said(field, Said::SecretTwice { id: id.into() }));
        }
    }
    if form.ssh && form.builder != Builder::BuildKit {
        return Err(Error::said("ssh", Said::SecretNeedsBuildKit));
    }

    // The Dockerfile inside the folder is found by its path there; one
    // from elsewhere is added to the context under a name of its own.
    let (dockerfile_name, extra) = match df_path.strip_prefix(&root) {
        Ok(rel) => (rel.to_string_lossy().replace('\\', "/"), Vec::new()),
        Err(_) => {
            let name = format!(".dockerfile.berth-{}", std::process::id());
            (name.clone(), vec![(name, text.clone().into_bytes())])
        }
    };
    let context = dockerignore::walk(&root, &[dockerfile_name.as_str()])?;

    let mut command = String::from(match form.builder {
        Builder::Classic => "docker image build --force-rm",
        Builder::BuildKit => buildkit_cli(),
    });
    if !tag.is_empty() {
        command += &format!(" -t {}", quote(tag));
    }
    let default_df = ["Dockerfile", "dockerfile"]
        .iter()
        .any(|n| root.join(n) == df_path);
    if !default_df {
        let shown = if extra.is_empty() {
            dockerfile_name.clone()
        } else {
            df_path.display().to_string()
        };
        command += &format!(" -f {}", quote(&shown));
    }
    let mut names: Vec<&String> = args.keys().collect();
    names.sort_by_key(|n| form.args.iter().position(|a| a.name.trim() == n.as_str()));
    for n in names {
        command += &format!(" --build-arg {}", quote(&format!("{n}={}", args[n])));
    }
    if !target.is_empty() {
        command += &format!(" --target {}", quote(target));
    }
    if form.no_cache {
        command += " --no-cache";
    }
    let mut ids: Vec<&String> = secrets.keys().collect();
    ids.sort_by_key(|id| form.secrets.iter().position(|r| r.id.trim() == id.as_str()));
    for id in ids {
        command += &format!(
            " --secret {}",
            quote(&format!("id={id},src={}", secrets[id].display()))
        );
    }
    if form.ssh {
        command += " --ssh default";
    }
    command += &format!(" {}", quote(&root.display().to_string()));

    let plan = BuildPlan {
        command,
        folder: root.display().to_string(),
        dockerfile_path: df_path.display().to_string(),
        dockerfile_text: text,
        dockerfile: parsed,
        steps,
        context: ContextSummary {
            files: context.files,
            bytes: context.bytes + extra.iter().map(|(_, d)| d.len() as u64).sum::<u64>(),
            ignored: context
                .ignored
                .iter()
                .take(IGNORED_SHOWN)
                .cloned()
                .collect(),
            ignored_count: context.ignored.len() as u64,
            has_dockerignore: context.has_dockerignore,
        },
        warnings,
        builder: form.builder,
    };
    Ok(Inputs {
        plan,
        context,
        dockerfile_name,
        extra,
        args,
        secrets,
    })
}

/// How a BuildKit build is typed with a docker CLI of `version` (as
/// `docker --version` prints it): before 23.0 the CLI has its own BuildKit
/// client, switched on by `DOCKER_BUILDKIT=1`; from 23.0 BuildKit is
/// buildx's (`docker buildx build`, the docker driver loading the image).
pub fn buildkit_command(version: Option<&str>) -> &'static str {
    let major = version
        .and_then(|v| v.split("version ").nth(1).or(Some(v)))
        .and_then(|v| v.trim().split('.').next()?.parse::<u32>().ok());
    match major {
        Some(m) if m >= 23 => "docker buildx build",
        _ => "DOCKER_BUILDKIT=1 docker build",
    }
}

/// [`buildkit_command`] for the `docker` on this computer's PATH (asked
/// once; no CLI found: the older form).
pub fn buildkit_cli() -> &'static str {
    static LINE: std::sync::OnceLock<&'static str> = std::sync::OnceLock::new();
    LINE.get_or_init(|| {
        let out = std::process::Command::new("docker")
            .arg("--version")
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned());
        buildkit_command(out.as_deref())
    })
}

/// Checks the form and walks the folder: what a build would send and do,
/// before anything is sent. Reads the disk: call it off the UI thread.
pub fn plan(form: &BuildForm) -> Result<BuildPlan> {
    check(form).map(|i| i.plan)
}

/// How a step met the build cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum StepCache {
    /// FROM, or an ARG before it: nothing to cache.
    Base,
    /// "Using cache": the layer from an earlier build was reused.
    Hit,
    /// Run (or copied) again.
    Miss,
    /// Not decided yet (the step is running, or the build stopped in it).
    Pending,
    /// Only written in the image's config (LABEL, ENV, CMD...): BuildKit
    /// runs nothing for it, so there is nothing to cache.
    Config,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct StepOutcome {
    pub step: u32,
    pub text: String,
    /// The Dockerfile lines it is, when the step agrees with the file.
    pub first_line: Option<u32>,
    pub last_line: Option<u32>,
    pub cache: StepCache,
    /// For a miss: the earlier miss in the same stage that made this one
    /// miss too (every later step is rebuilt once one is).
    pub after: Option<u32>,
    #[specta(type = crate::JsNumber)]
    pub millis: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum BuildEvent {
    /// The context being sent.
    Sending {
        #[specta(type = crate::JsNumber)]
        bytes: u64,
        #[specta(type = crate::JsNumber)]
        total: u64,
    },
    /// A step starts; `first`..=`last` are its Dockerfile lines.
    Step {
        step: u32,
        total: u32,
        text: String,
        first: Option<u32>,
        last: Option<u32>,
    },
    Cache {
        step: u32,
        cache: StepCache,
        after: Option<u32>,
    },
    /// A line the step printed (a RUN's output, a warning).
    Output { step: Option<u32>, text: String },
    StepDone {
        step: u32,
        #[specta(type = crate::JsNumber)]
        millis: u64,
    },
    /// Where the build failed: the step, or only a line (a parse error).
    Failed {
        step: Option<u32>,
        line: Option<u32>,
        message: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Built {
    pub id: String,
    pub tag: Option<String>,
    pub steps: Vec<StepOutcome>,
    pub command: String,
}

impl StepOutcome {
    /// A step that has just started: its lines from its instruction,
    /// nothing decided but whether it is a base (FROM).
    pub(crate) fn started(
        step: u32,
        text: &str,
        ins: Option<&dockerfile::Instruction>,
        base: bool,
    ) -> Self {
        StepOutcome {
            step,
            text: text.to_string(),
            first_line: ins.map(|i| i.first_line),
            last_line: ins.map(|i| i.last_line),
            cache: if base {
                StepCache::Base
            } else {
                StepCache::Pending
            },
            after: None,
            millis: 0,
        }
    }
}

/// `step` missed the cache in `stage`: the earlier miss there that made it
/// miss too, or None when it is the stage's first (then remembered).
pub(crate) fn missed(first_miss: &mut HashMap<u32, u32>, stage: u32, step: u32) -> Option<u32> {
    match first_miss.get(&stage) {
        Some(&first) if first < step => Some(first),
        Some(_) => None,
        None => {
            first_miss.insert(stage, step);
            None
        }
    }
}

/// Reads the builder's text output into steps.
struct Tracker<'a> {
    dockerfile: &'a Dockerfile,
    steps: Vec<StepOutcome>,
    started: Instant,
    pending: String,
    first_miss: HashMap<u32, u32>,
    short_id: Option<String>,
}

impl<'a> Tracker<'a> {
    fn new(dockerfile: &'a Dockerfile) -> Self {
        Tracker {
            dockerfile,
            steps: Vec::new(),
            started: Instant::now(),
            pending: String::new(),
            first_miss: HashMap::new(),
            short_id: None,
        }
    }

    fn current(&self) -> Option<u32> {
        self.steps.last().map(|s| s.step)
    }

    fn text(&mut self, s: &str, emit: &mut dyn FnMut(BuildEvent)) {
        self.pending.push_str(s);
        while let Some(i) = self.pending.find('\n') {
            let line: String = self.pending.drain(..=i).collect();
            self.line(line.trim_end_matches(['\n', '\r']), emit);
        }
    }

    fn flush(&mut self, emit: &mut dyn FnMut(BuildEvent)) {
        if !self.pending.is_empty() {
            let rest = std::mem::take(&mut self.pending);
            self.line(&rest, emit);
        }
    }

    fn finish_step(&mut self, emit: &mut dyn FnMut(BuildEvent)) {
        if let Some(s) = self.steps.last_mut() {
            if s.millis == 0 {
                s.millis = (self.started.elapsed().as_millis() as u64).max(1);
                emit(BuildEvent::StepDone {
                    step: s.step,
                    millis: s.millis,
                });
            }
        }
    }

    fn mark(&mut self, cache: StepCache, emit: &mut dyn FnMut(BuildEvent)) {
        let Some(s) = self.steps.last_mut() else {
            return;
        };
        if s.cache != StepCache::Pending {
            return;
        }
        s.cache = cache;
        if cache == StepCache::Miss {
            let stage = self.dockerfile.step(s.step, &s.text).and_then(|i| i.stage);
            if let Some(stage) = stage {
                s.after = missed(&mut self.first_miss, stage, s.step);
            }
        }
        emit(BuildEvent::Cache {
            step: s.step,
            cache,
            after: s.after,
        });
    }

    fn line(&mut self, l: &str, emit: &mut dyn FnMut(BuildEvent)) {
        if let Some((n, total, text)) = step_line(l) {
            self.finish_step(emit);
            let ins = self.dockerfile.step(n, text);
            let base = ins.is_some_and(|i| i.keyword == "FROM" || i.stage.is_none())
                || text.to_ascii_uppercase().starts_with("FROM ");
            self.started = Instant::now();
            self.steps.push(StepOutcome::started(n, text, ins, base));
            emit(BuildEvent::Step {
                step: n,
                total,
                text: text.to_string(),
                first: ins.map(|i| i.first_line),
                last: ins.map(|i| i.last_line),
            });
        } else if l == " ---> Using cache" {
            self.mark(StepCache::Hit, emit);
        } else if l.starts_with(" ---> Running in ") {
            self.mark(StepCache::Miss, emit);
        } else if let Some(id) = l.strip_prefix(" ---> ").filter(|id| is_short_id(id)) {
            self.mark(StepCache::Miss, emit);
            self.short_id = Some(id.to_string());
            self.finish_step(emit);
        } else if l.starts_with("Removing intermediate container ") || l.is_empty() {
        } else if let Some(id) = l.strip_prefix("Successfully built ") {
            self.finish_step(emit);
            self.short_id = Some(id.trim().to_string());
        } else if l.starts_with("Successfully tagged ") {
        } else {
            emit(BuildEvent::Output {
                step: self.current(),
                text: l.to_string(),
            });
        }
    }
}

fn is_short_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// `Step 3/9 : COPY src/ /work/src/` → (3, 9, "COPY src/ /work/src/").
fn step_line(l: &str) -> Option<(u32, u32, &str)> {
    let rest = l.strip_prefix("Step ")?;
    let (nums, text) = rest.split_once(" : ")?;
    let (n, m) = nums.split_once('/')?;
    Some((n.parse().ok()?, m.parse().ok()?, text))
}

/// Sets the flag when dropped: a build dropped mid-way stops its packer.
/// The error for a build that failed at `step` (or before any), marked on
/// its line first: the engine's words kept.
fn step_failure(
    step: Option<&StepOutcome>,
    message: String,
    on_event: &mut dyn FnMut(BuildEvent),
) -> Error {
    let line = step
        .and_then(|s| s.first_line)
        .or_else(|| dockerfile::error_line(&message));
    on_event(BuildEvent::Failed {
        step: step.map(|s| s.step),
        line,
        message: message.clone(),
    });
    if message.contains("failed to reach build target") || message.contains("target stage") {
        return Error::said("target", Said::BuildTargetMissing { detail: message });
    }
    match (step, line) {
        (Some(s), Some(l)) => Error::failed(Said::BuildStepLineFailed {
            step: s.step,
            line: l,
            text: s.text.clone(),
            detail: message,
        }),
        (Some(s), None) => Error::failed(Said::BuildStepFailed {
            step: s.step,
            text: s.text.clone(),
            detail: message,
        }),
        (None, _) => Error::Engine {
            status: None,
            message,
            said: None,
        },
    }
}

/// The context being packed as a tar on a blocking thread while it is
/// sent: read it from `reader`; `sent_rx` says how many bytes so far.
/// Dropping `_guard` stops the packing.
pub(crate) struct Packing {
    pub reader: tokio::io::DuplexStream,
    pub sent_rx: tokio::sync::watch::Receiver<u64>,
    pub packer: tokio::task::JoinHandle<Result<()>>,
    pub _guard: StopOnDrop,
}

impl Packing {
    pub fn start(context: Context, extra: Vec<(String, Vec<u8>)>) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let (reader, writer) = tokio::io::duplex(256 * 1024);
        let (sent_tx, sent_rx) = tokio::sync::watch::channel(0u64);
        let packer = {
            let stop = stop.clone();
            tokio::task::spawn_blocking(move || {
                let w = SyncIoBridge::new(writer);
                dockerignore::pack(&context, &extra, w, &stop, &mut |b| {
                    let _ = sent_tx.send(b);
                })
            })
        };
        Packing {
            reader,
            sent_rx,
            packer,
            _guard: StopOnDrop(stop),
        }
    }
}

pub(crate) struct StopOnDrop(Arc<AtomicBool>);
impl Drop for StopOnDrop {
    fn drop(&mut self) {
        self.0.store(true, std::sync::atomic::Ordering::Relaxed);
    }
}

/// What the engine needs to pull the bases from registries that want a
/// login: the CLI's credentials for each FROM's registry.
async fn base_credentials(d: &Dockerfile) -> Result<HashMap<String, DockerCredentials>> {
    let stage_names: Vec<&str> = d.stages.iter().filter_map(|s| s.name.as_deref()).collect();
    let mut out = HashMap::new();
    for s in &d.stages {
        if s.base.contains('$')
            || s.base == "scratch"
            || stage_names.contains(&s.base.to_ascii_lowercase().as_str())
        {
            continue;
        }
        let Ok(r) = reference::parse(&s.base) else {
            continue;
        };
        if let (Credentials::Basic { user, secret }, _) = credentials::lookup(&r.registry).await? {
            let server = if r.registry == "docker.io" {
                HUB_KEY.to_string()
            } else {
                r.registry.clone()
            };
            out.insert(
                server.clone(),
                DockerCredentials {
                    username: Some(user),
                    password: Some(secret),
                    serveraddress: Some(server),
                    ..Default::default()
                },
            );
        }
    }
    Ok(out)
}

impl Engine {
    /// `docker image build`: walks the folder, streams the context, and
    /// reports every step. Dropping the future cancels the build (the
    /// engine stops when the connection closes).
    pub async fn build(
        &self,
        form: &BuildForm,
        mut on_event: impl FnMut(BuildEvent) + Send,
    ) -> Result<Built> {
        let form2 = form.clone();
        let inputs = tokio::task::spawn_blocking(move || check(&form2))
            .await
            .map_err(Error::task)??;
        if inputs.plan.builder == Builder::BuildKit {
            return self.build_buildkit(form, inputs, on_event).await;
        }
        let Inputs {
            plan,
            context,
            dockerfile_name,
            extra,
            args,
            secrets: _,
        } = inputs;
        let total = plan.context.bytes;
        on_event(BuildEvent::Sending { bytes: 0, total });

        let Packing {
            reader,
            mut sent_rx,
            packer,
            _guard,
        } = Packing::start(context, extra);
        let tag = form.tag.trim();
        let mut opts = BuildImageOptionsBuilder::new()
            .dockerfile(&dockerfile_name)
            .rm(true)
            // A failed step's container is removed too (the CLI keeps it
            // unless told `--force-rm`; BuildKit keeps none).
            .forcerm(true)
            .nocache(form.no_cache)
            .buildargs(&args);
        if !tag.is_empty() {
            opts = opts.t(tag);
        }
        if !form.target.trim().is_empty() {
            opts = opts.target(form.target.trim());
        }
        let creds = base_credentials(&plan.dockerfile).await?;
        let mut stream = self.docker.build_image(
            opts.build(),
            (!creds.is_empty()).then_some(creds),
            Some(bollard::body_try_stream(ReaderStream::with_capacity(
                reader,
                256 * 1024,
            ))),
        );
        let mut tracker = Tracker::new(&plan.dockerfile);
        let mut id: Option<String> = None;
        let mut last_sent = 0;
        let fail = |tracker: &Tracker,
                    message: String,
                    on_event: &mut dyn FnMut(BuildEvent)|
         -> Error { step_failure(tracker.steps.last(), message, on_event) };
        loop {
            let next = tokio::select! {
                n = stream.next() => n,
                Ok(()) = sent_rx.changed() => {
                    let b = *sent_rx.borrow_and_update();
                    if b >= last_sent + (1 << 20) || b == total {
                        last_sent = b;
                        on_event(BuildEvent::Sending { bytes: b, total });
                    }
                    continue;
                }
            };
            let Some(item) = next else { break };
            let info = match item {
                Ok(i) => i,
                // A failed step's errorDetail: bollard ends the stream with it.
                Err(bollard::errors::Error::DockerStreamError { error }) => {
                    tracker.flush(&mut on_event);
                    return Err(fail(&tracker, error, &mut on_event));
                }
                Err(e) => {
                    let e = Error::from(e);
                    return Err(fail(&tracker, e.to_string(), &mut on_event));
                }
            };
            if let Some(s) = &info.stream {
                tracker.text(s, &mut on_event);
            }
            if let Some(d) = &info.error_detail {
                tracker.flush(&mut on_event);
                let message = d.message.clone().unwrap_or_default();
                return Err(fail(&tracker, message, &mut on_event));
            }
            if let Some(aux) = &info.aux {
                if let Some(i) = &aux.id {
                    id = Some(i.clone());
                }
            }
        }
        tracker.flush(&mut on_event);
        tracker.finish_step(&mut on_event);
        match packer.await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => return Err(e),
            Err(e) => return Err(Error::task(e)),
        }
        let id = match id.or(tracker.short_id.clone()) {
            Some(i) => i,
            None => return Err(Error::failed(Said::BuildNoImage)),
        };
        Ok(Built {
            id,
            tag: (!tag.is_empty()).then(|| tag.to_string()),
            steps: tracker.steps,
            command: plan.command,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_buildkit_line_is_the_one_the_users_cli_takes() {
        let c = |v| buildkit_command(Some(v));
        assert_eq!(
            c("Docker version 20.10.24+dfsg1, build 297e128"),
            "DOCKER_BUILDKIT=1 docker build"
        );
        assert_eq!(
            c("Docker version 28.2.2, build e6534b4"),
            "docker buildx build"
        );
        assert_eq!(
            c("Docker version 23.0.0, build e92dd87"),
            "docker buildx build"
        );
        assert_eq!(
            c("Docker version 19.03.15, build 99e3ed8"),
            "DOCKER_BUILDKIT=1 docker build"
        );
        assert_eq!(c("27.1.0"), "docker buildx build");
        assert_eq!(c("podman version 4.3.1"), "DOCKER_BUILDKIT=1 docker build");
        assert_eq!(buildkit_command(None), "DOCKER_BUILDKIT=1 docker build");
    }

    fn run(d: &Dockerfile, chunks: &[&str]) -> (Vec<StepOutcome>, Vec<BuildEvent>) {
        let mut t = Tracker::new(d);
        let mut events = Vec::new();
        for c in chunks {
            t.text(c, &mut |e| events.push(e));
        }
        t.flush(&mut |e| events.push(e));
        t.finish_step(&mut |e| events.push(e));
        (t.steps, events)
    }

    const FILE: &str =
        "FROM base AS b\nWORKDIR /w\nCOPY a /a\nRUN x\n\nFROM base\nCOPY --from=b /a /a\n";

    #[test]
    fn the_builder_output_becomes_steps_with_their_cache_and_lines() {
        let d = dockerfile::parse(FILE).unwrap();
        // Recorded from API 1.41's builder, split where the engine split it.
        let (steps, events) = run(
            &d,
            &[
                "Step 1/6 : FROM base AS b",
                "\n",
                " ---> b7afcf283bf2\n",
                "Step 2/6 : WORKDIR /w",
                "\n",
                " ---> Using cache\n",
                " ---> b1e602f3b1e0\n",
                "Step 3/6 : COPY a /a",
                "\n",
                " ---> 0a0b8a641d91\n",
                "Step 4/6 : RUN x",
                "\n",
                " ---> Running in fdd8cf823e30\n",
                "hello from x\n",
                "Removing intermediate container fdd8cf823e30\n",
                " ---> 12a9d1c7d26c\n",
                "Step 5/6 : FROM base",
                "\n",
                " ---> b7afcf283bf2\n",
                "Step 6/6 : COPY --from=b /a /a",
                "\n",
                " ---> c082cb92a6a9\n",
                "Successfully built c082cb92a6a9\n",
                "Successfully tagged x:1\n",
            ],
        );
        let got: Vec<(u32, StepCache, Option<u32>, Option<u32>)> = steps
            .iter()
            .map(|s| (s.step, s.cache, s.after, s.first_line))
            .collect();
        assert_eq!(
            got,
            vec![
                (1, StepCache::Base, None, Some(1)),
                (2, StepCache::Hit, None, Some(2)),
                (3, StepCache::Miss, None, Some(3)),
                (4, StepCache::Miss, Some(3), Some(4)),
                (5, StepCache::Base, None, Some(6)),
                (6, StepCache::Miss, None, Some(7)),
            ]
        );
        assert!(steps.iter().all(|s| s.millis > 0));
        let outputs: Vec<_> = events
            .iter()
            .filter_map(|e| match e {
                BuildEvent::Output { step, text } => Some((*step, text.as_str())),
                _ => None,
            })
            .collect();
        assert_eq!(outputs, vec![(Some(4), "hello from x")]);
    }

    #[test]
    fn step_lines_are_read_strictly() {
        assert_eq!(step_line("Step 3/9 : COPY a b"), Some((3, 9, "COPY a b")));
        assert_eq!(step_line("Step x/9 : COPY"), None);
        assert_eq!(step_line("Stepping : 1/2"), None);
        assert!(is_short_id("0a0b8a641d91"));
        assert!(!is_short_id("[Warning] x"));
    }
}
