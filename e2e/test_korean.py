"""Issue 15 (L4) in the real window: with the Korean UI, every section and
the moments a learner most needs the words (a bad value in each field of the
Run dialog, bad references in Pull and the Inspector, a broken Dockerfile, a
wrong password, a volume and a network in use, a container's status) read
in Korean. The scan fails on any run of three English words outside code;
it is first shown to catch a planted English sentence."""

import uuid

from selenium.common.exceptions import TimeoutException, ElementClickInterceptedException, ElementNotInteractableException

from conftest import docker, english_runs
from test_foundation import shown_text
from test_login import REGISTRY, pass_store  # noqa: F401 (a fixture)
from test_run import open_dialog


def korean(app):
    app.find('[data-testid="language"] option[value="ko"]', timeout=20).click()
    app.wait(lambda: app.wd.execute_script("return document.documentElement.lang") == "ko", what="the Korean UI")


class Scan:
    """Scans the window at each stop and keeps what it found, by stop."""

    def __init__(self, app):
        self.app = app
        self.found = []

    def __call__(self, stop):
        for r in english_runs(self.app):
            self.found.append(f"{stop}: “{r['words']}” in {r['where']}: {r['text']!r}")

    def check(self):
        assert not self.found, "English left in the Korean UI:\n" + "\n".join(self.found)


def click(app, css):
    """Clicks once the control can take it: scrolled to the middle of the
    dialog, retried while the form's checks still move it about."""

    def go():
        el = app.find(css)
        app.wd.execute_script("arguments[0].scrollIntoView({block: 'center'})", el)
        try:
            el.click()
            return True
        except (ElementNotInteractableException, ElementClickInterceptedException):
            return False

    app.wait(go, what=f"{css} clickable")


def wait_text(app, css, says, timeout=15):
    app.wait(lambda: app.all(css) and says in shown_text(app.find(css)), timeout=timeout, what=f"{css}: {says}")


def test_the_scan_catches_a_planted_english_sentence(launch):
    app = launch()
    korean(app)
    app.find('[data-testid="nav-containers"]').click()
    assert english_runs(app) == [], english_runs(app)
    app.wd.execute_script(
        "const p = document.createElement('p'); p.id = 'planted';"
        "p.textContent = '컨테이너 목록: this sentence was left in English';"
        "document.querySelector('main').appendChild(p);"
    )
    found = english_runs(app)
    assert [r["words"] for r in found] == ["this sentence was left in English"], found
    # Code and the engine's quoted words are not counted.
    app.wd.execute_script(
        "document.getElementById('planted').innerHTML ="
        " '도커 엔진의 답: “No such container: web” <code>docker image pull busybox</code> `docker ps -a`';"
    )
    assert english_runs(app) == [], english_runs(app)


