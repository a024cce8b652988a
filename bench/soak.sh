#!/usr/bin/env bash
# Soak: vraagbaak-searchd answers steady queries for SECONDS (default
# 1800) while the indexer rewrites a tenth of the corpus every minute;
# then a slow-client attack (300 connections trickling one header line
# every 5 s) while a normal client measures its own latency, against the
# same client without the attack.  Reports requests, errors (any answer
# but 200, or none), resident memory and open file descriptors at the
# start and the end, and latency percentiles, to
# bench/results/soak-DATE.md.  Exit 1 when any request failed, or memory
# grew by more than a tenth over the second half of the run (the caches,
# which are bounded, fill during the first), or descriptors by more than a
# tenth.
#
# usage: bench/soak.sh [SECONDS] [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
seconds=${1:-1800}
build=${2:-build}
for program in "$build/indexer/vraagbaak-indexer" "$build/searchd/vraagbaak-searchd"; do
  [ -x "$program" ] || { echo "soak: $program missing; build first" >&2; exit 2; }
done
work=$(mktemp -d)
pid=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  jobs -p | xargs -r kill 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

cp -r corpus "$work/corpus"
rm -rf "$work/corpus/tools"
"$build/indexer/vraagbaak-indexer" --index "$work/index" "$work/corpus" >/dev/null
SEARCHD_WAIT=300 searchd_start "$work/searchd.out" "$work/searchd.err" \
  "$build/searchd/vraagbaak-searchd" --index "$work/index" \
  --listen 127.0.0.1:0 --threads 2 || { pid=$searchd_pid; exit 2; }
