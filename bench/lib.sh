# bench/lib.sh — what the bench scripts share; source it.

# searchd_start OUT ERR COMMAND...: runs COMMAND (vraagbaak-searchd with
# --listen 127.0.0.1:0, or a wrapper of it such as valgrind) in the
# background, its standard output in OUT (truncated first, so that no
# look at it races the daemon's own redirection) and its errors appended
# to ERR.  Sets searchd_pid, and searchd_url once the daemon printed
# "listening on URL".  Waits at most SEARCHD_WAIT tenths of a second
# (default 600: a sanitizer build or valgrind on a loaded machine starts
# slowly, a big index reads its vocabulary); returns 1, with the last
# lines of ERR on standard error, when the daemon exited or did not say.
searchd_start() {
  local out=$1 err=$2
  shift 2
  : >"$out"
  "$@" >"$out" 2>>"$err" &
  searchd_pid=$!
  searchd_url=
  for _ in $(seq "${SEARCHD_WAIT:-600}"); do
    searchd_url=$(sed -n '1s/^listening on //p' "$out")
    [ -n "$searchd_url" ] && return 0
    kill -0 "$searchd_pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "vraagbaak-searchd did not start:" >&2
  tail -n 20 "$err" >&2
  return 1
}

# The agent queries that request-cost.sh and revision-cost.sh send to the
# sample corpus (keywords and compounds, in three languages).
sample_queries=(factuur "facturen betal" verhuizing "geen internet"
  "sim kaart kwijt" simkaart "mon internet ne marche pas"
  "comment payer ma facture" "payment plan" roaming klacht wachttijd
  glasvezel "adres wijziging" "nummer behouden" pukcode "tarif social"
  "change my address" modem router)

# callgrind_total FILE: the instructions callgrind counted in FILE.  (awk
# reads to the end: an early exit would kill callgrind_annotate with
# SIGPIPE, which pipefail makes the scripts' failure.)
callgrind_total() {
  callgrind_annotate "$1" 2>/dev/null |
    awk '/PROGRAM TOTALS/ && !seen { gsub(",", "", $1); print $1; seen = 1 }'
}
