"""Crash durability: concurrent writers, `kill -9` of the server in the middle
of the stream, restart. Every write that received a 2xx answer must be in
the database afterwards, the database must pass PRAGMA integrity_check, and
the audit chain must verify. Five rounds on the same database."""
import os
import sqlite3
import threading
import time
import unittest

import harness
from harness import Server, run

ROUNDS = 5
WRITERS = 4


class Durability(unittest.TestCase):
    def test_kill9_rounds(self):
        srv = Server()
        try:
            self._rounds(srv)
        finally:
            srv.cleanup()

    def _writer(self, srv, token, user_id, stop, acked, lock, kind):
        n = 0
        while not stop.is_set():
            n += 1
            try:
                if kind == "patch":
                    value = "writer-%d-%d" % (user_id, n)
                    st, hdrs, body = srv.request("PATCH", "/api/v1/users/%d" % user_id,
                                                 {"display_name": value}, token=token,
                                                 timeout=10)
                else:
                    value = "c%d_%d_%d" % (user_id, int(time.time() * 1000) % 100000, n)
                    st, hdrs, body = srv.request("POST", "/api/v1/users",
                                                 {"username": value, "role": "analyst",
                                                  "password": "durable-password-1"},
                                                 token=token, timeout=10)
            except OSError:
                continue  # the server is gone: this write was not acknowledged
            if 200 <= st < 300:
                with lock:
                    acked.append((kind, user_id, value, hdrs["x-request-id"]))

    def _rounds(self, srv):
        admin = srv.admin()
        ids = []
        for i in range(WRITERS):
            st, _, body = srv.request("POST", "/api/v1/users",
                                      {"username": "w%d" % i, "role": "analyst",
                                       "password": "durable-password-1"}, token=admin)
            self.assertEqual(st, 201)
            ids.append(body["id"])
        total = 0
        for rnd in range(ROUNDS):
            token = srv.admin()
            stop = threading.Event()
            lock = threading.Lock()
            acked = []
            threads = [threading.Thread(target=self._writer,
                                        args=(srv, token, uid, stop, acked, lock, "patch"))
                       for uid in ids]
            threads.append(threading.Thread(target=self._writer,
                                            args=(srv, token, 0, stop, acked, lock, "create")))
            for t in threads:
                t.start()
            time.sleep(1.5 + 0.3 * rnd)
            srv.kill9()
            stop.set()
            for t in threads:
                t.join(timeout=30)
            self.assertGreater(len(acked), 10, "round %d: too few writes" % rnd)
            total += len(acked)
            self._check(srv.db, acked)
            srv.start()
        print("durability: %d acknowledged writes over %d kill -9 rounds, none lost"
              % (total, ROUNDS))

    def _check(self, db, acked):
        con = sqlite3.connect(db, timeout=30)
        self.assertEqual(con.execute("PRAGMA integrity_check").fetchone()[0], "ok")
        request_ids = {r[0] for r in con.execute("SELECT request_id FROM audit")}
        names = {r[0] for r in con.execute("SELECT username FROM users")}
        last = {}
        for kind, uid, value, rid in acked:
            self.assertIn(rid, request_ids, "acknowledged write %s has no audit record" % rid)
            if kind == "create":
                self.assertIn(value, names, "acknowledged user %s lost" % value)
            else:
                last[uid] = max(last.get(uid, 0), int(value.rsplit("-", 1)[1]))
        for uid, n in last.items():
            dn = con.execute("SELECT display_name FROM users WHERE id = ?", (uid,)).fetchone()[0]
            self.assertGreaterEqual(int(dn.rsplit("-", 1)[1]), n,
                                    "user %d lost an acknowledged update" % uid)
        con.close()
        p = run("audit", "verify", "--db", db)
        self.assertEqual(p.returncode, 0, p.stderr)


if __name__ == "__main__":
    unittest.main()
