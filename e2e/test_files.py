"""F1-F4 in the real app: the learners' lab by mouse (two containers of one
image each write a random number; copy /random/number.txt out of both and
see they differ), a file copied in, and the changes view."""

import tempfile
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
