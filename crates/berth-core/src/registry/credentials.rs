//! Registry credentials, read where the docker CLI keeps them (T4): a
//! credential helper named in `~/.docker/config.json` (`credHelpers` for one
//! registry, `credsStore` for all), else the file's own `auths` entry. Berth
//! never writes them and never sends them to the front end; they go only to
//! the registry that asked.
//!
//! Also reads a registry's `WWW-Authenticate` challenge, to tell a learner
//! what the registry wants when it refuses.

use std::path::Path;

use base64::Engine as _;
use serde::Serialize;
use specta::Type;

use crate::engine::docker_config::{self, HUB_KEY};
use crate::error::Result;

/// What a registry is given.
#[derive(Clone, PartialEq, Eq)]
pub enum Credentials {
    Anonymous,
    /// User name and password (or token) from a helper or config.json.
    Basic {
        user: String,
        secret: String,
    },
}

impl std::fmt::Debug for Credentials {
    // Never print a secret, even in a debug log.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Credentials::Anonymous => write!(f, "Anonymous"),
            Credentials::Basic { user, .. } => write!(f, "Basic({user}, ***)"),
        }
    }
}

/// Where credentials for a registry came from, for the UI to say.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum CredentialSource {
    None,
    Helper { name: String },
    ConfigFile { path: String },
}

/// The keys config.json may use for a registry: Docker Hub's is the old
/// index URL.
fn keys_for(registry: &str) -> Vec<String> {
    if registry == "docker.io" || registry == "index.docker.io" {
        vec![HUB_KEY.into(), "index.docker.io".into(), "docker.io".into()]
    } else {
        vec![
            registry.to_string(),
            format!("https://{registry}"),
            format!("http://{registry}"),
        ]
    }
}

/// Asks `docker-credential-NAME get` for a registry's credentials. A helper
/// that is not installed or knows no such server means none; one that does
/// not answer in time is an error naming it.
async fn from_helper(name: &str, server: &str) -> Result<Option<Credentials>> {
    match docker_config::run_helper(name, "get", server.as_bytes()).await? {
        docker_config::Answer::Out(out) => Ok(parse_helper_answer(&out)),
        docker_config::Answer::Missing | docker_config::Answer::Refused(_) => Ok(None),
    }
}

fn parse_helper_answer(out: &str) -> Option<Credentials> {
    let v: serde_json::Value = serde_json::from_str(out).ok()?;
    // Some helpers (pass) answer an unknown server with empty fields.
    let secret = v["Secret"].as_str().filter(|s| !s.is_empty())?;
    Some(Credentials::Basic {
        user: v["Username"].as_str()?.to_string(),
        secret: secret.to_string(),
    })
}

/// The credentials for `registry` in the config folder `dir`, and where
/// they came from. A damaged file or a failing helper means anonymous; a
/// helper that does not answer in time is an error naming it.
pub async fn lookup_in(dir: &Path, registry: &str) -> Result<(Credentials, CredentialSource)> {
    let none = Ok((Credentials::Anonymous, CredentialSource::None));
    let path = docker_config::config_path(dir);
    let Ok(cfg) = docker_config::read_config(dir) else {
        return none;
    };
    let keys = keys_for(registry);
    let helper = keys
        .iter()
        .find_map(|k| cfg["credHelpers"][k].as_str())
        .or_else(|| cfg["credsStore"].as_str());
    if let Some(name) = helper {
        for k in &keys {
            if let Some(c) = from_helper(name, k).await? {
                return Ok((c, CredentialSource::Helper { name: name.into() }));
            }
        }
    }
    for k in &keys {
        if let Some(auth) = cfg["auths"][k]["auth"].as_str() {
            if let Some((user, secret)) = decode_auth(auth) {
                return Ok((
                    Credentials::Basic { user, secret },
                    CredentialSource::ConfigFile {
                        path: path.display().to_string(),
                    },
                ));
            }
        }
    }
    none
}

/// An `auths` entry's `auth`: base64 of `user:secret`.
pub(crate) fn decode_auth(auth: &str) -> Option<(String, String)> {
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(auth.trim())
        .ok()
        .and_then(|b| String::from_utf8(b).ok())?;
    let (u, s) = decoded.split_once(':')?;
    Some((u.to_string(), s.to_string()))
}

/// [`lookup_in`] the CLI's config folder.
pub async fn lookup(registry: &str) -> Result<(Credentials, CredentialSource)> {
    match docker_config::config_dir() {
        Some(d) => lookup_in(&d, registry).await,
        None => Ok((Credentials::Anonymous, CredentialSource::None)),
    }
}

/// A registry's `WWW-Authenticate` challenge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Challenge {
    /// A user name and password on every request.
    Basic {
        realm: Option<String>,
    },
    /// A token fetched from `realm` for `service` and `scope`.
    Bearer {
        realm: String,
        service: Option<String>,
        scope: Option<String>,
    },
    Other {
        scheme: String,
    },
}

