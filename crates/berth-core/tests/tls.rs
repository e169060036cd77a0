//! E5b against a real second dockerd with `--tlsverify` on loopback, its
//! certificates made here (rcgen): it lists (proved by its own data root),
//! through explicit files, a context the docker CLI also reads, and
//! DOCKER_TLS_VERIFY; a wrong CA, an expired client certificate, a client
//! certificate of another CA, none at all, and a host name the certificate
//! does not name are each refused with their own words; plain TCP asks first.
//!
//! One test: the engine takes seconds to start, and is stopped (and its
//! bridge deleted) when the test ends, pass or fail.
//!
//! Careful (seen here): a second dockerd must never run with `--bridge=none`
//! in the host's network namespace; it deletes `docker0`. It gets a bridge
//! of its own and no iptables rules.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests fail by panicking"
)]

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use berth_core::engine::contexts::{self, NewContext};
use berth_core::engine::endpoint::{Address, Attempt, Candidate, Environment, Failure, Source};
use berth_core::engine::tls::TlsFiles;
use berth_core::said::Said;
use berth_core::Engine;
use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, ExtendedKeyUsagePurpose, IsCa,
    KeyPair,
};

/// A CA that signs certificates for the test.
struct Ca {
    issuer: CertifiedIssuer<'static, KeyPair>,
}

impl Ca {
    fn new(name: &str) -> Ca {
        let mut p = CertificateParams::new(Vec::<String>::new()).unwrap();
        p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        p.distinguished_name.push(DnType::CommonName, name);
        Ca {
            issuer: CertifiedIssuer::self_signed(p, KeyPair::generate().unwrap()).unwrap(),
        }
    }

    fn write(&self, path: &Path) -> PathBuf {
        std::fs::write(path, self.issuer.pem()).unwrap();
        path.to_path_buf()
    }

    /// Writes `NAME.pem` and `NAME-key.pem` into `dir`.
    fn sign(
        &self,
        dir: &Path,
        name: &str,
        names: &[&str],
        usage: ExtendedKeyUsagePurpose,
        years: Option<(i32, i32)>,
    ) -> (PathBuf, PathBuf) {
        let mut p = CertificateParams::new(names.iter().map(|n| n.to_string()).collect::<Vec<_>>())
            .unwrap();
        p.distinguished_name.push(DnType::CommonName, name);
        p.extended_key_usages = vec![usage];
        if let Some((from, to)) = years {
            p.not_before = rcgen::date_time_ymd(from, 1, 1);
            p.not_after = rcgen::date_time_ymd(to, 1, 1);
        }
        let key = KeyPair::generate().unwrap();
        let cert = p.signed_by(&key, &self.issuer).unwrap();
        let (c, k) = (
            dir.join(format!("{name}.pem")),
            dir.join(format!("{name}-key.pem")),
        );
        std::fs::write(&c, cert.pem()).unwrap();
        std::fs::write(&k, key.serialize_pem()).unwrap();
        (c, k)
    }
}

fn run(cmd: &mut Command) -> std::process::Output {
    cmd.output().expect("run")
}

/// A dockerd of the test's own on loopback with `--tlsverify`, stopped
/// (and its bridge deleted) when dropped.
struct TlsEngine {
    dir: tempfile::TempDir,
    port: u16,
    bridge: String,
    child: Child,
}

