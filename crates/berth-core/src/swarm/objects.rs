//! Secrets and configs (E7): listed with the services that use each,
//! created from a typed value or a file, removed. A secret's value goes to
//! the engine once and is never read back: the engine does not return it,
//! no row here has a field for it, and the command shown reads it from a
//! file or from standard input, never from its own words.

use std::collections::BTreeMap;
use std::path::Path;

use base64::Engine as _;
use bollard::models::{ConfigSpec, SecretSpec};
use bollard::query_parameters::{ListConfigsOptions, ListSecretsOptions};
use serde::{Deserialize, Serialize};
use specta::Type;

use super::not_manager;
use crate::cli::quote;
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::said::Said;

/// The engine's limit for a secret's or a config's value.
pub const MAX_VALUE: u64 = 500 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum ObjectKind {
    Secret,
    Config,
}

impl ObjectKind {
    fn word(self) -> &'static str {
        match self {
            ObjectKind::Secret => "secret",
            ObjectKind::Config => "config",
        }
    }
}

/// A secret or a config; never its value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ObjectRow {
    pub kind: ObjectKind,
    pub id: String,
    pub name: String,
    pub created: String,
    pub updated: String,
    pub labels: BTreeMap<String, String>,
    /// The services that mount it.
    pub used_by: Vec<String>,
    pub stack: Option<String>,
}

/// What `docker secret create` / `docker config create` is given: the value
/// typed, or a file to read it from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ObjectForm {
    pub kind: Option<ObjectKind>,
    pub name: String,
    /// Typed in; empty when `file` is given.
    pub value: String,
    /// A file on this machine; empty when the value is typed.
    pub file: String,
}

/// A secret's or config's name: letters, digits, `-`, `_` and `.`, at most 64.
pub fn check_object_name(field: &str, name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if ok {
        Ok(())
    } else {
        Err(Error::said(
            field,
            Said::SwarmObjectNameBad { name: name.into() },
        ))
    }
}

/// The value to send and the line it equals (which never holds the value).
fn value_of(kind: ObjectKind, form: &ObjectForm) -> Result<(Vec<u8>, String)> {
    let name = form.name.trim();
    let file = form.file.trim();
    let create = format!("docker {} create", kind.word());
    if !file.is_empty() {
        if !form.value.is_empty() {
            return Err(Error::said("value", Said::SwarmValueOrFile));
        }
        let path = Path::new(file);
        let meta = std::fs::metadata(path).map_err(|e| Error::path("file", path, &e))?;
        if meta.len() > MAX_VALUE {
            return Err(Error::said(
                "file",
                Said::SwarmValueTooBig {
                    size: meta.len(),
                    max: MAX_VALUE,
                },
            ));
        }
        let bytes = std::fs::read(path).map_err(|e| Error::path("file", path, &e))?;
        return Ok((bytes, format!("{create} {} {}", quote(name), quote(file))));
    }
    if form.value.is_empty() {
        return Err(Error::said("value", Said::SwarmValueEmpty));
    }
    let size = form.value.len() as u64;
    if size > MAX_VALUE {
        return Err(Error::said(
            "value",
            Said::SwarmValueTooBig {
                size,
                max: MAX_VALUE,
            },
        ));
    }
    // The value came from the keyboard: the line reads it from stdin.
    Ok((
        form.value.as_bytes().to_vec(),
        format!("{create} {} -", quote(name)),
    ))
}

impl Engine {
    /// `docker secret ls`, each with the services that use it.
    pub async fn list_secrets(&self) -> Result<Vec<ObjectRow>> {
        let list = self
            .docker
            .list_secrets(None::<ListSecretsOptions>)
            .await
            .map_err(|e| not_manager(e.into()))?;
        let rows = list.into_iter().map(|s| {
            let spec = s.spec.unwrap_or_default();
            let when = (s.created_at, s.updated_at);
            row(ObjectKind::Secret, s.id, spec.name, when, spec.labels)
        });
        self.with_users(rows.collect()).await
    }

    /// `docker config ls`, each with the services that use it.
    pub async fn list_configs(&self) -> Result<Vec<ObjectRow>> {
        let list = self
            .docker
            .list_configs(None::<ListConfigsOptions>)
            .await
            .map_err(|e| not_manager(e.into()))?;
        let rows = list.into_iter().map(|s| {
            let spec = s.spec.unwrap_or_default();
            let when = (s.created_at, s.updated_at);
            row(ObjectKind::Config, s.id, spec.name, when, spec.labels)
        });
        self.with_users(rows.collect()).await
    }

    async fn with_users(&self, mut rows: Vec<ObjectRow>) -> Result<Vec<ObjectRow>> {
        let services = self.list_services().await?;
        for r in &mut rows {
            r.used_by = services
                .iter()
                .filter(|s| match r.kind {
                    ObjectKind::Secret => s.secrets.contains(&r.name),
                    ObjectKind::Config => s.configs.contains(&r.name),
                })
                .map(|s| s.name.clone())
                .collect();
        }
        rows.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(rows)
    }

