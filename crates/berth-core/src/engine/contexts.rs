//! Docker contexts (E5): the ones the CLI knows (`docker context ls`) and
//! switching between them (`docker context use`). Berth switches the way the
//! CLI does, by setting `currentContext` in `config.json`, so the terminal
//! beside it talks to the same engine. `DOCKER_HOST` and `DOCKER_CONTEXT`
//! win over that choice, as they do for the CLI; switching is then refused,
//! saying which variable is set.

use crate::said::Said;
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::engine::docker_config::{config_path, read_config, write_config};
use crate::engine::endpoint::{self, Address, Environment};
use crate::error::{Error, Result};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ContextRow {
    pub name: String,
    pub description: String,
    /// The docker endpoint, as DOCKER_HOST writes it.
    pub endpoint: String,
    pub current: bool,
    /// TCP with TLS: the engine's certificate is checked against the
    /// context's CA.
    pub tls: bool,
    /// Its TLS files as kept in the context (empty where none), for editing.
    pub ca: String,
    pub cert: String,
    pub key: String,
    /// Why Berth cannot use it; None when it can.
    pub unusable: Option<Unusable>,
}

/// Why a context cannot be used (the UI says it in the user's language).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Unusable {
    /// A named pipe, on a system that has none.
    NamedPipe,
    /// The context's file or endpoint is damaged; the reason as read.
    Damaged { message: String, said: Option<Said> },
}

impl std::fmt::Display for Unusable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unusable::NamedPipe => write!(f, "named pipes exist only on Windows"),
            Unusable::Damaged { message, .. } => write!(f, "{message}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Contexts {
    pub rows: Vec<ContextRow>,
    /// A variable that overrides the choice: `DOCKER_HOST=…`, `DOCKER_CONTEXT=…`.
    pub overridden_by: Option<String>,
    pub config: String,
}

/// Why Berth cannot talk to this address yet (None: it can).
fn unsupported(a: &Address) -> Option<Unusable> {
    match a {
        Address::NamedPipe(_) if !cfg!(windows) => Some(Unusable::NamedPipe),
        _ => None,
    }
}

