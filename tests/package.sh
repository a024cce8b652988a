#!/usr/bin/env bash
# The Debian package (issue 20), as an operator gets it:
#   package.sh BUILD_DIR SOURCE_DIR
# builds it with `cmake --build BUILD_DIR --target package`, checks its
# control data and contents (programs, units, man pages, web files,
# config as conffiles, Depends from dpkg-shlibdeps), runs lintian (no
# errors), checks the systemd units with `systemd-analyze verify` in a
# throwaway root made from the package, and then uses the unpacked
# programs there: --version, indexing the sample corpus, serving it
# (the web files found beside the installed program).  Exit 77 (skipped)
# without the tools, except under CI=true.
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 BUILD_DIR SOURCE_DIR" >&2; exit 2; }
build=$1 source_dir=$2
source "$source_dir/bench/lib.sh"

for tool in dpkg-deb lintian systemd-analyze curl; do
  if ! command -v "$tool" >/dev/null; then
    [ "${CI:-}" = true ] && { echo "package: $tool is missing" >&2; exit 1; }
    echo "package: skipped, $tool is missing (scripts/bootstrap.sh)" >&2
    exit 77
  fi
done

work=$(mktemp -d "${TMPDIR:-/tmp}/vb-package.XXXXXX")
searchd_pid=
cleanup() {
  if [ -n "$searchd_pid" ]; then kill "$searchd_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
failures=0
fail() { echo "package: FAIL: $*" >&2; failures=$((failures + 1)); }

cmake --build "$build" --target package >"$work/cpack.log" 2>&1 ||
  { cat "$work/cpack.log" >&2; exit 1; }
deb=$(ls "$build"/vraagbaak_*_*.deb | head -n 1)
echo "package: $(basename "$deb"), $(($(stat -c %s "$deb") / 1024)) KiB"

# Control data: Depends found by dpkg-shlibdeps, the config a conffile.
info=$(dpkg-deb --info "$deb")
for want in "Package: vraagbaak" "libxapian30" "libmicrohttpd12" "libstemmer0d" \
            "libsqlite3-0" "adduser"; do
  grep -q "$want" <<<"$info" || fail "control: no '$want'"
done
conffiles=$(dpkg-deb --info "$deb" conffiles)
grep -qx /etc/vraagbaak/searchd.conf <<<"$conffiles" ||
  fail "searchd.conf is not a conffile"
grep -q "adduser --system" <(dpkg-deb --info "$deb" postinst) ||
  fail "postinst makes no system user"

contents=$(dpkg-deb --contents "$deb" | awk '{print $6}')
for path in ./usr/bin/vraagbaak-searchd ./usr/bin/vraagbaak-indexer \
            ./usr/bin/vraagbaak-analyze ./usr/bin/vraagbaak-search \
            ./lib/systemd/system/vraagbaak-searchd.service \
            ./lib/systemd/system/vraagbaak-indexer.service \
            ./lib/systemd/system/vraagbaak-indexer.path \
            ./usr/share/man/man1/vraagbaak-searchd.1.gz \
            ./usr/share/man/man1/vraagbaak-indexer.1.gz \
            ./usr/share/man/man1/vraagbaak-analyze.1.gz \
            ./usr/share/man/man1/vraagbaak-search.1.gz \
            ./usr/share/vraagbaak/web/widget.js \
            ./usr/share/vraagbaak/web/index.html \
            ./etc/vraagbaak/searchd.conf \
            ./usr/share/doc/vraagbaak/copyright; do
  grep -qx "$path" <<<"$contents" || fail "not in the package: $path"
done

# Lintian: no errors.
lintian --tag-display-limit 0 "$deb" >"$work/lintian.log" 2>&1 || true
if grep -q '^E:' "$work/lintian.log"; then
  fail "lintian errors:"
  grep '^E:' "$work/lintian.log" >&2
fi

# The throwaway root: the package, and what any Debian system has that
# our units refer to (the system's targets, kill for ExecReload).
root=$work/root
dpkg-deb -x "$deb" "$root"
cp -rn /lib/systemd/system/. "$root/lib/systemd/system/" 2>/dev/null || true
mkdir -p "$root/bin" && cp /bin/kill "$root/bin/kill"
systemd-analyze verify --man=no --root="$root" \
  /lib/systemd/system/vraagbaak-searchd.service \
  /lib/systemd/system/vraagbaak-indexer.service \
  /lib/systemd/system/vraagbaak-indexer.path >"$work/verify.log" 2>&1 ||
  { fail "systemd-analyze verify:"; cat "$work/verify.log" >&2; }
for unit in vraagbaak-searchd.service vraagbaak-indexer.service; do
  exposure=$(systemd-analyze security --offline=true --root="$root" \
    "/lib/systemd/system/$unit" 2>/dev/null | sed -n 's/.*exposure level for [^:]*: //p')
  echo "package: systemd-analyze security $unit: ${exposure:-?}"
done

# Each man page is a page of its program.
for program in vraagbaak-searchd vraagbaak-indexer vraagbaak-analyze vraagbaak-search; do
  page=$root/usr/share/man/man1/$program.1.gz
  upper=$(tr a-z A-Z <<<"$program")
  zcat "$page" | grep -q "^\.TH \"\?$upper\"\? \"\?1" || fail "$program.1 is not its man page"
  zcat "$page" | grep -qF -- '\-\-help' || fail "$program.1 lists no options"
done

# The unpacked programs, as installed: they run, index the sample corpus
# and serve it, with the web files beside them.
bin=$root/usr/bin
version=$("$bin/vraagbaak-searchd" --version)
[[ $version == "vraagbaak-searchd "* ]] || fail "--version said '$version'"
status=0
"$bin/vraagbaak-indexer" --index "$work/index" "$source_dir/corpus" \
  >"$work/indexer.log" 2>&1 || status=$?
[ "$status" -le 1 ] || { fail "the packaged indexer failed ($status)"; cat "$work/indexer.log" >&2; }
if searchd_start "$work/searchd.out" "$work/searchd.err" \
  "$bin/vraagbaak-searchd" --index "$work/index" --listen 127.0.0.1:0; then
  code() { curl -s -o /dev/null -w '%{http_code}' "$searchd_url$1"; }
  [ "$(code /v1/health/ready)" = 200 ] || fail "/v1/health/ready is not 200"
  [ "$(code /widget.js)" = 200 ] || fail "/widget.js is not served from the package"
  [ "$(code /)" = 200 ] || fail "/ is not served from the package"
  hits=$(curl -s "$searchd_url/v1/search?q=verhuizing&tenant=lumina" |
    grep -o '"id":"[^"]*"' | head -n 1)
  [ -n "$hits" ] || fail "the packaged searchd finds nothing for 'verhuizing'"
  kill "$searchd_pid"
  wait "$searchd_pid" || fail "the packaged searchd did not stop cleanly"
  searchd_pid=
else
  fail "the packaged searchd did not start"
fi

[ "$failures" -eq 0 ] || exit 1
echo "package: all checks passed"
