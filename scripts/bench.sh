#!/usr/bin/env bash
# Benchmarks against the engine this machine uses (not timed tests): creates
# 1,000 containers, compares Berth's core list call with `docker ps -a`,
# measures the built app's launch-to-filled-list time and idle memory, then
# removes the containers. Usage: scripts/bench.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000}
scripts/setup.sh test >/dev/null
npm run --silent build
# The release app is what users run; its debug twin is ~15% heavier.
cargo build --release --features custom-protocol -q
cargo build --release -p berth-core --example list_bench -q
export BERTH_APP=$PWD/target/release/berth
bench=target/release/examples/list_bench
trap '$bench remove' EXIT
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(docker version --format 'Docker {{.Server.Version}} API {{.Server.APIVersion}}')"
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
