//! B4 against the real engine, the password-protected registry on
//! 127.0.0.1:5001 and a real credential helper (docker-credential-pass, its
//! store encrypted with a throw-away gpg key): a wrong password stores
//! nothing; a right one goes to the helper and never into a file in plain
//! text; the docker CLI then pushes with what Berth stored; a plain-text
//! entry the CLI left is replaced; logout erases it.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails by panicking"
)]

mod common;

use std::path::Path;

use berth_core::registry::credentials::{self, Credentials};
use berth_core::registry::login::{self, LoginForm, Stored};
use berth_core::Error;
use common::*;

const REGISTRY: &str = "127.0.0.1:5001";
const PASSWORD: &str = "berth-secret";

/// A gpg key and a `pass` store of this test's own.
struct PassStore {
    gnupg: tempfile::TempDir,
    _store: tempfile::TempDir,
}

impl PassStore {
    fn new() -> PassStore {
        let gnupg = tempfile::Builder::new()
            .prefix("g")
            .tempdir_in("/tmp")
            .unwrap();
        let store = tempfile::tempdir().unwrap();
        // This binary's only test sets these; the helper (and the docker
        // CLI's helper) inherit them.
        std::env::set_var("GNUPGHOME", gnupg.path());
        std::env::set_var("PASSWORD_STORE_DIR", store.path());
        let ok = |c: &mut std::process::Command| {
            let out = c
                .output()
                .expect("gpg and pass are installed by scripts/setup.sh test");
            assert!(
                out.status.success(),
                "{c:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            String::from_utf8_lossy(&out.stdout).to_string()
        };
        ok(std::process::Command::new("gpg").args([
            "--batch",
            "--passphrase",
            "",
            "--quick-gen-key",
            "berth-test@example.invalid",
            "default",
            "default",
            "never",
        ]));
        let keys = ok(std::process::Command::new("gpg").args(["--list-keys", "--with-colons"]));
        let fpr = keys
            .lines()
            .find_map(|l| {
                l.strip_prefix("fpr:")
                    .map(|r| r.trim_matches(':').to_string())
            })
            .unwrap();
        ok(std::process::Command::new("pass").args(["init", &fpr]));
        PassStore {
            gnupg,
            _store: store,
        }
    }
}

impl Drop for PassStore {
    fn drop(&mut self) {
        let _ = std::process::Command::new("gpgconf")
            .args(["--kill", "gpg-agent"])
            .env("GNUPGHOME", self.gnupg.path())
            .output();
    }
}

/// Every file under `dir` that holds `needle`.
fn files_with(dir: &Path, needle: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if let Ok(b) = std::fs::read(&p) {
                if b.windows(needle.len()).any(|w| w == needle) {
                    out.push(p.display().to_string());
                }
            }
        }
    }
    out
}

fn form(server: &str, user: &str, password: &str, helper: Option<&str>) -> LoginForm {
    LoginForm {
        server: server.into(),
        username: user.into(),
        password: password.into(),
        helper: helper.map(str::to_string),
    }
}

