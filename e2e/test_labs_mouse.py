"""Labs (L5) done by mouse in the real window: each step through its Berth
way (the screen opened filled in, then submitted by a click, as a learner
would), a file edited on the host where the notes have the learner edit
one, and each tick seen in the lab. test_labs.py does the same labs by the
commands the window shows."""

from pathlib import Path

import pytest
from conftest import docker
from test_details import type_in
from test_foundation import shown_text
from test_labs import PARAMS, REGISTRY, labs_profile, open_lab, step_done, wait_tick  # noqa: F401


def back_to_lab(app):
    app.find('[data-testid="nav-labs"]').click()


def way(app, step):
    """Back in the lab, the step's Berth way."""
    back_to_lab(app)
    app.find(f'[data-testid="lab-step-{step}"] [data-testid="lab-berth-way"]', timeout=15).click()


def submit_run(app, name=None):
    if name is not None:
        field = app.find('[data-testid="run-name"]')
        field.clear()
        field.send_keys(name)
    submit = app.find('[data-testid="run-submit"]')
    app.wait(submit.is_enabled, timeout=15, what="the Run dialog's check")
    submit.click()
    app.wait(lambda: not app.all(".modal-backdrop"), timeout=20, what="the Run dialog closed")


def ticked(app, step, limit=4):
    back_to_lab(app)
    wait_tick(app, step, limit=limit)


def workspace(app):
    return Path(app.find('[data-testid="lab-workspace"]').get_attribute("textContent").strip())


def pull_submit(app):
    submit = app.find('[data-testid="pull-submit"]', timeout=15)
    app.wait(submit.is_enabled, what="the reference read")
    submit.click()


def build(app):
    app.find('[data-testid="build-start"]', timeout=15)
    app.wait(lambda: app.find('[data-testid="build-start"]').is_enabled(), timeout=15, what="the build's plan")
    app.find('[data-testid="build-start"]').click()
    app.find('[data-testid="build-done"]', timeout=60)


def select_container(app, name):
    """The container found by name in the list's search, as a learner finds
    one among many, then selected: the actions that follow are its own."""
    back_to_lab(app)
    app.find('[data-testid="nav-containers"]').click()
    app.find('[data-testid="containers-search"]').send_keys(name)
    app.find(f'[data-testid="container-row"][data-name="{name}"]', timeout=15).click()
    app.wait(
        lambda: app.find('[data-testid="container-actions"]').get_attribute("data-name") == name,
        what=f"{name} selected",
    )


def remove_container(app, name):
    """An exited container removed: the list shows it exited first."""
    select_container(app, name)
    row = f'[data-testid="container-row"][data-name="{name}"]'
    app.wait(lambda: app.find(row).get_attribute("data-state") == "exited", what=f"{name} shown exited")
    app.find('[data-testid="action-remove"]').click()
    app.find('[data-testid="remove-dialog"]')
    app.find('[data-testid="remove-confirm"]').click()
    app.wait(lambda: not app.all(f'[data-testid="container-row"][data-name="{name}"]'), what=f"{name} removed")


@pytest.mark.timeout(300)
def test_the_web_lab_by_mouse(launch, labs_profile, tmp_path):  # noqa: F811
    app = launch(labs_profile)
    open_lab(app, "web")
    way(app, "run")
    submit_run(app)
    ticked(app, "run")
    ticked(app, "open")
    # A page written on the host, copied in where the Berth way opens.
    page = tmp_path / "index.html"
    page.write_text("<h1>Hello from the host</h1>\n")
    way(app, "edit")
    app.find('[data-testid="files-host-path"]', timeout=15).send_keys(str(page))
    app.find('[data-testid="files-copy-in-path"]').click()
    try:
        app.find('[data-testid="files-overwrite-yes"]', timeout=15).click()
    finally:
        app.shot("lab-web-copy-in")
    ticked(app, "edit")
    ticked(app, "see")
    app.find('[data-testid="lab-complete"]')


@pytest.mark.timeout(300)
def test_the_layers_lab_by_mouse(launch, labs_profile):  # noqa: F811
    app = launch(labs_profile)
    open_lab(app, "layers")
    way(app, "pull")
    pull_submit(app)
    app.find('[data-testid="pull-done"]', timeout=60)
    ticked(app, "pull")
    # The ID and the digest read off the image's view, typed in the lab.
    way(app, "id")
    image_id = shown_text(app.find('[data-testid="image-id"]', timeout=15)).strip()
    digests = shown_text(app.find('[data-testid="image-repo-digests"]'))
    digest = next(w for w in digests.replace("@", " ").split() if w.startswith("sha256:"))
    back_to_lab(app)
    # The digest typed for the ID first: the hint tells them apart.
    app.find('[data-testid="lab-step-id"] [data-testid="lab-answer"]').send_keys(digest)
    app.find('[data-testid="lab-step-id"] [data-testid="lab-answer-check"]').click()
    hint = app.find('[data-testid="lab-step-id"] [data-testid="lab-hint"]', timeout=10)
    assert "digest" in hint.text, hint.text
    field = app.find('[data-testid="lab-step-id"] [data-testid="lab-answer"]')
    field.clear()
    field.send_keys(image_id)
    app.find('[data-testid="lab-step-id"] [data-testid="lab-answer-check"]').click()
    wait_tick(app, "id")
    app.find('[data-testid="lab-step-digest"] [data-testid="lab-answer"]').send_keys(digest)
    app.find('[data-testid="lab-step-digest"] [data-testid="lab-answer-check"]').click()
    wait_tick(app, "digest")


