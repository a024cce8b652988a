#!/usr/bin/env bash
# Fault campaign: what happens to the index when things go wrong, in
# bounded loops, each fault followed by an integrity check (xapian-check
# and the project's own verifier, vb-index-verify) and a count of what is
# in the index against what was acknowledged:
#   1. searchd killed with SIGKILL at a random moment while a client writes
#      documents through it (PUT and DELETE): every write it acknowledged
#      is there, none it acknowledged removing is;
#   2. a full disk under searchd's writes (a file size limit stands in for
#      it): writes refused with an error, searches still answered, nothing
#      acknowledged lost once the disk has room again;
#   2b. a full disk under the indexer while searchd serves: searches go on
#      from the last whole revision, and the daemon switches to the next
#      once there is room;
#   2c. a read-only disk (a read-only bind mount, where mounting is allowed)
#      under searchd's writes and the indexer: clear errors, searches go on;
#   3. the indexer killed with SIGKILL at random moments of a run
#      (tests/indexer_crash.sh, more kills than in CTest);
#   4. a JSONL file truncated, replaced, deleted or appended to while the
#      indexer reads it: a clear exit (0, 1 or 2), never a crash, and the
#      next run completes.
# Writes the table to bench/results/faults-DATE.md; exit 1 on any failure.
#
# usage: bench/faults.sh [ROUNDS] [BUILD_DIR]   (ROUNDS per fault, default 30)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
rounds=${1:-30}
build=${2:-build}
indexer=$build/indexer/vraagbaak-indexer searchd=$build/searchd/vraagbaak-searchd
verify=$build/tests/vb-index-verify
for program in "$indexer" "$searchd" "$verify"; do
  [ -x "$program" ] || { echo "faults: $program missing; build first" >&2; exit 2; }
done
command -v xapian-check >/dev/null ||
  { echo "faults: xapian-check missing (scripts/bootstrap.sh installs xapian-tools)" >&2; exit 2; }
work=$(mktemp -d)
pid=
cleanup() {
  if [ -n "$pid" ]; then kill -9 "$pid" 2>/dev/null || true; fi
  umount "$work/ro" 2>/dev/null || true # not mounted: the usual case
  jobs -p | xargs -r kill 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

# Both checkers on INDEX; a failure is counted with WHAT.
intact() {
  local index=$1 what=$2
  xapian-check "$index" >"$work/check.out" 2>&1 ||
    { fail "$what: xapian-check: $(tail -n 2 "$work/check.out" | tr '\n' ' ')"; return 1; }
  "$verify" "$index" >"$work/verify.out" 2>&1 ||
    { fail "$what: vb-index-verify: $(tail -n 2 "$work/verify.out" | tr '\n' ' ')"; return 1; }
}

# Starts searchd on INDEX (more arguments to the shell that runs it first:
# "ulimit -f N; "); sets $pid and $url.
start_searchd() {
  local index=$1 before=${2:-}
  url=
  if ! SEARCHD_WAIT=300 searchd_start "$work/searchd.out" "$work/searchd.err" \
    bash -c "$before exec \"\$0\" --index \"\$1\" --listen 127.0.0.1:0 --threads 2" \
    "$searchd" "$index" 2>/dev/null; then
    pid=$searchd_pid
    fail "searchd did not start: $(tail -n 2 "$work/searchd.err")"
    return 1
  fi
  pid=$searchd_pid url=$searchd_url
}

put() { # ID: the HTTP status of writing document ID
  curl -s -o /dev/null -m 20 -w '%{http_code}' -X PUT -H 'Content-Type: application/json' \
    --data "{\"id\": \"$1\", \"type\": \"procedure\", \"lang\": \"nl\", \"title\": \"Storingsprocedure $1\", \"body\": \"Controleer de modem en herstart de router ($1).\"}" \
    "$url/v1/docs/$1" || echo 000
}
delete() {
  curl -s -o /dev/null -m 20 -w '%{http_code}' -X DELETE "$url/v1/docs/$1" || echo 000
}
status_of() { # ID: the HTTP status of reading document ID
  curl -s -o /dev/null -m 20 -w '%{http_code}' "$url/v1/docs/$1" || echo 000
}

"$indexer" --index "$work/base" corpus >/dev/null

# ---- 1. searchd killed during writes --------------------------------------
cp -r "$work/base" "$work/ix1"
: >"$work/acked-put" && : >"$work/acked-delete" && : >"$work/tried-delete"
daemon_kills=0 writes_acked=0 lost=0
for round in $(seq "$rounds"); do
  start_searchd "$work/ix1" || break
  (
    n=0
    while :; do
      id="fault-$round-$n"
      case $(put "$id") in 200 | 201) echo "$id" >>"$work/acked-put" ;; esac
      # Every third write also removes an earlier acknowledged one.
      if [ $((n % 3)) -eq 2 ]; then
        old=$(shuf -n 1 "$work/acked-put" 2>/dev/null || true)
        if [ -n "$old" ]; then
          echo "$old" >>"$work/tried-delete"
          case $(delete "$old") in 200 | 204) echo "$old" >>"$work/acked-delete" ;; esac
        fi
      fi
      n=$((n + 1))
    done
  ) &
  writer=$!
  sleep "0.$((RANDOM % 9 + 1))$((RANDOM % 10))"
  kill -9 "$pid"
  wait "$pid" 2>/dev/null || true
  kill "$writer" 2>/dev/null; wait "$writer" 2>/dev/null || true
  pid=
  daemon_kills=$((daemon_kills + 1))
  intact "$work/ix1" "searchd killed (round $round)" || continue
