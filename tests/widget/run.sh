#!/usr/bin/env bash
# Browser tests of the widget (web/widget.js), the demo page and the
# editor's page (web/editor.html) in a real
# headless Debian chromium driven by playwright-core (CTest: widget_browser).
#   run.sh INDEXER SEARCHD SOURCE_DIR
# Installs node_modules with `npm ci` when missing, indexes corpus/ into a
# temporary index, starts vraagbaak-searchd on 127.0.0.1 port 0 serving
# SOURCE_DIR/web, runs the node:test suite against it and stops the daemon.
# Exit 77 (skipped) without chromium or node, except under CI=true, where
# that is a failure.
set -euo pipefail
[ $# -eq 3 ] || { echo "usage: $0 INDEXER SEARCHD SOURCE_DIR" >&2; exit 2; }
indexer=$1 searchd=$2 source_dir=$3
here=$(cd "$(dirname "$0")" && pwd)

missing() {
  if [ "${CI:-}" = true ]; then
    echo "widget tests: $1 is missing (scripts/bootstrap.sh installs it)" >&2
    exit 1
  fi
  echo "widget tests: skipped, $1 is missing (scripts/bootstrap.sh installs it)" >&2
  exit 77
}
[ -x /usr/bin/chromium ] || missing /usr/bin/chromium
command -v node >/dev/null || missing node
command -v npm >/dev/null || missing npm

if [ ! -d "$here/node_modules/playwright-core" ] || [ ! -d "$here/node_modules/axe-core" ]; then
  echo "widget tests: npm ci" >&2
  (cd "$here" && timeout 300 npm ci --no-audit --no-fund --loglevel=error) ||
    { echo "widget tests: npm ci failed" >&2; exit 1; }
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/vb-widget.XXXXXX")
daemon=
cleanup() {
  if [ -n "$daemon" ]; then
    kill "$daemon" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$daemon" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$daemon" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

status=0
"$indexer" --full --index "$work/index" "$source_dir/corpus" >"$work/indexer.log" 2>&1 || status=$?
if [ "$status" -gt 1 ]; then
  cat "$work/indexer.log" >&2
  exit 1
fi

"$searchd" --index "$work/index" --listen 127.0.0.1:0 --web "$source_dir/web" \
  --synonyms "$source_dir/corpus/synonyms" >"$work/searchd.out" 2>"$work/searchd.err" &
daemon=$!
url=
for _ in $(seq 100); do # at most 10 s
  line=$(head -n 1 "$work/searchd.out" 2>/dev/null || true)
  case $line in
  "listening on http://"*) url=${line#listening on } && break ;;
  esac
  kill -0 "$daemon" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$url" ]; then
  echo "widget tests: vraagbaak-searchd did not start" >&2
  cat "$work/searchd.err" >&2
  exit 1
fi

mkdir -p "$here/artifacts"
export VB_URL=$url VB_SEARCHD=$searchd VB_INDEX=$work/index VB_WEB=$source_dir/web
export VB_ARTIFACTS=$here/artifacts
cd "$here"
# The limits bound a hang, not the speed: the file's 13 tests take about
# 30 s, and over a minute against the sanitizer build on a loaded machine.
timeout 360 node --test --test-concurrency=1 --test-timeout=300000 widget.test.mjs editor.test.mjs
