#!/usr/bin/env bash
# Fuzzes with libFuzzer, coverage-guided, on stable Rust: libfuzzer-sys builds libFuzzer from
# its crate with the machine's C++ compiler, and rustc's stable -Cpasses=sancov-module adds the
# coverage counters (cargo-fuzz itself needs nightly; its flags below do not). Two targets:
#
#   callback (the default)  the callback parser and verifier (obmennik::json::decode,
#                           obmennik::callback::verify); checks in fuzz/src/invariants.rs; then
#                           real PHP (fuzz/php/oracle.php) rereads the corpus the run grew, when
#                           `php` is installed.
#   parsers                 every other parser of untrusted input (proxy, exchanger and merchant
#                           answers, bid callbacks, Retry-After, the widget's sanitizer, amounts
#                           and proxy-answer reader); checks in fuzz/src/parsers.rs.
#
#   bash scripts/fuzz.sh                     60 s, random seed, corpus kept in fuzz/corpus/
#   bash scripts/fuzz.sh parsers             the same for the parsers (fuzz/corpus-parsers/)
#   FUZZ_SECONDS=600 bash scripts/fuzz.sh    longer
#   FUZZ_SEED=7 bash scripts/fuzz.sh         reproducible: fixed seed and a fresh corpus
#   FUZZ_RUNS=200000 FUZZ_SEED=7 ...         stop after that many executions (exactly repeatable)
#   FUZZ_RSS_MB (2048), FUZZ_MAX_LEN (4096 bytes), FUZZ_TIMEOUT (10 s per input),
#   FUZZ_PHP=0 skips the PHP pass.
#
# Exits non-zero on any crash, broken invariant, time-out, out-of-memory or PHP disagreement,
# and leaves the input in fuzz/regressions/ (parsers: fuzz/regressions-parsers/; commit it:
# `cargo test` replays those folders).
set -euo pipefail
cd "$(dirname "$0")/.."

target=${1:-callback}
case "$target" in
  callback)
    dict=fuzz/callback.dict seeds=fuzz/corpus-seed regressions=fuzz/regressions
    kept=fuzz/corpus fresh_prefix=fuzz/target/corpus-seed-
    ;;
  parsers)
    dict=fuzz/parsers.dict seeds=fuzz/corpus-seed-parsers regressions=fuzz/regressions-parsers
    kept=fuzz/corpus-parsers fresh_prefix=fuzz/target/corpus-parsers-seed-
    ;;
  *)
    echo "fuzz: unknown target $target (callback or parsers)" >&2
    exit 2
    ;;
esac

seconds=${FUZZ_SECONDS:-60}
rss_mb=${FUZZ_RSS_MB:-2048}
max_len=${FUZZ_MAX_LEN:-4096}
timeout_s=${FUZZ_TIMEOUT:-10}
seed=${FUZZ_SEED:-}
runs=${FUZZ_RUNS:-}

host=$(rustc -vV | sed -n 's/^host: //p')
# Coverage counters, compare tracing and the PC table, as cargo-fuzz sets them; given only to
# this build (with an explicit --target, so not to build scripts or proc macros either).
fuzz_flags="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing -Cdebug-assertions -Coverflow-checks"
echo "fuzz: building the $target target (libFuzzer, $host)"
env -u CARGO_ENCODED_RUSTFLAGS -u CARGO_BUILD_RUSTFLAGS RUSTFLAGS="$fuzz_flags" \
  cargo build --quiet --release --manifest-path fuzz/Cargo.toml --target-dir fuzz/target \
  --target "$host" --bin "$target"
bin="fuzz/target/$host/release/$target"

if [ -n "$seed" ]; then
  # A fresh corpus, so the same seed and FUZZ_RUNS replay the same executions.
  corpus="$fresh_prefix$seed"
  rm -rf "$corpus"
else
  corpus=$kept
  seed=$(( $(date +%s) % 2147483647 ))
fi
mkdir -p "$corpus" "$regressions"
log=$(mktemp "${TMPDIR:-/tmp}/obmennik-fuzz.XXXXXX")
trap 'rm -f "$log"' EXIT

