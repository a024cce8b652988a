#!/usr/bin/env bash
# Vraagbaak against PostgreSQL 15 full-text search and SQLite FTS5, in one
# run on one machine (issue 6):
#
#   1. generates the workload in a temporary directory: the sample corpus
#      plus vb-gen-synthetic's articles and events, and an agent-like query
#      mix (bench_query_mix: typing, whole words, typos, a customer's
#      history, pasted e-mails);
#   2. builds Vraagbaak's index (vraagbaak-indexer), a throwaway PostgreSQL
#      cluster (initdb, unix socket only) with the same documents (tsvector
#      in the document's language, title weight A, GIN index), and an FTS5
#      database (bench_index_fts5), timing and sizing each;
#   3. runs the same queries against each at 1, 16 and 64 concurrent
#      clients (bench_compare): Vraagbaak over HTTP (vraagbaak-searchd) and
#      in-process (the library), PostgreSQL through libpq, FTS5 through its
#      C API;
#   4. prints one table (p50/p95/p99 latency, throughput, ratios against
#      each peer, build time, index size, searchd resident memory) and
#      writes it with a gnuplot PNG to bench/results/compare-DATE-*.{md,png},
#      beside the raw rows (.tsv, as bench_compare writes them; -open50.tsv
#      and -open80.tsv: the open-loop runs; -build.tsv: system, documents,
#      seconds, bytes); earlier results of the same size move to
#      bench/results/old/, which git ignores.
#
# usage: bench/compare.sh [ARTICLES EVENTS CUSTOMERS]
#   defaults: 100000 1000000 50000 (1,100,000 documents with the corpus);
#   a quick look: bench/compare.sh 5000 20000 1000
#
# Environment (all optional):
#   VB_BUILD=DIR             configured CMake build directory (build)
#   BENCH_QUERIES=N          timed queries per system and concurrency (2000)
#   BENCH_WARMUP=N           untimed queries before each run (200)
#   BENCH_CLIENTS="1 16 64"  concurrencies
#   BENCH_SYSTEMS="vb-http vb-lib fts5 pg"
#   BENCH_MAX_SECONDS=S      a run stops taking queries after S s (300)
#   BENCH_TIMEOUT=S          one query's limit, every system (30)
#   BENCH_SEED=N             the query mix's seed (6)
#   BENCH_KEEP=1             keep the temporary directory
#   PG_BIN=DIR               PostgreSQL server programs
#                            (/usr/lib/postgresql/15/bin)
#
# Needs (Debian): postgresql (15), libpq-dev, gnuplot-nox, plus what
# scripts/bootstrap.sh installs.  As root, PostgreSQL runs as the
# 'postgres' user (initdb refuses root).  Exit 0; 1 when some queries
# failed (the report says how many); 2 when the benchmark could not run.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
root=$PWD

articles=${1:-100000}
events=${2:-1000000}
customers=${3:-50000}
b=${VB_BUILD:-build}
queries=${BENCH_QUERIES:-2000}
warmup=${BENCH_WARMUP:-200}
read -r -a clients <<<"${BENCH_CLIENTS:-1 16 64}"
read -r -a systems <<<"${BENCH_SYSTEMS:-vb-http vb-lib fts5 pg}"
max_seconds=${BENCH_MAX_SECONDS:-300}
timeout=${BENCH_TIMEOUT:-30}
seed=${BENCH_SEED:-6}
# What else ran: the load average when the run began (0 on an idle machine).
load_at_start=$(cut -d' ' -f1 /proc/loadavg)
pg_bin=${PG_BIN:-/usr/lib/postgresql/15/bin}

say() { printf '%s compare: %s\n' "$(date +%T)" "$*" >&2; }
die() {
  printf 'compare: %s\n' "$*" >&2
  exit 2
}
has_system() { [[ " ${systems[*]} " == *" $1 "* ]]; }

for n in "$articles" "$events" "$customers" "$queries" "$warmup" \
  "$max_seconds" "$timeout" "${clients[@]}"; do
  [[ $n =~ ^[0-9]+$ ]] || die "'$n' is not a number (usage: bench/compare.sh [ARTICLES EVENTS CUSTOMERS])"
done
for s in "${systems[@]}"; do
  [[ $s =~ ^(vb-http|vb-lib|fts5|pg)$ ]] || die "unknown system '$s' in BENCH_SYSTEMS"
done

