#!/usr/bin/env bash
# Prints every measured figure of the analysis chain: conflation and
# over-conflation per language against plain Snowball, Dutch compound
# recall and wrong-split rate, language detection accuracy, and MB/s on
# one core against a utf8proc + libstemmer peer.  Needs ../shared/data.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" >/dev/null

for program in eval_conflation eval_compounds eval_langdetect; do
  echo "== $program"
  build/bench/$program
  echo
done
echo "== bench_analysis"
build/bench/bench_analysis "${1:-2}"
