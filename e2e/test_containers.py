"""C3 in the real app: stop, rename and remove a container by mouse, with the
refusals explained."""

import uuid

from conftest import docker
from test_foundation import row_present, shown_text


def started(tag):
    cname = f"berth-e2e-{tag}-{uuid.uuid4().hex[:8]}"
    docker("run", "-d", "--name", cname, "berth-fixture/busybox:1", "sh", "-c", "trap 'exit 0' TERM; sleep 600 & wait")
    return cname


def select(app, cname):
    app.find('[data-testid="show-all"]', timeout=20).click()
    app.wait(lambda: row_present(app, cname), timeout=20, what=cname)
    app.find(f'[data-testid="container-row"][data-name="{cname}"]').click()
    app.wait(lambda: cname in shown_text(app.find('[data-testid="container-actions"]')), what="selected")


def test_stop_then_remove_a_container_from_the_list(launch):
    cname = started("stop")
    try:
        app = launch()
        select(app, cname)
        app.find('[data-testid="action-stop"]').click()
        app.wait(lambda: row_present(app, cname, "exited"), timeout=15, what="exited")
        assert app.all('[data-testid="cli-command"]')[-1].text == f"docker container stop {cname}"
        app.find('[data-testid="action-remove"]').click()
        dialog = app.find('[data-testid="remove-dialog"]')
        assert "layer" in shown_text(dialog)
        app.find('[data-testid="remove-confirm"]').click()
        app.wait(lambda: not row_present(app, cname), timeout=5, what="removed")
        assert docker("ps", "-aq", "--filter", f"name={cname}").stdout.strip() == ""
    finally:
        docker("rm", "-f", cname, check=False)


def test_removing_a_running_container_explains_and_forces(launch):
    cname = started("force")
    try:
        app = launch()
        select(app, cname)
        app.find('[data-testid="action-remove"]').click()
        dialog = app.find('[data-testid="remove-dialog"]')
        assert "refuses to remove a running container" in shown_text(dialog)
        app.shot("remove-running")
        app.find('[data-testid="remove-force"]').click()
        app.wait(lambda: not row_present(app, cname), timeout=5, what="force-removed")
    finally:
        docker("rm", "-f", cname, check=False)


def test_a_bad_new_name_is_refused_with_the_reason_and_a_good_one_renames(launch):
    cname = started("ren")
    new = cname + "-renamed"
    try:
        app = launch()
        select(app, cname)
        app.find('[data-testid="action-rename"]').click()
        field = app.find('[data-testid="rename-input"]')
        field.clear()
        field.send_keys("my web")
        app.find('[data-testid="rename-save"]').click()
        err = shown_text(app.find('[data-testid="action-error"]'))
        assert "my web contains ' '" in err, err
        field = app.find('[data-testid="rename-input"]')
        field.clear()
        field.send_keys(new)
        app.find('[data-testid="rename-save"]').click()
        app.wait(lambda: row_present(app, new), timeout=5, what="renamed")
        assert not row_present(app, cname)
    finally:
        docker("rm", "-f", cname, new, check=False)
