#!/usr/bin/env bash
# A throw-away PostgreSQL server for the tests of the store's PostgreSQL
# backend: a fresh cluster in a temporary directory, on a free local port
# (127.0.0.1 only, its unix socket in that directory), password
# authentication over TCP.
#
#   eval "$(bash scripts/pg-test-server.sh start)"   # exports MUTUALIS_PG_URL, MUTUALIS_PG_DIR
#   bash scripts/pg-test-server.sh stop              # stops it, removes the directory
#
# `start` installs Debian's `postgresql` package with apt-get when no initdb
# is found (CI: a clean Debian machine, root). As root, the server runs as
# the `postgres` user (created by the package) or, failing that, as a
# `mutualis-pg` user created for it: PostgreSQL refuses to run as root.
# `stop` reads MUTUALIS_PG_DIR (or its argument) and is idempotent.
set -euo pipefail

log() { printf 'pg-test-server: %s\n' "$*" >&2; }

find_bin() {
    local d
    if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
        dirname -- "$(readlink -f -- "$(command -v pg_ctl)")"
        return 0
    fi
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then
            echo "$d"
            return 0
        fi
    done
    return 1
}

# Runs a command as the server's user (itself unless root).
as_user() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u "$PG_USER" -- "$@"
    else
        "$@"
    fi
}

start() {
    local bin
    if ! bin="$(find_bin)"; then
        if [ "$(id -u)" != 0 ]; then
            log "no initdb found and not root: install PostgreSQL (Debian: apt-get install postgresql)"
            exit 1
        fi
        log "installing Debian's postgresql package"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq >&2
        apt-get install -y -qq postgresql >&2
        bin="$(find_bin)" || { log "postgresql installed but no initdb found"; exit 1; }
    fi
    PG_USER="$(id -un)"
    if [ "$(id -u)" = 0 ]; then
        if id postgres >/dev/null 2>&1; then
            PG_USER=postgres
        else
            id mutualis-pg >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin mutualis-pg
            PG_USER=mutualis-pg
        fi
    fi
    local dir
    dir="$(mktemp -d "${TMPDIR:-/tmp}/mutualis-pg.XXXXXX")"
    chmod 700 "$dir"
    local password
    password="$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')"
    printf '%s\n' "$password" >"$dir/pwfile"
    [ "$(id -u)" = 0 ] && chown -R "$PG_USER" "$dir"
    as_user "$bin/initdb" -D "$dir/data" -U mutualis --pwfile="$dir/pwfile" \
        --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C >"$dir/initdb.log" 2>&1 ||
        { cat "$dir/initdb.log" >&2; rm -rf "$dir"; exit 1; }
    rm -f "$dir/pwfile"
    local port tries=0
    while :; do
        port=$((20000 + RANDOM % 40000))
        # taken when something answers on it
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            continue
        fi
        if as_user "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
            -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=400" start >/dev/null 2>&1; then
            break
        fi
        tries=$((tries + 1))
        if [ "$tries" -ge 5 ]; then
            cat "$dir/server.log" >&2 || true
            rm -rf "$dir"
            log "could not start the server"
            exit 1
        fi
    done
    printf '%s\n%s\n%s\n' "$bin" "$PG_USER" "$port" >"$dir/server.info"
    log "PostgreSQL ($("$bin/postgres" --version)) on 127.0.0.1:$port, cluster in $dir"
    echo "export MUTUALIS_PG_DIR='$dir'"
    echo "export MUTUALIS_PG_URL='postgres://mutualis:$password@127.0.0.1:$port/postgres'"
}

stop() {
    local dir="${1:-${MUTUALIS_PG_DIR:-}}"
    if [ -z "$dir" ] || [ ! -f "$dir/server.info" ]; then
        return 0
    fi
    local bin
    bin="$(sed -n 1p "$dir/server.info")"
    PG_USER="$(sed -n 2p "$dir/server.info")"
    as_user "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    log "stopped and removed $dir"
}

case "${1:-}" in
    start) start ;;
    stop) shift; stop "$@" ;;
    *) echo "usage: $0 start|stop [dir]" >&2; exit 2 ;;
esac
