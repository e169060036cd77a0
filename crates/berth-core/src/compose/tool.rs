//! The user's compose CLI (P4, P6): `docker compose` (v2, the CLI plugin)
//! if it answers, else `docker-compose` (v1). Berth runs it for `up` and
//! `config`, pointed at the engine Berth is using, and streams its output.
//! With neither installed it says so; nothing pretends to work.

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use specta::Type;
use tokio::io::{AsyncBufReadExt, BufReader};

use super::file::FileProblem;
use crate::cli::line;
use crate::error::{Error, Result};
use crate::said::Said;

/// How long `version` and `config` may take.
const QUICK: Duration = Duration::from_secs(30);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ComposeTool {
    /// `v2` or `v1`.
    pub kind: String,
    /// What is run: `docker compose` or `docker-compose`.
    pub command: Vec<String>,
    pub version: String,
}

impl ComposeTool {
    /// How a container's name is joined: `web-app-1` (v2), `web_app_1` (v1).
    pub fn separator(&self) -> &'static str {
        if self.kind == "v1" {
            "_"
        } else {
            "-"
        }
    }
}

async fn answers(program: &str, args: &[&str]) -> Option<String> {
    let out = tokio::time::timeout(
        QUICK,
        tokio::process::Command::new(program)
            .args(args)
            .stdin(Stdio::null())
            .kill_on_drop(true)
            .output(),
    )
    .await
    .ok()?
    .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// The compose CLI found on PATH (`programs` names what to look for, for
/// tests; None: `docker` and `docker-compose`).
pub async fn find(programs: Option<(&str, &str)>) -> Option<ComposeTool> {
    let (docker, v1) = programs.unwrap_or(("docker", "docker-compose"));
    if let Some(v) = answers(docker, &["compose", "version", "--short"]).await {
        return Some(ComposeTool {
            kind: "v2".into(),
            command: vec![docker.into(), "compose".into()],
            version: v,
        });
    }
    if let Some(v) = answers(v1, &["version", "--short"]).await {
        return Some(ComposeTool {
            kind: "v1".into(),
            command: vec![v1.into()],
            version: v,
        });
    }
    None
}

/// What `up` is asked to do.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct UpForm {
    /// The compose file (or its folder).
    pub path: String,
    /// The project's name; empty: as compose makes it.
    pub project: String,
    /// Build images of services with `build:` first (`--build`).
    pub build: bool,
    /// Pull newer images first.
    pub pull: bool,
    /// Recreate containers even when nothing changed (`--force-recreate`).
    pub recreate: bool,
}

/// One line of the compose CLI's output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ToolLine {
    pub stderr: bool,
    pub text: String,
}

fn command(program: &[String], endpoint: &str) -> tokio::process::Command {
    let mut c = tokio::process::Command::new(&program[0]);
    c.args(&program[1..])
        .env("DOCKER_HOST", endpoint)
        .env_remove("DOCKER_CONTEXT")
        .env("COMPOSE_INTERACTIVE_NO_CLI", "1")
        .stdin(Stdio::null())
        .kill_on_drop(true);
    c
}

/// `--ansi never -f FILE -p NAME COMMAND...`, after the tool's own command.
fn args_for(file: &Path, project: &str, command: &[&str]) -> Vec<String> {
    let mut a: Vec<String> = vec![
        "--ansi".into(),
        "never".into(),
        "-f".into(),
        file.display().to_string(),
        "-p".into(),
        project.into(),
    ];
    a.extend(command.iter().map(|c| c.to_string()));
    a
}

/// The arguments of `up` (after the tool's own command).
pub fn up_args(tool: &ComposeTool, file: &Path, project: &str, form: &UpForm) -> Vec<String> {
    let mut a = args_for(file, project, &["up", "-d"]);
    if form.build {
        a.push("--build".into());
    }
    if form.pull && tool.kind == "v2" {
        a.extend(["--pull".into(), "always".into()]);
    }
    if form.recreate {
        a.push("--force-recreate".into());
    }
    a
}

/// The line a user would type for these arguments.
pub fn shown(tool: &ComposeTool, args: &[String]) -> String {
    shown_program(&tool.command, args)
}

fn shown_program(program: &[String], args: &[String]) -> String {
    line(
        program
            .iter()
            .chain(
                args.iter()
                    .filter(|a| !matches!(a.as_str(), "--ansi" | "never")),
            )
            .map(String::as_str),
    )
}

async fn run(
    tool: &ComposeTool,
    endpoint: &str,
    args: &[String],
    on_line: impl FnMut(ToolLine) + Send,
) -> Result<()> {
    run_program(&tool.command, endpoint, args, on_line).await
}

/// Runs a CLI (`program`: its words, e.g. `docker compose`) with `args`
/// against the engine at `endpoint`, each output line to `on_line`; the
/// last lines of its errors are kept for the failure.
pub(crate) async fn run_program(
    program: &[String],
    endpoint: &str,
    args: &[String],
    mut on_line: impl FnMut(ToolLine) + Send,
) -> Result<()> {
    let mut child = command(program, endpoint)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            Error::failed(Said::ComposeNotRun {
                program: program.join(" "),
                detail: e.to_string(),
            })
        })?;
    let (Some(out), Some(err)) = (child.stdout.take(), child.stderr.take()) else {
        return Err(Error::task("the compose CLI's output was not captured"));
    };
    let mut out = BufReader::new(out).lines();
    let mut err = BufReader::new(err).lines();
    let (mut out_done, mut err_done) = (false, false);
    let mut tail: Vec<String> = Vec::new();
    while !(out_done && err_done) {
        tokio::select! {
            l = out.next_line(), if !out_done => match l {
                Ok(Some(text)) => on_line(ToolLine { stderr: false, text }),
                _ => out_done = true,
            },
            l = err.next_line(), if !err_done => match l {
                Ok(Some(text)) => {
                    tail.push(text.clone());
                    if tail.len() > 20 {
                        tail.remove(0);
                    }
                    on_line(ToolLine { stderr: true, text });
                }
                _ => err_done = true,
            },
        }
    }
    let status = child.wait().await.map_err(Error::task)?;
    if status.success() {
        Ok(())
    } else {
        Err(Error::failed(Said::ComposeFailed {
            command: shown_program(program, args),
            status: status.code().map_or(-1, i64::from).to_string(),
            detail: tail.join("\n"),
        }))
    }
}

