//! `docker login` / `docker logout` (B4). The password is checked by the
//! engine against the registry (`POST /auth`, as the CLI does), then handed
//! to the docker credential helper the user configured in `config.json`
//! (`credHelpers` for that registry, else `credsStore`): the OS keychain
//! behind `osxkeychain`, `wincred`, `secretservice` or `pass`, which the
//! docker CLI then shares. Berth never writes a secret itself: when no helper
//! is configured it offers the ones installed, and with none it refuses,
//! saying why, rather than falling back to the CLI's plain-text `auths`.
//! The password is never logged, never returned, and never in an error.

use crate::said::Said;
use std::path::Path;

use serde::{Deserialize, Serialize};
use specta::Type;

use crate::engine::docker_config::{self, config_path, read_config, write_config, HUB_KEY};
use crate::engine::Engine;
use crate::error::{Error, Result};

/// The helpers the docker CLI knows on this platform, in the order offered.
fn known_helpers() -> &'static [&'static str] {
    crate::platform::known_helpers(crate::platform::Os::current())
}

#[derive(Clone, Default, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct LoginForm {
    /// `docker.io` (or empty) for Docker Hub, else `host[:port]`.
    pub server: String,
    pub username: String,
    pub password: String,
    /// With no helper configured: the installed helper to make the
    /// default (`credsStore`) first, as the user chose.
    pub helper: Option<String>,
}

impl std::fmt::Debug for LoginForm {
    // Never print the password, even in a debug log.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginForm")
            .field("server", &self.server)
            .field("username", &self.username)
            .field("password", &"***")
            .field("helper", &self.helper)
            .finish()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct LoginDone {
    /// The key the credentials are stored under.
    pub server: String,
    pub username: String,
    /// The helper that holds them.
    pub helper: String,
    /// The engine's words: "Login Succeeded".
    pub status: String,
    /// Whether `credsStore` was set to `helper` first.
    pub made_default: bool,
    /// A plain-text entry the docker CLI had left, now removed.
    pub removed_plain_text: bool,
    pub command: String,
}

/// Where a registry's credentials are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Stored {
    Helper {
        name: String,
    },
    /// In `config.json`, base64 but readable by anyone who can read it.
    PlainText,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct LoginRow {
    pub server: String,
    pub username: Option<String>,
    pub stored: Stored,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Logins {
    /// The `config.json` read.
    pub config: String,
    /// `credsStore`: the helper for every registry without its own.
    pub default_helper: Option<String>,
    /// Helpers installed here (on PATH) that could be made the default.
    pub installed: Vec<String>,
    pub rows: Vec<LoginRow>,
    /// Helpers that could not list their logins, with their own words.
    pub problems: Vec<String>,
}

/// The key a registry is stored under, as the CLI writes it: Docker Hub's
/// old index URL, else `host[:port]`.
pub fn server_key(input: &str) -> Result<String> {
    let s = input.trim();
    let s = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))
        .unwrap_or(s)
        .trim_end_matches('/');
    if s.is_empty()
        || [
            "docker.io",
            "index.docker.io",
            "registry-1.docker.io",
            "index.docker.io/v1",
        ]
        .contains(&s)
    {
        return Ok(HUB_KEY.into());
    }
    let ok = s
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b".-:[]_".contains(&b));
    if !ok || s.starts_with(['.', '-', ':']) {
        return Err(Error::said(
            "server",
            Said::LoginServerBad { server: s.into() },
        ));
    }
    Ok(s.to_string())
}

/// The helper configured for `key`: its own, else the default.
fn helper_for(cfg: &serde_json::Value, key: &str) -> Option<String> {
    cfg["credHelpers"][key]
        .as_str()
        .or_else(|| cfg["credsStore"].as_str())
        .filter(|h| !h.is_empty())
        .map(str::to_string)
}

/// Whether `docker-credential-NAME` is on PATH (with PATHEXT on Windows).
fn installed(name: &str) -> bool {
    crate::platform::on_process_path(&format!("docker-credential-{name}"))
}

