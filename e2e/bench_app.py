"""Benchmark (not a test): the built app's time from launch to a filled
container list, its memory (the Berth process plus its WebKit processes)
once idle with that list shown, and how smoothly that list scrolls from top
to bottom (X1). Run by scripts/bench.sh."""

import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from conftest import App, Profile  # noqa: E402


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


def scroll_report(app, n):
    app.wd.set_script_timeout(120)
    r = app.wd.execute_async_script(SCROLL)
    gaps = sorted(b - a for a, b in zip(r["times"], r["times"][1:]))
    p = lambda q: gaps[min(len(gaps) - 1, int(len(gaps) * q))]  # noqa: E731
    slow = sum(1 for g in gaps if g > 50)
    print(
        f"scrolling {n} rows top to bottom in {len(gaps)} frames: frame interval median {p(0.5):.1f} ms, "
        f"p95 {p(0.95):.1f} ms, max {gaps[-1]:.1f} ms, {slow} frames over 50 ms; "
        f"{r['rows']} rows in the DOM at the end, reached the bottom: {r['bottom']}"
    )


def main():
    expected = int(sys.argv[1])
    display = sys.argv[2]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    starts = []
    for i in range(runs):
        profile = Profile()
        t0 = time.monotonic()
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
        if i == runs - 1:
            scroll_report(app, n)
            time.sleep(5)  # idle
            berth = subprocess.run(["pgrep", "-n", "-x", "berth"], capture_output=True, text=True).stdout.split()
            procs = descendants(int(berth[0]))
            # WebKit's processes are children of the app (WebKitWebProcess, WebKitNetworkProcess).
            rss = sum(mem_kb(p, "Rss") for p, _ in procs)
            pss = sum(mem_kb(p, "Pss") for p, _ in procs)
            print("processes:", ", ".join(f"{name}({p})" for p, name in procs))
            print(f"memory idle with {n} containers listed: PSS {pss / 1024:.0f} MB, RSS {rss / 1024:.0f} MB")
        app.quit()
    starts.sort()
    print(
        f"launch to filled list ({expected} rows, WebDriver session start included): "
        f"median {starts[len(starts) // 2]:.2f} s of {runs} runs (min {starts[0]:.2f} s)"
    )


if __name__ == "__main__":
    main()
