"""I5, I3, I6 in the real app: pull an image from the local registry and
watch its layers arrive (a mistyped reference is refused before any
request), open its layers, then remove it."""

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
        # A refused reference shows the refusal alone: no example beside it.
        assert not app.all('[data-testid^="pull-reference-read"]')
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

        # Its layers: the EXPOSE step adds no files; the base is shared.
        row = f'[data-testid="image-row"][data-ref="{ref}"]'
        app.wait(lambda: app.all(row), what="the pulled image in the list")
        app.find(row).click()
        app.find('[data-testid="tab-layers"]').click()
        app.wait(lambda: app.all('[data-testid="history-step"]'), what="the history")
        steps = app.all('[data-testid="history-step"]')
        expose = [s for s in steps if "EXPOSE" in shown_text(s)]
        assert expose and expose[0].get_attribute("data-empty") == "true"
        shared = [shown_text(s) for s in app.all('[data-testid="layer-shared"]')]
        assert any("berth-fixture/web:1" in s for s in shared), shared
        app.shot("image-layers")

        # Remove it: its last tag, so the image goes.
        app.find('[data-testid="image-remove"]').click()
        dialog = app.find('[data-testid="image-remove-dialog"]')
        assert "docker image rm" in shown_text(dialog)
        app.find('[data-testid="image-remove-confirm"]').click()
        app.wait(lambda: app.all('[data-testid="screen-images"]'), what="back to the list")
        app.wait(lambda: not app.all(row), what="the row gone")
        assert docker("image", "inspect", ref, check=False).returncode != 0
    finally:
        docker("image", "rm", ref, check=False)


def test_run_from_an_image_opens_the_new_container(launch):
    cname = f"berth-e2e-fromimg-{uuid.uuid4().hex[:8]}"
    try:
        app = launch()
        app.find('[data-testid="nav-images"]', timeout=20).click()
        row = '[data-testid="image-row"][data-ref="berth-fixture/web:1"]'
        app.wait(lambda: app.all(row), what="the web fixture")
        app.find(row).click()
        app.find('[data-testid="image-run"]').click()
        assert app.find('[data-testid="run-image"]').get_attribute("value") == "berth-fixture/web:1"
        app.find('[data-testid="run-name"]').send_keys(cname)
        app.wait(lambda: app.find('[data-testid="run-submit"]').is_enabled(), what="Run enabled")
        app.find('[data-testid="run-submit"]').click()
        details = app.find('[data-testid="container-details"]', timeout=15)
        app.wait(lambda: cname in shown_text(details), what="the new container's details")
        assert docker("inspect", "-f", "{{.Config.Image}}", cname).stdout.strip() == "berth-fixture/web:1"
    finally:
        docker("rm", "-f", cname, check=False)


def test_push_to_the_local_registry_skips_the_layers_it_has(launch):
    ref = f"{REGISTRY}/berth-e2e/pushed-{uuid.uuid4().hex[:8]}:1"
    docker("tag", "berth-fixture/web:1", ref)
    try:
        app = launch()
        app.find('[data-testid="nav-images"]', timeout=20).click()
        row = f'[data-testid="image-row"][data-ref="{ref}"]'
        app.wait(lambda: app.all(row), what="the tagged image")
        app.find(row).click()
        app.find('[data-testid="image-push"]').click()
        assert f"docker image push {ref}" in shown_text(app.find('[data-testid="push-panel"]'))
        app.find('[data-testid="push-start"]').click()
        app.find('[data-testid="push-done"]', timeout=30)
        phases = {layer.get_attribute("data-phase") for layer in app.all('[data-testid="push-layer"]')}
        # The fixture's layers were pushed to the registry by the set-up.
        assert phases and phases <= {"alreadyExists", "mounted", "preparing", "waiting"}, phases
        digest = docker("image", "inspect", "--format", "{{json .RepoDigests}}", ref).stdout
        assert shown_text(app.find('[data-testid="push-done"] code')) in digest, digest
        app.shot("push")
    finally:
        docker("image", "rm", ref, check=False)
