#!/usr/bin/env bash
# The crash test (issue 3): the index on disk is always one committed
# revision.  Two versions of a generated corpus differ in every document
# (titles end in " v1" / " v2", bodies differ, and v2 drops some ids and
# adds others, so the two versions also differ in their document counts).
# The indexer is killed with SIGKILL at random moments spread over a whole
# run (measured first), some of them close to the end so that they land
# in the final flush and commit; a larger corpus gives a longer commit.
# After every kill:
#   - the index opens, every stored document decodes, ids, sync records and
#     documents agree (vb-index-verify), and xapian-check passes;
#   - it holds entirely the previous version or entirely the new one, with
#     exactly that version's document count;
#   - a normal run then completes (exit 0) and holds the new version; if
#     the kill came after the commit, that run finds nothing to do.
# Each kill is classified by its outcome: before the commit (old version,
# the posting and position tables untouched: Xapian writes those only in
# the final flush), during it (old version, but those tables or the new
# version file v.tmp written), after it (new version, the process was
# still running), or the run had finished (exit 0 before the kill; not
# counted as a kill).
#
# usage: indexer_crash.sh INDEXER_BINARY VERIFY_BINARY
# Environment: VB_CRASH_SEED (default: the PID) seeds the random delays;
# VB_CRASH_KILLS (default 26) runs really killed on the small corpus (at
# most three times as many attempts); VB_CRASH_LARGE_KILLS (default 5, likewise);
# VB_CRASH_DOCS (default 2000) documents in the small corpus;
# VB_CRASH_NEW_KILLS (default 8) kills during a new index's first build.
set -u
bin=$1
verify=$2
kills=${VB_CRASH_KILLS:-26}
large_kills=${VB_CRASH_LARGE_KILLS:-5}
seed=${VB_CRASH_SEED:-$$}
RANDOM=$seed
fail=0
work=$(mktemp -d /tmp/vb-indexer-crash-XXXXXX) || exit 1
pid=
cleanup() {
  if [ -n "$pid" ]; then kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; fi
  rm -rf "$work"
}
trap cleanup EXIT
started=$(date +%s%N)
echo "seed $seed (VB_CRASH_SEED=$seed repeats the random sequence)"

now_ms() { echo $(($(date +%s%N) / 1000000)); }
die() { echo "FAIL: $*"; exit 1; }

# gen DIR VERSION N: version 1 holds ids 1..N; version 2 drops the first
# N/40 and adds N/80 new ones.  One document in ten is a Markdown file
# (50 to a directory), the others are JSON Lines (1,000 to a file).
gen() {
  local dir=$1 version=$2 n=$3
  local drop=$((n / 40)) first=1 last=$n
  if [ "$version" = 2 ]; then first=$((drop + 1)); last=$((n + drop / 2)); fi
  mkdir -p "$dir"
  for ((d = first / 500; d <= last / 500; d++)); do mkdir -p "$dir/md/$d"; done
  awk -v dir="$dir" -v v="$version" -v first="$first" -v last="$last" '
    function body(i) {
      return (v == 1 ? "Eerste versie: de klant belde over factuur " \
                     : "Tweede versie: de klant mailde over rekening ") \
             i * 7 " en de betaling van maand " (i % 12 + 1) "."
    }
    BEGIN {
      for (i = first; i <= last; i++) {
        title = "Gesprek " i " over factuur " (i * 7) " v" v
        if (i % 10 == 0) {
          f = dir "/md/" int(i / 500) "/doc-" i ".md"
          printf "---\nid: doc-%d\ntype: procedure\nlang: nl\ntitle: %s\n" \
                 "tags: [factuur, versie-%d]\n---\n%s\n", i, title, v, body(i) > f
          close(f)
        } else {
          f = dir "/part-" int(i / 1000) ".jsonl"
          printf "{\"id\":\"doc-%d\",\"type\":\"history\",\"lang\":\"nl\"," \
                 "\"title\":\"%s\",\"customer\":\"C%04d\",\"channel\":\"phone\"," \
                 "\"date\":\"2026-01-%02dT10:00:00+01:00\",\"body\":\"%s\"}\n", \
                 i, title, i % 500, i % 28 + 1, body(i) >> f
        }
      }
    }'
  # The number of documents of this version.
  echo $((last - first + 1))
}

