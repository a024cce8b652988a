#!/usr/bin/env bash
# Sets up (missing Debian packages, build) and runs Vraagbaak's main job.
# Until the indexer and searchd land, the main job is the analysis chain:
# it prints what Vraagbaak makes of the text given, or, without arguments,
# of a procedure from the sample corpus.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
if [ $# -eq 0 ]; then
  exec build/tools/vraagbaak-analyze < corpus/procedures/proc-verhuizing-nl.md
fi
exec build/tools/vraagbaak-analyze "$@"