pid=$searchd_pid url=$searchd_url
port=${url##*:}

rss() { awk '/^VmRSS/ { print $2 }' "/proc/$pid/status"; }
fds() { ls "/proc/$pid/fd" | wc -l; }

# Queries: the sample corpus's judged agent queries, each with its lang.
mapfile -t queries < <(grep -v '^#' corpus/queries.tsv | cut -f2,4 | tr '\t' '|')

# One client, sequential, until $1 (epoch seconds), from address $2 if
# given: one line per request, "status seconds" (status 000: no answer).
load() {
  local until=$1 i=0
  local -a from=()
  [ -z "${2:-}" ] || from=(--interface "$2")
  while [ "$(date +%s)" -lt "$until" ]; do
    local entry=${queries[$((i % ${#queries[@]}))]}
    curl -s -o /dev/null -m 10 -w '%{http_code} %{time_total}\n' "${from[@]}" -G \
      --data-urlencode "q=${entry#*|}" --data "lang=${entry%%|*}" \
      "$url/v1/search" || true
    i=$((i + 1))
  done
}

# Every minute, a tenth of the articles changed (a line appended) and the
# index synced: the daemon switches to each new revision under load.
rewrite() {
  local until=$1 round=0
  mapfile -t files < <(find "$work/corpus" -name '*.md' | sort)
  while [ "$(date +%s)" -lt "$until" ]; do
    sleep 60
    for ((k = round % 10; k < ${#files[@]}; k += 10)); do
      printf '\nBijgewerkt tijdens de soaktest, ronde %d.\n' "$round" >>"${files[$k]}"
    done
    "$build/indexer/vraagbaak-indexer" --index "$work/index" "$work/corpus" \
      >>"$work/indexer.out" 2>&1 || echo "indexer exit $?" >>"$work/indexer.err"
    round=$((round + 1))
  done
  echo "$round" >"$work/rounds"
}

percentile() { # FILE P: the P-th percentile of column 2, in ms
  awk '{ print $2 * 1000 }' "$1" | sort -n |
    awk -v p="$2" '{ v[NR] = $1 } END { i = int((NR - 1) * p / 100) + 1; printf "%.1f", v[i] }'
}

start=$(date +%s)
rss_start=$(rss) fds_start=$(fds)
end=$((start + seconds))
rewrite "$end" &
writer=$!
load "$end" >"$work/steady.txt" &
loader=$!
peak=$rss_start rss_warm= rss_half=
while kill -0 "$loader" 2>/dev/null; do
  r=$(rss)
  [ "$r" -gt "$peak" ] && peak=$r
  # The searchers' caches (bounded) fill during the first half: growth
  # is judged over the second.
  [ -z "$rss_warm" ] && [ "$(date +%s)" -ge $((start + seconds / 10)) ] && rss_warm=$r
  [ -z "$rss_half" ] && [ "$(date +%s)" -ge $((start + seconds / 2)) ] && rss_half=$r
  sleep 5
done
rss_warm=${rss_warm:-$rss_start} rss_half=${rss_half:-$rss_warm}
wait "$loader"
wait "$writer" || true
rss_end=$(rss) fds_end=$(fds)
requests=$(wc -l <"$work/steady.txt")
errors=$(awk '$1 != "200"' "$work/steady.txt" | wc -l)

# The slow-client attack, against a normal client's latency.  The
# attacker is 127.0.0.1; the normal client comes from 127.0.0.2, another
# client as the daemon sees it.
load $(($(date +%s) + 30)) 127.0.0.2 >"$work/quiet.txt"
attack() {
  trap '' PIPE # a connection the daemon refused or cut: EPIPE, not death
  local until=$1 opened=0
  local -a socks=()
  slow_open() { # a new slow connection into socks[$1]
    local fd
    if { exec {fd}<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null; then
      printf 'GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n' >&"$fd" 2>/dev/null || true
      socks[$1]=$fd
      opened=$((opened + 1))
    fi
  }
  for k in $(seq 0 299); do slow_open "$k"; done
  while [ "$(date +%s)" -lt "$until" ]; do
    sleep 5
    for k in "${!socks[@]}"; do
      # One more header line; a connection the daemon cut is replaced.
      if ! printf 'X-Slow: %d\r\n' "$RANDOM" >&"${socks[$k]}" 2>/dev/null; then
        eval "exec ${socks[$k]}>&-"
        slow_open "$k"
      fi
    done
  done
  echo "$opened" >"$work/attack.opened"
}
attack_end=$(($(date +%s) + 35))
attack "$attack_end" &
attacker=$!
sleep 3
load $((attack_end - 2)) 127.0.0.2 >"$work/attacked.txt"
wait "$attacker" || true
attacked_errors=$(awk '$1 != "200"' "$work/attacked.txt" | wc -l)

stamp=$(date -u +%Y-%m-%d-%H%M)
report=bench/results/soak-$stamp.md
{
  echo "# Soak $stamp (commit $(git rev-parse --short HEAD))"
  echo
  echo "\`bench/soak.sh $seconds\` on the sample corpus, $(nproc) cores; searchd with 2 threads."
  echo
  echo "| what | figure |"
  echo "|---|---|"
  echo "| steady load | $seconds s, one sequential client: $requests requests, $errors not 200 |"
  echo "| index rewrites under load | $(cat "$work/rounds" 2>/dev/null || echo 0) (a tenth of the articles each), indexer failures: $(cat "$work/indexer.err" 2>/dev/null | wc -l) |"
  echo "| resident memory, start / a tenth in / half-way / peak / end | $rss_start / $rss_warm / $rss_half / $peak / $rss_end KiB |"
  echo "| open file descriptors, start / end | $fds_start / $fds_end |"
  echo "| latency p50 / p99 steady (curl, ms) | $(percentile "$work/steady.txt" 50) / $(percentile "$work/steady.txt" 99) |"
  echo "| latency p50 / p99 without attack, 30 s | $(percentile "$work/quiet.txt" 50) / $(percentile "$work/quiet.txt" 99) ($(wc -l <"$work/quiet.txt") requests) |"
  echo "| latency p50 / p99 during the attack | $(percentile "$work/attacked.txt" 50) / $(percentile "$work/attacked.txt" 99) ($(wc -l <"$work/attacked.txt") requests, $attacked_errors not 200; $(cat "$work/attack.opened") slow connections opened, each cut by the daemon replaced) |"
} >"$report"
cat "$report"
status=0
[ "$errors" -eq 0 ] && [ "$attacked_errors" -eq 0 ] || status=1
[ "$rss_end" -le $((rss_half + rss_half / 10)) ] || status=1
[ "$fds_end" -le $((fds_start + fds_start / 10)) ] || status=1
exit $status
