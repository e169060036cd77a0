//! Engines on other machines over SSH (E5a), as the docker CLI reaches
//! them: `ssh://[user@]host[:port][/socket-path]`, the remote running
//! `docker system dial-stdio` (with `--host=unix://PATH` when a path is
//! given). Berth speaks SSH itself (russh), so that it can check the host's
//! key against `~/.ssh/known_hosts` (hashed entries too) and *ask* on first
//! contact, which the system `ssh` in batch mode cannot.
//!
//! One shape keeps every client of Berth's unchanged: a private local socket
//! (0600, in the user's runtime folder); each connection to it is piped over
//! an SSH channel running dial-stdio.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use russh::client;
use russh::keys::{self, HashAlg, PrivateKeyWithHashAlg, PublicKey};
use serde::Serialize;
use specta::Type;

use crate::engine::endpoint::Failure;
use crate::engine::tunnel::{self, Tunnel};
use crate::said::Said;

/// How long connecting and the first answers may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// SSH keepalives, so a dead link is noticed and E2 takes over.
const KEEPALIVE: Duration = Duration::from_secs(15);

/// An `ssh://` address as the docker CLI reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SshUrl {
    pub user: Option<String>,
    pub host: String,
    pub port: Option<u16>,
    /// The remote engine's socket, when not the remote's default.
    pub socket: Option<String>,
}

/// Reads `ssh://[user@]host[:port][/socket-path]`.
pub fn parse(url: &str) -> std::result::Result<SshUrl, Said> {
    let bad = || Said::SshUrlBad { value: url.into() };
    let rest = url.strip_prefix("ssh://").ok_or_else(bad)?;
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], Some(&rest[i..])),
        None => (rest, None),
    };
    let (user, hostport) = match authority.rsplit_once('@') {
        Some((u, h)) => (Some(u.to_string()).filter(|u| !u.is_empty()), h),
        None => (None, authority),
    };
    let (host, port) = match hostport.strip_prefix('[') {
        Some(v6) => {
            let (h, after) = v6.split_once(']').ok_or_else(bad)?;
            let port = match after.strip_prefix(':') {
                Some(p) => Some(p.parse::<u16>().map_err(|_| bad())?),
                None if after.is_empty() => None,
                None => return Err(bad()),
            };
            (h.to_string(), port)
        }
        None => match hostport.rsplit_once(':') {
            Some((h, p)) => (h.to_string(), Some(p.parse::<u16>().map_err(|_| bad())?)),
            None => (hostport.to_string(), None),
        },
    };
    let ok_host = !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b".-_:".contains(&b));
    let ok_user = user.as_deref().is_none_or(|u| {
        u.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
    });
    if !ok_host || !ok_user || port == Some(0) {
        return Err(bad());
    }
    let socket = path.filter(|p| *p != "/").map(str::to_string);
    if socket.as_deref().is_some_and(|s| {
        !s.bytes()
            .all(|b| b.is_ascii_graphic() && b != b'\'' && b != b'\\')
    }) {
        return Err(bad());
    }
    Ok(SshUrl {
        user,
        host,
        port,
        socket,
    })
}

/// Where to connect, once `~/.ssh/config` is applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    pub user: String,
    /// The host name connected to, and checked in `known_hosts`.
    pub host: String,
    pub port: u16,
    pub identity_files: Vec<PathBuf>,
    pub socket: Option<String>,
}

/// The paths SSH reads, under a home folder.
#[derive(Debug, Clone)]
pub struct SshFiles {
    pub home: PathBuf,
    /// The user's agent, `SSH_AUTH_SOCK`.
    pub agent: Option<PathBuf>,
}

impl SshFiles {
    pub fn known_hosts(&self) -> PathBuf {
        self.home.join(".ssh").join("known_hosts")
    }
    fn config(&self) -> PathBuf {
        self.home.join(".ssh").join("config")
    }
}