# ---- What must be there, said before anything long starts ----------------
missing=()
command -v cmake >/dev/null || missing+=("cmake (Debian cmake)")
command -v gnuplot >/dev/null || missing+=("gnuplot (Debian gnuplot-nox)")
if has_system pg; then
  for p in initdb pg_ctl postgres; do
    [ -x "$pg_bin/$p" ] || missing+=("$pg_bin/$p (Debian postgresql, version 15; or set PG_BIN)")
  done
  [ -x "$pg_bin/psql" ] || command -v psql >/dev/null ||
    missing+=("psql (Debian postgresql-client-15)")
  pkg-config --exists libpq 2>/dev/null || missing+=("libpq (Debian libpq-dev)")
  if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
    missing+=("the 'postgres' user, to run PostgreSQL as root (Debian postgresql creates it)")
  fi
fi
if [ ${#missing[@]} -gt 0 ]; then
  printf 'compare: missing: %s\n' "${missing[@]}" >&2
  die "install with: apt-get install -y postgresql libpq-dev gnuplot-nox (then reconfigure: cmake -S . -B $b)"
fi
[ -f "$b/CMakeCache.txt" ] ||
  die "$b is not a configured build directory (scripts/test.sh makes build/; or set VB_BUILD)"
psql=$(command -v psql)
[ -x "$pg_bin/psql" ] && psql=$pg_bin/psql

say "building the programs in $b"
cmake "$b" >/dev/null
cmake --build "$b" -j"$(nproc)" --target vraagbaak-indexer vraagbaak-searchd \
  vb-gen-synthetic bench_index_fts5 bench_query_mix bench_pg_tsv >/dev/null
cmake --build "$b" -j"$(nproc)" --target bench_compare >/dev/null 2>&1 ||
  die "bench_compare did not build: it needs libpq (Debian libpq-dev); reconfigure with cmake -S . -B $b"

# ---- The temporary directory, and stopping everything on any exit --------
work=$(mktemp -d "${TMPDIR:-/tmp}/vb-compare.XXXXXX")
chmod 711 "$work" # the postgres user reaches its cluster inside
searchd_pid=""
pg_data=""
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
stop_searchd() {
  [ -n "$searchd_pid" ] || return 0
  kill -TERM "$searchd_pid" 2>/dev/null || true
  for _ in $(seq 1 100); do
    kill -0 "$searchd_pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$searchd_pid" 2>/dev/null; then
    say "vraagbaak-searchd did not stop in 10 s: killing it"
    kill -KILL "$searchd_pid" 2>/dev/null || true
  fi
  wait "$searchd_pid" 2>/dev/null || true
  searchd_pid=""
}
stop_pg() {
  [ -n "$pg_data" ] || return 0
  if [ -f "$pg_data/postmaster.pid" ]; then
    if ! as_pg "$pg_bin/pg_ctl" -D "$pg_data" -m fast -w -t 30 stop >/dev/null 2>&1; then
      local pid
      pid=$(head -1 "$pg_data/postmaster.pid" 2>/dev/null || true)
      say "PostgreSQL did not stop in 30 s: killing postmaster $pid"
      if [ -n "$pid" ]; then kill -KILL "$pid" 2>/dev/null || true; fi
    fi
  fi
  pg_data=""
}
# shellcheck disable=SC2317 # called by the trap
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  stop_searchd
  stop_pg
  if [ "${BENCH_KEEP:-0}" = 1 ]; then
    say "kept $work"
  else
    rm -rf "$work"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

# ---- 1. The workload -------------------------------------------------------
say "generating $articles articles, $events events, $customers customers"
"$b/corpus/tools/vb-gen-synthetic" --articles "$articles" --events "$events" \
  --customers "$customers" --corpus corpus --outdir "$work/synthetic" >/dev/null 2>"$work/gen.log" ||
  {
    cat "$work/gen.log" >&2
    die "vb-gen-synthetic failed"
  }
mapfile -t corpus_files < <(find corpus -name '*.md' ! -name README.md -o -name '*.jsonl' | sort)
files=("${corpus_files[@]}" "$work/synthetic/articles.jsonl" "$work/synthetic/history.jsonl")
"$b/bench/bench_query_mix" --seed "$seed" --queries $((queries + warmup)) \
  "$work/synthetic/articles.jsonl" "$work/synthetic/history.jsonl" >"$work/mix.tsv"
mix_counts=$(head -n "$queries" "$work/mix.tsv" | cut -f1 | sort | uniq -c |
  awk '{ printf "%s%s %s", sep, $2, $1; sep = ", " }')
say "query mix: $queries timed ($mix_counts), $warmup warm-up"

# ---- 2. The three indexes --------------------------------------------------
build_row() { printf '%s\t%s\t%s\t%s\n' "$@" >>"$work/build.tsv"; }
: >"$work/build.tsv"

if has_system vb-http || has_system vb-lib; then
  say "Vraagbaak: indexing"
  t0=$(now)
  set +e
  "$b/indexer/vraagbaak-indexer" --index "$work/vb-index" corpus "$work/synthetic" \
    >"$work/indexer.out" 2>"$work/indexer.err"
  status=$?
  set -e
  t1=$(now)
  [ $status -le 1 ] || {
    tail -5 "$work/indexer.err" >&2
    die "vraagbaak-indexer failed (exit $status)"
  }
  [ $status -eq 0 ] || say "warning: vraagbaak-indexer rejected some documents: $(grep -c ': ' "$work/indexer.err") problem lines"
  line=$(tail -1 "$work/indexer.out")
  vb_docs=$(sed -E 's/.*: ([0-9]+) added.*/\1/' <<<"$line")
  build_row vraagbaak "$vb_docs" "$(secs "$t0" "$t1")" "$(du -sb "$work/vb-index" | cut -f1)"
  say "Vraagbaak: $vb_docs documents in $(secs "$t0" "$t1") s"
fi

if has_system fts5; then
  say "SQLite FTS5: loading"
  out=$("$b/bench/bench_index_fts5" "$work/fts5.db" "${files[@]}") ||
    die "bench_index_fts5 failed"
  read -r n s bytes < <(sed -E 's/.*documents=([0-9]+).*seconds=([0-9.]+).*bytes=([0-9]+).*/\1 \2 \3/' <<<"$out")
  build_row fts5 "$n" "$s" "$bytes"
  say "SQLite FTS5: $n documents in $s s"
fi

pg_conninfo=""
if has_system pg; then
  say "PostgreSQL: a throwaway cluster"
  mkdir -p "$work/pg"
  [ "$(id -u)" -eq 0 ] && chown postgres: "$work/pg"
  as_pg "$pg_bin/initdb" -D "$work/pg/data" -U postgres --auth=trust \
    --encoding=UTF8 --locale=C.UTF-8 >"$work/initdb.log" 2>&1 ||
    {
      tail -5 "$work/initdb.log" >&2
      die "initdb failed"
    }
  # Unix socket only; sized for the load and for 64 clients on this
  # machine; JIT off as for any short-query workload.
  cat >>"$work/pg/data/postgresql.conf" <<EOF
listen_addresses = ''
unix_socket_directories = '$work/pg'
port = 5432
max_connections = 100
shared_buffers = 1GB
work_mem = 16MB
maintenance_work_mem = 1GB
max_wal_size = 8GB
jit = off
EOF
  pg_data=$work/pg/data
  as_pg "$pg_bin/pg_ctl" -D "$pg_data" -l "$work/pg/log" -w -t 60 start >/dev/null ||
    {
      tail -5 "$work/pg/log" >&2
      die "PostgreSQL did not start in 60 s"
    }
  pg_conninfo="host=$work/pg port=5432 user=postgres dbname=postgres"
  pg() { "$psql" "$pg_conninfo" -v ON_ERROR_STOP=1 -qAtX "$@"; }
  say "PostgreSQL: $("$pg_bin/postgres" --version); loading"
  t0=$(now)
  pg <<'EOF'
CREATE TABLE docs (
  id text PRIMARY KEY,
  type text NOT NULL,
  lang text NOT NULL,
  customer text,
  title text NOT NULL,
  body text NOT NULL,
  tsv tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector(CASE lang WHEN 'nl' THEN 'dutch'::regconfig
                                    WHEN 'fr' THEN 'french'::regconfig
                                    WHEN 'en' THEN 'english'::regconfig
                                    ELSE 'simple'::regconfig END, title), 'A') ||
    setweight(to_tsvector(CASE lang WHEN 'nl' THEN 'dutch'::regconfig
                                    WHEN 'fr' THEN 'french'::regconfig
                                    WHEN 'en' THEN 'english'::regconfig
                                    ELSE 'simple'::regconfig END, body), 'D')
  ) STORED
);
EOF
  set +e
  "$b/bench/bench_pg_tsv" "${files[@]}" 2>"$work/pg_tsv.err" |
    pg -c '\copy docs (id, type, lang, customer, title, body) from pstdin'
  statuses=("${PIPESTATUS[@]}")
  set -e
  if [ "${statuses[0]}" -gt 1 ] || [ "${statuses[1]}" -ne 0 ]; then
    tail -5 "$work/pg_tsv.err" >&2
    die "loading PostgreSQL failed (bench_pg_tsv exit ${statuses[0]}, psql exit ${statuses[1]})"
  fi
  pg <<'EOF'