    /// `docker secret create NAME FILE|-` (or `config`): the ID and the line.
    pub async fn create_object(&self, form: &ObjectForm) -> Result<super::Created> {
        let kind = form.kind.unwrap_or(ObjectKind::Secret);
        let name = form.name.trim();
        check_object_name("name", name)?;
        let (bytes, line) = value_of(kind, form)?;
        let data = base64::engine::general_purpose::STANDARD.encode(&bytes);
        let id = match kind {
            ObjectKind::Secret => {
                self.docker
                    .create_secret(SecretSpec {
                        name: Some(name.into()),
                        data: Some(data),
                        ..Default::default()
                    })
                    .await
            }
            ObjectKind::Config => {
                self.docker
                    .create_config(ConfigSpec {
                        name: Some(name.into()),
                        data: Some(data),
                        ..Default::default()
                    })
                    .await
            }
        }
        .map_err(|e| {
            let e = not_manager(e.into());
            match &e {
                Error::Conflict { .. } => Error::conflict(Said::SwarmObjectExists {
                    kind: kind.word().into(),
                    name: name.into(),
                }),
                _ => e,
            }
        })?
        .id;
        Ok(super::Created {
            id,
            command: line,
            note: None,
        })
    }

    /// `docker secret rm NAME` (or `config`); one still in use is refused
    /// with the services named.
    pub async fn remove_object(&self, kind: ObjectKind, name: &str) -> Result<String> {
        let rows = match kind {
            ObjectKind::Secret => self.list_secrets().await?,
            ObjectKind::Config => self.list_configs().await?,
        };
        let Some(r) = rows.iter().find(|r| r.name == name || r.id == name) else {
            return Err(Error::not_found(Said::SwarmObjectMissing {
                kind: kind.word().into(),
                name: name.into(),
            }));
        };
        if !r.used_by.is_empty() {
            return Err(Error::conflict(Said::SwarmObjectInUse {
                kind: kind.word().into(),
                name: r.name.clone(),
                services: r.used_by.join(", "),
            }));
        }
        match kind {
            ObjectKind::Secret => self.docker.delete_secret(&r.id).await,
            ObjectKind::Config => self.docker.delete_config(&r.id).await,
        }
        .map_err(|e| not_manager(e.into()))?;
        Ok(format!("docker {} rm {}", kind.word(), quote(&r.name)))
    }
}

fn row(
    kind: ObjectKind,
    id: Option<String>,
    name: Option<String>,
    (created, updated): (Option<String>, Option<String>),
    labels: Option<std::collections::HashMap<String, String>>,
) -> ObjectRow {
    let labels: BTreeMap<String, String> = labels.unwrap_or_default().into_iter().collect();
    ObjectRow {
        kind,
        id: id.unwrap_or_default(),
        name: name.unwrap_or_default(),
        created: created.unwrap_or_default(),
        updated: updated.unwrap_or_default(),
        stack: labels.get(super::services::STACK_LABEL).cloned(),
        labels,
        used_by: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typed_value_never_appears_in_its_line() {
        let form = ObjectForm {
            kind: Some(ObjectKind::Secret),
            name: "db-pass".into(),
            value: "hunter2 and more".into(),
            file: String::new(),
        };
        let (bytes, line) = value_of(ObjectKind::Secret, &form).unwrap();
        assert_eq!(bytes, b"hunter2 and more");
        assert_eq!(line, "docker secret create db-pass -");
        assert!(!line.contains("hunter2"));
    }

    #[test]
    fn bad_forms_are_named_by_their_field() {
        let e = value_of(ObjectKind::Config, &ObjectForm::default()).unwrap_err();
        assert_eq!(e.field(), Some("value"));
        let both = ObjectForm {
            value: "x".into(),
            file: "/etc/hostname".into(),
            ..Default::default()
        };
        assert_eq!(
            value_of(ObjectKind::Secret, &both).unwrap_err().field(),
            Some("value")
        );
        let missing = ObjectForm {
            file: "/nonexistent/berth".into(),
            ..Default::default()
        };
        assert_eq!(
            value_of(ObjectKind::Secret, &missing).unwrap_err().field(),
            Some("file")
        );
        let big = ObjectForm {
            value: "x".repeat(MAX_VALUE as usize + 1),
            ..Default::default()
        };
        assert!(value_of(ObjectKind::Secret, &big)
            .unwrap_err()
            .to_string()
            .contains("512000"));
        assert!(check_object_name("name", "db_pass.v2").is_ok());
        assert_eq!(
            check_object_name("name", "db pass").unwrap_err().field(),
            Some("name")
        );
        assert!(check_object_name("name", "-x").is_err());
        assert!(check_object_name("name", &"a".repeat(65)).is_err());
    }
}
