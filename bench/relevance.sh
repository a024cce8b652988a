#!/usr/bin/env bash
# Ranking on judged queries: indexes each suite, starts vraagbaak-searchd
# on it, sends every query as typed (and every prefix of its last word, as
# the widget does per keystroke), and prints MRR@10, Success@1, Recall@10
# and nDCG@10 beside SQLite FTS5 and FTS5 + Snowball computed in the same
# run from the same documents, plus searchd's took_us percentiles and,
# beside them, the floor under them: Xapian alone answering each query as
# a plain OR of its content words' stems (bench_floor).
#
# Suites: the dev halves in ../shared/data/relevance-dev (skipped with a
# note when absent) and the sample corpus's own agent queries
# (corpus/queries.tsv, corpus/qrels.tsv).
#
# usage: bench/relevance.sh [BUILD_DIR] [SUITE...]   (SUITE: a folder name
#        under relevance-dev, or "sample"; default all)
# Extra eval_relevance flags through $EVAL_FLAGS (e.g. --misses).
# BASE_SEARCHD=PATH (another build's vraagbaak-searchd, e.g. of the
# commit before a change): after each suite, that daemon and this build's
# serve the same index in turn, twice, and their MRR and took_us are
# printed as "base" and "this".  The machine's clock moves by a third
# between runs; only back-to-back runs compare two builds fairly.  The
# base must read the records this build writes: a build from before the
# record format "VB" 4 (b5764af) answers 503 on this build's indexes.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
build=${1:-build}
shift || true
data=../shared/data/relevance-dev
suites=("$@")
if [ ${#suites[@]} -eq 0 ]; then
  for d in "$data"/*/; do
    [ -d "$d" ] && suites+=("$(basename "$d")")
  done
  suites+=(sample)
fi
for program in "$build/indexer/vraagbaak-indexer" \
               "$build/searchd/vraagbaak-searchd" "$build/bench/eval_relevance" \
               "$build/bench/bench_floor"; do
  [ -x "$program" ] || { echo "relevance.sh: $program missing; build first" >&2; exit 2; }
done

work=$(mktemp -d)
pid=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

# Starts searchd on INDEX (extra arguments passed on); sets $pid, $url.
start_searchd() {
  local index=$1
  shift
  searchd_start "$work/searchd.out" "$work/searchd.err" \
    "$build/searchd/vraagbaak-searchd" --index "$index" \
    --listen 127.0.0.1:0 "$@" || { pid=$searchd_pid; exit 2; }
  pid=$searchd_pid url=$searchd_url
}

# Stops searchd; a daemon that did not exit cleanly (a sanitizer report,
# a crash) fails the run.
stop_searchd() {
  local rc=0
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || rc=$?
  pid=
  if [ "$rc" -ne 0 ]; then
    echo "relevance.sh: searchd exited with status $rc:" >&2
    tail -40 "$work/searchd.err" >&2
    status=1
  fi
}

echo "# $(date -u +%Y-%m-%dT%H:%MZ) commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
status=0
for suite in "${suites[@]}"; do
  if [ "$suite" = sample ]; then
    docs=corpus
    queries=corpus/queries.tsv
    qrels=corpus/qrels.tsv
    extra=(--synonyms corpus/synonyms)
    # Lumina's agents: the sample corpus holds another client's articles
    # too (corpus/clients/), which they do not see.
    eval_args=(--tenant lumina)
    pair_args=(--tenant lumina)
  else
    dir=$data/$suite
    if [ ! -d "$dir" ]; then
      echo "relevance.sh: $dir absent; $suite skipped" >&2
      # Named on the command line (as the tests do): skipped, except in
      # CI, where the data must be there.
      [ $# -gt 0 ] || continue
      [ "${CI:-}" = true ] && exit 1
      exit 77
    fi
    docs=$dir/corpus
    queries=$dir/queries.tsv
    qrels=$dir/qrels.tsv
    extra=()
    eval_args=(--docs "$dir/corpus/docs.jsonl")
    pair_args=() # no peers: they do not change between builds
  fi
  index=$work/index-$suite
  "$build/indexer/vraagbaak-indexer" --full --index "$index" "$docs" >/dev/null 2>"$work/indexer.err" || {
    [ $? -eq 1 ] || { cat "$work/indexer.err" >&2; exit 2; }
  }
  start_searchd "$index" "${extra[@]}"
  # shellcheck disable=SC2086
  "$build/bench/eval_relevance" --url "$url" --name "$suite" \
    --queries "$queries" --qrels "$qrels" "${eval_args[@]}" --prefixes \
    ${EVAL_FLAGS:-} || status=$?
  stop_searchd
  "$build/bench/bench_floor" "$index" "$queries" "$suite" || status=1
  if [ -n "${BASE_SEARCHD:-}" ]; then
    for round in 1 2; do
      for which in base this; do
        daemon=$build/searchd/vraagbaak-searchd
        [ "$which" = base ] && daemon=$BASE_SEARCHD
        searchd_start "$work/searchd.out" "$work/searchd.err" "$daemon" \
          --index "$index" --listen 127.0.0.1:0 "${extra[@]}" ||
          { pid=$searchd_pid; exit 2; }
        pid=$searchd_pid url=$searchd_url
        "$build/bench/eval_relevance" --url "$url" --name "$suite" \
          --queries "$queries" --qrels "$qrels" "${pair_args[@]}" \
          --prefixes | awk -v w="$which $round" \
            '/ vraagbaak / || /took_us/ { print w ": " $0 }' || status=1
        stop_searchd
      done
    done
  fi
  echo
done
exit "$status"
