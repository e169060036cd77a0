#!/usr/bin/env bash
# Sets up everything Berth needs on a fresh Debian 12 machine, idempotently:
# system packages (Tauri's, the engine, the registry, Xvfb, WebKitWebDriver),
# npm packages, tauri-driver, a running dockerd and a registry on
# 127.0.0.1:5000, and the FROM-scratch fixture images. On a machine where an
# engine already answers it uses that engine and installs no engine.
#
# Usage: scripts/setup.sh [app|test|package]   (test also installs the e2e
# tools; package what scripts/package.sh needs: debootstrap, rpm, dpkg-dev)
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-app}
log() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }
SUDO=""; [[ $(id -u) -eq 0 ]] || SUDO="sudo"

engine_answers() { docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }

# --- system packages ------------------------------------------------------
pkgs=(libwebkit2gtk-4.1-dev libsoup-3.0-dev libjavascriptcoregtk-4.1-dev libgtk-3-dev
  librsvg2-dev libayatana-appindicator3-dev libxdo-dev libssl-dev pkg-config
  build-essential file xvfb xauth imagemagick fonts-dejavu-core fonts-noto-cjk
  dbus-x11 at-spi2-core curl socat golang-docker-credential-helpers xdg-utils
  docker-compose)
# docker-compose: v1 (1.29.2), the compose CLI Debian 12 packages; Berth runs it
# for `up` (P4) and `config` (P6).
# The login tests keep credentials in `pass` (gpg), through docker-credential-pass.
# A real drag from another X client (F2): a python3-gi drag source moved by xdotool.
# SSH engines (E5a) are tested against a real OpenSSH server on 127.0.0.1.
# Podman (E5d): its Docker-compatible API, where the Podman lane of the
# core's tests runs.
# Swarm (E7) is tested on engines in network namespaces of the test's own
# (scripts/swarm-nodes.sh): ip (iproute2), iptables, nsenter and unshare.
[[ $mode == test ]] && pkgs+=(webkit2gtk-driver python3-venv pass gnupg python3-gi gir1.2-gtk-3.0 xdotool openssh-server podman iproute2 iptables util-linux)
# scripts/package.sh: a clean Debian root (debootstrap), the deb's
# dependencies (dpkg-shlibdeps), the rpm's (rpm), the desktop entry's check,
# and the installed app's window (Xvfb, xprop, xdotool, the e2e venv).
[[ $mode == package ]] && pkgs+=(debootstrap rpm dpkg-dev desktop-file-utils x11-utils xdotool python3-venv util-linux)
engine_pkgs=()
if ! engine_answers; then
  command -v dockerd >/dev/null || engine_pkgs+=(docker.io)
fi
command -v docker-registry >/dev/null || engine_pkgs+=(docker-registry)
[[ -x /bin/busybox ]] || engine_pkgs+=(busybox-static)
missing=()
for p in "${pkgs[@]}" "${engine_pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  log "installing ${#missing[@]} Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# --- the engine -----------------------------------------------------------
# A dockerd still going down (its test run was killed) or one that died
# leaves its pid file, and a new one then refuses to start: wait for the
# first to end, and clear a file no process holds.
if ! engine_answers && [[ -f /var/run/docker.pid ]]; then
  old_pid=$(cat /var/run/docker.pid 2>/dev/null || true)
  for _ in $(seq 1 30); do
    [[ -n $old_pid ]] && kill -0 "$old_pid" 2>/dev/null || break
    engine_answers && break
    sleep 0.5
  done
  if ! { [[ -n $old_pid ]] && kill -0 "$old_pid" 2>/dev/null; }; then
    $SUDO rm -f /var/run/docker.pid
  fi
fi
if ! engine_answers; then
  log "no engine answers: starting dockerd"
  $SUDO mkdir -p /var/log
  $SUDO sh -c 'nohup dockerd >/var/log/berth-dockerd.log 2>&1 &'
  for _ in $(seq 1 60); do engine_answers && break; sleep 0.5; done
  engine_answers || { tail -20 /var/log/berth-dockerd.log; echo "dockerd did not start" >&2; exit 1; }
fi
log "engine: $(docker version --format 'Docker {{.Server.Version}}, API {{.Server.APIVersion}}')"

# --- the registry on 127.0.0.1:5000 ---------------------------------------
if ! curl -fsS http://127.0.0.1:5000/v2/ >/dev/null 2>&1; then
  log "starting a registry on 127.0.0.1:5000"
  regdir=${BERTH_REGISTRY_DIR:-/tmp/berth-registry}
  mkdir -p "$regdir/data"
  cat >"$regdir/config.yml" <<YML
version: 0.1
storage:
  filesystem:
    rootdirectory: $regdir/data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:5000
YML
  nohup docker-registry serve "$regdir/config.yml" >"$regdir/registry.log" 2>&1 &
  for _ in $(seq 1 40); do curl -fsS http://127.0.0.1:5000/v2/ >/dev/null 2>&1 && break; sleep 0.25; done
  curl -fsS http://127.0.0.1:5000/v2/ >/dev/null || { cat "$regdir/registry.log"; exit 1; }
fi

# --- a second registry on 127.0.0.1:5001 that asks for a password ---------
# (htpasswd basic auth, user `berth`, password `berth-secret`): the
# credentialed path of the inspector and login tests.
if ! curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:5001/v2/ 2>/dev/null | grep -q 401; then
  log "starting a password-protected registry on 127.0.0.1:5001"
  authdir=${BERTH_AUTH_REGISTRY_DIR:-/tmp/berth-registry-auth}
  mkdir -p "$authdir/data"
  python3 -W ignore -c "import crypt; print('berth:' + crypt.crypt('berth-secret', crypt.mksalt(crypt.METHOD_BLOWFISH)))" >"$authdir/htpasswd"
  cat >"$authdir/config.yml" <<YML
version: 0.1
storage:
  filesystem:
    rootdirectory: $authdir/data
http:
  addr: 127.0.0.1:5001
auth:
  htpasswd:
    realm: berth-test
    path: $authdir/htpasswd
YML
  nohup docker-registry serve "$authdir/config.yml" >"$authdir/registry.log" 2>&1 &
  for _ in $(seq 1 40); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:5001/v2/)" = 401 ] && break
    sleep 0.25
  done
  [ "$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:5001/v2/)" = 401 ] || { cat "$authdir/registry.log"; exit 1; }