def test_every_section_and_every_refusal_reads_in_korean(launch, pass_store, tmp_path):  # noqa: F811
    tag = uuid.uuid4().hex[:8]
    up, down, vol, net = (f"berth-e2e-ko-{w}-{tag}" for w in ("up", "down", "vol", "net"))
    config = tmp_path / "docker-config"
    config.mkdir()
    context = tmp_path / "broken"
    context.mkdir()
    (context / "Dockerfile").write_text("FROM berth-fixture/busybox:1\nRUN exit 3\n")
    try:
        docker("volume", "create", vol)
        docker("network", "create", net)
        docker("run", "-d", "--name", up, "-v", f"{vol}:/data", "--network", net, "berth-fixture/busybox:1", "sleep", "600")
        docker("run", "--name", down, "berth-fixture/busybox:1", "sh", "-c", "exit 3", check=False)

        app = launch(env={**pass_store, "DOCKER_CONFIG": str(config)})
        korean(app)
        scan = Scan(app)

        app.find('[data-testid="show-all"]', timeout=20).click()
        for section in ("containers", "images", "build", "registries", "volumes", "networks", "swarm", "inspector", "labs", "activity", "engine"):
            app.find(f'[data-testid="nav-{section}"]').click()
            app.find(f'[data-testid="screen-{section}"]', timeout=15)
            if section == "containers":
                app.wait(lambda: app.all(f'[data-testid="container-row"][data-name="{down}"]'), what="the rows")
            scan(section)

        # A lab opened, its first step with its concept, command and way.
        app.find('[data-testid="nav-labs"]').click()
        app.find('[data-testid="lab-open-volumes"]', timeout=15).click()
        app.find('[data-testid="lab-step-two"] [data-testid="lab-berth-way"]', timeout=15)
        assert "컨테이너" in shown_text(app.find('[data-testid="lab-step-two"]'))
        scan("a lab's first step")
        app.find('[data-testid="lab-back"]').click()

        # The status badges, in the list and in the details.
        app.find('[data-testid="nav-containers"]').click()
        row = app.find(f'[data-testid="container-row"][data-name="{down}"]', timeout=15)
        assert "코드 3" in shown_text(row), shown_text(row)
        up_row = app.find(f'[data-testid="container-row"][data-name="{up}"]')
        assert "실행 중" in shown_text(up_row), shown_text(up_row)
        scan("the container list")
        app.find(f'[data-testid="container-row"][data-name="{up}"]').click()
        app.find('[data-testid="action-details"]').click()
        app.find('[data-testid="container-details"]', timeout=15)
        scan("a running container's details")
        app.find('[data-testid="details-back"]').click()

        # The Run dialog, a bad value in each of its fields. Every row and
        # choice first: the errors appearing as the form is checked move the
        # buttons below them.
        open_dialog(app)
        # Each row's first field, seen before going on (under load a click
        # can land while the dialog still lays out: clicked again then).
        for add, field in (
            ("port", "run-port"),
            ("bind", "run-bind-source"),
            ("volume", "run-volume-name"),
            ("tmpfs", "run-tmpfs-target"),
            ("env", "run-env-key"),
        ):
            for _ in range(3):
                if app.all(f'[data-testid="{field}"]'):
                    break
                click(app, f'[data-testid="run-add-{add}"]')
                try:
                    app.find(f'[data-testid="{field}"]', timeout=5)
                except TimeoutException:
                    pass
            assert app.all(f'[data-testid="{field}"]'), f"no {field} row after clicking Add"
        # Both set before the conflict can be said (under load a click can
        # be lost while the dialog lays out: set again then).
        for _ in range(3):
            if app.find('[data-testid="run-restart"]').get_attribute("value") != "always":
                click(app, '[data-testid="run-restart"] option[value="always"]')
            if not app.find('[data-testid="run-rm"]').is_selected():
                click(app, '[data-testid="run-rm"]')
            if app.find('[data-testid="run-rm"]').is_selected() and app.find('[data-testid="run-restart"]').get_attribute("value") == "always":
                break
        assert app.find('[data-testid="run-rm"]').is_selected(), "--rm not ticked"
        for testid, value in (
            ("run-image", "Ceo"),
            ("run-name", "my web"),
            ("run-command", 'sh -c "echo'),
            ("run-port", "80:80:80"),
            ("run-bind-source", "site"),
            ("run-bind-target", "app"),
            ("run-volume-name", "my vol"),
            ("run-volume-target", "/app"),
            ("run-tmpfs-target", "/"),
            ("run-tmpfs-size", "12q"),
            ("run-env-key", "MY VAR"),
        ):
            app.find(f'[data-testid="{testid}"]').send_keys(value)
        wait_text(app, '[data-testid="error-image"]', "소문자")
        wait_text(app, '[data-testid="error-name"]', "my web에")
        wait_text(app, '[data-testid="error-port"]', "IP 주소가 아닙니다")
        wait_text(app, '[data-testid="error-restart"]', "--rm")
        app.wait(lambda: len(app.all('[data-testid="run-dialog"] .field-error')) >= 11, what="every field's error")
        scan("the Run dialog, every field wrong")
        errors = [shown_text(e) for e in app.all('[data-testid="run-dialog"] .field-error')]
        app.shot("korean-run-dialog")
        app.find('[data-testid="run-cancel"]').click()

        # A name taken, a port with the host network, a missing image: the
        # checks against the engine.
        open_dialog(app)
        app.find('[data-testid="run-image"]').send_keys("berth-e2e/nope:1")
        app.find('[data-testid="run-name"]').send_keys(up)
        app.find('[data-testid="run-network"] option[value="host"]').click()
        app.find('[data-testid="run-add-port"]').click()
        app.find('[data-testid="run-port"]').send_keys("8080:80")
        wait_text(app, '[data-testid="error-port"]', "host 네트워크")
        scan("the Run dialog, checked against the engine")
        app.find('[data-testid="run-network"] option[value=""]').click()
        wait_text(app, '[data-testid="error-name"]', up)
        wait_text(app, '[data-testid="error-image"]', "이 컴퓨터에 없습니다")
        scan("the Run dialog, a taken name and a missing image")
        app.find('[data-testid="run-cancel"]').click()

        # Pull, a bad reference.
        app.find('[data-testid="nav-images"]').click()
        app.find('[data-testid="pull-open"]').click()
        app.find('[data-testid="pull-reference"]').send_keys("Busybox@sha256:12")
        app.wait(lambda: app.all('[data-testid="pull-reference-error"]'), what="the reference error")
        scan("Pull, a bad reference")

        # The Inspector: a bad reference, then one the registry has not.
        app.find('[data-testid="nav-inspector"]').click()
        field = app.find('[data-testid="inspector-reference"]')
        field.send_keys("127.0.0.1:5000/Team/app")
        scan("the Inspector, a bad reference")
        field.clear()
        field.send_keys(f"127.0.0.1:5000/berth-e2e/missing-{tag}:1")
        app.find('[data-testid="inspector-go"]').click()
        wait_text(app, '[data-testid="inspector-error"]', "없습니다", timeout=30)
        scan("the Inspector, not in the registry")

        # Build, a Dockerfile whose step fails.
        app.find('[data-testid="nav-build"]').click()
        app.find('[data-testid="build-folder"]').send_keys(str(context))
        app.wait(lambda: len(app.all('[data-testid="build-step"]')) == 2, what="the Dockerfile shown")
        app.find('[data-testid="build-start"]').click()
        error = app.find('[data-testid="build-error"]', timeout=60)
        assert "2단계" in shown_text(error), shown_text(error)
        scan("Build, a failed step")
        app.shot("korean-build-failed")

        # Login with a wrong password.
        app.find('[data-testid="nav-registries"]').click()
        app.find('[data-testid="login-none"]', timeout=15)
        helper = next(r for r in app.all('[data-testid="login-helper"]') if r.get_attribute("value") == "pass")
        helper.click()
        app.find('[data-testid="login-server"]').send_keys(REGISTRY)
        app.find('[data-testid="login-username"]').send_keys("berth")
        app.find('[data-testid="login-password"]').send_keys("wrong")
        app.find('[data-testid="login-submit"]').click()
        wait_text(app, '[data-testid="login-error"]', "거절했습니다", timeout=30)
        scan("Login, a wrong password")

        # A volume and a network in use, removed.
        app.find('[data-testid="nav-volumes"]').click()
        row = f'[data-testid="volume-row"][data-name="{vol}"]'
        app.find(row + ' [data-testid="volume-remove"]', timeout=15).click()
        app.find(row + ' [data-testid="volume-remove-confirm"]').click()
        wait_text(app, '[data-testid="volumes-error"]', vol)
        scan("a volume in use, removed")
        app.find('[data-testid="nav-networks"]').click()
        app.find(f'[data-testid="network"][data-name="{net}"] [data-testid="network-remove"]', timeout=15).click()
        wait_text(app, '[data-testid="networks-error"]', net)
        scan("a network in use, removed")

        # Adding a TCP engine: the TLS files and the plain-TCP warning, a
        # save refused until it is accepted, and a CA file that is not there.
        app.find('[data-testid="nav-engine"]').click()
        click(app, '[data-testid="context-add-open"]')
        app.find('[data-testid="context-name"]').send_keys("lab")
        app.find('[data-testid="context-host"]').send_keys("tcp://127.0.0.1:1")
        app.find('[data-testid="context-plain-warning"]', timeout=10)
        click(app, '[data-testid="context-save"]')
        wait_text(app, '[data-testid="context-error-plainTcp"]', "TLS")
        scan("Add an engine, plain TCP refused")
        app.find('[data-testid="context-ca"]').send_keys("/no/such/ca.pem")
        click(app, '[data-testid="context-test"]')
        wait_text(app, '[data-testid="context-error-ca"]', "/no/such/ca.pem")
        scan("Add an engine, a CA file that is not there")
        app.wd.execute_script("arguments[0].scrollIntoView({block: 'center'})", app.find('[data-testid="context-tls"]'))
        app.shot("tls-add-engine-ko")

        scan.check()
        assert all(any("\uac00" <= c <= "\ud7a3" for c in e) for e in errors), errors
    finally:
        docker("rm", "-f", up, down, check=False)
        docker("volume", "rm", "-f", vol, check=False)
        docker("network", "rm", net, check=False)
