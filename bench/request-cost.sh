#!/usr/bin/env bash
# Instructions per request in vraagbaak-searchd, counted by callgrind
# (repeatable on a noisy machine, unlike a clock): everything libmicrohttpd's
# request callback does — routing, Host check, token, ticket, validation, the
# search, the JSON — for a fixed set of queries.
#   bench/request-cost.sh SEARCHD INDEX [HEADER...] [-- SEARCHD-ARGS...]
# HEADERs ("Authorization: Bearer ...") go with every request; SEARCHD-ARGS
# to the daemon (e.g. --config FILE); COST_PARAMS (e.g. "customer=C000123")
# is added to every query string; COST_QUERIES=FILE[:N] takes the first N
# (default 60) queries of a judged suite's queries.tsv (id, lang, split,
# text) instead of the sample queries, each sent with its lang.  Prints the
# mean per request; COST_KEEP=FILE keeps callgrind's output there.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
[ $# -ge 2 ] || { echo "usage: $0 SEARCHD INDEX [HEADER...] [-- ARGS...]" >&2; exit 2; }
searchd=$1 index=$2
shift 2
headers=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do headers+=(-H "$1"); shift; done
[ "${1:-}" = -- ] && shift
command -v valgrind >/dev/null || { echo "request-cost: valgrind is missing" >&2; exit 77; }

work=$(mktemp -d "${TMPDIR:-/tmp}/vb-cost.XXXXXX")
daemon=
cleanup() {
  if [ -n "$daemon" ]; then kill "$daemon" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

searchd_start "$work/out" "$work/err" valgrind --tool=callgrind \
  --toggle-collect=vb_request_on_request \
  --callgrind-out-file="$work/callgrind.out" \
  "$searchd" --index "$index" --listen 127.0.0.1:0 --threads 1 "$@" || { daemon=$searchd_pid; exit 1; }
daemon=$searchd_pid url=$searchd_url

langs=()
if [ -n "${COST_QUERIES:-}" ]; then
  file=${COST_QUERIES%%:*} limit=60
  [ "$file" != "$COST_QUERIES" ] && limit=${COST_QUERIES##*:}
  queries=() rounds=1
  while IFS=$'\t' read -r _ lang _ text; do
    queries+=("$text") langs+=("$lang")
  done < <(head -n "$limit" "$file")
else
  rounds=3
  queries=("${sample_queries[@]}")
fi
count=0
for _ in $(seq "$rounds"); do
  for i in "${!queries[@]}"; do
    curl -sf -o /dev/null "${headers[@]}" -G --data-urlencode "q=${queries[$i]}" \
      ${langs[$i]:+--data "lang=${langs[$i]}"} \
      ${COST_PARAMS:+--data "$COST_PARAMS"} "$url/v1/search"
    count=$((count + 1))
  done
done
kill "$daemon"
wait "$daemon" 2>/dev/null || true
daemon=
[ -z "${COST_KEEP:-}" ] || cp "$work/callgrind.out" "$COST_KEEP"
total=$(callgrind_total "$work/callgrind.out")
echo "requests: $count"
echo "instructions per request: $((total / count))"
