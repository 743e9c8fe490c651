#!/bin/sh
# http.sh — requests per second and p99 latency of the HTTP layer with wrk over loopback
# (64 connections, server with 2 worker threads, request log off), against nginx from Debian
# returning the same bytes from memory (2 workers, its own temporary config on a loopback port).
#   sh bench/http.sh [SECONDS]          default 10 s per run, 3 runs each; BUILD=dir as for make
#   CALLGRIND=1 sh bench/http.sh        also count instructions per /healthz request (tuoyu and
#                                       nginx, one worker each, under valgrind --tool=callgrind)
# To measure another URL, add a line calling run_wrk NAME URL [COOKIE] in the runs section.
set -eu
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
DUR=${1:-10}
RUNS=${RUNS:-3}
PASSWORD=Bench-pass-2023
make -s BUILD="$BUILD" bin >/dev/null
TUOYU=$(pwd)/$BUILD/tuoyu

tmp=$(mktemp -d /tmp/tuoyu-bench-http.XXXXXX)
pids=""
cleanup() {
  for p in $pids; do kill "$p" 2>/dev/null || true; done
  for p in $pids; do wait "$p" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

wait_up() { # URL
  i=0
  until curl -s -o /dev/null "$1"; do
    i=$((i + 1)); [ $i -lt 100 ] || { echo "server at $1 did not start" >&2; exit 1; }
    sleep 0.1
  done
}

# run_wrk NAME URL [COOKIE]: one wrk run, printed as a table row "NAME | req/s | p99"
run_wrk() {
  if [ -n "${3:-}" ]; then
    out=$(wrk -t2 -c64 -d"${DUR}s" --latency -H "Cookie: $3" "$2")
  else
    out=$(wrk -t2 -c64 -d"${DUR}s" --latency "$2")
  fi
  rps=$(printf '%s\n' "$out" | awk '/^Requests\/sec:/ { print $2 }')
  p99=$(printf '%s\n' "$out" | awk '$1 == "99%" { print $2 }')
  errs=$(printf '%s\n' "$out" | awk '/Non-2xx|Socket errors/ { printf "%s ", $0 }')
  printf '| %s | %s | %s | %s\n' "$1" "$rps" "$p99" "$errs"
}

# tuoyu: the real server (`tuoyu serve`) on a demo database
"$TUOYU" demo --db "$tmp/bench.db" --password "$PASSWORD" >/dev/null 2>&1
tport=$(free_port)
"$TUOYU" serve --db "$tmp/bench.db" --listen "127.0.0.1:$tport" --threads 2 --quiet 2>"$tmp/serve.log" &
pids="$pids $!"
TUOYU_URL=http://127.0.0.1:$tport

# nginx: same body from memory, similar headers
nport=$(free_port)
mkdir -p "$tmp/nginx"
write_nginx_conf() { # PORT WORKERS MASTER
  cat > "$tmp/nginx/nginx.conf" <<EOF
worker_processes $2;
master_process $3;
daemon off;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $tmp/nginx/body;
  proxy_temp_path $tmp/nginx/proxy;
  fastcgi_temp_path $tmp/nginx/fastcgi;
  uwsgi_temp_path $tmp/nginx/uwsgi;
  scgi_temp_path $tmp/nginx/scgi;
  keepalive_requests 100000000;
  server {
    listen 127.0.0.1:$1;
    location = /healthz {
      default_type "application/json; charset=utf-8";
      add_header Cache-Control "no-store" always;
      add_header X-Content-Type-Options "nosniff" always;
      add_header X-Frame-Options "DENY" always;
      add_header Referrer-Policy "no-referrer" always;
      add_header Content-Security-Policy "default-src 'self'; img-src 'self' data: blob: https:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'" always;
      add_header X-Request-Id "\$request_id" always;
      return 200 '{"status":"ok"}';
    }
  }
}
EOF
}
write_nginx_conf "$nport" 2 on
nginx -c "$tmp/nginx/nginx.conf" -p "$tmp/nginx" &
pids="$pids $!"
NGINX_URL=http://127.0.0.1:$nport

wait_up "$TUOYU_URL/healthz"
wait_up "$NGINX_URL/healthz"

