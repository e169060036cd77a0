//! `docker image pull` (I5): the reference read first (I7), an optional
//! platform, and the engine's progress messages turned into per-layer rows
//! the UI can draw. Dropping the stream closes the connection, which makes
//! the engine cancel the pull; it tags nothing until every layer is in.

use crate::said::Said;
use bollard::models::CreateImageInfo;
use bollard::query_parameters::CreateImageOptionsBuilder;
use futures_util::{Stream, StreamExt};
use serde::Serialize;
use specta::Type;

use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::images::reference::{self, Reference};

/// Where one layer is, in the words `docker pull` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum LayerPhase {
    /// "Waiting" / "Pulling fs layer": queued behind others.
    Waiting,
    Downloading,
    /// "Verifying Checksum" / "Download complete".
    Downloaded,
    Extracting,
    /// "Pull complete".
    Complete,
    /// "Already exists": an image here has this layer; nothing is sent.
    AlreadyExists,
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum PullEvent {
    /// The reference as it will be pulled (sent first).
    Resolved { reference: Reference },
    /// One layer's progress. `id` is the short layer digest docker prints.
    Layer {
        id: String,
        phase: LayerPhase,
        #[specta(type = Option<crate::JsNumber>)]
        current: Option<u64>,
        #[specta(type = Option<crate::JsNumber>)]
        total: Option<u64>,
    },
    /// Any other line: "Pulling from ...", "Digest: ...", "Status: ...".
    Message { text: String },
    /// The pull finished: the manifest (or index) digest and the final status.
    Done {
        digest: Option<String>,
        status: String,
    },
}

/// `os/arch[/variant]`, as `--platform` takes it.
pub fn check_platform(p: &str) -> Result<()> {
    let parts: Vec<&str> = p.split('/').collect();
    let ok_part = |s: &&str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    };
    if !(2..=3).contains(&parts.len()) || !parts.iter().all(ok_part) {
        return Err(Error::said(
            "platform",
            Said::PlatformForm { platform: p.into() },
        ));
    }
    Ok(())
}

fn phase(status: &str) -> LayerPhase {
    match status {
        "Waiting" | "Pulling fs layer" => LayerPhase::Waiting,
        "Downloading" => LayerPhase::Downloading,
        "Verifying Checksum" | "Download complete" => LayerPhase::Downloaded,
        "Extracting" => LayerPhase::Extracting,
        "Pull complete" => LayerPhase::Complete,
        "Already exists" => LayerPhase::AlreadyExists,
        _ => LayerPhase::Other,
    }
}

/// One engine message as an event. Layer lines carry an id that is not
/// the reference's tag; everything else is a message. An error in the
/// stream becomes the error of the pull, the engine's words kept.
pub fn event_of(info: CreateImageInfo, tag: &str) -> Result<PullEvent> {
    if let Some(e) = info.error_detail.and_then(|d| d.message) {
        return Err(Error::Engine {
            status: None,
            message: e,
            said: None,
        });
    }
    let status = info.status.unwrap_or_default();
    match info.id {
        Some(id) if id != tag && !status.starts_with("Pulling from") => {
            let detail = info.progress_detail.unwrap_or_default();
            let num = |n: Option<i64>| n.and_then(|v| u64::try_from(v).ok()).filter(|&v| v > 0);
            Ok(PullEvent::Layer {
                id,
                phase: phase(&status),
                current: num(detail.current),
                total: num(detail.total),
            })
        }
        _ => Ok(PullEvent::Message { text: status }),
    }
}

pub type PullStream = std::pin::Pin<Box<dyn Stream<Item = Result<PullEvent>> + Send>>;

impl Engine {
    /// `docker image pull [--platform P] REF`. The reference and platform
    /// are checked before any request.
    pub fn pull(&self, input: &str, platform: Option<&str>) -> Result<PullStream> {
        let r = reference::parse(input.trim()).map_err(|m| Error::said("reference", m))?;
        if let Some(p) = platform {
            check_platform(p)?;
        }
        let tag = r.digest.clone().or(r.tag.clone()).unwrap_or_default();
        let mut opts = CreateImageOptionsBuilder::new()
            .from_image(&r.name())
            .tag(&tag);
        if let Some(p) = platform {
            opts = opts.platform(p);
        }
        let engine_stream = self.docker.create_image(Some(opts.build()), None, None);
        let first =
            futures_util::stream::once(async move { Ok(PullEvent::Resolved { reference: r }) });
        let mut digest = None;
        let tag_for_events = tag.clone();
        let events = engine_stream.map(move |item| {
            let ev = event_of(item?, &tag_for_events)?;
            if let PullEvent::Message { text } = &ev {
                if let Some(d) = text.strip_prefix("Digest: ") {
                    digest = Some(d.trim().to_string());
                }
                if let Some(status) = text.strip_prefix("Status: ") {
                    let done = PullEvent::Done {
                        digest: digest.clone(),
                        status: status.to_string(),
                    };
                    return Ok(vec![ev, done]);
                }
            }
            Ok(vec![ev])
        });
        let flat = events.flat_map(|r: Result<Vec<PullEvent>>| {
            futures_util::stream::iter(match r {
                Ok(v) => v.into_iter().map(Ok).collect::<Vec<_>>(),
                Err(e) => vec![Err(e)],
            })
        });
        Ok(Box::pin(first.chain(flat)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bollard::models::{ErrorDetail, ProgressDetail};

    fn info(
        id: Option<&str>,
        status: &str,
        cur: Option<i64>,
        total: Option<i64>,
    ) -> CreateImageInfo {
        CreateImageInfo {
            id: id.map(str::to_string),
            status: Some(status.into()),
            progress_detail: Some(ProgressDetail {
                current: cur,
                total,
            }),
            ..Default::default()
        }
    }

    #[test]
    fn engine_lines_become_layer_rows_or_messages() {
        assert_eq!(
            event_of(
                info(Some("a1b2c3"), "Downloading", Some(10), Some(100)),
                "1"
            )
            .unwrap(),
            PullEvent::Layer {
                id: "a1b2c3".into(),
                phase: LayerPhase::Downloading,
                current: Some(10),
                total: Some(100)
            }
        );
        assert!(matches!(
            event_of(info(Some("a1"), "Already exists", None, None), "1").unwrap(),
            PullEvent::Layer {
                phase: LayerPhase::AlreadyExists,
                ..
            }
        ));
        // The tag line and "Pulling from" are messages, not layers.
        assert!(matches!(
            event_of(info(Some("1"), "Pulling from team/app", None, None), "1").unwrap(),
            PullEvent::Message { .. }
        ));
        // A hostile engine's negative sizes are dropped, not wrapped.
        assert!(matches!(
            event_of(info(Some("a1"), "Downloading", Some(-5), Some(-1)), "1").unwrap(),
            PullEvent::Layer {
                current: None,
                total: None,
                ..
            }
        ));
        let err = CreateImageInfo {
            error_detail: Some(ErrorDetail {
                message: Some("manifest unknown".into()),
                ..Default::default()
            }),
            ..Default::default()
        };
        assert!(event_of(err, "1")
            .unwrap_err()
            .to_string()
            .contains("manifest unknown"));
    }

    #[test]
    fn platforms_are_checked_before_any_request() {
        for ok in ["linux/amd64", "linux/arm64/v8", "windows/amd64"] {
            check_platform(ok).unwrap();
        }
        for bad in ["linux", "Linux/amd64", "linux//v8", "linux/amd64/v8/x", ""] {
            assert!(check_platform(bad).is_err(), "{bad}");
        }
    }
}
