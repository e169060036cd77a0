"""E4 in the real app: what a terminal does to the engine shows in the
Activity timeline as sentences, the exit code explained; routine events
(the network connect of every start) appear only when asked for."""

import uuid

from conftest import docker


def test_a_container_run_in_a_terminal_is_told_as_it_happens(launch):
    name = f"berth-e2e-activity-{uuid.uuid4().hex[:8]}"
    try:
        app = launch()
        app.find('[data-testid="nav-activity"]').click()
        app.find('[data-testid="screen-activity"]')
        docker("run", "--name", name, "berth-fixture/busybox:1", "sh", "-c", "exit 3", check=False)
        docker("rm", name)

        def texts():
            return [e.text for e in app.all('[data-testid="activity-event"]') if name in e.text]

        app.wait(lambda: any("removed" in x for x in texts()), timeout=10, what="the removal")
        said = texts()
        assert any(f"Container {name} was created" in x for x in said), said
        assert any(f"Container {name} started" in x for x in said), said
        died = next(x for x in said if "exited with code 3" in x)
        assert "application's own error code" in died, died
        # Newest first: the removal above the creation.
        assert said.index(next(x for x in said if "removed" in x)) < said.index(
            next(x for x in said if "was created" in x)
        )
        actions = lambda: [e.get_attribute("data-action") for e in app.all('[data-testid="activity-event"]')]
        assert "connect" not in actions()
        app.find('[data-testid="activity-all"]').click()
        app.wait(lambda: "connect" in actions(), what="the network connect shown")
        app.shot("activity")
    finally:
        docker("rm", "-f", name, check=False)


def test_actions_done_by_mouse_are_listed_as_their_commands(launch):
    from test_containers import select, started
    from test_foundation import row_present

    cname = started("session")
    try:
        app = launch()
        app.find('[data-testid="nav-activity"]').click()
        app.find('[data-testid="session-empty"]')
        app.find('[data-testid="nav-containers"]').click()
        select(app, cname)
        app.find('[data-testid="action-stop"]').click()
        app.wait(lambda: row_present(app, cname, "exited"), timeout=15, what="exited")
        app.find('[data-testid="action-start"]').click()
        app.wait(lambda: row_present(app, cname, "running"), timeout=15, what="running again")
        app.find('[data-testid="nav-activity"]').click()
        said = [c.find_element("css selector", "code").text for c in app.all('[data-testid="session-command"]')]
        assert said == [f"docker container stop {cname}", f"docker container start {cname}"], said
        assert app.find('[data-testid="session-save"]').is_enabled()
    finally:
        docker("rm", "-f", cname, check=False)
