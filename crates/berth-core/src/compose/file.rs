//! A compose file read before anything runs (P4, P5): its services, images,
//! ports, volumes, networks and environment, `${VAR}` filled from the
//! folder's `.env` and the environment as compose fills them, and each
//! service as the `docker run` line it equals. Problems are placed on their
//! lines (P6).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use docker_compose_types as dc;
use serde::Serialize;
use specta::Type;

use crate::cli::{line, quote};
use crate::error::{Error, Result};
use crate::said::Said;

/// The names compose looks for in a folder, in its order.
pub const FILE_NAMES: [&str; 4] = [
    "compose.yaml",
    "compose.yml",
    "docker-compose.yaml",
    "docker-compose.yml",
];

/// A compose file larger than this is not read.
const FILE_MAX: u64 = 4 << 20;

/// A problem of the file, on its line when known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct FileProblem {
    pub line: Option<u32>,
    pub column: Option<u32>,
    pub said: Said,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ServicePlan {
    pub name: String,
    pub image: Option<String>,
    /// The build context, when the service is built from a Dockerfile.
    pub build: Option<String>,
    pub ports: Vec<String>,
    /// As `-v` takes them, named volumes with the project's prefix and
    /// relative host paths made absolute.
    pub volumes: Vec<String>,
    /// `KEY=VALUE`, values filled in.
    pub env: Vec<String>,
    pub networks: Vec<String>,
    pub restart: Option<String>,
    pub command: Option<String>,
    pub depends_on: Vec<String>,
    /// The `docker run` line this service's first replica equals.
    pub run_line: String,
}

/// What a compose file will create.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ComposePlan {
    pub file: String,
    pub folder: String,
    /// `name:` in the file, else the folder's name, as compose makes it.
    pub project: String,
    pub services: Vec<ServicePlan>,
    /// Networks compose makes: the project's `default` and the file's own.
    pub networks: Vec<String>,
    pub volumes: Vec<String>,
    /// `${VAR}` with no value in `.env` or the environment (left empty).
    pub unset: Vec<String>,
    /// Variables filled from the folder's `.env`.
    pub from_env_file: Vec<String>,
    pub has_build: bool,
    /// The file's text, for the editor.
    pub text: String,
    /// Empty when the file can be run.
    pub problems: Vec<FileProblem>,
}

/// The compose file a path names: the file itself, or the first of
/// [`FILE_NAMES`] in a folder.
pub fn find(path: &str) -> Result<PathBuf> {
    let p = Path::new(path.trim());
    if path.trim().is_empty() {
        return Err(Error::said("file", Said::ComposeNoPath));
    }
    match std::fs::metadata(p) {
        Ok(m) if m.is_dir() => FILE_NAMES
            .iter()
            .map(|n| p.join(n))
            .find(|f| f.is_file())
            .ok_or_else(|| {
                Error::said(
                    "file",
                    Said::ComposeNoFile {
                        folder: p.display().to_string(),
                        names: FILE_NAMES.join(", "),
                    },
                )
            }),
        Ok(_) => Ok(p.to_path_buf()),
        Err(e) => Err(Error::path("file", p, &e)),
    }
}

/// Reads and plans the file at (or in) `path`; `project` overrides the
/// name; `sep` joins a container's name as the compose CLI will
/// (`-` for v2, `_` for v1).
pub fn read(path: &str, project: Option<&str>, sep: &str) -> Result<ComposePlan> {
    let file = find(path)?;
    let size = std::fs::metadata(&file)
        .map_err(|e| Error::path("file", &file, &e))?
        .len();
    if size > FILE_MAX {
        return Err(Error::said(
            "file",
            Said::ComposeTooBig {
                path: file.display().to_string(),
                size,
            },
        ));
    }
    let bytes = std::fs::read(&file).map_err(|e| Error::path("file", &file, &e))?;
    let text = String::from_utf8(bytes).map_err(|_| {
        Error::said(
            "file",
            Said::NotText {
                path: file.display().to_string(),
            },
        )
    })?;
    let folder = file
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    let folder = folder.canonicalize().unwrap_or(folder);
    let dotenv = std::fs::read_to_string(folder.join(".env")).unwrap_or_default();
    let environ: HashMap<String, String> = std::env::vars().collect();
    Ok(plan(&text, &file, &folder, &dotenv, &environ, project, sep))
}

