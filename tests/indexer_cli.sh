#!/usr/bin/env bash
# vraagbaak-indexer as a user runs it (Contract 2): --help/--version, usage
# errors, exit codes, the summary line, problems as path:line: message on
# stderr, where the index goes ($VRAAGBAAK_INDEX, ./data/index), the real
# sample corpus, and two writers on one index.
#
# usage: indexer_cli.sh INDEXER_BINARY SAMPLE_CORPUS_DIR
set -u
bin=$1
sample=$2
fail=0
work=$(mktemp -d /tmp/vb-indexer-cli-XXXXXX) || exit 1
bg_pid=
cleanup() {
  if [ -n "$bg_pid" ]; then kill -9 "$bg_pid" 2>/dev/null; wait "$bg_pid" 2>/dev/null; fi
  rm -rf "$work"
}
trap cleanup EXIT

# run DESCRIPTION EXPECTED_STATUS COMMAND...: stdout in $out, stderr in $err.
run() {
  local what=$1 want=$2; shift 2
  "$@" >"$work/stdout" 2>"$work/stderr"; got=$?
  out=$(cat "$work/stdout"); err=$(cat "$work/stderr")
  if [ "$got" != "$want" ]; then
    echo "FAIL: $what: exit $got, expected $want"
    echo "  stdout: $out"; echo "  stderr: $err"; fail=1
  fi
}
expect() { # description, text, extended regex
  if ! grep -Eq -- "$3" <<<"$2"; then
    echo "FAIL: $1: no match for /$3/ in: $2"; fail=1
  fi
}
expect_not() { # description, text, extended regex
  if grep -Eq -- "$3" <<<"$2"; then
    echo "FAIL: $1: unexpected /$3/ in: $2"; fail=1
  fi
}
lines() { [ -z "$1" ] && echo 0 || wc -l <<<"$1"; }
one_line() { # description, text
  if [ "$(lines "$2")" != 1 ]; then
    echo "FAIL: $1: expected one line, got: $2"; fail=1
  fi
}
summary_re() { # added updated removed unchanged rejected
  echo ": $1 added, $2 updated, $3 removed, $4 unchanged, $5 rejected, [0-9]+ languages detected, [0-9]+\.[0-9]+ s$"
}

md() { # file id lang title
  mkdir -p "$(dirname "$1")"
  printf -- '---\nid: %s\ntype: procedure\nlang: %s\ntitle: %s\n---\nDe klant vraagt iets over %s.\n' \
    "$2" "$3" "$4" "$4" >"$1"
}

# ---- Help, version, usage errors ----------------------------------------
run "--help" 0 "$bin" --help
expect "--help" "$out" "^Usage: vraagbaak-indexer"
expect "--help" "$out" "--check"
[ -z "$err" ] || { echo "FAIL: --help writes to stderr: $err"; fail=1; }
run "--version" 0 "$bin" --version
expect "--version" "$out" "^vraagbaak-indexer [0-9]+\.[0-9]+"

mkdir -p "$work/clean"
run "unknown flag" 2 "$bin" --bogus "$work/clean"
one_line "unknown flag" "$err"
expect "unknown flag" "$err" "--bogus"
[ -z "$out" ] || { echo "FAIL: unknown flag: stdout: $out"; fail=1; }
run "no SOURCE" 2 "$bin" --index "$work/ix-none"
one_line "no SOURCE" "$err"
expect "no SOURCE" "$err" "SOURCE"
run "--index without a directory" 2 "$bin" "$work/clean" --index
one_line "--index without a directory" "$err"
run "--check with --full" 2 "$bin" --check --full --index "$work/ix-none" "$work/clean"
one_line "--check with --full" "$err"
for jobs in 0 9 2x ""; do
  run "--jobs '$jobs'" 2 "$bin" --index "$work/ix-none" --jobs "$jobs" "$work/clean"
  expect "--jobs '$jobs'" "$err" "--jobs needs a number from 1 to 8"