# A corpus: $1 = name; the live directory $work/$1/corpus is always the same
# path (the indexer syncs a source by its path), swapped by renames.
setup_corpus() {
  local name=$1 n=$2
  mkdir -p "$work/$name"
  count1=$(gen "$work/$name/v1" 1 "$n")
  count2=$(gen "$work/$name/v2" 2 "$n")
  mv "$work/$name/v1" "$work/$name/corpus"
  live=1
}
use_version() { # name version
  [ "$live" = "$2" ] && return
  mv "$work/$1/corpus" "$work/$1/v$live"
  mv "$work/$1/v$2" "$work/$1/corpus"
  live=$2
}
count_of() { [ "$1" = 1 ] && echo "$count1" || echo "$count2"; }

# check_index DIR: sets $marker and $docs from vb-index-verify, or fails;
# Xapian's own xapian-check (xapian-tools) must pass too, where installed.
check_index() {
  local line
  if command -v xapian-check >/dev/null &&
     ! xapian-check "$1" >"$work/check.out" 2>&1; then
    echo "FAIL: xapian-check: $(tail -n 3 "$work/check.out" | tr '\n' ' ')"
    fail=1; return 1
  fi
  line=$("$verify" "$1" 2>"$work/verify.err"); local st=$?
  if [ "$st" != 0 ]; then
    echo "FAIL: index does not verify (exit $st): $line $(head -5 "$work/verify.err")"
    fail=1; return 1
  fi
  docs=$(sed -nE 's/.*documents=([0-9]+).*/\1/p' <<<"$line")
  marker=$(sed -nE 's/.*marker=v?([^ ]+).*/\1/p' <<<"$line")
  local marked
  marked=$(sed -nE 's/.*marked=([0-9]+).*/\1/p' <<<"$line")
  if [ "$marked" != "$docs" ]; then
    echo "FAIL: $marked of $docs documents carry a version marker: $line"; fail=1; return 1
  fi
  return 0
}

# full_run INDEX: a normal run to completion; sets $summary.
full_run() {
  summary=$("$bin" --index "$1" "$corpus" 2>"$work/run.err"); local st=$?
  if [ "$st" != 0 ]; then
    echo "FAIL: a normal run after a kill exited $st: $summary $(head -5 "$work/run.err")"
    fail=1; return 1
  fi
}

tables_state() { stat -c '%n %s %y' "$1/postlist.glass" "$1/position.glass" 2>/dev/null; }
sleep_ms() { sleep "$(printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000)))"; }