/// The compose project name compose makes of a folder's name.
pub fn project_name_of(s: &str) -> String {
    s.to_ascii_lowercase()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
        .collect::<String>()
        .trim_start_matches(['-', '_'])
        .to_string()
}

/// A project name as compose accepts it: lowercase letters, digits, `-`
/// and `_`, starting with a letter or digit.
pub fn check_project(name: &str) -> std::result::Result<(), Said> {
    let ok = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
        && name.as_bytes()[0].is_ascii_alphanumeric();
    if ok {
        Ok(())
    } else {
        Err(Said::ProjectNameBad { name: name.into() })
    }
}

/// `.env`'s `KEY=VALUE` lines, quotes around a value removed.
fn parse_dotenv(text: &str) -> HashMap<String, String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let (k, v) = l.strip_prefix("export ").unwrap_or(l).split_once('=')?;
            let v = v.trim();
            let v = ['"', '\'']
                .iter()
                .find_map(|q| v.strip_prefix(*q).and_then(|x| x.strip_suffix(*q)))
                .unwrap_or(v);
            Some((k.trim().to_string(), v.to_string()))
        })
        .collect()
}

/// What interpolation used and missed.
#[derive(Default)]
struct Filled {
    unset: Vec<String>,
    from_env_file: Vec<String>,
    required: Vec<(String, String)>,
}

/// Compose's interpolation: `$$` is `$`; `${VAR}`, `$VAR`; `${VAR:-x}`
/// (x when unset or empty), `${VAR-x}` (when unset); `${VAR:?msg}` and
/// `${VAR?msg}` (required). The environment wins over `.env`.
fn interpolate(
    text: &str,
    dotenv: &HashMap<String, String>,
    environ: &HashMap<String, String>,
    used: &mut Filled,
) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let lookup = |name: &str, used: &mut Filled| -> Option<String> {
        if let Some(v) = environ.get(name) {
            return Some(v.clone());
        }
        let v = dotenv.get(name).cloned();
        if v.is_some() && !used.from_env_file.iter().any(|n| n == name) {
            used.from_env_file.push(name.to_string());
        }
        v
    };
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        if let Some(r) = after.strip_prefix('$') {
            out.push('$');
            rest = r;
        } else if let Some(r) = after.strip_prefix('{') {
            let Some(end) = r.find('}') else {
                out.push_str(&rest[i..]);
                rest = "";
                break;
            };
            let inner = &r[..end];
            let name_len = inner
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(inner.len());
            let (name, op) = inner.split_at(name_len);
            let value = lookup(name, used);
            let filled = match op {
                "" => value,
                o if o.starts_with(":-") => value.filter(|v| !v.is_empty()).or(Some(o[2..].into())),
                o if o.starts_with('-') => value.or(Some(o[1..].into())),
                o if o.starts_with(":?") || o.starts_with('?') => {
                    let ok = value
                        .as_ref()
                        .is_some_and(|v| !o.starts_with(":?") || !v.is_empty());
                    if !ok {
                        let msg = o.trim_start_matches(':').trim_start_matches('?');
                        used.required.push((name.to_string(), msg.to_string()));
                    }
                    value
                }
                _ => value,
            };
            match filled {
                Some(v) => out.push_str(&v),
                None => {
                    if !used.unset.iter().any(|n| n == name) {
                        used.unset.push(name.to_string());
                    }
                }
            }
            rest = &r[end + 1..];
        } else {
            let len = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            if len == 0 {
                out.push('$');
            } else {
                let name = &after[..len];
                match lookup(name, used) {
                    Some(v) => out.push_str(&v),
                    None => {
                        if !used.unset.iter().any(|n| n == name) {
                            used.unset.push(name.to_string());
                        }
                    }
                }
            }
            rest = &after[len..];
        }
    }
    out.push_str(rest);
    out
}

