#!/usr/bin/env bash
# A fuzzing campaign: builds the fuzz targets of fuzz/ as libFuzzer
# fuzzers (clang, AddressSanitizer + UndefinedBehaviorSanitizer) in
# build-fuzz/, runs each for SECONDS (default 3600) from its kept corpus
# plus seeds from ../shared/data, all at once under `nice`, then merges
# what they found into the kept corpus (fuzz/corpus/NAME, minimised: only
# inputs that add coverage, and the inputs of fixed crashes, kept by
# their names crash-*) and writes a report to
# bench/results/fuzz-DATE.md: executions, coverage, crashes.  A crash
# leaves its input in bench/results/fuzz-DATE/ (and the run fails): make
# it a regression test by copying it into fuzz/corpus/NAME/crash-WHAT once
# fixed.
#
# usage: bench/fuzz-campaign.sh [SECONDS] [TARGET...]
#        (TARGET: fuzz_analysis fuzz_markdown fuzz_jsonl fuzz_query
#        fuzz_http; default all)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-3600}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] ||
  targets=(fuzz_analysis fuzz_markdown fuzz_jsonl fuzz_query fuzz_http)
shared=../shared/data
command -v clang >/dev/null || { echo "fuzz-campaign: clang is missing (apt-get install clang)" >&2; exit 2; }

cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DVB_FUZZ=ON \
  -DVB_SANITIZE=address,undefined >/dev/null
cmake --build build-fuzz -j"$(nproc)" --target "${targets[@]}" >/dev/null

stamp=$(date -u +%Y-%m-%d-%H%M)
commit=$(git rev-parse --short HEAD) # what the fuzzers are built from
out=bench/results/fuzz-$stamp
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The fuzzers' fixture indexes go in here too: a fuzzer that aborts on a
# finding leaves its own behind.
export TMPDIR=$work

# Seeds from outside the project, per target (each file one input).
seed() {
  local name=$1 dir=$work/seeds-$1 i=0
  mkdir -p "$dir"
  case $name in
    fuzz_analysis|fuzz_query)
      # One line each of the naughty strings, Kuhn's UTF-8 test, the UD
      # sentences and Tatoeba, behind a byte that picks the language.
      {
        if [ -f "$shared/naughty/blns.txt" ]; then
          grep -v '^#' "$shared/naughty/blns.txt" | head -n 600 || true
        fi
        if [ -f "$shared/utf8/UTF-8-test.txt" ]; then cat "$shared/utf8/UTF-8-test.txt"; fi
        for f in "$shared"/ud-dev/*/*-dev.conllu; do
          if [ -f "$f" ]; then sed -n 's/^# text = //p' "$f" | head -n 100 || true; fi
        done
        for f in "$shared"/tatoeba/tatoeba.*; do
          if [ -f "$f" ]; then head -n 50 "$f" || true; fi
        done
        if [ "$name" = fuzz_query ]; then cut -f4 corpus/queries.tsv; fi
      } | while IFS= read -r line; do
        printf '%b%s' "\\x0$((i % 8))" "$line" >"$dir/$i"
        i=$((i + 1))
      done ;;
    fuzz_markdown)
      find corpus -name '*.md' | head -n 200 | while read -r f; do cp "$f" "$dir/$i.md"; i=$((i + 1)); done ;;
    fuzz_jsonl)
      if [ -d "$shared/jsontestsuite/test_parsing" ]; then
        cp "$shared"/jsontestsuite/test_parsing/*.json "$dir/"
      fi
      find corpus -name '*.jsonl' | while read -r f; do head -n 20 "$f" >"$dir/corpus-$i"; i=$((i + 1)); done ;;
    fuzz_http)
      # The sample queries as GETs, and the JSON test suite as bodies.
      cut -f4 corpus/queries.tsv | while IFS= read -r q; do
        printf 'GET /v1/search?q=%s&lang=nl' "$(printf '%s' "$q" | sed 's/ /%20/g')" >"$dir/q$i"
        i=$((i + 1))
      done
      for f in "$shared"/jsontestsuite/test_parsing/*.json; do
        [ -f "$f" ] || continue
        { printf 'POST /v1/search\n'; cat "$f"; } >"$dir/s$i"
        { printf 'PUT /v1/docs/x%d\n' "$i"; cat "$f"; } >"$dir/p$i"
        i=$((i + 1))
      done ;;
  esac
}

run() {
  local name=$1 found=$work/found-$1
  mkdir -p "$found"
  seed "$name"
  # Bodies and texts beyond 8 KB find nothing new but take time.
  /usr/bin/time -f "%e %U %S" -o "$out/$name.cpu" \
    nice -n 19 "build-fuzz/fuzz/$name" -max_total_time="$seconds" \
    -max_len=8192 -rss_limit_mb=4096 -timeout=20 -print_final_stats=1 \
    -artifact_prefix="$out/$name-" "$found" "fuzz/corpus/$name" \
    "$work/seeds-$name" >"$out/$name.log" 2>&1 || true
}

for name in "${targets[@]}"; do
  run "$name" &
done
wait

report=bench/results/fuzz-$stamp.md
{
  echo "# Fuzzing campaign $stamp (commit $commit)"
  echo
  echo "\`bench/fuzz-campaign.sh $seconds\`: libFuzzer (clang $(clang -dumpversion)), ASan + UBSan,"
  echo "all targets at once under nice on a $(nproc)-core machine."
  echo
  echo "| target | wall s | CPU s | executions | coverage (edges) | features | crashes | kept corpus |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|"
} >"$report"
status=0
for name in "${targets[@]}"; do
  log=$out/$name.log
  # Only inputs that add coverage join the kept corpus.
  merged=$work/merged-$name
  mkdir -p "$merged"
  "build-fuzz/fuzz/$name" -merge=1 -max_len=8192 -rss_limit_mb=4096 "$merged" \
    "fuzz/corpus/$name" "$work/found-$name" >>"$out/$name.merge.log" 2>&1 || true
  if [ -n "$(ls -A "$merged")" ]; then
    # Inputs of fixed crashes keep their names (crash-*): regressions.
    find "fuzz/corpus/$name" -name 'crash-*' -exec cp {} "$merged/" \;
    rm -rf "fuzz/corpus/$name" && mv "$merged" "fuzz/corpus/$name"
  fi
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
  ft=$(grep -o 'ft: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
  # A slow unit (over 10 s; on a loaded machine, scheduling) is no crash.
  crashes=$(find "$out" \( -name "$name-crash-*" -o -name "$name-leak-*" -o \
    -name "$name-timeout-*" -o -name "$name-oom-*" \) | wc -l)
  [ "$crashes" -eq 0 ] || status=1
  # The last line: time(1) writes a line of its own before it when the
  # fuzzer exits non-zero (a crash).
  wall=$(tail -n 1 "$out/$name.cpu" | awk '{ printf "%.0f", $1 }')
  cpu=$(tail -n 1 "$out/$name.cpu" | awk '{ printf "%.0f", $2 + $3 }')
  printf '| %s | %s | %s | %s | %s | %s | %s | %s files |\n' "$name" "$wall" "$cpu" \
    "${execs:-?}" "${cov:-?}" "${ft:-?}" "$crashes" \
    "$(find "fuzz/corpus/$name" -type f | wc -l)" >>"$report"
done
cat "$report"
exit $status
