#!/usr/bin/env bash
# Installs the Debian packages Vraagbaak needs to build, test and run,
# but only those that are missing.  Safe to run again.
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libstemmer-dev libutf8proc-dev   # analysis chain
  check libsubunit-dev             # unit tests
  libxapian-dev                    # index engine (xapian/ bridge)
  xapian-tools                     # xapian-check; shards and replicas (docs/deploy.md)
  haproxy iproute2                 # tests: replicas behind a balancer, network namespaces
  libyaml-dev libjansson-dev libmd4c-dev libxml2-dev  # corpus documents
  libxxhash-dev                    # indexer: records known by their bytes
  libgoogle-perftools-dev          # indexer: tcmalloc (Xapian allocates per posting)
  wdutch hunspell-nl               # Dutch lexicon (compounds, lemma rules)
  hunspell-fr hunspell-en-us wordnet-base  # French and English lemma lexicons
  wfrench wamerican                # language detection model
  libmicrohttpd-dev                # searchd's HTTP server
  libgnutls28-dev nettle-dev       # searchd: HTTPS, token hashes, tickets
  libsqlite3-dev                   # benchmark peer (FTS5); audit log
  openssl curl                     # tests: certificates, tickets, HTTPS
  libcurl4-gnutls-dev              # bench/eval_relevance: searchd over HTTP
  chromium nodejs                  # widget browser tests (tests/widget)
  libsystemd-dev systemd           # searchd's readiness to systemd; unit checks
  help2man lintian dpkg-dev fakeroot  # man pages, the .deb and its checks
)
# npm too, unless nodejs already brings it: NodeSource's nodejs package
# bundles npm and conflicts with Debian's npm package.
command -v npm >/dev/null 2>&1 || packages+=(npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "bootstrap: installing ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
