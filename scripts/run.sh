#!/usr/bin/env bash
# Sets up and runs Vraagbaak on the sample corpus: installs missing Debian
# packages, builds, indexes corpus/ into data/index (a rerun only applies
# what changed) and starts searchd on 127.0.0.1:8080 (Ctrl-C stops it),
# with customer tickets required (Contract 5): the ticket secret is made
# once in data/ticket.secret, and a ticket for the demo customer is minted
# for the demo page.  The audit log is data/index.audit.db.
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
# The demo's customer tickets, as a CRM back end would mint them.
if [ ! -s data/ticket.secret ]; then
  (umask 077 && head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >data/ticket.secret)
fi
printf 'ticket_secret_file = %s\n' "$PWD/data/ticket.secret" >data/searchd.conf
ticket=$(build/searchd/vraagbaak-searchd --mint-ticket demo-agent C000123 \
  --tenant lumina --config data/searchd.conf)
velora=$(build/searchd/vraagbaak-searchd --mint-ticket demo-agent V000001 \
  --tenant velora --config data/searchd.conf)
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
Open: http://$listen/#ticket=$ticket&velora=$velora
      (the demo CRM page of a contact centre with two clients, Lumina and
      Velora; the tickets let it show customer C000123's and V000001's
      history for 8 hours)
      http://$listen/editor (the editors' page: what agents could not find,
      their flags, what is due for review, why a query finds an article)
Try:  curl 'http://$listen/v1/search?q=facturen+betal&lang=nl'
      curl 'http://$listen/v1/search?q=&customer=C000123&tenant=lumina' -H 'X-Vraagbaak-Ticket: $ticket'
      curl 'http://$listen/v1/analyze?text=glasvezelaansluitingen'
HINT
exec build/searchd/vraagbaak-searchd --index data/index --synonyms corpus/synonyms \
  --config data/searchd.conf "$@"