done
run "missing source" 2 "$bin" --index "$work/ix-none" "$work/no-such-corpus"
one_line "missing source" "$err"
expect "missing source" "$err" "no-such-corpus"
[ ! -e "$work/ix-none" ] || { echo "FAIL: a usage error created the index"; fail=1; }

# ---- A clean corpus -------------------------------------------------------
md "$work/clean/products/fiber.md" prod-fiber-nl nl "Glasvezel 500"
md "$work/clean/products/tv.md" prod-tv-fr fr "Télévision numérique"
md "$work/clean/procedures/move.md" proc-move-en en "Moving house"
md "$work/clean/procedures/pay.md" proc-pay-nl nl "Facturen betalen"
mkdir -p "$work/clean/history"
for i in 1 2 3 4; do
  printf '{"id":"ev-%d","type":"history","lang":"nl","title":"Gesprek %d","customer":"C1","channel":"phone","date":"2026-03-0%dT10:00:00+01:00"}\n' \
    "$i" "$i" "$i"
done >"$work/clean/history/events.jsonl"
echo "# not a document" >"$work/clean/README.md"
clean_docs=8

run "check on a missing index" 0 "$bin" --check --index "$work/ix" "$work/clean"
expect "check on a missing index" "$out" "^check \(nothing written\) .*$(summary_re $clean_docs 0 0 0 0)"
[ ! -e "$work/ix" ] || { echo "FAIL: --check created the index"; fail=1; }
run "clean corpus" 0 "$bin" --index "$work/ix" "$work/clean"
one_line "clean corpus summary" "$out"
expect "clean corpus" "$out" "^$work/ix$(summary_re $clean_docs 0 0 0 0)"
[ -z "$err" ] || { echo "FAIL: clean corpus: stderr: $err"; fail=1; }
run "clean corpus rerun" 0 "$bin" --index "$work/ix" "$work/clean"
expect "clean corpus rerun" "$out" "$(summary_re 0 0 0 $clean_docs 0)"
run "--index=DIR" 0 "$bin" --index="$work/ix" "$work/clean"
expect "--index=DIR" "$out" "$(summary_re 0 0 0 $clean_docs 0)"
# An index whose creation was killed before Xapian wrote its version file
# holds tables that nobody can open: the next run starts it again.
mkdir -p "$work/ix-unfinished"
: >"$work/ix-unfinished/flintlock"
: >"$work/ix-unfinished/postlist.glass"
run "unfinished new index" 0 "$bin" --index "$work/ix-unfinished" "$work/clean"
expect "unfinished new index" "$out" "$(summary_re $clean_docs 0 0 0 0)"
# A new index written as two shards, merged: the same summary, nothing
# left beside it, and a rerun finds every document unchanged.
run "--jobs 2, new index" 0 "$bin" --jobs 2 --index "$work/ix-jobs" "$work/clean"
expect "--jobs 2, new index" "$out" "^$work/ix-jobs$(summary_re $clean_docs 0 0 0 0)"
[ ! -e "$work/ix-jobs.build" ] || { echo "FAIL: --jobs 2 left $work/ix-jobs.build"; fail=1; }
run "--jobs 1, rerun" 0 "$bin" --jobs 1 --index "$work/ix-jobs" "$work/clean"
expect "--jobs 1, rerun" "$out" "$(summary_re 0 0 0 $clean_docs 0)"

# ---- One bad document -----------------------------------------------------
cp -r "$work/clean" "$work/bad"
printf -- '---\nid: proc-broken\ntype: procedure\nlang: xx\ntitle: Kapot\n---\nTekst.\n' \
  >"$work/bad/procedures/broken.md"
