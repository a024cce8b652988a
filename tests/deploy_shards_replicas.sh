#!/usr/bin/env bash
# Past one machine (docs/deploy.md), on this one: Linux network namespaces
# made here, joined by a bridge in a namespace of their own, with private
# addresses that exist inside them only (the host's network is not
# touched).  Everything is removed afterwards.
#
#   three shards   10.77.0.11-13  xapian-tcpsrv, one part of the corpus each
#   front          (loopback)     searchd over a stub of the three remote shards
#   master         10.77.0.20     the indexer's index, xapian-replicate-server
#   two replicas   10.77.0.31-32  scripts/replica.sh follow + searchd
#   balancer       10.77.0.50     HAProxy with docs/haproxy.cfg
#   client         10.77.0.60     where the requests come from
#
# Checked: the shards answer as one index (the same totals and hits as a
# local index of the whole corpus); while a background load runs, a shard
# server killed, then a shard cut off the network, gives 200 answers that
# say "partial" and name it (never a hang: each request is bounded), and
# full answers once it is back; a new revision on the master reaches both
# replicas as changes, a --full rebuild as a full copy, and searchd
# follows both; a replica killed under load through the balancer costs no
# request.  Prints the time a revision takes to reach a replica and the
# latency through the remote shards against the local index.
#
# usage: deploy_shards_replicas.sh BUILD_DIR SOURCE_DIR
# Needs root (namespaces); skipped (77) without, except under CI=true.
set -u
build=$1
src=$2
indexer=$build/indexer/vraagbaak-indexer
searchd=$build/searchd/vraagbaak-searchd

skip() {
  echo "deploy: $*" >&2
  [ "${CI:-}" = true ] && exit 1
  exit 77
}
[ "$(id -u)" -eq 0 ] || skip "needs root for network namespaces"
for tool in ip xapian-tcpsrv xapian-replicate xapian-replicate-server \
  haproxy curl python3; do
  command -v "$tool" >/dev/null || skip "$tool is missing"
done

p="vb$(($$ % 100000))"
work=$(mktemp -d /tmp/vb-deploy-XXXXXX) || exit 1
namespaces=()
fail=0

