//! The docker CLI's configuration, in one place: its folder (`DOCKER_CONFIG`,
//! else `~/.docker`), `config.json` read and written whole (a missing file is
//! empty, a damaged one is refused and never overwritten, a write goes
//! through a temporary file readable by its owner only), the credential
//! helpers it names, and Docker Hub's key. Used by logins (B4), registry
//! reads (T4), pushes, builds and context switching (E5).
//!
//! A helper may wait for the user (a keychain asking to be unlocked), so it
//! runs as a child process awaited on the runtime, never blocking a thread,
//! and is given up on after [`HELPER_TIMEOUT`] with an error naming it.

use crate::said::Said;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use tokio::io::AsyncWriteExt;

use crate::error::{Error, Result};

/// Docker Hub's key in `config.json` and for the helpers.
pub const HUB_KEY: &str = "https://index.docker.io/v1/";

/// How long a credential helper may take: long enough to type a keychain
/// password at its prompt.
pub const HELPER_TIMEOUT: Duration = Duration::from_secs(60);

/// The docker CLI's config folder for this process (`DOCKER_CONFIG`, else
/// `.docker` in the platform's home folder).
pub fn config_dir() -> Option<PathBuf> {
    let docker_config = std::env::var_os("DOCKER_CONFIG").map(PathBuf::from);
    crate::platform::docker_config_dir(
        docker_config.as_deref(),
        crate::platform::process_home().as_deref(),
    )
}

/// `docker-credential-NAME`.
pub(crate) fn helper_program(name: &str) -> String {
    format!("docker-credential-{name}")
}

/// What a helper said.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Answer {
    /// Its stdout, when it succeeded.
    Out(String),
    /// It is not installed.
    Missing,
    /// It exited with a failure; its own words (stderr, else stdout).
    Refused(String),
}

impl Answer {
    /// The output, or the failure as an error naming the helper.
    pub(crate) fn required(self, program: &str, action: &str) -> Result<String> {
        match self {
            Answer::Out(o) => Ok(o),
            Answer::Missing => Err(Error::failed(Said::HelperMissing {
                program: program.into(),
                action: action.into(),
            })),
            Answer::Refused(detail) => Err(Error::failed(Said::HelperFailed {
                program: program.into(),
                action: action.into(),
                detail,
            })),
        }
    }
}

/// Runs `docker-credential-NAME ACTION` with `input` on stdin. The input
/// (which may hold the secret) is never part of an error; the helper's own
/// words are. An error is a helper that could not be run or did not answer
/// in time (it is then stopped).
pub(crate) async fn run_helper(name: &str, action: &str, input: &[u8]) -> Result<Answer> {
    run_program(&helper_program(name), action, input, HELPER_TIMEOUT).await
}

async fn run_program(
    program: &str,
    action: &str,
    input: &[u8],
    timeout: Duration,
) -> Result<Answer> {
    let failed = |detail: String| {
        Error::failed(Said::HelperFailed {
            program: program.into(),
            action: action.into(),
            detail,
        })
    };
    let mut child = match tokio::process::Command::new(program)
        .arg(action)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
    {
        Ok(c) => c,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Answer::Missing),
        Err(e) => return Err(failed(e.to_string())),
    };
    let talk = async {
        if let Some(mut stdin) = child.stdin.take() {
            // A helper that fails at once exits without reading: its answer
            // (stderr, the exit code) is what counts, not the broken pipe.
            match stdin.write_all(input).await {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
                other => other?,
            }
            // Closed here, so the helper sees the end of its input.
        }
        child.wait_with_output().await
    };
    let out = match tokio::time::timeout(timeout, talk).await {
        Ok(out) => out.map_err(|e| failed(e.to_string()))?,
        Err(_) => {
            return Err(failed(format!(
            "no answer after {} s (is it waiting for a keychain to be unlocked?); it was stopped",
            timeout.as_secs_f32()
        )))
        }
    };
    let stdout = String::from_utf8_lossy(&out.stdout).trim().to_string();
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr).trim().to_string();
        let words = if err.is_empty() { stdout } else { err };
        return Ok(Answer::Refused(words));
    }
    Ok(Answer::Out(stdout))
}

pub(crate) fn config_path(dir: &Path) -> PathBuf {
    dir.join("config.json")
}

