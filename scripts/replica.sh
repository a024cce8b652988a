#!/usr/bin/env bash
# Replicas of the index with Xapian's own replication (docs/deploy.md):
# the indexing machine serves its index directory, each search machine
# keeps a copy that follows it and runs searchd on that copy.
#
#   scripts/replica.sh serve DIR HOST:PORT
#       On the indexing machine: serves every index directory inside DIR
#       (by its name) on HOST:PORT with xapian-replicate-server.  Run the
#       indexer with XAPIAN_MAX_CHANGESETS=10 in its environment so that a
#       revision travels as the changes it made, not as a full copy.
#   scripts/replica.sh follow HOST:PORT NAME REPLICA [SECONDS]
#       On a search machine: keeps REPLICA a copy of the index NAME served
#       at HOST:PORT, asking every SECONDS (default 2) with
#       xapian-replicate; then `vraagbaak-searchd --index REPLICA` follows
#       each revision as it arrives.
#
# Both run in the foreground until stopped (a service manager's job).
set -euo pipefail

usage() {
  sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

# HOST:PORT into $host and $port, or a clear error.
split_address() {
  host=${1%:*}
  port=${1##*:}
  if [ -z "$host" ] || [ "$host" = "$1" ] || ! [[ $port =~ ^[0-9]{1,5}$ ]] ||
    [ "$port" -lt 1 ] || [ "$port" -gt 65535 ]; then
    echo "replica.sh: '$1' is not HOST:PORT" >&2
    exit 2
  fi
}

need() {
  command -v "$1" >/dev/null 2>&1 || {
    echo "replica.sh: $1 is missing (Debian package xapian-tools)" >&2
    exit 1
  }
}

[ $# -ge 1 ] || usage
case $1 in
serve)
  [ $# -eq 3 ] || usage
  [ -d "$2" ] || {
    echo "replica.sh: $2 is not a directory of indexes" >&2
    exit 2
  }
  split_address "$3"
  need xapian-replicate-server
  exec xapian-replicate-server --interface "$host" --port "$port" "$2"
  ;;
follow)
  [ $# -ge 4 ] && [ $# -le 5 ] || usage
  split_address "$2"
  interval=${5:-2}
  [[ $interval =~ ^[0-9]+$ ]] && [ "$interval" -ge 1 ] || {
    echo "replica.sh: SECONDS must be a whole number of at least 1" >&2
    exit 2
  }
  case $3 in
  */* | .* | "")
    echo "replica.sh: NAME is an index's directory name inside the served DIR" >&2
    exit 2
    ;;
  esac
  need xapian-replicate
  mkdir -p "$(dirname "$4")"
  # A master that stops answering ends an attempt after 10 s (the next
  # one comes at the next interval); searchd's readers reopen on their
  # own when two changes land at once, so they need 2 s, not 30.
  exec xapian-replicate --host "$host" --port "$port" --master "$3" \
    --interval "$interval" --timeout 10 --reader-time 2 "$4"
  ;;
*) usage ;;
esac