fi

# --- fixture images, FROM scratch -----------------------------------------
scripts/fixtures.sh

# --- Podman's Docker-compatible API on /run/berth-podman.sock (test) --------
# Rootful podman here needs `default_ulimits = []` (else runc fails setting
# rlimits); the fixtures come from the registry on 127.0.0.1:5000. Where the
# host's cgroups are v1 or hybrid (v1 controllers beside the unified tree,
# seen on some of these machines at boot), crun refuses every container
# ("cgroups in hybrid mode not supported"), so podman is told to use runc.
if [[ $mode == test ]]; then
  export CONTAINERS_CONF=/etc/berth/podman-containers.conf
  podman_sock=/run/berth-podman.sock
  podman_answers() { curl -fsS --unix-socket "$podman_sock" http://podman/_ping >/dev/null 2>&1; }
  conf=$'[containers]\ndefault_ulimits = []'
  [[ $(stat -fc %T /sys/fs/cgroup 2>/dev/null) == cgroup2fs ]] || conf+=$'\n[engine]\nruntime = "runc"'
  if [[ $(cat "$CONTAINERS_CONF" 2>/dev/null) != "$conf" ]]; then
    $SUDO mkdir -p /etc/berth
    printf '%s\n' "$conf" | $SUDO tee "$CONTAINERS_CONF" >/dev/null
    # A service started with another configuration is restarted.
    if podman_answers; then
      log "podman's configuration changed: restarting podman system service"
      $SUDO pkill -f "podman system service --time=0 unix://$podman_sock" || true
      for _ in $(seq 1 40); do podman_answers || break; sleep 0.25; done
    fi
  fi
  if ! podman_answers; then
    log "starting podman system service on $podman_sock"
    $SUDO env CONTAINERS_CONF="$CONTAINERS_CONF" sh -c "nohup podman system service --time=0 unix://$podman_sock >/var/log/berth-podman.log 2>&1 &"
    for _ in $(seq 1 40); do podman_answers && break; sleep 0.25; done
    podman_answers || { tail -20 /var/log/berth-podman.log; echo "podman system service did not start" >&2; exit 1; }
  fi
  for f in busybox web tools; do
    if ! $SUDO env CONTAINERS_CONF="$CONTAINERS_CONF" podman image exists "berth-fixture/$f:1"; then
      $SUDO env CONTAINERS_CONF="$CONTAINERS_CONF" podman pull -q --tls-verify=false "127.0.0.1:5000/berth-fixture/$f:1" >/dev/null
      $SUDO env CONTAINERS_CONF="$CONTAINERS_CONF" podman tag "127.0.0.1:5000/berth-fixture/$f:1" "berth-fixture/$f:1"
    fi
  done
  log "podman: $(curl -fsS --unix-socket "$podman_sock" http://podman/version | python3 -c 'import json,sys; print("Podman", json.load(sys.stdin)["Version"])')"
fi

# --- front end and test tools ---------------------------------------------
if [[ ! -d node_modules ]] || [[ package-lock.json -nt node_modules/.package-lock.json ]]; then
  log "npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi
if [[ $mode == test || $mode == package ]]; then
  [[ $mode == package ]] || command -v tauri-driver >/dev/null || [[ -x $HOME/.cargo/bin/tauri-driver ]] || {
    log "cargo install tauri-driver"
    cargo install tauri-driver --version '^2' --locked --quiet
  }
  if [[ ! -x .venv/bin/pytest ]] || [[ -n $(.venv/bin/pip freeze 2>/dev/null | grep -vxFf - e2e/requirements.txt) ]]; then
    log "python venv for the end-to-end tests"
    python3 -m venv .venv
    .venv/bin/pip install -q -r e2e/requirements.txt
  fi
fi
log "ready"
