"""E7 in the real app, against a single-node swarm of the test's own (a
dockerd in its own network namespace, scripts/swarm-nodes.sh): the swarm is
started by mouse, a service is created from the form (a bad name first,
refused under its field), scaled by mouse, and a rolling update's progress
is watched task by task until it completes; the screen is then read in
Korean."""

import os
import subprocess
import tempfile
from pathlib import Path

import pytest

from test_accessibility import audit
from test_foundation import shown_text
from test_korean import Scan, click, korean

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def swarm_node():
    d = Path(tempfile.mkdtemp(prefix="berth-e2e-swarm-"))
    net = str(230 + os.getpid() % 20)
    script = ROOT / "scripts" / "swarm-nodes.sh"
    subprocess.run(["bash", str(script), "up", str(d), "1", net], check=True, capture_output=True)
    try:
        yield f"unix://{d}/node1/docker.sock"
    finally:
        subprocess.run(["bash", str(script), "down", str(d)], capture_output=True)


def node_docker(host, *args):
    return subprocess.run(["docker", "-H", host, *args], capture_output=True, text=True, check=True).stdout


def running_badge(app, name):
    rows = app.all(f'[data-testid="service"][data-name="{name}"] [data-testid="service-running"]')
    return shown_text(rows[0]) if rows else ""


@pytest.mark.timeout(300)
def test_a_swarm_started_a_service_scaled_and_rolled_by_mouse(launch, swarm_node):
    app = launch(env={"DOCKER_HOST": swarm_node})
    app.find('[data-testid="nav-swarm"]', timeout=20).click()
    app.find('[data-testid="swarm-inactive"]', timeout=20)
    click(app, '[data-testid="swarm-init"]')
    app.find('[data-testid="swarm-summary"]', timeout=30)
    assert "Swarm: Manager" in node_docker(swarm_node, "info", "--format", "Swarm: {{if .Swarm.ControlAvailable}}Manager{{end}}")

    # Create from the form: a bad name is refused under its field first.
    click(app, '[data-testid="service-new"]')
    app.find('[data-testid="service-form-name"]').send_keys("my web")
    app.find('[data-testid="service-form-image"]').send_keys("berth-fixture/web:1")
    replicas = app.find('[data-testid="service-form-replicas"]')
    replicas.clear()
    replicas.send_keys("2")
    click(app, '[data-testid="service-form-create"]')
    err = app.find('[data-testid="service-form-error-name"]', timeout=10)
    assert "my web" in shown_text(err), shown_text(err)
    name = app.find('[data-testid="service-form-name"]')
    name.clear()
    name.send_keys("web")
    app.wait(
        lambda: "docker service create --name web --replicas 2" in shown_text(app.find('[data-testid="service-create-form"] [data-testid="cli-command"]')),
        what="the create line",
    )
    click(app, '[data-testid="service-form-create"]')
    app.wait(lambda: running_badge(app, "web") == "2/2", timeout=60, what="web 2/2")
    # No registry is reachable from the node's namespace: the tag is kept, and said.
    note = shown_text(app.find('[data-testid="service-note"]'))
    assert "could not be looked up on a registry" in note, note

    # Scale by mouse: 2 → 4.
    app.find('[data-testid="service-view"][data-name="web"]', timeout=10)
    box = app.find('[data-testid="service-scale-input"]')
    box.clear()
    box.send_keys("4")
    click(app, '[data-testid="service-scale"]')
    app.wait(lambda: running_badge(app, "web") == "4/4", timeout=60, what="web 4/4")
    lines = [shown_text(c) for c in app.all('[data-testid="service-view"] [data-testid="cli-command"]')]
    assert "docker service scale web=4" in lines, lines
    assert len(app.all('[data-testid="task"][data-state="running"]')) == 4
    scale = node_docker(swarm_node, "service", "inspect", "web", "--format", "{{.Spec.Mode.Replicated.Replicas}}")
    assert scale.strip() == "4"

    # A rolling update to web:2, one task at a time, 2 s apart: watched.
    click(app, '[data-testid="tab-update"]')
    image = app.find('[data-testid="service-update-image"]')
    image.clear()
    image.send_keys("berth-fixture/web:2")
    delay = app.find('[data-testid="service-update-delay"]')
    delay.clear()
    delay.send_keys("2s")
    click(app, '[data-testid="service-update"]')
    seen = set()
    chips = set()
    shot = False

    def progressed():
        nonlocal shot
        p = app.find('[data-testid="service-progress"]')
        updated = int(p.get_attribute("data-updated"))
        seen.add(updated)
        if 0 < updated < 4 and not shot:
            app.wd.execute_script("arguments[0].scrollIntoView({block: 'start'})", p)
            app.shot("swarm-rolling-update")
            shot = True
        fresh = len(app.all('[data-testid="task-chip"][data-current="true"]'))
        chips.add(fresh)
        state = app.all('[data-testid="service-view-update"]')
        return updated == 4 and fresh == 4 and state and "updated" in shown_text(state[0])

    app.wait(progressed, timeout=120, what="the update to complete")
    assert any(0 < n < 4 for n in seen), f"the progress was seen part-way: {seen}"
    assert any(0 < n < 4 for n in chips), f"task by task, some new and some old: {chips}"
    lines = [shown_text(c) for c in app.all('[data-testid="service-view"] [data-testid="cli-command"]')]
    assert any(l.startswith("docker service update --image berth-fixture/web:2 --update-delay 2s") for l in lines), lines
    images = node_docker(swarm_node, "service", "ps", "web", "--filter", "desired-state=running", "--format", "{{.Image}}").split()
    assert images == ["berth-fixture/web:2"] * 4, images

    # No WCAG violation on the manager's screens (the tasks, the update form,
    # the nodes, the swarm's own panel).
    app.wd.set_script_timeout(60)
    found = audit(app, "service update form")
    click(app, '[data-testid="tab-tasks"]')
    found += audit(app, "service tasks")
    click(app, '[data-testid="tab-cluster"]')
    click(app, '[data-testid="swarm-show-tokens"]')
    app.find('[data-testid="swarm-cluster"] [data-testid="cli-command"]')
    found += audit(app, "swarm tokens")
    assert found == [], "\n".join(found)
    click(app, '[data-testid="tab-services"]')
    click(app, '[data-testid="service"][data-name="web"] [data-testid="service-open"]')
    app.find('[data-testid="service-view"][data-name="web"]', timeout=10)

    # The same screen in Korean.
    click(app, '[data-testid="tab-tasks"]')
    korean(app)
    scan = Scan(app)
    app.wait(lambda: "태스크" in shown_text(app.find('[data-testid="service-view"]')), what="Korean tasks")
    scan("the service in Korean")
    click(app, '[data-testid="tab-nodes"]')
    app.find('[data-testid="node"][data-role="manager"]', timeout=10)
    scan("the nodes in Korean")
    app.shot("swarm-nodes-ko")
    scan.check()
