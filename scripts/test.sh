#!/usr/bin/env bash
# Runs every Berth test on this machine, setting up what is missing first
# (scripts/setup.sh test): formatting and lints, Rust unit and integration
# tests against the real engine, front-end checks and unit tests, then the
# real app end to end in Xvfb over WebDriver. Builds once, tests many.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=${CARGO_TERM_COLOR:-never}
step() { printf '\n\033[1m=== %s\033[0m\n' "$*"; }
t0=$SECONDS

# What tests leave when they fail half-way (containers, then the volumes and
# networks they held), swept however this script ends. Test objects carry
# the label berth.test or a berth-test-/berth-e2e- name.
sweep() {
  command -v docker >/dev/null || return 0
  sweep_engine
  [[ -S /run/berth-podman.sock ]] && DOCKER_HOST=unix:///run/berth-podman.sock sweep_engine
  # The Swarm tests' engines and namespaces (scripts/swarm-nodes.sh).
  local d
  for d in "${TMPDIR:-/tmp}"/berth-swarm-* "${TMPDIR:-/tmp}"/berth-e2e-swarm-*; do
    [[ -f $d/nodes.env ]] && scripts/swarm-nodes.sh down "$d" >/dev/null 2>&1
  done
  return 0
}
sweep_engine() {
  { docker ps -aq --filter label=berth.test
    docker ps -aq --filter name=berth-test-
    docker ps -aq --filter name=berth-e2e-; } 2>/dev/null | sort -u | xargs -r docker rm -f >/dev/null 2>&1 || true
  { docker volume ls -q --filter label=berth.test
    docker volume ls -q --filter name=berth-test-
    docker volume ls -q --filter name=berth-e2e-; } 2>/dev/null | sort -u | xargs -r docker volume rm -f >/dev/null 2>&1 || true
  { docker network ls -q --filter label=berth.test
    docker network ls -q --filter name=berth-test-
    docker network ls -q --filter name=berth-e2e-; } 2>/dev/null | sort -u | xargs -r docker network rm >/dev/null 2>&1 || true
}
trap sweep EXIT

step "set-up"
scripts/setup.sh test

step "front end: build (the app embeds it)"
npm run --silent build

step "formatting"
cargo fmt --all --check
npm run --silent format:check

step "Rust: unit and integration tests against the real engine (also regenerates the bindings)"
cargo test --workspace --features berth/custom-protocol

step "Rust: the Podman lane: the core's tests that apply to Podman, against podman system service"
DOCKER_HOST=unix:///run/berth-podman.sock cargo test -p berth-core \
  --test podman --test lifecycle --test files --test logs --test terminal -- --include-ignored

step "bindings: the committed TypeScript matches the Rust commands"
if git rev-parse --git-dir >/dev/null 2>&1; then
  git diff --exit-code -- ui/src/lib/backend/bindings.ts ui/src/lib/i18n/said.en.ts ||
    { echo "the generated bindings.ts or said.en.ts is stale: commit the regenerated files" >&2; exit 1; }
fi

step "Rust: clippy"
cargo clippy --workspace --all-targets --features berth/custom-protocol -- -D warnings

step "front end: svelte-check, eslint, unit tests"
npm run --silent check
npm run --silent lint
npm run --silent test:ui

step "the app, with its front end embedded"
cargo build --features custom-protocol

step "end to end: the real app in Xvfb over WebDriver"
status=0
.venv/bin/pytest e2e -v -p no:cacheprovider --timeout 120 || status=$?

step "fuzzing: each target for ${BERTH_FUZZ_SECONDS:-30} s (scripts/fuzz.sh)"
scripts/fuzz.sh "${BERTH_FUZZ_SECONDS:-30}" || status=1

step "done in $((SECONDS - t0)) s"
exit $status