/// `docker context ls`: `default` first, then the others by name.
pub fn list(env: &Environment) -> Result<Contexts> {
    let dir = env
        .config_dir()
        .ok_or_else(|| Error::said("config", Said::NoHome))?;
    let current = env
        .docker_context
        .clone()
        .or_else(|| endpoint::current_context(env))
        .unwrap_or_else(|| "default".into());
    let default_endpoint = endpoint::candidates(&Environment {
        docker_host: None,
        docker_context: Some("default".into()),
        ..env.clone()
    })
    .ok()
    .and_then(|c| c.first().map(|c| c.address.display()))
    .unwrap_or_default();
    let mut rows = vec![ContextRow {
        name: "default".into(),
        // The UI says it, in the user's language.
        description: String::new(),
        endpoint: default_endpoint,
        current: current == "default",
        tls: false,
        ca: String::new(),
        cert: String::new(),
        key: String::new(),
        unusable: None,
    }];
    let meta = dir.join("contexts").join("meta");
    let mut others = Vec::new();
    if let Ok(entries) = std::fs::read_dir(&meta) {
        for e in entries.flatten() {
            let path = e.path().join("meta.json");
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let parsed: std::result::Result<serde_json::Value, _> = serde_json::from_str(&text);
            let Ok(v) = parsed else {
                others.push(ContextRow {
                    name: e.file_name().to_string_lossy().into_owned(),
                    description: String::new(),
                    endpoint: String::new(),
                    current: false,
                    tls: false,
                    ca: String::new(),
                    cert: String::new(),
                    key: String::new(),
                    unusable: Some({
                        let said = Said::ContextNotJson {
                            path: path.display().to_string(),
                        };
                        Unusable::Damaged {
                            message: said.to_string(),
                            said: Some(said),
                        }
                    }),
                });
                continue;
            };
            let name = v["Name"].as_str().unwrap_or_default().to_string();
            let host = v["Endpoints"]["docker"]["Host"]
                .as_str()
                .unwrap_or_default();
            let docker = &v["Endpoints"]["docker"];
            let address = endpoint::context_tls(&dir, &name, docker)
                .and_then(|tls| endpoint::parse_host(&format!("context {name:?}"), host, tls));
            let files = match &address {
                Ok(Address::Tcp { tls: Some(f), .. }) => Some(f.clone()),
                _ => None,
            };
            let shown = |p: Option<&std::path::PathBuf>| {
                p.filter(|p| p.exists())
                    .map(|p| p.display().to_string())
                    .unwrap_or_default()
            };
            let tls = files.is_some();
            let (ca, cert, key) = files
                .as_ref()
                .map(|f| {
                    (
                        shown(Some(&f.ca)),
                        shown(f.cert.as_ref()),
                        shown(f.key.as_ref()),
                    )
                })
                .unwrap_or_default();
            let unusable = match address {
                Ok(a) => unsupported(&a),
                Err(e) => Some(Unusable::Damaged {
                    said: e.said_code().cloned(),
                    message: e.to_string(),
                }),
            };
            others.push(ContextRow {
                current: name == current,
                description: v["Metadata"]["Description"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                endpoint: host.to_string(),
                name,
                tls,
                ca,
                cert,
                key,
                unusable,
            });
        }
    }
    others.sort_by(|a, b| a.name.cmp(&b.name));
    rows.extend(others);
    let overridden_by = match (&env.docker_host, &env.docker_context) {
        (Some(h), _) => Some(format!("DOCKER_HOST={h}")),
        (None, Some(c)) => Some(format!("DOCKER_CONTEXT={c}")),
        _ => None,
    };
    Ok(Contexts {
        rows,
        overridden_by,
        config: config_path(&dir).display().to_string(),
    })
}

/// `docker context use NAME`: the CLI's command it equals.
pub fn use_context(env: &Environment, name: &str) -> Result<String> {
    let name = name.trim();
    let all = list(env)?;
    if let Some(v) = &all.overridden_by {
        return Err(Error::said(
            "context",
            Said::ContextOverridden {
                variable: v.clone(),
            },
        ));
    }
    let Some(row) = all.rows.iter().find(|r| r.name == name) else {
        let names: Vec<&str> = all.rows.iter().map(|r| r.name.as_str()).collect();
        return Err(Error::said(
            "context",
            Said::NoSuchContext {
                name: name.into(),
                names: names.join(", "),
            },
        ));
    };
    if let Some(why) = &row.unusable {
        let name = name.to_string();
        return Err(match why {
            Unusable::NamedPipe => Error::said("context", Said::ContextNamedPipe { name }),
            Unusable::Damaged {
                said: Some(said), ..
            } => Error::said("context", said.clone()),
            Unusable::Damaged { message, .. } => Error::invalid("context", message.clone()),
        });
    }
    let dir = env
        .config_dir()
        .ok_or_else(|| Error::said("config", Said::NoHome))?;
    let mut cfg = read_config(&dir)?;
    let obj = cfg.as_object_mut().ok_or_else(|| {
        Error::said(
            "config",
            Said::ConfigNotObject {
                path: config_path(&dir).display().to_string(),
            },
        )
    })?;
    if name == "default" {
        obj.remove("currentContext");
    } else {
        obj.insert("currentContext".into(), name.into());
    }
    write_config(&dir, &cfg)?;
    Ok(format!("docker context use {}", crate::cli::quote(name)))
}

/// An engine to add (E5c): what the "Add an engine" form sends, for
/// "Test connection" and for saving it as a context.
#[derive(Debug, Clone, Default, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct NewContext {
    pub name: String,
    /// As DOCKER_HOST writes it: ssh://…, tcp://…, unix://…
    pub host: String,
    pub description: String,
    /// TCP with TLS: the CA to trust (a file path); empty for none.
    pub ca: String,
    /// The client's certificate and key (file paths); empty for none.
    pub cert: String,
    pub key: String,
    /// Plain TCP without TLS, accepted after its warning.
    pub plain_tcp: bool,
}