/// Reads `Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull"`
/// or `Basic realm="x"`. Parameters may come in any order; quoted values
/// may hold commas.
pub fn parse_challenge(header: &str) -> Option<Challenge> {
    let header = header.trim();
    let (scheme, rest) = header
        .split_once(char::is_whitespace)
        .unwrap_or((header, ""));
    if scheme.is_empty() {
        return None;
    }
    let mut params = std::collections::HashMap::new();
    let mut chars = rest.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| *c == ',' || c.is_whitespace()) {
            chars.next();
        }
        let key: String = std::iter::from_fn(|| chars.next_if(|c| *c != '=')).collect();
        if key.is_empty() || chars.next() != Some('=') {
            break;
        }
        let value: String = if chars.peek() == Some(&'"') {
            chars.next();
            let mut v = String::new();
            while let Some(c) = chars.next() {
                match c {
                    '\\' => v.extend(chars.next()),
                    '"' => break,
                    c => v.push(c),
                }
            }
            v
        } else {
            std::iter::from_fn(|| chars.next_if(|c| *c != ',')).collect()
        };
        params.insert(key.trim().to_ascii_lowercase(), value.trim().to_string());
    }
    match scheme.to_ascii_lowercase().as_str() {
        "basic" => Some(Challenge::Basic {
            realm: params.remove("realm"),
        }),
        "bearer" => Some(Challenge::Bearer {
            realm: params.remove("realm")?,
            service: params.remove("service"),
            scope: params.remove("scope"),
        }),
        _ => Some(Challenge::Other {
            scheme: scheme.to_string(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recorded_challenges_are_read() {
        // Docker Hub, as it answers an anonymous GET of a manifest.
        assert_eq!(
            parse_challenge(
                r#"Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull""#
            ),
            Some(Challenge::Bearer {
                realm: "https://auth.docker.io/token".into(),
                service: Some("registry.docker.io".into()),
                scope: Some("repository:library/nginx:pull".into()),
            })
        );
        // GitHub's registry: another order, and a scope with a comma.
        assert_eq!(
            parse_challenge(
                r#"Bearer scope="repository:o/r:pull,push", realm="https://ghcr.io/token",service="ghcr.io""#
            ),
            Some(Challenge::Bearer {
                realm: "https://ghcr.io/token".into(),
                service: Some("ghcr.io".into()),
                scope: Some("repository:o/r:pull,push".into()),
            })
        );
        // The htpasswd registry of the tests.
        assert_eq!(
            parse_challenge(r#"Basic realm="berth-test""#),
            Some(Challenge::Basic {
                realm: Some("berth-test".into())
            })
        );
        assert_eq!(
            parse_challenge("Negotiate"),
            Some(Challenge::Other {
                scheme: "Negotiate".into()
            })
        );
        assert_eq!(
            parse_challenge(r#"Bearer service="x""#),
            None,
            "a token challenge needs a realm"
        );
        assert_eq!(parse_challenge(""), None);
    }

    #[tokio::test]
    async fn credentials_come_from_config_json_auths_and_are_never_printed() {
        let dir = tempfile::tempdir().unwrap();
        let auth = base64::engine::general_purpose::STANDARD.encode("berth:s3cret:with:colons");
        std::fs::write(
            dir.path().join("config.json"),
            format!(r#"{{"auths":{{"127.0.0.1:5001":{{"auth":"{auth}"}},"https://index.docker.io/v1/":{{"auth":"{auth}"}}}}}}"#),
        )
        .unwrap();
        let (c, src) = lookup_in(dir.path(), "127.0.0.1:5001").await.unwrap();
        assert_eq!(
            c,
            Credentials::Basic {
                user: "berth".into(),
                secret: "s3cret:with:colons".into()
            }
        );
        assert!(matches!(src, CredentialSource::ConfigFile { .. }));
        assert!(!format!("{c:?}").contains("s3cret"));
        assert!(matches!(
            lookup_in(dir.path(), "docker.io").await.unwrap().0,
            Credentials::Basic { .. }
        ));
        assert_eq!(
            lookup_in(dir.path(), "other:5000").await.unwrap().0,
            Credentials::Anonymous
        );
        // A helper that does not exist, or a damaged file: anonymous.
        std::fs::write(
            dir.path().join("config.json"),
            r#"{"credsStore":"berth-none"}"#,
        )
        .unwrap();
        assert_eq!(
            lookup_in(dir.path(), "127.0.0.1:5001").await.unwrap().0,
            Credentials::Anonymous
        );
        std::fs::write(dir.path().join("config.json"), "{not json").unwrap();
        assert_eq!(
            lookup_in(dir.path(), "127.0.0.1:5001").await.unwrap().0,
            Credentials::Anonymous
        );
    }
}