/// The installed helpers, the one the docker CLI would pick by itself first
/// (so the window preselects what `docker login` would use).
fn offered() -> Vec<String> {
    let mut v: Vec<String> = known_helpers()
        .iter()
        .filter(|h| installed(h))
        .map(|h| h.to_string())
        .collect();
    let os = crate::platform::Os::current();
    if let Some(d) = crate::platform::default_helper(os, crate::platform::on_process_path) {
        if let Some(i) = v.iter().position(|h| h == d) {
            let h = v.remove(i);
            v.insert(0, h);
        }
    }
    v
}

/// A helper's answer; a helper that is not installed is an error here.
async fn helper(name: &str, action: &str, input: &[u8]) -> Result<String> {
    docker_config::run_helper(name, action, input)
        .await?
        .required(&docker_config::helper_program(name), action)
}

/// Whether the engine's answer to `POST /auth` is the registry refusing the
/// credentials. Engines since 23 answer 401; older ones (20.10 here) answer
/// 500 with the registry's status in a fixed sentence, "login attempt to
/// URL failed with status: 401 Unauthorized", from which the number is read.
fn registry_refused(status: Option<u16>, message: &str) -> bool {
    status == Some(401)
        || message
            .rsplit_once("failed with status: ")
            .and_then(|(_, rest)| rest.split_whitespace().next())
            .and_then(|code| code.parse::<u16>().ok())
            == Some(401)
}

/// Who is logged in where, as the CLI's config and helpers say.
pub async fn logins(dir: &Path) -> Result<Logins> {
    let cfg = read_config(dir)?;
    let default_helper = cfg["credsStore"]
        .as_str()
        .filter(|h| !h.is_empty())
        .map(str::to_string);
    let mut rows: Vec<LoginRow> = Vec::new();
    let add = |rows: &mut Vec<LoginRow>, server: &str, username: Option<String>, stored: Stored| {
        match rows.iter_mut().find(|r| r.server == server) {
            Some(r) => {
                if r.username.is_none() {
                    r.username = username;
                }
                if stored == Stored::PlainText {
                    r.stored = stored;
                }
            }
            None => rows.push(LoginRow {
                server: server.into(),
                username,
                stored,
            }),
        }
    };
    // The helpers' own lists (names only: `list` gives no secret).
    let mut helpers: Vec<String> = default_helper.iter().cloned().collect();
    if let Some(m) = cfg["credHelpers"].as_object() {
        helpers.extend(m.values().filter_map(|v| v.as_str()).map(str::to_string));
    }
    helpers.sort();
    helpers.dedup();
    let mut problems = Vec::new();
    for h in &helpers {
        let out = match helper(h, "list", b"").await {
            Ok(o) => o,
            Err(e) => {
                problems.push(e.to_string());
                continue;
            }
        };
        let Ok(map) = serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(&out)
        else {
            continue;
        };
        for (server, user) in map {
            // A registry with its own helper is listed by that one only.
            if helper_for(&cfg, &server).as_deref() == Some(h.as_str()) {
                add(
                    &mut rows,
                    &server,
                    user.as_str().map(str::to_string),
                    Stored::Helper { name: h.clone() },
                );
            }
        }
    }
    if let Some(auths) = cfg["auths"].as_object() {
        for (server, v) in auths {
            if v["auth"].as_str().is_some_and(|a| !a.is_empty()) {
                let user = crate::registry::credentials::decode_auth(
                    v["auth"].as_str().unwrap_or_default(),
                )
                .map(|(u, _)| u);
                add(&mut rows, server, user, Stored::PlainText);
            }
        }
    }
    rows.sort_by(|a, b| a.server.cmp(&b.server));
    Ok(Logins {
        config: config_path(dir).display().to_string(),
        default_helper,
        installed: offered(),
        rows,
        problems,
    })
}