impl NewContext {
    fn path(v: &str) -> Option<std::path::PathBuf> {
        Some(v.trim()).filter(|v| !v.is_empty()).map(Into::into)
    }

    /// The address it names, its TLS files checked (each error names the
    /// form's field). Plain TCP is refused until its warning is accepted.
    pub fn address(&self) -> Result<Address> {
        let host = self.host.trim();
        let given = [&self.ca, &self.cert, &self.key]
            .iter()
            .any(|v| !v.trim().is_empty());
        let plain = endpoint::parse_host("host", host, None)?;
        let Address::Tcp { .. } = plain else {
            if given {
                return Err(Error::said("ca", Said::TlsOnlyTcp { host: host.into() }));
            }
            return Ok(plain);
        };
        if !given {
            if !self.plain_tcp {
                return Err(Error::said(
                    "plainTcp",
                    Said::PlainTcpNeedsConsent { host: host.into() },
                ));
            }
            return Ok(plain);
        }
        let files = crate::engine::tls::TlsFiles {
            ca: Self::path(&self.ca).unwrap_or_default(),
            cert: Self::path(&self.cert),
            key: Self::path(&self.key),
        };
        if let Err(f) = crate::engine::tls::client_config(&files) {
            let field = match &f.file {
                Some(p) if Some(p) == files.cert.as_ref() => "cert",
                Some(p) if Some(p) == files.key.as_ref() => "key",
                _ => "ca",
            };
            return Err(Error::said(field, *f.said));
        }
        endpoint::parse_host("host", host, Some(files))
    }
}

/// `docker context create NAME --docker host=HOST[,ca=…,cert=…,key=…]
/// [--description D]`: written where and as the CLI writes it (TLS files
/// copied into the context's TLS folder), so the CLI sees it too.
pub fn create(env: &Environment, new: &NewContext) -> Result<String> {
    save(env, new, false)
}

/// `docker context update NAME --description D --docker host=…[,ca=…]`:
/// the endpoint and description replaced, the context's other metadata
/// kept; its TLS files replaced, or removed when it is no longer TLS.
pub fn update(env: &Environment, new: &NewContext) -> Result<String> {
    save(env, new, true)
}

fn save(env: &Environment, new: &NewContext, update: bool) -> Result<String> {
    let name = new.name.trim();
    let host = new.host.trim();
    let description = new.description.trim();
    let ok_name = !name.is_empty()
        && name != "default"
        && name.as_bytes()[0].is_ascii_alphanumeric()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._+-".contains(&b));
    if !ok_name {
        return Err(Error::said(
            "name",
            Said::ContextNameBad { name: name.into() },
        ));
    }
    let address = new.address()?;
    let dir = env
        .config_dir()
        .ok_or_else(|| Error::said("config", Said::NoHome))?;
    let meta = dir
        .join("contexts")
        .join("meta")
        .join(endpoint::context_dir_name(name));
    let file = meta.join("meta.json");
    let mut json = match (file.exists(), update) {
        (true, false) => return Err(Error::conflict(Said::ContextExists { name: name.into() })),
        (false, true) => {
            let names: Vec<String> = list(env)?.rows.into_iter().map(|r| r.name).collect();
            return Err(Error::said(
                "context",
                Said::NoSuchContext {
                    name: name.into(),
                    names: names.join(", "),
                },
            ));
        }
        (true, true) => {
            let text =
                std::fs::read_to_string(&file).map_err(|e| Error::path("config", &file, &e))?;
            serde_json::from_str::<serde_json::Value>(&text)
                .ok()
                .filter(serde_json::Value::is_object)
                .ok_or_else(|| {
                    Error::said(
                        "config",
                        Said::ContextNotJson {
                            path: file.display().to_string(),
                        },
                    )
                })?
        }
        (false, false) => serde_json::json!({ "Name": name }),
    };
    json["Metadata"] = match json["Metadata"].take() {
        serde_json::Value::Object(mut m) => {
            m.insert("Description".into(), description.into());
            serde_json::Value::Object(m)
        }
        _ => serde_json::json!({ "Description": description }),
    };
    json["Endpoints"]["docker"] = serde_json::json!({ "Host": host, "SkipTLSVerify": false });
    let tls = dir
        .join("contexts")
        .join("tls")
        .join(endpoint::context_dir_name(name))
        .join("docker");
    // Every file is read before the folder is replaced: the form may name
    // the context's own files (an edit keeps them).
    let mut files = Vec::new();
    if let Address::Tcp {
        tls: Some(given), ..
    } = &address
    {
        let pairs = [
            ("ca", Some(&given.ca)),
            ("cert", given.cert.as_ref()),
            ("key", given.key.as_ref()),
        ];
        for (what, from) in pairs {
            let Some(from) = from else { continue };
            let bytes = std::fs::read(from).map_err(|e| Error::path(what, from, &e))?;
            files.push((what, bytes));
        }
    }
    if tls.exists() {
        std::fs::remove_dir_all(&tls).map_err(|e| Error::path("config", &tls, &e))?;
    }
    if !files.is_empty() {
        std::fs::create_dir_all(&tls).map_err(|e| Error::path("config", &tls, &e))?;
    }
    for (what, bytes) in files {
        let to = tls.join(format!("{what}.pem"));
        std::fs::write(&to, bytes).map_err(|e| Error::path(what, &to, &e))?;
        #[cfg(unix)]
        if what == "key" {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&to, std::fs::Permissions::from_mode(0o600))
                .map_err(|e| Error::path("key", &to, &e))?;
        }
    }
    std::fs::create_dir_all(&meta).map_err(|e| Error::path("config", &meta, &e))?;
    std::fs::write(&file, json.to_string()).map_err(|e| Error::path("config", &file, &e))?;
    Ok(save_line(new, update))
}

