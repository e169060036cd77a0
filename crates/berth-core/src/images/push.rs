//! `docker image push` (B3): per-layer progress, with the layers the
//! registry already has said to be skipped. bollard's push stream drops
//! each line's layer `id`, so the engine's JSON lines are read here, over
//! the same raw connection the log reader uses. Credentials are the docker
//! CLI's for that registry (see [`credentials`]), sent only to the engine.
//!
//! [`credentials`]: crate::registry::credentials

use crate::said::Said;
use base64::Engine as _;
use serde::Serialize;
use specta::Type;

use crate::engine::raw::Driven;
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::images::reference;
use crate::registry::credentials::{self, Credentials};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum PushPhase {
    Preparing,
    Waiting,
    Pushing,
    Pushed,
    /// "Layer already exists": the registry has it; nothing is sent.
    AlreadyExists,
    /// "Mounted from ...": the registry copied it from another repository.
    Mounted,
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum PushEvent {
    Layer {
        id: String,
        phase: PushPhase,
        #[specta(type = Option<crate::JsNumber>)]
        current: Option<u64>,
        #[specta(type = Option<crate::JsNumber>)]
        total: Option<u64>,
    },
    Message {
        text: String,
    },
    /// The manifest's digest in the registry (the repo digest).
    Done {
        tag: String,
        digest: String,
    },
}

fn phase(status: &str) -> PushPhase {
    match status {
        "Preparing" => PushPhase::Preparing,
        "Waiting" => PushPhase::Waiting,
        "Pushing" => PushPhase::Pushing,
        "Pushed" => PushPhase::Pushed,
        "Layer already exists" => PushPhase::AlreadyExists,
        s if s.starts_with("Mounted from") => PushPhase::Mounted,
        _ => PushPhase::Other,
    }
}

/// Whether a push error is the registry asking for a login. The engine
/// passes the registry's error on as "CODE: message", CODE being one of the
/// distribution spec's codes in lower case (`unauthorized: authentication
/// required`, `denied: requested access to the resource is denied`); the
/// code is read, not searched for in the text. The engine's own refusal to
/// send nothing is one fixed sentence.
fn refused_for_auth(message: &str) -> bool {
    let code = message.split_once(':').map_or("", |(c, _)| c.trim());
    matches!(code, "unauthorized" | "denied") || message.trim() == "no basic auth credentials"
}

/// One line of the engine's answer as an event; an error line is the
/// push's error, the engine's words kept.
pub fn event_of(v: &serde_json::Value) -> Result<Option<PushEvent>> {
    if let Some(e) = v["errorDetail"]["message"].as_str().or(v["error"].as_str()) {
        let auth = v["errorDetail"]["code"].as_u64() == Some(401) || refused_for_auth(e);
        return Err(if auth {
            Error::AuthRequired {
                registry: String::new(),
                message: e.to_string(),
                said: None,
            }
        } else {
            Error::Engine {
                status: None,
                message: e.to_string(),
                said: None,
            }
        });
    }
    if let (Some(tag), Some(digest)) = (v["aux"]["Tag"].as_str(), v["aux"]["Digest"].as_str()) {
        return Ok(Some(PushEvent::Done {
            tag: tag.into(),
            digest: digest.into(),
        }));
    }
    let status = v["status"].as_str().unwrap_or_default();
    let num = |k: &str| v["progressDetail"][k].as_u64().filter(|n| *n > 0);
    Ok(Some(match v["id"].as_str() {
        Some(id)
            if phase(status) != PushPhase::Other
                || v["progressDetail"].is_object() && id.len() == 12 =>
        {
            PushEvent::Layer {
                id: id.into(),
                phase: phase(status),
                current: num("current"),
                total: num("total"),
            }
        }
        _ if status.is_empty() => return Ok(None),
        _ => PushEvent::Message {
            text: status.into(),
        },
    }))
}

/// The `X-Registry-Auth` header: base64url JSON, `{}` when anonymous.
fn auth_header(c: &Credentials, server: &str) -> String {
    let json = match c {
        Credentials::Anonymous => serde_json::json!({}),
        Credentials::Basic { user, secret } => {
            serde_json::json!({"username": user, "password": secret, "serveraddress": server})
        }
    };
    base64::engine::general_purpose::URL_SAFE.encode(json.to_string())
}

impl Engine {
    /// `docker image push NAME[:TAG]`, with the CLI's credentials for the
    /// registry unless `credentials` are given. `on_event` sees every line.
    pub async fn push(
        &self,
        image: &str,
        credentials: Option<Credentials>,
        mut on_event: impl FnMut(PushEvent),
    ) -> Result<String> {
        let r = reference::parse(image.trim()).map_err(|m| Error::said("image", m))?;
        if r.digest.is_some() {
            return Err(Error::said("image", Said::PushDigest));
        }
        let tag = r
            .tag
            .clone()
            .unwrap_or_else(|| reference::DEFAULT_TAG.into());
        let creds = match credentials {
            Some(c) => c,
            None => credentials::lookup(&r.registry).await?.0,
        };
        let header = auth_header(&creds, &r.registry);
        let name = r.familiar_name();
        let path = format!("/images/{name}/push?tag={tag}");
        let (uri, resp, driver) = crate::engine::raw::request(
            &self.address,
            &self.api_version(),
            hyper::Method::POST,
            &path,
            &[("X-Registry-Auth", &header)],
        )
        .await?;
        let mut body = Driven {
            body: resp.into_body(),
            driver,
        };
        let mut buf: Vec<u8> = Vec::new();
        let mut digest = None;
        let broken = |e: hyper::Error| {
            Error::failed(Said::EngineStreamBroke {
                request: format!("POST {uri}"),
                detail: e.to_string(),
            })
        };
        let mut handle = |line: &[u8], digest: &mut Option<String>| -> Result<()> {
            let Ok(v) = serde_json::from_slice::<serde_json::Value>(line) else {
                return Ok(());
            };
            match event_of(&v) {
                Ok(Some(ev)) => {
                    if let PushEvent::Done { digest: d, .. } = &ev {
                        *digest = Some(d.clone());
                    }
                    on_event(ev);
                    Ok(())
                }
                Ok(None) => Ok(()),
                Err(Error::AuthRequired { message, .. }) => Err(Error::auth(
                    r.registry.clone(),
                    Said::PushRefused {
                        registry: r.registry.clone(),
                        detail: message,
                    },
                )),
                Err(e) => Err(e),
            }
        };
        while let Some(frame) = body.frame().await {
            let frame = frame.map_err(broken)?;
            if let Ok(data) = frame.into_data() {
                buf.extend_from_slice(&data);
                while let Some(i) = buf.iter().position(|&b| b == b'\n') {
                    let line: Vec<u8> = buf.drain(..=i).collect();
                    handle(&line, &mut digest)?;
                }
            }
        }
        if !buf.is_empty() {
            handle(&buf, &mut digest)?;
        }
        digest.ok_or_else(|| {
            Error::failed(Said::PushNoDigest {
                image: image.to_string(),
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn engine_lines_become_layer_rows_a_digest_or_an_error() {
        let ev = |v| event_of(&v).unwrap().unwrap();
        assert_eq!(
            ev(
                json!({"status": "Pushing", "id": "a1b2c3d4e5f6", "progressDetail": {"current": 10, "total": 100}})
            ),
            PushEvent::Layer {
                id: "a1b2c3d4e5f6".into(),
                phase: PushPhase::Pushing,
                current: Some(10),
                total: Some(100)
            }
        );
        assert!(matches!(
            ev(
                json!({"status": "Layer already exists", "id": "a1b2c3d4e5f6", "progressDetail": {}})
            ),
            PushEvent::Layer {
                phase: PushPhase::AlreadyExists,
                ..
            }
        ));
        assert!(matches!(
            ev(
                json!({"status": "Mounted from berth-fixture/web", "id": "a1b2c3d4e5f6", "progressDetail": {}})
            ),
            PushEvent::Layer {
                phase: PushPhase::Mounted,
                ..
            }
        ));
        assert!(matches!(
            ev(json!({"status": "The push refers to repository [127.0.0.1:5000/x]"})),
            PushEvent::Message { .. }
        ));
        assert!(matches!(
            ev(
                json!({"progressDetail": {}, "aux": {"Tag": "1", "Digest": "sha256:ab", "Size": 527}})
            ),
            PushEvent::Done { .. }
        ));
        assert!(matches!(
            event_of(&json!({"errorDetail": {"message": "unauthorized: authentication required"}})),
            Err(Error::AuthRequired { .. })
        ));
        assert!(matches!(
            event_of(&json!({"error": "disk full"})),
            Err(Error::Engine { .. })
        ));
        for auth in [
            "denied: requested access to the resource is denied",
            "no basic auth credentials",
        ] {
            assert!(
                matches!(
                    event_of(&json!({"error": auth})),
                    Err(Error::AuthRequired { .. })
                ),
                "{auth}"
            );
        }
        // A word in a name or a path is not a refusal.
        assert!(matches!(
            event_of(
                &json!({"error": "open /var/lib/unauthorized-files: no space left on device"})
            ),
            Err(Error::Engine { .. })
        ));
        assert!(matches!(
            event_of(&json!({"errorDetail": {"code": 401, "message": "who are you"}})),
            Err(Error::AuthRequired { .. })
        ));
    }

    #[test]
    fn the_auth_header_is_base64url_json_and_empty_when_anonymous() {
        let h = auth_header(&Credentials::Anonymous, "x");
        assert_eq!(
            base64::engine::general_purpose::URL_SAFE.decode(h).unwrap(),
            b"{}"
        );
        let h = auth_header(
            &Credentials::Basic {
                user: "u".into(),
                secret: "p".into(),
            },
            "127.0.0.1:5001",
        );
        let v: serde_json::Value =
            serde_json::from_slice(&base64::engine::general_purpose::URL_SAFE.decode(h).unwrap())
                .unwrap();
        assert_eq!(v["username"], "u");
        assert_eq!(v["serveraddress"], "127.0.0.1:5001");
    }
}