# a session for the authenticated runs
login() { # LOGIN -> "tuoyu_session=…"
  curl -s -D - -o /dev/null -X POST -H 'Content-Type: application/json' \
    -d "{\"login\":\"$1\",\"password\":\"$PASSWORD\"}" "$TUOYU_URL/api/v1/session" |
    awk -F'[:;] *' 'tolower($1) == "set-cookie" { print $2 }' | tr -d '\r'
}

echo "# bench/http.sh $(date -u +%Y-%m-%dT%H:%MZ), ${DUR}s per run, wrk -t2 -c64, server threads 2, $(nproc) cores"
echo "| run | req/s | p99 | errors"
echo "|---|---|---|---|"
for i in $(seq "$RUNS"); do
  run_wrk "tuoyu GET /healthz" "$TUOYU_URL/healthz"
  run_wrk "nginx GET /healthz" "$NGINX_URL/healthz"
done
# the parents' reads: the search list and the vacancies (kept answers, src/http/kept.c)
for i in $(seq "$RUNS"); do
  run_wrk "tuoyu GET /api/v1/public/institutions" "$TUOYU_URL/api/v1/public/institutions"
  run_wrk "tuoyu GET /api/v1/public/vacancies" "$TUOYU_URL/api/v1/public/vacancies"
  run_wrk "tuoyu GET /healthz" "$TUOYU_URL/healthz"
done
# authenticated API reads, when the demo and the registry routes are there
cookie=$(login district-admin || true)
if [ -n "$cookie" ] && curl -sf -o /dev/null -H "Cookie: $cookie" "$TUOYU_URL/api/v1/institutions/1"; then
  for i in $(seq "$RUNS"); do
    run_wrk "tuoyu GET /api/v1/institutions/1 (session)" "$TUOYU_URL/api/v1/institutions/1" "$cookie"
    run_wrk "tuoyu GET /api/v1/dashboard (session)" "$TUOYU_URL/api/v1/dashboard" "$cookie"
    run_wrk "tuoyu GET /healthz" "$TUOYU_URL/healthz"
  done
else
  echo "(no session run: login or GET /api/v1/institutions/1 failed)"
fi

if [ "${CALLGRIND:-0}" = 1 ]; then
  # instructions per request: (N requests − 1 request) / (N − 1), server with one worker, the
  # client (curl, keep-alive, sequential) outside valgrind
  n=5001
  urls() { i=0; while [ $i -lt "$1" ]; do printf '%s ' "$2"; i=$((i + 1)); done; }
  count() { # START-COMMAND URL REQUESTS -> total instructions of the server process
    rm -f "$tmp/cg.out"*
    sh -c "$1" &
    cpid=$!
    wait_up "$2"
    # shellcheck disable=SC2046
    if [ "$3" -gt 1 ]; then curl -s $(urls $(($3 - 1)) "$2") >/dev/null; fi
    kill -TERM "$cpid"; wait "$cpid" 2>/dev/null || true
    cat "$tmp"/cg.out* | awk '/^summary:/ { s += $2 } END { print s }'
  }
  cport=$(free_port)
  tcmd="exec valgrind --tool=callgrind --callgrind-out-file=$tmp/cg.out.%p $TUOYU serve --db $tmp/bench.db --listen 127.0.0.1:$cport --threads 1 --quiet 2>/dev/null"
  t1=$(count "$tcmd" "http://127.0.0.1:$cport/healthz" 1)
  tn=$(count "$tcmd" "http://127.0.0.1:$cport/healthz" $n)
  write_nginx_conf "$cport" 1 off
  ncmd="exec valgrind --tool=callgrind --callgrind-out-file=$tmp/cg.out.%p nginx -c $tmp/nginx/nginx.conf -p $tmp/nginx 2>/dev/null"
  n1=$(count "$ncmd" "http://127.0.0.1:$cport/healthz" 1)
  nn=$(count "$ncmd" "http://127.0.0.1:$cport/healthz" $n)
  echo "instructions per GET /healthz (callgrind, $((n - 1)) keep-alive requests):"
  echo "  tuoyu: $(( (tn - t1) / (n - 1) ))"
  echo "  nginx: $(( (nn - n1) / (n - 1) ))"
fi
