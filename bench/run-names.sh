#!/bin/sh
# Name-matching benchmarks: quality on the shared data, speed and size on a
# synthetic 1,000,000-person watchlist, and PostgreSQL pg_trgm on the same
# names and queries. Prints the figures; exits non-zero only on a build or
# program failure (a target that is missed is printed, not an error).
#   N=1000000 Q=100000 PGQ=2000 bench/run-names.sh
# BENCH_CLOCK=cpu times queries by the thread's CPU time (on a shared
# machine, time spent descheduled is then left out of the latencies); the
# pg_trgm comparison is timed by the wall clock on both sides, since
# PostgreSQL answers in another process.
# PGBENCH_CONNINFO selects an existing PostgreSQL server; otherwise a
# throwaway cluster is created in a temporary directory (as the postgres
# user when run as root) and removed at the end; without PostgreSQL the
# pg_trgm part says it is skipped.
set -eu
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build-bench-names}
N=${N:-1000000}
Q=${Q:-100000}
PGQ=${PGQ:-2000}
export LINTAS_SHARED_DATA="${LINTAS_SHARED_DATA:-$(pwd)/../shared/data}"

[ -f "$BUILD/build.ninja" ] || meson setup "$BUILD" --buildtype=release >/dev/null
ninja -C "$BUILD" bench/gen_names bench/bench_names_quality bench/bench_names_speed \
    bench/bench_names_pg bench/bench_names_bounds >/dev/null

TMP=$(mktemp -d /tmp/lintas-bench-names.XXXXXX)
PGDIR="$TMP/pg"
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
started=""
cluster_started=""
as_pg() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
cleanup() {
    if [ -n "$started" ]; then as_pg "$PGBIN/pg_ctl" -D "$PGDIR" -m fast -w stop >/dev/null 2>&1 || true; fi
    if [ -n "$cluster_started" ]; then pg_ctlcluster "$cluster_started" main stop || true; fi
    rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

echo "== quality (UN + OFAC 2021 individuals) =="
"$BUILD/bench/bench_names_quality"

echo "== speed and size (synthetic $N persons, $Q queries, one core) =="
"$BUILD/bench/gen_names" -n "$N" -q "$Q" "$TMP"
"$BUILD/bench/bench_names_speed" "$TMP"

echo "== score bounds: each query at limits 10 and 100 (20,000 queries) =="
"$BUILD/bench/bench_names_bounds" "$TMP" 20000 || true

echo "== PostgreSQL pg_trgm on the same names ($PGQ queries) =="
run_pg="$BUILD/bench/bench_names_pg"
if [ -z "${PGBENCH_CONNINFO:-}" ] && [ -n "$PGBIN" ] && [ -x "$PGBIN/initdb" ]; then
    mkdir -p "$PGDIR" "$TMP/sock"
    chmod 755 "$TMP"
    [ "$(id -u)" = 0 ] && chown postgres "$PGDIR" "$TMP/sock"
    if as_pg "$PGBIN/initdb" -D "$PGDIR" -A trust -U postgres >"$TMP/initdb.log" 2>&1 &&
        as_pg "$PGBIN/pg_ctl" -D "$PGDIR" -w -l "$PGDIR/log" \
            -o "-k $TMP/sock -p 54329 -c listen_addresses=''" start >/dev/null 2>&1; then
        started=yes
        PGBENCH_CONNINFO="host=$TMP/sock port=54329 user=postgres dbname=postgres"
    elif command -v pg_ctlcluster >/dev/null && command -v pg_lsclusters >/dev/null; then
        # initdb cannot run here (e.g. no writable /dev/null for postgres): use the
        # packaged cluster, starting it for the run and stopping it after.
        ver=$(pg_lsclusters -h | awk 'NR==1 {print $1}')
        if pg_lsclusters -h | awk 'NR==1 {exit $4 == "online" ? 0 : 1}'; then :; else
            pg_ctlcluster "$ver" main start && cluster_started="$ver"
        fi
        PGBENCH_CONNINFO="host=/var/run/postgresql dbname=postgres"
        [ "$(id -u)" = 0 ] && run_pg="runuser -u postgres -- $(pwd)/$BUILD/bench/bench_names_pg"
    fi
fi
export PGBENCH_CONNINFO="${PGBENCH_CONNINFO:-dbname=postgres}"
$run_pg "$TMP" -n "$PGQ"
