#!/bin/sh
# pg-test.sh — a PostgreSQL 15 server for tests on 127.0.0.1:5432 (Debian 12, run as root for
# the set-up; CI and developers). Idempotent: safe to run again and from several shells at once.
#
#   tools/pg-test.sh                 make sure the server runs, role tuoyu (password tuoyu) and
#                                    database tuoyu_test exist; print the conninfo (last line)
#   tools/pg-test.sh --create [NAME] also create a fresh empty database NAME (default: a unique
#                                    tuoyu_t_<pid>_<n>) owned by tuoyu and print its conninfo
#   tools/pg-test.sh --copy FROM NAME  create database NAME as a copy of database FROM (a
#                                    template the tests filled once), print its conninfo
#   tools/pg-test.sh --drop NAME     drop database NAME (only names starting with tuoyu_)
#
# Installs the Debian package postgresql when it is missing. Once the server is set up,
# --create and --drop also work without root (role tuoyu has CREATEDB).
set -eu

VER=15
HOST=127.0.0.1
PORT=5432
ROLE=tuoyu
PASS=tuoyu
DB=tuoyu_test

conninfo() { echo "host=$HOST port=$PORT dbname=$1 user=$ROLE password=$PASS"; }

# psql as role tuoyu over TCP (works without root once the role exists)
tsql() { PGPASSWORD=$PASS psql -X -q -v ON_ERROR_STOP=1 -h $HOST -p $PORT -U $ROLE "$@"; }

valid_name() {
  case $1 in
    tuoyu_*) ;;
    *) echo "pg-test.sh: database name must start with tuoyu_: $1" >&2; exit 2 ;;
  esac
  if ! printf '%s' "$1" | grep -Eq '^[a-z0-9_]{1,63}$'; then
    echo "pg-test.sh: database name may hold only a-z, 0-9 and _: $1" >&2; exit 2
  fi
}

ready() { pg_isready -q -h $HOST -p $PORT 2>/dev/null; }

setup_server() {
  if [ ! -x /usr/lib/postgresql/$VER/bin/postgres ] || ! command -v pg_ctlcluster >/dev/null 2>&1; then
    [ "$(id -u)" -eq 0 ] || { echo "pg-test.sh: PostgreSQL $VER is not installed; run as root" >&2; exit 1; }
    echo "pg-test.sh: installing postgresql" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
  fi
  if ! ready; then
    [ "$(id -u)" -eq 0 ] || { echo "pg-test.sh: server not running on $HOST:$PORT; run as root" >&2; exit 1; }
    if ! pg_lsclusters -h 2>/dev/null | awk -v v=$VER '$1 == v && $2 == "main" { f = 1 } END { exit !f }'; then
      pg_createcluster --port $PORT --locale C.UTF-8 --encoding UTF8 $VER main >/dev/null
    fi
    port=$(pg_lsclusters -h | awk -v v=$VER '$1 == v && $2 == "main" { print $3 }')
    if [ "$port" != "$PORT" ]; then
      echo "pg-test.sh: cluster $VER/main is configured for port $port, not $PORT" >&2; exit 1
    fi
    # another shell may be starting it at the same moment: a failed start is fine if it comes up
    pg_ctlcluster $VER main start 2>/dev/null || true
    i=0
    until ready; do
      i=$((i + 1))
      [ $i -lt 60 ] || { echo "pg-test.sh: server did not start; see /var/log/postgresql/" >&2; exit 1; }
      sleep 0.5
    done
  fi
}

setup_role() {
  # already set up (password login works and database exists)? then nothing needs root
  if tsql -d $DB -c 'SELECT 1' >/dev/null 2>&1; then
    return
  fi
  [ "$(id -u)" -eq 0 ] || { echo "pg-test.sh: role $ROLE or database $DB missing; run as root" >&2; exit 1; }
  runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -d postgres >/dev/null <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$ROLE') THEN
    CREATE ROLE $ROLE LOGIN CREATEDB PASSWORD '$PASS';
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; -- created by a concurrent run
END \$\$;
ALTER ROLE $ROLE LOGIN CREATEDB PASSWORD '$PASS';
SQL
  create_db $DB
}

create_db() {
  exists=$(tsql -d postgres -tA -c "SELECT 1 FROM pg_database WHERE datname = '$1'")
  if [ "$exists" != 1 ]; then
    # a concurrent run may create it between the check and here: tolerate "already exists"
    # UTF-8 whatever the cluster's default (a cluster made under LANG=POSIX is SQL_ASCII)
    out=$(tsql -d postgres -c "CREATE DATABASE $1 OWNER $ROLE TEMPLATE template0 ENCODING 'UTF8' \
          LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'" 2>&1) || case $out in
      *"already exists"*) ;;
      *) echo "pg-test.sh: $out" >&2; exit 1 ;;
    esac
  fi
}

case ${1:-} in
  "")
    setup_server
    setup_role
    conninfo $DB
    ;;
  --create)
    name=${2:-tuoyu_t_$$_$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
    valid_name "$name"
    setup_server
    setup_role
    create_db "$name"
    conninfo "$name"
    ;;
  --copy)
    [ $# -eq 3 ] || { echo "usage: pg-test.sh --copy FROM NAME" >&2; exit 2; }
    valid_name "$2"
    valid_name "$3"
    tsql -d postgres -c "CREATE DATABASE $3 OWNER $ROLE TEMPLATE $2" >/dev/null
    conninfo "$3"
    ;;
  --drop)
    [ $# -eq 2 ] || { echo "usage: pg-test.sh --drop NAME" >&2; exit 2; }
    valid_name "$2"
    [ "$2" != "$DB" ] || { echo "pg-test.sh: will not drop $DB" >&2; exit 2; }
    tsql -d postgres -c "DROP DATABASE IF EXISTS $2 WITH (FORCE)" >/dev/null
    ;;
  -h|--help)
    sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'
    ;;
  *)
    echo "usage: pg-test.sh [--create [NAME] | --copy FROM NAME | --drop NAME | --help]" >&2
    exit 2
    ;;
esac