watchdog=
cleanup() {
  [ -n "$watchdog" ] && pkill -P "$watchdog" 2>/dev/null
  jobs -p | xargs -r kill 2>/dev/null # the load loops, when cut short
  for ns in "${namespaces[@]}"; do
    ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null
  done
  sleep 0.2
  for ns in "${namespaces[@]}"; do ip netns del "$ns" 2>/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT
# Ends the test (and removes what it made) well inside CTest's limit,
# which would kill it without cleaning up.
trap 'echo "FAIL: deploy: still running after 240 s" >&2; exit 1' TERM
(sleep 240 && kill -TERM $$) >/dev/null 2>&1 &
watchdog=$!

bad() {
  echo "FAIL: $*" >&2
  fail=1
}
in_ns() {
  local ns=$p$1
  shift
  ip netns exec "$ns" "$@"
}
# Starts a long-running program inside node $1, output to $work/$2.log.
start() {
  local node=$1 log=$2
  shift 2
  (ip netns exec "$p$node" setsid "$@" >"$work/$log.log" 2>&1 </dev/null &)
}
# Kills every process of node $1, again until none is left: a server may
# fork a child for a connection between the listing and the kill.
stop_node() {
  local pids
  for _ in $(seq 50); do
    pids=$(ip netns pids "$p$1")
    [ -z "$pids" ] && return 0
    kill -9 $pids 2>/dev/null
    sleep 0.1
  done
  bad "node $1 would not stop"
}

# ---- The network ----------------------------------------------------------
ip netns add "${p}hub" || skip "cannot make a network namespace"
namespaces+=("${p}hub")
ip -n "${p}hub" link add br0 type bridge && ip -n "${p}hub" link set br0 up
node() { # NAME ADDRESS
  ip netns add "$p$1" && namespaces+=("$p$1")
  ip -n "${p}hub" link add "h$1" type veth peer name eth0 netns "$p$1"
  ip -n "${p}hub" link set "h$1" master br0 up
  ip -n "$p$1" link set lo up
  ip -n "$p$1" addr add "$2/24" dev eth0
  ip -n "$p$1" link set eth0 up
}
node s0 10.77.0.11
node s1 10.77.0.12
node s2 10.77.0.13
node front 10.77.0.40
node master 10.77.0.20
node r1 10.77.0.31
node r2 10.77.0.32
node lb 10.77.0.50
node client 10.77.0.60

# ---- Indexes: three shards, and the whole corpus for comparison ---------
cp -r "$src/corpus" "$work/corpus"
c=$work/corpus
build_index() { # DIR SOURCES...
  local dir=$1
  shift
  "$indexer" --full --index "$dir" "$@" >/dev/null 2>"$work/indexer.err" ||
    { cat "$work/indexer.err" >&2; bad "indexer $dir"; }
}
# Documents are scored against a reference length fixed when an index is
# built (schema/vb_schema.h): the other shards, and the whole index they
# are compared with, take the first shard's.
build_index "$work/shard0" "$c/procedures" "$c/shared"
build_index "$work/shard1" --reference-from "$work/shard0" "$c/products" "$c/clients"
build_index "$work/shard2" --reference-from "$work/shard0" "$c/history"
build_index "$work/whole" --reference-from "$work/shard0" "$c/procedures" \
  "$c/shared" "$c/products" "$c/clients" "$c/history"
# The shard servers close a connection idle for 1.5 s (a minute by
# default): searchd must connect anew, not take the shard for down.
for k in 0 1 2; do
  start "s$k" "tcpsrv$k" xapian-tcpsrv --quiet --interface "10.77.0.1$((k + 1))" \
    --port 7000 --idle-timeout 1500 "$work/shard$k"
done
for k in 1 2 3; do # each shard server listens before searchd starts
  for _ in $(seq 100); do
    in_ns front bash -c "exec 3<>/dev/tcp/10.77.0.1$k/7000" 2>/dev/null && break
    sleep 0.1
  done
done
printf '# the three shards\nremote 10.77.0.11:7000\nremote 10.77.0.12:7000\nremote 10.77.0.13:7000\n' \
  >"$work/shards.stub"

# Waits (bounded) until `curl ARGS` answers 200 from inside node $1.
wait_ok() {
  local node=$1
  shift
  for _ in $(seq 100); do
    [ "$(in_ns "$node" curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$@")" = 200 ] &&
      return 0
    sleep 0.1
  done
  return 1
}
start front front "$searchd" --index "$work/shards.stub" --listen 127.0.0.1:8080 \
  --shard-timeout 300 --threads 2
start front whole "$searchd" --index "$work/whole" --listen 127.0.0.1:8081 --threads 2
wait_ok front http://127.0.0.1:8080/v1/health/ready || bad "front searchd over the shards did not start"
wait_ok front http://127.0.0.1:8081/v1/health/ready || bad "searchd over the whole index did not start"

# One search from node $1 at URL: "code total partial shards_down ids..."
# (python3 reads the JSON; an answer that is not JSON prints its code).
ask() {
  in_ns "$1" curl -s --max-time 10 -w '\n%{http_code}' "${@:3}" "$2" |
    python3 -c '
import json, sys
lines = sys.stdin.read().rsplit("\n", 1)
code = lines[-1]
try:
    d = json.loads(lines[0])
    print(code, d["total"], d.get("partial", False),
          ",".join(d.get("shards_down", [])) or "-",
          " ".join(h["id"] for h in d["hits"]))
except Exception:
    print(code, "not-json")'
}
enc() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$1"; }
queries=("verhuizing doorgeven" "simkaart kwijt" "factuur betalen" "internet"
  "klacht" "facture" "roaming buitenland" "wachttijd")

# ---- The shards answer as one index ------------------------------------
for q in "${queries[@]}"; do
  url="/v1/search?q=$(enc "$q")&lang=nl&limit=20"
  want=$(ask front "http://127.0.0.1:8081$url")
  got=$(ask front "http://127.0.0.1:8080$url")
  # The same hits in the same order; ties may fall otherwise, so the
  # order is compared as a set beyond the first hit.
  w=($want) g=($got)
  if [ "${g[0]}" != 200 ] || [ "${g[1]}" != "${w[1]}" ] || [ "${g[2]}" != False ] ||
    [ "$(printf '%s\n' "${g[@]:4}" | sort)" != "$(printf '%s\n' "${w[@]:4}" | sort)" ]; then
    bad "'$q' over the shards: $got; the whole index: $want"
  fi
done
echo "the shards answer as one index: ${#queries[@]} queries, the same totals and hits"

# Latency: took_us through the remote shards and on the local index.
latency() { # PORT
  for round in 1 2 3; do
    for q in "${queries[@]}"; do
      in_ns front curl -s --max-time 10 "http://127.0.0.1:$1/v1/search?q=$(enc "$q")&lang=nl"
      echo
    done
  done | python3 -c '
import json, sys
t = sorted(json.loads(l)["took_us"] for l in sys.stdin if l.strip())
print("p50 %d us, p95 %d us (%d searches)" % (t[len(t) // 2], t[int(len(t) * 0.95)], len(t)))'
}
echo "took_us, three remote shards: $(latency 8080)"
echo "took_us, the same corpus in one local index: $(latency 8081)"
sleep 2 # past the shard servers' idle timeout
a=$(ask front "http://127.0.0.1:8080/v1/search?q=internet&lang=nl&limit=20")
case $a in "200 "*" False - "*) ;; *) bad "after an idle spell: $a" ;; esac

# ---- A background load, while shards fail -------------------------------
full=$(ask front "http://127.0.0.1:8080/v1/search?q=internet&lang=nl&limit=20")
load() { # NODE URL OUT [CURL ARGS]: 0.05 s apart until $work/stop exists (bounded)
  local node=$1 url=$2 out=$3
  shift 3
  for _ in $(seq 1200); do
    [ -e "$work/stop" ] && break
    in_ns "$node" curl -s -o /dev/null --max-time 10 -w '%{http_code} %{time_total}\n' "$@" "$url" >>"$out"
    sleep 0.05
  done
}
load front "http://127.0.0.1:8080/v1/search?q=factuur&lang=nl" "$work/load-front" &
loader=$!

# Waits (bounded) until a search from the front shows WANT_PARTIAL in the
# partial field and WANT_DOWN as the shards down, and (with a third
# argument) is that answer; echoes the last answer.
await_shards() { # WANT_PARTIAL WANT_DOWN [WANT_ANSWER]
  local a
  for _ in $(seq 60); do
    a=$(ask front "http://127.0.0.1:8080/v1/search?q=internet&lang=nl&limit=20")
    set -- "$1" "$2" "${3:-}" $a
    [ "$4" = 200 ] && [ "$6" = "$1" ] && [ "$7" = "$2" ] &&
      { [ -z "$3" ] || [ "$a" = "$3" ]; } && { echo "$a"; return 0; }
    set -- "$1" "$2" "$3"
    sleep 0.2
  done
  echo "$a"
  return 1
}
stop_node s1
a=$(await_shards True 10.77.0.12:7000) || bad "a shard server killed: not a partial answer naming it: $a"
case " $a " in *" prod-"*) bad "partial answer holds products of the dead shard: $a" ;; esac
health=$(in_ns front curl -s http://127.0.0.1:8080/v1/health)
case $health in *"shard down"*10.77.0.12:7000*) ;; *) bad "health does not warn of the shard: $health" ;; esac
in_ns front curl -s http://127.0.0.1:8080/metrics | grep -qx 'vraagbaak_index_shards_down 1' ||
  bad "/metrics does not count the shard down"
