#!/bin/sh
# HTTP benchmark of departure screening: a release lintas serve on loopback
# with synchronous=FULL (every screening durable, with its audit record),
# the UN + OFAC watchlists loaded, and wrk as the load generator on the same
# 2-core machine. Prints requests/s, latency percentiles, and the server's
# CPU time (user + system, from /proc/PID/stat) per screening completed,
# which is steadier than requests/s on a machine shared with other work,
# and the writes that shared each commit (fsync).
#   bench/run-http.sh [BUILD_DIR]   (default build; needs wrk)
#   BENCH_SECONDS, BENCH_CONNECTIONS, BENCH_THREADS (server workers);
#   PERF=FILE records the server with perf while wrk runs (PERF_ARGS, default -g)
set -eu
cd "$(dirname "$0")/.."
BUILD=${1:-build}
L=$PWD/$BUILD/lintas
DUR=${BENCH_SECONDS:-20}
CONN=${BENCH_CONNECTIONS:-64}
command -v wrk >/dev/null || { echo "run-http: wrk is not installed (apt-get install wrk)"; exit 0; }
dir=$(mktemp -d)
pid=; trap '[ -n "$pid" ] && kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$dir"' EXIT
printf 'bench-admin-password\n' > "$dir/pw"
"$L" init --db "$dir/b.db" --admin-password-file "$dir/pw" >/dev/null
SHARED=${LINTAS_SHARED:-../shared}
if [ -d "$SHARED/data" ]; then
    "$L" watchlist import --db "$dir/b.db" --format un \
        "$SHARED/data/un_sc_consolidated/UN_consolidated_2026-02-27.xml" >/dev/null
    "$L" watchlist import --db "$dir/b.db" --format ofac "$SHARED/data/ofac_sdn_2021/sdn.csv" \
        "$SHARED/data/ofac_sdn_2021/alt.csv" "$SHARED/data/ofac_sdn_2021/add.csv" >/dev/null
fi
"$L" user add --db "$dir/b.db" --username cp --role checkpoint_officer --office CGK \
    --password-file "$dir/pw" >/dev/null
"$L" serve --db "$dir/b.db" --listen 127.0.0.1:0 --threads ${BENCH_THREADS:-4} --access-log off \
    --synchronous full > "$dir/out" 2>"$dir/err" &
pid=$!
for _ in $(seq 50); do grep -q serving "$dir/out" 2>/dev/null && break; sleep 0.1; done
port=$(sed -n 's/.*:\([0-9]*\)$/\1/p' "$dir/out" | head -1)
token=$(curl -s -X POST "http://127.0.0.1:$port/api/v1/sessions" \
    -d '{"username":"cp","password":"bench-admin-password"}' | sed 's/.*"token":"\([^"]*\)".*/\1/')
# utime + stime of the server, in clock ticks (fields 14 and 15 of
# /proc/PID/stat, counted after the ')' that ends the command name).
cpu_ticks() { sed 's/.*) //' "/proc/$pid/stat" | awk '{ print $12 + $13 }'; }
# the machine's stolen and wanted CPU time (see bn_cpu_now in bench_names_load.c)
machine_ticks() { awk '/^cpu / { print $9, $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }
echo "departures over HTTP: ${DUR}s, $CONN connections, wrk 1 thread, server ${BENCH_THREADS:-4} workers, synchronous=FULL"
PERF=${PERF:-}
[ -n "$PERF" ] && { perf record ${PERF_ARGS:--g} -p $pid -o "$PERF" >/dev/null 2>&1 & perfpid=$!; sleep 1; }
cpu0=$(cpu_ticks)
m0=$(machine_ticks)
LINTAS_TOKEN=$token wrk -t1 -c"$CONN" -d"${DUR}s" --timeout 5s -s bench/departures.lua \
    "http://127.0.0.1:$port" > "$dir/wrk"
cpu1=$(cpu_ticks)
m1=$(machine_ticks)
[ -n "$PERF" ] && { kill -INT $perfpid; wait $perfpid 2>/dev/null || true; }
grep -E '^(departures|latency):' "$dir/wrk"
nreq=$(sed -n 's/^departures: \([0-9]*\) requests.*/\1/p' "$dir/wrk")
awk -v t="$((cpu1 - cpu0))" -v hz="$(getconf CLK_TCK)" -v n="${nreq:-0}" -v d="$DUR" 'BEGIN {
    if (n > 0)
        printf "server cpu: %.3f ms per screening (%.2f s over %d requests, %.0f%% of one core)\n",
            t * 1000 / hz / n, t / hz, n, t * 100 / hz / d }'
echo "$m0 $m1" | awk '$4 > $2 {
    printf "the hypervisor gave %.0f%% of the CPU time wanted meanwhile to other guests (steal)\n",
        ($3 - $1) * 100 / ($4 - $2) }'
curl -s "http://127.0.0.1:$port/metrics" | grep -E '^lintas_db_(commits|writes)_total' |
    awk '{ v[$1] = $2; printf "%s %s ", $1, $2 }
         END { if (v["lintas_db_commits_total"] > 0)
                   printf "(%.1f writes per commit)", v["lintas_db_writes_total"] / v["lintas_db_commits_total"] }'
echo
rows=$(sqlite3 "$dir/b.db" 'SELECT COUNT(*) FROM departures' 2>/dev/null || echo "?")
audit=$(sqlite3 "$dir/b.db" "SELECT COUNT(*) FROM audit WHERE action = 'departure.screen'" 2>/dev/null || echo "?")
echo "stored: $rows screenings, $audit audit records"
