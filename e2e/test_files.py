"""F1-F4 in the real app: the learners' lab by mouse (two containers of one
image each write a random number; copy /random/number.txt out of both and
see they differ), a file copied in, and the changes view."""

import subprocess
import tempfile
import time
import uuid
from pathlib import Path

from conftest import docker
from test_containers import select
from test_foundation import shown_text


def wrote_a_number(tag):
    cname = f"berth-e2e-{tag}-{uuid.uuid4().hex[:8]}"
    docker("run", "--name", cname, "berth-fixture/busybox:1", "sh", "-c", "mkdir -p /random && echo $RANDOM$RANDOM > /random/number.txt")
    return cname


def open_files(app, cname):
    select(app, cname)
    app.find('[data-testid="action-details"]').click()
    app.find('[data-testid="tab-files"]').click()
    app.find('[data-testid="files-listing"]', timeout=20)


def entry(app, name):
    return f'[data-testid="files-entry"][data-name="{name}"]'


def copy_number_out(app, cname, dest):
    open_files(app, cname)
    app.wait(lambda: app.all(entry(app, "random")), what="/random in the listing")
    app.find(entry(app, "random") + ' [data-testid="files-open"]').click()
    app.wait(lambda: app.all(entry(app, "number.txt")), what="number.txt")
    app.find(entry(app, "number.txt") + ' [data-testid="files-open"]').click()
    shown = shown_text(app.find('[data-testid="files-preview-text"]')).strip()
    app.find(entry(app, "number.txt") + ' [data-testid="files-pick"]').click()
    field = app.find('[data-testid="files-host-path"]')
    field.clear()
    field.send_keys(str(dest))
    app.find('[data-testid="files-copy-out-path"]').click()
    app.wait(lambda: app.all('[data-testid="files-copy-result"]'), timeout=20, what="the copy's end")
    assert "Done" in shown_text(app.find('[data-testid="files-copy-result"]'))
    app.find('[data-testid="details-back"]').click()
    return shown


def test_the_random_number_lab_by_mouse(launch):
    a, b = wrote_a_number("lab-a"), wrote_a_number("lab-b")
    try:
        app = launch()
        with tempfile.TemporaryDirectory() as out_a, tempfile.TemporaryDirectory() as out_b:
            shown_a = copy_number_out(app, a, out_a)
            app.shot("files-lab")
            shown_b = copy_number_out(app, b, out_b)
            got_a = (Path(out_a) / "number.txt").read_text().strip()
            got_b = (Path(out_b) / "number.txt").read_text().strip()
            assert got_a == shown_a and got_b == shown_b, (got_a, shown_a, got_b, shown_b)
            assert got_a != got_b
    finally:
        docker("rm", "-f", a, b, check=False)


def test_a_file_copied_in_shows_in_the_listing_and_in_the_changes(launch):
    cname = f"berth-e2e-cpin-{uuid.uuid4().hex[:8]}"
    docker("create", "--name", cname, "berth-fixture/busybox:1")
    try:
        with tempfile.TemporaryDirectory() as d:
            src = Path(d) / "notes from host.txt"
            src.write_text("copied in by Berth\n")
            app = launch()
            open_files(app, cname)
            field = app.find('[data-testid="files-host-path"]')
            field.send_keys(str(src))
            app.find('[data-testid="files-copy-in-path"]').click()
            app.wait(lambda: app.all(entry(app, "notes from host.txt")), timeout=20, what="the copied file")
            assert docker("cp", f"{cname}:/notes from host.txt", "-").returncode == 0
            # Copying it again asks before replacing.
            app.find('[data-testid="files-copy-in-path"]').click()
            assert "notes from host.txt" in shown_text(app.find('[data-testid="files-overwrite"]'))
            app.find('[data-testid="tab-changes"]').click()
            app.wait(lambda: app.all('[data-testid="change"]'), what="the changes")
            changes = [(c.get_attribute("data-kind"), shown_text(c)) for c in app.all('[data-testid="change"]')]
            assert any(k == "added" and "/notes from host.txt" in t for k, t in changes), changes
            app.shot("files-changes")
    finally:
        docker("rm", "-f", cname, check=False)