/// Applies `~/.ssh/config` (`Host` aliases, `HostName`, `User`, `Port`,
/// `IdentityFile`) as ssh does; the URL's own user and port win.
pub fn resolve(url: &SshUrl, files: &SshFiles, local_user: &str) -> Resolved {
    // `~` is this home folder (the parser would read the process's).
    let home_dir = format!("{}/", files.home.display());
    let params = std::fs::read_to_string(files.config())
        .ok()
        .map(|text| {
            text.replace(" ~/", &format!(" {home_dir}"))
                .replace("\t~/", &format!("\t{home_dir}"))
        })
        .and_then(|text| {
            ssh2_config::SshConfig::default()
                .parse(
                    &mut std::io::BufReader::new(text.as_bytes()),
                    ssh2_config::ParseRule::ALLOW_UNKNOWN_FIELDS
                        | ssh2_config::ParseRule::ALLOW_UNSUPPORTED_FIELDS,
                )
                .ok()
        })
        .map(|c| c.query(&url.host));
    let home = files.home.clone();
    let tilde = move |p: &Path| match p.strip_prefix("~") {
        Ok(rest) => home.join(rest),
        Err(_) => p.to_path_buf(),
    };
    let mut identity_files: Vec<PathBuf> = params
        .as_ref()
        .and_then(|p| p.identity_file.clone())
        .unwrap_or_default()
        .iter()
        .map(|p| tilde(p))
        .collect();
    if identity_files.is_empty() {
        for name in ["id_ed25519", "id_ecdsa", "id_rsa"] {
            identity_files.push(files.home.join(".ssh").join(name));
        }
    }
    Resolved {
        user: url
            .user
            .clone()
            .or_else(|| params.as_ref().and_then(|p| p.user.clone()))
            .unwrap_or_else(|| local_user.to_string()),
        host: params
            .as_ref()
            .and_then(|p| p.host_name.clone())
            .unwrap_or_else(|| url.host.clone()),
        port: url
            .port
            .or_else(|| params.as_ref().and_then(|p| p.port))
            .unwrap_or(22),
        identity_files,
        socket: url.socket.clone(),
    }
}

/// A host key the user has not trusted yet: shown, then trusted or not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct HostKey {
    pub host: String,
    pub port: u16,
    /// `ssh-ed25519`, `ecdsa-sha2-nistp256`, `ssh-rsa`…
    pub algorithm: String,
    /// `SHA256:…`, as `ssh-keygen -lf` prints it.
    pub fingerprint: String,
    /// The key in OpenSSH form, to write to `known_hosts` once trusted.
    pub openssh: String,
}

fn host_key_of(host: &str, port: u16, key: &PublicKey) -> HostKey {
    HostKey {
        host: host.into(),
        port,
        algorithm: key.algorithm().as_str().to_string(),
        fingerprint: key.fingerprint(HashAlg::Sha256).to_string(),
        openssh: key.to_openssh().unwrap_or_default(),
    }
}

/// What the host key check found.
#[derive(Debug, Clone)]
enum Checked {
    Known,
    Unknown(HostKey),
    Changed { path: String, line: u32 },
    Unreadable(String),
}

struct Handler {
    host: String,
    port: u16,
    known_hosts: PathBuf,
    checked: Arc<Mutex<Option<Checked>>>,
}

impl client::Handler for Handler {
    type Error = russh::Error;

    async fn check_server_key(
        &mut self,
        key: &russh::keys::PublicKeyOrCertificate,
    ) -> Result<bool, Self::Error> {
        let russh::keys::PublicKeyOrCertificate::PublicKey { key, .. } = key else {
            *self.checked.lock().unwrap_or_else(|p| p.into_inner()) = Some(Checked::Unreadable(
                "host certificates are not supported".into(),
            ));
            return Ok(false);
        };
        let found =
            match keys::check_known_hosts_path(&self.host, self.port, key, &self.known_hosts) {
                Ok(true) => Checked::Known,
                Ok(false) => Checked::Unknown(host_key_of(&self.host, self.port, key)),
                Err(keys::Error::KeyChanged { line }) => Checked::Changed {
                    path: self.known_hosts.display().to_string(),
                    line: crate::said::len32(real_line(&self.known_hosts, line)),
                },
                Err(e) => Checked::Unreadable(e.to_string()),
            };
        let ok = matches!(found, Checked::Known);
        *self.checked.lock().unwrap_or_else(|p| p.into_inner()) = Some(found);
        Ok(ok)
    }
}

/// russh numbers `known_hosts` entries without their comment lines; the
/// user edits the file by its real lines.
fn real_line(path: &Path, entry: usize) -> usize {
    let Ok(text) = std::fs::read_to_string(path) else {
        return entry;
    };
    let mut seen = 0;
    for (i, l) in text.lines().enumerate() {
        if !l.starts_with('#') {
            seen += 1;
            if seen == entry {
                return i + 1;
            }
        }
    }
    entry
}

/// Why an SSH engine could not be reached: the kind (for the engine-down
/// screen), Berth's words, and the host key to ask about on first contact.
#[derive(Debug, Clone)]
pub struct SshFailure {
    pub failure: Failure,
    pub said: Said,
    pub host_key: Option<HostKey>,
    /// A key file that needs its passphrase (the user is asked).
    pub locked_key: Option<String>,
}

