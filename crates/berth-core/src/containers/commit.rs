//! `docker container commit` (B2): a container's writable layer saved as a
//! new image, the name read by the reference parser, optional Dockerfile
//! changes (CMD, ENV, EXPOSE, WORKDIR...) checked before the request, and
//! the warning that volumes and bind mounts are not part of it.

use crate::said::Said;
use bollard::models::ContainerConfig;
use bollard::query_parameters::CommitContainerOptionsBuilder;
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::images::reference;

/// The instructions `docker commit --change` accepts.
pub const CHANGE_INSTRUCTIONS: [&str; 9] = [
    "CMD",
    "ENTRYPOINT",
    "ENV",
    "EXPOSE",
    "LABEL",
    "ONBUILD",
    "USER",
    "VOLUME",
    "WORKDIR",
];

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct CommitForm {
    /// `repository[:tag]`; `latest` when no tag.
    pub image: String,
    pub message: String,
    pub author: String,
    /// Pause the container while committing (the CLI's default), so that
    /// no file is half-written in the snapshot.
    pub pause: bool,
    /// Dockerfile lines: `CMD ["sh"]`, `ENV A=1`, `EXPOSE 80`, `WORKDIR /app`.
    pub changes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Committed {
    pub id: String,
    /// `name:tag` as `docker images` shows it.
    pub image: String,
    /// The new top layer (its diff ID): the container's changes.
    pub top_layer: Option<String>,
}

/// Checks each change line: one allowed instruction with arguments.
pub fn check_changes(changes: &[String]) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for (i, c) in changes.iter().enumerate() {
        let c = c.trim();
        if c.is_empty() {
            continue;
        }
        let word = c
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_ascii_uppercase();
        if !CHANGE_INSTRUCTIONS.contains(&word.as_str()) {
            return Err(Error::said(
                format!("changes.{i}"),
                Said::CommitInstruction {
                    word,
                    allowed: CHANGE_INSTRUCTIONS.join(", "),
                },
            ));
        }
        if c.split_whitespace().count() < 2 {
            return Err(Error::said(
                format!("changes.{i}"),
                Said::CommitNeedsValue { word },
            ));
        }
        if c.contains('\n') {
            return Err(Error::said(format!("changes.{i}"), Said::CommitOnePerLine));
        }
        out.push(c.to_string());
    }
    Ok(out)
}

impl Engine {
    /// `docker container commit [-m M] [-a A] [--pause] [-c CHANGE]... ID NAME[:TAG]`.
    pub async fn commit(&self, id: &str, form: &CommitForm) -> Result<Committed> {
        let r = reference::parse(form.image.trim()).map_err(|m| Error::said("image", m))?;
        if r.digest.is_some() {
            return Err(Error::said("image", Said::CommitDigest));
        }
        let changes = check_changes(&form.changes)?;
        let tag = r
            .tag
            .clone()
            .unwrap_or_else(|| reference::DEFAULT_TAG.into());
        let mut opts = CommitContainerOptionsBuilder::new()
            .container(id)
            .repo(&r.familiar_name())
            .tag(&tag)
            .pause(form.pause);
        if !form.message.trim().is_empty() {
            opts = opts.comment(form.message.trim());
        }
        if !form.author.trim().is_empty() {
            opts = opts.author(form.author.trim());
        }
        if !changes.is_empty() {
            // The engine reads the changes as lines of one Dockerfile.
            opts = opts.changes(&changes.join("\n"));
        }
        let made = self
            .docker
            .commit_container(opts.build(), ContainerConfig::default())
            .await?;
        let top_layer = self
            .docker
            .inspect_image(&made.id)
            .await?
            .root_fs
            .and_then(|f| f.layers)
            .and_then(|l| l.last().cloned());
        Ok(Committed {
            id: made.id,
            image: format!("{}:{tag}", r.familiar_name()),
            top_layer,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn change_lines_are_checked_before_the_request() {
        let ok = check_changes(&[
            "CMD [\"sh\"]".into(),
            "  ".into(),
            "env A=1".into(),
            "EXPOSE 8080".into(),
        ])
        .unwrap();
        assert_eq!(ok.len(), 3);
        for (bad, why) in [
            ("RUN echo hi", "cannot be applied"),
            ("WORKDIR", "needs a value"),
            ("COPY a b", "cannot be applied"),
        ] {
            match check_changes(&[bad.into()]).unwrap_err() {
                Error::InvalidInput { field, message, .. } => {
                    assert_eq!(field, "changes.0");
                    assert!(message.contains(why), "{message}");
                }
                e => panic!("{e:?}"),
            }
        }
    }
}
