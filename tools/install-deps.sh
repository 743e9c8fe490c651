#!/bin/sh
# install-deps.sh [run|test] — install the Debian packages tuoyu needs that are missing.
#   run:  building the binary and the web app (make run)
#   test: also PostgreSQL, Chromium, sanitizer and benchmark tools (CI, make test)
# As root it installs with apt-get; otherwise it only lists what is missing.
set -eu
profile=${1:-run}
pkgs="build-essential pkg-config libmicrohttpd-dev libjansson-dev libsqlite3-dev libpq-dev libsodium-dev
      libcmocka-dev libreadosm-dev libexpat1-dev libxlsxwriter-dev libglpk-dev libcurl4-openssl-dev libssl-dev"
if [ "$profile" = test ]; then
  pkgs="$pkgs openssl postgresql postgresql-15-pgrouting chromium clang libclang-rt-14-dev sqlite3 wrk nginx-light hyperfine valgrind fonts-wqy-microhei"
fi
command -v node >/dev/null 2>&1 || pkgs="$pkgs nodejs npm"
missing=""
for p in $pkgs; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "missing Debian packages:$missing" >&2
  echo "install them with: sudo apt-get install$missing" >&2
  exit 1
fi
echo "installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
