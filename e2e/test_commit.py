"""B2 in the real app, the learners' ch03 lab by mouse: run a fixture image,
write a file in its terminal, commit, run the new image and see the file."""

import time
import uuid

from conftest import docker
from test_containers import select
from test_details import open_shell, type_in
from test_foundation import shown_text


def test_write_a_file_commit_and_run_the_new_image(launch):
    tag = uuid.uuid4().hex[:8]
    cname, image, second = f"berth-e2e-commit-{tag}", f"berth-e2e-committed-{tag}:2", f"berth-e2e-commit2-{tag}"
    docker("run", "-d", "--name", cname, "berth-fixture/busybox:1", "sleep", "600")
    try:
        app = launch()
        select(app, cname)
        app.find('[data-testid="action-details"]').click()
        rows = open_shell(app)
        type_in(app, f"echo lab-{tag} > /lab.txt && echo written\n")
        app.wait(lambda: "written" in rows.get_attribute("textContent").split("&&")[-1], what="the write")
        app.find('[data-testid="terminal-close"]').click()

        app.find('[data-testid="tab-changes"]').click()
        app.wait(lambda: any("/lab.txt" in shown_text(c) for c in app.all('[data-testid="change"]')), what="the change")
        app.find('[data-testid="changes-commit"]').click()
        app.find('[data-testid="commit-image"]').send_keys(image)
        app.wait(lambda: app.find('[data-testid="commit-submit"]').is_enabled(), what="Commit enabled")
        app.find('[data-testid="commit-submit"]').click()
        app.find('[data-testid="commit-done"]', timeout=20)
        app.shot("commit")

        app.find('[data-testid="commit-run"]').click()
        assert app.find('[data-testid="run-image"]').get_attribute("value") == image
        app.find('[data-testid="run-name"]').send_keys(second)
        app.find('[data-testid="run-command"]').send_keys("cat /lab.txt")
        app.wait(lambda: app.find('[data-testid="run-submit"]').is_enabled(), what="Run enabled")
        app.find('[data-testid="run-submit"]').click()
        deadline = time.time() + 15
        out = ""
        while time.time() < deadline and f"lab-{tag}" not in out:
            out = docker("logs", second, check=False).stdout
            time.sleep(0.3)
        assert f"lab-{tag}" in out, out

        # The new image is in the Images list.
        app.find('[data-testid="nav-images"]').click()
        app.find(f'[data-testid="image-row"][data-ref="{image}"]')
    finally:
        docker("rm", "-f", cname, second, check=False)
        docker("image", "rm", image, check=False)


def test_an_unchanged_container_commits_with_an_empty_layer_and_its_changes(launch):
    # Issue 14, bug 7: docker commits an unchanged container too (with -c,
    # configuration baked into an image); Berth used to offer it only after
    # a change.
    tag = uuid.uuid4().hex[:8]
    cname, image = f"berth-e2e-commit0-{tag}", f"berth-e2e-committed0-{tag}:1"
    docker("create", "--name", cname, "berth-fixture/busybox:1", "sleep", "600")
    try:
        app = launch()
        select(app, cname)
        app.find('[data-testid="action-details"]').click()
        app.find('[data-testid="tab-changes"]').click()
        app.find('[data-testid="changes-none"]')
        app.find('[data-testid="changes-commit"]').click()
        assert "empty" in shown_text(app.find('[data-testid="commit-empty-layer"]'))
        app.find('[data-testid="commit-image"]').send_keys(image)
        app.find('[data-testid="commit-changes"]').send_keys(f"ENV BAKED={tag}")
        app.wait(lambda: app.find('[data-testid="commit-submit"]').is_enabled(), what="Commit enabled")
        app.find('[data-testid="commit-submit"]').click()
        app.find('[data-testid="commit-done"]', timeout=20)
        env = docker("image", "inspect", "-f", "{{json .Config.Env}}", image).stdout
        assert f"BAKED={tag}" in env, env
    finally:
        docker("rm", "-f", cname, check=False)
        docker("image", "rm", image, check=False)
