#!/usr/bin/env bash
# How long until a document written over HTTP is found by search: PUT
# /v1/docs/{id} with a word of its own, then search for that word until
# the document comes back (polled, bounded), N times, on a copy of an
# index.  Prints the PUT's own time, the time to visible (p50/p90/p99)
# and how many searches it took (1: visible when the PUT answered).
#   bench/write-visibility.sh [BUILD_DIR] [INDEX_DIR] [N]
# Defaults: build, build/tests/searchd-index (made by ctest), 100.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
build=${1:-build}
source_index=${2:-$build/tests/searchd-index}
n=${3:-100}
[ -d "$source_index" ] || { echo "write-visibility: no index $source_index" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/vb-visibility.XXXXXX")
pid=
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
cp -r "$source_index" "$work/index"
searchd_start "$work/out" "$work/err" "$build/searchd/vraagbaak-searchd" \
  --index "$work/index" --listen 127.0.0.1:0 \
  --analytics-db "$work/analytics.db" || { pid=$searchd_pid; exit 1; }
pid=$searchd_pid url=$searchd_url

now_ms() { date +%s%3N; }
: >"$work/put.ms"
: >"$work/visible.ms"
for i in $(seq "$n"); do
  word="zichtbaarheid$i"
  start=$(now_ms)
  curl -sf -o /dev/null -X PUT "$url/v1/docs/proc-visible-$i" \
    -H 'Content-Type: application/json' \
    -d "{\"type\": \"procedure\", \"lang\": \"nl\", \"title\": \"Test $i\", \"body\": \"Het woord $word.\"}"
  put=$(now_ms)
  polls=0
  for _ in $(seq 1000); do # at most 1,000 polls
    polls=$((polls + 1))
    curl -sf "$url/v1/search?q=$word" | grep -q "proc-visible-$i" && break
  done
  seen=$(now_ms)
  echo $((put - start)) >>"$work/put.ms"
  echo $((seen - start)) >>"$work/visible.ms"
  echo "$polls" >>"$work/polls"
done

percentiles() { # file -> "p50 / p90 / p99"
  sort -n "$1" | awk '{ v[NR] = $1 } END {
    printf "%d / %d / %d ms", v[int(NR * 0.5 + 0.5)], v[int(NR * 0.9 + 0.5)], v[int(NR * 0.99 + 0.5)] }'
}
echo "documents written: $n (index of $(basename "$source_index"))"
echo "PUT answered      p50/p90/p99: $(percentiles "$work/put.ms")"
echo "found by search   p50/p90/p99: $(percentiles "$work/visible.ms") (from the start of the PUT; curl itself takes tens of ms)"
echo "searches needed   most: $(sort -n "$work/polls" | tail -1) (1: found by the first search after the answer)"
