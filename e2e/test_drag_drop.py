"""F2 with a real drag from another X client (issue 14, bugs 8 and 9): a GTK
drag source offers host files as text/uri-list over XDND; xdotool presses on
it, moves onto Berth's window in small steps and releases. Dropped on the
view (anywhere, not only the listing) the files go into the folder shown;
on a folder's row, into that folder; a folder goes whole. While hovering,
the destination is named."""

import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import pytest

from conftest import ROOT, docker
from test_files import entry, open_files
from test_foundation import shown_text

SOURCE_AT = (1040, 700)  # the drag source's window, over Berth's corner


def xdo(app, *args):
    return subprocess.run(
        ["xdotool", *map(str, args)],
        env={"DISPLAY": app.display, "PATH": "/usr/bin:/bin"},
        check=True,
        capture_output=True,
        text=True,
    ).stdout


@pytest.fixture
def drag_source(launch):
    procs = []

    def start(app, *paths):
        p = subprocess.Popen(
            ["/usr/bin/python3", str(ROOT / "e2e" / "dragsource.py"), *map(str, SOURCE_AT), *map(str, paths)],
            env={"DISPLAY": app.display, "PATH": "/usr/bin:/bin", "NO_AT_BRIDGE": "1"},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        procs.append(p)
        assert p.stdout.readline().strip() == "ready", p.stderr.read()
        return p

    yield start
    for p in procs:
        p.kill()
        p.wait()


def webview_origin(app):
    """Where the page's (0, 0) is on the screen. The X window's geometry is
    not enough: GTK may draw its own decorations and shadow inside it. So
    the pointer is moved to a known screen point and the page says where
    it saw it."""
    if getattr(app, "_origin", None):
        return app._origin
    app.wd.execute_script(
        "window.__berthMouse = null;"
        "addEventListener('mousemove', (e) => (window.__berthMouse = [e.clientX, e.clientY]));"
    )
    win = xdo(app, "search", "--onlyvisible", "--name", "^Berth$").split()[0]
    geo = dict(
        line.strip().split(": ", 1) for line in xdo(app, "getwindowgeometry", win).splitlines()[1:] if ": " in line
    )
    wx, wy = (int(v) for v in geo["Position"].split(" ")[0].split(","))
    sx, sy = wx + 300, wy + 300
    for d in (0, 3, 0):
        xdo(app, "mousemove", sx + d, sy)
        time.sleep(0.1)
    seen = app.wait(lambda: app.wd.execute_script("return window.__berthMouse"), what="the pointer seen by the page")
    app._origin = (sx - round(seen[0]), sy - round(seen[1]))
    return app._origin


def screen_point(app, css):
    """The centre of an element (its first line), in screen pixels."""
    x, y = app.wd.execute_script(
        "const r = document.querySelector(arguments[0]).getBoundingClientRect();"
        "return [r.left + Math.min(r.width / 2, 60), r.top + Math.min(r.height / 2, 10)];",
        css,
    )
    ox, oy = webview_origin(app)
    return int(ox + x), int(oy + y)


def drag(app, to, hovering=None):
    """Press on the drag source, move to `to` in small steps, release.
    `hovering()` runs while the drag is over the target, before release."""
    sx, sy = SOURCE_AT[0] + 70, SOURCE_AT[1] + 25
    xdo(app, "mousemove", sx, sy)
    time.sleep(0.3)
    xdo(app, "mousedown", 1)
    steps = 25
    for i in range(1, steps + 1):
        xdo(app, "mousemove", sx + (to[0] - sx) * i // steps, sy + (to[1] - sy) * i // steps)
        time.sleep(0.04)
    # A few small moves on the spot: XDND sends positions on motion.
    for d in (2, -2, 1):
        xdo(app, "mousemove", to[0] + d, to[1])
        time.sleep(0.1)
    said = hovering() if hovering else None
    xdo(app, "mouseup", 1)
    return said


def in_container(cname, path):
    return docker("exec", cname, "cat", path, check=False).stdout


def test_files_dropped_from_another_program_land_where_they_were_released(launch, drag_source):
    cname = f"berth-e2e-drop-{uuid.uuid4().hex[:8]}"
    docker("run", "-d", "--name", cname, "berth-fixture/busybox:1", "sh", "-c", "mkdir -p /data /inbox && sleep 600")
    host = Path(tempfile.mkdtemp(prefix="berth-drop-"))
    try:
        tag = uuid.uuid4().hex[:6]
        (host / f"onrow-{tag}.txt").write_text(f"row {tag}\n")
        (host / f"onview-{tag}.txt").write_text(f"view {tag}\n")
        folder = host / f"folder-{tag}"
        (folder / "sub").mkdir(parents=True)
        (folder / "sub" / "deep.txt").write_text(f"deep {tag}\n")

        app = launch()
        open_files(app, cname)
        app.wait(lambda: app.all(entry(app, "data")), what="/data in the listing")
        app.shot("drop-before")

        # 1. Released on the row of the folder /data, with / shown: into /data.
        drag_source(app, host / f"onrow-{tag}.txt")
        row = screen_point(app, entry(app, "data") + ' [data-testid="files-open"]')
        def hovering():
            said = app.wait(
                lambda: app.all('[data-testid="files-drop-into"]')
                and shown_text(app.find('[data-testid="files-drop-into"]')),
                what="the destination named while hovering",
            )
            app.wait(
                lambda: app.all(entry(app, "data") + ".drop-target"),
                what="the folder's row lit as the target",
            )
            app.shot("drop-hover")
            return said

        said = drag(app, row, hovering=hovering)
        assert "/data" in said, said
        app.wait(lambda: in_container(cname, f"/data/onrow-{tag}.txt") == f"row {tag}\n", timeout=15, what="the file in /data")

        # 2. Released on the view itself, away from the listing (its
        # explanation at the top), with /inbox shown: into /inbox.
        app.find(entry(app, "inbox") + ' [data-testid="files-open"]').click()
        app.wait(
            lambda: any("inbox" in shown_text(c) for c in app.all('[data-testid="files-crumb"]')),
            what="/inbox shown",
        )
        drag_source(app, host / f"onview-{tag}.txt")
        drag(app, screen_point(app, '[data-testid="files"] [data-testid="explain"]'))
        app.wait(lambda: in_container(cname, f"/inbox/onview-{tag}.txt") == f"view {tag}\n", timeout=15, what="the file in /inbox")
        assert in_container(cname, f"/data/onview-{tag}.txt") == ""

        # 3. A folder, dropped on the view: it goes whole, with what is in it.
        drag_source(app, folder)
        drag(app, screen_point(app, '[data-testid="files-listing"] thead'))
        app.wait(
            lambda: in_container(cname, f"/inbox/folder-{tag}/sub/deep.txt") == f"deep {tag}\n",
            timeout=15,
            what="the folder copied whole",
        )
        app.shot("drop-after")
    finally:
        docker("rm", "-f", cname, check=False)
        subprocess.run(["rm", "-rf", str(host)], check=False)
