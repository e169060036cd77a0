"""C2 / S2 in the real app: a container's bind mount, volume and tmpfs are
shown by kind, with their mode and their one-sentence explanation."""

import re
import tempfile
import uuid

from conftest import docker
from test_containers import select
from test_foundation import shown_text


def open_shell(app):
    """Opens the Terminal tab's shell; returns the terminal's rows once the
    prompt shows."""
    app.find('[data-testid="tab-terminal"]').click()
    app.wait(lambda: len(app.all('[data-testid="terminal-shell"] option')) > 0, what="shells")
    app.find('[data-testid="terminal-open"]').click()
    rows = app.find('[data-testid="terminal"] .xterm-rows')
    app.wait(lambda: "#" in rows.get_attribute("textContent"), what="the prompt")
    return rows


def type_in(app, text):
    app.find('[data-testid="terminal"] .xterm-helper-textarea').send_keys(text)


def test_details_show_each_mount_kind_with_its_mode_and_explanation(launch):
    cname = f"berth-e2e-details-{uuid.uuid4().hex[:8]}"
    vol = cname + "-vol"
    host = tempfile.mkdtemp(prefix="berth-e2e-bind-")
    docker(
        "run", "-d", "--name", cname,
        "-p", "127.0.0.1::80",
        "-v", f"{host}:/host:ro", "-v", f"{vol}:/data", "--tmpfs", "/cache:size=8m",
        "--restart", "unless-stopped",
        "berth-fixture/web:1",
    )
    try:
        app = launch()
        select(app, cname)
        app.find('[data-testid="action-details"]').click()
        app.find('[data-testid="container-details"]')
        app.wait(lambda: len(app.all('[data-testid="mount"]')) == 3, what="three mounts")
        mounts = {
            m.get_attribute("data-destination"): (m.get_attribute("data-kind"), m.get_attribute("data-readonly"))
            for m in app.all('[data-testid="mount"]')
        }
        assert mounts == {"/host": ("bind", "true"), "/data": ("volume", "false"), "/cache": ("tmpfs", "false")}
        kinds = {k.get_attribute("data-kind"): shown_text(k) for k in app.all('[data-testid="mount-kind"]')}
        assert "outlives the container" in kinds["volume"]
        assert "memory" in kinds["tmpfs"]
        assert shown_text(app.find('[data-testid="restart-policy"]')) == "unless-stopped"
        port = docker("port", cname, "80/tcp").stdout.split()[0]
        assert port.startswith("127.0.0.1:")
        assert f"{port} → 80/tcp" in shown_text(app.find('[data-testid="details-ports"]'))
        app.shot("details")
        app.find('[data-testid="details-back"]').click()
        app.find('[data-testid="containers-table"]')
    finally:
        docker("rm", "-f", cname, check=False)
        docker("volume", "rm", vol, check=False)


def test_live_stats_show_a_busy_container_using_cpu(launch):
    cname = f"berth-e2e-stats-{uuid.uuid4().hex[:8]}"
    docker("run", "-d", "--name", cname, "berth-fixture/busybox:1", "sh", "-c", "while :; do :; done")
    try:
        app = launch()
        select(app, cname)
        app.find('[data-testid="action-details"]').click()

        def busy():
            els = app.all('[data-testid="stats-cpu"]')
            if not els:
                return False
            pct = float(shown_text(els[0]).split("%")[0])
            return pct > 20

        app.wait(busy, timeout=10, what="CPU above 20%")
        assert " of " in shown_text(app.find('[data-testid="stats-memory"]'))
        app.shot("stats")
    finally:
        docker("rm", "-f", cname, check=False)


def ends_in_window(app, testid):
    """The element ends inside the window (at its default size), however
    many lines the controls above it take."""
    bottom, inner = app.wd.execute_script(
        "const v = document.querySelector(`[data-testid=\"${arguments[0]}\"]`);"
        "return [v.getBoundingClientRect().bottom, window.innerHeight];",
        testid,
    )
    assert bottom <= inner, f"{testid} ends at {bottom} px, the window at {inner} px"


