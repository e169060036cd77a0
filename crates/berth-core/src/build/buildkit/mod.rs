//! `DOCKER_BUILDKIT=1 docker build` (B1): the engine's BuildKit through
//! `POST /build?version=2&remote=client-session`, with a session Berth
//! serves: the context through BuildKit's file sync as the CLI sends it
//! (`.dockerignore` applied; only what BuildKit lacks from an earlier build
//! of the folder is sent), secrets, the SSH agent, registry logins. BuildKit
//! keys COPY by the files' content, so its cache is the one the CLI's builds
//! fill and use.
//! The answer's `moby.buildkit.trace` messages are BuildKit's status, read
//! into the same per-step events as the classic builder's text.

mod filesync;
pub(crate) mod session;
mod status;

use base64::Engine as _;
use bollard_buildkit_proto::moby::buildkit::v1::StatusResponse;
use http_body_util::BodyExt;
use prost::Message as _;

use super::{step_failure, BuildEvent, BuildForm, Built, Inputs};
use crate::engine::raw::percent;
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::said::Said;

/// One message of `/build`'s answer.
#[derive(serde::Deserialize, Default, Debug)]
struct Message {
    id: Option<String>,
    aux: Option<serde_json::Value>,
    stream: Option<String>,
    error: Option<String>,
    #[serde(rename = "errorDetail")]
    error_detail: Option<serde_json::Value>,
}

/// The longest message of `/build`'s answer kept while it is incomplete.
const ANSWER_MAX: usize = 64 << 20;

/// The complete messages at the start of `pending` (the answer is JSON
/// messages one after another), taken out of it; an incomplete last one
/// stays for the next chunk. A line that is not a message (a broken or
/// hostile answer) is skipped, not waited on forever.
fn messages(pending: &mut Vec<u8>) -> Vec<Message> {
    let mut out = Vec::new();
    let mut used = 0;
    loop {
        let mut de = serde_json::Deserializer::from_slice(&pending[used..]).into_iter::<Message>();
        match de.next() {
            Some(Ok(m)) => {
                used += de.byte_offset();
                out.push(m);
            }
            Some(Err(e)) if !e.is_eof() => {
                // Past the bad line, if it has ended.
                match pending[used..].iter().position(|&b| b == b'\n') {
                    Some(nl) => used += nl + 1,
                    None => break,
                }
            }
            _ => break,
        }
    }
    pending.drain(..used);
    out
}

/// The `/build` query for BuildKit.
fn query(form: &BuildForm, inputs: &Inputs, session: &str) -> String {
    let mut q = format!(
        "/build?version=2&session={session}&remote=client-session&dockerfile={}&rm=1&forcerm=1",
        percent(&dockerfile_file(&inputs.plan.dockerfile_path))
    );
    let tag = form.tag.trim();
    if !tag.is_empty() {
        q += &format!("&t={}", percent(tag));
    }
    if !form.target.trim().is_empty() {
        q += &format!("&target={}", percent(form.target.trim()));
    }
    if form.no_cache {
        q += "&nocache=1";
    }
    if !inputs.args.is_empty() {
        let args = serde_json::to_string(&inputs.args).unwrap_or_default();
        q += &format!("&buildargs={}", percent(&args));
    }
    q
}

/// The Dockerfile's name in its own folder.
fn dockerfile_file(path: &str) -> String {
    std::path::Path::new(path)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "Dockerfile".into())
}

/// What the session offers BuildKit: the walked context (`.dockerignore`
/// applied) in fsutil's order (by path components: a folder's contents
/// right after it), and the Dockerfile's folder (the file, and its own
/// `.dockerignore` if it has one).
fn folders(inputs: &Inputs) -> filesync::Folders {
    let mut context: Vec<filesync::Offered> = inputs
        .context
        .entries
        .iter()
        .map(|e| filesync::Offered {
            name: e.name.clone(),
            path: e.path.clone(),
        })
        .collect();
    // A file `.dockerignore` lets back in below a folder it leaves out
    // (`!data/keep`) still needs that folder in the list.
    let have: std::collections::HashSet<String> = context.iter().map(|o| o.name.clone()).collect();
    let mut parents = std::collections::BTreeSet::new();
    for o in &context {
        let mut at = o.name.as_str();
        while let Some((up, _)) = at.rsplit_once('/') {
            if !have.contains(up) {
                parents.insert(up.to_string());
            }
            at = up;
        }
    }
    let root = std::path::PathBuf::from(&inputs.plan.folder);
    context.extend(parents.into_iter().map(|name| filesync::Offered {
        path: root.join(&name),
        name,
    }));
    context.sort_by(|a, b| a.name.split('/').cmp(b.name.split('/')));
    let df = std::path::PathBuf::from(&inputs.plan.dockerfile_path);
    let name = dockerfile_file(&inputs.plan.dockerfile_path);
    let mut dockerfile = vec![filesync::Offered {
        name: name.clone(),
        path: df.clone(),
    }];
    let own = df.with_file_name(format!("{name}.dockerignore"));
    if own.is_file() {
        dockerfile.push(filesync::Offered {
            name: format!("{name}.dockerignore"),
            path: own,
        });
    }
    dockerfile.sort_by(|a, b| a.name.cmp(&b.name));
    filesync::Folders(
        [
            ("context".to_string(), context),
            ("dockerfile".to_string(), dockerfile),
        ]
        .into(),
    )
}