/// The CLI line that creates `new` (or, with `update`, updates it), as the
/// form shows it before saving.
pub fn save_line(new: &NewContext, update: bool) -> String {
    let or = |v: &str, none: &str| {
        let v = v.trim();
        if v.is_empty() {
            none.to_string()
        } else {
            v.to_string()
        }
    };
    let mut docker = format!("host={}", or(&new.host, "HOST"));
    for (what, path) in [("ca", &new.ca), ("cert", &new.cert), ("key", &new.key)] {
        if !path.trim().is_empty() {
            docker.push_str(&format!(",{what}={}", path.trim()));
        }
    }
    let verb = if update { "update" } else { "create" };
    let name = crate::cli::quote(&or(&new.name, "NAME"));
    let docker = crate::cli::quote(&docker);
    let description = new.description.trim();
    match (update, description.is_empty()) {
        (true, _) => format!(
            "docker context {verb} {name} --description {} --docker {docker}",
            crate::cli::quote(description)
        ),
        (false, true) => format!("docker context {verb} {name} --docker {docker}"),
        (false, false) => format!(
            "docker context {verb} {name} --docker {docker} --description {}",
            crate::cli::quote(description)
        ),
    }
}

/// `docker context rm NAME`. The current context is refused, as the CLI
/// refuses it.
pub fn remove(env: &Environment, name: &str) -> Result<String> {
    let all = list(env)?;
    let Some(row) = all
        .rows
        .iter()
        .find(|r| r.name == name && r.name != "default")
    else {
        return Err(Error::said(
            "context",
            Said::NoSuchContext {
                name: name.into(),
                names: all
                    .rows
                    .iter()
                    .map(|r| r.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            },
        ));
    };
    if row.current {
        return Err(Error::conflict(Said::ContextInUse { name: name.into() }));
    }
    let dir = env
        .config_dir()
        .ok_or_else(|| Error::said("config", Said::NoHome))?;
    for kind in ["meta", "tls"] {
        let d = dir
            .join("contexts")
            .join(kind)
            .join(endpoint::context_dir_name(name));
        if d.exists() {
            std::fs::remove_dir_all(&d).map_err(|e| Error::path("config", &d, &e))?;
        }
    }
    Ok(format!("docker context rm {}", crate::cli::quote(name)))
}