done
# What was acknowledged is there (the last state of each id decides).
start_searchd "$work/ix1"
sort -u "$work/acked-put" >"$work/put-ids"
writes_acked=$(($(wc -l <"$work/acked-put") + $(wc -l <"$work/acked-delete")))
while read -r id; do
  want=200
  grep -qx "$id" "$work/acked-delete" && want=404
  got=$(status_of "$id")
  # A delete in flight when the daemon was killed may or may not have
  # happened; an acknowledged one must have.
  if [ "$want" = 200 ] && [ "$got" != 200 ] && ! grep -qx "$id" "$work/tried-delete"; then
    lost=$((lost + 1)); fail "acknowledged write of $id lost ($got)"
  fi
  if [ "$want" = 404 ] && [ "$got" != 404 ]; then
    lost=$((lost + 1)); fail "acknowledged delete of $id undone ($got)"
  fi
done <"$work/put-ids"
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=

# ---- 2. a full disk under searchd's writes --------------------------------
full_rounds=0 full_refused=0 full_searches_failed=0 full_lost=0 full_codes=
for round in $(seq "$((rounds / 3 + 1))"); do
  rm -rf "$work/ix2" && cp -r "$work/base" "$work/ix2"
  # Room for 16 to 80 KB more in the largest file of the index (each
  # commit writes a few 8 KB blocks).
  largest=$(du -k "$work"/ix2/*.glass | sort -n | tail -n 1 | cut -f1)
  limit=$((largest + 16 + RANDOM % 64))
  start_searchd "$work/ix2" "ulimit -f $limit;" || break
  : >"$work/full-acked"
  refused=
  for n in $(seq 1000); do
    s=$(put "full-$round-$n")
    case $s in
      200 | 201) echo "full-$round-$n" >>"$work/full-acked" ;;
      *) refused=$s && break ;;
    esac
  done
  full_rounds=$((full_rounds + 1))
  if [ -n "$refused" ]; then
    full_refused=$((full_refused + 1))
    case " $full_codes " in *" $refused "*) ;; *) full_codes="$full_codes $refused" ;; esac
    search=$(curl -s -o /dev/null -m 20 -w '%{http_code}' "$url/v1/search?q=modem" || echo 000)
    [ "$search" = 200 ] || { full_searches_failed=$((full_searches_failed + 1)); fail "full disk: search answered $search"; }
    kill -0 "$pid" 2>/dev/null || fail "full disk: searchd died"
  fi
  kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; pid=
  intact "$work/ix2" "full disk (round $round)" || continue
  start_searchd "$work/ix2" || break
  while read -r id; do
    [ "$(status_of "$id")" = 200 ] || { full_lost=$((full_lost + 1)); fail "full disk: acknowledged $id lost"; }
  done <"$work/full-acked"
  # With room again, writes work.
  [ "$(put "after-full-$round")" = 200 ] || [ "$(status_of "after-full-$round")" = 200 ] ||
    fail "full disk: no write once there was room"
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
done

# ---- 2b. a full disk under the indexer while searchd serves ----------------
switch_rounds=0 switch_served=0 switch_failed=0 switch_codes=
cp -r corpus "$work/src2b" && rm -rf "$work/src2b/tools"
for round in $(seq "$((rounds / 3 + 1))"); do
  rm -rf "$work/ix2b" && "$indexer" --index "$work/ix2b" "$work/src2b" >/dev/null 2>&1
  start_searchd "$work/ix2b" || break
  before=$(curl -s -m 20 "$url/v1/health" | sed -n 's/.*"revision":\([0-9]*\).*/\1/p')
  # A tenth of the articles changed, then an indexer run on a full disk.
  find "$work/src2b" -name '*.md' | sort | awk -v r="$round" 'NR % 10 == r % 10' |
    while read -r f; do printf '\nGewijzigd in ronde %d.\n' "$round" >>"$f"; done
  largest=$(du -k "$work"/ix2b/*.glass | sort -n | tail -n 1 | cut -f1)
  set +e
  bash -c "ulimit -f $((largest + RANDOM % 64)); exec \"\$0\" --index \"\$1\" \"\$2\"" \
    "$indexer" "$work/ix2b" "$work/src2b" >/dev/null 2>"$work/ix2b.err"
  code=$?
  set -e
  switch_rounds=$((switch_rounds + 1))
  switch_codes="$switch_codes $code"
  [ "$code" -lt 128 ] || fail "indexer on a full disk crashed ($code)"
  # The daemon goes on answering from the last whole revision.
  ok=0
  for _ in $(seq 20); do
    [ "$(curl -s -o /dev/null -m 20 -w '%{http_code}' "$url/v1/search?q=modem")" = 200 ] && ok=$((ok + 1))
  done
  [ "$ok" = 20 ] && switch_served=$((switch_served + 1)) ||
    { switch_failed=$((switch_failed + 1)); fail "full disk under the indexer: $ok of 20 searches answered"; }
  intact "$work/ix2b" "indexer on a full disk (round $round)" || true
  # With room again the run completes and the daemon switches to it.
  "$indexer" --index "$work/ix2b" "$work/src2b" >/dev/null 2>"$work/ix2b.err" ||
    fail "indexer with room again: $(tail -n 1 "$work/ix2b.err")"
  after=$before
  for _ in $(seq 100); do # at most 10 s
    after=$(curl -s -m 20 "$url/v1/health" | sed -n 's/.*"revision":\([0-9]*\).*/\1/p')
    [ "${after:-0}" -gt "${before:-0}" ] && break
    sleep 0.1
  done
  [ "${after:-0}" -gt "${before:-0}" ] || fail "searchd did not switch to the new revision ($before, $after)"
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
done

# ---- 2c. a read-only disk under searchd and the indexer -------------------
# A read-only bind mount of an index (needs the right to mount: skipped
# and said so otherwise).
readonly_result="skipped: no right to mount here"
cp -r "$work/base" "$work/ro-src" && mkdir -p "$work/ro"
if mount --bind "$work/ro-src" "$work/ro" 2>/dev/null &&
   mount -o remount,bind,ro "$work/ro" 2>/dev/null; then
  start_searchd "$work/ro"
  put_answer=$(curl -s -m 20 -X PUT -H 'Content-Type: application/json' \
    --data '{"id": "ro-1", "type": "procedure", "lang": "nl", "title": "T", "body": "b"}' \
    -w ' %{http_code}' "$url/v1/docs/ro-1" || echo 000)
  search=$(curl -s -o /dev/null -m 20 -w '%{http_code}' "$url/v1/search?q=modem" || echo 000)
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
  set +e
  "$indexer" --index "$work/ro" corpus >/dev/null 2>"$work/ro.err"
  code=$?
  set -e
  case $put_answer in *"Read-only file system"*" 503") ;; *) fail "read-only disk: PUT answered $put_answer" ;; esac
  [ "$search" = 200 ] || fail "read-only disk: search answered $search"
  [ "$code" = 2 ] && grep -q "Read-only file system" "$work/ro.err" ||
    fail "read-only disk: the indexer exited $code: $(tail -n 1 "$work/ro.err")"
  umount "$work/ro"
  intact "$work/ro-src" "read-only disk" || true
  readonly_result="a write through searchd: 503 naming the read-only file system; searches 200; the indexer: exit $code, \"$(tail -n 1 "$work/ro.err" | sed 's/|/\\|/g')\""
