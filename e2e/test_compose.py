"""P1-P6 in the real app: up from a compose file by mouse (docker-compose v1,
installed by scripts/setup.sh), see the project grouped with its services,
read the merged logs, stop one service, then take it down, keeping its
volume; with no compose CLI, the install screen."""

import shutil
import urllib.request
import uuid

import subprocess

from conftest import docker, english_runs, free_port
from test_foundation import shown_text

FILE = """services:
  web:
    image: berth-fixture/web:1
    ports:
      - "127.0.0.1:${{WEB_PORT}}:80"
  worker:
    image: berth-fixture/busybox:1
    command: sh -c "trap 'exit 0' TERM; while true; do echo {tick}; sleep 1; done & wait"
volumes:
  data: {{}}
"""


def project_containers(project):
    out = docker("ps", "-a", "--filter", f"label=com.docker.compose.project={project}", "--format", "{{.Names}} {{.State}}")
    return dict(line.split(" ", 1) for line in out.stdout.split("\n") if line)


def test_up_from_a_file_see_the_project_read_its_logs_stop_a_service_and_take_it_down(launch, tmp_path):
    project = f"berthe2e{uuid.uuid4().hex[:8]}"
    tick = f"tick-{project}"
    port = free_port()
    (tmp_path / "compose.yaml").write_text(FILE.format(tick=tick))
    (tmp_path / ".env").write_text(f"WEB_PORT={port}\n")
    try:
        app = launch()
        app.find('[data-testid="compose-up-open"]', timeout=20).click()
        app.find('[data-testid="compose-tool"]', timeout=15)
        app.find('[data-testid="up-path"]').send_keys(str(tmp_path))
        app.find('[data-testid="up-project"]').send_keys(project)
        app.wait(lambda: len(app.all('[data-testid="up-service"]')) == 2, what="the two services read")
        web = shown_text(app.find('[data-testid="up-service"][data-name="web"]'))
        assert f"-p 127.0.0.1:{port}:80" in web, web
        assert f"--network {project}_default" in web, web
        app.shot("compose-up")
        app.wait(lambda: app.find('[data-testid="up-submit"]').is_enabled(), what="Up enabled")
        app.find('[data-testid="up-submit"]').click()
        app.wait(lambda: not app.all('[data-testid="compose-up"]'), timeout=60, what="up done")

        page = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).read().decode()
        assert "<h1>Berth</h1>" in page

        card = f'[data-testid="compose-project"][data-name="{project}"]'
        app.find('[data-testid="show-all"]').click()
        app.wait(lambda: app.all(card) and "2/2" in shown_text(app.find(card + ' [data-testid="project-count"]')), timeout=15, what="2/2 running")
        app.find(card + ' [data-testid="project-fold"]').click()
        app.wait(lambda: len(app.all(card + ' [data-testid="compose-service"]')) == 2, what="two services")
        app.shot("compose-project")

        # Stop one service: only its container stops.
        app.find(card + ' [data-testid="compose-service"][data-name="worker"] [data-testid="service-stop"]').click()
        app.wait(lambda: "1/2" in shown_text(app.find(card + ' [data-testid="project-count"]')), timeout=20, what="1/2 running")
        states = project_containers(project)
        assert sorted(states.values()) == ["exited", "running"], states
        assert f"docker compose -p {project} stop worker" in shown_text(app.find(card))
        app.find(card + ' [data-testid="compose-service"][data-name="worker"] [data-testid="service-start"]').click()
        app.wait(lambda: "2/2" in shown_text(app.find(card + ' [data-testid="project-count"]')), timeout=20, what="2/2 again")

        # The merged logs hold the worker's lines.
        app.find(card + ' [data-testid="project-open"]').click()
        app.find('[data-testid="project-tab-services"]').click()
        app.wait(lambda: len(app.all('[data-testid="plan-service"]')) == 2, what="the services as docker run lines")
        app.find('[data-testid="project-tab-logs"]').click()
        lines = app.find('[data-testid="plogs-lines"]')
        app.wait(lambda: tick in lines.get_attribute("textContent"), timeout=15, what="the worker's lines")
        app.shot("compose-logs")
        app.find('[data-testid="project-back"]').click()

        # Down: containers and network go, the volume stays.
        app.find(card + ' [data-testid="project-down"]').click()
        plan = app.find('[data-testid="down-plan"]', timeout=10)
        app.wait(lambda: f"{project}_default" in shown_text(plan), what="the plan")
        assert f"{project}_data" in shown_text(plan)
        app.find('[data-testid="down-confirm-go"]').click()
        app.wait(lambda: not app.all(card), timeout=30, what="the project gone")
        assert project_containers(project) == {}
        assert docker("network", "inspect", f"{project}_default", check=False).returncode != 0
        assert docker("volume", "inspect", f"{project}_data", check=False).returncode == 0
    finally:
        docker("rm", "-f", *[f"{project}_{s}_1" for s in ("web", "worker")], check=False)
        docker("network", "rm", f"{project}_default", check=False)
        docker("volume", "rm", "-f", f"{project}_data", check=False)


def test_with_no_compose_cli_the_install_screen_says_what_to_install(launch, tmp_path):
    # A PATH with the WebDriver only: no docker-compose, and no docker (so
    # no v2 plugin either).
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "WebKitWebDriver").symlink_to(shutil.which("WebKitWebDriver"))
    app = launch(env={"PATH": str(bin_dir)})
    app.find('[data-testid="compose-up-open"]', timeout=20).click()
    install = app.find('[data-testid="compose-install"]', timeout=15)
    assert "docker-compose" in shown_text(install)
    assert not app.find('[data-testid="up-submit"]').is_enabled()


def test_a_project_and_the_up_dialog_read_in_korean(launch, tmp_path):
    # Issue 15's scan over P1-P5's words: a project made by the CLI, folded
    # open, its view, and the Up dialog reading a file.
    project = f"berthko{uuid.uuid4().hex[:8]}"
    (tmp_path / "compose.yaml").write_text(FILE.format(tick="tick"))
    (tmp_path / ".env").write_text(f"WEB_PORT={free_port()}\n")
    compose = ["docker-compose", "-f", str(tmp_path / "compose.yaml"), "-p", project]
    subprocess.run([*compose, "up", "-d"], check=True, capture_output=True)
    try:
        app = launch()
        app.find('[data-testid="language"] option[value="ko"]', timeout=20).click()
        card = f'[data-testid="compose-project"][data-name="{project}"]'
        app.find(card, timeout=15)
        app.find(card + ' [data-testid="project-fold"]').click()
        app.find(card + ' [data-testid="project-down"]').click()
        app.find('[data-testid="down-plan"]', timeout=10)
        found = english_runs(app)
        app.find(card + ' [data-testid="project-open"]').click()
        app.wait(lambda: len(app.all('[data-testid="plan-service"]')) == 2, what="the services")
        found += english_runs(app)
        app.find('[data-testid="project-tab-file"]').click()
        found += english_runs(app)
        app.find('[data-testid="project-back"]').click()
        app.find('[data-testid="compose-up-open"]').click()
        app.find('[data-testid="up-path"]').send_keys(str(tmp_path))
        app.wait(lambda: len(app.all('[data-testid="up-service"]')) == 2, what="the file read")
        found += english_runs(app)
        app.shot("compose-up-ko")
        assert found == [], found
    finally:
        subprocess.run([*compose, "down", "-v"], check=False, capture_output=True)