args=(
  -seed="$seed" -max_total_time="$seconds" -max_len="$max_len" -timeout="$timeout_s"
  -rss_limit_mb="$rss_mb" -malloc_limit_mb="$rss_mb" -dict="$dict"
  -artifact_prefix="$regressions/" -print_final_stats=1 -error_exitcode=77
  -timeout_exitcode=78 -reload=0
)
[ -n "$runs" ] && args+=(-runs="$runs")
echo "fuzz: $target, ${seconds}s, seed $seed, corpus $corpus (+ $seeds, $regressions)"
before=$(ls "$regressions" | sort)
# Without address-space randomisation pointer values, which the compare tracing feeds back
# into mutations, repeat from run to run; that is what makes a seeded run repeatable.
norandom=()
setarch "$(uname -m)" -R true 2>/dev/null && norandom=(setarch "$(uname -m)" -R)
# The outer limit only guards against a hung process; libFuzzer stops itself at the time.
set +e
timeout --kill-after=30 $(( seconds + 300 )) "${norandom[@]}" \
  "$bin" "${args[@]}" "$corpus" "$seeds" "$regressions" 2>&1 | tee "$log" \
  | grep -E --line-buffered '^#[0-9]+[[:space:]]+(INITED|pulse|DONE)|^(==|SUMMARY|note:|thread|\[)|panicked|Test unit written|^Done|^stat::|^MS:|deadly signal'
status=${PIPESTATUS[0]}
set -e

new=$(comm -13 <(echo "$before") <(ls "$regressions" | sort) || true)
last=$(grep -E '^#[0-9]+[[:space:]]' "$log" | grep ' cov: ' | tail -1 || true)
cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
corp=$(sed -n 's/.* corp: \([0-9]*\).*/\1/p' <<<"$last")
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
peak=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log")
echo "fuzz: ${execs:-?} executions, ${rate:-?} exec/s, coverage ${cov:-?} edges (${ft:-?} features), corpus ${corp:-?} inputs, peak RSS ${peak:-?} MB"

if [ "$status" -ne 0 ] || [ -n "$new" ]; then
  echo "fuzz: FAILED (libFuzzer exit $status)" >&2
  for f in $new; do
    echo "fuzz: saved $regressions/$f ($(wc -c <"$regressions/$f") bytes); replay: $bin $regressions/$f" >&2
    # A smaller input that breaks the same way, when libFuzzer finds one within 30 s.
    case "$f" in
      crash-*)
        "$bin" -minimize_crash=1 -max_total_time=30 -seed="$seed" -timeout="$timeout_s" \
          -rss_limit_mb="$rss_mb" -exact_artifact_path="$regressions/min-$f" \
          "$regressions/$f" >/dev/null 2>&1 || true
        [ -f "$regressions/min-$f" ] && echo "fuzz: minimized to $regressions/min-$f ($(wc -c <"$regressions/min-$f") bytes)" >&2
        ;;
    esac
  done
  grep -E -m3 'panicked at|^\[|ERROR: libFuzzer' "$log" >&2 || true
  exit 1
fi

if [ "$target" = callback ] && [ "${FUZZ_PHP:-1}" != 0 ]; then
  if command -v php >/dev/null; then
    echo "fuzz: rereading the corpus with real PHP (fuzz/php/oracle.php)"
    set +e
    FUZZ_PHP_CORPUS="$corpus" FUZZ_PHP_SAVE=1 \
      cargo test --quiet --test fuzz_regressions php_reference_agrees -- --nocapture 2>&1 \
      | grep -vE '^\s*$|^running [0-9]+ test'
    php_status=${PIPESTATUS[0]}
    set -e
    if [ "$php_status" -ne 0 ]; then
      echo "fuzz: FAILED: PHP disagrees (the inputs are saved in fuzz/regressions/)" >&2
      exit 1
    fi
  elif [ "${CI:-}" = "true" ]; then
    echo "fuzz: FAILED: no php on PATH and CI=true (apt-get install php-cli)" >&2
    exit 1
  else
    echo "fuzz: no php on PATH: skipped the PHP comparison (apt-get install php-cli)"
  fi
fi
echo "fuzz: OK"