else
  umount "$work/ro" 2>/dev/null || true
fi

# ---- 3. the indexer killed during a run -----------------------------------
indexer_kills=0
if VB_CRASH_KILLS=$rounds VB_CRASH_SEED=$RANDOM tests/indexer_crash.sh "$indexer" "$verify" \
    >"$work/crash.out" 2>&1; then
  indexer_kills=$(sed -n 's/^in all: \(.*\); [0-9]* ms$/\1/p' "$work/crash.out")
else
  fail "indexer killed: $(tail -n 3 "$work/crash.out" | tr '\n' ' ')"
fi

# ---- 4. a file changed while the indexer reads it -------------------------
mkdir -p "$work/src4"
awk 'BEGIN { for (i = 0; i < 60000; i++) printf "{\"id\": \"ev-%d\", \"type\": \"history\", \"lang\": \"nl\", \"title\": \"Gesprek %d\", \"customer\": \"C%06d\", \"channel\": \"phone\", \"date\": \"2026-01-01T10:00:00Z\", \"body\": \"De klant belt over de factuur van januari en een storing aan de modem.\"}\n", i, i, i % 500 }' \
  >"$work/src4/events.jsonl"
cp "$work/src4/events.jsonl" "$work/events.full"
declare -A outcomes=()
changes=(truncate replace delete append)
crashes=0
for round in $(seq "$rounds"); do
  cp "$work/events.full" "$work/src4/events.jsonl"
  "$indexer" --index "$work/ix4" "$work/src4" >"$work/ix4.out" 2>"$work/ix4.err" &
  run=$!
  sleep "0.$((RANDOM % 8))$((RANDOM % 10))"
  change=${changes[$((round % 4))]}
  case $change in
    truncate) truncate -s $((RANDOM * 60)) "$work/src4/events.jsonl" ;;
    replace) head -n 100 "$work/events.full" >"$work/new.jsonl" && mv "$work/new.jsonl" "$work/src4/events.jsonl" ;;
    delete) rm -f "$work/src4/events.jsonl" ;;
    append) printf '{"id": "broken", \n' >>"$work/src4/events.jsonl" ;;
  esac
  set +e
  wait "$run"
  code=$?
  set -e
  outcomes[$change:$code]=$((${outcomes[$change:$code]:-0} + 1))
  if [ "$code" -ge 128 ]; then
    crashes=$((crashes + 1))
    fail "indexer crashed ($code) on $change: $(tail -n 2 "$work/ix4.err" | tr '\n' ' ')"
  fi
  intact "$work/ix4" "file $change (round $round)" || continue
  cp "$work/events.full" "$work/src4/events.jsonl"
  "$indexer" --index "$work/ix4" "$work/src4" >/dev/null 2>"$work/ix4.err" ||
    fail "file $change: the next run failed: $(tail -n 1 "$work/ix4.err")"