fn fail(failure: Failure, said: Said) -> SshFailure {
    SshFailure {
        failure,
        said,
        host_key: None,
        locked_key: None,
    }
}

/// Passphrases the user typed for key files: held in this process's memory
/// only, never written, so each run of Berth asks once per key.
static PASSPHRASES: std::sync::LazyLock<Mutex<std::collections::HashMap<PathBuf, String>>> =
    std::sync::LazyLock::new(Default::default);

fn passphrase_of(key: &Path) -> Option<String> {
    PASSPHRASES
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .get(key)
        .cloned()
}

/// Unlocks the key file `key` with `passphrase` and, if it opens, keeps the
/// passphrase in memory for this run. A wrong one is refused, naming the file.
pub fn unlock(key: &Path, passphrase: &str) -> crate::error::Result<()> {
    keys::load_secret_key(key, Some(passphrase)).map_err(|_| {
        crate::error::Error::said(
            "passphrase",
            Said::SshPassphraseWrong {
                key: key.display().to_string(),
            },
        )
    })?;
    PASSPHRASES
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .insert(key.to_path_buf(), passphrase.to_string());
    Ok(())
}

/// How logging in ended.
enum Login {
    In,
    Refused,
    /// Refused, and this key file (encrypted) was not tried: its passphrase
    /// is needed, or the one kept for it no longer opens it.
    Locked(PathBuf, bool),
}

/// The remote command that pipes the engine's API over the channel.
fn dial_command(socket: Option<&str>) -> String {
    match socket {
        Some(s) => format!("docker --host='unix://{s}' system dial-stdio"),
        None => "docker system dial-stdio".into(),
    }
}

async fn authenticate(
    session: &mut client::Handle<Handler>,
    r: &Resolved,
    files: &SshFiles,
) -> std::result::Result<Login, SshFailure> {
    let rsa_hash = session
        .best_supported_rsa_hash()
        .await
        .ok()
        .flatten()
        .flatten();
    // The agent first (passphrase-protected keys live there), then key
    // files without a passphrase.
    // The agent's socket is a unix socket (Windows' OpenSSH agent is a
    // named pipe, not read yet).
    #[cfg(unix)]
    if let Some(sock) = &files.agent {
        if let Ok(mut agent) = keys::agent::client::AgentClient::connect_uds(sock).await {
            for id in agent.request_identities().await.unwrap_or_default() {
                let key = id.public_key().into_owned();
                if let Ok(a) = session
                    .authenticate_publickey_with(&r.user, key, rsa_hash, &mut agent)
                    .await
                {
                    if a.success() {
                        return Ok(Login::In);
                    }
                }
            }
        }
    }
    let mut locked = None;
    for f in &r.identity_files {
        let key = match keys::load_secret_key(f, None) {
            Ok(k) => k,
            Err(keys::Error::KeyIsEncrypted) => match passphrase_of(f) {
                Some(p) => match keys::load_secret_key(f, Some(&p)) {
                    Ok(k) => k,
                    Err(_) => {
                        locked.get_or_insert((f.clone(), true));
                        continue;
                    }
                },
                None => {
                    locked.get_or_insert((f.clone(), false));
                    continue;
                }
            },
            Err(_) => continue,
        };
        let key = PrivateKeyWithHashAlg::new(Arc::new(key), rsa_hash);
        match session.authenticate_publickey(&r.user, key).await {
            Ok(a) if a.success() => return Ok(Login::In),
            Ok(_) => {}
            Err(e) => {
                return Err(fail(
                    Failure::Other,
                    Said::SshFailed {
                        host: r.host.clone(),
                        detail: e.to_string(),
                    },
                ))
            }
        }
    }
    Ok(match locked {
        Some((f, wrong)) => Login::Locked(f, wrong),
        None => Login::Refused,
    })
}

/// Runs `command` on the remote: its exit status and what it printed.
async fn run(
    session: &client::Handle<Handler>,
    command: &str,
) -> std::result::Result<(u32, String), russh::Error> {
    let mut ch = session.channel_open_session().await?;
    ch.exec(true, command).await?;
    let mut out = Vec::new();
    let mut status = None;
    while let Some(msg) = ch.wait().await {
        match msg {
            russh::ChannelMsg::Data { data } | russh::ChannelMsg::ExtendedData { data, .. }
                if out.len() < 64 * 1024 =>
            {
                out.extend_from_slice(&data);
            }
            russh::ChannelMsg::ExitStatus { exit_status } => status = Some(exit_status),
            _ => {}
        }
    }
    Ok((
        status.unwrap_or(255),
        String::from_utf8_lossy(&out).trim().to_string(),
    ))
}

