//! The Run dialog's form (C4): checked field by field, turned into the
//! `docker run` line the CLI accepts and into the create request that line
//! would send, so that what Berth runs and what it shows are one thing.
//!
//! Two kinds of check: [`plan`] needs nothing but the form (syntax, ranges,
//! duplicates, combinations the CLI refuses); [`Engine::check_run`] adds what
//! only the engine knows (the image is here, the name and host ports are
//! free, the network exists) and names whatever is in the way.

use std::collections::{HashMap, HashSet};

use bollard::models::{
    ContainerCreateBody, HostConfig, PortBinding, RestartPolicy as ApiRestart,
    RestartPolicyNameEnum,
};
use bollard::query_parameters::{
    CreateContainerOptionsBuilder, ListNetworksOptions, ListVolumesOptions,
};
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::containers::publish::{self, Binding};
use crate::containers::{validate_name, ContainerRow, State};
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::images::reference::{self, Reference};
use crate::said::{len32, Said};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum Restart {
    #[default]
    No,
    Always,
    UnlessStopped,
    OnFailure,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct BindRow {
    /// A host folder or file, absolute.
    pub source: String,
    pub target: String,
    pub read_only: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct VolumeRow {
    /// A named volume (made if missing); empty for an anonymous one.
    pub name: String,
    pub target: String,
    pub read_only: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TmpfsRow {
    pub target: String,
    /// e.g. `64m`; empty for the engine's default (half the host's memory).
    pub size: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct EnvRow {
    pub key: String,
    pub value: String,
}

/// Everything the Run dialog asks, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct RunForm {
    pub image: String,
    /// Empty: the engine picks a name.
    pub name: String,
    /// Shell words; empty: the image's CMD.
    pub command: String,
    /// `-it` (a terminal attached to the main process) instead of `-d`.
    pub interactive: bool,
    /// `-p` specs as typed.
    pub ports: Vec<String>,
    pub restart: Restart,
    /// on-failure only; 0 = no limit.
    pub restart_retries: u32,
    /// Empty: the default bridge.
    pub network: String,
    pub binds: Vec<BindRow>,
    pub volumes: Vec<VolumeRow>,
    pub tmpfs: Vec<TmpfsRow>,
    pub env: Vec<EnvRow>,
    pub auto_remove: bool,
    /// `--label KEY=VALUE`, as typed (a lab's containers carry
    /// `berth.lab=<id>`, so its reset finds them).
    #[serde(default)]
    pub labels: Vec<String>,
}

/// A problem with one field. `field` is the form's path to it:
/// `image`, `name`, `command`, `ports.1`, `binds.0.source`, `env.2.key`...
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct FieldError {
    pub field: String,
    /// In English; `said`, where there is one, is the same as a code the
    /// window says in the user's language.
    pub message: String,
    pub said: Option<Said>,
}

impl From<FieldError> for Error {
    fn from(e: FieldError) -> Self {
        Error::InvalidInput {
            field: e.field,
            message: e.message,
            said: e.said.map(Box::new),
        }
    }
}

/// A field's problem said as a code.
fn fe_said(field: impl Into<String>, said: Said) -> FieldError {
    FieldError {
        field: field.into(),
        message: said.to_string(),
        said: Some(said),
    }
}

/// A form that passed the syntax checks: the CLI line and the request.
#[derive(Debug, Clone)]
pub struct Plan {
    pub reference: Reference,
    pub name: Option<String>,
    /// `docker run ...` split into words (unquoted).
    pub args: Vec<String>,
    pub bindings: Vec<Binding>,
    pub body: ContainerCreateBody,
}

impl Plan {
    /// The words quoted for a POSIX shell, ready to paste.
    pub fn cli(&self) -> String {
        crate::cli::line(self.args.iter().map(String::as_str))
    }
}

fn absolute_container_path(p: &str) -> std::result::Result<(), Said> {
    if p.is_empty() {
        return Err(Said::TargetEmpty);
    }
    if !p.starts_with('/') {
        return Err(Said::TargetRelative { path: p.into() });
    }
    if p.contains(':') {
        return Err(Said::PathColon { path: p.into() });
    }
    if p.split('/').all(str::is_empty) {
        return Err(Said::TargetRoot);
    }
    Ok(())
}

/// A host path as the engine needs it: absolute (`/srv/site`, or
/// `C:\site` for an engine on Windows).
fn absolute_host_path(p: &str) -> std::result::Result<(), Said> {
    if p.is_empty() {
        return Err(Said::HostPathEmpty);
    }
    let windows = p.len() >= 3
        && p.as_bytes()[0].is_ascii_alphabetic()
        && &p[1..2] == ":"
        && matches!(&p[2..3], "\\" | "/");
    if !(p.starts_with('/') || windows) {
        return Err(Said::HostPathRelative { path: p.into() });
    }
    let rest = if windows { &p[2..] } else { p };
    if rest.contains(':') {
        return Err(Said::PathColon { path: p.into() });
    }
    Ok(())
}

fn tmpfs_size(s: &str) -> std::result::Result<(), Said> {
    let digits = s.trim_end_matches(|c: char| "bkmgBKMG".contains(c));
    if digits.is_empty()
        || s.len() - digits.len() > 1
        || !digits.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(Said::SizeForm { size: s.into() });
    }
    if digits.parse::<u64>().map_or(true, |n| n == 0) {
        return Err(Said::SizeRange { size: s.into() });
    }
    Ok(())
}

/// Checks the form on its own and, when it is sound, builds the plan.
/// Every problem is reported, each under its field.
pub fn plan(form: &RunForm) -> std::result::Result<Plan, Vec<FieldError>> {
    let mut errors = Vec::new();
    let reference = reference::parse(form.image.trim())
        .map_err(|m| errors.push(fe_said("image", m)))
        .ok();
    let name = form.name.trim();
    let name = if name.is_empty() {
        None
    } else {
        match validate_name(name) {
            Ok(n) => Some(n.to_string()),
            Err(said) => {
                errors.push(fe_said("name", said));
                None
            }
        }
    };
    let command = shlex::split(&form.command).unwrap_or_else(|| {
        errors.push(fe_said("command", Said::CommandQuote));
        Vec::new()
    });

    let network = form.network.trim();
    let mut bindings = Vec::new();
    let mut seen_ports: HashMap<(String, String, String), usize> = HashMap::new();
    for (i, spec) in form.ports.iter().enumerate() {
        let field = format!("ports.{i}");
        if matches!(network, "host" | "none") {
            errors.push(fe_said(
                &field,
                match network {
                    "host" => Said::PortsWithHostNetwork,
                    _ => Said::PortsWithNoNetwork,
                },
            ));
            continue;
        }
        match publish::parse(spec) {
            Ok(bs) => {
                for b in bs {
                    if let Some(p) = b.fixed_host_port() {
                        let key = (b.host_ip.clone(), p.to_string(), b.protocol.clone());
                        if let Some(j) = seen_ports.insert(key, i) {
                            errors.push(fe_said(
                                &field,
                                Said::HostPortTwice {
                                    port: p.to_string(),
                                    protocol: b.protocol.clone(),
                                    row: len32(j + 1),
                                },
                            ));
                        }
                    }
                    bindings.push(b);
                }
            }
            Err(m) => errors.push(fe_said(&field, m)),
        }
    }

    if form.restart != Restart::No && form.auto_remove {
        errors.push(fe_said("restart", Said::RestartWithRm));
    }
    for (i, l) in form.labels.iter().enumerate() {
        let key = l.split_once('=').map_or(l.as_str(), |(k, _)| k).trim();
        if key.is_empty() || key.contains(char::is_whitespace) {
            errors.push(fe_said(
                format!("labels.{i}"),
                Said::LabelBad { label: l.clone() },
            ));
        }
    }

    let mut targets: HashMap<String, String> = HashMap::new();
    let mut target =
        |errors: &mut Vec<FieldError>, field: String, t: &str| match absolute_container_path(t) {
            Err(m) => errors.push(fe_said(field, m)),
            Ok(()) => {
                let norm = t.trim_end_matches('/').to_string();
                if let Some(other) = targets.insert(norm, field.clone()) {
                    errors.push(fe_said(
                        field,
                        Said::TargetTwice {
                            path: t.into(),
                            other,
                        },
                    ));
                }
            }
        };
    for (i, b) in form.binds.iter().enumerate() {
        if let Err(m) = absolute_host_path(b.source.trim()) {
            errors.push(fe_said(format!("binds.{i}.source"), m));
        }
        target(&mut errors, format!("binds.{i}.target"), b.target.trim());
    }
    for (i, v) in form.volumes.iter().enumerate() {
        let n = v.name.trim();
        if !n.is_empty() {
            if let Err(said) = validate_name(n) {
                errors.push(fe_said(format!("volumes.{i}.name"), said));
            }
        }
        if n.is_empty() && v.read_only {
            errors.push(fe_said(
                format!("volumes.{i}.readOnly"),
                Said::AnonymousReadOnly,
            ));
        }
        target(&mut errors, format!("volumes.{i}.target"), v.target.trim());
    }
    for (i, t) in form.tmpfs.iter().enumerate() {
        target(&mut errors, format!("tmpfs.{i}.target"), t.target.trim());
        let size = t.size.trim();
        if !size.is_empty() {
            if let Err(m) = tmpfs_size(size) {
                errors.push(fe_said(format!("tmpfs.{i}.size"), m));
            }
        }
    }

    let mut keys: HashMap<&str, usize> = HashMap::new();
    for (i, e) in form.env.iter().enumerate() {
        let field = format!("env.{i}.key");
        let k = e.key.as_str();
        if k.is_empty() {
            errors.push(fe_said(field, Said::EnvNameEmpty));
        } else if k.contains('=') {
            errors.push(fe_said(field, Said::EnvNameEquals { name: k.into() }));
        } else if k.chars().any(char::is_whitespace) {
            errors.push(fe_said(field, Said::EnvNameSpace { name: k.into() }));
        } else if let Some(j) = keys.insert(k, i) {
            errors.push(fe_said(
                field,
                Said::EnvNameTwice {
                    name: k.into(),
                    row: len32(j + 1),
                },
            ));
        }
    }

    match (errors.is_empty(), reference) {
        (true, Some(reference)) => Ok(build(form, reference, name, command, bindings)),
        _ => Err(errors),
    }
}

/// The CLI words and the create request for a checked form. Mirrors what the
/// 20.10 CLI sends for the same words: `-v` goes to Binds (or Volumes when
/// anonymous), `--tmpfs` to Tmpfs, `-p` to ExposedPorts and PortBindings.
fn build(
    form: &RunForm,
    reference: Reference,
    name: Option<String>,
    command: Vec<String>,
    bindings: Vec<Binding>,
) -> Plan {
    let mut args: Vec<String> = vec!["docker".into(), "run".into()];
    let mut push = |a: &str, b: &str| {
        args.push(a.into());
        args.push(b.into());
    };
    if let Some(n) = &name {
        push("--name", n);
    }
    let ports: Vec<&str> = form.ports.iter().map(|p| p.trim()).collect();
    for p in &ports {
        push("-p", p);
    }
    match form.restart {
        Restart::No => {}
        Restart::Always => push("--restart", "always"),
        Restart::UnlessStopped => push("--restart", "unless-stopped"),
        Restart::OnFailure if form.restart_retries > 0 => {
            push("--restart", &format!("on-failure:{}", form.restart_retries))
        }
        Restart::OnFailure => push("--restart", "on-failure"),
    }
    let network = form.network.trim();
    if !network.is_empty() {
        push("--network", network);
    }
    let mut binds = Vec::new();
    let mut anonymous = Vec::new();
    let ro = |r: bool| if r { ":ro" } else { "" };
    for b in &form.binds {
        let spec = format!("{}:{}{}", b.source.trim(), b.target.trim(), ro(b.read_only));
        push("-v", &spec);
        binds.push(spec);
    }
    for v in &form.volumes {
        let (n, t) = (v.name.trim(), v.target.trim());
        if n.is_empty() {
            push("-v", t);
            anonymous.push(t.to_string());
        } else {
            let spec = format!("{n}:{t}{}", ro(v.read_only));
            push("-v", &spec);
            binds.push(spec);
        }
    }
    let mut tmpfs = HashMap::new();
    for t in &form.tmpfs {
        let size = t.size.trim();
        let opts = if size.is_empty() {
            String::new()
        } else {
            format!("size={size}")
        };
        let spec = if opts.is_empty() {
            t.target.trim().to_string()
        } else {
            format!("{}:{opts}", t.target.trim())
        };
        push("--tmpfs", &spec);
        tmpfs.insert(t.target.trim().to_string(), opts);
    }
    let env: Vec<String> = form
        .env
        .iter()
        .map(|e| format!("{}={}", e.key, e.value))
        .collect();
    for e in &env {
        push("-e", e);
    }
    let mut labels = HashMap::new();
    for l in form
        .labels
        .iter()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty())
    {
        push("--label", l);
        let (k, v) = l.split_once('=').unwrap_or((l, ""));
        labels.insert(k.to_string(), v.to_string());
    }
    if form.auto_remove {
        args.push("--rm".into());
    }
    args.push(if form.interactive { "-it" } else { "-d" }.into());
    args.push(form.image.trim().into());
    args.extend(command.iter().cloned());

    let mut port_bindings: HashMap<String, Option<Vec<PortBinding>>> = HashMap::new();
    let mut exposed = Vec::new();
    for b in &bindings {
        let key = b.key();
        if !exposed.contains(&key) {
            exposed.push(key.clone());
        }
        port_bindings
            .entry(key)
            .or_insert_with(|| Some(Vec::new()))
            .get_or_insert_with(Vec::new)
            .push(PortBinding {
                host_ip: Some(b.host_ip.clone()),
                host_port: Some(b.host_port.clone()),
            });
    }
    let restart = match form.restart {
        Restart::No => RestartPolicyNameEnum::NO,
        Restart::Always => RestartPolicyNameEnum::ALWAYS,
        Restart::UnlessStopped => RestartPolicyNameEnum::UNLESS_STOPPED,
        Restart::OnFailure => RestartPolicyNameEnum::ON_FAILURE,
    };
    let some_if = |v: Vec<String>| (!v.is_empty()).then_some(v);
    let it = form.interactive;
    let body = ContainerCreateBody {
        image: Some(form.image.trim().into()),
        cmd: some_if(command),
        env: some_if(env),
        exposed_ports: some_if(exposed),
        volumes: some_if(anonymous),
        labels: (!labels.is_empty()).then_some(labels),
        tty: Some(it),
        open_stdin: Some(it),
        stdin_once: Some(it),
        attach_stdin: Some(it),
        attach_stdout: Some(it),
        attach_stderr: Some(it),
        host_config: Some(HostConfig {
            binds: some_if(binds),
            port_bindings: (!port_bindings.is_empty()).then_some(port_bindings),
            restart_policy: Some(ApiRestart {
                name: Some(restart),
                maximum_retry_count: Some(if form.restart == Restart::OnFailure {
                    i64::from(form.restart_retries)
                } else {
                    0
                }),
            }),
            network_mode: Some(
                if network.is_empty() {
                    "default"
                } else {
                    network
                }
                .into(),
            ),
            tmpfs: (!tmpfs.is_empty()).then_some(tmpfs),
            auto_remove: Some(form.auto_remove),
            ..Default::default()
        }),
        ..Default::default()
    };
    Plan {
        reference,
        name,
        args,
        bindings,
        body,
    }
}

/// What the image itself says, to prefill and explain the form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ImageHints {
    pub id: String,
    /// The image's CMD, the command used when the form's is empty.
    pub cmd: Vec<String>,
    pub entrypoint: Vec<String>,
    /// EXPOSE'd ports (`80/tcp`): documented, not published until `-p`.
    pub exposed: Vec<String>,
    /// VOLUME paths: each becomes an anonymous volume unless mounted.
    pub volumes: Vec<String>,
}