fn problem_of(e: &serde_yaml::Error) -> FileProblem {
    let loc = e.location();
    // serde_yaml appends " at line L column C" to its message.
    let detail = e.to_string();
    let detail = detail
        .split(" at line ")
        .next()
        .unwrap_or(&detail)
        .to_string();
    FileProblem {
        line: loc.as_ref().map(|l| crate::said::len32(l.line())),
        column: loc.as_ref().map(|l| crate::said::len32(l.column())),
        said: Said::ComposeInvalid { detail },
    }
}

/// Plans `text` (the file at `file`, in `folder`).
pub fn plan(
    text: &str,
    file: &Path,
    folder: &Path,
    dotenv: &str,
    environ: &HashMap<String, String>,
    project: Option<&str>,
    sep: &str,
) -> ComposePlan {
    let mut used = Filled::default();
    let filled = interpolate(text, &parse_dotenv(dotenv), environ, &mut used);
    let mut out = ComposePlan {
        file: file.display().to_string(),
        folder: folder.display().to_string(),
        text: text.to_string(),
        ..Default::default()
    };
    for (name, message) in &used.required {
        out.problems.push(FileProblem {
            line: line_of(text, name),
            column: None,
            said: Said::ComposeVariableRequired {
                name: name.clone(),
                detail: message.clone(),
            },
        });
    }
    let parsed: dc::Compose = match serde_yaml::from_str::<dc::ComposeFile>(&filled) {
        Ok(dc::ComposeFile::V2Plus(c)) => c,
        Ok(dc::ComposeFile::V1(services)) => dc::Compose {
            services: dc::Services(services.into_iter().map(|(k, v)| (k, Some(v))).collect()),
            ..Default::default()
        },
        Ok(dc::ComposeFile::Single(s)) => dc::Compose {
            service: Some(s.service),
            ..Default::default()
        },
        Err(e) => {
            // The untagged enum hides where: the typed read says it.
            let e = serde_yaml::from_str::<dc::Compose>(&filled)
                .err()
                .unwrap_or(e);
            out.problems.push(problem_of(&e));
            return out;
        }
    };
    let folder_name = folder
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    out.project = match project.map(str::trim).filter(|p| !p.is_empty()) {
        Some(p) => p.to_string(),
        None => parsed
            .name
            .clone()
            .unwrap_or_else(|| project_name_of(&folder_name)),
    };
    if let Err(said) = check_project(&out.project) {
        out.problems.push(FileProblem {
            line: None,
            column: None,
            said,
        });
    }
    let project = out.project.clone();
    out.networks.push(format!("{project}_default"));
    for (n, settings) in &parsed.networks.0 {
        let external = matches!(settings, dc::MapOrEmpty::Map(s) if s.external.is_some());
        out.networks.push(if external {
            n.clone()
        } else {
            format!("{project}_{n}")
        });
    }
    out.networks.dedup();
    for (v, settings) in &parsed.volumes.0 {
        let external = matches!(settings, dc::MapOrEmpty::Map(s) if s.external.is_some());
        out.volumes.push(if external {
            v.clone()
        } else {
            format!("{project}_{v}")
        });
    }
    if parsed.services.0.is_empty() {
        out.problems.push(FileProblem {
            line: None,
            column: None,
            said: Said::ComposeNoServices,
        });
    }
    for (name, service) in &parsed.services.0 {
        let service = service.clone().unwrap_or_default();
        let s = service_plan(name, &service, &project, folder, &parsed, sep);
        if s.image.is_none() && s.build.is_none() {
            out.problems.push(FileProblem {
                line: line_of(text, &format!("{name}:")),
                column: None,
                said: Said::ComposeNoImage {
                    service: name.clone(),
                },
            });
        }
        out.has_build |= s.build.is_some();
        out.services.push(s);
    }
    out.unset = used.unset;
    out.from_env_file = used.from_env_file;
    out
}