echo "shard server killed: $a"
start s1 tcpsrv1 xapian-tcpsrv --quiet --interface 10.77.0.12 --port 7000 \
  --idle-timeout 1500 "$work/shard1"
# The completions of the word being typed ("internet") come back a few
# seconds later than the shard itself (the vocabulary's own reader tries
# the shard again on its own schedule): the same answer as before, in
# bounded time.
a=$(await_shards False - "$full") || bad "the shard came back: $a; before: $full"
echo "shard server back: full answers again"

ip -n "${p}s2" link set eth0 down
a=$(await_shards True 10.77.0.13:7000) || bad "a shard cut off: not a partial answer naming it: $a"
ip -n "${p}s2" link set eth0 up
a=$(await_shards False - "$full") || bad "the shard's network came back, answers stay partial: $a"
echo "shard cut off the network, then back: partial, then full answers"

# A document changed in a shard: the front shows the new version at once
# (what it keeps of a remote shard's documents is for one revision only).
sed -i 's/^title: .*/title: Verhuizing doorgeven via de zeppelinbalie/' "$c/procedures/proc-verhuizing-nl.md"
"$indexer" --index "$work/shard0" "$c/procedures" "$c/shared" >/dev/null 2>&1 || bad "indexer on shard 0"
# Each of the front's searchers tries a shard that was cut off again on
# its own schedule (up to 4 s): one may still answer without it, and say
# so.  Every full answer must show the new version at once.
for _ in $(seq 60); do
  a=$(ask front "http://127.0.0.1:8080/v1/search?q=zeppelinbalie&lang=nl")
  case $a in "200 "*" True "*) sleep 0.2 ;; *) break ;; esac