before=0 during=0 after=0 completed=0 late=0 late_during=0
# kill_cycle NAME INDEX DELAY_MS: one run towards the other version, killed
# after DELAY_MS; then the checks above.
kill_cycle() {
  local name=$1 index=$2 delay=$3
  local target=$((have == 1 ? 2 : 1))
  use_version "$name" "$target"
  # Xapian writes the posting and position tables only when it commits
  # (the final flush), then the new version file (v.tmp, renamed over
  # iamglass): a kill that leaves them changed landed inside the commit.
  local tables_before
  tables_before=$(tables_state "$index")
  "$bin" --index "$index" "$corpus" >"$work/kill.out" 2>"$work/kill.err" &
  pid=$!
  sleep_ms "$delay"
  kill -9 "$pid" 2>/dev/null
  { wait "$pid"; } 2>/dev/null; local st=$?
  pid=
  check_index "$index" || return
  local outcome
  if [ "$st" = 0 ]; then
    outcome=completed; completed=$((completed + 1))
    # It finished in less than $delay: runs have become faster.
    ((delay < run_ms)) && run_ms=$(((run_ms + delay) / 2))
  elif [ "$st" != 137 ]; then
    echo "FAIL: the indexer exited $st before it was killed: $(head -5 "$work/kill.err")"
    fail=1; return
  elif [ "$marker" = "$have" ] && { [ -e "$index/v.tmp" ] ||
         [ "$(tables_state "$index")" != "$tables_before" ]; }; then
    outcome=during; during=$((during + 1))
  elif [ "$marker" = "$have" ]; then
    outcome=before; before=$((before + 1))
  elif [ "$marker" = "$target" ]; then
    outcome=after; after=$((after + 1))
  fi
  if [ "$marker" != "$have" ] && [ "$marker" != "$target" ]; then
    echo "FAIL: after a kill at ${delay} ms the index holds '$marker' (expected v$have or v$target)"
    fail=1; return
  fi
  if [ "$docs" != "$(count_of "$marker")" ]; then
    echo "FAIL: index holds v$marker with $docs documents, expected $(count_of "$marker")"
    fail=1; return
  fi
  if [ "$delay" -ge $((run_ms * 80 / 100)) ]; then
    late=$((late + 1))
    [ "$outcome" = during ] && late_during=$((late_during + 1))
  fi
  local t0
  t0=$(now_ms)
  full_run "$index" || return
  # A rerun after a kill before the commit changes every document again:
  # it refines the estimate of a run's duration (the load may change).
  if [ "$outcome" = before ] || [ "$outcome" = during ]; then
    run_ms=$(((run_ms * 3 + $(now_ms) - t0) / 4))
  fi
  check_index "$index" || return
  if [ "$marker" != "$target" ] || [ "$docs" != "$(count_of "$target")" ]; then
    echo "FAIL: after the rerun the index holds v$marker ($docs documents), expected v$target"
    fail=1; return
  fi
  if { [ "$outcome" = after ] || [ "$outcome" = completed ]; } &&
     ! grep -Eq ": 0 added, 0 updated, 0 removed, $docs unchanged, 0 rejected" <<<"$summary"; then
    echo "FAIL: the kill came after the commit, yet the rerun changed something: $summary"
    fail=1
  fi
  have=$target
}

stats() { # label kills
  echo "$1: $2 attempts: $before killed before the commit, $during during it," \
       "$after after it (before the exit), $completed runs had finished;" \
       "of $late late kills, $late_during landed during the commit"
  total_before=$((total_before + before)) total_during=$((total_during + during))
  total_after=$((total_after + after)) total_completed=$((total_completed + completed))
  before=0 during=0 after=0 completed=0 late=0 late_during=0
}
total_before=0 total_during=0 total_after=0 total_completed=0

# calibrate NAME: indexes v1, then times one undisturbed run from v1 to v2
# (every document changes); sets $run_ms.
calibrate() {
  "$bin" --index "$index" "$corpus" >/dev/null 2>"$work/run.err" ||
    die "indexing v1 of the $1 corpus: $(cat "$work/run.err")"
  check_index "$index" && [ "$marker" = 1 ] && [ "$docs" = "$count1" ] ||
    die "v1 of the $1 corpus indexed wrongly: v$marker, $docs documents"
  # Twice (v1 to v2, v2 to v1), the first run may meet a cold cache.
  local t0 v total=0
  for v in 2 1; do
    use_version "$1" "$v"
    t0=$(now_ms)
    full_run "$index" || die "the timed run on the $1 corpus failed"
    total=$((total + $(now_ms) - t0))
    check_index "$index" && [ "$marker" = "$v" ] && [ "$docs" = "$(count_of "$v")" ] ||
      die "v$v of the $1 corpus indexed wrongly: v$marker, $docs documents"
  done
  run_ms=$((total / 2))
  have=1
  echo "$1 corpus: v1 $count1 documents, v2 $count2; a run that changes all takes $run_ms ms"
}
random_below() { echo $(((RANDOM * 32768 + RANDOM) % ($1 + 1))); }

# ---- The small corpus: kills over the whole run -------------------------
small=${VB_CRASH_DOCS:-2000}
setup_corpus small "$small"
corpus=$work/small/corpus
index=$work/small-index
calibrate small
small_ms=$run_ms