CREATE INDEX docs_tsv ON docs USING gin (tsv);
CREATE INDEX docs_customer ON docs (customer);
VACUUM ANALYZE docs;
EOF
  t1=$(now)
  read -r n bytes < <(pg -F ' ' -c "SELECT count(*), pg_total_relation_size('docs') FROM docs")
  build_row pg "$n" "$(secs "$t0" "$t1")" "$bytes"
  say "PostgreSQL: $n documents in $(secs "$t0" "$t1") s"
fi

# ---- 3. The runs -----------------------------------------------------------
: >"$work/results.tsv"
any_failed=0
run() { # system target
  local c status
  for c in "${clients[@]}"; do
    set +e
    "$b/bench/bench_compare" "$1" "$2" "$work/mix.tsv" --clients "$c" \
      --queries "$queries" --warmup "$warmup" --max-seconds "$max_seconds" \
      --timeout "$timeout" --out "$work/results.tsv" >&2
    status=$?
    set -e
    [ $status -le 1 ] || die "bench_compare $1 with $c clients could not run"
    [ $status -eq 0 ] || any_failed=1
  done
  # Open loop at the most clients: queries offered at a constant rate of
  # 50 % and 80 % of the throughput just measured there, latency counted
  # from when each was due (closed-loop clients on two cores measure their
  # own queue, not the engine).
  local most=${clients[-1]} max share rate
  max=$(awk -F'\t' -v s="$1" -v c="$most" '$1 == s && $2 == c && $3 == "all" { q = $7 } END { print q + 0 }' "$work/results.tsv")
  for share in 50 80; do
    awk -v m="$max" 'BEGIN { exit !(m > 0) }' || break
    rate=$(awk -v m="$max" -v s="$share" 'BEGIN { printf "%.1f", m * s / 100 }')
    printf '%s\t%s\t%s\n' "$1" "$share" "$rate" >>"$work/open-rates.tsv"
    set +e
    "$b/bench/bench_compare" "$1" "$2" "$work/mix.tsv" --clients "$most" \
      --queries "$queries" --warmup "$warmup" --max-seconds "$max_seconds" \
      --timeout "$timeout" --rate "$rate" --out "$work/open-$share.tsv" >&2
    status=$?
    set -e
    [ $status -le 1 ] || die "bench_compare $1 open loop at $share % could not run"
    [ $status -eq 0 ] || any_failed=1
  done
}

