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


# What the table's geometry is, read in the page: main's and the list's
# widths, each column header's and the first and last drawn rows' left edges.
GEOMETRY_JS = """
const main = document.querySelector('main');
const table = document.querySelector('[data-testid="containers-table"]');
const view = table.querySelector('.viewport');
const head = table.querySelector('.vhead');
const rows = [...table.querySelectorAll('[role="row"][data-testid="container-row"]')];
const lefts = (el) => [...el.children].map((c) => Math.round(c.getBoundingClientRect().left));
const last = rows[rows.length - 1];
return {
  main: [main.scrollWidth, main.clientWidth],
  view: [view.scrollWidth, view.clientWidth],
  head: lefts(head),
  first: lefts(rows[0]),
  headBottom: head.getBoundingClientRect().bottom,
  last: [last.getAttribute('aria-rowindex'), table.getAttribute('aria-rowcount')],
  lastTop: last.getBoundingClientRect().top,
};
"""


def test_on_a_narrow_window_the_list_scrolls_sideways_with_its_header(launch):
    salt = uuid.uuid4().hex[:8]
    names = [f"berth-e2e-narrow-{salt}-{i:02}" for i in range(30)]
    for n in names:
        docker("create", "--name", n, "--label", f"berth.e2e={salt}", "berth-fixture/busybox:1", "true")
    try:
        app = launch()
        app.find('[data-testid="show-all"]', timeout=20).click()
        app.find('[data-testid="containers-search"]').send_keys(f"narrow-{salt}")
        table = app.find('[data-testid="containers-table"]')
        app.wait(lambda: table.get_attribute("data-total") == "30", timeout=20, what="the 30 containers")
        app.wd.set_window_size(800, 700)
        app.wait(lambda: app.wd.execute_script(GEOMETRY_JS)["view"][1] < 600, what="the window narrowed")
        g = app.wd.execute_script(GEOMETRY_JS)
        # The screen itself does not scroll sideways; the list does.
        assert g["main"][0] == g["main"][1], g
        assert g["view"][0] > g["view"][1], g
        assert g["head"] == g["first"], g
        app.wd.execute_script(
            "document.querySelector('[data-testid=\"containers-table\"] .viewport').scrollLeft = 300"
        )
        app.wait(lambda: app.wd.execute_script(GEOMETRY_JS)["head"][0] < g["head"][0] - 200, what="scrolled")
        moved = app.wd.execute_script(GEOMETRY_JS)
        # Header and rows moved as one: each column still under its name.
        assert moved["head"] == moved["first"], moved
        # At the bottom, the last container is drawn below the header, not under it.
        app.wd.execute_script(
            "const v = document.querySelector('[data-testid=\"containers-table\"] .viewport'); v.scrollTop = v.scrollHeight"
        )
        app.wait(lambda: len(set(app.wd.execute_script(GEOMETRY_JS)["last"])) == 1, what="the last row drawn")
        end = app.wd.execute_script(GEOMETRY_JS)
        assert end["lastTop"] >= end["headBottom"] - 1, end
    finally:
        docker("rm", "-f", *names, check=False)
