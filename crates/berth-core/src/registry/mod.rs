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
use crate::said::Said;

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

fn platform_of(p: Option<&oci_client::manifest::Platform>) -> Platform {
    match p {
        Some(p) => Platform {
            os: p.os.to_string(),
            architecture: p.architecture.to_string(),
            variant: p.variant.clone().filter(|x| !x.is_empty()),
        },
        None => Platform {
            os: String::new(),
            architecture: String::new(),
            variant: None,
        },
    }
}

/// What a manifest says it is, read before its whole shape: schema 1
/// (which Docker no longer pulls) has no `mediaType` and no `config`.
#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct Kind {
    schema_version: Option<i64>,
    media_type: Option<String>,
    manifests: Option<serde::de::IgnoredAny>,
}

/// An image's config blob, as much of it as the tree shows.
#[derive(serde::Deserialize, Default)]
struct ImageConfig {
    #[serde(default)]
    os: String,
    #[serde(default)]
    architecture: String,
    #[serde(default)]
    variant: Option<String>,
    #[serde(default)]
    created: Option<String>,
    #[serde(default)]
    rootfs: Rootfs,
}

#[derive(serde::Deserialize, Default)]
struct Rootfs {
    #[serde(default)]
    diff_ids: Vec<String>,
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

    /// A manifest or index, checked against its digest: (bytes, digest).
    async fn manifest(&self, r: &Reference, digest: Option<&str>) -> Result<(Vec<u8>, String)> {
        let oref = self.oci_ref(r, digest);
        let (bytes, digest) = self
            .client
            .pull_manifest_raw(&oref, &self.auth, &ACCEPT)
            .await
            .map_err(|e| self.error(r, e))?;
        Ok((bytes.to_vec(), digest))
    }

    /// `bytes` read as `T` (oci-client's types), or what is wrong with it.
    fn read<T: serde::de::DeserializeOwned>(
        &self,
        bytes: &[u8],
        what: &str,
        digest: &str,
    ) -> Result<T> {
        serde_json::from_slice(bytes).map_err(|e| {
            Error::failed(Said::RegistryUnreadable {
                registry: self.registry.clone(),
                what: what.to_string(),
                digest: digest.to_string(),
                detail: e.to_string(),
            })
        })
    }

