#!/usr/bin/env bash
# Builds the libFuzzer targets in fuzz/ on the stable toolchain and runs each
# for SECONDS (default 30) from its committed seeds. A crash fails the run;
# its input is kept in fuzz/artifacts/<target>/.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-30}
targets=(reference publish dockerignore dockerfile extract)
triple=$(rustc -vV | sed -n 's/^host: //p')
# What cargo-fuzz passes, as stable -C flags: coverage counters and
# comparison tracing for libFuzzer, `cfg(fuzzing)`, debug assertions.
export RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing -Cdebug-assertions -Coverflow-checks"
# --target keeps the flags off build scripts and proc macros.
cargo build --release --quiet --manifest-path fuzz/Cargo.toml --target "$triple" \
  --target-dir target/fuzz --bins
bin=target/fuzz/$triple/release
status=0
for t in "${targets[@]}"; do
  work=$(mktemp -d)
  mkdir -p "fuzz/artifacts/$t"
  printf '[fuzz] %s for %s s\n' "$t" "$secs"
  if ! "$bin/$t" "$work" "fuzz/seeds/$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
    -max_len=65536 -artifact_prefix="fuzz/artifacts/$t/" -print_final_stats=1 >"$work.log" 2>&1; then
    status=1
    tail -40 "$work.log"
    echo "[fuzz] $t FAILED: the input is in fuzz/artifacts/$t/" >&2
  else
    grep -E "stat::number_of_executed_units|stat::new_units_added" "$work.log" | tr '\n' ' '
    echo
  fi
  rm -rf "$work" "$work.log"
done
exit $status