/// `<compose> -f FILE -p NAME up -d [--build] [--pull always]
/// [--force-recreate]`; v1, which has no `--pull` for up, pulls first.
pub async fn up(
    tool: &ComposeTool,
    endpoint: &str,
    file: &Path,
    project: &str,
    form: &UpForm,
    mut on_line: impl FnMut(ToolLine) + Send,
) -> Result<String> {
    if form.pull && tool.kind == "v1" {
        let pull = args_for(file, project, &["pull", "--ignore-pull-failures"]);
        run(tool, endpoint, &pull, &mut on_line).await?;
    }
    let args = up_args(tool, file, project, form);
    run(tool, endpoint, &args, &mut on_line).await?;
    Ok(shown(tool, &args))
}

/// `<compose> -f FILE config -q`: the CLI's own check of the file, its
/// complaints placed on their lines where it names one.
pub async fn config_check(
    tool: &ComposeTool,
    endpoint: &str,
    file: &Path,
) -> Result<Vec<FileProblem>> {
    let out = tokio::time::timeout(
        QUICK,
        command(&tool.command, endpoint)
            .args(["-f", &file.display().to_string(), "config", "-q"])
            .output(),
    )
    .await
    .map_err(|_| Error::task("the compose CLI did not answer `config` in 30 s"))?
    .map_err(|e| {
        Error::failed(Said::ComposeNotRun {
            program: tool.command.join(" "),
            detail: e.to_string(),
        })
    })?;
    if out.status.success() {
        return Ok(Vec::new());
    }
    let text = String::from_utf8_lossy(&out.stderr).into_owned();
    Ok(problems_of(&text))
}

/// The CLI's complaints, each on the line it names ("line 4").
pub fn problems_of(text: &str) -> Vec<FileProblem> {
    let re =
        regex::Regex::new(r"line (\d+)(?:,? column (\d+))?").unwrap_or_else(|_| unreachable!());
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let joined = lines.join(" ");
    let at = re.captures(&joined);
    let num = |i: usize| {
        at.as_ref()
            .and_then(|c| c.get(i))
            .and_then(|m| m.as_str().parse().ok())
    };
    if joined.is_empty() {
        return Vec::new();
    }
    vec![FileProblem {
        line: num(1),
        column: num(2),
        said: Said::ComposeCliSaid { detail: joined },
    }]
}

/// Saves the edited file, only if it still reads as YAML (a slip never
/// damages the file): written beside it and renamed over it.
pub fn save(path: &Path, text: &str) -> Result<()> {
    if let Err(e) = serde_yaml::from_str::<serde_yaml::Value>(text) {
        let at = e.location();
        return Err(Error::said(
            "text",
            Said::ComposeNotSaved {
                line: at.as_ref().map_or(0, |l| crate::said::len32(l.line())),
                detail: e.to_string(),
            },
        ));
    }
    let tmp = path.with_extension("berth-save");
    std::fs::write(&tmp, text).map_err(|e| Error::path("file", &tmp, &e))?;
    if let Ok(m) = std::fs::metadata(path) {
        let _ = std::fs::set_permissions(&tmp, m.permissions());
    }
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::path("file", path, &e)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clis_complaint_lands_on_its_line() {
        let v1 = "ERROR: yaml.parser.ParserError: while parsing a block mapping\n  in \"./docker-compose.yml\", line 2, column 3\nexpected <block end>, but found '<block mapping start>'\n  in \"./docker-compose.yml\", line 4, column 4";
        let p = problems_of(v1);
        assert_eq!((p[0].line, p[0].column), (Some(2), Some(3)));
        let p = problems_of("ERROR: The Compose file './docker-compose.yml' is invalid because:\nservices.web.ports contains an invalid type");
        assert_eq!(p[0].line, None);
        assert!(p[0].said.to_string().contains("services.web.ports"));
        assert!(problems_of("  \n").is_empty());
    }

    #[test]
    fn up_is_the_line_a_user_types() {
        let v1 = ComposeTool {
            kind: "v1".into(),
            command: vec!["docker-compose".into()],
            version: "1.29.2".into(),
        };
        let form = UpForm {
            build: true,
            pull: true,
            ..Default::default()
        };
        let args = up_args(&v1, Path::new("/srv/a b/compose.yaml"), "ab", &form);
        assert_eq!(
            shown(&v1, &args),
            "docker-compose -f '/srv/a b/compose.yaml' -p ab up -d --build"
        );
    }

    #[test]
    fn a_file_that_no_longer_reads_is_not_saved() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("compose.yaml");
        std::fs::write(&f, "services: {}\n").unwrap();
        let e = save(&f, "services:\n  web: [\n").unwrap_err();
        assert!(matches!(e, Error::InvalidInput { .. }), "{e:?}");
        assert_eq!(std::fs::read_to_string(&f).unwrap(), "services: {}\n");
        save(&f, "services:\n  web:\n    image: x\n").unwrap();
        assert!(std::fs::read_to_string(&f).unwrap().contains("image: x"));
        assert!(!dir.path().join("compose.berth-save").exists());
    }
}
