#!/usr/bin/env bash
# Indexing figures: documents per second and index size for the sample
# corpus and for the generated 1,100,000 documents, against SQLite FTS5
# (the same files, read by the same document module) in the same run.
#
# usage: bench/index-figures.sh [ARTICLES EVENTS CUSTOMERS]
#   defaults: 100000 1000000 50000 (the benchmark workload of issue 6)
# BASE_INDEXER=PATH adds rows for another vraagbaak-indexer (an older
# commit's, say) building the same generated files and syncing the same
# 1,000 changes into its own index, each right after this build's.
# Needs the RelWithDebInfo build in build/ (scripts/test.sh makes it).
set -euo pipefail
cd "$(dirname "$0")/.."
articles=${1:-100000}
events=${2:-1000000}
customers=${3:-50000}
b=build
work=$(mktemp -d "${TMPDIR:-/tmp}/vb-index-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

cmake --build "$b" -j"$(nproc)" --target vraagbaak-indexer vb-gen-synthetic \
  bench_index_fts5 >/dev/null

now() { date +%s.%N; }
size() { du -sb "$1" | cut -f1; }
mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", n / s }'; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

# Runs the indexer; prints "documents seconds".
index() {
  local dir=$1; shift
  local t0 t1 line
  t0=$(now)
  line=$("${b_indexer:-$b/indexer/vraagbaak-indexer}" --index "$dir" "$@" 2>/dev/null | tail -1)
  t1=$(now)
  local added updated unchanged
  added=$(sed -E 's/.*: ([0-9]+) added.*/\1/' <<<"$line")
  updated=$(sed -E 's/.* ([0-9]+) updated.*/\1/' <<<"$line")
  unchanged=$(sed -E 's/.* ([0-9]+) unchanged.*/\1/' <<<"$line")
  echo "$((added + updated + unchanged)) $(secs "$t0" "$t1")"
}

# Edits the title of `count` documents spread evenly over the generated
# files (half in each), as an editor's day and a CRM export would.
change_documents() {
  local dir=$1 count=$2 tag=$3 f lines
  for f in "$dir/articles.jsonl" "$dir/history.jsonl"; do
    lines=$(wc -l <"$f")
    awk -v every=$((lines / (count / 2))) -v tag="$tag" \
      '{ if (NR % every == 0) sub(/"title":"/, "\"title\":\"" tag " "); print }' \
      "$f" >"$f.new"
    mv "$f.new" "$f"
  done
  sync
}

# Runs the FTS5 peer; prints "documents seconds bytes".
fts5() {
  local db=$1; shift
  "$b/bench/bench_index_fts5" "$db" "$@" |
    sed -E 's/.*documents=([0-9]+).*seconds=([0-9.]+).*bytes=([0-9]+).*/\1 \2 \3/'
}

row() { # name docs seconds bytes
  printf "| %-38s | %9s | %8s | %9s | %9s |\n" "$1" "$2" "$3" "$(rate "$2" "$3")" "$(mb "$4")"
}

echo "machine: $(nproc) cores, $(uname -m); Xapian $(pkg-config --modversion xapian-core), SQLite $(pkg-config --modversion sqlite3)"
echo
printf "| %-38s | %9s | %8s | %9s | %9s |\n" "run" "documents" "seconds" "docs/s" "size MB"
printf "|%s|%s|%s|%s|%s|\n" "$(printf -- '-%.0s' {1..40})" "-----------" "----------" "-----------" "-----------"

mapfile -t corpus_files < <(find corpus -name '*.md' ! -name README.md -o -name '*.jsonl' | sort)
read -r n s < <(index "$work/sample" corpus)
row "Vraagbaak, sample corpus, new index" "$n" "$s" "$(size "$work/sample")"
read -r n s < <(index "$work/sample" corpus)
row "Vraagbaak, sample corpus, rerun" "$n" "$s" "$(size "$work/sample")"
read -r n s bytes < <(fts5 "$work/sample.db" "${corpus_files[@]}")
row "SQLite FTS5, sample corpus" "$n" "$s" "$bytes"

"$b/corpus/tools/vb-gen-synthetic" --articles "$articles" --events "$events" \
  --customers "$customers" --outdir "$work/synthetic" 2>/dev/null
# The files written back to disk before any timing: a commit's fsync
# would otherwise wait behind a gigabyte of the generator's dirty pages.
sync
label="generated $((articles + events)) docs"
read -r n s < <(index "$work/big" "$work/synthetic")
row "Vraagbaak, $label" "$n" "$s" "$(size "$work/big")"
read -r n s < <(index "$work/big" "$work/synthetic")
row "Vraagbaak, $label, rerun" "$n" "$s" "$(size "$work/big")"
base=${BASE_INDEXER:+BASE_INDEXER}
if [ -n "$base" ]; then
  read -r n s < <(b_indexer=$BASE_INDEXER index "$work/base" "$work/synthetic")
  row "$base, $label" "$n" "$s" "$(size "$work/base")"
fi
change_documents "$work/synthetic" 1000 Herzien
read -r n s < <(index "$work/big" "$work/synthetic")
row "Vraagbaak, $label, 1,000 changed" "$n" "$s" "$(size "$work/big")"
rm -rf "$work/big"
if [ -n "$base" ]; then
  read -r n s < <(b_indexer=$BASE_INDEXER index "$work/base" "$work/synthetic")
  row "$base, $label, 1,000 changed" "$n" "$s" "$(size "$work/base")"
  rm -rf "$work/base"
fi
read -r n s bytes < <(fts5 "$work/big.db" "$work/synthetic/articles.jsonl" "$work/synthetic/history.jsonl")
row "SQLite FTS5, $label" "$n" "$s" "$bytes"