/// The answer to the form so far: its errors, or the command it equals.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct RunCheck {
    pub errors: Vec<FieldError>,
    /// The `docker run` line, when the form is sound enough to write one.
    pub cli: Option<String>,
    pub reference: Option<Reference>,
    pub image: Option<ImageHints>,
    /// Named volumes that do not exist yet: the run creates them.
    pub new_volumes: Vec<String>,
}

/// What the dialog offers in its pickers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct RunChoices {
    pub networks: Vec<String>,
    pub volumes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Started {
    pub id: String,
    /// The container's name (the engine's pick when the form left it empty).
    pub name: String,
    /// False for an interactive run: it starts when its terminal attaches.
    pub started: bool,
}

fn short(id: &str) -> &str {
    &id[..id.len().min(12)]
}

/// Does binding `a` collide with `b` on the host? Every-address binds
/// collide with any address; `host_ip` empty, 0.0.0.0 and :: mean every.
fn same_host_port(ip_a: &str, ip_b: &str) -> bool {
    let any = |ip: &str| matches!(ip, "" | "0.0.0.0" | "::");
    any(ip_a) || any(ip_b) || ip_a == ip_b
}

fn port_holder(b: &Binding, port: u16, containers: &[ContainerRow]) -> Option<Said> {
    let live = |s: State| matches!(s, State::Running | State::Paused | State::Restarting);
    containers.iter().filter(|c| live(c.state)).find_map(|c| {
        c.ports
            .iter()
            .any(|p| {
                p.host_port == Some(port)
                    && p.protocol == b.protocol
                    && same_host_port(&b.host_ip, p.host_ip.as_deref().unwrap_or(""))
            })
            .then(|| Said::HostPortTaken {
                port: u32::from(port),
                protocol: b.protocol.clone(),
                container: c.name.clone(),
                id: short(&c.id).to_string(),
                image: c.image.clone(),
            })
    })
}

