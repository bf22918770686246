#!/usr/bin/env bash
# Runs every libFuzzer target of a fuzz build over a seed corpus (dra's testdata, the shared
# documentation manifests and conformance vectors), then on new inputs for a bounded time.
# Usage: scripts/run-fuzzers.sh BUILD_DIR SECONDS [RUNS]
#   With RUNS (what `make test` uses), each fuzzer executes exactly RUNS inputs from a fixed
#   seed: the same inputs every time, so a CI run is reproducible. Without it, each explores new
#   inputs for SECONDS (`make fuzz FUZZ_SECONDS=600 FUZZ_RUNS=`).
set -euo pipefail
build_dir=${1:-build-fuzz}
seconds=${2:-30}
runs=${3:-}
root=$(cd "$(dirname "$0")/.." && pwd)
corpus=$(mktemp -d)


cp "$root"/dra/api/testdata/*.yaml "$root"/dra/api/testdata/fuzz-regressions/* "$corpus"/ 2>/dev/null || true
for dir in "$root/../shared/examples/doc-manifests" "$root/../shared/conformance/allocator"; do
  [ -d "$dir" ] && cp "$dir"/*.yaml "$corpus"/ 2>/dev/null || true
done

# CEL parser seeds: the conformance expressions, one file per textproto line that holds one.
cel_corpus=$(mktemp -d)
# Request handler seeds: one HTTP request per file (see dra/apiserver/handler_fuzzer.cc).
handler_corpus=$(mktemp -d)
trap 'rm -rf "$corpus" "$cel_corpus" "$handler_corpus"' EXIT
cp "$root"/dra/apiserver/testdata/fuzz-seeds/* "$handler_corpus"/
n=0
for f in "$root"/../shared/conformance/cel/*.textproto; do
  [ -f "$f" ] || continue
  grep -o 'expr: .*' "$f" | sed 's/^expr: //' | head -n 400 | while IFS= read -r line; do
    n=$((n + 1)); printf '%s' "$line" > "$cel_corpus/$(basename "$f" .textproto)-$n"
  done
done

status=0
for fuzzer in "$build_dir"/obj/dra/api/decode_fuzzer "$build_dir"/obj/dra/cel/parse_fuzzer \
    "$build_dir"/obj/dra/cel/selector_fuzzer "$build_dir"/obj/dra/apiserver/handler_fuzzer; do
  [ -x "$fuzzer" ] || { echo "missing fuzzer $fuzzer" >&2; exit 1; }
  name=$(basename "$fuzzer")
  if [ -n "$runs" ]; then
    limits=(-runs="$runs" -seed=1)
    echo "fuzzing $name: $runs inputs from seed 1"
  else
    limits=(-max_total_time="$seconds")
    echo "fuzzing $name for ${seconds}s"
  fi
  seeds=$corpus
  [ "$name" = parse_fuzzer ] || [ "$name" = selector_fuzzer ] && seeds=$cel_corpus
  [ "$name" = handler_fuzzer ] && seeds=$handler_corpus
  if ! "$fuzzer" "${limits[@]}" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=0 "$seeds" >"$build_dir/$name.log" 2>&1; then
    tail -n 60 "$build_dir/$name.log"
    echo "$name: FAILED (reproducer under $build_dir or the working directory)" >&2
    status=1
  else
    grep -E "^#[0-9]+ +DONE" "$build_dir/$name.log" | tail -n 1 || true
    echo "$name: no crash"
  fi
done
exit $status