rss_kb=0
hwm_kb=0
if has_system vb-http; then
  say "Vraagbaak over HTTP: starting vraagbaak-searchd"
  searchd_start "$work/searchd.out" "$work/searchd.err" \
    "$b/searchd/vraagbaak-searchd" --index "$work/vb-index" \
    --listen 127.0.0.1:0 || die "vraagbaak-searchd did not start"
  port=${searchd_url##*:}
  run vb-http "127.0.0.1:$port"
  kill -0 "$searchd_pid" 2>/dev/null || {
    tail -5 "$work/searchd.err" >&2
    die "vraagbaak-searchd died during the runs"
  }
  rss_kb=$(awk '/^VmRSS:/ { print $2 }' "/proc/$searchd_pid/status")
  hwm_kb=$(awk '/^VmHWM:/ { print $2 }' "/proc/$searchd_pid/status")
  stop_searchd
fi
if has_system vb-lib; then
  say "Vraagbaak in-process"
  run vb-lib "$work/vb-index"
fi
if has_system fts5; then
  say "SQLite FTS5"
  run fts5 "$work/fts5.db"
fi
if has_system pg; then
  say "PostgreSQL"
  run pg "$pg_conninfo"
  stop_pg
fi

# ---- 4. The report ---------------------------------------------------------
date=$(date +%F)
total=$(awk -F'\t' 'NR == 1 { print $2 }' "$work/build.tsv")
name=compare-$date-${articles}a-${events}e
results=$root/bench/results
mkdir -p "$results/old"
# Earlier results of the same size make way; other sizes' stay.
for f in "$results"/compare-*-"${articles}a-${events}e".* \
         "$results"/compare-*-"${articles}a-${events}e"-*; do
  [ -e "$f" ] && mv -f "$f" "$results/old/"
done
md=$results/$name.md
png=$results/$name.png
cp "$work/results.tsv" "$results/$name.tsv"
cp "$work/build.tsv" "$results/$name-build.tsv"
for share in 50 80; do # the open-loop rows, at 50 % and 80 %
  [ -s "$work/open-$share.tsv" ] && cp "$work/open-$share.tsv" "$results/$name-open$share.tsv"
done

label() {
  case $1 in
  vb-http) echo "Vraagbaak, HTTP" ;;
  vb-lib) echo "Vraagbaak, in-process" ;;
  vraagbaak) echo "Vraagbaak" ;;
  fts5) echo "SQLite FTS5" ;;
  pg) echo "PostgreSQL 15" ;;
  esac
}
mb() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }

{
  echo "# Vraagbaak against PostgreSQL and SQLite FTS5, $date"
  echo
  echo "\`bench/compare.sh $articles $events $customers\` (BENCH_QUERIES=$queries,"
  echo "BENCH_WARMUP=$warmup, clients ${clients[*]}, seed $seed) on $(nproc) cores"
  echo "($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'),"
  echo "$(awk '/^MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo) RAM, load average $load_at_start when the run began);"
  echo "Xapian $(pkg-config --modversion xapian-core), $("$pg_bin/postgres" --version 2>/dev/null | sed 's/.*) //;s/^/PostgreSQL /' || echo 'PostgreSQL -'),"
  echo "SQLite $(pkg-config --modversion sqlite3), libmicrohttpd $(pkg-config --modversion libmicrohttpd)."
  echo
  echo "Documents: the sample corpus plus $articles generated articles and $events"
  echo "events of $customers customers. Timed queries per run: $mix_counts."
  echo
  echo "## Build"
  echo
  echo "| system | documents | seconds | docs/s | size MB |"
  echo "|---|---:|---:|---:|---:|"
  while IFS=$'\t' read -r sys n s bytes; do
    awk -v l="$(label "$sys")" -v n="$n" -v s="$s" -v b="$bytes" \
      'BEGIN { printf "| %s | %d | %.1f | %.0f | %.0f |\n", l, n, s, (s > 0 ? n / s : 0), b / 1048576 }'
  done <"$work/build.tsv"
  if has_system vb-http; then
    echo
    echo "vraagbaak-searchd resident memory after the runs: VmRSS $(mb "$rss_kb") MB (peak VmHWM $(mb "$hwm_kb") MB), default threads (one per core)."
  fi
  echo
  echo "## Latency and throughput (all queries)"
  echo
  echo "Latency is each query's wall time at the client; \"server p99\" is"
  echo "Vraagbaak's own \`took_us\`. Ratios: how many times faster this row is"
  echo "than the peer at the same concurrency (p99: peer ÷ this; queries/s:"
  echo "this ÷ peer)."
  echo
  awk -F'\t' -v order="${systems[*]}" -v clist="${clients[*]}" '
    function ratio(a, b) { return (a > 0 && b > 0) ? sprintf("%.1f×", a / b) : "—" }
    $3 == "all" { k = $1 SUBSEP $2; n[k] = $4; e[k] = $5; q[k] = $7
                  p50[k] = $8; p95[k] = $9; p99[k] = $10; t99[k] = $13; has[$1] = 1 }
    END {
      lab["vb-http"] = "Vraagbaak, HTTP"; lab["vb-lib"] = "Vraagbaak, in-process"
      lab["fts5"] = "SQLite FTS5"; lab["pg"] = "PostgreSQL 15"
      printf "| system | clients | queries | errors | p50 ms | p95 ms | p99 ms | server p99 ms | queries/s | p99 vs PostgreSQL | p99 vs FTS5 | q/s vs PostgreSQL | q/s vs FTS5 |\n"
      printf "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"
      ns = split(order, s, " "); nc = split(clist, c, " ")
      for (i = 1; i <= ns; i++) {
        if (!has[s[i]]) continue
        for (j = 1; j <= nc; j++) {
          k = s[i] SUBSEP c[j]; pk = "pg" SUBSEP c[j]; fk = "fts5" SUBSEP c[j]
          if (!(k in n)) continue
          printf "| %s | %s | %d | %d | %.2f | %.2f | %.2f | %s | %.0f | %s | %s | %s | %s |\n",
            lab[s[i]], c[j], n[k], e[k], p50[k] / 1000, p95[k] / 1000, p99[k] / 1000,
            (s[i] ~ /^vb-/) ? sprintf("%.2f", t99[k] / 1000) : "—", q[k],
            ratio(p99[pk], p99[k]), ratio(p99[fk], p99[k]),
            ratio(q[k], q[pk]), ratio(q[k], q[fk])
        }
      }
    }' "$work/results.tsv"
  echo
  echo "## Open loop, ${clients[-1]} clients"
  echo
  echo "Queries offered at a constant rate, 50 % and 80 % of the system's own"
  echo "closed-loop throughput at ${clients[-1]} clients above; latency from when each"
  echo "query was due, so waiting in a queue counts (as wrk2 measures)."
  echo
  echo "| system | offered q/s | done q/s | p50 ms | p95 ms | p99 ms | errors |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  for share in 50 80; do
    [ -s "$work/open-$share.tsv" ] || continue
    awk -F'\t' -v share="$share" -v order="${systems[*]}" '
      FILENAME ~ /open-rates/ { if ($2 == share) rate[$1] = $3; next }
      $3 == "all" { row[$1] = sprintf("| %s | %.0f (%s %%) | %.0f | %.2f | %.2f | %.2f | %d |", lab($1), rate[$1], share, $7, $8 / 1000, $9 / 1000, $10 / 1000, $5) }
      function lab(s) { return s == "vb-http" ? "Vraagbaak, HTTP" : s == "vb-lib" ? "Vraagbaak, in-process" : s == "fts5" ? "SQLite FTS5" : "PostgreSQL 15" }
      END { n = split(order, s, " "); for (i = 1; i <= n; i++) if (s[i] in row) print row[s[i]] }' \
      "$work/open-rates.tsv" "$work/open-$share.tsv"
  done
  echo
  echo "## Per query kind, ${clients[0]} client$([ "${clients[0]}" = 1 ] || echo s)"
  echo
  echo "p50 / p99 ms at the client (Vraagbaak in-process: server \`took_us\`), and"
  echo "the share of queries that found nothing."
  echo
  awk -F'\t' -v order="${systems[*]}" -v first="${clients[0]}" '
    $2 == first && $3 != "all" {
      k = $1 SUBSEP $3; kinds[$3] = 1; has[$1] = 1
      cell[k] = ($1 == "vb-lib") ? sprintf("%.2f / %.2f (%.0f %%)", $11 / 1000, $13 / 1000, $14) \
                                 : sprintf("%.2f / %.2f (%.0f %%)", $8 / 1000, $10 / 1000, $14) }
    END {
      lab["vb-http"] = "Vraagbaak, HTTP"; lab["vb-lib"] = "Vraagbaak, server time"
      lab["fts5"] = "SQLite FTS5"; lab["pg"] = "PostgreSQL 15"
      ns = split(order, s, " "); line = "| kind |"; rule = "|---|"
      for (i = 1; i <= ns; i++) if (has[s[i]]) { line = line " " lab[s[i]] " |"; rule = rule "---:|" }
      print line; print rule
      nk = split("typing words typo customer suggest", kk, " ")
      for (j = 1; j <= nk; j++) {
        if (!(kk[j] in kinds)) continue
        line = "| " kk[j] " |"
        for (i = 1; i <= ns; i++) if (has[s[i]]) line = line " " cell[s[i] SUBSEP kk[j]] " |"
        print line
      }
    }' "$work/results.tsv"
  echo
  echo "## Issue 6 targets"
  echo
  awk -F'\t' -v clist="${clients[*]}" -v rss="$rss_kb" -v total="$total" \
    -v vbs="$(awk -F'\t' '$1 == "vraagbaak" { print $3 }' "$work/build.tsv")" '
    { k = $1 SUBSEP $2 SUBSEP $3; p99[k] = $10; t99[k] = $13; q[k] = $7 }
    END {
      nc = split(clist, c, " "); lo = c[1]; hi = c[nc]
      worst = 0; wk = "-"
      nk = split("typing words typo customer suggest", kk, " ")
      for (j = 1; j <= nk; j++) { k = "vb-lib" SUBSEP lo SUBSEP kk[j]
        if ((k in t99) && t99[k] > worst) { worst = t99[k]; wk = kk[j] } }
      if (wk != "-")
        printf "- server time p99 ≤ 1 ms for every kind (in-process, %s client): worst %s, %.2f ms — %s\n", lo, wk, worst / 1000, (worst <= 1000 ? "met" : "missed")
      k = "vb-http" SUBSEP hi SUBSEP "all"
      if (k in p99)
        printf "- HTTP p99 ≤ 3 ms at %s clients: %.2f ms — %s\n", hi, p99[k] / 1000, (p99[k] <= 3000 ? "met" : "missed")
      pk = "pg" SUBSEP hi SUBSEP "all"; fk = "fts5" SUBSEP hi SUBSEP "all"
      if ((k in q) && (pk in q) && q[pk] > 0)
        printf "- throughput ≥ 10× PostgreSQL (HTTP, %s clients): %.1f× — %s\n", hi, q[k] / q[pk], (q[k] >= 10 * q[pk] ? "met" : "missed")
      if ((k in q) && (fk in q) && q[fk] > 0)
        printf "- throughput ≥ 5× SQLite FTS5 (HTTP, %s clients): %.1f× — %s\n", hi, q[k] / q[fk], (q[k] >= 5 * q[fk] ? "met" : "missed")
      if (rss > 0)
        printf "- searchd resident memory ≤ 300 MB (target at 1,000,000 documents; here %d): %.0f MB — %s\n", total, rss / 1024, (rss <= 300 * 1024 ? "met" : "missed")
      if (vbs != "")
        printf "- the million documents indexed in ≤ 3 minutes (here %d documents): %.0f s%s\n", total, vbs, (total >= 1000000 ? (vbs <= 180 ? " — met" : " — missed") : "")
    }' "$work/results.tsv"
  echo
  echo "Vraagbaak gets each query as typed (its last word is also a prefix, typos"
  echo "are corrected, history only with the customer). The peers as written in"
  echo "bench/bench_compare.c: PostgreSQL \`to_tsquery\` in"
  echo "the query's language (\`:*\` on the last word while typing, OR of the"
  echo "words for suggest), \`ts_rank\` with title weight A, one table with a GIN"
  echo "index; FTS5 MATCH (\`word*\` while typing), \`bm25\` title 10 body 1. Both"
  echo "return ids and titles without snippets, and neither corrects typos."
  echo "Queries that failed or timed out (${timeout} s) count in \"errors\", not in"
  echo "the latencies."
  echo
  echo "![p99 latency and throughput per system]($name.png)"
} >"$md"