/// A host port some program outside the engine holds. Only meaningful
/// when the engine runs on this machine, and only for TCP.
fn held_on_this_machine(b: &Binding, port: u16) -> bool {
    if b.protocol != "tcp" {
        return false;
    }
    let ip = if b.host_ip.is_empty() {
        "0.0.0.0"
    } else {
        &b.host_ip
    };
    let Ok(ip) = ip.parse::<std::net::IpAddr>() else {
        return false;
    };
    matches!(
        std::net::TcpListener::bind((ip, port)),
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse
    )
}

impl Engine {
    /// Networks and volumes for the dialog's pickers.
    pub async fn run_choices(&self) -> Result<RunChoices> {
        let nets = self
            .docker
            .list_networks(None::<ListNetworksOptions>)
            .await?;
        let vols = self.docker.list_volumes(None::<ListVolumesOptions>).await?;
        let mut networks: Vec<String> = nets.into_iter().filter_map(|n| n.name).collect();
        networks.sort();
        let mut volumes: Vec<String> = vols
            .volumes
            .unwrap_or_default()
            .into_iter()
            .map(|v| v.name)
            .collect();
        volumes.sort();
        Ok(RunChoices { networks, volumes })
    }

    /// Checks the form against the engine: the syntax first, then the
    /// image, the name, host ports and the network.
    pub async fn check_run(&self, form: &RunForm) -> Result<RunCheck> {
        let plan = match plan(form) {
            Ok(p) => p,
            Err(errors) => {
                let reference = reference::parse(form.image.trim()).ok();
                let image = match &reference {
                    Some(_) => self.image_hints(form.image.trim()).await?,
                    None => None,
                };
                return Ok(RunCheck {
                    errors,
                    reference,
                    image,
                    ..Default::default()
                });
            }
        };
        let mut errors = Vec::new();
        let image = self.image_hints(form.image.trim()).await?;
        if image.is_none() {
            errors.push(fe_said(
                "image",
                Said::ImageNotHere {
                    image: plan.reference.familiar.clone(),
                    input: form.image.trim().into(),
                },
            ));
        }
        let containers = self.list_containers(true).await?;
        if let Some(n) = &plan.name {
            if let Some(c) = containers.iter().find(|c| &c.name == n) {
                errors.push(fe_said(
                    "name",
                    Said::NameTaken {
                        name: n.clone(),
                        id: short(&c.id).to_string(),
                        state: crate::containers::state_word(c.state).into(),
                        image: c.image.clone(),
                    },
                ));
            }
        }
        let local = self.is_local();
        for (i, spec) in form.ports.iter().enumerate() {
            for b in publish::parse(spec).unwrap_or_default() {
                let Some(port) = b.fixed_host_port() else {
                    continue;
                };
                if let Some(who) = port_holder(&b, port, &containers) {
                    errors.push(fe_said(format!("ports.{i}"), who));
                } else if local && held_on_this_machine(&b, port) {
                    errors.push(fe_said(
                        format!("ports.{i}"),
                        Said::HostPortHeld {
                            port: u32::from(port),
                        },
                    ));
                }
            }
        }
        let choices = self.run_choices().await?;
        let network = form.network.trim();
        if !network.is_empty()
            && !network.starts_with("container:")
            && !choices.networks.iter().any(|n| n == network)
        {
            errors.push(fe_said(
                "network",
                Said::NoSuchNetwork {
                    network: network.into(),
                    networks: choices.networks.join(", "),
                },
            ));
        }
        let mut new_volumes: Vec<String> = form
            .volumes
            .iter()
            .map(|v| v.name.trim().to_string())
            .filter(|n| !n.is_empty() && !choices.volumes.contains(n))
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        new_volumes.sort();
        Ok(RunCheck {
            errors,
            cli: Some(plan.cli()),
            reference: Some(plan.reference),
            image,
            new_volumes,
        })
    }

