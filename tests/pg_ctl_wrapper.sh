#!/usr/bin/env bash
# pg_ctl for the test suite's throwaway PostgreSQL (pytest-postgresql calls it).
#
# PostgreSQL refuses to run as root. When we are root, the data folder's parent (pytest's
# temporary folder, mode 0700, owned by root) is given to the `postgres` OS user, its
# ancestors are made traversable, and the real pg_ctl runs as `postgres`. Otherwise the
# real pg_ctl runs as is.
set -euo pipefail

real_pg_ctl="${CHANNEL_PORTAL_PG_CTL:-}"
if [[ -z "$real_pg_ctl" ]]; then
    for candidate in /usr/lib/postgresql/*/bin/pg_ctl; do
        [[ -x "$candidate" ]] && real_pg_ctl="$candidate"
    done
fi
if [[ -z "$real_pg_ctl" ]] && command -v pg_config >/dev/null; then
    real_pg_ctl="$(pg_config --bindir)/pg_ctl"
fi
if [[ ! -x "$real_pg_ctl" ]]; then
    echo "PostgreSQL server binaries (pg_ctl) are required to run the tests." >&2
    exit 127
fi

if [[ "$(id -u)" != "0" ]]; then
    exec "$real_pg_ctl" "$@"
fi

datadir=""
previous=""
for argument in "$@"; do
    case "$previous" in
        -D | --pgdata) datadir="$argument" ;;
    esac
    case "$argument" in
        --pgdata=*) datadir="${argument#--pgdata=}" ;;
    esac
    previous="$argument"
done

if [[ -n "$datadir" ]]; then
    parent="$(dirname "$datadir")"
    mkdir -p "$parent"
    chown postgres: "$parent"
    # Let `postgres` reach the parent: traverse (not list) every folder above it.
    folder="$(dirname "$parent")"
    while [[ "$folder" != "/" ]]; do
        chmod o+x "$folder"
        folder="$(dirname "$folder")"
    done
fi

# The caller's working folder may be unreadable to `postgres`.
cd /
exec runuser -u postgres -- "$real_pg_ctl" "$@"