/// The first line (1-based) that holds `needle`.
fn line_of(text: &str, needle: &str) -> Option<u32> {
    text.lines()
        .position(|l| l.contains(needle))
        .map(|i| crate::said::len32(i + 1))
}

/// A host path of a bind as the engine needs it: absolute, `./` and `~`
/// resolved against the file's folder and the home folder.
fn host_path(p: &str, folder: &Path) -> String {
    if let Some(rest) = p.strip_prefix("~/") {
        if let Some(home) = std::env::var_os("HOME") {
            return Path::new(&home).join(rest).display().to_string();
        }
    }
    if p.starts_with('.') {
        let joined = folder.join(p);
        let mut out = PathBuf::new();
        for c in joined.components() {
            match c {
                std::path::Component::CurDir => {}
                std::path::Component::ParentDir => {
                    out.pop();
                }
                c => out.push(c),
            }
        }
        return out.display().to_string();
    }
    p.to_string()
}

/// `-v` as compose makes it of a service's short or long volume entry.
fn volume_arg(v: &dc::Volumes, project: &str, folder: &Path, top: &dc::TopLevelVolumes) -> String {
    let named = |n: &str| {
        let external = matches!(top.0.get(n), Some(dc::MapOrEmpty::Map(s)) if s.external.is_some());
        if external {
            n.to_string()
        } else {
            format!("{project}_{n}")
        }
    };
    match v {
        dc::Volumes::Simple(s) => {
            let mut parts: Vec<&str> = s.splitn(3, ':').collect();
            if parts.len() == 1 {
                return s.clone();
            }
            let src = parts.remove(0);
            let src = if src.starts_with(['.', '/', '~']) {
                host_path(src, folder)
            } else {
                named(src)
            };
            std::iter::once(src.as_str())
                .chain(parts)
                .collect::<Vec<_>>()
                .join(":")
        }
        dc::Volumes::Advanced(a) => {
            let src = a.source.as_deref().map(|s| match a._type.as_str() {
                "bind" => host_path(s, folder),
                "volume" => named(s),
                _ => s.to_string(),
            });
            let ro = if a.read_only { ":ro" } else { "" };
            match (a._type.as_str(), src) {
                ("tmpfs", _) => format!("tmpfs:{}", a.target),
                (_, Some(src)) => format!("{src}:{}{ro}", a.target),
                (_, None) => a.target.clone(),
            }
        }
    }
}