    async fn image_hints(&self, image: &str) -> Result<Option<ImageHints>> {
        match self.docker.inspect_image(image).await {
            Ok(i) => {
                let c = i.config.unwrap_or_default();
                let mut exposed = c.exposed_ports.unwrap_or_default();
                exposed.sort();
                let mut volumes = c.volumes.unwrap_or_default();
                volumes.sort();
                Ok(Some(ImageHints {
                    id: i.id.unwrap_or_default(),
                    cmd: c.cmd.unwrap_or_default(),
                    entrypoint: c.entrypoint.unwrap_or_default(),
                    exposed,
                    volumes,
                }))
            }
            Err(e) => match Error::from(e) {
                Error::NotFound { .. } => Ok(None),
                // An odd name the engine refuses to even look up.
                Error::Engine {
                    status: Some(400), ..
                } => Ok(None),
                other => Err(other),
            },
        }
    }

    /// `docker run`: checks everything, creates the container and, unless
    /// interactive, starts it. The first problem found is the error, under
    /// its field.
    pub async fn run(&self, form: &RunForm) -> Result<Started> {
        let check = self.check_run(form).await?;
        if let Some(e) = check.errors.into_iter().next() {
            return Err(e.into());
        }
        let plan = plan(form).map_err(|mut es| Error::from(es.remove(0)))?;
        let mut opts = CreateContainerOptionsBuilder::new();
        if let Some(n) = &plan.name {
            opts = opts.name(n);
        }
        let created = self
            .docker
            .create_container(Some(opts.build()), plan.body)
            .await?;
        let name = self
            .inspect(&created.id, false)
            .await?
            .name
            .unwrap_or_default()
            .trim_start_matches('/')
            .to_string();
        if !form.interactive {
            self.docker.start_container(&created.id, None).await?;
        }
        Ok(Started {
            id: created.id,
            name,
            started: !form.interactive,
        })
    }
}