/// `config.json` as JSON; a missing file is empty, a damaged one an error
/// (never overwritten).
pub(crate) fn read_config(dir: &Path) -> Result<serde_json::Value> {
    let path = config_path(dir);
    match std::fs::read_to_string(&path) {
        Ok(t) if t.trim().is_empty() => Ok(serde_json::json!({})),
        Ok(t) => match serde_json::from_str::<serde_json::Value>(&t) {
            Ok(v) if v.is_object() => Ok(v),
            _ => Err(Error::said(
                "config",
                Said::ConfigNotJson {
                    path: path.display().to_string(),
                },
            )),
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(serde_json::json!({})),
        Err(e) => Err(Error::path("config", &path, &e)),
    }
}

/// Writes `config.json` whole, through a temporary file, readable by its
/// owner only (it may hold the CLI's own plain-text entries).
pub(crate) fn write_config(dir: &Path, v: &serde_json::Value) -> Result<()> {
    let io = |e: std::io::Error| Error::path("config", &config_path(dir), &e);
    std::fs::create_dir_all(dir).map_err(io)?;
    let tmp = dir.join(".config.json.berth-tmp");
    let text = serde_json::to_string_pretty(v).map_err(|e| io(std::io::Error::other(e)))?;
    {
        let mut o = std::fs::OpenOptions::new();
        o.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
        let mut f = o.open(&tmp).map_err(io)?;
        f.write_all(text.as_bytes()).map_err(io)?;
        f.write_all(b"\n").map_err(io)?;
        f.sync_all().map_err(io)?;
    }
    std::fs::rename(&tmp, config_path(dir)).map_err(io)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn script(dir: &Path, name: &str, body: &str) -> String {
        let p = dir.join(name);
        std::fs::write(&p, format!("#!/bin/sh\n{body}\n")).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        p.display().to_string()
    }

    #[tokio::test(flavor = "current_thread")]
    async fn a_helper_that_never_answers_is_stopped_and_named_without_freezing_the_runtime() {
        let d = tempfile::tempdir().unwrap();
        let slow = script(d.path(), "docker-credential-slow", "sleep 30");
        // On a one-thread runtime, a blocking wait would stop this ticker.
        let ticks = std::sync::Arc::new(std::sync::atomic::AtomicU32::new(0));
        let t = ticks.clone();
        let ticker = tokio::spawn(async move {
            loop {
                tokio::time::sleep(Duration::from_millis(50)).await;
                t.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
        });
        let started = std::time::Instant::now();
        let err = run_program(&slow, "get", b"127.0.0.1:5001", Duration::from_millis(800))
            .await
            .unwrap_err();
        ticker.abort();
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "it was stopped"
        );
        let msg = err.to_string();
        assert!(msg.contains("docker-credential-slow get"), "{msg}");
        assert!(msg.contains("no answer"), "{msg}");
        assert!(
            ticks.load(std::sync::atomic::Ordering::Relaxed) >= 5,
            "the runtime went on while the helper was waited for"
        );
    }

    #[tokio::test]
    async fn a_helper_answers_on_stdout_and_fails_in_its_own_words() {
        let d = tempfile::tempdir().unwrap();
        let echo = script(d.path(), "docker-credential-echo", "cat");
        let got = run_program(&echo, "get", b"hello", HELPER_TIMEOUT)
            .await
            .unwrap();
        assert_eq!(got, Answer::Out("hello".into()));
        let bad = script(
            d.path(),
            "docker-credential-bad",
            "echo 'keychain locked' >&2; exit 3",
        );
        let got = run_program(&bad, "get", b"x", HELPER_TIMEOUT)
            .await
            .unwrap();
        assert_eq!(got, Answer::Refused("keychain locked".into()));
        let err = got.required(&bad, "get").unwrap_err();
        assert!(err.to_string().ends_with("get: keychain locked"), "{err}");
        let missing = d
            .path()
            .join("docker-credential-none")
            .display()
            .to_string();
        let got = run_program(&missing, "get", b"x", HELPER_TIMEOUT)
            .await
            .unwrap();
        assert_eq!(got, Answer::Missing);
        let err = got.required("docker-credential-none", "list").unwrap_err();
        assert!(err
            .to_string()
            .contains("docker-credential-none list: it is not installed"));
    }

    #[test]
    fn the_folder_is_docker_config_else_home_dot_docker() {
        let home = Path::new("/home/me");
        let dir_from = crate::platform::docker_config_dir;
        assert_eq!(dir_from(None, Some(home)), Some(home.join(".docker")));
        assert_eq!(
            dir_from(Some(Path::new("/cfg")), Some(home)),
            Some(PathBuf::from("/cfg"))
        );
        assert_eq!(dir_from(None, None), None);
    }
}
