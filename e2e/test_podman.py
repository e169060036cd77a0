"""E5d in the real app: Berth on Podman's Docker-compatible API (podman
system service, which scripts/setup.sh test starts). The Engine screen names
Podman and says what it lacks (swarm mode, BuildKit) as facts, not errors;
the image sizes it reports as 0 are flagged as not reported, not shown as
empty; its containers list like Docker's."""

import subprocess
import uuid

from test_foundation import row_present, shown_text

PODMAN = "unix:///run/berth-podman.sock"


def podman_docker(*args):
    return subprocess.run(["docker", "-H", PODMAN, *args], capture_output=True, text=True, check=True).stdout


def test_podman_is_named_its_gaps_said_and_its_containers_listed(launch):
    cname = f"berth-e2e-podman-{uuid.uuid4().hex[:8]}"
    podman_docker("run", "-d", "--name", cname, "berth-fixture/busybox:1", "sleep", "600")
    try:
        app = launch(env={"DOCKER_HOST": PODMAN})
        app.find('[data-testid="screen-containers"]', timeout=20)
        app.wait(lambda: row_present(app, cname, "running"), timeout=20, what="Podman's container listed")

        app.find('[data-testid="nav-engine"]').click()
        lacks = app.find('[data-testid="engine-lacks"]', timeout=20)
        assert "Podman" in shown_text(lacks)
        assert [li.get_attribute("data-lack") for li in app.all('[data-testid="engine-lack"]')] == ["swarm", "buildKit"]
        assert shown_text(app.find('[data-testid="engine-endpoint"]')) == PODMAN

        images = app.find('[data-testid="disk-row"][data-kind="images"]', timeout=30)
        assert images.find_elements("css selector", '[data-testid="disk-unreported"]'), shown_text(images)
        note = shown_text(app.find('[data-testid="disk-unreported-note"]'))
        assert "podman system df" in note, note
        app.wd.execute_script("arguments[0].scrollIntoView({block: 'center'})", lacks)
        app.shot("podman-engine")
    finally:
        subprocess.run(["docker", "-H", PODMAN, "rm", "-f", cname], capture_output=True)


def test_the_about_view_names_podman_and_its_versions_in_korean(launch):
    from test_korean import korean

    app = launch(env={"DOCKER_HOST": PODMAN})
    app.find('[data-testid="screen-containers"]', timeout=20)
    korean(app)
    app.find('[data-testid="about-open"]').click()
    about = app.find('[data-testid="about"]')
    version = app.find('[data-testid="about-engine-version"]', timeout=20)
    server, api = podman_docker("version", "--format", "{{.Server.Version}}|{{.Server.APIVersion}}").strip().split("|")
    assert shown_text(version) == server
    used = shown_text(app.find('[data-testid="about-api-version"]'))
    assert tuple(map(int, used.split("."))) <= tuple(map(int, api.split("."))), (used, api)
    text = shown_text(about)
    assert "Podman" in text and PODMAN in text, text
    # Korean labels, not English ones.
    assert "Berth 정보" in text and "엔진 버전" in text and "Engine version" not in text, text
    app.shot("about-podman-korean")
