"""Benchmark (not a test): the built app's time from launch to a filled
container list, its memory (the Berth process plus its WebKit processes)
once idle with that list shown, and how smoothly that list scrolls from top
to bottom (X1). Run by scripts/bench.sh."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from conftest import APP, App, Profile  # noqa: E402


def descendants(pid):
    out = subprocess.run(["ps", "-e", "-o", "pid=,ppid=,comm="], capture_output=True, text=True).stdout
    children = {}
    names = {}
    for line in out.splitlines():
        p, pp, comm = line.split(None, 2)
        children.setdefault(int(pp), []).append(int(p))
        names[int(p)] = comm
    todo, seen = [pid], []
    while todo:
        p = todo.pop()
        seen.append(p)
        todo.extend(children.get(p, []))
    return [(p, names.get(p, "?")) for p in seen]


def mem_kb(pid, field):
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except FileNotFoundError:
        pass
    return 0


# What each mapping of a process is, for the idle memory's breakdown: the
# parts Berth chooses (its binary, its heap) told from WebKit's own and
# the libraries every WebKit process loads on this system.
KINDS = (
    ("WebKit and JSC", ("libwebkit2gtk", "libjavascriptcoregtk")),
    ("Mesa/LLVM (EGL)", ("libLLVM", "_dri.so", "libgallium", "libEGL", "libGLX", "libgbm")),
    ("flite (speech)", ("libflite",)),
    ("fonts", ("/fonts/",)),
    ("heap and anonymous", ("[heap]", "[anon]", "[stack]")),
)


def breakdown(pid, app):
    """PSS by kind of mapping, in MB, from /proc/PID/smaps."""
    out, name = {}, None
    try:
        lines = Path(f"/proc/{pid}/smaps").read_text().splitlines()
    except FileNotFoundError:
        return out
    for line in lines:
        head = line.split(None, 5)
        if head and "-" in head[0] and len(head) >= 5 and ":" in head[3]:
            name = head[5].strip() if len(head) > 5 else "[anon]"
        elif line.startswith("Pss:"):
            kind = "other libraries and files"
            if name == str(Path(app).resolve()):
                kind = "Berth's binary"
            else:
                for k, marks in KINDS:
                    if any(m in name for m in marks):
                        kind = k
                        break
            out[kind] = out.get(kind, 0) + int(line.split()[1]) / 1024
    return out


# Scrolls the list's viewport from top to bottom in 300 steps, one per
# animation frame, and reports the time between painted frames.
SCROLL = """
const done = arguments[arguments.length - 1];
const v = document.querySelector('[data-testid="containers-table"] .viewport');
const steps = 300, max = v.scrollHeight - v.clientHeight, times = [];
let i = 0;
function step(t) {
  times.push(t);
  if (i > steps) {
    const rows = document.querySelectorAll('[data-testid="containers-table"] [data-testid="container-row"]').length;
    return done({ times, rows, bottom: v.scrollTop >= max - 2 });
  }
  v.scrollTop = (max * i++) / steps;
  requestAnimationFrame(step);
}
requestAnimationFrame(step);
"""


def record(key, value, aim, unit):
    """One figure for scripts/bench.sh's summary (BERTH_BENCH_OUT)."""
    out = Path(os.environ.get("BERTH_BENCH_OUT", "target/bench/figures.jsonl"))
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("a") as f:
        f.write(json.dumps({"key": key, "value": round(value, 3), "aim": aim, "unit": unit}) + "\n")


def started_at(pid):
    """When a process started, as wall-clock seconds. /proc gives it in
    clock ticks since boot; /proc/stat's btime is rounded to a second, so
    the boot clock's offset from the wall clock is read now instead."""
    ticks = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19])
    offset = time.time() - time.clock_gettime(time.CLOCK_BOOTTIME)
    return offset + ticks / os.sysconf("SC_CLK_TCK")


MARKS = """
const m = {};
for (const e of performance.getEntriesByType('mark')) if (e.name.startsWith('berth:')) m[e.name.slice(6)] = e.startTime;
return { origin: performance.timeOrigin, marks: m };
"""


def scroll_report(app, n):
    app.wd.set_script_timeout(120)
    r = app.wd.execute_async_script(SCROLL)
    gaps = sorted(b - a for a, b in zip(r["times"], r["times"][1:]))
    p = lambda q: gaps[min(len(gaps) - 1, int(len(gaps) * q))]  # noqa: E731
    slow = sum(1 for g in gaps if g > 50)
    # The aim's key is the 1,000-row list's; a larger list gets its own.
    suffix = "" if n <= 1000 else f"_{n}"
    record(f"scroll_p95_ms{suffix}", p(0.95), 50, "ms")
    record(f"scroll_median_ms{suffix}", p(0.5), None, "ms")
    print(
        f"scrolling {n} rows top to bottom in {len(gaps)} frames: frame interval median {p(0.5):.1f} ms, "
        f"p95 {p(0.95):.1f} ms, max {gaps[-1]:.1f} ms, {slow} frames over 50 ms; "
        f"{r['rows']} rows in the DOM at the end, reached the bottom: {r['bottom']}"
    )


