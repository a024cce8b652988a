#!/usr/bin/env bash
# The committed customer history is exactly what the generator makes.
set -eu
generator=$1 corpus=$2
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$generator" --outdir "$out" >/dev/null
for f in "$corpus"/history/*.jsonl; do
  cmp "$f" "$out/$(basename "$f")"
done
