#!/usr/bin/env bash
# vraagbaak-indexer --watch as an editor uses it: save a file, see it in
# search.  A real searchd on 127.0.0.1 reads the index the watcher writes;
# each save pattern is checked through GET /v1/docs/{id} and a search.
#   create; write in place (VS Code); a temporary file renamed over the
#   old one (emacs, VS Code's atomic save); the old one moved to a backup
#   first (vim); rename; delete; a bad save (reported as path:line, the
#   previous version still searchable); a new subdirectory; the corpus
#   directory moved away and back; a burst of saves; one log line per
#   applied change; SIGTERM stops it with status 0.
# Waits are bounded polls (no timing thresholds: the machine is shared).
#
# usage: indexer_watch.sh INDEXER_BINARY SEARCHD_BINARY
set -u
indexer=$1
searchd=$2
fail=0
work=$(mktemp -d /tmp/vb-indexer-watch-XXXXXX) || exit 1
watch_pid= searchd_pid=
cleanup() {
  for p in $watch_pid $searchd_pid; do
    kill -9 "$p" 2>/dev/null
    wait "$p" 2>/dev/null
  done
  rm -rf "$work"
}
trap cleanup EXIT
command -v curl >/dev/null || { echo "curl is missing"; exit 1; }

corpus=$work/corpus index=$work/index
mkdir -p "$corpus/procedures"
md() { # file id title [body]
  mkdir -p "$(dirname "$1")"
  printf -- '---\nid: %s\ntype: procedure\nlang: nl\ntitle: %s\n---\n%s\n' \
    "$2" "$3" "${4:-De klant vraagt iets over $3.}" >"$1"
}
md "$corpus/procedures/start.md" start "Startpagina"

"$indexer" --index "$index" --watch "$corpus" >"$work/watch.out" 2>"$work/watch.err" &
watch_pid=$!
for _ in $(seq 200); do # at most 20 s (a sanitizer build starts slowly)
  grep -q "watching$" "$work/watch.out" 2>/dev/null && break
  sleep 0.1
done
grep -q "watching$" "$work/watch.out" || { echo "FAIL: the watcher did not start"; cat "$work/watch.err"; exit 1; }

"$searchd" --index "$index" --listen 127.0.0.1:0 --threads 1 >"$work/searchd.out" 2>"$work/searchd.err" &
searchd_pid=$!
url=
for _ in $(seq 300); do
  url=$(sed -n 's/^listening on //p' "$work/searchd.out")
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "$url" ] || { echo "FAIL: searchd did not start"; cat "$work/searchd.err"; exit 1; }

title_of() { # id -> the indexed title, or nothing
  curl -s "$url/v1/docs/$1" | sed -n 's/.*"title":"\([^"]*\)".*/\1/p'
}
# until_title DESCRIPTION ID TITLE: polls (at most 15 s) until the
# document has that title ("" = until it is gone).
until_title() {
  local got=
  for _ in $(seq 150); do
    got=$(title_of "$2")
    [ "$got" = "$3" ] && return 0
    sleep 0.1
  done
  echo "FAIL: $1: $2 has title '$got', expected '$3'"
  fail=1
}
found_by() { # description, query, id
  if ! curl -s -G --data-urlencode "q=$2" "$url/v1/search" | grep -q "\"id\":\"$3\""; then
    echo "FAIL: $1: '$2' does not find $3"; fail=1
  fi
}

until_title "the first sync" start "Startpagina"

# Create.
md "$corpus/procedures/verhuis.md" verhuis "Verhuizing melden" "Een verhuizing meldt de klant online."
until_title "a new file" verhuis "Verhuizing melden"
found_by "a new file" "verhuizing" verhuis

# Written in place: truncated, then written (VS Code).
md "$corpus/procedures/verhuis.md" verhuis "Verhuizing melden v2" "Een verhuizing meldt de klant online."
until_title "written in place" verhuis "Verhuizing melden v2"

# A temporary file renamed over the old one (emacs, VS Code's atomic save);
# emacs also leaves a lock link and an autosave file, which are not read.
ln -s "user@host.1234" "$corpus/procedures/.#verhuis.md"
md "$corpus/procedures/#verhuis.md#" verhuis "Autosave, never indexed"
md "$corpus/procedures/.verhuis.md.tmp" verhuis "Verhuizing melden v3" "Een verhuizing meldt de klant online."
mv "$corpus/procedures/.verhuis.md.tmp" "$corpus/procedures/verhuis.md"
until_title "renamed over the old one" verhuis "Verhuizing melden v3"
rm -f "$corpus/procedures/.#verhuis.md" "$corpus/procedures/#verhuis.md#"