def test_a_stopped_containers_big_folder_shows_progress_cancels_and_is_kept_until_it_changes(launch, tmp_path):
    """The archive path (F1, issue 19): a stopped container's folder is read
    whole. Listing `/` over a 1 GiB file says how far it is and can be
    cancelled; a folder listed once is not read again until an engine event
    for the container (here a `docker cp` from the CLI) says it changed."""
    cname = f"berth-e2e-big-{uuid.uuid4().hex[:8]}"
    # Sparse: no disk is used, but the engine sends every byte of it.
    docker("run", "--name", cname, "berth-fixture/busybox:1", "sh", "-c",
           "mkdir /data && dd if=/dev/zero of=/data/big bs=1M count=0 seek=1024 && echo hi > /data/small")
    events = subprocess.Popen(
        ["docker", "events", "--format", "{{.Action}}", "--filter", f"container={cname}", "--filter", "event=archive-path"],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        app = launch()
        select(app, cname)
        app.find('[data-testid="action-details"]').click()
        app.find('[data-testid="tab-files"]').click()
        reading = app.find('[data-testid="files-reading"]', timeout=20)
        app.wait(lambda: "entries" in shown_text(reading) and " 0 B" not in shown_text(reading), what="bytes read so far")
        app.find('[data-testid="files-reading-cancel"]').click()
        err = app.find('[data-testid="files-error"]')
        assert "cancelled: / was not listed" in shown_text(err), shown_text(err)
        assert not app.all('[data-testid="files-reading"]')
        # Listed in full this time, through the archive, and said so.
        app.find('[data-testid="files-crumb"]').click()
        app.find('[data-testid="files-listing"]', timeout=60)
        app.wait(lambda: app.all(entry(app, "data")), timeout=60, what="/data listed")
        assert app.all('[data-testid="files-from-archive"]')
        app.find(entry(app, "data") + ' [data-testid="files-open"]').click()
        app.wait(lambda: app.all(entry(app, "small")), timeout=60, what="/data/small")
        time.sleep(1)
        reads = count_lines(events)
        # Back to `/` and into /data again: both kept, nothing read again.
        app.find('[data-testid="files-up"]').click()
        app.wait(lambda: app.all(entry(app, "data")), what="/ again")
        app.find(entry(app, "data") + ' [data-testid="files-open"]').click()
        app.wait(lambda: app.all(entry(app, "small")), what="/data again")
        time.sleep(1)
        assert count_lines(events) == reads, "a kept listing was read from the engine again"
        # The CLI copies a file in: the engine's event makes the kept ones stale.
        (tmp_path / "from-cli.txt").write_text("cli\n")
        docker("cp", str(tmp_path / "from-cli.txt"), f"{cname}:/data/")
        time.sleep(1)
        app.find('[data-testid="files-up"]').click()
        app.wait(lambda: app.all(entry(app, "data")), timeout=60, what="/ read again")
        app.find(entry(app, "data") + ' [data-testid="files-open"]').click()
        app.wait(lambda: app.all(entry(app, "from-cli.txt")), timeout=60, what="the CLI's file")
        assert count_lines(events) > reads
    finally:
        events.kill()
        docker("rm", "-f", "-v", cname, check=False)


def count_lines(proc):
    """Lines the process has printed so far (its stdout read without blocking)."""
    import os
    import select as sel

    fd = proc.stdout.fileno()
    os.set_blocking(fd, False)
    proc._seen = getattr(proc, "_seen", 0)
    while sel.select([fd], [], [], 0)[0]:
        chunk = os.read(fd, 65536)
        if not chunk:
            break
        proc._seen += chunk.count(b"\n")
    return proc._seen