done
summary=$(for k in "${!outcomes[@]}"; do echo "$k"; done | sort | while read -r k; do
  printf '%s exit %s: %s; ' "${k%%:*}" "${k##*:}" "${outcomes[$k]}"; done)

stamp=$(date -u +%Y-%m-%d-%H%M)
report=bench/results/faults-$stamp.md
{
  echo "# Fault campaign $stamp (commit $(git rev-parse --short HEAD))"
  echo
  echo "\`bench/faults.sh $rounds\`, $(nproc) cores. Each fault is followed by"
  echo "xapian-check and vb-index-verify on the index."
  echo
  echo "| fault | rounds | outcome | lost or crashed |"
  echo "|---|---:|---|---|"
  echo "| searchd SIGKILLed while a client writes through it | $daemon_kills | $(sort -u "$work/acked-put" | wc -l) writes and $(wc -l <"$work/acked-delete") deletes acknowledged, all checked after the last kill | $lost lost |"
  echo "| full disk under searchd's writes (file size limit) | $full_rounds | writes refused (HTTP$full_codes) in $full_refused rounds, searches answered throughout ($full_searches_failed failed) | $full_lost acknowledged writes lost |"
  echo "| a full disk under the indexer while searchd serves, then room again | $switch_rounds | the indexer exited$switch_codes; searches answered from the last whole revision in $switch_served rounds ($switch_failed not), the new revision served once written | see failures below |"
  echo "| a read-only disk (a read-only bind mount of the index) | 1 | $readonly_result | see failures below |"
  echo "| indexer SIGKILLed during a run (tests/indexer_crash.sh) | $rounds + | killed $indexer_kills; each time the previous or the new revision, whole | $(grep -c FAIL "$work/crash.out" || true) |"
  echo "| JSONL truncated / replaced / deleted / appended to while read | $rounds | $summary | $crashes crashes |"
  echo
  echo "Failures in all, integrity checks included: $failures."
} >"$report"
cat "$report"
[ "$failures" -eq 0 ]