@pytest.mark.timeout(300)
def test_the_commit_lab_by_mouse(launch, labs_profile):  # noqa: F811
    app = launch(labs_profile)
    open_lab(app, "commit")
    way(app, "run")
    submit_run(app)
    # The interactive run opens its terminal: write the file there.
    rows = app.find('[data-testid="terminal"] .xterm-rows', timeout=20)
    app.wait(lambda: "#" in rows.get_attribute("textContent"), timeout=15, what="the prompt")
    type_in(app, "echo Hyeonuk >> /ch03.txt\n")
    ticked(app, "run")
    ticked(app, "write")
    way(app, "commit")
    app.find('[data-testid="changes-commit"]', timeout=15).click()
    app.find('[data-testid="commit-image"]').send_keys("lab-commit-soln:1")
    app.wait(lambda: app.find('[data-testid="commit-submit"]').is_enabled(), what="Commit enabled")
    app.find('[data-testid="commit-submit"]').click()
    app.find('[data-testid="commit-done"]', timeout=20)
    ticked(app, "commit")
    way(app, "check")
    assert app.find('[data-testid="run-image"]').get_attribute("value") == "lab-commit-soln:1"
    submit_run(app)
    ticked(app, "check", limit=8)


@pytest.mark.timeout(400)
def test_the_cache_lab_by_mouse(launch, labs_profile):  # noqa: F811
    app = launch(labs_profile)
    open_lab(app, "cache")
    work = workspace(app)
    way(app, "build")
    assert app.find('[data-testid="build-folder"]').get_attribute("value") == str(work)
    build(app)
    ticked(app, "build")
    (work / "index.html").write_text("<h1>Version 2</h1>\n")
    way(app, "change")
    build(app)
    ticked(app, "change")
    # Reordered in the learner's editor: COPY after the slow steps.
    lines = (work / "Dockerfile").read_text().splitlines()
    copy = next(line for line in lines if line.startswith("COPY"))
    lines.remove(copy)
    lines.insert(len(lines) - 1, copy)
    (work / "Dockerfile").write_text("\n".join(lines) + "\n")
    way(app, "reorder")
    build(app)
    ticked(app, "reorder")
    (work / "index.html").write_text("<h1>Version 3</h1>\n")
    way(app, "rebuild")
    build(app)
    ticked(app, "rebuild")


@pytest.mark.timeout(300)
def test_the_share_lab_by_mouse(launch, labs_profile):  # noqa: F811
    app = launch(labs_profile)
    open_lab(app, "share")
    target = f"{REGISTRY}/lab/share:1"
    way(app, "tag")
    app.find('[data-testid="image-tag"]', timeout=15).click()
    app.find('[data-testid="image-tag-target"]').send_keys(target)
    app.find('[data-testid="image-tag-save"]').click()
    ticked(app, "tag")
    way(app, "push")
    app.find('[data-testid="image-push"]', timeout=15).click()
    app.find('[data-testid="push-start"]').click()
    app.find('[data-testid="push-done"]', timeout=60)
    ticked(app, "push")
    way(app, "remove")
    app.find('[data-testid="image-remove"]', timeout=15).click()
    app.find('[data-testid="image-remove-confirm"]').click()
    ticked(app, "remove")
    way(app, "pull")
    pull_submit(app)
    app.find('[data-testid="pull-done"]', timeout=60)
    ticked(app, "pull")


@pytest.mark.timeout(400)
def test_the_volumes_lab_by_mouse(launch, labs_profile):  # noqa: F811
    app = launch(labs_profile)
    open_lab(app, "volumes")
    work = workspace(app)
    way(app, "two")
    submit_run(app)
    way(app, "two")
    submit_run(app, name="lab-rn2")
    ticked(app, "two", limit=8)
    for n in ("1", "2"):
        select_container(app, f"lab-rn{n}")
        app.find('[data-testid="action-details"]').click()
        app.find('[data-testid="tab-files"]').click()
        app.find('[data-testid="files-entry"][data-name="random"] [data-testid="files-open"]', timeout=15).click()
        app.find('[data-testid="files-entry"][data-name="number.txt"] [data-testid="files-pick"]', timeout=15).click()
        field = app.find('[data-testid="files-host-path"]')
        field.clear()
        field.send_keys(str(work / f"rn{n}"))
        app.find('[data-testid="files-copy-out-path"]').click()
        app.find('[data-testid="files-copy-result"]', timeout=20)
    ticked(app, "copy")
    way(app, "volume")
    submit_run(app)
    ticked(app, "volume", limit=8)
    remove_container(app, "lab-rn3")
    way(app, "outlive")
    submit_run(app)
    ticked(app, "outlive", limit=8)
    # The same number came back out of the volume.
    assert docker("logs", "lab-rn4").stdout.strip()