/// Connects, checks the host key, logs in, checks the remote's docker, and
/// serves a local socket at `socket` piping each connection over SSH.
pub async fn open(
    url: &str,
    files: &SshFiles,
    local_user: &str,
    socket: &Path,
) -> std::result::Result<Tunnel, SshFailure> {
    let parsed = parse(url).map_err(|said| fail(Failure::Other, said))?;
    let r = resolve(&parsed, files, local_user);
    let checked = Arc::new(Mutex::new(None));
    let handler = Handler {
        host: r.host.clone(),
        port: r.port,
        known_hosts: files.known_hosts(),
        checked: checked.clone(),
    };
    let config = Arc::new(client::Config {
        keepalive_interval: Some(KEEPALIVE),
        keepalive_max: 3,
        inactivity_timeout: None,
        ..Default::default()
    });
    let addr = format!("{}:{}", r.host, r.port);
    let connected = tokio::time::timeout(
        CONNECT_TIMEOUT,
        client::connect(config, (r.host.as_str(), r.port), handler),
    )
    .await;
    let mut session = match connected {
        Err(_) => {
            return Err(fail(
                Failure::Timeout,
                Said::NoAnswerWithin {
                    address: addr,
                    secs: CONNECT_TIMEOUT.as_secs() as u32,
                },
            ))
        }
        Ok(Ok(s)) => s,
        Ok(Err(e)) => {
            let checked = checked.lock().unwrap_or_else(|p| p.into_inner()).clone();
            return Err(match checked {
                Some(Checked::Unknown(key)) => SshFailure {
                    failure: Failure::HostKeyUnknown,
                    said: Said::SshHostKeyUnknown {
                        host: addr,
                        algorithm: key.algorithm.clone(),
                        fingerprint: key.fingerprint.clone(),
                    },
                    host_key: Some(key),
                    locked_key: None,
                },
                Some(Checked::Changed { path, line }) => fail(
                    Failure::HostKeyChanged,
                    Said::SshHostKeyChanged {
                        host: addr,
                        path,
                        line,
                    },
                ),
                Some(Checked::Unreadable(detail)) => fail(
                    Failure::HostKeyChanged,
                    Said::SshKnownHostsUnreadable {
                        path: files.known_hosts().display().to_string(),
                        detail,
                    },
                ),
                _ => match &e {
                    russh::Error::IO(io) => fail(
                        crate::engine::endpoint::classify_io(io),
                        Said::SshUnreachable {
                            host: addr,
                            detail: io.to_string(),
                        },
                    ),
                    other => fail(
                        Failure::Other,
                        Said::SshFailed {
                            host: addr,
                            detail: other.to_string(),
                        },
                    ),
                },
            });
        }
    };
    match authenticate(&mut session, &r, files).await? {
        Login::In => {}
        Login::Refused => {
            return Err(fail(
                Failure::AuthFailed,
                Said::SshAuthFailed {
                    user: r.user.clone(),
                    host: addr,
                },
            ))
        }
        Login::Locked(key, wrong) => {
            let key = key.display().to_string();
            let said = if wrong {
                Said::SshPassphraseWrong { key: key.clone() }
            } else {
                Said::SshPassphraseNeeded {
                    key: key.clone(),
                    host: addr,
                }
            };
            return Err(SshFailure {
                locked_key: Some(key),
                ..fail(Failure::PassphraseNeeded, said)
            });
        }
    }
    // The remote's docker, asked once so that its absence, or a socket it
    // may not open, is named rather than seen as a broken stream.
    let probe = match &r.socket {
        Some(s) => {
            format!("docker --host='unix://{s}' version --format '{{{{.Server.APIVersion}}}}'")
        }
        None => "docker version --format '{{.Server.APIVersion}}'".into(),
    };
    match run(&session, &probe).await {
        Ok((0, _)) => {}
        Ok((127, _)) => return Err(fail(Failure::NotDocker, Said::SshNoDocker { host: addr })),
        Ok((_, out)) if out.to_ascii_lowercase().contains("permission denied") => {
            return Err(fail(
                Failure::PermissionDenied,
                Said::SshRemotePermission {
                    host: addr,
                    detail: out,
                },
            ))
        }
        Ok((_, out)) => {
            return Err(fail(
                Failure::Refused,
                Said::SshRemoteEngine {
                    host: addr,
                    detail: out,
                },
            ))
        }
        Err(e) => {
            return Err(fail(
                Failure::Other,
                Said::SshFailed {
                    host: addr,
                    detail: e.to_string(),
                },
            ))
        }
    }
    let session = Arc::new(session);
    let command = dial_command(r.socket.as_deref());
    tunnel::serve(socket, move || {
        let session = session.clone();
        let command = command.clone();
        async move {
            let ch = session.channel_open_session().await.ok()?;
            ch.exec(true, command).await.ok()?;
            Some(ch.into_stream())
        }
    })
    .map_err(|e| {
        fail(
            Failure::Other,
            Said::PathFailed {
                path: socket.display().to_string(),
                detail: e.to_string(),
            },
        )
    })
}

