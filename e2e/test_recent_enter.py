"""Issue 14, bug 1: Enter acts on what is in the field, also when the field
offers suggestions (the recent references of E6, the Run dialog's local
images). WebKitGTK's <datalist> popup used to swallow the Enter."""

import uuid

from selenium.webdriver.common.keys import Keys

from conftest import Profile, docker
from test_foundation import shown_text

TREE = "127.0.0.1:5000/berth-fixture/multi:1"
PULL = "127.0.0.1:5000/berth-fixture/busybox:1"


def test_enter_acts_on_a_remembered_reference_in_every_field_that_offers_one(launch):
    profile = Profile()
    cname = f"berth-e2e-enter-{uuid.uuid4().hex[:8]}"
    docker("image", "rm", PULL, check=False)
    try:
        app = launch(profile)
        app.find('[data-testid="nav-inspector"]', timeout=20).click()
        app.find('[data-testid="inspector-reference"]').send_keys(TREE)
        app.find('[data-testid="inspector-go"]').click()
        app.find('[data-testid="node-index"]', timeout=20)
        app.find('[data-testid="nav-images"]').click()
        app.find('[data-testid="pull-open"]').click()
        app.find('[data-testid="pull-reference"]').send_keys(PULL)
        app.wait(lambda: app.find('[data-testid="pull-submit"]').is_enabled(), what="Pull enabled")
        app.find('[data-testid="pull-submit"]').click()
        app.find('[data-testid="pull-done"]', timeout=30)
        app.wait(
            lambda: profile.settings_file.exists() and PULL in profile.settings_file.read_text(),
            what="both references saved",
        )
        app.quit()
        docker("image", "rm", PULL)

        again = launch(profile)
        # Inspector: typed again, then Enter.
        again.find('[data-testid="nav-inspector"]', timeout=20).click()
        field = again.find('[data-testid="inspector-reference"]')
        field.send_keys(TREE)
        field.send_keys(Keys.ENTER)
        again.find('[data-testid="node-index"]', timeout=20)

        # Pull: typed again, then Enter.
        again.find('[data-testid="nav-images"]').click()
        again.find('[data-testid="pull-open"]').click()
        field = again.find('[data-testid="pull-reference"]')
        field.send_keys(PULL)
        again.wait(lambda: again.find('[data-testid="pull-submit"]').is_enabled(), what="Pull enabled")
        field.send_keys(Keys.ENTER)
        again.find('[data-testid="pull-done"]', timeout=30)
        assert docker("image", "inspect", PULL, check=False).returncode == 0

        # Run: a local image typed whole (it is among the suggestions), then
        # Enter in that field runs it.
        again.find('[data-testid="nav-containers"]').click()
        again.find('[data-testid="run-open"]').click()
        again.find('[data-testid="run-name"]').send_keys(cname)
        field = again.find('[data-testid="run-image"]')
        field.send_keys("berth-fixture/web:1")
        again.wait(lambda: again.find('[data-testid="run-submit"]').is_enabled(), what="Run enabled")
        field.send_keys(Keys.ENTER)
        again.wait(
            lambda: docker("inspect", "-f", "{{.Config.Image}}", cname, check=False).stdout.strip()
            == "berth-fixture/web:1",
            timeout=15,
            what="the container run by Enter",
        )
    finally:
        docker("rm", "-f", cname, check=False)
        docker("image", "rm", PULL, check=False)
