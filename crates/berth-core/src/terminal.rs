//! An interactive shell in a running container (C6): `docker exec -it`,
//! with a real TTY, resizable. The caller writes keystrokes to `input` and
//! reads the terminal's bytes from `output`; dropping `input` ends the shell.

use std::pin::Pin;

use bollard::container::LogOutput;
use bollard::exec::{StartExecOptions, StartExecResults};
use bollard::models::ExecConfig;
use bollard::query_parameters::ResizeExecOptionsBuilder;
use futures_util::{Stream, StreamExt};
use tokio::io::AsyncWrite;

use crate::engine::Engine;
use crate::error::{Error, Result};

/// Shells tried, best first.
pub const SHELLS: [&str; 3] = ["bash", "ash", "sh"];

pub struct Session {
    pub exec_id: String,
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
            return Err(Error::invalid(
                "shell",
                format!("{shell:?} is not one of bash, ash, sh"),
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
                exec_id: exec.id,
                output: Box::pin(output.map(|r| r.map(bytes_of).map_err(Error::from))),
                input,
            }),
            StartExecResults::Detached => Err(Error::Engine {
                status: None,
                message: "the engine started the shell detached".into(),
            }),
        }
    }

    /// Follows the window's size (`docker exec` does this on SIGWINCH).
    pub async fn resize_shell(&self, exec_id: &str, cols: u16, rows: u16) -> Result<()> {
        self.docker
            .resize_exec(
                exec_id,
                ResizeExecOptionsBuilder::new()
                    .w(cols.max(1) as i32)
                    .h(rows.max(1) as i32)
                    .build(),
            )
            .await?;
        Ok(())
    }
}