impl TlsEngine {
    fn start(ca: &Path, cert: &Path, key: &Path) -> TlsEngine {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let port = common::free_port();
        let bridge = format!("berthtls{}", std::process::id() % 100_000);
        let net = 200 + std::process::id() % 50;
        let ip = |args: &[&str]| run(Command::new("ip").args(args));
        ip(&["link", "add", &bridge, "type", "bridge"]);
        ip(&["addr", "add", &format!("10.213.{net}.1/24"), "dev", &bridge]);
        ip(&["link", "set", &bridge, "up"]);
        std::fs::write(d.join("daemon.json"), "{}").unwrap();
        let log = std::fs::File::create(d.join("dockerd.log")).unwrap();
        let child = Command::new("dockerd")
            .arg("--config-file")
            .arg(d.join("daemon.json"))
            .arg("--data-root")
            .arg(d.join("data"))
            .arg("--exec-root")
            .arg(d.join("x"))
            .arg("--pidfile")
            .arg(d.join("dockerd.pid"))
            .arg("-H")
            .arg(format!("unix://{}/docker.sock", d.display()))
            .arg("-H")
            .arg(format!("tcp://127.0.0.1:{port}"))
            .args(["--tlsverify", "--tlscacert"])
            .arg(ca)
            .arg("--tlscert")
            .arg(cert)
            .arg("--tlskey")
            .arg(key)
            .args(["--bridge", &bridge, "--iptables=false", "--ip-masq=false"])
            .args(["--storage-driver", "vfs"])
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("dockerd (scripts/setup.sh installs docker.io)");
        let engine = TlsEngine {
            dir,
            port,
            bridge,
            child,
        };
        for _ in 0..300 {
            if engine.dir.path().join("docker.sock").exists()
                && std::net::TcpStream::connect(("127.0.0.1", port)).is_ok()
            {
                return engine;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!(
            "the TLS dockerd did not start: {}",
            std::fs::read_to_string(engine.dir.path().join("dockerd.log")).unwrap_or_default()
        );
    }
}

impl Drop for TlsEngine {
    fn drop(&mut self) {
        let _ = run(Command::new("kill").arg(self.child.id().to_string()));
        for _ in 0..100 {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = run(Command::new("ip").args(["link", "del", &self.bridge]));
    }
}

fn env_in(home: &Path) -> Environment {
    Environment {
        home: Some(home.to_path_buf()),
        xdg_runtime_dir: Some(home.join("run")),
        ..Default::default()
    }
}

async fn connect(host: &str, files: TlsFiles, env: &Environment) -> Result<Engine, Failure> {
    attempt(host, files, env).await.map_err(|a| a.failure)
}

/// As [`connect`], the whole attempt on failure (Berth's words in it).
async fn attempt(host: &str, files: TlsFiles, env: &Environment) -> Result<Engine, Attempt> {
    let (h, p) = host.rsplit_once(':').unwrap();
    let c = Candidate {
        address: Address::Tcp {
            host: h.into(),
            port: p.parse().unwrap(),
            tls: Some(files),
        },
        source: Source::DockerHost,
    };
    Engine::connect_with(&c, env).await.inspect_err(|a| {
        eprintln!("{host}: {:?}: {}", a.failure, a.detail);
    })
}

#[tokio::test]
async fn a_tls_engine_lists_and_every_wrong_certificate_is_named() {
    let certs = tempfile::tempdir().unwrap();
    let c = certs.path();
    let ca = Ca::new("Berth test CA");
    let ca_pem = ca.write(&c.join("ca.pem"));
    let other = Ca::new("Some other CA");
    let other_pem = other.write(&c.join("other-ca.pem"));
    use ExtendedKeyUsagePurpose::{ClientAuth, ServerAuth};
    let (server, server_key) = ca.sign(c, "server", &["127.0.0.1"], ServerAuth, None);
    let (client, client_key) = ca.sign(c, "client", &[], ClientAuth, None);
    let (expired, expired_key) = ca.sign(c, "expired", &[], ClientAuth, Some((2020, 2021)));
    let (stranger, stranger_key) = other.sign(c, "stranger", &[], ClientAuth, None);
    let engine = TlsEngine::start(&ca_pem, &server, &server_key);
    let home = tempfile::tempdir().unwrap();
    let env = env_in(home.path());
    let at = format!("127.0.0.1:{}", engine.port);
    let files = |ca: &Path, cert: Option<&Path>, key: Option<&Path>| TlsFiles {
        ca: ca.into(),
        cert: cert.map(Into::into),
        key: key.map(Into::into),
    };

    // It lists: the engine answering is the test's own (its data root).
    let e = connect(&at, files(&ca_pem, Some(&client), Some(&client_key)), &env)
        .await
        .expect("the TLS engine answers");
    let info = e.info().await.unwrap();
    assert_eq!(
        Path::new(&info.docker_root_dir),
        engine.dir.path().join("data")
    );
    assert!(!info.insecure, "TLS is not flagged as plain TCP");
    assert_eq!(info.endpoint, format!("tcp://{at}"));
    assert!(e.list_containers(true).await.unwrap().is_empty());
    assert!(e.is_local(), "loopback over TLS still publishes ports here");
    // BuildKit through the TLS tunnel: its session (file sync) goes the same way.
    let ctx = tempfile::tempdir().unwrap();
    std::fs::write(ctx.path().join("hello.txt"), "over tls\n").unwrap();
    std::fs::write(
        ctx.path().join("Dockerfile"),
        "FROM scratch\nCOPY hello.txt /hello.txt\n",
    )
    .unwrap();
    let form = berth_core::build::BuildForm {
        folder: ctx.path().display().to_string(),
        tag: "berth-tls-build:1".into(),
        builder: berth_core::build::Builder::BuildKit,
        ..Default::default()
    };
    let built = e
        .build(&form, |_| {})
        .await
        .expect("a BuildKit build over TLS");
    let steps: Vec<_> = built.steps.iter().map(|s| (s.step, s.cache)).collect();
    assert_eq!(
        steps.last(),
        Some(&(2, berth_core::build::StepCache::Miss)),
        "{steps:?}"
    );
    assert!(e
        .list_images()
        .await
        .unwrap()
        .iter()
        .any(|i| i.id == built.id && i.repository.as_deref() == Some("berth-tls-build")));
    drop(e);

    // A wrong CA: the engine's certificate is not trusted.
    let wrong_ca = connect(
        &at,
        files(&other_pem, Some(&client), Some(&client_key)),
        &env,
    )
    .await;
    assert_eq!(wrong_ca.err(), Some(Failure::TlsUntrusted));

    // An expired client certificate: named before anything is sent.
    let a = attempt(
        &at,
        files(&ca_pem, Some(&expired), Some(&expired_key)),
        &env,
    )
    .await
    .err()
    .unwrap();
    assert_eq!(a.failure, Failure::TlsExpired);
    match a.said {
        Some(Said::TlsClientExpired { path, date }) => {
            assert_eq!(Path::new(&path), expired);
            assert!(date.contains("2021"), "{date}");
        }
        other => panic!("{other:?}"),
    }

    // The engine's own verdict: a client certificate of another CA, and none.
    let stranger_said = connect(
        &at,
        files(&ca_pem, Some(&stranger), Some(&stranger_key)),
        &env,
    )
    .await;
    assert_eq!(stranger_said.err(), Some(Failure::TlsRefused));
    let none = attempt(&at, files(&ca_pem, None, None), &env)
        .await
        .err()
        .unwrap();
    assert_eq!(none.failure, Failure::TlsRefused);
    assert!(
        matches!(none.said, Some(Said::TlsNeedsClientCert { .. })),
        "{none:?}"
    );

    // A name the certificate does not name (it names 127.0.0.1 only).
    let by_name = format!("localhost:{}", engine.port);
    let mismatch = connect(
        &by_name,
        files(&ca_pem, Some(&client), Some(&client_key)),
        &env,
    )
    .await;
    assert_eq!(mismatch.err(), Some(Failure::TlsNameMismatch));

    // Something that speaks TLS with a good certificate but not Docker's
    // API (an echo server reversing what it is sent): not taken for an engine.
    let port = common::free_port();
    let mut echo = Command::new("openssl")
        .args(["s_server", "-quiet", "-rev", "-accept"])
        .arg(format!("127.0.0.1:{port}"))
        .arg("-cert")
        .arg(&server)
        .arg("-key")
        .arg(&server_key)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("openssl");
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let not_docker = attempt(
        &format!("127.0.0.1:{port}"),
        files(&ca_pem, Some(&client), Some(&client_key)),
        &env,
    )
    .await
    .err()
    .unwrap();
    let _ = echo.kill();
    let _ = echo.wait();
    assert_eq!(not_docker.failure, Failure::NotDocker);
    assert!(
        matches!(not_docker.said, Some(Said::TlsNotDocker { .. })),
        "{not_docker:?}"
    );

    // Plain TCP asks first; TLS files name their field when wrong.
    let mut new = NewContext {
        name: "plain".into(),
        host: format!("tcp://{at}"),
        ..Default::default()
    };
    let refused = contexts::create(&env, &new).unwrap_err();
    assert_eq!(refused.field(), Some("plainTcp"), "{refused}");
    new.plain_tcp = true;
    contexts::create(&env, &new).expect("accepted after the warning");
    let half = NewContext {
        name: "half".into(),
        host: format!("tcp://{at}"),
        ca: ca_pem.display().to_string(),
        cert: client.display().to_string(),
        ..Default::default()
    };
    assert_eq!(
        contexts::create(&env, &half).unwrap_err().field(),
        Some("cert")
    );
    let not_pem = NewContext {
        ca: client_key.display().to_string(),
        ..half.clone()
    };
    let e = contexts::create(&env, &not_pem).unwrap_err();
    assert_eq!(e.field(), Some("ca"), "{e}");

    // "Test connection" with the form's files, then saved as a context
    // that the docker CLI reads too, and that Berth connects through.
    let form = NewContext {
        name: "tls-lab".into(),
        host: format!("tcp://{at}"),
        description: "TLS test engine".into(),
        ca: ca_pem.display().to_string(),
        cert: client.display().to_string(),
        key: client_key.display().to_string(),
        plain_tcp: false,
    };
    let tested = Engine::test_host(&env, &form).await.unwrap();
    assert!(tested.attempt.is_none(), "{:?}", tested.attempt);
    assert_eq!(tested.containers, Some(0));
    let cli = contexts::create(&env, &form).unwrap();
    assert!(
        cli.starts_with(&format!(
            "docker context create tls-lab --docker 'host=tcp://{at},ca="
        )),
        "{cli}"
    );
    let listed = contexts::list(&env).unwrap();
    let row = listed.rows.iter().find(|r| r.name == "tls-lab").unwrap();
    assert!(row.tls && row.unusable.is_none(), "{row:?}");
    let out = run(Command::new("docker")
        .env("DOCKER_CONFIG", home.path().join(".docker"))
        .env_remove("DOCKER_HOST")
        .args([
            "--context",
            "tls-lab",
            "info",
            "--format",
            "{{.DockerRootDir}}",
        ]));
    assert!(
        out.status.success(),
        "the CLI reads the context: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        Path::new(String::from_utf8_lossy(&out.stdout).trim()),
        engine.dir.path().join("data")
    );
    let through_context = Engine::connect(&Environment {
        docker_context: Some("tls-lab".into()),
        ..env.clone()
    })
    .await
    .expect("Berth connects through the saved context");
    assert_eq!(
        through_context.endpoint(),
        format!("tcp://{at}"),
        "shown as the user wrote it"
    );
    drop(through_context);

    // Edited as the form edits it: prefilled from the row (the context's own
    // TLS files), a new description; the CLI sees it, the files survive.
    let row = contexts::list(&env)
        .unwrap()
        .rows
        .into_iter()
        .find(|r| r.name == "tls-lab")
        .unwrap();
    assert!(
        row.ca.ends_with("/docker/ca.pem") && !row.key.is_empty(),
        "{row:?}"
    );
    let edit = NewContext {
        name: row.name.clone(),
        host: row.endpoint.clone(),
        description: "edited".into(),
        ca: row.ca.clone(),
        cert: row.cert.clone(),
        key: row.key.clone(),
        plain_tcp: false,
    };
    let line = contexts::update(&env, &edit).unwrap();
    assert!(
        line.starts_with("docker context update tls-lab --description edited --docker"),
        "{line}"
    );
    let described = run(Command::new("docker")
        .env("DOCKER_CONFIG", home.path().join(".docker"))
        .args(["context", "inspect", "tls-lab"]));
    let described: serde_json::Value = serde_json::from_slice(&described.stdout).unwrap();
    assert_eq!(described[0]["Metadata"]["Description"], "edited");
    assert_eq!(
        described[0]["Endpoints"]["docker"]["Host"],
        format!("tcp://{at}")
    );
    assert!(
        std::fs::metadata(&row.key).unwrap().len() > 0,
        "the key kept"
    );
    Engine::connect(&Environment {
        docker_context: Some("tls-lab".into()),
        ..env.clone()
    })
    .await
    .expect("still connects after the edit");
    let gone = NewContext {
        name: "nobody".into(),
        ..edit.clone()
    };
    assert!(
        contexts::update(&env, &gone).is_err(),
        "only an existing context is updated"
    );
    let plain = NewContext {
        ca: String::new(),
        cert: String::new(),
        key: String::new(),
        plain_tcp: true,
        ..edit
    };
    contexts::update(&env, &plain).unwrap();
    assert!(
        !Path::new(&row.ca).exists(),
        "no longer TLS: its files removed"
    );

    // DOCKER_TLS_VERIFY with DOCKER_CERT_PATH, as the CLI reads them.
    let cert_path = tempfile::tempdir().unwrap();
    for (from, to) in [
        (&ca_pem, "ca.pem"),
        (&client, "cert.pem"),
        (&client_key, "key.pem"),
    ] {
        std::fs::copy(from, cert_path.path().join(to)).unwrap();
    }
    let by_env = Engine::connect(&Environment {
        docker_host: Some(format!("tcp://{at}")),
        docker_tls_verify: true,
        docker_cert_path: Some(cert_path.path().to_path_buf()),
        ..env.clone()
    })
    .await
    .expect("DOCKER_TLS_VERIFY connects");
    assert!(by_env.ping().await.is_ok());
}
