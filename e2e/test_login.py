"""B4 in the real app: log in to the password-protected registry on
127.0.0.1:5001 by mouse. A wrong password is refused and stores nothing;
the right one goes to docker-credential-pass (a throw-away gpg key), never
into a file of Berth's or the docker config in plain text; the docker CLI
then pushes with it; logout erases it."""

import os
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest

from conftest import Profile, docker

REGISTRY = "127.0.0.1:5001"
PASSWORD = "berth-secret"


@pytest.fixture
def pass_store():
    gnupg = tempfile.mkdtemp(prefix="g", dir="/tmp")
    store = tempfile.mkdtemp(prefix="berth-pass-")
    env = {"GNUPGHOME": gnupg, "PASSWORD_STORE_DIR": store}
    run = lambda *a: subprocess.run(a, env={**os.environ, **env}, check=True, capture_output=True, text=True)
    run("gpg", "--batch", "--passphrase", "", "--quick-gen-key", "berth-e2e@example.invalid", "default", "default", "never")
    fpr = next(
        line.split(":")[9] for line in run("gpg", "--list-keys", "--with-colons").stdout.splitlines() if line.startswith("fpr:")
    )
    run("pass", "init", fpr)
    yield env
    subprocess.run(["gpgconf", "--kill", "gpg-agent"], env={**os.environ, **env}, check=False)


def files_with(root, needle):
    hits = []
    for dirpath, _, files in os.walk(root):
        for f in files:
            p = Path(dirpath) / f
            try:
                if needle in p.read_bytes():
                    hits.append(str(p))
            except OSError:
                pass
    return hits


def test_log_in_push_with_it_and_log_out(launch, pass_store, tmp_path):
    config = tmp_path / "docker-config"
    config.mkdir()
    profile = Profile()
    env = {**pass_store, "DOCKER_CONFIG": str(config)}
    image = f"{REGISTRY}/berth-e2e-login-{uuid.uuid4().hex[:8]}:1"
    try:
        app = launch(profile, env)
        app.find('[data-testid="nav-registries"]').click()
        app.find('[data-testid="login-none"]')
        assert "No credential helper" in app.find('[data-testid="login-store"]').text
        helper = next(r for r in app.all('[data-testid="login-helper"]') if r.get_attribute("value") == "pass")
        helper.click()

        app.find('[data-testid="login-server"]').send_keys(REGISTRY)
        app.find('[data-testid="login-username"]').send_keys("berth")
        app.find('[data-testid="login-password"]').send_keys("wrong")
        app.find('[data-testid="login-submit"]').click()
        error = app.find('[data-testid="login-error"]', timeout=20)
        assert "401" in error.text and "nothing was stored" in error.text, error.text
        assert app.find('[data-testid="login-password"]').get_attribute("value") == ""
        assert not (config / "config.json").exists()

        app.find('[data-testid="login-password"]').send_keys(PASSWORD)
        app.find('[data-testid="login-submit"]').click()
        done = app.find('[data-testid="login-done"]', timeout=20)
        assert "docker-credential-pass" in done.text, done.text
        row = app.find(f'[data-testid="login-row"][data-server="{REGISTRY}"]')
        assert "berth" in row.text and "docker-credential-pass" in row.text, row.text
        assert "docker-credential-pass" in app.find('[data-testid="login-store"]').text
        app.shot("login")

        # No file Berth wrote (its data folder, settings, the docker config) holds it.
        for root in (profile.root, config):
            assert files_with(root, PASSWORD.encode()) == [], root

        # The docker CLI uses what Berth stored.
        docker("tag", "berth-fixture/busybox:1", image)
        pushed = subprocess.run(
            ["docker", "--config", str(config), "push", image],
            env={**os.environ, **pass_store},
            capture_output=True,
            text=True,
        )
        assert pushed.returncode == 0, pushed.stderr

        row.find_element("css selector", '[data-testid="logout"]').click()
        app.find('[data-testid="logout-confirm"]').click()
        assert "docker-credential-pass" in app.find('[data-testid="logout-done"]').text
        app.wait(lambda: not app.all('[data-testid="login-row"]'), what="the row gone")
        listed = subprocess.run(
            ["docker-credential-pass", "list"], env={**os.environ, **pass_store}, capture_output=True, text=True
        )
        assert REGISTRY not in listed.stdout
    finally:
        docker("image", "rm", image, check=False)
