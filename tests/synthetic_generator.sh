#!/usr/bin/env bash
# vb-gen-synthetic: the same arguments give the same bytes, another seed
# gives other bytes, bad usage exits 2 with one line on stderr, and every
# generated document passes the project's reader (test_synthetic).
set -eu
generator=$1 checker=$2 corpus=$3
out=$(mktemp -d "${TMPDIR:-/tmp}/vb-synthetic.XXXXXX")
trap 'rm -rf "$out"' EXIT
small=(--articles 3000 --events 20000 --customers 500 --corpus "$corpus")

"$generator" "${small[@]}" --seed 42 --outdir "$out/a" 2>/dev/null
"$generator" "${small[@]}" --seed 42 --outdir "$out/b" 2>/dev/null
"$generator" "${small[@]}" --seed 43 --outdir "$out/c" 2>/dev/null
for f in articles.jsonl history.jsonl; do
  cmp "$out/a/$f" "$out/b/$f"
  if cmp -s "$out/a/$f" "$out/c/$f"; then
    echo "FAIL: --seed 43 gives the same $f as --seed 42" >&2
    exit 1
  fi
done
# nothing but the two files (the temporary names were renamed)
test "$(find "$out/a" -mindepth 1 -printf '%f\n' | sort | tr '\n' ' ')" = \
  "articles.jsonl history.jsonl "
test "$(wc -l <"$out/a/articles.jsonl")" -eq 3000
test "$(wc -l <"$out/a/history.jsonl")" -eq 20000

# --tenants 3: every event and all but one article group in four a
# client's (t01..t03), the rest shared; without it no tenant field at all
"$generator" "${small[@]}" --seed 42 --tenants 3 --outdir "$out/t" 2>/dev/null
if grep -q '"tenant"' "$out/a/articles.jsonl" "$out/a/history.jsonl"; then
  echo "FAIL: a tenant field without --tenants" >&2
  exit 1
fi
test "$(grep -c '"tenant"' "$out/t/history.jsonl")" -eq 20000
tenants=$(grep -o '"tenant": *"t0[0-9]"' "$out/t/articles.jsonl" | sort -u | wc -l)
test "$tenants" -eq 3
shared=$(grep -vc '"tenant"' "$out/t/articles.jsonl")
test "$shared" -gt 0 && test "$shared" -lt 3000

# zero documents: two empty files
"$generator" --articles 0 --events 0 --customers 0 --corpus "$corpus" \
  --outdir "$out/empty" 2>/dev/null
test ! -s "$out/empty/articles.jsonl" && test ! -s "$out/empty/history.jsonl"

# usage: --help exits 0; a bad flag or value exits 2 with one line
"$generator" --help | grep -q -- --outdir
for bad in "--articles x" "--articles -1" "--events 1e6" "--bogus" \
           "--seed" "--events 5 --customers 0"; do
  rc=0
  # shellcheck disable=SC2086 # word splitting of $bad is the point
  "$generator" $bad --outdir "$out/bad" 2>"$out/err" || rc=$?
  if [ "$rc" -ne 2 ] || [ "$(wc -l <"$out/err")" -ne 1 ]; then
    echo "FAIL: '$bad' exited $rc with:" >&2
    cat "$out/err" >&2
    exit 1
  fi
done
rc=0
"$generator" --articles 1 2>"$out/err" || rc=$?
[ "$rc" -eq 2 ] && [ "$(wc -l <"$out/err")" -eq 1 ]
test ! -e "$out/bad"

VB_SYNTHETIC_DIR="$out/a" VB_SYNTHETIC_ARTICLES=3000 VB_SYNTHETIC_EVENTS=20000 \
  VB_SYNTHETIC_CUSTOMERS=500 "$checker"
