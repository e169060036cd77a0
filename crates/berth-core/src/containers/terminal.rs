//! Terminals into a container (C6): an interactive shell (`docker exec -it`)
//! with a real TTY, or the main process itself (`docker attach`). The caller
//! writes keystrokes to `input` and reads the terminal's bytes from
//! `output`. Dropping a shell's `input` ends the shell; an attach session is
//! left with the detach keys first, so the main process keeps running.

use crate::said::Said;
use std::pin::Pin;

use bollard::container::LogOutput;
use bollard::exec::{StartExecOptions, StartExecResults};
use bollard::models::ExecConfig;
use bollard::query_parameters::{
    AttachContainerOptionsBuilder, ResizeContainerTTYOptionsBuilder, ResizeExecOptionsBuilder,
};
use futures_util::{Stream, StreamExt};
use serde::Serialize;
use specta::Type;
use tokio::io::AsyncWrite;

use crate::engine::Engine;
use crate::error::{Error, Result};

/// Shells tried, best first.
pub const SHELLS: [&str; 3] = ["bash", "ash", "sh"];

/// docker's default detach keys, ctrl-p ctrl-q.
pub const DETACH_KEYS: &[u8] = b"\x10\x11";

/// What a terminal is connected to, which is also what a resize goes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// An exec session (`docker exec`).
    Exec(String),
    /// A container's main process (`docker attach`).
    Main(String),
}

/// How the main process is wired, so the UI can say what typing will do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Wiring {
    /// A TTY: a terminal screen. Without one, plain output lines.
    pub tty: bool,
    /// Stdin open (`-i`): keystrokes reach the process.
    pub stdin: bool,
}

pub struct Session {
    pub target: Target,
    pub wiring: Wiring,
    pub output: Pin<Box<dyn Stream<Item = Result<Vec<u8>>> + Send>>,
    pub input: Pin<Box<dyn AsyncWrite + Send>>,
}

fn bytes_of(o: LogOutput) -> Vec<u8> {
    match o {
        LogOutput::StdOut { message }
        | LogOutput::StdErr { message }
        | LogOutput::Console { message }
        | LogOutput::StdIn { message } => message.to_vec(),
    }
}

impl Engine {
    /// Which of [`SHELLS`] the container has, found by asking its `sh`
    /// (an image without `sh` has none: the answer is empty).
    pub async fn shells(&self, id: &str) -> Result<Vec<String>> {
        let probe = "for s in bash ash sh; do command -v $s >/dev/null 2>&1 && echo $s; done";
        let exec = self
            .docker
            .create_exec(
                id,
                ExecConfig {
                    attach_stdout: Some(true),
                    attach_stderr: Some(true),
                    cmd: Some(vec!["sh".into(), "-c".into(), probe.into()]),
                    ..Default::default()
                },
            )
            .await?;
        let mut found = String::new();
        if let StartExecResults::Attached { mut output, .. } =
            self.docker.start_exec(&exec.id, None).await?
        {
            while let Some(chunk) = output.next().await {
                if let Ok(LogOutput::StdOut { message }) = chunk {
                    found.push_str(&String::from_utf8_lossy(&message));
                }
            }
        }
        Ok(found
            .lines()
            .map(str::trim)
            .filter(|s| SHELLS.contains(s))
            .map(str::to_string)
            .collect())
    }

    /// `docker exec -it ID SHELL`, sized `cols` x `rows`.
    pub async fn open_shell(&self, id: &str, shell: &str, cols: u16, rows: u16) -> Result<Session> {
        if !SHELLS.contains(&shell) {
            return Err(Error::said(
                "shell",
                Said::ShellUnknown {
                    shell: shell.into(),
                },
            ));
        }
        let exec = self
            .docker
            .create_exec(
                id,
                ExecConfig {
                    attach_stdin: Some(true),
                    attach_stdout: Some(true),
                    attach_stderr: Some(true),
                    tty: Some(true),
                    console_size: Some(vec![rows.max(1) as usize, cols.max(1) as usize]),
                    env: Some(vec!["TERM=xterm-256color".into()]),
                    cmd: Some(vec![shell.to_string()]),
                    ..Default::default()
                },
            )
            .await?;
        let started = self
            .docker
            .start_exec(
                &exec.id,
                Some(StartExecOptions {
                    detach: false,
                    tty: true,
                    output_capacity: None,
                }),
            )
            .await?;
        match started {
            StartExecResults::Attached { output, input } => Ok(Session {
                target: Target::Exec(exec.id),
                wiring: Wiring {
                    tty: true,
                    stdin: true,
                },
                output: Box::pin(output.map(|r| r.map(bytes_of).map_err(Error::from))),
                input,
            }),
            StartExecResults::Detached => Err(Error::failed(Said::ShellDetached)),
        }
    }

    /// `docker attach ID`: the main process's output (and its stdin when
    /// it has one). A container created but not started (an interactive
    /// run) is started after attaching, as `docker run -it` does, so that
    /// nothing it prints first is missed.
    pub async fn attach(&self, id: &str, cols: u16, rows: u16) -> Result<Session> {
        let c = self.inspect(id, false).await?;
        let config = c.config.unwrap_or_default();
        let wiring = Wiring {
            tty: config.tty.unwrap_or(false),
            stdin: config.open_stdin.unwrap_or(false),
        };
        let running = c.state.and_then(|s| s.running).unwrap_or(false);
        let attached = self
            .docker
            .attach_container(
                id,
                Some(
                    AttachContainerOptionsBuilder::new()
                        .stream(true)
                        .stdin(wiring.stdin)
                        .stdout(true)
                        .stderr(true)
                        .detach_keys("ctrl-p,ctrl-q")
                        .build(),
                ),
            )
            .await?;
        if !running {
            self.docker.start_container(id, None).await?;
        }
        let target = Target::Main(id.to_string());
        if wiring.tty {
            // Also makes a shell that is already running redraw its prompt.
            self.resize_terminal(&target, cols, rows).await?;
        }
        Ok(Session {
            target,
            wiring,
            output: Box::pin(
                attached
                    .output
                    .map(|r| r.map(bytes_of).map_err(Error::from)),
            ),
            input: attached.input,
        })
    }

    /// Follows the window's size (the CLI does this on SIGWINCH).
    pub async fn resize_terminal(&self, target: &Target, cols: u16, rows: u16) -> Result<()> {
        let (w, h) = (cols.max(1) as i32, rows.max(1) as i32);
        match target {
            Target::Exec(id) => {
                self.docker
                    .resize_exec(id, ResizeExecOptionsBuilder::new().w(w).h(h).build())
                    .await?
            }
            Target::Main(id) => {
                self.docker
                    .resize_container_tty(
                        id,
                        ResizeContainerTTYOptionsBuilder::new().w(w).h(h).build(),
                    )
                    .await?
            }
        }
        Ok(())
    }
}