done
case $a in "200 1 False - proc-verhuizing-nl") ;; *) bad "a changed document in a shard: $a" ;; esac
for _ in $(seq 60); do
  a=$(in_ns front curl -s "http://127.0.0.1:8080/v1/search?q=verhuizing&lang=nl")
  case $a in *'"partial":true'*) sleep 0.2 ;; *) break ;; esac
done
case $a in *'"title":"Verhuizing doorgeven via de zeppelinbalie"'*) ;; *) bad "the old title after the change: ${a:0:300}" ;; esac
cp "$src/corpus/procedures/proc-verhuizing-nl.md" "$c/procedures/proc-verhuizing-nl.md"
echo "a document changed in a shard is seen at once"

# ---- Replicas ------------------------------------------------------------
mkdir -p "$work/master"
XAPIAN_MAX_CHANGESETS=10 build_index "$work/master/kb" "$c"
start master replicate-server "$src/scripts/replica.sh" serve "$work/master" 10.77.0.20:7010
head -c 48 /dev/urandom | base64 >"$work/ticket.key"
secret=deploy-test-agent-secret-0123456789abcdef
printf '%s' "$secret" | "$searchd" --hash-token lb agent >"$work/searchd.conf"
printf 'ticket_secret_file = %s\nserver_name = kb.test\ntls = off\nthreads = 2\n' \
  "$work/ticket.key" >>"$work/searchd.conf"
auth=(-H "Authorization: Bearer $secret" -H "Host: kb.test")
for r in 1 2; do
  start "r$r" "follow$r" "$src/scripts/replica.sh" follow 10.77.0.20:7010 kb "$work/r$r/kb" 1
done
replica_searchd() { # R
  start "r$1" "searchd-r$1" "$searchd" --index "$work/r$1/kb" --config "$work/searchd.conf" \
    --listen "10.77.0.3$1:8080" --audit-db "$work/audit-r$1.db" \
    --analytics-db "$work/analytics-r$1.db"
}
for r in 1 2; do
  for _ in $(seq 100); do [ -e "$work/r$r/kb/XAPIANDB" ] && break; sleep 0.1; done
  replica_searchd "$r"
  wait_ok client "http://10.77.0.3$r:8080/v1/health/ready" -H "Host: kb.test" ||
    { cat "$work/follow$r.log" "$work/searchd-r$r.log" >&2; bad "replica $r did not start"; }
done
VB_LISTEN=10.77.0.50:8080 VB_REPLICA_1=10.77.0.31:8080 VB_REPLICA_2=10.77.0.32:8080 \
  VB_SERVER_NAME=kb.test haproxy -c -q -f "$src/docs/haproxy.cfg" ||
  bad "docs/haproxy.cfg does not pass haproxy -c"
VB_LISTEN=10.77.0.50:8080 VB_REPLICA_1=10.77.0.31:8080 VB_REPLICA_2=10.77.0.32:8080 \
  VB_SERVER_NAME=kb.test start lb haproxy haproxy -db -f "$src/docs/haproxy.cfg"
wait_ok client "http://10.77.0.50:8080/v1/health/ready" -H "Host: kb.test" ||
  bad "HAProxy does not answer"
