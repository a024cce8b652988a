#!/usr/bin/env bash
# Instructions per request in vraagbaak-searchd right after the index gets
# a new revision, against the same requests on a warm searcher, counted by
# callgrind: editors publish revisions all day, and what a revision costs
# the next searches is what agents feel.  The sample corpus is copied and
# indexed; the sample queries of request-cost.sh run twice (warm), once
# more (the warm figure), then one procedure is edited and reindexed and
# they run once again.
#   bench/revision-cost.sh [BUILD]   (default: build)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
build=${1:-build}
command -v valgrind >/dev/null || { echo "revision-cost: valgrind is missing" >&2; exit 77; }
indexer=$build/indexer/vraagbaak-indexer searchd=$build/searchd/vraagbaak-searchd

work=$(mktemp -d "${TMPDIR:-/tmp}/vb-revision.XXXXXX")
daemon=
cleanup() {
  if [ -n "$daemon" ]; then kill "$daemon" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

cp -r corpus "$work/corpus"
"$indexer" --index "$work/index" "$work/corpus" >/dev/null 2>&1
searchd_start "$work/out" "$work/err" valgrind --tool=callgrind \
  --toggle-collect=vb_request_on_request --callgrind-out-file="$work/cg.%p" \
  "$searchd" --index "$work/index" --listen 127.0.0.1:0 --threads 1 || { daemon=$searchd_pid; exit 1; }
daemon=$searchd_pid url=$searchd_url

round() {
  for q in "${sample_queries[@]}"; do
    curl -sf -o /dev/null -G --data-urlencode "q=$q" "$url/v1/search"
  done
}
per_request() {
  echo $(($(callgrind_total "$1") / ${#sample_queries[@]}))
}

round
round
callgrind_control -z "$daemon" >/dev/null 2>&1
round
callgrind_control -d "$daemon" >/dev/null 2>&1 # the warm round; zeroes
echo "One more sentence for a new revision." >>"$work/corpus/procedures/proc-gemiste-afspraak-nl.md"
"$indexer" --index "$work/index" "$work/corpus" >/dev/null 2>&1
round
kill "$daemon"
wait "$daemon" 2>/dev/null || true
daemon=
warm=$(ls "$work"/cg.*.1 2>/dev/null | head -1)
after=$(ls "$work"/cg.* | grep -v '\.1$' | head -1)
echo "warm searcher:        $(per_request "$warm") instructions per request"
echo "after a new revision: $(per_request "$after") instructions per request"