WEBKIT = ("berth", "WebKitWebProcess", "WebKitNetworkProcess", "WebKitWebDriver")


def no_webkit_alive():
    """Waits for every Berth and WebKit process to end, then kills what is
    left: a process still mapping WebKit shares its pages and lowers the
    PSS measured next (seen: a window left by a WebDriver quit)."""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        left = [n for n in WEBKIT if subprocess.run(["pgrep", "-x", n[:15]], capture_output=True).returncode == 0]
        if not left:
            return
        time.sleep(0.2)
    print(f"  (still alive after 5 s, killed: {', '.join(left)})")
    for n in left:
        subprocess.run(["pkill", "-9", "-x", n[:15]], capture_output=True)
    time.sleep(0.5)


def idle_memory(display, expected):
    """The app started as a user starts it (no WebDriver session), left 10 s
    to list and settle: PSS and private dirty of it and its WebKit
    processes. No other WebKit process is alive."""
    no_webkit_alive()
    profile = Profile()
    env = {**os.environ, **profile.env(), "DISPLAY": display}
    proc = subprocess.Popen([str(APP)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(10)
        procs = descendants(proc.pid)
        pss = sum(mem_kb(p, "Pss") for p, _ in procs) / 1024
        dirty = sum(mem_kb(p, "Private_Dirty") for p, _ in procs) / 1024
        print(f"memory idle with {expected} containers, no WebDriver session: PSS {pss:.0f} MB, private dirty {dirty:.0f} MB")
        for p, name in procs:
            parts = sorted(breakdown(p, APP).items(), key=lambda kv: -kv[1])
            print(
                f"  {name}({p}): PSS {mem_kb(p, 'Pss') / 1024:.0f} MB, private dirty {mem_kb(p, 'Private_Dirty') / 1024:.0f} MB: "
                + ", ".join(f"{k} {v:.1f}" for k, v in parts if v >= 0.1)
            )
        record(f"pss_mb_{expected}", pss, 200 if expected == 1000 else None, "MB")
        record(f"private_dirty_mb_{expected}", dirty, None, "MB")
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        profile.remove()
        no_webkit_alive()


FRAMES = """
window.__gaps = []; window.__last = performance.now(); window.__on = true;
const step = (t) => { window.__gaps.push(t - window.__last); window.__last = t; if (window.__on) requestAnimationFrame(step); };
requestAnimationFrame(step);
"""

SEARCH = """
const done = arguments[arguments.length - 1];
const box = document.querySelector('[data-testid="logs-search"]');
const count = document.querySelector('[data-testid="logs-count"]');
const before = count.textContent;
const t0 = performance.now();
const set = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
set.call(box, arguments[0]);
box.dispatchEvent(new Event('input', { bubbles: true }));
const poll = () => count.textContent !== before ? done(performance.now() - t0) : requestAnimationFrame(poll);
requestAnimationFrame(poll);
"""


def logs_window(display):
    """1,000,000 log lines streaming into the real window (follow, all
    lines): the longest frame while they arrive, and a search over them."""
    from test_containers import select

    name = "berth-bench-logwin"
    subprocess.run(["docker", "rm", "-f", name], capture_output=True)
    subprocess.run(
        ["docker", "run", "-d", "--name", name, "berth-fixture/busybox:1", "sh", "-c", "sleep 4; seq 1 1000000; exec sleep 3600"],
        check=True,
        capture_output=True,
    )
    profile = Profile()
    app = App(display, profile)
    try:
        select(app, name)
        app.find('[data-testid="action-details"]').click()
        app.find('[data-testid="tab-logs"]').click()
        app.find('[data-testid="logs-tail"] option[value="all"]').click()
        app.wd.execute_script(FRAMES)
        count = app.find('[data-testid="logs-count"]')
        t0 = time.monotonic()
        while count.get_attribute("data-total") != "1000000":
            if time.monotonic() - t0 > 180:
                raise SystemExit(f"only {count.get_attribute('data-total')} lines after 180 s")
            time.sleep(0.2)
        streamed = time.monotonic() - t0
        gaps = app.wd.execute_script("window.__on = false; return window.__gaps")
        gaps = sorted(gaps[1:])
        app.wd.set_script_timeout(60)
        search_ms = app.wd.execute_async_script(SEARCH, "999999")
        print(
            f"1,000,000 log lines in the window: all shown {streamed:.1f} s after the tab opened; frames while they "
            f"streamed: median {gaps[len(gaps) // 2]:.1f} ms, max {gaps[-1]:.1f} ms, {sum(1 for g in gaps if g > 50)} over 50 ms; "
            f"a search over them answered in {search_ms:.0f} ms"
        )
        record("logs_frame_max_ms", gaps[-1], 50, "ms")
        record("logs_search_ms", search_ms, 200, "ms")
    finally:
        app.quit()
        profile.remove()
        no_webkit_alive()
        subprocess.run(["docker", "rm", "-f", name], capture_output=True)


def session_bus():
    """A desktop session always has a D-Bus session bus; Xvfb alone has
    none, and then GLib runs `dbus-launch --autolaunch` three times while
    the window opens (seen with strace: about 0.2 s of the launch, which no
    desktop user waits for). So the app is measured with a bus of its own,
    started here unless one is set. Returns the daemon to stop, or None."""
    if os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        print("session bus: the one already set")
        return None
    try:
        daemon = subprocess.Popen(
            ["dbus-daemon", "--session", "--nofork", "--print-address=1"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
    except FileNotFoundError:
        print("session bus: none (no dbus-daemon); GLib autolaunches one, so the launch is slower than on a desktop")
        return None
    address = daemon.stdout.readline().strip()
    if not address:
        daemon.kill()
        raise SystemExit("dbus-daemon printed no address")
    os.environ["DBUS_SESSION_BUS_ADDRESS"] = address
    print(f"session bus: started for the bench, as a desktop session has ({address.split(',')[0]})")
    return daemon


def main():
    expected = int(sys.argv[1])
    display = sys.argv[2]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    bus = session_bus()
    try:
        measure(expected, display, runs)
    finally:
        if bus:
            bus.terminate()
            bus.wait(timeout=10)


def measure(expected, display, runs):
    starts = []
    steps = []
    for i in range(runs):
        profile = Profile()
        t0 = time.monotonic()
        wall0 = time.time()
        app = App(display, profile)
        n = 0
        while n < expected:
            # The list is virtualized: its total says how many rows it holds,
            # and at least one must be painted.
            n = app.wd.execute_script(
                "const t = document.querySelector('[data-testid=\"containers-table\"]');"
                "return t && t.querySelector('[data-testid=\"container-row\"]') ? Number(t.dataset.total) : 0"
            )
            if time.monotonic() - t0 > 60:
                raise SystemExit(f"list not filled after 60 s ({n} rows)")
            time.sleep(0.01)
        starts.append(time.monotonic() - t0)
        berth = subprocess.run(["pgrep", "-n", "-x", "berth"], capture_output=True, text=True).stdout.split()
        m = app.wd.execute_script(MARKS)
        app.wait(lambda: "first-row" in app.wd.execute_script(MARKS)["marks"], what="the first row's mark")
        m = app.wd.execute_script(MARKS)
        proc = started_at(int(berth[0]))
        origin = m["origin"] / 1000
        marks = m["marks"]
        steps.append(
            {
                "process start (after the WebDriver session asked)": proc - wall0,
                "WebKit ready (the page starts loading)": origin - proc,
                "the window's script runs": marks.get("script", 0) / 1000,
                "first IPC answered (settings)": (marks.get("first-ipc", 0) - marks.get("script", 0)) / 1000,
                "list fetched": (marks.get("containers-loaded", 0) - marks.get("first-ipc", 0)) / 1000,
                "first rows painted": (marks.get("first-row", 0) - marks.get("containers-loaded", 0)) / 1000,
                "from process start to painted rows": origin + marks.get("first-row", 0) / 1000 - proc,
            }
        )
        if i == runs - 1:
            scroll_report(app, n)
            time.sleep(5)  # idle
            berth = subprocess.run(["pgrep", "-n", "-x", "berth"], capture_output=True, text=True).stdout.split()
            procs = descendants(int(berth[0]))
            # WebKit's processes are children of the app (WebKitWebProcess, WebKitNetworkProcess).
            rss = sum(mem_kb(p, "Rss") for p, _ in procs)
            pss = sum(mem_kb(p, "Pss") for p, _ in procs)
            dirty = sum(mem_kb(p, "Private_Dirty") for p, _ in procs)
            print("processes:", ", ".join(f"{name}({p})" for p, name in procs))
            for p, name in procs:
                print(f"  {name}({p}): PSS {mem_kb(p, 'Pss') / 1024:.0f} MB, private dirty {mem_kb(p, 'Private_Dirty') / 1024:.0f} MB")
            print(
                f"memory idle with {n} containers listed: PSS {pss / 1024:.0f} MB, RSS {rss / 1024:.0f} MB, "
                f"private dirty {dirty / 1024:.0f} MB (a WebDriver session attached)"
            )
            record(f"pss_webdriver_mb_{expected}", pss / 1024, None, "MB")
        app.quit()
        no_webkit_alive()
    print("where the launch goes (median of the runs, seconds):")
    for k in steps[0]:
        v = sorted(st[k] for st in steps)[len(steps) // 2]
        print(f"  {k}: {v:.3f}")
    whole = sorted(st["from process start to painted rows"] for st in steps)[len(steps) // 2]
    record(f"launch_s_{expected}", whole, 1.0 if expected <= 1000 else 2.5, "s")
    starts.sort()
    record(f"launch_webdriver_s_{expected}", starts[len(starts) // 2], None, "s")
    idle_memory(display, expected)
    if os.environ.get("BERTH_BENCH_LOGS", "1") != "0" and expected <= 1000:
        logs_window(display)
    print(
        f"launch to filled list ({expected} rows, WebDriver session start included): "
        f"median {starts[len(starts) // 2]:.2f} s of {runs} runs (min {starts[0]:.2f} s)"
    )


if __name__ == "__main__":
    main()