/// Trusts a host key the user was shown: written to `known_hosts` as ssh
/// writes it (`[host]:port` for a port other than 22). Refused if the key
/// does not read.
pub fn trust(files: &SshFiles, key: &HostKey) -> crate::error::Result<()> {
    let parsed = PublicKey::from_openssh(&key.openssh).map_err(|e| {
        crate::error::Error::said(
            "key",
            Said::SshKeyUnreadable {
                detail: e.to_string(),
            },
        )
    })?;
    if parsed.fingerprint(HashAlg::Sha256).to_string() != key.fingerprint {
        return Err(crate::error::Error::said(
            "key",
            Said::SshKeyUnreadable {
                detail: "the key does not match its fingerprint".into(),
            },
        ));
    }
    let path = files.known_hosts();
    let io = |e: std::io::Error| crate::error::Error::path("known_hosts", &path, &e);
    let host = if key.port == 22 {
        key.host.clone()
    } else {
        format!("[{}]:{}", key.host, key.port)
    };
    let line = parsed.to_openssh().map_err(|e| {
        crate::error::Error::said(
            "key",
            Said::SshKeyUnreadable {
                detail: e.to_string(),
            },
        )
    })?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    let before = std::fs::read_to_string(&path).unwrap_or_default();
    let sep = if before.is_empty() || before.ends_with('\n') {
        ""
    } else {
        "\n"
    };
    use std::io::Write;
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .and_then(|mut f| writeln!(f, "{sep}{host} {line}"))
        .map_err(io)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_read_as_the_docker_cli_reads_them() {
        let u = parse("ssh://me@build.example:2222/run/user/1000/docker.sock").unwrap();
        assert_eq!(u.user.as_deref(), Some("me"));
        assert_eq!((u.host.as_str(), u.port), ("build.example", Some(2222)));
        assert_eq!(u.socket.as_deref(), Some("/run/user/1000/docker.sock"));
        let u = parse("ssh://host").unwrap();
        assert_eq!((u.user, u.port, u.socket), (None, None, None));
        let u = parse("ssh://[::1]:22").unwrap();
        assert_eq!(u.host, "::1");
        for bad in [
            "ssh://",
            "ssh://h:x",
            "ssh://h:0",
            "tcp://h",
            "ssh://a b",
            "ssh://h/so'ck",
            "ssh://u;rm@h",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn ssh_config_aliases_apply_and_the_url_wins() {
        let home = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(home.path().join(".ssh")).unwrap();
        std::fs::write(
            home.path().join(".ssh/config"),
            "Host lab\n  HostName 127.0.0.1\n  User learner\n  Port 2222\n  IdentityFile ~/.ssh/lab_key\n",
        )
        .unwrap();
        let files = SshFiles {
            home: home.path().into(),
            agent: None,
        };
        let r = resolve(&parse("ssh://lab").unwrap(), &files, "root");
        assert_eq!(
            (r.user.as_str(), r.host.as_str(), r.port),
            ("learner", "127.0.0.1", 2222)
        );
        assert_eq!(r.identity_files, [home.path().join(".ssh/lab_key")]);
        let r = resolve(&parse("ssh://me@lab:22").unwrap(), &files, "root");
        assert_eq!((r.user.as_str(), r.port), ("me", 22));
        let r = resolve(&parse("ssh://other").unwrap(), &files, "root");
        assert_eq!(
            (r.user.as_str(), r.host.as_str(), r.port),
            ("root", "other", 22)
        );
    }

    #[test]
    fn the_dial_command_quotes_its_socket() {
        assert_eq!(dial_command(None), "docker system dial-stdio");
        assert_eq!(
            dial_command(Some("/run/docker.sock")),
            "docker --host='unix:///run/docker.sock' system dial-stdio"
        );
    }
}
