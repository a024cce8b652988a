#!/usr/bin/env bash
# Sets up and runs Vraagbaak on the sample corpus: installs missing Debian
# packages, builds, indexes corpus/ into data/index (a rerun only applies
# what changed) and starts searchd on 127.0.0.1:8080 (Ctrl-C stops it).
# Extra arguments go to vraagbaak-searchd, e.g. --listen 127.0.0.1:9090.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
status=0
build/indexer/vraagbaak-indexer --index data/index corpus || status=$?
if [ "$status" -eq 2 ]; then
  # An index from an older version of the layout: rebuild it.
  echo "run.sh: rebuilding data/index" >&2
  status=0
  build/indexer/vraagbaak-indexer --full --index data/index corpus || status=$?
fi
[ "$status" -le 1 ] || exit "$status" # 1: some documents rejected, go on
# The address the hints name: the last --listen given, as searchd reads it.
listen=127.0.0.1:8080
args=("$@")
for i in "${!args[@]}"; do
  case ${args[$i]} in
  --listen) listen=${args[$((i + 1))]:-$listen} ;;
  --listen=*) listen=${args[$i]#--listen=} ;;
  esac
done
cat >&2 <<HINT
Try:  curl 'http://$listen/v1/search?q=facturen+betal&lang=nl'
      curl 'http://$listen/v1/search?q=&customer=C000123'
      curl 'http://$listen/v1/analyze?text=glasvezelaansluitingen'
HINT
exec build/searchd/vraagbaak-searchd --index data/index --synonyms corpus/synonyms "$@"