/// The `docker login` line for a server and user (the password never).
fn command(key: &str, username: &str) -> String {
    let server = if key == HUB_KEY {
        String::new()
    } else {
        format!(" {}", crate::cli::quote(key))
    };
    format!(
        "docker login{server} -u {} --password-stdin",
        crate::cli::quote(username)
    )
}

impl Engine {
    /// `docker login`: the engine checks the password with the registry,
    /// then the configured helper stores it. Nothing is stored when the
    /// registry refuses.
    pub async fn login(&self, dir: &Path, form: &LoginForm) -> Result<LoginDone> {
        let key = server_key(&form.server)?;
        let username = form.username.trim();
        if username.is_empty() {
            return Err(Error::said("username", Said::LoginNoUser));
        }
        if form.password.is_empty() {
            return Err(Error::said("password", Said::LoginNoPassword));
        }
        let mut cfg = read_config(dir)?;
        let (helper, made_default) = match (helper_for(&cfg, &key), form.helper.as_deref()) {
            (Some(h), _) => (h, false),
            (None, Some(h)) if known_helpers().contains(&h) && installed(h) => {
                (h.to_string(), true)
            }
            (None, Some(h)) => {
                return Err(Error::said(
                    "helper",
                    Said::HelperNotInstalled { helper: h.into() },
                ))
            }
            (None, None) => {
                let found: Vec<&str> = known_helpers()
                    .iter()
                    .copied()
                    .filter(|h| installed(h))
                    .collect();
                let config = config_path(dir).display().to_string();
                return Err(Error::said(
                    "helper",
                    if found.is_empty() {
                        Said::NoHelperInstalled {
                            config,
                            helpers: known_helpers()
                                .iter()
                                .map(|h| format!("docker-credential-{h}"))
                                .collect::<Vec<_>>()
                                .join(", "),
                        }
                    } else {
                        Said::ChooseHelper {
                            config,
                            helpers: found.join(", "),
                        }
                    },
                ));
            }
        };
        let answer = crate::engine::raw::post_json(
            &self.address,
            &self.api_version(),
            "/auth",
            &serde_json::json!({
                "username": username,
                "password": form.password,
                "serveraddress": key,
            }),
        )
        .await
        .map_err(|e| match e {
            Error::Engine {
                status, message, ..
            } if registry_refused(status, &message) => Error::auth(
                key.clone(),
                Said::LoginRefused {
                    registry: key.clone(),
                    detail: message,
                },
            ),
            other => other,
        })?;
        let status = answer["Status"]
            .as_str()
            .unwrap_or("Login Succeeded")
            .to_string();
        // A registry that answers with an identity token wants it kept in
        // place of the password, under the user name `<token>` (as the CLI).
        let (user, secret) = match answer["IdentityToken"].as_str().filter(|t| !t.is_empty()) {
            Some(t) => ("<token>", t.to_string()),
            None => (username, form.password.clone()),
        };
        let input = serde_json::json!({"ServerURL": key, "Username": user, "Secret": secret});
        self::helper(&helper, "store", input.to_string().as_bytes()).await?;

        // config.json: the default helper if chosen; the registry listed
        // with no secret (as the CLI does with a helper), any plain-text
        // entry the CLI left for it removed.
        let obj = cfg.as_object_mut().ok_or_else(|| {
            Error::said(
                "config",
                Said::ConfigNotObject {
                    path: config_path(dir).display().to_string(),
                },
            )
        })?;
        if made_default {
            obj.insert("credsStore".into(), helper.clone().into());
        }
        let auths = obj.entry("auths").or_insert_with(|| serde_json::json!({}));
        if !auths.is_object() {
            *auths = serde_json::json!({});
        }
        let removed_plain_text = auths[&key]["auth"].as_str().is_some_and(|a| !a.is_empty());
        auths[&key] = serde_json::json!({});
        write_config(dir, &cfg)?;
        Ok(LoginDone {
            command: command(&key, username),
            server: key,
            username: username.to_string(),
            helper,
            status,
            made_default,
            removed_plain_text,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct LoggedOut {
    pub server: String,
    /// Where credentials were removed from: a helper's name, `config.json`.
    pub removed_from: Vec<String>,
    pub command: String,
}

/// `docker logout`: erased from the helper and from `config.json`.
pub async fn logout(dir: &Path, server: &str) -> Result<LoggedOut> {
    let key = server_key(server)?;
    let mut cfg = read_config(dir)?;
    let mut removed_from = Vec::new();
    if let Some(h) = helper_for(&cfg, &key) {
        let known = helper(&h, "list", b"")
            .await
            .ok()
            .and_then(|o| {
                serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(&o).ok()
            })
            .is_some_and(|m| m.contains_key(&key));
        if known {
            helper(&h, "erase", key.as_bytes()).await?;
            removed_from.push(format!("docker-credential-{h}"));
        }
    }
    if let Some(auths) = cfg["auths"].as_object_mut() {
        if let Some(old) = auths.remove(&key) {
            if old["auth"].as_str().is_some_and(|a| !a.is_empty()) || removed_from.is_empty() {
                removed_from.push(config_path(dir).display().to_string());
            }
            write_config(dir, &cfg)?;
        }
    }
    if removed_from.is_empty() {
        return Err(Error::not_found(Said::NotLoggedIn { registry: key }));
    }
    let shown = if key == HUB_KEY {
        String::new()
    } else {
        format!(" {}", crate::cli::quote(&key))
    };
    Ok(LoggedOut {
        server: key,
        removed_from,
        command: format!("docker logout{shown}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn servers_are_keyed_as_the_cli_keys_them() {
        for hub in [
            "",
            "docker.io",
            "https://index.docker.io/v1/",
            "index.docker.io",
            " registry-1.docker.io ",
        ] {
            assert_eq!(server_key(hub).unwrap(), HUB_KEY, "{hub:?}");
        }
        assert_eq!(server_key("127.0.0.1:5001").unwrap(), "127.0.0.1:5001");
        assert_eq!(server_key("https://ghcr.io/").unwrap(), "ghcr.io");
        for bad in ["ghcr.io/team", "a b", "-x", "user@host"] {
            match server_key(bad) {
                Err(Error::InvalidInput { field, .. }) => assert_eq!(field, "server"),
                other => panic!("{bad}: {other:?}"),
            }
        }
    }

    #[test]
    fn the_password_is_never_in_a_debug_print() {
        let f = LoginForm {
            server: "x".into(),
            username: "u".into(),
            password: "hunter2".into(),
            helper: None,
        };
        assert!(!format!("{f:?}").contains("hunter2"));
    }

    #[test]
    fn a_refusal_is_read_from_the_status_or_the_older_engines_sentence() {
        assert!(registry_refused(Some(401), "anything"));
        assert!(registry_refused(
            Some(500),
            "login attempt to http://127.0.0.1:5001/v2/ failed with status: 401 Unauthorized"
        ));
        assert!(!registry_refused(
            Some(500),
            "login attempt to http://x/v2/ failed with status: 503 Service Unavailable"
        ));
        assert!(!registry_refused(
            Some(500),
            "Get http://x/v2/: 401 is a number in a host name"
        ));
        assert!(!registry_refused(None, "unauthorized"));
    }

    #[tokio::test]
    async fn a_damaged_config_is_refused_not_overwritten() {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join("config.json"), "{not json").unwrap();
        assert!(
            matches!(read_config(d.path()), Err(Error::InvalidInput { field, .. }) if field == "config")
        );
        assert!(matches!(
            logout(d.path(), "127.0.0.1:5001").await,
            Err(Error::InvalidInput { .. })
        ));
        assert_eq!(
            std::fs::read_to_string(d.path().join("config.json")).unwrap(),
            "{not json"
        );
    }

    #[test]
    fn the_command_shown_has_no_password() {
        assert_eq!(
            command(HUB_KEY, "me"),
            "docker login -u me --password-stdin"
        );
        assert_eq!(
            command("127.0.0.1:5001", "berth"),
            "docker login 127.0.0.1:5001 -u berth --password-stdin"
        );
    }
}