# The plot: p99 latency and throughput per system against concurrency.
plots_p99=()
plots_qps=()
for s in "${systems[@]}"; do
  awk -F'\t' -v s="$s" '$1 == s && $3 == "all" { print $2, $10 / 1000, $7 }' \
    "$work/results.tsv" >"$work/plot-$s.dat"
  [ -s "$work/plot-$s.dat" ] || continue
  plots_p99+=("'$work/plot-$s.dat' using 1:2 with linespoints lw 2 pt 7 title '$(label "$s")'")
  plots_qps+=("'$work/plot-$s.dat' using 1:3 with linespoints lw 2 pt 7 title '$(label "$s")'")
done
join_plots() {
  local IFS=,
  echo "$*"
}
xtics=""
for c in "${clients[@]}"; do xtics+="${xtics:+, }\"$c\" $c"; done
terminal=png
gnuplot -e 'set terminal' 2>&1 | grep -q '^ *pngcairo ' && terminal=pngcairo
gnuplot <<EOF || die "gnuplot failed"
set terminal $terminal size 1400,560
set output '$png'
set multiplot layout 1,2 title "Vraagbaak, PostgreSQL 15, SQLite FTS5: $total documents, $queries queries per run ($date)"
set logscale x 2
set xrange [${clients[0]} / 1.3 : ${clients[-1]} * 1.3]
set xtics ($xtics)
set xlabel 'concurrent clients'
set logscale y
set grid
set key top left
set ylabel 'p99 latency (ms)'
plot $(join_plots "${plots_p99[@]}")
set ylabel 'throughput (queries/s)'
set key bottom right
plot $(join_plots "${plots_qps[@]}")
unset multiplot
EOF

cat "$md"
say "wrote $md and $png"
exit "$any_failed"
