"""The foundation, end to end in the real app: live lists, engine down and
back, languages that persist, settings that survive damage."""

import os
import signal
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

from conftest import Profile, descendants, docker


def name(tag):
    return f"berth-e2e-{tag}-{uuid.uuid4().hex[:8]}"


def shown_text(el):
    """What a person reads in el: it must be displayed; its text is taken
    from the DOM, as WebKitWebDriver returns '' for text Svelte renders in
    pieces (seen with the code-aware sentences)."""
    assert el.is_displayed()
    return " ".join(el.get_attribute("textContent").split())


def row_present(app, cname, state=None):
    rows = app.all(f'[data-testid="container-row"][data-name="{cname}"]')
    return len(rows) > 0 and (state is None or rows[0].get_attribute("data-state") == state)


def test_a_container_run_in_a_terminal_appears_within_2s_and_goes_when_removed(launch):
    app = launch()
    app.find('[data-testid="screen-containers"]', timeout=20)
    app.find('[data-testid="show-all"]').click()
    app.wait(lambda: app.find('[data-testid="cli-command"]').text == "docker container ls -a", what="-a")
    cname = name("live")
    try:
        t0 = time.monotonic()
        docker("run", "-d", "--name", cname, "berth-fixture/busybox:1", "sleep", "120")
        app.wait(lambda: row_present(app, cname, "running"), timeout=2.0, what=f"{cname} running in the list")
        print(f"appeared running after {time.monotonic() - t0:.2f}s")
        row = app.find(f'[data-testid="container-row"][data-name="{cname}"]')
        assert shown_text(row.find_element("css selector", '[data-testid="status-sentence"]')) == "Running."
        app.shot("containers")
    finally:
        docker("rm", "-f", cname, check=False)
    app.wait(lambda: not row_present(app, cname), timeout=2.0, what=f"{cname} gone")


def test_an_exited_container_explains_its_exit_code(launch):
    cname = name("exit")
    docker("run", "--name", cname, "berth-fixture/busybox:1", "sh", "-c", "exit 137", check=False)
    try:
        app = launch()
        app.find('[data-testid="screen-containers"]', timeout=20)
        app.find('[data-testid="show-all"]').click()
        app.wait(lambda: row_present(app, cname), what=cname)
        row = app.find(f'[data-testid="container-row"][data-name="{cname}"]')
        assert "code 137" in shown_text(row.find_element("css selector", '[data-testid="status-sentence"]'))
        # "Running" hides it: a stopped container is not running.
        app.find('[data-testid="show-running"]').click()
        app.wait(lambda: not row_present(app, cname), what="hidden with Running")
    finally:
        docker("rm", "-f", cname, check=False)


def test_the_engine_down_screen_names_the_endpoint_and_recovers_when_it_answers(launch):
    tmp = Path(tempfile.mkdtemp(prefix="berth-e2e-sock-"))
    sock = tmp / "docker.sock"
    app = launch(env={"DOCKER_HOST": f"unix://{sock}"})
    app.find('[data-testid="engine-down"] [data-testid="attempt"]', timeout=20)
    attempt = app.find('[data-testid="attempt"]')
    assert app.find('[data-testid="attempt-endpoint"]').text == f"unix://{sock}"
    assert attempt.get_attribute("data-failure") == "notFound"
    assert "DOCKER_HOST" in attempt.text
    app.shot("engine-down")
    # The engine "comes back" at that address.
    engine = os.environ.get("DOCKER_HOST", "unix:///var/run/docker.sock").removeprefix("unix://")
    # Its own process group: socat forks a child per connection, and the
    # engine "going away" must close those too.
    proxy = subprocess.Popen(
        ["socat", f"UNIX-LISTEN:{sock},fork", f"UNIX-CONNECT:{engine}"], start_new_session=True
    )
    try:
        t0 = time.monotonic()
        app.find('[data-testid="screen-containers"]', timeout=5)
        print(f"reconnected after {time.monotonic() - t0:.2f}s")
        # And goes away again: the app says the connection broke.
        os.killpg(proxy.pid, signal.SIGTERM)
        proxy.wait()
        sock.unlink(missing_ok=True)
        lost = app.find('[data-testid="engine-lost"]', timeout=10)
        assert f"unix://{sock}" in lost.text
    finally:
        if proxy.poll() is None:
            os.killpg(proxy.pid, signal.SIGKILL)


