"""Labs (L5), end to end in the real window: every lab done with the docker
commands the window shows, typed into a shell while the app watches (each
tick within 2 s); the web lab's first step by mouse through its Berth way;
a hint for a port published to the wrong container port; and reset, which
removes what the lab made and leaves a look-alike made by hand. The labs
are the shipped definitions with the project's fixtures as parameters."""

import json
import subprocess
import time

import pytest
from conftest import Profile, docker

PORT = "18088"
REGISTRY = "127.0.0.1:5000"
PARAMS = {
    "web": {"image": "berth-fixture/web:1", "port": PORT, "docroot": "/www"},
    "layers": {"image": f"{REGISTRY}/berth-fixture/tools:1"},
    "commit": {"image": "berth-fixture/busybox:1"},
    "cache": {"base": "berth-fixture/busybox:1"},
    "share": {"image": "berth-fixture/web:1", "registry": REGISTRY},
    "volumes": {"image": "berth-fixture/random-number:1"},
}
LAB_CONTAINERS = ["lab-web", "lab-commit", "lab-rn1", "lab-rn2", "lab-rn3", "lab-rn4", "lab-web-mine"]


def clean():
    docker("rm", "-f", *LAB_CONTAINERS, check=False)
    for c in docker("ps", "-aq", "--filter", "label=berth.lab", check=False).stdout.split():
        docker("rm", "-f", c, check=False)
    docker("volume", "rm", "-f", "lab-numbers", check=False)
    for ref in ["lab-commit-soln:1", "lab-cache:1", "lab-cache:2", "lab-cache:3", "lab-cache:4",
                f"{REGISTRY}/lab/share:1", f"{REGISTRY}/berth-fixture/tools:1"]:
        docker("image", "rm", ref, check=False)
    for i in docker("images", "-q", "--filter", "label=berth.lab", check=False).stdout.split():
        docker("image", "rm", "-f", i, check=False)
    for line in docker("images", "--digests", "--format", "{{.Repository}}@{{.Digest}}", check=False).stdout.split():
        if line.startswith(f"{REGISTRY}/lab/share@"):
            docker("image", "rm", line, check=False)


@pytest.fixture
def labs_profile():
    clean()
    p = Profile()
    p.settings_file.parent.mkdir(parents=True, exist_ok=True)
    p.settings_file.write_text(json.dumps({"settings": {"labs": {k: {"params": v} for k, v in PARAMS.items()}}}))
    yield p
    clean()


def open_lab(app, lab):
    app.find('[data-testid="nav-labs"]').click()
    back = app.all('[data-testid="lab-back"]')
    if back:
        back[0].click()
    app.find(f'[data-testid="lab-open-{lab}"]', timeout=15).click()
    app.find(f'[data-testid="lab-{lab}"]')


def step_done(app, step):
    return app.find(f'[data-testid="lab-step-{step}"]').get_attribute("data-done") == "true"


def step_done_in_bar(app):
    """The lab bar (on other screens) shows a step after the first, or the end."""
    if app.all('[data-testid="lab-bar-complete"]'):
        return True
    return not app.find('[data-testid="lab-bar-step"]').text.startswith("Step 1 of")


def wait_tick(app, step, limit=2.0):
    """Waits for the step's tick; returns how long it took."""
    t0 = time.monotonic()
    app.wait(lambda: step_done(app, step), timeout=limit + 8, what=f"step {step} ticked")
    return time.monotonic() - t0


def shown_commands(app, step):
    el = app.find(f'[data-testid="lab-step-{step}"]')
    return [c.text for c in el.find_elements("css selector", '[data-testid="lab-cli"] [data-testid="cli-command"]')]


def image_id(ref):
    return docker("image", "inspect", "--format", "{{.Id}}", ref).stdout.strip()


def repo_digest(ref):
    return docker("image", "inspect", "--format", "{{index .RepoDigests 0}}", ref).stdout.strip().split("@")[1]


def steps_of(app, lab):
    return [
        e.get_attribute("data-testid").removeprefix("lab-step-")
        for e in app.all(f'[data-testid="lab-{lab}"] [data-testid^="lab-step-"]')
    ]


