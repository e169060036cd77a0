"""End-to-end fixtures: the REAL Berth binary in Xvfb, driven over WebDriver
(tauri-driver + WebKitWebDriver), against the real engine.

Each launch gets its own tauri-driver (the app inherits its environment, so a
test can give it its own DOCKER_HOST) and its own XDG folders (settings do not
leak between tests, but can be kept across a restart)."""

import os
import signal
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



def descendants(pid):
    """The pids below `pid` in the process tree, deepest last."""
    out = subprocess.run(["ps", "-e", "-o", "pid=,ppid="], capture_output=True, text=True).stdout
    children = {}
    for line in out.splitlines():
        p, pp = map(int, line.split())
        children.setdefault(pp, []).append(p)
    found, todo = [], list(children.get(pid, []))
    while todo:
        p = todo.pop(0)
        found.append(p)
        todo.extend(children.get(p, []))
    return found


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
        # The driver's children (WebKitWebDriver, the app and its WebKit
        # processes) outlive it unless ended too: a window left behind
        # shares pages with the next one and skews what is measured.
        left = descendants(self.driver_proc.pid)
        if self.driver_proc.poll() is None:
            self.driver_proc.terminate()
            try:
                self.driver_proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.driver_proc.kill()
                self.driver_proc.wait()
        for pid in left:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
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


def print_what_was_shown(app, name):
    """A failed test's window, for a run read later (CI): the screen as
    text and a screenshot under e2e/screens."""
    try:
        # The nav is the same on every screen: what is shown is under main,
        # squeezed (a CI log keeps only so much of a test's output).
        text = app.wd.execute_script(
            "const a = document.activeElement;"
            "const m = document.querySelector('main') || document.body;"
            "const ids = [...document.querySelectorAll('[data-testid^=\"screen-\"], .modal-backdrop')]"
            "  .map(e => e.getAttribute('data-testid') || e.className);"
            "return [m.innerText.replace(/\\s*\\n\\s*/g, ' | '),"
            " a ? a.tagName + ' ' + (a.getAttribute('data-testid') || '') : '', ids.join(', ')];"
        )
        print(f"\n--- the window when it failed: shown {text[2]}; focus {text[1]} ---\n{text[0][:3000]}")
    except Exception as e:  # the window may be what failed
        print(f"\n--- the window's text could not be read: {e} ---")
    try:
        app.shot(name)
        print(f"--- screenshot: {SHOTS / (name + '.png')} ---")
    except Exception as e:
        print(f"--- no screenshot: {e} ---")


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
    failed = any(getattr(request.node, f"report_{w}", None) and getattr(request.node, f"report_{w}").failed for w in ("setup", "call"))
    if failed:
        for i, a in enumerate(apps):
            print_what_was_shown(a, f"failed-{request.node.name}-{i}")
    for a in apps:
        try:
            a.quit()
        except Exception:
            pass
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


# Issue 15: what the window shows, read as a person reads it, for runs of
# English words in the Korean UI. Not counted: code (commands, names, paths:
# `code`, `pre`, `kbd`, backticks), a container's own output (logs, the
# terminal), and the engine's or the system's words, which the Korean
# sentences quote in “…”; a tooltip's line that is a `docker` command. Text is taken per block (a paragraph, a cell), so
# words split across inline elements still make one run.
SCAN_JS = r"""
const OUT = [];
const SKIP = 'code, pre, kbd, samp, script, style, noscript, option, .xterm, [role="log"], [data-testid="build-output"], [data-testid="log-lines"]';
const shown = (el) => {
  if (!el.getClientRects().length) return false;
  for (let e = el; e; e = e.parentElement) {
    const s = getComputedStyle(e);
    if (s.display === 'none' || s.visibility === 'hidden') return false;
  }
  return true;
};
const inline = (el) => getComputedStyle(el).display.startsWith('inline') && !['INPUT','SELECT','TEXTAREA','BUTTON'].includes(el.tagName);
const blockOf = (el) => { while (el.parentElement && inline(el)) el = el.parentElement; return el; };
const texts = new Map();
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
for (let n = walker.nextNode(); n; n = walker.nextNode()) {
  const el = n.parentElement;
  if (!el || !n.textContent.trim()) continue;
  const skipped = el.closest(SKIP);
  const block = blockOf(skipped || el);
  if (!shown(el)) continue;
  texts.set(block, (texts.get(block) || '') + (skipped ? ' \u2022 ' : n.textContent));
}
for (const el of document.querySelectorAll('[placeholder], [title], [aria-label]')) {
  if (el.closest(SKIP) || !shown(el)) continue;
  for (const a of ['placeholder', 'title', 'aria-label']) {
    const v = el.getAttribute(a);
    // A tooltip's `docker …` line is the command the control equals.
    if (v) texts.set({ attr: a, el }, v.replace(/^docker\s.*$/gm, ' \u2022 '));
  }
}
const word = /^[(\[]?[A-Za-z][a-z]*['’]?[a-z]*[.,;:!?)\]]*$/;
for (const [where, raw] of texts) {
  const text = raw.replace(/“[^”]*”/g, ' \u2022 ').replace(/`[^`]*`/g, ' \u2022 ');
  let run = [];
  const flush = () => {
    if (run.length >= 3) {
      const el = where.el || where;
      OUT.push({ words: run.join(' '), where: (el.getAttribute && (el.getAttribute('data-testid') || el.className)) || el.tagName, text: raw.slice(0, 200) });
    }
    run = [];
  };
  for (const tok of text.split(/\s+/)) {
    if (tok && word.test(tok)) run.push(tok); else flush();
  }
  flush();
}
return OUT;
"""


def english_runs(app):
    """Runs of three or more English words outside code in the window now."""
    return app.wd.execute_script(SCAN_JS)
