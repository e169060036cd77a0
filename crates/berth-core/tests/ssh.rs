//! E5a against a real OpenSSH server on 127.0.0.1 (its "remote" side is
//! this machine, with the docker CLI and the test engine): first contact
//! shows the fingerprint `ssh-keygen -lf` prints, trusting it lists the
//! engine, the socket path form works, a changed host key and a wrong user
//! key are refused, a passphrase key works through an agent, and a dead
//! sshd is noticed.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests fail by panicking"
)]

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use berth_core::engine::endpoint::{Address, Attempt, Candidate, Environment, Failure, Source};
use berth_core::engine::ssh::{self, SshFiles};
use berth_core::Engine;
use common::free_port;

fn sh(cmd: &mut Command) -> String {
    let out = cmd.output().expect("run");
    assert!(
        out.status.success(),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn keygen(path: &Path, passphrase: &str) {
    sh(Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", passphrase, "-f"])
        .arg(path));
}

/// An sshd of the test's own, killed when dropped.
struct Sshd {
    dir: tempfile::TempDir,
    port: u16,
    child: Child,
}

impl Sshd {
    fn start() -> Sshd {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        keygen(&d.join("host_key"), "");
        keygen(&d.join("user_key"), "");
        std::fs::copy(d.join("user_key.pub"), d.join("authorized_keys")).unwrap();
        let port = free_port();
        std::fs::create_dir_all("/run/sshd").unwrap();
        std::fs::write(
            d.join("sshd_config"),
            format!(
                "Port {port}\nListenAddress 127.0.0.1\nHostKey {d}/host_key\nAuthorizedKeysFile {d}/authorized_keys\n\
                 PidFile {d}/sshd.pid\nUsePAM no\nStrictModes no\nPermitRootLogin prohibit-password\n\
                 PasswordAuthentication no\nKbdInteractiveAuthentication no\n",
                d = d.display()
            ),
        )
        .unwrap();
        let child = Command::new("/usr/sbin/sshd")
            .args(["-D", "-e", "-f"])
            .arg(d.join("sshd_config"))
            .stderr(Stdio::null())
            .spawn()
            .expect("sshd (scripts/setup.sh installs openssh-server)");
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Sshd { dir, port, child }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn url(&self, socket: &str) -> String {
        format!("ssh://root@127.0.0.1:{}{socket}", self.port)
    }
}

impl Drop for Sshd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A home folder that knows `sshd`'s host key, with a key locked by
/// `passphrase` at `at` (under the home), the one sshd authorizes.
fn home_with_locked_key(sshd: &Sshd, at: &str, passphrase: &str) -> (tempfile::TempDir, PathBuf) {
    let home = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(home.path().join(".ssh")).unwrap();
    let key = home.path().join(at);
    keygen(&key, passphrase);
    std::fs::copy(key.with_extension("pub"), sshd.path("authorized_keys")).unwrap();
    let hk = std::fs::read_to_string(sshd.path("host_key.pub")).unwrap();
    std::fs::write(
        home.path().join(".ssh/known_hosts"),
        format!("[127.0.0.1]:{} {hk}", sshd.port),
    )
    .unwrap();
    (home, key)
}

/// A home folder with `key` as its default identity.
fn home_with(key: &Path) -> tempfile::TempDir {
    let home = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(home.path().join(".ssh")).unwrap();
    std::fs::copy(key, home.path().join(".ssh/id_ed25519")).unwrap();
    home
}

fn env_of(home: &Path, agent: Option<PathBuf>) -> Environment {
    Environment {
        home: Some(home.to_path_buf()),
        xdg_runtime_dir: Some(home.join("run")),
        ssh_auth_sock: agent,
        ..Default::default()
    }
}

async fn connect(url: &str, env: &Environment) -> Result<Engine, Attempt> {
    let c = Candidate {
        address: Address::Ssh(url.into()),
        source: Source::DockerHost,
    };
    Engine::connect_with(&c, env).await
}

#[tokio::test]
async fn first_contact_asks_with_the_fingerprint_then_the_engine_lists() {
    let sshd = Sshd::start();
    let home = home_with(&sshd.path("user_key"));
    let env = env_of(home.path(), None);
    let url = sshd.url("");

    let a = connect(&url, &env).await.unwrap_err();
    assert_eq!(a.failure, Failure::HostKeyUnknown, "{a:?}");
    let key = a.host_key.clone().expect("the key to show");
    let printed = sh(Command::new("ssh-keygen")
        .arg("-lf")
        .arg(sshd.path("host_key.pub")));
    assert_eq!(
        printed.split_whitespace().nth(1),
        Some(key.fingerprint.as_str()),
        "{printed}"
    );
    assert_eq!(key.algorithm, "ssh-ed25519");

    let files = SshFiles {
        home: home.path().into(),
        agent: None,
    };
    ssh::trust(&files, &key).unwrap();
    let known = std::fs::read_to_string(home.path().join(".ssh/known_hosts")).unwrap();
    assert!(
        known.starts_with(&format!("[127.0.0.1]:{} ssh-ed25519 ", sshd.port)),
        "{known}"
    );

    let engine = connect(&url, &env).await.expect("trusted now");
    assert_eq!(engine.endpoint(), url);
    assert!(!engine.is_local(), "its ports are on the other machine");
    let rows = engine.list_containers(true).await.unwrap();
    let local = common::engine().await.list_containers(true).await.unwrap();
    assert_eq!(rows.len(), local.len(), "the same engine, seen over SSH");

    // The socket path form: docker --host=unix://PATH system dial-stdio.
    let engine = connect(&sshd.url("/var/run/docker.sock"), &env)
        .await
        .expect("with a socket path");
    engine.ping().await.unwrap();

    // BuildKit over SSH: its session and file sync go through the tunnel too.
    let ctx = tempfile::tempdir().unwrap();
    let salt = common::prefix("ssh-build");
    std::fs::write(ctx.path().join("hello.txt"), format!("{salt}\n")).unwrap();
    std::fs::write(
        ctx.path().join("Dockerfile"),
        "FROM scratch\nCOPY hello.txt /hello.txt\n",
    )
    .unwrap();
    let tag = format!("{salt}:1");
    let _gone = common::Untag(vec![tag.clone()]);
    let form = berth_core::build::BuildForm {
        folder: ctx.path().display().to_string(),
        tag: tag.clone(),
        builder: berth_core::build::Builder::BuildKit,
        ..Default::default()
    };
    let built = engine
        .build(&form, |_| {})
        .await
        .expect("a BuildKit build over SSH");
    assert_eq!(
        built.steps.last().map(|s| (s.step, s.cache)),
        Some((2, berth_core::build::StepCache::Miss))
    );
    assert_eq!(
        common::docker_ok(&["image", "inspect", "-f", "{{.Id}}", &tag]),
        built.id
    );
    let a = connect(&sshd.url("/nonexistent/docker.sock"), &env)
        .await
        .unwrap_err();
    assert_eq!(a.failure, Failure::Refused, "{a:?}");
}

#[tokio::test]
async fn a_changed_host_key_and_a_wrong_user_key_are_refused() {
    let sshd = Sshd::start();
    let home = home_with(&sshd.path("user_key"));
    let env = env_of(home.path(), None);
    let url = sshd.url("");
    // known_hosts records another key for this host: as after a MITM.
    let other = home.path().join("other_host_key");
    keygen(&other, "");
    let other_pub = std::fs::read_to_string(other.with_extension("pub")).unwrap();
    std::fs::write(
        home.path().join(".ssh/known_hosts"),
        format!("# a comment\n[127.0.0.1]:{} {}", sshd.port, other_pub),
    )
    .unwrap();
    let a = connect(&url, &env).await.unwrap_err();
    assert_eq!(a.failure, Failure::HostKeyChanged, "{a:?}");
    assert!(a.detail.contains("known_hosts (line 2)"), "{}", a.detail);
    assert!(
        a.host_key.is_none(),
        "nothing to accept: only editing the file gets past it"
    );

    // The right host key, but a user key the server does not know.
    let stranger = home.path().join("stranger");
    keygen(&stranger, "");
    let home2 = home_with(&stranger);
    std::fs::copy(sshd.path("host_key.pub"), home2.path().join("hk.pub")).unwrap();
    let hk = std::fs::read_to_string(sshd.path("host_key.pub")).unwrap();
    std::fs::write(
        home2.path().join(".ssh/known_hosts"),
        format!("[127.0.0.1]:{} {hk}", sshd.port),
    )
    .unwrap();
    let a = connect(&url, &env_of(home2.path(), None))
        .await
        .unwrap_err();
    assert_eq!(a.failure, Failure::AuthFailed, "{a:?}");
}

#[tokio::test]
async fn a_passphrase_key_works_through_the_agent_and_a_dead_sshd_is_noticed() {
    let mut sshd = Sshd::start();
    let (home, key) = home_with_locked_key(&sshd, "locked", "open sesame");

    // Without the agent the locked key cannot be used.
    let url = sshd.url("");
    let a = connect(&url, &env_of(home.path(), None)).await.unwrap_err();
    assert_eq!(a.failure, Failure::AuthFailed, "{a:?}");

    let agent_sock = home.path().join("agent.sock");
    let mut agent = Command::new("ssh-agent")
        .arg("-D")
        .arg("-a")
        .arg(&agent_sock)
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    for _ in 0..100 {
        if agent_sock.exists() {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let askpass = home.path().join("askpass.sh");
    std::fs::write(&askpass, "#!/bin/sh\necho 'open sesame'\n").unwrap();
    std::fs::set_permissions(
        &askpass,
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();
    sh(Command::new("ssh-add")
        .arg(&key)
        .env("SSH_AUTH_SOCK", &agent_sock)
        .env("SSH_ASKPASS", &askpass)
        .env("SSH_ASKPASS_REQUIRE", "force")
        .env("DISPLAY", ":0")
        .stdin(Stdio::null()));
    let engine = connect(&url, &env_of(home.path(), Some(agent_sock.clone())))
        .await
        .expect("through the agent");
    engine.ping().await.unwrap();

    // sshd dies, its sessions too: the engine is lost, as E2 tells it.
    let pid = sshd.child.id().to_string();
    let _ = Command::new("pkill").args(["-KILL", "-P", &pid]).status();
    let _ = sshd.child.kill();
    let _ = sshd.child.wait();
    let lost = tokio::time::timeout(Duration::from_secs(40), async {
        loop {
            if engine.ping().await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    })
    .await;
    assert!(lost.is_ok(), "a dead link is noticed");
    let _ = agent.kill();
    let _ = agent.wait();
}

#[tokio::test]
async fn a_locked_key_file_asks_its_passphrase_and_a_restarted_sshd_is_reached_again() {
    let mut sshd = Sshd::start();
    let (home, key) = home_with_locked_key(&sshd, ".ssh/id_ed25519", "correct horse");
    let url = sshd.url("");
    let env = env_of(home.path(), None);

    // No agent: the key file is locked, and the user is asked for it.
    let a = connect(&url, &env).await.unwrap_err();
    assert_eq!(a.failure, Failure::PassphraseNeeded, "{a:?}");
    assert_eq!(a.locked_key.as_deref(), Some(key.to_str().unwrap()));

    // A wrong passphrase is refused, naming the field; the right one opens it.
    let wrong = ssh::unlock(&key, "battery staple").unwrap_err();
    assert_eq!(wrong.field(), Some("passphrase"));
    ssh::unlock(&key, "correct horse").unwrap();
    let engine = connect(&url, &env).await.expect("the unlocked key logs in");
    engine.ping().await.unwrap();

    // sshd restarts on the same port: the next connection (E2's reconnect)
    // reaches the engine again.
    drop(engine);
    let _ = sshd.child.kill();
    let _ = sshd.child.wait();
    assert!(connect(&url, &env).await.is_err(), "sshd is down");
    sshd.child = Command::new("/usr/sbin/sshd")
        .args(["-D", "-e", "-f"])
        .arg(sshd.path("sshd_config"))
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut back = None;
    for _ in 0..100 {
        if let Ok(e) = connect(&url, &env).await {
            back = Some(e);
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    back.expect("reconnected").ping().await.unwrap();
}