# vim: its 4913 probe, the old file moved to a backup, the new one
# written, the backup removed; a swap file the whole time.
md "$corpus/procedures/.verhuis.md.swp" swap "Swap"
: >"$corpus/procedures/4913" && rm "$corpus/procedures/4913"
mv "$corpus/procedures/verhuis.md" "$corpus/procedures/verhuis.md~"
md "$corpus/procedures/verhuis.md" verhuis "Verhuizing melden v4" "Een verhuizing meldt de klant online."
rm "$corpus/procedures/verhuis.md~"
until_title "vim's save" verhuis "Verhuizing melden v4"
rm "$corpus/procedures/.verhuis.md.swp"

# A bad save: said as path:line, and the previous version stays.
printf -- '---\nid: verhuis\ntype: procedure\nlang: nl\ntitle: Kapot\n' >"$corpus/procedures/verhuis.md"
for _ in $(seq 150); do
  grep -q "verhuis.md:1: " "$work/watch.err" && break
  sleep 0.1
done
grep -q "procedures/verhuis.md:1: front matter" "$work/watch.err" ||
  { echo "FAIL: a bad save is not reported as path:line: $(cat "$work/watch.err")"; fail=1; }
[ "$(title_of verhuis)" = "Verhuizing melden v4" ] ||
  { echo "FAIL: a bad save cost the indexed version: '$(title_of verhuis)'"; fail=1; }
found_by "after a bad save" "verhuizing" verhuis
md "$corpus/procedures/verhuis.md" verhuis "Verhuizing melden v5" "Een verhuizing meldt de klant online."
until_title "the bad save fixed" verhuis "Verhuizing melden v5"

# Rename: the same document, from its new place.
mv "$corpus/procedures/verhuis.md" "$corpus/procedures/verhuizen.md"
md "$corpus/procedures/marker1.md" marker1 "Na het hernoemen"
until_title "after a rename" marker1 "Na het hernoemen"
[ "$(title_of verhuis)" = "Verhuizing melden v5" ] ||
  { echo "FAIL: a renamed file lost its document"; fail=1; }

# A new subdirectory with a file in it, in one go.
mkdir -p "$corpus/nieuw/diep"
md "$corpus/nieuw/diep/sub.md" sub "In een nieuwe map"
until_title "a new subdirectory" sub "In een nieuwe map"

# Delete.
rm "$corpus/procedures/marker1.md"
until_title "a deleted file" marker1 ""

# The corpus directory moved away (nothing is removed) and back.
mv "$corpus" "$work/away"
sleep 1.5 # a few of the watcher's polls with the directory gone
[ "$(title_of start)" = "Startpagina" ] ||
  { echo "FAIL: moving the corpus away removed its documents"; fail=1; }
mv "$work/away" "$corpus"
md "$corpus/procedures/terug.md" terug "Weer terug"
until_title "after the directory came back" terug "Weer terug"

# A burst: twenty saves of one file end as its last version.
for i in $(seq 1 20); do
  md "$corpus/procedures/burst.md" burst "Versie $i"
done
until_title "a burst of saves" burst "Versie 20"

# One line per applied change, with the id and the place.
out=$(cat "$work/watch.out")
grep -Eq "^[0-9T:-]+Z added verhuis \(.*procedures/verhuis.md:2\)$" <<<"$out" ||
  { echo "FAIL: no log line for the added document: $out"; fail=1; }
grep -Eq "Z updated verhuis " <<<"$out" || { echo "FAIL: no 'updated' line: $out"; fail=1; }
grep -Eq "Z removed marker1 " <<<"$out" || { echo "FAIL: no 'removed' line: $out"; fail=1; }
if grep -Eq "swap|Autosave" <<<"$out" || [ -n "$(title_of swap)" ]; then
  echo "FAIL: a swap or autosave file was indexed"; fail=1
fi
# A file that stays wrong is said once, not at every other save.
bad_lines=$(grep -c "verhuis.md:1: front matter" "$work/watch.err")
[ "$bad_lines" = 1 ] || { echo "FAIL: the bad save was said $bad_lines times"; fail=1; }

kill -TERM "$watch_pid"
wait "$watch_pid"
status=$?
watch_pid=
[ "$status" = 0 ] || { echo "FAIL: SIGTERM: exit $status"; fail=1; }
grep -q "stopped$" "$work/watch.out" || { echo "FAIL: no 'stopped' line"; fail=1; }

[ "$fail" = 0 ] && echo "indexer --watch: all checks passed"
exit "$fail"