@pytest.mark.timeout(600)
def test_every_lab_done_in_a_terminal_ticks_each_step_within_two_seconds(launch, labs_profile):
    app = launch(labs_profile)
    times = {}
    for lab in PARAMS:
        open_lab(app, lab)
        for step in steps_of(app, lab):
            if step_done(app, step):
                continue  # ticked with the step before (one command did both)
            answer = app.all(f'[data-testid="lab-step-{step}"] [data-testid="lab-answer"]')
            if answer:
                ref = PARAMS[lab]["image"]
                typed = image_id(ref) if step == "id" else repo_digest(ref)
                answer[0].send_keys(typed[:19])
                app.find(f'[data-testid="lab-step-{step}"] [data-testid="lab-answer-check"]').click()
            else:
                commands = shown_commands(app, step)
                assert commands, f"{lab}/{step} shows no command"
                for c in commands:
                    r = subprocess.run(["sh", "-c", c], capture_output=True, text=True, timeout=120)
                    assert r.returncode == 0, f"{lab}/{step}: `{c}` failed: {r.stderr}"
            took = wait_tick(app, step)
            times[f"{lab}/{step}"] = round(took, 2)
            assert took <= 2.0, f"{lab}/{step} ticked after {took:.2f} s"
        app.find('[data-testid="lab-complete"]')
    print("ticks:", times)


@pytest.mark.timeout(300)
def test_the_web_lab_by_mouse_with_a_hint_then_reset_keeps_a_look_alike(launch, labs_profile):
    # A container made by hand, named like the lab's, not the lab's.
    docker("run", "-d", "--name", "lab-web-mine", "berth-fixture/busybox:1", "sleep", "600")
    app = launch(labs_profile)
    open_lab(app, "web")

    # The wrong container port first, in a terminal: the hint names it.
    docker("run", "-d", "--name", "lab-web", "--label", "berth.lab=web", "-p", f"{PORT}:8080", "berth-fixture/web:1")
    hint = app.find('[data-testid="lab-step-run"] [data-testid="lab-hint"]', timeout=10)
    app.wait(lambda: "8080" in hint.text and PORT in hint.text and "80" in hint.text, what="the port hint")
    assert "8080" in hint.text, hint.text
    assert not step_done(app, "run")
    docker("rm", "-f", "lab-web")

    # By mouse: the Berth way opens the Run dialog filled in, not submitted.
    app.find('[data-testid="lab-step-run"] [data-testid="lab-berth-way"]').click()
    name = app.find('[data-testid="run-name"]')
    assert name.get_attribute("value") == "lab-web"
    assert app.find('[data-testid="run-labels"]').get_attribute("value") == "berth.lab=web"
    assert docker("ps", "-aq", "--filter", "name=^lab-web$").stdout.strip() == "", "the Berth way must not run it"
    bar = app.find('[data-testid="lab-bar"]')
    assert "lab-web" in bar.text
    submit = app.find('[data-testid="run-submit"]')
    app.wait(submit.is_enabled, what="the Run dialog's check")
    submit.click()
    # Back in the lab: the run ticked, and the page answers (the next step).
    try:
        app.wait(lambda: not app.all(".modal-backdrop"), timeout=15, what="the Run dialog closed")
    finally:
        app.shot("lab-web-after-run")
    # The bar's words change as the step ticks; its way back stays put.
    back = app.find('[data-testid="lab-bar-back"]', timeout=15)
    where = back.rect
    app.wait(lambda: step_done_in_bar(app), timeout=12, what="the bar past the run step")
    assert back.rect == where, f"the bar's way back moved from {where} to {back.rect}"
    back.click()
    app.find('[data-testid="screen-labs"]', timeout=5)
    wait_tick(app, "run", limit=4)
    wait_tick(app, "open", limit=4)
    labels = docker("inspect", "--format", "{{index .Config.Labels \"berth.lab\"}}", "lab-web").stdout.strip()
    assert labels == "web"
    app.shot("lab-web-by-mouse")

    # Reset: the plan names the lab's container and not the look-alike.
    app.find('[data-testid="lab-reset"]').click()
    plan = app.find('[data-testid="lab-reset-plan"]')
    assert "lab-web" in plan.text and "lab-web-mine" not in plan.text, plan.text
    app.find('[data-testid="lab-reset-confirm"]').click()
    app.find('[data-testid="lab-reset-done"]', timeout=15)
    assert docker("ps", "-aq", "--filter", "name=^lab-web$").stdout.strip() == ""
    assert docker("ps", "-aq", "--filter", "name=^lab-web-mine$").stdout.strip() != ""
    app.wait(lambda: not step_done(app, "run"), what="the steps start again")