fn service_plan(
    name: &str,
    s: &dc::Service,
    project: &str,
    folder: &Path,
    top: &dc::Compose,
    sep: &str,
) -> ServicePlan {
    let ports: Vec<String> = match &s.ports {
        dc::Ports::Short(p) => p.clone(),
        dc::Ports::Long(p) => p
            .iter()
            .map(|p| {
                let published = match &p.published {
                    Some(dc::PublishedPort::Single(n)) => format!("{n}:"),
                    Some(dc::PublishedPort::Range(r)) => format!("{r}:"),
                    None => String::new(),
                };
                let ip = p
                    .host_ip
                    .as_deref()
                    .map(|ip| format!("{ip}:"))
                    .unwrap_or_default();
                let proto = p
                    .protocol
                    .as_deref()
                    .filter(|x| *x != "tcp")
                    .map(|x| format!("/{x}"))
                    .unwrap_or_default();
                format!("{ip}{published}{}{proto}", p.target)
            })
            .collect(),
    };
    let volumes: Vec<String> = s
        .volumes
        .iter()
        .map(|v| volume_arg(v, project, folder, &top.volumes))
        .collect();
    let env: Vec<String> = match &s.environment {
        dc::Environment::List(l) => l.clone(),
        dc::Environment::KvPair(m) => m
            .iter()
            .map(|(k, v)| match v {
                Some(v) => format!("{k}={v}"),
                None => k.clone(),
            })
            .collect(),
    };
    let networks: Vec<String> = match &s.networks {
        dc::Networks::Simple(n) => n.clone(),
        dc::Networks::Advanced(a) => a.0.keys().cloned().collect(),
    };
    let network_names: Vec<String> = if let Some(mode) = &s.network_mode {
        vec![mode.clone()]
    } else if networks.is_empty() {
        vec![format!("{project}_default")]
    } else {
        networks
            .iter()
            .map(|n| {
                let external = matches!(top.networks.0.get(n), Some(dc::MapOrEmpty::Map(x)) if x.external.is_some());
                if external {
                    n.clone()
                } else {
                    format!("{project}_{n}")
                }
            })
            .collect()
    };
    let command = s.command.as_ref().map(|c| match c {
        dc::Command::Simple(c) => c.clone(),
        dc::Command::Args(a) => line(a.iter().map(String::as_str)),
    });
    let build = s.build_.as_ref().map(|b| match b {
        dc::BuildStep::Simple(c) => host_path(c, folder),
        dc::BuildStep::Advanced(a) => host_path(a.context.as_str(), folder),
    });
    let depends_on = match &s.depends_on {
        dc::DependsOnOptions::Simple(d) => d.clone(),
        dc::DependsOnOptions::Conditional(m) => m.keys().cloned().collect(),
    };
    let image = s
        .image
        .clone()
        .or_else(|| build.as_ref().map(|_| format!("{project}{sep}{name}")));
    let container = s
        .container_name
        .clone()
        .unwrap_or_else(|| format!("{project}{sep}{name}{sep}1"));

    let mut args: Vec<String> = vec!["docker".into(), "run".into(), "-d".into()];
    let mut push = |a: &str, b: &str| {
        args.push(a.into());
        args.push(b.into());
    };
    push("--name", &container);
    for (i, n) in network_names.iter().enumerate() {
        if i == 0 {
            push("--network", n);
            if s.network_mode.is_none() {
                push("--network-alias", name);
            }
        }
    }
    for p in &ports {
        push("-p", p);
    }
    for v in &volumes {
        if let Some(t) = v.strip_prefix("tmpfs:") {
            push("--tmpfs", t);
        } else {
            push("-v", v);
        }
    }
    for e in &env {
        push("-e", e);
    }
    if let Some(r) = s.restart.as_deref().filter(|r| *r != "no") {
        push("--restart", r);
    }
    let mut run = line(args.iter().map(String::as_str));
    run.push(' ');
    run.push_str(&quote(image.as_deref().unwrap_or("IMAGE")));
    if let Some(c) = &command {
        run.push(' ');
        run.push_str(c);
    }
    if network_names.len() > 1 {
        for n in &network_names[1..] {
            run.push_str(&format!(
                " && docker network connect --alias {} {} {}",
                quote(name),
                quote(n),
                quote(&container)
            ));
        }
    }
    ServicePlan {
        name: name.to_string(),
        image,
        build,
        ports,
        volumes,
        env,
        networks: network_names,
        restart: s.restart.clone(),
        command,
        depends_on,
        run_line: run,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan_of(text: &str, dotenv: &str, environ: &[(&str, &str)]) -> ComposePlan {
        let environ = environ
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        plan(
            text,
            Path::new("/srv/My Web/compose.yaml"),
            Path::new("/srv/My Web"),
            dotenv,
            &environ,
            None,
            "-",
        )
    }

    const TWO: &str = "services:
  web:
    image: berth-fixture/web:${TAG:-1}
    ports:
      - \"127.0.0.1:${PORT}:80\"
    volumes:
      - ./site:/www:ro
      - data:/data
    environment:
      GREETING: $GREETING
      PRICE: \"$$5\"
    restart: unless-stopped
  worker:
    image: berth-fixture/busybox:1
    command: [\"sh\", \"-c\", \"echo hi; sleep 600\"]
    depends_on: [web]
volumes:
  data: {}
";

    #[test]
    fn a_two_service_file_is_planned_with_its_values_filled_in() {
        let p = plan_of(
            TWO,
            "PORT=8080\nGREETING='hello there'\n",
            &[("GREETING", "from env")],
        );
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        assert_eq!(p.project, "myweb");
        assert_eq!(p.networks, ["myweb_default"]);
        assert_eq!(p.volumes, ["myweb_data"]);
        assert_eq!(p.from_env_file, ["PORT"]);
        assert!(p.unset.is_empty());
        let web = &p.services[0];
        assert_eq!(web.image.as_deref(), Some("berth-fixture/web:1"));
        assert_eq!(web.ports, ["127.0.0.1:8080:80"]);
        assert_eq!(
            web.volumes,
            ["/srv/My Web/site:/www:ro", "myweb_data:/data"]
        );
        assert_eq!(web.env, ["GREETING=from env", "PRICE=$5"]);
        assert_eq!(
            web.run_line,
            "docker run -d --name myweb-web-1 --network myweb_default --network-alias web -p 127.0.0.1:8080:80 -v '/srv/My Web/site:/www:ro' -v myweb_data:/data -e 'GREETING=from env' -e 'PRICE=$5' --restart unless-stopped berth-fixture/web:1"
        );
        let worker = &p.services[1];
        assert_eq!(worker.depends_on, ["web"]);
        assert_eq!(
            worker.run_line,
            "docker run -d --name myweb-worker-1 --network myweb_default --network-alias worker berth-fixture/busybox:1 sh -c 'echo hi; sleep 600'"
        );
    }

    #[test]
    fn an_unset_variable_is_named_and_a_required_one_is_a_problem() {
        let p = plan_of(TWO, "", &[]);
        assert_eq!(p.unset, ["PORT", "GREETING"]);
        let p = plan_of("services:\n  a:\n    image: ${IMG:?set IMG}\n", "", &[]);
        assert!(
            matches!(p.problems[0].said, Said::ComposeVariableRequired { .. }),
            "{:?}",
            p.problems
        );
        assert_eq!(p.problems[0].line, Some(3));
        assert!(p.problems[0].said.to_string().contains("set IMG"));
    }

    #[test]
    fn a_broken_file_is_a_problem_on_its_line_not_a_panic() {
        let p = plan_of("services:\n  web:\n    image: x\n   ports: [1\n", "", &[]);
        assert_eq!(p.problems.len(), 1);
        assert_eq!(p.problems[0].line, Some(4), "{:?}", p.problems);
        assert!(p.services.is_empty());
        let p = plan_of("services:\n  web:\n    ports: 80\n", "", &[]);
        assert!(!p.problems.is_empty());
        let p = plan_of("services:\n  web:\n    restart: always\n", "", &[]);
        assert!(
            matches!(p.problems[0].said, Said::ComposeNoImage { .. }),
            "{:?}",
            p.problems
        );
        for garbage in [
            "",
            "[]",
            "42",
            "services: 7",
            "\u{0}\u{1}",
            "services:\n  - a\n",
            "${",
        ] {
            let _ = plan_of(garbage, "", &[]);
        }
    }

    #[test]
    fn project_names_follow_compose() {
        assert_eq!(project_name_of("My Web_2"), "myweb_2");
        assert!(check_project("web2").is_ok());
        assert!(check_project("Web").is_err());
        assert!(check_project("-web").is_err());
        assert!(check_project("").is_err());
    }
}