whole=$(ask front "http://127.0.0.1:8081/v1/search?q=verhuizing&lang=nl")
for url in http://10.77.0.31:8080 http://10.77.0.32:8080 http://10.77.0.50:8080; do
  a=$(ask client "$url/v1/search?q=verhuizing&lang=nl" "${auth[@]}")
  [ "$a" = "$whole" ] || bad "$url: $a; the whole index: $whole"
done
echo "both replicas and the balancer answer as the master's index"

# A revision on the master, as the changes it made.
replica_dir() { sed -n 's/^auto //p' "$work/r$1/kb/XAPIANDB"; }
before1=$(replica_dir 1)
cat >"$c/procedures/proc-deploy-zeppelin-nl.md" <<'EOF'
---
id: proc-deploy-zeppelin-nl
type: procedure
lang: nl
title: Zeppelinhangar huren
---
Een klant die een zeppelinhangar wil huren, verwijs je door.
EOF
await_doc() { # R QUERY WANT_TOTAL: milliseconds until replica R shows it
  local t0 a
  t0=$(date +%s%N)
  for _ in $(seq 300); do
    a=$(ask client "http://10.77.0.3$1:8080/v1/search?q=$2&lang=nl" "${auth[@]}")
    set -- "$1" "$2" "$3" $a
    [ "$4" = 200 ] && [ "$5" = "$3" ] && { echo $((($(date +%s%N) - t0) / 1000000)); return 0; }
    set -- "$1" "$2" "$3"
    sleep 0.1
  done
  echo "never"
  return 1
}
XAPIAN_MAX_CHANGESETS=10 "$indexer" --index "$work/master/kb" "$c" >/dev/null 2>&1 ||
  bad "the master's incremental run"
ms1=$(await_doc 1 zeppelinhangar 1) || bad "a new revision did not reach replica 1"
ms2=$(await_doc 2 zeppelinhangar 1) || bad "a new revision did not reach replica 2"
[ "$(replica_dir 1)" = "$before1" ] || bad "the revision travelled as a full copy, not as changes"
echo "a revision reached the replicas as changes in $ms1 ms and $ms2 ms (replicate interval 1 s)"

# A --full rebuild without changesets: the replicas get a full copy in a
# new directory, and searchd follows it there.
rm "$c/procedures/proc-deploy-zeppelin-nl.md"
"$indexer" --full --index "$work/master/kb" "$c" >/dev/null 2>&1 || bad "the master's --full run"
ms1=$(await_doc 1 zeppelinhangar 0) || bad "a full copy did not reach replica 1's searchd"
[ "$(replica_dir 1)" != "$before1" ] || bad "expected a full copy in a new directory"
echo "a --full rebuild reached replica 1 as a full copy in $ms1 ms"

# A replica killed under load through the balancer.
load client "http://10.77.0.50:8080/v1/search?q=factuur&lang=nl" "$work/load-lb" "${auth[@]}" &
lb_loader=$!
sleep 1
stop_node r2
sleep 3
replica_searchd 2
start r2 follow2 "$src/scripts/replica.sh" follow 10.77.0.20:7010 kb "$work/r2/kb" 1
wait_ok client "http://10.77.0.32:8080/v1/health/ready" -H "Host: kb.test" ||
  bad "replica 2 did not come back"
sleep 1
touch "$work/stop"
wait "$loader" "$lb_loader"

# Every request under load answered 200, none cut off by its bound.
for f in load-front load-lb; do
  n=$(wc -l <"$work/$f")
  not_ok=$(grep -cv '^200 ' "$work/$f")
  slowest=$(sort -k2 -n "$work/$f" | tail -1 | cut -d' ' -f2)
  [ "$n" -ge 5 ] || bad "$f: only $n requests"
  [ "$not_ok" -eq 0 ] || bad "$f: $not_ok of $n requests not answered 200: $(grep -v '^200 ' "$work/$f" | sort | uniq -c | head -3)"
  echo "$f: $n requests, $not_ok not 200, slowest ${slowest}s"
done

[ $fail -eq 0 ] && echo "deploy: shards and replicas pass"
exit $fail
