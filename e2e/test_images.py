"""I5 in the real app: pull an image from the local registry and watch its
layers arrive; a mistyped reference is refused before any request."""

import subprocess
import uuid

from conftest import docker
from test_foundation import shown_text

REGISTRY = "127.0.0.1:5000"


def test_pull_from_the_local_registry_shows_each_layer_and_the_digest(launch):
    tag = uuid.uuid4().hex[:8]
    ref = f"{REGISTRY}/berth-e2e/web-{tag}:1"
    # One new layer on the web fixture, so the pull has something to fetch.
    subprocess.run(
        ["docker", "build", "-q", "-t", ref, "-"],
        input=f"FROM berth-fixture/web:1\nRUN echo {tag} > /id\n",
        text=True,
        check=True,
        capture_output=True,
    )
    docker("push", ref)
    docker("image", "rm", ref)
    try:
        app = launch()
        app.find('[data-testid="nav-images"]', timeout=20).click()
        app.find('[data-testid="pull-open"]').click()
        field = app.find('[data-testid="pull-reference"]')
        field.send_keys("Berth/Web")
        app.wait(lambda: app.all('[data-testid="pull-reference-error"]'), what="the reference error")
        assert "must be lowercase" in shown_text(app.find('[data-testid="pull-reference-error"]'))
        assert not app.find('[data-testid="pull-submit"]').is_enabled()
        field.clear()
        field.send_keys(ref)
        app.wait(lambda: app.find('[data-testid="pull-submit"]').is_enabled(), what="Pull enabled")
        assert shown_text(app.find('[data-testid="pull-panel"] [data-testid="cli-command"]')) == f"docker image pull {ref}"
        app.find('[data-testid="pull-submit"]').click()
        app.find('[data-testid="pull-done"]', timeout=30)
        layers = app.all('[data-testid="pull-layer"]')
        want = int(docker("image", "inspect", "--format", "{{len .RootFS.Layers}}", "berth-fixture/web:1").stdout)
        phases = [layer.get_attribute("data-phase") for layer in layers]
        # The fixture's layers are here already; only the new one travels.
        assert phases == ["alreadyExists"] * want + ["complete"], phases
        done = shown_text(app.find('[data-testid="pull-done"]'))
        digest = docker("image", "inspect", "--format", "{{index .RepoDigests 0}}", ref).stdout.strip().split("@")[1]
        assert digest in done, done
        app.shot("pull")
    finally:
        docker("image", "rm", ref, check=False)