# ---- A new index: kills over its first build ------------------------------
# A new index is written as shards beside it (DIR.build) and merged; the
# merged index takes the empty one's place with one rename.  After a kill
# the directory holds nothing, the empty index, or all of v1, and the next
# run builds v1 and leaves nothing beside it.
fresh=$work/fresh-index
t0=$(now_ms)
"$bin" --jobs 2 --index "$fresh" "$corpus" >/dev/null 2>"$work/run.err" ||
  die "a new index of the small corpus: $(cat "$work/run.err")"
fresh_ms=$(($(now_ms) - t0))
new_empty=0 new_whole=0 new_done=0
for ((k = 0; k < ${VB_CRASH_NEW_KILLS:-8} && fail == 0; k++)); do
  rm -rf "$fresh" "$fresh.build"
  delay=$(random_below $((fresh_ms * 110 / 100)))
  "$bin" --jobs 2 --index "$fresh" "$corpus" >"$work/kill.out" 2>"$work/kill.err" &
  pid=$!
  sleep_ms "$delay"
  kill -9 "$pid" 2>/dev/null
  { wait "$pid"; } 2>/dev/null; st=$?
  pid=
  if [ "$st" = 0 ]; then
    new_done=$((new_done + 1))
  elif [ "$st" != 137 ]; then
    echo "FAIL: a new index's build exited $st before it was killed: $(head -5 "$work/kill.err")"
    fail=1; break
  fi
  if [ -e "$fresh/iamglass" ]; then
    check_index "$fresh" || break
    if [ "$docs" = 0 ]; then
      new_empty=$((new_empty + 1))
    elif [ "$marker" = 1 ] && [ "$docs" = "$count1" ]; then
      [ "$st" = 0 ] || new_whole=$((new_whole + 1))
    else
      echo "FAIL: a kill at $delay ms into a new index's build left v$marker, $docs documents"
      fail=1; break
    fi
  else
    new_empty=$((new_empty + 1))
  fi
  full_run "$fresh" || break
  check_index "$fresh" || break
  if [ "$marker" != 1 ] || [ "$docs" != "$count1" ] || [ -e "$fresh.build" ]; then
    echo "FAIL: after a kill at $delay ms the next run left v$marker, $docs documents$([ -e "$fresh.build" ] && echo ", and $fresh.build")"
    fail=1; break
  fi
done
echo "new index (${fresh_ms} ms to build): $k attempts: $new_done runs had" \
     "finished; of the kills, $new_empty left it empty, $new_whole whole"
# Until $kills runs were really killed (a run that finished before its
# kill does not count), at most three times as many attempts.
for ((k = 0; before + during + after < kills && k < 3 * kills && fail == 0; k++)); do
  if ((k % 3 == 2)); then # late: the final flush and the commit
    delay=$((run_ms * 80 / 100 + $(random_below $((run_ms * 25 / 100)))))
  else # anywhere, up to 110 % of a run
    delay=$(random_below $((run_ms * 110 / 100)))
  fi
  kill_cycle small "$index" "$delay"
done
((before + during + after >= kills)) || { echo "FAIL: only $((before + during + after)) kills in $k attempts"; fail=1; }
stats "small corpus" "$k"

# ---- A larger corpus: a longer commit, kills near the end ----------------
# Sized for a run of about 1.2 s in this build (2x to 6x the small one),
# so that the sanitizer build stays within the time budget.
factor=$((1200 / (small_ms > 0 ? small_ms : 1)))
factor=$((factor < 2 ? 2 : factor > 6 ? 6 : factor))
setup_corpus large $((small * factor))
corpus=$work/large/corpus
index=$work/large-index
calibrate large
for ((k = 0; before + during + after < large_kills && k < 3 * large_kills && fail == 0; k++)); do
  delay=$((run_ms * 85 / 100 + $(random_below $((run_ms * 20 / 100)))))
  kill_cycle large "$index" "$delay"
done
stats "large corpus (kills at 85-105 % of a run)" "$k"

echo "in all: $total_before before the commit," \
     "$total_during during it, $total_after after it, $total_completed after the" \
     "run had finished; $(( ($(date +%s%N) - started) / 1000000 )) ms"
[ "$fail" = 0 ] && echo "indexer_crash: the index was one committed revision after every kill"
exit $fail
