#!/usr/bin/env bash
# Benchmarks against the engine this machine uses (not timed tests). One run
# prints every figure and writes them to target/bench/summary.json, one key
# each ({value, aim, unit}), then prints them as a table:
#   - the core's container list against `docker ps -a` (N containers, 1,000
#     by default), logs, pull and build against the CLI;
#   - copies in and out (a 1 GiB file, 20,000 small files) against `docker
#     cp`, and the copying process's peak memory;
#   - listing `/` of a container with 2 GiB below it, fast path and archive;
#   - grouping 1,000 containers into 100 compose projects against the list;
#   - the release app: launch to a painted list (where the time goes), idle
#     memory without a WebDriver session (PSS, private dirty), scrolling;
#     then the same launch with 10,000 containers (BERTH_BENCH_10K=0 skips it).
# Exits non-zero only when something could not be measured.
# Usage: scripts/bench.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000}
scripts/setup.sh test >/dev/null
npm run --silent build
# The release app is what users run; its debug twin is ~15% heavier.
cargo build --release --features custom-protocol -q
cargo build --release -p berth-core --example list_bench -q
export BERTH_APP=$PWD/target/release/berth
mkdir -p target/bench
export BERTH_BENCH_OUT=$PWD/target/bench/figures.jsonl
rm -f "$BERTH_BENCH_OUT"
bench=target/release/examples/list_bench
trap '$bench remove' EXIT
machine="$(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(docker version --format 'Docker {{.Server.Version}} API {{.Server.APIVersion}}')"
echo "machine: $machine"
$bench create "$n"
$bench measure 25
Xvfb :77 -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
trap '$bench remove; kill $xvfb' EXIT
sleep 1
.venv/bin/python e2e/bench_app.py "$(docker ps -aq | wc -l)" :77 3
$bench logs
$bench pull
$bench build
$bench copy
$bench files
# P1: 1,000 containers in 100 compose projects, the list call then grouping.
$bench remove
$bench group
BERTH_BENCH_ROWS=$PWD/target/bench/rows.json npx vitest bench --run --config ui/vite.config.ts grouping.bench
$bench remove
if [[ ${BERTH_BENCH_10K:-1} != 0 ]]; then
  $bench create 10000
  .venv/bin/python e2e/bench_app.py "$(docker ps -aq | wc -l)" :77 1
fi
python3 - "$BERTH_BENCH_OUT" target/bench/summary.json "$machine" <<'PY'
import json, sys, datetime
figures, out, machine = sys.argv[1], sys.argv[2], sys.argv[3]
summary = {}
for line in open(figures):
    f = json.loads(line)
    summary[f.pop("key")] = f
summary["_run"] = {"date": datetime.date.today().isoformat(), "machine": machine}
json.dump(summary, open(out, "w"), indent=2)
print(f"\n{'figure':<28} {'value':>10} {'aim':>8}  unit")
for k, f in summary.items():
    if k.startswith("_"):
        continue
    aim = f.get("aim")
    miss = aim is not None and f["value"] > aim
    print(f"{k:<28} {f['value']:>10} {'' if aim is None else aim:>8}  {f['unit']}{'  (aim missed)' if miss else ''}")
print(f"\nwritten: {out}")
PY
