#!/bin/sh
# pg-replica.sh — a PostgreSQL 15 primary and its streaming replica on loopback, made from scratch
# in a directory, for the read-replica tests (tests/api/replica.test.mjs) and trying --pg-read by
# hand. Both servers listen on 127.0.0.1 only and trust local connections: test use only.
#
#   tools/pg-replica.sh start DIR PRIMARY_PORT REPLICA_PORT
#                         a new primary (database tuoyu, role tuoyu) and a replica made from it by
#                         pg_basebackup -R, streaming; prints the primary's then the replica's conninfo
#   tools/pg-replica.sh stop-replica DIR     stop the replica (fast: its connections are cut)
#   tools/pg-replica.sh start-replica DIR    start it again (it catches up from the primary)
#   tools/pg-replica.sh stop DIR             stop both and remove DIR
#
# Needs the Debian package postgresql (tools/pg-test.sh installs it). Run as root, the servers
# run as the user postgres.
set -eu

BIN=/usr/lib/postgresql/15/bin
[ -x $BIN/initdb ] || { echo "pg-replica.sh: PostgreSQL 15 is not installed (run tools/pg-test.sh as root)" >&2; exit 1; }

as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

usage() { echo "usage: pg-replica.sh start DIR PRIMARY_PORT REPLICA_PORT | stop-replica DIR | start-replica DIR | stop DIR" >&2; exit 2; }

[ $# -ge 2 ] || usage
cmd=$1
dir=$2

case $cmd in
  start)
    [ $# -eq 4 ] || usage
    pport=$3
    rport=$4
    mkdir -p "$dir"
    [ "$(id -u)" -ne 0 ] || chown postgres "$dir"
    as_pg $BIN/initdb -D "$dir/primary" -U tuoyu --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    cat >> "$dir/primary/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $pport
unix_socket_directories = '$dir'
wal_level = replica
max_wal_senders = 4
fsync = off
shared_buffers = 32MB
EOF
    as_pg $BIN/pg_ctl -D "$dir/primary" -l "$dir/primary.log" -w start >/dev/null
    psql -X -q -h 127.0.0.1 -p "$pport" -U tuoyu -d postgres -c "CREATE DATABASE tuoyu" >/dev/null
    as_pg $BIN/pg_basebackup -h 127.0.0.1 -p "$pport" -U tuoyu -D "$dir/replica" -R -X stream -c fast
    echo "port = $rport" >> "$dir/replica/postgresql.conf"
    as_pg $BIN/pg_ctl -D "$dir/replica" -l "$dir/replica.log" -w start >/dev/null
    echo "host=127.0.0.1 port=$pport dbname=tuoyu user=tuoyu"
    echo "host=127.0.0.1 port=$rport dbname=tuoyu user=tuoyu"
    ;;
  stop-replica)
    as_pg $BIN/pg_ctl -D "$dir/replica" -m fast -w stop >/dev/null
    ;;
  start-replica)
    as_pg $BIN/pg_ctl -D "$dir/replica" -l "$dir/replica.log" -w start >/dev/null
    ;;
  stop)
    for d in replica primary; do
      [ ! -f "$dir/$d/postmaster.pid" ] || as_pg $BIN/pg_ctl -D "$dir/$d" -m immediate -w stop >/dev/null 2>&1 || true
    done
    rm -rf "$dir"
    ;;
  *) usage ;;
esac