    /// The tree for `r`, choosing `platform` (or this machine's) in an index.
    pub async fn tree(&self, r: &Reference, platform: Option<&str>) -> Result<RemoteTree> {
        let (top, top_digest) = self.manifest(r, None).await?;
        let top_size = top.len() as i64;
        let kind: Kind = self.read(&top, "manifest", &top_digest)?;
        let media = kind.media_type.clone();
        let is_index =
            kind.manifests.is_some() || matches!(media.as_deref(), Some(OCI_INDEX | DOCKER_LIST));
        if kind.schema_version == Some(1) {
            return Err(Error::failed(Said::ManifestSchema1 {
                registry: self.registry.clone(),
                image: r.familiar.clone(),
            }));
        }
        if !is_index {
            let manifest = self
                .manifest_node(r, &top, top_digest.clone(), media)
                .await?;
            return Ok(RemoteTree {
                reference: r.clone(),
                index: None,
                manifest,
                top_digest,
                credentials: self.source.clone(),
            });
        }
        let index: oci_client::manifest::OciImageIndex = self.read(&top, "index", &top_digest)?;
        let mut platforms = Vec::new();
        for m in index.manifests {
            let p = platform_of(m.platform.as_ref());
            let attestation = p.os == "unknown" || p.architecture == "unknown";
            let config_digest = if attestation {
                None
            } else {
                let (pm, pd) = self.manifest(r, Some(&m.digest)).await?;
                let pm: oci_client::manifest::OciImageManifest = self.read(&pm, "manifest", &pd)?;
                Some(pm.config.digest)
            };
            platforms.push(PlatformNode {
                platform: p,
                media_type: if m.media_type.is_empty() {
                    OCI_MANIFEST.to_string()
                } else {
                    m.media_type
                },
                size: m.size,
                digest: m.digest,
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
                Error::said(
                    "platform",
                    Said::NoSuchPlatform {
                        image: r.familiar.clone(),
                        platform: wanted.clone().unwrap_or_default(),
                        platforms: platforms
                            .iter()
                            .map(|p| p.platform.label())
                            .collect::<Vec<_>>()
                            .join(", "),
                    },
                )
            })?;
        let (pm, pd) = self.manifest(r, Some(&chosen.digest)).await?;
        let pmedia = self.read::<Kind>(&pm, "manifest", &pd)?.media_type;
        let manifest = self.manifest_node(r, &pm, pd, pmedia).await?;
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
        bytes: &[u8],
        digest: String,
        media: Option<String>,
    ) -> Result<ManifestNode> {
        let size = bytes.len() as i64;
        let m: oci_client::manifest::OciImageManifest = self.read(bytes, "manifest", &digest)?;
        let desc = m.config;
        let mut blob = Vec::new();
        self.client
            .pull_blob(&self.oci_ref(r, Some(&digest)), &desc, &mut blob)
            .await
            .map_err(|e| self.error(r, e))?;
        // A config that is not an image's (an artifact's) still draws.
        let config: ImageConfig = serde_json::from_slice(&blob).unwrap_or_default();
        let layers = m
            .layers
            .into_iter()
            .enumerate()
            .map(|(i, l)| LayerNode {
                digest: l.digest,
                media_type: l.media_type,
                size: l.size,
                diff_id: config.rootfs.diff_ids.get(i).cloned(),
            })
            .collect();
        Ok(ManifestNode {
            media_type: media.unwrap_or_else(|| OCI_MANIFEST.into()),
            size,
            config: ConfigNode {
                digest: desc.digest.clone(),
                media_type: desc.media_type.clone(),
                size: desc.size,
                platform: Platform {
                    os: config.os,
                    architecture: config.architecture,
                    variant: config.variant.filter(|v| !v.is_empty()),
                },
                created: config.created,
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
            O::ImageManifestNotFoundError(m) => Error::not_found(Said::NotInRegistry {
                image: what,
                registry: reg.clone(),
                detail: format!("the registry answered 404 ({m})"),
            }),
            O::RegistryError { envelope, .. }
                if envelope.errors.iter().any(|x| {
                    matches!(
                        x.code,
                        C::ManifestUnknown | C::NameUnknown | C::NotFound | C::BlobUnknown
                    )
                }) =>
            {
                Error::not_found(Said::NotInRegistry {
                    image: what,
                    registry: reg.clone(),
                    detail: envelope.to_string(),
                })
            }
            O::RegistryError { envelope, .. }
                if envelope
                    .errors
                    .iter()
                    .any(|x| matches!(x.code, C::Unauthorized | C::Denied)) =>
            {
                Error::auth(
                    reg.clone(),
                    Said::RegistryRefused {
                        registry: reg.clone(),
                        detail: envelope.to_string(),
                    },
                )
            }
            O::ServerError {
                code: 404, message, ..
            } => Error::not_found(Said::NotInRegistry {
                image: what,
                registry: reg.clone(),
                detail: format!("the registry answered 404 ({message})"),
            }),
            O::UnauthorizedError { .. } | O::AuthenticationFailure(_) => Error::auth(
                reg.clone(),
                Said::RegistryWantsLogin {
                    registry: reg.clone(),
                    image: what,
                },
            ),
            O::DigestError(d) => Error::failed(Said::DigestMismatch {
                registry: reg.clone(),
                image: what,
                detail: d.to_string(),
            }),
            O::RequestError(e) => Error::failed(Said::RegistryUnreachable {
                registry: reg.clone(),
                detail: source_chain(&e),
            }),
            other => Error::failed(Said::RegistryFailed {
                registry: reg.clone(),
                detail: other.to_string(),
            }),
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
        let read = |v: serde_json::Value| {
            let p: oci_client::manifest::Platform = serde_json::from_value(v).unwrap();
            platform_of(Some(&p))
        };
        let p = read(serde_json::json!({"os": "linux", "architecture": "arm64", "variant": "v8"}));
        assert_eq!(p.label(), "linux/arm64/v8");
        let p = read(serde_json::json!({"os": "linux", "architecture": "amd64", "variant": ""}));
        assert_eq!(p.label(), "linux/amd64");
        let p = read(serde_json::json!({"os": "unknown", "architecture": "unknown"}));
        assert_eq!(p.label(), "unknown/unknown", "an attestation's platform");
    }
}