/// An `--env-file` read for the form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct EnvImport {
    pub path: String,
    pub rows: Vec<EnvRow>,
    /// Lines skipped, each with its number and why.
    pub notes: Vec<Said>,
}

/// Reads an env file from disk (at most 1 MiB of UTF-8 text).
pub fn read_env_file(path: &std::path::Path) -> Result<EnvImport> {
    const MAX: u64 = 1 << 20;
    let shown = || path.display().to_string();
    let len = std::fs::metadata(path)
        .map_err(|e| Error::path("envFile", path, &e))?
        .len();
    if len > MAX {
        return Err(Error::said(
            "envFile",
            Said::EnvFileTooBig {
                path: shown(),
                size: len,
            },
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| Error::path("envFile", path, &e))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        Error::said(
            "envFile",
            Said::EnvFileNotText {
                path: shown(),
                byte: e.utf8_error().valid_up_to() as u64,
            },
        )
    })?;
    let (rows, notes) = parse_env_file(&text);
    Ok(EnvImport {
        path: path.display().to_string(),
        rows,
        notes,
    })
}

/// Reads a `--env-file`: `KEY=VALUE` per line, `#` comments and blank lines
/// skipped, the value kept verbatim (no quote removal, as docker does).
/// Lines docker would fill from the shell (`KEY` alone) are skipped with a
/// note, since Berth has no shell to copy from.
pub fn parse_env_file(text: &str) -> (Vec<EnvRow>, Vec<Said>) {
    let mut rows = Vec::new();
    let mut notes = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_start();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        match line.split_once('=') {
            Some((k, v)) if !k.is_empty() && !k.chars().any(char::is_whitespace) => {
                rows.push(EnvRow {
                    key: k.into(),
                    value: v.into(),
                })
            }
            Some((k, _)) => notes.push(Said::EnvFileLineName {
                line: len32(n + 1),
                name: k.into(),
            }),
            None => notes.push(Said::EnvFileLineNoEquals {
                line: len32(n + 1),
                text: line.into(),
            }),
        }
    }
    (rows, notes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn web() -> RunForm {
        RunForm {
            image: "berth-fixture/web:1".into(),
            ..Default::default()
        }
    }

    fn errors(form: &RunForm) -> Vec<(String, String)> {
        match plan(form) {
            Ok(p) => panic!("accepted: {}", p.cli()),
            Err(es) => es.into_iter().map(|e| (e.field, e.message)).collect(),
        }
    }

    #[test]
    fn the_cli_line_carries_every_field_quoted_for_a_shell() {
        let form = RunForm {
            name: "web-1".into(),
            command: r#"sh -c "echo 'hi there'""#.into(),
            ports: vec!["127.0.0.1:8080:80".into()],
            restart: Restart::OnFailure,
            restart_retries: 3,
            network: "bridge".into(),
            binds: vec![BindRow {
                source: "/srv/my site".into(),
                target: "/www".into(),
                read_only: true,
            }],
            volumes: vec![VolumeRow {
                name: "data".into(),
                target: "/data".into(),
                read_only: false,
            }],
            tmpfs: vec![TmpfsRow {
                target: "/run".into(),
                size: "64m".into(),
            }],
            env: vec![EnvRow {
                key: "GREETING".into(),
                value: "hello world".into(),
            }],
            ..web()
        };
        let p = plan(&form).unwrap();
        assert_eq!(
            p.cli(),
            "docker run --name web-1 -p 127.0.0.1:8080:80 --restart on-failure:3 \
             --network bridge -v '/srv/my site:/www:ro' -v data:/data --tmpfs /run:size=64m \
             -e 'GREETING=hello world' -d berth-fixture/web:1 sh -c \"echo 'hi there'\""
        );
        assert_eq!(shlex::split(&p.cli()).unwrap(), p.args);
        let hc = p.body.host_config.unwrap();
        assert_eq!(hc.binds.unwrap(), ["/srv/my site:/www:ro", "data:/data"]);
        assert_eq!(hc.tmpfs.unwrap()["/run"], "size=64m");
        assert_eq!(p.body.cmd.unwrap(), ["sh", "-c", "echo 'hi there'"]);
    }

    #[test]
    fn interactive_and_auto_remove_are_the_cli_flags() {
        let p = plan(&RunForm {
            interactive: true,
            auto_remove: true,
            ..web()
        })
        .unwrap();
        assert_eq!(p.cli(), "docker run --rm -it berth-fixture/web:1");
        assert_eq!(p.body.tty, Some(true));
        assert_eq!(p.body.open_stdin, Some(true));
    }

    #[test]
    fn each_bad_value_is_reported_under_its_field() {
        let form = RunForm {
            image: "Web".into(),
            name: "my web".into(),
            command: "echo 'unclosed".into(),
            ports: vec![
                "80:80:80".into(),
                "70000:80".into(),
                "8080:80".into(),
                "8080:81".into(),
            ],
            restart: Restart::Always,
            auto_remove: true,
            binds: vec![BindRow {
                source: "./site".into(),
                target: "www".into(),
                read_only: true,
            }],
            volumes: vec![VolumeRow {
                name: "my vol".into(),
                target: "/data".into(),
                read_only: false,
            }],
            tmpfs: vec![TmpfsRow {
                target: "/data/".into(),
                size: "lots".into(),
            }],
            env: vec![
                EnvRow {
                    key: "A".into(),
                    value: "1".into(),
                },
                EnvRow {
                    key: "A".into(),
                    value: "2".into(),
                },
                EnvRow {
                    key: "".into(),
                    value: "x".into(),
                },
            ],
            ..Default::default()
        };
        let got = errors(&form);
        let expect = [
            ("image", "must be lowercase"),
            ("name", "contains ' '"),
            ("command", "never closed"),
            ("ports.0", "`80` is not an IP address"),
            ("ports.1", "out of range"),
            ("ports.3", "host port 8080/tcp is already used by row 3"),
            ("restart", "conflict"),
            ("binds.0.source", "is relative"),
            ("binds.0.target", "is relative"),
            ("volumes.0.name", "contains"),
            (
                "tmpfs.0.target",
                "already a mount destination (volumes.0.target)",
            ),
            ("tmpfs.0.size", "not a size"),
            ("env.1.key", "already set in row 1"),
            ("env.2.key", "is empty"),
        ];
        for (field, why) in expect {
            assert!(
                got.iter().any(|(f, m)| f == field && m.contains(why)),
                "{field}: {why} not in {got:#?}"
            );
        }
        assert_eq!(got.len(), expect.len(), "{got:#?}");
    }

    #[test]
    fn ports_with_host_or_no_network_are_refused() {
        let got = errors(&RunForm {
            network: "host".into(),
            ports: vec!["80:80".into()],
            ..web()
        });
        assert_eq!(got[0].0, "ports.0");
        assert!(got[0].1.contains("host's ports directly"));
    }

    #[test]
    fn env_files_are_read_like_docker_reads_them() {
        let (rows, notes) =
            parse_env_file("# comment\n\n  A=1\nB=\"quoted\" stays\nC=\nD\nbad key=1\n=x\n");
        let got: Vec<(&str, &str)> = rows
            .iter()
            .map(|r| (r.key.as_str(), r.value.as_str()))
            .collect();
        assert_eq!(got, [("A", "1"), ("B", "\"quoted\" stays"), ("C", "")]);
        assert_eq!(notes.len(), 3, "{notes:?}");
        assert!(notes[0].to_string().starts_with("line 6: `D` has no `=`"));
        assert!(notes[1].to_string().contains("`bad key`"));
    }

    #[test]
    fn an_env_file_that_is_not_text_or_missing_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let bin = dir.path().join("bin.env");
        std::fs::write(&bin, b"A=1\n\xff\xfe").unwrap();
        for (path, why) in [
            (bin, "not UTF-8"),
            (dir.path().join("none.env"), "none.env"),
        ] {
            match read_env_file(&path).unwrap_err() {
                Error::InvalidInput { field, message, .. } => {
                    assert_eq!(field, "envFile");
                    assert!(message.contains(why), "{message}");
                }
                e => panic!("{e:?}"),
            }
        }
        let good = dir.path().join(".env");
        std::fs::write(&good, "A=1\nB=2\n").unwrap();
        assert_eq!(read_env_file(&good).unwrap().rows.len(), 2);
    }
}