def test_logs_tell_stderr_apart_and_search_highlights(launch):
    cname = f"berth-e2e-logs-{uuid.uuid4().hex[:8]}"
    docker(
        "run", "--name", cname, "berth-fixture/busybox:1", "sh", "-c",
        "for i in $(seq 1 500); do echo line $i; done; echo boom >&2",
    )
    try:
        app = launch()
        select(app, cname)
        app.find('[data-testid="action-details"]').click()
        app.find('[data-testid="tab-logs"]').click()
        count = app.find('[data-testid="logs-count"]')
        app.wait(lambda: count.get_attribute("data-total") == "501", what="501 lines")
        # Following, the newest line is in sight.
        ends_in_window(app, "logs-view")
        # stderr's place among stdout lines is the engine's choice: find it.
        search = app.find('[data-testid="logs-search"]')
        search.send_keys("boom")
        app.find('[data-testid="logs-only-matches"]').click()
        err = app.find('[data-testid="log-line"][data-stream="stderr"]')
        assert "boom" in shown_text(err)
        app.find('[data-testid="logs-only-matches"]').click()
        search.clear()
        search.send_keys("line 49")
        app.wait(lambda: "11 matching" in shown_text(count), what="11 matches (49, 490-499)")
        assert len(app.all('[data-testid="logs-view"] mark')) >= 1
        cli = [c.text for c in app.all('[data-testid="cli-command"]')]
        assert f"docker container logs -f --tail 1000 {cname}" in cli
        app.shot("logs")
        # Timestamps: the log is read again, each line with the engine's time.
        search.clear()
        app.find('[data-testid="logs-timestamps"]').click()
        app.wait(lambda: count.get_attribute("data-total") == "501", what="501 lines again")
        first = app.find('[data-testid="log-line"]')
        assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", shown_text(first)), shown_text(first)
        assert re.search(r"Z (line \d+|boom)$", shown_text(first)), shown_text(first)
        assert f"docker container logs -f -t --tail 1000 {cname}" in [c.text for c in app.all('[data-testid="cli-command"]')]
    finally:
        docker("rm", "-f", cname, check=False)


def test_paused_logs_hold_new_lines_until_resumed(launch):
    cname = f"berth-e2e-logp-{uuid.uuid4().hex[:8]}"
    docker("run", "-d", "--name", cname, "berth-fixture/busybox:1", "sh", "-c",
           "i=0; while true; do i=$((i+1)); echo tick $i; sleep 0.1; done")
    try:
        app = launch()
        select(app, cname)
        app.find('[data-testid="action-details"]').click()
        app.find('[data-testid="tab-logs"]').click()
        count = app.find('[data-testid="logs-count"]')
        app.wait(lambda: int(count.get_attribute("data-total")) >= 5, what="ticks")
        app.find('[data-testid="logs-pause"]').click()
        held = int(count.get_attribute("data-total"))
        resume = app.find('[data-testid="logs-resume"]')
        app.wait(lambda: re.search(r"\b([5-9]|\d\d+)\b", shown_text(resume)), what="5 lines held")
        # Nothing new is drawn while paused.
        assert int(count.get_attribute("data-total")) == held
        resume.click()
        app.wait(lambda: int(count.get_attribute("data-total")) >= held + 5, what="the held lines shown")
        n = int(count.get_attribute("data-total"))
        ticks = [int(t) for t in re.findall(r"tick (\d+)", app.find('[data-testid="logs-view"]').get_attribute("textContent"))]
        # In order, none lost or doubled across the pause.
        assert ticks == list(range(ticks[0], ticks[0] + len(ticks))), ticks
        assert ticks[-1] >= n - 1
    finally:
        docker("rm", "-f", cname, check=False)


def test_a_terminal_runs_what_is_typed_in_the_container(launch):
    cname = f"berth-e2e-term-{uuid.uuid4().hex[:8]}"
    docker("run", "-d", "--name", cname, "berth-fixture/busybox:1", "sleep", "600")
    try:
        app = launch()
        select(app, cname)
        app.find('[data-testid="action-details"]').click()
        rows = open_shell(app)
        shells = [o.get_attribute("value") for o in app.all('[data-testid="terminal-shell"] option')]
        assert shells == ["ash", "sh"], shells
        type_in(app, "echo hello-$((6*7)) > /hello.txt; cat /hello.txt\n")
        try:
            app.wait(lambda: "hello-42" in rows.get_attribute("textContent"), timeout=10, what="the shell's answer")
        finally:
            print("terminal shows:", rows.get_attribute("textContent"))
        # It really ran in the container.
        assert docker("exec", cname, "cat", "/hello.txt").stdout.strip() == "hello-42"
        # Its last row is in sight.
        ends_in_window(app, "terminal")
        app.shot("terminal")
        app.find('[data-testid="terminal-close"]').click()
    finally:
        docker("rm", "-f", cname, check=False)


def test_open_a_published_port_in_the_browser(launch, tmp_path):
    """C2: the browser gets the address this machine reaches the port at
    (a stand-in browser, named by $BROWSER as xdg-open reads it, records it)."""
    got = tmp_path / "opened.txt"
    browser = tmp_path / "browser.sh"
    browser.write_text(f'#!/bin/sh\necho "$1" > {got}\n')
    browser.chmod(0o755)
    cname = f"berth-e2e-port-{uuid.uuid4().hex[:8]}"
    docker("run", "-d", "--name", cname, "-p", "127.0.0.1::80", "berth-fixture/web:1")
    try:
        port = docker("port", cname, "80/tcp").stdout.strip().rsplit(":", 1)[1]
        app = launch(env={"BROWSER": str(browser)})
        select(app, cname)
        app.find('[data-testid="action-details"]').click()
        app.find('[data-testid="port-open"]', timeout=20).click()
        url = f"http://127.0.0.1:{port}/"
        assert url in app.find('[data-testid="port-opened"]', timeout=10).text
        app.wait(lambda: got.exists() and got.read_text().strip() == url, what="the browser called")
    finally:
        docker("rm", "-f", cname, check=False)