run "one bad document" 1 "$bin" --index "$work/ix-bad" "$work/bad"
expect "one bad document" "$out" "$(summary_re $clean_docs 0 0 0 1)"
expect "one bad document" "$err" "^$work/bad/procedures/broken\.md:[0-9]+: .+"
expect_not "one bad document" "$err" "^[^/]"
run "one bad document, --check" 1 "$bin" --check --index "$work/ix-bad" "$work/bad"
expect "one bad document, --check" "$out" "$(summary_re 0 0 0 $clean_docs 1)"
expect "one bad document, --check" "$err" "broken\.md:[0-9]+: "
# A bad JSONL line, relative paths: reported as given.
(cd "$work" && printf '{"id": "ev-9", "type": \n' >>bad/history/events.jsonl)
(cd "$work" && "$bin" --index ix-bad bad >"$work/stdout" 2>"$work/stderr"); got=$?
err=$(cat "$work/stderr")
[ "$got" = 1 ] || { echo "FAIL: bad JSONL line: exit $got"; fail=1; }
expect "bad JSONL line" "$err" "^bad/history/events\.jsonl:5: "
expect "bad JSONL line" "$err" "^bad/procedures/broken\.md:[0-9]+: "

# ---- Where the index goes --------------------------------------------------
mkdir -p "$work/cwd1"
(cd "$work/cwd1" && VRAAGBAAK_INDEX="$work/env-ix" "$bin" "$work/clean" \
  >"$work/stdout" 2>"$work/stderr"); got=$?
out=$(cat "$work/stdout")
[ "$got" = 0 ] || { echo "FAIL: \$VRAAGBAAK_INDEX: exit $got: $(cat "$work/stderr")"; fail=1; }
expect "\$VRAAGBAAK_INDEX" "$out" "^$work/env-ix$(summary_re $clean_docs 0 0 0 0)"
[ -f "$work/env-ix/iamglass" ] || { echo "FAIL: no index in \$VRAAGBAAK_INDEX"; fail=1; }
[ ! -e "$work/cwd1/data" ] || { echo "FAIL: \$VRAAGBAAK_INDEX ignored"; fail=1; }
# --index wins over $VRAAGBAAK_INDEX.
(cd "$work/cwd1" && VRAAGBAAK_INDEX="$work/env-ix" "$bin" --index "$work/flag-ix" \
  "$work/clean" >/dev/null 2>&1)
[ -f "$work/flag-ix/iamglass" ] || { echo "FAIL: --index did not win over \$VRAAGBAAK_INDEX"; fail=1; }

# The default, ./data/index, with ./data already there ...
mkdir -p "$work/cwd2/data"
(cd "$work/cwd2" && env -u VRAAGBAAK_INDEX "$bin" "$work/clean" \
  >"$work/stdout" 2>"$work/stderr"); got=$?
[ "$got" = 0 ] || { echo "FAIL: default index: exit $got: $(cat "$work/stderr")"; fail=1; }
[ -f "$work/cwd2/data/index/iamglass" ] || { echo "FAIL: no index in ./data/index"; fail=1; }
# ... and in a fresh directory, as after a checkout (Contract 2: "builds
# or updates the index in DIR (default ./data/index ...)").
mkdir -p "$work/cwd3"
(cd "$work/cwd3" && env -u VRAAGBAAK_INDEX "$bin" "$work/clean" \
  >"$work/stdout" 2>"$work/stderr"); got=$?
[ "$got" = 0 ] || { echo "FAIL: default index in a fresh directory: exit $got: $(cat "$work/stderr")"; fail=1; }
[ -f "$work/cwd3/data/index/iamglass" ] || { echo "FAIL: no index in ./data/index of a fresh directory"; fail=1; }

# ---- The sample corpus ----------------------------------------------------
run "sample corpus" 0 "$bin" --index "$work/sample-ix" "$sample"
expect "sample corpus" "$out" ": [1-9][0-9]* added, 0 updated, 0 removed, 0 unchanged, 0 rejected,"
expect_not "sample corpus" "$err" ": (error|warning)"
sample_docs=$(sed -nE 's/.*: ([0-9]+) added,.*/\1/p' <<<"$out")
run "sample corpus rerun" 0 "$bin" --index "$work/sample-ix" "$sample"
expect "sample corpus rerun" "$out" "$(summary_re 0 0 0 "${sample_docs:-x}" 0)"
echo "sample corpus: ${sample_docs:-?} documents"

