"""End-to-end fixtures: the REAL Berth binary in Xvfb, driven over WebDriver
(tauri-driver + WebKitWebDriver), against the real engine.

Each launch gets its own tauri-driver (the app inherits its environment, so a
test can give it its own DOCKER_HOST) and its own XDG folders (settings do not
leak between tests, but can be kept across a restart)."""

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.remote.file_detector import UselessFileDetector
from selenium.webdriver.common.by import By
from selenium.webdriver.common.options import ArgOptions
from selenium.webdriver.support.ui import WebDriverWait

ROOT = Path(__file__).resolve().parent.parent
APP = Path(os.environ.get("BERTH_APP", ROOT / "target" / "debug" / "berth"))
SHOTS = ROOT / "e2e" / "screens"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tauri_driver_bin():
    found = shutil.which("tauri-driver") or str(Path.home() / ".cargo" / "bin" / "tauri-driver")
    assert Path(found).exists(), "tauri-driver is not installed (scripts/setup.sh test installs it)"
    return found


@pytest.fixture(scope="session")
def display():
    if os.environ.get("BERTH_E2E_DISPLAY"):
        yield os.environ["BERTH_E2E_DISPLAY"]
        return
    # -displayfd: Xvfb picks a free display itself and writes its number to
    # the pipe once it accepts clients, so nothing is guessed or polled.
    read, write = os.pipe()
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        pass_fds=(write,),
    )
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    assert number.isdigit(), f"Xvfb did not start (it wrote {number!r})"
    try:
        yield f":{number}"
    finally:
        xvfb.terminate()
        try:
            xvfb.wait(timeout=5)
        except subprocess.TimeoutExpired:
            xvfb.kill()


class Profile:
    """The app's private folders; reuse one to test a restart."""

    def __init__(self):
        self.root = Path(tempfile.mkdtemp(prefix="berth-e2e-"))
        for d in ("data", "cache", "config"):
            (self.root / d).mkdir()

    def remove(self):
        shutil.rmtree(self.root, ignore_errors=True)

    @property
    def settings_file(self):
        return self.root / "data" / "dev.berth.app" / "settings.json"

    def env(self):
        return {
            "XDG_DATA_HOME": str(self.root / "data"),
            "XDG_CACHE_HOME": str(self.root / "cache"),
            "XDG_CONFIG_HOME": str(self.root / "config"),
        }


class App:
    """One running Berth window and the WebDriver session on it."""

    def __init__(self, display, profile, extra_env=None):
        self.display = display
        assert APP.exists(), f"{APP} is missing: build it first (scripts/test.sh does)"
        env = dict(os.environ)
        env.update(profile.env())
        env["DISPLAY"] = display
        env.pop("WAYLAND_DISPLAY", None)
        for k, v in (extra_env or {}).items():
            if v is None:
                env.pop(k, None)
            else:
                env[k] = v
        port, native = free_port(), free_port()
        # The driver's (and the app's) output, kept when a test fails.
        self.log = tempfile.NamedTemporaryFile(prefix="berth-driver-", suffix=".log", delete=False)
        self.driver_proc = subprocess.Popen(
            [tauri_driver_bin(), "--port", str(port), "--native-port", str(native)],
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        opts = ArgOptions()
        opts.set_capability("browserName", "wry")
        opts.set_capability("tauri:options", {"application": str(APP)})
        self.wd = None
        deadline = time.time() + 15
        while True:
            try:
                self.wd = webdriver.Remote(command_executor=f"http://127.0.0.1:{port}", options=opts)
                # Host paths typed into fields are text, not uploads.
                self.wd.file_detector = UselessFileDetector()
                break
            except Exception:
                if time.time() > deadline:
                    self.stop_driver()  # never left running when the session fails
                    raise
                time.sleep(0.2)

    def find(self, css, timeout=10):
        return WebDriverWait(self.wd, timeout, poll_frequency=0.05).until(
            lambda d: d.find_element(By.CSS_SELECTOR, css)
        )

    def all(self, css):
        return self.wd.find_elements(By.CSS_SELECTOR, css)

    def wait(self, pred, timeout=10, what="condition"):
        return WebDriverWait(self.wd, timeout, poll_frequency=0.05).until(
            lambda d: pred(), message=f"timed out waiting for {what}"
        )

    def shot(self, name):
        """The X display as a person sees it (imagemagick). WebKitWebDriver's
        own screenshot never returns once compositing is off, as Berth sets."""
        SHOTS.mkdir(exist_ok=True)
        subprocess.run(
            ["import", "-window", "root", str(SHOTS / f"{name}.png")],
            env={**os.environ, "DISPLAY": self.display},
            check=True,
            timeout=20,
        )

    def stop_driver(self):
        if self.driver_proc.poll() is None:
            self.driver_proc.terminate()
            try:
                self.driver_proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.driver_proc.kill()
                self.driver_proc.wait()
        self.log.close()

    def quit(self):
        try:
            if self.wd is not None:
                self.wd.quit()
                self.wd = None
        finally:
            self.stop_driver()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    # Lets the launch fixture know whether the test failed.
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def launch(display, request):
    apps, profiles = [], []

    def start(profile=None, env=None):
        if profile is None:
            profile = Profile()
            profiles.append(profile)
        elif profile not in profiles:
            profiles.append(profile)
        a = App(display, profile, env)
        apps.append(a)
        return a

    yield start
    for a in apps:
        try:
            a.quit()
        except Exception:
            pass
    failed = any(getattr(request.node, f"report_{w}", None) and getattr(request.node, f"report_{w}").failed for w in ("setup", "call"))
    for a in apps:
        if failed:
            print(f"\n--- tauri-driver and app output ({a.log.name}) ---")
            print(Path(a.log.name).read_text(errors="replace")[-20000:])
        else:
            Path(a.log.name).unlink(missing_ok=True)
    for p in profiles:
        p.remove()


def docker(*args, check=True):
    return subprocess.run(["docker", *args], check=check, capture_output=True, text=True)
