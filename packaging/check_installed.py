"""Checks the installed Berth (scripts/package.sh): over the WebKitWebDriver
that runs inside the clean root, it starts /usr/bin/berth, waits until the
Containers list shows the container the script made, reads the window's
WM_CLASS from the X server and compares it with the desktop entry's
StartupWMClass, opens the About view and reads the version there, and takes
a screenshot of the display as a person sees it."""

import argparse
import subprocess
import sys
import time

from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.common.options import ArgOptions
from selenium.webdriver.support.ui import WebDriverWait


def fail(msg):
    print(f"FAIL {msg}", file=sys.stderr)
    sys.exit(1)


def wm_classes(display):
    """WM_CLASS of every window titled Berth, as xprop reads it."""
    env = {"DISPLAY": display, "PATH": "/usr/bin:/bin"}
    ids = subprocess.run(
        ["xdotool", "search", "--name", "^Berth$"], capture_output=True, text=True, env=env
    ).stdout.split()
    found = []
    for w in ids:
        out = subprocess.run(["xprop", "-id", w, "WM_CLASS"], capture_output=True, text=True, env=env).stdout
        if "=" in out:
            found.append([p.strip().strip('"') for p in out.split("=", 1)[1].split(",")])
    return found


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--display", required=True)
    ap.add_argument("--container", required=True)
    ap.add_argument("--version", required=True)
    ap.add_argument("--wmclass", required=True)
    ap.add_argument("--shot", required=True)
    a = ap.parse_args()

    opts = ArgOptions()
    opts.set_capability("webkitgtk:browserOptions", {"binary": "/usr/bin/berth", "args": []})
    url = f"http://127.0.0.1:{a.port}"
    deadline = time.monotonic() + 30
    driver = None
    while driver is None:
        try:
            driver = webdriver.Remote(command_executor=url, options=opts)
        except Exception as e:  # the driver may still be starting
            if time.monotonic() > deadline:
                fail(f"no WebDriver session at {url}: {e}")
            time.sleep(0.5)
    try:
        t0 = time.monotonic()
        wait = WebDriverWait(driver, 60)
        row = f'[data-testid="container-row"][data-name="{a.container}"]'
        try:
            wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, row))
        except Exception:
            body = driver.find_element(By.TAG_NAME, "body").text[:600]
            fail(f"the Containers list never showed {a.container}; the window said: {body!r}")
        print(f"  ok: the installed app lists {a.container} ({time.monotonic() - t0:.1f} s after the session)")

        classes = wm_classes(a.display)
        if not classes:
            fail("no X window titled Berth")
        if not any(a.wmclass in c for c in classes):
            fail(f"the window's WM_CLASS is {classes}, the desktop entry's StartupWMClass is {a.wmclass}")
        print(f"  ok: WM_CLASS {classes[0]} holds StartupWMClass={a.wmclass}")

        driver.find_element(By.CSS_SELECTOR, '[data-testid="about-open"]').click()
        about = wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="about"]'))[0]
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="about-engine-version"]'))
        version = driver.find_element(By.CSS_SELECTOR, '[data-testid="about-version"]').text
        if version != a.version:
            fail(f"the About view says version {version!r}, not {a.version}")
        engine = driver.find_element(By.CSS_SELECTOR, '[data-testid="about-engine-version"]').text
        api = driver.find_element(By.CSS_SELECTOR, '[data-testid="about-api-version"]').text
        real = subprocess.run(
            ["docker", "version", "--format", "{{.Server.Version}}"], capture_output=True, text=True
        ).stdout.strip()
        if engine != real:
            fail(f"the About view says engine {engine!r}; docker version says {real!r}")
        print(f"  ok: About: Berth {version}, engine {engine}, API {api}")
        subprocess.run(
            ["import", "-window", "root", a.shot], env={"DISPLAY": a.display, "PATH": "/usr/bin:/bin"}, check=True
        )
        print(f"  screenshot: {a.shot}")
        if not about.is_displayed():
            fail("the About view is not shown")
    finally:
        driver.quit()


if __name__ == "__main__":
    main()
