#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL cluster: initdb in a temporary folder, a free
# port on 127.0.0.1, DATABASE_URL exported for the command; the cluster is stopped and removed
# however the command ends.   Usage: scripts/with-postgres.sh COMMAND [ARG...]
set -euo pipefail

find_tool() {
    command -v "$1" 2>/dev/null && return
    ls -d /usr/lib/postgresql/*/bin/"$1" 2>/dev/null | sort -rV | head -n 1
}
initdb=$(find_tool initdb)
pg_ctl=$(find_tool pg_ctl)
if [ -z "$initdb" ] || [ -z "$pg_ctl" ]; then
    echo "make test-postgres needs PostgreSQL's initdb and pg_ctl: apt-get install postgresql" >&2
    exit 1
fi

as_owner=()
if [ "$(id -u)" = 0 ]; then
    # PostgreSQL refuses to run as root: run the cluster as the postgres user.
    id postgres >/dev/null 2>&1 || { echo "Running as root needs a 'postgres' user to own the cluster." >&2; exit 1; }
    as_owner=(runuser -u postgres --)
fi

cluster=$(mktemp -d "${TMPDIR:-/tmp}/pcc-portal-pg.XXXXXX")
[ ${#as_owner[@]} -gt 0 ] && chown postgres "$cluster"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')

cleanup() {
    "${as_owner[@]}" "$pg_ctl" -D "$cluster/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$cluster"
}
trap cleanup EXIT INT TERM

"${as_owner[@]}" "$initdb" -D "$cluster/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
"${as_owner[@]}" "$pg_ctl" -D "$cluster/data" -l "$cluster/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $cluster -c fsync=off -c full_page_writes=off" start >/dev/null
echo "PostgreSQL $("${as_owner[@]}" "$pg_ctl" --version | awk '{print $NF}') on 127.0.0.1:$port (throwaway)"

export DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres"
"$@"