/// The same for every build of one folder on this computer.
fn shared_key(folder: &str) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(format!("berth:{folder}")))
}

impl Engine {
    pub(super) async fn build_buildkit(
        &self,
        form: &BuildForm,
        inputs: Inputs,
        mut on_event: impl FnMut(BuildEvent) + Send,
    ) -> Result<Built> {
        if self.is_podman().await? {
            return Err(Error::said("builder", Said::BuildKitMissing));
        }
        let ssh_agent = if form.ssh {
            match std::env::var_os("SSH_AUTH_SOCK").filter(|s| !s.is_empty()) {
                Some(s) => Some(std::path::PathBuf::from(s)),
                None => return Err(Error::said("ssh", Said::SshAgentMissing)),
            }
        } else {
            None
        };
        let session = session::open(
            &self.address,
            &self.api_version(),
            session::Provides {
                secrets: inputs.secrets.clone(),
                ssh_agent,
                folders: folders(&inputs),
                shared_key: shared_key(&inputs.plan.folder),
            },
        )
        .await?;
        let path = query(form, &inputs, &session.id);
        // No upload to count: BuildKit asks the session for what it needs.
        let Inputs { plan, .. } = inputs;
        let resp = crate::engine::raw::post_stream(
            &self.address,
            &self.api_version(),
            &path,
            &[("Content-Type", "application/x-tar")],
            http_body_util::Empty::<hyper::body::Bytes>::new(),
        )
        .await?;
        let mut body = resp.into_body();
        let mut tracker = status::Tracker::new(&plan.dockerfile, plan.steps);
        let mut id: Option<String> = None;
        let mut pending = Vec::<u8>::new();
        let mut error: Option<String> = None;
        loop {
            let frame = body.frame().await;
            let Some(frame) = frame else { break };
            let frame = frame.map_err(|e| {
                Error::failed(Said::EngineStreamBroke {
                    request: "POST /build".into(),
                    detail: e.to_string(),
                })
            })?;
            let Ok(data) = frame.into_data() else {
                continue;
            };
            pending.extend_from_slice(&data);
            if pending.len() > ANSWER_MAX {
                return Err(Error::failed(Said::EngineAnswerUnreadable {
                    request: "POST /build".into(),
                    detail: format!("one message over {ANSWER_MAX} bytes"),
                }));
            }
            for m in messages(&mut pending) {
                match (m.id.as_deref(), &m.aux) {
                    (Some("moby.buildkit.trace"), Some(serde_json::Value::String(b64))) => {
                        let raw = base64::engine::general_purpose::STANDARD
                            .decode(b64)
                            .unwrap_or_default();
                        if let Ok(status) = StatusResponse::decode(raw.as_slice()) {
                            tracker.read(&status, &mut on_event);
                        }
                    }
                    (Some("moby.image.id"), Some(aux)) => {
                        id = aux["ID"].as_str().map(str::to_string);
                    }
                    _ => {}
                }
                if let Some(s) = m.stream.filter(|s| !s.trim().is_empty()) {
                    on_event(BuildEvent::Output {
                        step: None,
                        text: s.trim_end().to_string(),
                    });
                }
                if let Some(e) = m.error.or_else(|| {
                    m.error_detail
                        .and_then(|d| d["message"].as_str().map(str::to_string))
                }) {
                    error.get_or_insert(e);
                }
            }
        }
        tracker.flush(&mut on_event);
        if let Some(message) = error.or_else(|| tracker.failed.clone().map(|(_, m)| m)) {
            let step = tracker
                .failed
                .as_ref()
                .and_then(|(s, _)| *s)
                .and_then(|s| tracker.outcomes().into_iter().find(|o| o.step == s));
            return Err(step_failure(step.as_ref(), message, &mut on_event));
        }
        let id = id.ok_or_else(|| Error::failed(Said::BuildNoImage))?;
        tracker.settle(&mut on_event);
        drop(session);
        Ok(Built {
            id,
            tag: (!form.tag.trim().is_empty()).then(|| form.tag.trim().to_string()),
            steps: tracker.outcomes(),
            command: plan.command,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_taken_whole_a_broken_line_skipped_and_a_partial_one_kept() {
        let mut p = b"{\"stream\":\"a\"}\n{not json at all}\n{\"id\":\"moby.image.id\",\"aux\":{\"ID\":\"sha256:x\"}}\r\n{\"stre".to_vec();
        let got = messages(&mut p);
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(got[0].stream.as_deref(), Some("a"));
        assert_eq!(got[1].aux.as_ref().unwrap()["ID"], "sha256:x");
        assert_eq!(p.trim_ascii_start(), b"{\"stre");
        p.extend_from_slice(b"am\":\"b\"}");
        let got = messages(&mut p);
        assert_eq!(got[0].stream.as_deref(), Some("b"));
        assert!(p.is_empty());
        // A bad line not ended yet waits for its end; nothing is lost after it.
        let mut p = b"]]]".to_vec();
        assert!(messages(&mut p).is_empty());
        p.extend_from_slice(b"\n{\"stream\":\"c\"}");
        assert_eq!(messages(&mut p)[0].stream.as_deref(), Some("c"));
    }
}
