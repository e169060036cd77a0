//! What a registry holds for a reference (T1, T4): the tag's index
//! (manifest list) with one manifest per platform, and for the chosen
//! platform its config (whose digest is the image ID a pull gives) and
//! layers (compressed digests, paired with the config's uncompressed diff
//! IDs). Read with oci-client, which checks every manifest and blob against
//! its digest; plain HTTP only for loopback registries, as the engine does.

pub mod credentials;
pub mod inspector;
pub mod login;

use serde::Serialize;
use specta::Type;

use crate::error::{Error, Result};
use crate::images::reference::Reference;
use crate::registry::credentials::{Challenge, CredentialSource, Credentials};

pub const OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";
pub const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
pub const DOCKER_LIST: &str = "application/vnd.docker.distribution.manifest.list.v2+json";
pub const DOCKER_MANIFEST: &str = "application/vnd.docker.distribution.manifest.v2+json";
const ACCEPT: [&str; 4] = [OCI_INDEX, OCI_MANIFEST, DOCKER_LIST, DOCKER_MANIFEST];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Platform {
    pub os: String,
    pub architecture: String,
    pub variant: Option<String>,
}

impl Platform {
    /// `linux/arm64/v8`, as `--platform` takes it.
    pub fn label(&self) -> String {
        match &self.variant {
            Some(v) => format!("{}/{}/{v}", self.os, self.architecture),
            None => format!("{}/{}", self.os, self.architecture),
        }
    }
}