# ---- Two writers ------------------------------------------------------------
# A corpus big enough that the first writer holds the lock for seconds.
big=30000
mkdir -p "$work/big"
awk -v n=$big 'BEGIN { for (i = 1; i <= n; i++)
  printf "{\"id\":\"gen-%d\",\"type\":\"history\",\"lang\":\"nl\",\"title\":\"Gesprek %d over factuur %d\",\"customer\":\"C%04d\",\"channel\":\"phone\",\"date\":\"2026-01-01\",\"body\":\"De klant belde over de factuur van maand %d.\"}\n", i, i, i * 7, i % 500, i % 12 + 1 }' \
  >"$work/big/generated.jsonl"
"$bin" --index "$work/ix-two" "$work/big" >"$work/first.out" 2>"$work/first.err" &
bg_pid=$!
# The lock file appears when the first writer opens the (new) index.
for ((i = 0; i < 600; i++)); do
  [ -e "$work/ix-two/flintlock" ] && break
  kill -0 "$bg_pid" 2>/dev/null || break
  sleep 0.05
done
if [ ! -e "$work/ix-two/flintlock" ]; then
  echo "FAIL: two writers: the first never took the lock"; fail=1
else
  run "second writer" 2 "$bin" --index "$work/ix-two" "$work/clean"
  one_line "second writer" "$err"
  expect "second writer" "$err" "being written by another process"
  if ! kill -0 "$bg_pid" 2>/dev/null; then
    echo "FAIL: two writers: the first finished before the second tried (inconclusive)"; fail=1
  fi
  run "second writer, --full" 2 "$bin" --full --index "$work/ix-two" "$work/clean"
  expect "second writer, --full" "$err" "being written by another process"
  # A reader (--check) is not a writer: it works while the first writes.
  run "--check while writing" 0 "$bin" --check --index "$work/ix-two" "$work/clean"
fi
for ((i = 0; i < 1200; i++)); do # at most 120 s
  kill -0 "$bg_pid" 2>/dev/null || break
  sleep 0.1
done
if kill -0 "$bg_pid" 2>/dev/null; then
  echo "FAIL: two writers: the first did not finish"; fail=1
fi
wait "$bg_pid"; got=$?
bg_pid=
[ "$got" = 0 ] || { echo "FAIL: first writer: exit $got: $(cat "$work/first.err")"; fail=1; }
expect "first writer" "$(cat "$work/first.out")" "$(summary_re $big 0 0 0 0)"
run "after two writers: --check" 0 "$bin" --check --index "$work/ix-two" "$work/big"
expect "after two writers: --check" "$out" "$(summary_re 0 0 0 $big 0)"
run "after two writers: rerun" 0 "$bin" --index "$work/ix-two" "$work/big"
expect "after two writers: rerun" "$out" "$(summary_re 0 0 0 $big 0)"
run "after two writers: the other corpus" 0 "$bin" --index "$work/ix-two" "$work/clean"
expect "after two writers: the other corpus" "$out" "$(summary_re $clean_docs 0 0 0 0)"

# ---- A place that cannot be written ------------------------------------------
# Even root cannot create files in /proc/sys: the message says so, and does
# not blame another writer.
run "read-only index directory" 2 "$bin" --index /proc/sys "$work/clean"
expect "read-only index directory" "$err" "index /proc/sys cannot be written: "
expect_not "read-only index directory" "$err" "another process"

# ---- A disk that fills up on a new index -----------------------------------------
# (a file size limit of 300 KB stands in for a full disk): exit 2, a
# message, and nothing left behind that a daemon would take for an index.
run "full disk on a new index" 2 bash -c "ulimit -f 300 && exec \"\$0\" --index \"\$1\" \"\$2\"" \
  "$bin" "$work/ix-full-disk/index" "$work/big"
expect "full disk on a new index" "$err" "^vraagbaak-indexer: "
if [ -e "$work/ix-full-disk/index" ]; then
  echo "FAIL: full disk on a new index: left $(ls "$work/ix-full-disk/index" | tr '\n' ' ')"; fail=1