#[tokio::test]
async fn login_keeps_the_password_in_the_helper_and_logout_erases_it() {
    let pass = PassStore::new();
    let engine = engine().await;
    let config = tempfile::tempdir().unwrap();
    let dir = config.path();

    // Bad input names its field.
    for (f, field) in [
        (form("a b", "berth", PASSWORD, Some("pass")), "server"),
        (form(REGISTRY, " ", PASSWORD, Some("pass")), "username"),
        (form(REGISTRY, "berth", "", Some("pass")), "password"),
        (
            form(REGISTRY, "berth", PASSWORD, Some("nosuchhelper")),
            "helper",
        ),
    ] {
        match engine.login(dir, &f).await {
            Err(Error::InvalidInput { field: got, .. }) => assert_eq!(got, field),
            other => panic!("{f:?}: {other:?}"),
        }
    }
    // No helper configured and none chosen: refused, the installed ones named.
    match engine
        .login(dir, &form(REGISTRY, "berth", PASSWORD, None))
        .await
    {
        Err(Error::InvalidInput { field, message, .. }) => {
            assert_eq!(field, "helper");
            assert!(message.contains("pass"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    // A wrong password: the registry's refusal, nothing stored anywhere.
    match engine
        .login(dir, &form(REGISTRY, "berth", "wrong", Some("pass")))
        .await
    {
        Err(Error::AuthRequired {
            registry, message, ..
        }) => {
            assert_eq!(registry, REGISTRY);
            assert!(
                message.contains("401"),
                "the engine's words kept: {message}"
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(
        !dir.join("config.json").exists(),
        "nothing written after a refusal"
    );
    // A helper that cannot list is said, in its own words.
    std::fs::write(dir.join("config.json"), r#"{"credsStore": "nosuchhelper"}"#).unwrap();
    let broken = login::logins(dir).await.unwrap();
    assert_eq!(broken.problems.len(), 1, "{:?}", broken.problems);
    assert!(broken.problems[0].contains("docker-credential-nosuchhelper list"));
    std::fs::remove_file(dir.join("config.json")).unwrap();
    assert!(login::logins(dir).await.unwrap().rows.is_empty());

    // The right one: into pass, pass made the default, no secret in a file.
    let done = engine
        .login(dir, &form(REGISTRY, "berth", PASSWORD, Some("pass")))
        .await
        .unwrap();
    assert_eq!((done.helper.as_str(), done.made_default), ("pass", true));
    assert_eq!(done.status, "Login Succeeded");
    assert_eq!(
        done.command,
        "docker login 127.0.0.1:5001 -u berth --password-stdin"
    );
    let cfg: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("config.json")).unwrap()).unwrap();
    assert_eq!(cfg["credsStore"], "pass");
    assert_eq!(cfg["auths"][REGISTRY], serde_json::json!({}));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.join("config.json"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    for d in [
        dir,
        Path::new(&std::env::var("PASSWORD_STORE_DIR").unwrap()),
    ] {
        assert!(
            files_with(d, PASSWORD.as_bytes()).is_empty(),
            "{:?}",
            files_with(d, PASSWORD.as_bytes())
        );
    }
    let listed = login::logins(dir).await.unwrap();
    assert_eq!(listed.default_helper.as_deref(), Some("pass"));
    assert_eq!(listed.rows.len(), 1);
    assert_eq!(listed.rows[0].username.as_deref(), Some("berth"));
    assert_eq!(
        listed.rows[0].stored,
        Stored::Helper {
            name: "pass".into()
        }
    );
    assert_eq!(
        credentials::lookup_in(dir, REGISTRY).await.unwrap().0,
        Credentials::Basic {
            user: "berth".into(),
            secret: PASSWORD.into()
        }
    );

    // The docker CLI pushes with what Berth stored.
    let p = prefix("login");
    let image = format!("{REGISTRY}/{p}:1");
    let _gone = Untag(vec![image.clone()]);
    docker_ok(&["tag", FIXTURE, &image]);
    let config_arg = dir.display().to_string();
    let (pushed, out) = docker(&["--config", &config_arg, "push", &image]);
    assert!(pushed, "{out}");

    // Berth's own push uses the login too: a second image on the same base
    // sends only its new layer; the shared ones the registry already has.
    let second = format!("{REGISTRY}/{p}-second:1");
    let _gone2 = Untag(vec![second.clone()]);
    let ctx = tempfile::tempdir().unwrap();
    std::fs::write(
        ctx.path().join("Dockerfile"),
        format!("FROM {image}\nRUN echo {p} > /second\n"),
    )
    .unwrap();
    docker_ok(&["build", "-q", "-t", &second, &ctx.path().to_string_lossy()]);
    let creds = credentials::lookup_in(dir, REGISTRY).await.unwrap().0;
    let mut events = Vec::new();
    engine
        .push(&second, Some(creds), |e| events.push(e))
        .await
        .unwrap();
    let mut last = std::collections::BTreeMap::new();
    for e in &events {
        if let berth_core::images::push::PushEvent::Layer { id, phase, .. } = e {
            last.insert(id.clone(), *phase);
        }
    }
    use berth_core::images::push::PushPhase;
    let phases: Vec<PushPhase> = last.values().copied().collect();
    let base: usize = docker_ok(&["image", "inspect", "-f", "{{len .RootFS.Layers}}", FIXTURE])
        .parse()
        .unwrap();
    assert_eq!(phases.len(), base + 1, "{events:?}");
    let pushed = phases.iter().filter(|p| **p == PushPhase::Pushed).count();
    assert_eq!(pushed, 1, "only the new layer is sent: {events:?}");
    let skipped = phases
        .iter()
        .filter(|p| matches!(p, PushPhase::AlreadyExists | PushPhase::Mounted))
        .count();
    assert_eq!(
        skipped, base,
        "the base's layers are not sent again: {events:?}"
    );

    // A plain-text entry the CLI left is replaced by the helper's.
    let mut cfg = cfg;
    cfg["auths"]["127.0.0.1:5000"] = serde_json::json!({"auth": "b2xkOnBsYWluLXNlY3JldA=="});
    std::fs::write(dir.join("config.json"), cfg.to_string()).unwrap();
    let rows = login::logins(dir).await.unwrap().rows;
    let plain = rows.iter().find(|r| r.server == "127.0.0.1:5000").unwrap();
    assert_eq!(
        (plain.stored.clone(), plain.username.as_deref()),
        (Stored::PlainText, Some("old"))
    );
    let again = engine
        .login(dir, &form("127.0.0.1:5000", "berth", "any", None))
        .await
        .unwrap();
    assert!(again.removed_plain_text && !again.made_default);
    assert!(files_with(dir, b"b2xkOnBsYWluLXNlY3JldA==").is_empty());

    // Logout erases it from the helper and the file.
    let out = login::logout(dir, REGISTRY).await.unwrap();
    assert_eq!(out.removed_from, vec!["docker-credential-pass".to_string()]);
    assert_eq!(out.command, "docker logout 127.0.0.1:5001");
    assert_eq!(
        credentials::lookup_in(dir, REGISTRY).await.unwrap().0,
        Credentials::Anonymous
    );
    assert!(!login::logins(dir)
        .await
        .unwrap()
        .rows
        .iter()
        .any(|r| r.server == REGISTRY));
    assert!(matches!(
        login::logout(dir, REGISTRY).await,
        Err(Error::NotFound { .. })
    ));
    drop(pass);
}