def test_a_garbage_docker_host_names_the_variable_and_its_value(launch):
    app = launch(env={"DOCKER_HOST": "htp://oops"})
    problem = app.find('[data-testid="config-problem"]', timeout=20)
    assert "DOCKER_HOST" in problem.text and "htp://oops" in problem.text


def test_korean_changes_the_sidebar_and_survives_a_restart(launch):
    profile = Profile()
    app = launch(profile)
    nav = app.find('[data-testid="nav-containers"]', timeout=20)
    assert nav.text.endswith("Containers")
    app.find('[data-testid="language"] option[value="ko"]').click()
    app.wait(lambda: app.find('[data-testid="nav-containers"]').text.endswith("컨테이너"), what="Korean")
    assert app.find('[data-testid="nav-images"]').text.endswith("이미지")
    app.wait(lambda: profile.settings_file.exists() and '"ko"' in profile.settings_file.read_text(), what="saved")
    app.shot("korean")
    app.quit()

    again = launch(profile)
    again.wait(
        lambda: again.find('[data-testid="nav-containers"]', timeout=20).text.endswith("컨테이너"),
        what="Korean after restart",
    )


def test_a_damaged_settings_file_resets_to_defaults_with_a_notice(launch):
    profile = Profile()
    profile.settings_file.parent.mkdir(parents=True, exist_ok=True)
    profile.settings_file.write_text('{"settings": {"language": "ko", ')
    app = launch(profile)
    notice = app.find('[data-testid="settings-notice"]', timeout=20)
    assert "damaged" in notice.text
    assert app.find('[data-testid="nav-containers"]').text.endswith("Containers")
    kept = list(profile.settings_file.parent.glob("settings.json.damaged-*"))
    assert len(kept) == 1 and kept[0].read_text() == '{"settings": {"language": "ko", '


def test_the_engine_screen_shows_version_api_and_disk_usage(launch):
    app = launch()
    app.find('[data-testid="nav-engine"]', timeout=20).click()
    version = docker("version", "--format", "{{.Server.Version}}|{{.Server.APIVersion}}").stdout.strip()
    server, api = version.split("|")
    app.wait(lambda: app.find('[data-testid="engine-version"]').text == server, what="version")
    assert app.find('[data-testid="engine-api"]').text.startswith(api)
    app.wait(lambda: len(app.all('[data-testid="disk-row"]')) == 4, what="disk usage rows")
    # Cell by cell: WebKitWebDriver runs a row's cells together in .text.
    rows = {
        r.get_attribute("data-kind"): [c.text for c in r.find_elements("css selector", "td")]
        for r in app.all('[data-testid="disk-row"]')
    }
    df = docker("system", "df", "--format", "{{.Type}}|{{.TotalCount}}").stdout
    cli_images = next(line.split("|")[1] for line in df.splitlines() if line.startswith("Images|"))
    # Cells: type, total, active, size, reclaimable.
    assert rows["images"][1] == cli_images
    app.shot("engine")


def test_the_images_list_shows_the_fixture_images(launch):
    app = launch()
    app.find('[data-testid="nav-images"]', timeout=20).click()
    app.find('[data-testid="image-row"][data-ref="berth-fixture/busybox:1"]')
    image_id = docker("image", "inspect", "--format", "{{.Id}}", "berth-fixture/busybox:1").stdout.strip()
    row = app.find('[data-testid="image-row"][data-ref="berth-fixture/busybox:1"]')
    assert image_id.removeprefix("sha256:")[:12] in shown_text(row)
    app.shot("images")


