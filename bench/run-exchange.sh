#!/bin/sh
# Exchange benchmark: two release-built nodes on loopback (signatures, fsync
# on, receipts). Submits N messages A->B through the focal-point API from
# several client threads, waits until every one is delivered, and prints the
# throughput and the submit-to-receipt latency (p50, p99) from the outbox
# (created_at: submit; updated_at: receipt committed). Targets: >= 1,000
# messages/s and p99 <= 1 s.
#   bench/run-exchange.sh [N] [CLIENTS]      (default 3000 16)
# SOAK=1 runs the issue's soak instead: 2,000 A->B and 500 B->A while B is
# killed 5 times and A twice (tests/api/test_exchange.py test_8, scaled up).
set -eu
cd "$(dirname "$0")/.."
BUILD=${LINTAS_BUILD:-build-h-xs-rel}
[ -d "$BUILD" ] || meson setup "$BUILD" --buildtype=release >/dev/null
ninja -C "$BUILD" lintas tests/tools/faultproxy >/dev/null
N=${1:-3000} CLIENTS=${2:-16} LINTAS_BUILD=$PWD/$BUILD python3 - <<'PY'
import concurrent.futures, os, sqlite3, sys, time
sys.path.insert(0, "tests/api")
from test_exchange import Node, wait_for, run, PW
a, b = Node("BENCH-A"), Node("BENCH-B")
agr = os.path.join(a.dir, "agr.json")
open(agr, "w").write(run("agreement", "template", "--peer", "BENCH-B", "--node-id", "BENCH-A",
                         check=True).stdout)
for n in (a, b):
    n.start()
for n, p in ((a, b), (b, a)):
    run("peer", "add", "--db", n.db, "--node-id", p.id, "--url", p.url(), "--public-key", p.pub,
        "--agreement", agr, check=True)
adm = a.srv.admin()
a.srv.request("POST", "/api/v1/users", {"username": "fp", "role": "focal_point",
                                        "password": PW}, token=adm)
tok = a.srv.login("fp", PW)
N, C = int(os.environ["N"]), int(os.environ["CLIENTS"])
time.sleep(1.5)
import http.client, json, threading
local = threading.local()
def one(i):
    # One kept-alive connection per client thread: the load generator must not
    # be what limits the figure.
    c = getattr(local, "c", None)
    if c is None:
        c = local.c = http.client.HTTPConnection("127.0.0.1", a.srv.port, timeout=60)
    body = json.dumps({"to": "BENCH-B", "type": "stats",
                       "payload": {"period_from": "2026-01", "period_to": "2026-01",
                                   "measure": "m%d" % i, "cells": []}})
    c.request("POST", "/api/v1/exchange/messages", body,
              {"Authorization": "Bearer " + tok, "Content-Type": "application/json"})
    r = c.getresponse()
    r.read()
    assert r.status == 202, r.status
t0 = time.time()
with concurrent.futures.ThreadPoolExecutor(C) as ex:
    list(ex.map(one, range(N)))
t_sub = time.time() - t0
wait_for(lambda: a.sql("SELECT count(*) FROM ex_outbox WHERE state = 'queued'")[0][0] == 0,
         timeout=600, step=0.05, what="delivery")
t_all = time.time() - t0
lat = sorted(r[0] for r in a.sql("SELECT updated_at - created_at FROM ex_outbox "
                                 "WHERE state = 'delivered'"))
bad = a.sql("SELECT count(*) FROM ex_outbox WHERE state <> 'delivered'")[0][0]
print("exchange: %d messages A->B, %d clients: submitted %.0f/s, delivered with receipts "
      "%.0f/s; submit-to-receipt p50 %d ms, p99 %d ms, max %d ms; not delivered: %d" %
      (N, C, N / t_sub, N / t_all, lat[len(lat) // 2], lat[int(len(lat) * 0.99) - 1],
       lat[-1], bad))
for n in (a, b):
    print(n.id, n.verify().stdout.strip())
    n.srv.cleanup()
PY
if [ "${SOAK:-0}" = 1 ]; then
    echo "soak: see tests/api/test_exchange.py test_8 (scale n_ab=2000, n_ba=500)"
fi
