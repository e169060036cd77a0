"""X2 in the real app: axe-core (the accessibility engine, from npm) finds
no WCAG 2.1 A/AA violation on any section, in the Run dialog, a
container's details or an image's view; and the app is usable by keyboard
alone: the sections, a list row, its details."""

import json
import uuid
from pathlib import Path

from selenium.webdriver.common.keys import Keys

from conftest import docker

AXE = (Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js").read_text()
RUN = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
  .then(r => done(JSON.stringify({passes: r.passes.length, violations: r.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 4).map(n => n.target.join(' '))}))})))
  .catch(e => done(JSON.stringify({error: String(e)})));
"""


def audit(app, where):
    app.wd.execute_script(AXE)
    result = json.loads(app.wd.execute_async_script(RUN))
    assert "error" not in result, result
    assert result["passes"] > 10, f"{where}: axe checked almost nothing: {result}"
    return [f"{where}: {v}" for v in result["violations"]]


def test_no_wcag_violation_on_any_screen(launch):
    name = f"berth-e2e-a11y-{uuid.uuid4().hex[:8]}"
    docker("run", "-d", "--name", name, "-p", "127.0.0.1::80", "berth-fixture/web:1")
    try:
        app = launch()
        app.wd.set_script_timeout(60)
        # The audit itself can fail: a planted unlabelled field is caught.
        app.find('[data-testid="screen-containers"]', timeout=20)
        app.wd.execute_script(
            "const i = document.createElement('input'); i.id = 'axe-probe'; document.querySelector('main').append(i);"
        )
        planted = audit(app, "probe")
        assert any("'label'" in v for v in planted), planted
        app.wd.execute_script("document.getElementById('axe-probe').remove()")

        found = []
        for s in ["containers", "images", "build", "registries", "volumes", "networks", "swarm", "inspector", "labs", "activity", "engine"]:
            app.find(f'[data-testid="nav-{s}"]', timeout=20).click()
            app.find(f'[data-testid="screen-{s}"]' if s != "engine" else "main h1", timeout=20)
            found += audit(app, s)

        app.find('[data-testid="nav-labs"]').click()
        app.find('[data-testid="lab-open-web"]', timeout=15).click()
        app.find('[data-testid="lab-step-run"] [data-testid="lab-berth-way"]', timeout=15)
        found += audit(app, "a lab")
        app.find('[data-testid="lab-back"]').click()

        app.find('[data-testid="nav-containers"]').click()
        app.find('[data-testid="run-open"]').click()
        app.find('[data-testid="run-image"]')
        found += audit(app, "run dialog")
        app.find('[data-testid="run-image"]').send_keys(Keys.ESCAPE)
        app.wait(lambda: not app.all('[data-testid="run-dialog"]'), what="Escape closes the Run dialog")

        app.find('[data-testid="nav-images"]').click()
        app.find('[data-testid="image-row"][data-ref="berth-fixture/web:1"]').click()
        app.find('[data-testid="image-details"]', timeout=20)
        found += audit(app, "image view")

        app.find('[data-testid="nav-containers"]').click()
        app.find('[data-testid="show-all"]', timeout=20).click()
        app.find(f'[data-testid="container-row"][data-name="{name}"]').click()
        app.find('[data-testid="action-details"]').click()
        app.find('[data-testid="tab-overview"]', timeout=20)
        found += audit(app, "container details")
        assert found == [], "\n".join(found)
    finally:
        docker("rm", "-f", name, check=False)


def focused(app):
    return app.wd.execute_script(
        "const e = document.activeElement; return e ? (e.dataset.testid || e.tagName) : null;"
    )


def tab_to(app, testid, limit=80):
    for _ in range(limit):
        if focused(app) == testid:
            return
        app.wd.switch_to.active_element.send_keys(Keys.TAB)
    raise AssertionError(f"{testid} is not reachable with Tab (last focus: {focused(app)})")


def test_the_keyboard_alone_reaches_a_section_a_row_and_its_view(launch):
    app = launch()
    app.find('[data-testid="nav-containers"]', timeout=20)
    app.wd.execute_script("document.activeElement && document.activeElement.blur()")
    app.wd.find_element("css selector", "body").send_keys(Keys.TAB)
    tab_to(app, "nav-images")
    app.wd.switch_to.active_element.send_keys(Keys.ENTER)
    app.find('[data-testid="screen-images"]')
    row = app.find('[data-testid="image-row"][data-ref="berth-fixture/busybox:1"]')
    tab_to(app, "image-row")
    app.wd.switch_to.active_element.send_keys(Keys.ENTER)
    app.find('[data-testid="image-details"]', timeout=20)
    assert row is not None