def cargo_version():
    for line in (Path(__file__).resolve().parent.parent / "Cargo.toml").read_text().splitlines():
        if line.startswith("version = "):
            return line.split('"')[1]
    raise AssertionError("no version in Cargo.toml")


def test_berth_version_answers_without_a_window():
    from conftest import APP

    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    t0 = time.monotonic()
    out = subprocess.run([str(APP), "--version"], capture_output=True, text=True, env=env, timeout=10)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == f"Berth {cargo_version()}"
    assert time.monotonic() - t0 < 5
    helped = subprocess.run([str(APP), "--help"], capture_output=True, text=True, env=env, timeout=10)
    assert helped.returncode == 0 and "Usage: berth" in helped.stdout


def test_the_about_view_names_berths_and_the_engines_versions(launch):
    app = launch()
    app.find('[data-testid="screen-containers"]', timeout=20)
    app.find('[data-testid="about-open"]').click()
    about = app.find('[data-testid="about"]')
    app.find('[data-testid="about-engine-version"]')
    assert shown_text(app.find('[data-testid="about-version"]')) == cargo_version()
    engine = docker("version", "--format", "{{.Server.Version}}|{{.Server.APIVersion}}").stdout.strip()
    server, api = engine.split("|")
    assert shown_text(app.find('[data-testid="about-engine-version"]')) == server
    # The negotiated version: no newer than the engine's own.
    used = shown_text(app.find('[data-testid="about-api-version"]'))
    assert tuple(map(int, used.split("."))) <= tuple(map(int, api.split("."))), (used, api)
    assert "dev.berth.app" in shown_text(about)
    assert "docker version" in shown_text(about)
    app.shot("about")
    app.find('[data-testid="about-close"]').click()
    app.wait(lambda: not app.all('[data-testid="about"]'), what="the About view to close")


def test_the_about_view_says_there_is_no_engine_when_none_answers(launch, tmp_path):
    app = launch(env={"DOCKER_HOST": f"unix://{tmp_path}/no-engine.sock"})
    app.find('[data-testid="about-open"]', timeout=20).click()
    assert shown_text(app.find('[data-testid="about-version"]')) == cargo_version()
    assert "No engine is connected" in shown_text(app.find('[data-testid="about-no-engine"]'))
    assert not app.all('[data-testid="about-engine-version"]')


def processes_of(app):
    """The app's processes below the WebDriver, by name, with the
    environment each was started with."""
    found = {}
    for p in descendants(app.driver_proc.pid):
        try:
            comm = Path(f"/proc/{p}/comm").read_text().strip()
            env = Path(f"/proc/{p}/environ").read_bytes().split(b"\0")
        except OSError:
            continue
        found.setdefault(comm, []).append(env)
    return found


def test_berth_starts_with_mallocs_threshold_fixed_and_keeps_it_from_its_children(launch):
    app = launch()
    app.find('[data-testid="screen-containers"]')
    procs = processes_of(app)
    assert len(procs.get("berth", [])) == 1, sorted(procs)
    assert b"MALLOC_MMAP_THRESHOLD_=131072" in procs["berth"][0]
    web = procs.get("WebKitWebProces", [])
    assert web, sorted(procs)
    for env in web + procs.get("WebKitNetworkPr", []):
        assert not any(e.startswith((b"MALLOC_MMAP_THRESHOLD_=", b"BERTH_MALLOC_SET=")) for e in env)


def test_a_users_own_malloc_setting_is_left_as_it_is(launch):
    app = launch(env={"MALLOC_MMAP_THRESHOLD_": "65536"})
    app.find('[data-testid="screen-containers"]')
    procs = processes_of(app)
    (berth,) = procs["berth"]
    assert b"MALLOC_MMAP_THRESHOLD_=65536" in berth
    assert not any(e.startswith(b"BERTH_MALLOC_SET=") for e in berth)
    # Not Berth's to take away: WebKit's processes have it too.
    assert all(b"MALLOC_MMAP_THRESHOLD_=65536" in env for env in procs["WebKitWebProces"])