fi

# ---- --full keeps what a file with a problem had -------------------------------
mkdir -p "$work/full/history"
for i in 1 2 3; do
  printf '{"id": "ev-%s", "type": "history", "lang": "nl", "customer": "C1", "date": "2026-01-0%s", "title": "Gesprek %s", "body": "Klant belde over factuur %s."}\n' "$i" "$i" "$i" "$i"
done >"$work/full/history/events.jsonl"
run "--full, clean" 0 "$bin" --full --index "$work/ix-full" "$work/full"
expect "--full, clean" "$out" "$(summary_re 3 0 0 0 0)"
# Line 2 goes bad: its indexed version stays, with --full as without.
sed -i '2s/.*/{"id": "ev-2", "type": "history",/' "$work/full/history/events.jsonl"
run "--full, a bad line" 1 "$bin" --full --index "$work/ix-full" "$work/full"
expect "--full, a bad line" "$out" ": 0 added, 2 updated, 0 removed, 0 unchanged, 1 rejected,"
expect "--full, a bad line" "$err" "events\.jsonl:2: "

# ---- Symbolic links -------------------------------------------------------------
# A link to a file outside the source is not followed (a corpus is what its
# editors put in it); a link inside is.
mkdir -p "$work/links/procedures" "$work/outside"
md "$work/links/procedures/a.md" proc-a nl "Adreswijziging"
md "$work/outside/b.md" proc-b nl "Geheim"
ln -s "$work/outside/b.md" "$work/links/procedures/b.md"
ln -s a.md "$work/links/procedures/c.md"
run "symbolic links" 0 "$bin" --index "$work/ix-links" "$work/links"
expect "symbolic links" "$err" "procedures/b\.md: note: a symbolic link to a place outside"
expect_not "symbolic links" "$err" "duplicate id proc-b|proc-b"
expect "symbolic links" "$out" "$(summary_re 1 0 0 0 0)"

# ---- A file rewritten in place while it is read ------------------------------------
# A CRM export truncated and rewritten under the indexer: never a crash
# (it used to die of SIGBUS reading through mmap), at worst the file's
# problem "changed while being read" and exit 1.
mkdir -p "$work/shrink"
for i in $(seq 1 20000); do
  printf '{"id": "ev-%s", "type": "history", "lang": "nl", "customer": "C%s", "date": "2026-01-01", "title": "Gesprek %s", "body": "Klant belde over de factuur van maand %s en de betaling."}\n' "$i" "$((i % 50))" "$i" "$i"
done >"$work/shrink-source.jsonl"
cp "$work/shrink-source.jsonl" "$work/shrink/events.jsonl"
( for _ in $(seq 400); do
    : >"$work/shrink/events.jsonl"
    head -c 300000 "$work/shrink-source.jsonl" >>"$work/shrink/events.jsonl"
    cat "$work/shrink-source.jsonl" >"$work/shrink/events.jsonl"
  done ) &
bg_pid=$!
crashes=0 changed=0
for _ in $(seq 15); do
  "$bin" --check --index "$work/ix-shrink" "$work/shrink" >/dev/null 2>"$work/shrink.err"
  status=$?
  [ "$status" -le 1 ] || { crashes=$((crashes + 1)); echo "  exit $status: $(tail -1 "$work/shrink.err")"; }
  grep -q "events\.jsonl: file changed while being read" "$work/shrink.err" && changed=$((changed + 1))
  kill -0 "$bg_pid" 2>/dev/null || break
done
kill "$bg_pid" 2>/dev/null; wait "$bg_pid" 2>/dev/null; bg_pid=
[ "$crashes" = 0 ] || { echo "FAIL: file rewritten while read: $crashes runs did not end with 0 or 1"; fail=1; }
echo "file rewritten while read: 15 runs, $changed saw it change, none crashed"

[ "$fail" = 0 ] && echo "indexer_cli: all checks passed"
exit $fail
