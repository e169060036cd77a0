#!/usr/bin/env bash
# Builds and opens Berth, setting up what is missing first (scripts/setup.sh):
# Tauri's system packages, npm packages, and, when no engine answers, a
# dockerd with the fixture images and a demo container, so the app opens on a
# working engine with something to show.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh app
if [[ -z $(docker ps -aq) ]]; then
  echo "[run] no containers yet: starting a demo web server (berth-demo-web, port 8080 on 127.0.0.1)"
  docker run -d --name berth-demo-web -p 127.0.0.1:8080:80 berth-fixture/web:1 >/dev/null
fi
npm run --silent build
cargo build --features custom-protocol
if [[ -z ${DISPLAY:-}${WAYLAND_DISPLAY:-} ]]; then
  echo "[run] no display: starting Xvfb on :42 (screenshot with: DISPLAY=:42 import -window root shot.png)"
  Xvfb :42 -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
  export DISPLAY=:42
  sleep 1
fi
exec target/debug/berth "$@"