/// One platform's entry in an index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PlatformNode {
    pub platform: Platform,
    /// The platform manifest's digest.
    pub digest: String,
    pub media_type: String,
    #[specta(type = crate::JsNumber)]
    pub size: i64,
    /// Its config's digest: the image ID pulling this platform gives.
    pub config_digest: Option<String>,
    /// A build attestation (`unknown/unknown`), not a runnable image.
    pub attestation: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct IndexNode {
    pub digest: String,
    pub media_type: String,
    #[specta(type = crate::JsNumber)]
    pub size: i64,
    pub platforms: Vec<PlatformNode>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct LayerNode {
    /// The compressed blob's digest (what the registry stores).
    pub digest: String,
    pub media_type: String,
    #[specta(type = crate::JsNumber)]
    pub size: i64,
    /// The uncompressed content's digest, from the config (`rootfs.diff_ids`).
    pub diff_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ConfigNode {
    /// = the image ID.
    pub digest: String,
    pub media_type: String,
    #[specta(type = crate::JsNumber)]
    pub size: i64,
    pub platform: Platform,
    pub created: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ManifestNode {
    pub digest: String,
    pub media_type: String,
    #[specta(type = crate::JsNumber)]
    pub size: i64,
    pub config: ConfigNode,
    pub layers: Vec<LayerNode>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct RemoteTree {
    pub reference: Reference,
    /// None: the tag names one manifest directly (a single-platform image).
    pub index: Option<IndexNode>,
    /// The chosen platform's manifest (or the only one).
    pub manifest: ManifestNode,
    /// The digest the tag resolves to: the index's, or the manifest's.
    pub top_digest: String,
    /// Whose credentials were used (never the credentials).
    pub credentials: CredentialSource,
}

/// Loopback registries are spoken to over plain HTTP, as the engine does.
pub fn is_loopback(registry: &str) -> bool {
    let host = registry
        .rsplit_once(':')
        .filter(|(_, p)| p.bytes().all(|b| b.is_ascii_digit()))
        .map_or(registry, |(h, _)| h);
    host == "localhost"
        || host
            .trim_matches(|c| c == '[' || c == ']')
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// This machine's platform, as image indexes name it.
pub fn this_machine() -> Platform {
    let architecture = match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        "x86" => "386",
        "powerpc64" => "ppc64le",
        other => other,
    };
    Platform {
        os: "linux".into(),
        architecture: architecture.into(),
        variant: None,
    }
}

fn platform_of(v: &serde_json::Value) -> Platform {
    let s = |k: &str| v[k].as_str().unwrap_or_default().to_string();
    Platform {
        os: s("os"),
        architecture: s("architecture"),
        variant: v["variant"]
            .as_str()
            .filter(|x| !x.is_empty())
            .map(str::to_string),
    }
}

/// Talks to one registry with the user's credentials for it.
pub struct Registry {
    client: oci_client::Client,
    auth: oci_client::secrets::RegistryAuth,
    registry: String,
    source: CredentialSource,
}

impl Registry {
    pub fn new(registry: &str, credentials: Credentials, source: CredentialSource) -> Self {
        let protocol = if is_loopback(registry) {
            oci_client::client::ClientProtocol::Http
        } else {
            oci_client::client::ClientProtocol::Https
        };
        let client = oci_client::Client::new(oci_client::client::ClientConfig {
            protocol,
            connect_timeout: Some(std::time::Duration::from_secs(5)),
            read_timeout: Some(std::time::Duration::from_secs(30)),
            ..Default::default()
        });
        let auth = match credentials {
            Credentials::Anonymous => oci_client::secrets::RegistryAuth::Anonymous,
            Credentials::Basic { user, secret } => {
                oci_client::secrets::RegistryAuth::Basic(user, secret)
            }
        };
        Registry {
            client,
            auth,
            registry: registry.to_string(),
            source,
        }
    }

    /// With the credentials the docker CLI would use for this registry.
    pub async fn for_reference(r: &Reference) -> Result<Self> {
        let (c, source) = credentials::lookup(&r.registry).await?;
        Ok(Self::new(&r.registry, c, source))
    }

    fn oci_ref(&self, r: &Reference, digest: Option<&str>) -> oci_client::Reference {
        let repo = r.path();
        match (digest.or(r.digest.as_deref()), &r.tag) {
            (Some(d), _) => {
                oci_client::Reference::with_digest(self.registry.clone(), repo, d.into())
            }
            (None, Some(t)) => {
                oci_client::Reference::with_tag(self.registry.clone(), repo, t.clone())
            }
            (None, None) => {
                oci_client::Reference::with_tag(self.registry.clone(), repo, "latest".into())
            }
        }
    }

    /// A manifest or index, checked against its digest: (JSON, digest, size).
    async fn manifest(
        &self,
        r: &Reference,
        digest: Option<&str>,
    ) -> Result<(serde_json::Value, String, i64)> {
        let oref = self.oci_ref(r, digest);
        let (bytes, digest) = self
            .client
            .pull_manifest_raw(&oref, &self.auth, &ACCEPT)
            .await
            .map_err(|e| self.error(r, e))?;
        let v = serde_json::from_slice(&bytes).map_err(|e| Error::Engine {
            status: None,
            message: format!("{}: the manifest {digest} is not JSON: {e}", self.registry),
        })?;
        Ok((v, digest, bytes.len() as i64))
    }

    /// The tree for `r`, choosing `platform` (or this machine's) in an index.
    pub async fn tree(&self, r: &Reference, platform: Option<&str>) -> Result<RemoteTree> {
        let (top, top_digest, top_size) = self.manifest(r, None).await?;
        let media = top["mediaType"].as_str().map(str::to_string);
        let is_index = top.get("manifests").is_some()
            || matches!(media.as_deref(), Some(OCI_INDEX | DOCKER_LIST));
        if top["schemaVersion"].as_i64() == Some(1) {
            return Err(Error::Engine {
                status: None,
                message: format!(
                    "{}: `{}` is a schema 1 manifest, which Docker no longer pulls",
                    self.registry, r.familiar
                ),
            });
        }
        if !is_index {
            let manifest = self
                .manifest_node(r, top, top_digest.clone(), top_size, media)
                .await?;
            return Ok(RemoteTree {
                reference: r.clone(),
                index: None,
                manifest,
                top_digest,
                credentials: self.source.clone(),
            });
        }
        let mut platforms = Vec::new();
        for m in top["manifests"].as_array().cloned().unwrap_or_default() {
            let p = platform_of(&m["platform"]);
            let digest = m["digest"].as_str().unwrap_or_default().to_string();
            let attestation = p.os == "unknown" || p.architecture == "unknown";
            let config_digest = if attestation {
                None
            } else {
                let (pm, _, _) = self.manifest(r, Some(&digest)).await?;
                pm["config"]["digest"].as_str().map(str::to_string)
            };
            platforms.push(PlatformNode {
                platform: p,
                media_type: m["mediaType"].as_str().unwrap_or(OCI_MANIFEST).to_string(),
                size: m["size"].as_i64().unwrap_or(0),
                digest,
                config_digest,
                attestation,
            });
        }
        let wanted = platform.map(str::to_string);
        let here = this_machine();
        let chosen = platforms
            .iter()
            .filter(|p| !p.attestation)
            .find(|p| match &wanted {
                Some(w) => {
                    &p.platform.label() == w
                        || format!("{}/{}", p.platform.os, p.platform.architecture) == *w
                }
                None => p.platform.os == here.os && p.platform.architecture == here.architecture,
            })
            .or_else(|| {
                if wanted.is_none() {
                    platforms.iter().find(|p| !p.attestation)
                } else {
                    None
                }
            })
            .cloned()
            .ok_or_else(|| {
                Error::invalid(
                    "platform",
                    format!(
                        "`{}` has no {}; it has: {}",
                        r.familiar,
                        wanted.clone().unwrap_or_default(),
                        platforms
                            .iter()
                            .map(|p| p.platform.label())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
            })?;
        let (pm, pd, psize) = self.manifest(r, Some(&chosen.digest)).await?;
        let pmedia = pm["mediaType"].as_str().map(str::to_string);
        let manifest = self.manifest_node(r, pm, pd, psize, pmedia).await?;
        Ok(RemoteTree {
            reference: r.clone(),
            index: Some(IndexNode {
                digest: top_digest.clone(),
                media_type: media.unwrap_or_else(|| OCI_INDEX.into()),
                size: top_size,
                platforms,
            }),
            manifest,
            top_digest,
            credentials: self.source.clone(),
        })
    }

    async fn manifest_node(
        &self,
        r: &Reference,
        m: serde_json::Value,
        digest: String,
        size: i64,
        media: Option<String>,
    ) -> Result<ManifestNode> {
        let desc: oci_client::manifest::OciDescriptor = serde_json::from_value(m["config"].clone())
            .map_err(|e| Error::Engine {
                status: None,
                message: format!(
                    "{}: manifest {digest} has no usable config: {e}",
                    self.registry
                ),
            })?;
        let mut blob = Vec::new();
        self.client
            .pull_blob(&self.oci_ref(r, Some(&digest)), &desc, &mut blob)
            .await
            .map_err(|e| self.error(r, e))?;
        let config: serde_json::Value = serde_json::from_slice(&blob).unwrap_or_default();
        let diff_ids: Vec<String> = config["rootfs"]["diff_ids"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|d| d.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        let layers = m["layers"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .enumerate()
            .map(|(i, l)| LayerNode {
                digest: l["digest"].as_str().unwrap_or_default().to_string(),
                media_type: l["mediaType"].as_str().unwrap_or_default().to_string(),
                size: l["size"].as_i64().unwrap_or(0),
                diff_id: diff_ids.get(i).cloned(),
            })
            .collect();
        Ok(ManifestNode {
            media_type: media.unwrap_or_else(|| OCI_MANIFEST.into()),
            size,
            config: ConfigNode {
                digest: desc.digest.clone(),
                media_type: desc.media_type.clone(),
                size: desc.size,
                platform: platform_of(&config),
                created: config["created"].as_str().map(str::to_string),
            },
            layers,
            digest,
        })
    }

    /// The registry's refusal in words a learner can act on, its own
    /// message kept.
    fn error(&self, r: &Reference, e: oci_client::errors::OciDistributionError) -> Error {
        use oci_client::errors::{OciDistributionError as O, OciErrorCode as C};
        let what = r.familiar.clone();
        let reg = &self.registry;
        match e {
            O::ImageManifestNotFoundError(m) => Error::NotFound {
                message: format!("`{what}` is not in {reg}: the registry answered 404 ({m})"),
            },
            O::RegistryError { envelope, .. }
                if envelope.errors.iter().any(|x| {
                    matches!(x.code, C::ManifestUnknown | C::NameUnknown | C::NotFound | C::BlobUnknown)
                }) =>
            {
                Error::NotFound {
                    message: format!("`{what}` is not in {reg}: {envelope}"),
                }
            }
            O::RegistryError { envelope, .. }
                if envelope.errors.iter().any(|x| matches!(x.code, C::Unauthorized | C::Denied)) =>
            {
                Error::AuthRequired {
                    registry: reg.clone(),
                    message: format!("{reg} refused: {envelope}"),
                }
            }
            O::ServerError { code: 404, message, .. } => Error::NotFound {
                message: format!("`{what}` is not in {reg}: the registry answered 404 ({message})"),
            },
            O::UnauthorizedError { .. } | O::AuthenticationFailure(_) => Error::AuthRequired {
                registry: reg.clone(),
                message: format!("{reg} asks for credentials to read `{what}`: log in with `docker login {reg}`"),
            },
            O::DigestError(d) => Error::Engine {
                status: None,
                message: format!("{reg} sent content for `{what}` that does not match its digest, so it was rejected: {d}"),
            },
            O::RequestError(e) => Error::Engine {
                status: None,
                message: format!("could not reach the registry {reg}: {}", source_chain(&e)),
            },
            other => Error::Engine {
                status: None,
                message: format!("{reg}: {other}"),
            },
        }
    }
}

/// An error with its causes (reqwest hides "connection refused" below).
fn source_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cur = c.source();
    }
    s
}

/// Asks a registry what authentication it wants (its `/v2/` challenge).
pub async fn challenge(registry: &str) -> Option<Challenge> {
    let scheme = if is_loopback(registry) {
        "http"
    } else {
        "https"
    };
    let resp = reqwest::Client::builder()
        .connect_timeout(std::time::Duration::from_secs(5))
        .build()
        .ok()?
        .get(format!("{scheme}://{registry}/v2/"))
        .send()
        .await
        .ok()?;
    let h = resp.headers().get("www-authenticate")?.to_str().ok()?;
    credentials::parse_challenge(h)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_registries_are_plain_http() {
        for (r, plain) in [
            ("127.0.0.1:5000", true),
            ("localhost:5000", true),
            ("localhost", true),
            ("[::1]:5000", true),
            ("docker.io", false),
            ("registry.example:5000", false),
            ("10.0.0.1:5000", false),
        ] {
            assert_eq!(is_loopback(r), plain, "{r}");
        }
    }

    #[test]
    fn platforms_read_like_the_platform_flag() {
        let p = platform_of(
            &serde_json::json!({"os": "linux", "architecture": "arm64", "variant": "v8"}),
        );
        assert_eq!(p.label(), "linux/arm64/v8");
        let p = platform_of(
            &serde_json::json!({"os": "linux", "architecture": "amd64", "variant": ""}),
        );
        assert_eq!(p.label(), "linux/amd64");
    }
}
