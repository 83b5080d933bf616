"""Exchange between two real lintas nodes on loopback, each with its own
database, keys and port: Indonesia (ID-DGI) and Cambodia (KH-GDI).

The scenario of issue 7 (a referral of two rescued Indonesians opens a
consular case; one is later protected at departure, the other becomes a
suspect), alerts applied and withdrawn, a bulletin phone number raising
indicators.sponsor_phone, queries and answers, kill -9 durability, replayed
and corrupted frames through the fault proxy, an expired message (dead
letter), clock skew, and a backlog that drains in order."""
import concurrent.futures
import json
import os
import socket
import sqlite3
import subprocess
import tempfile
import time
import unittest

from harness import BUILD, ENV, LINTAS, Server, run

PW = "exchange-password-123"
FAULTPROXY = os.path.join(BUILD, "tests", "tools", "faultproxy")
A = {"first_name": "RATNA SARI", "second_name": "WULANDARI", "birthdate": "1998-04-12",
     "nationality": "IDN", "victim_id": "KH-V-1", "document_numbers": ["C1234001"]}
B = {"first_name": "DEDI SETIAWAN", "second_name": "KURNIAWAN", "birthdate": "1990-08-30",
     "nationality": "IDN", "victim_id": "KH-V-2", "document_numbers": ["C7654321"]}


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def wait_for(pred, timeout=60, step=0.2, what="condition"):
    end = time.time() + timeout
    while time.time() < end:
        v = pred()
        if v:
            return v
        time.sleep(step)
    raise AssertionError("timed out waiting for " + what)


class Node:
    """One lintas node: database, keys, fixed port, focal point account."""

    def __init__(self, node_id):
        self.id = node_id
        self.dir = tempfile.mkdtemp(prefix="lintas-xs-%s-" % node_id)
        self.db = os.path.join(self.dir, "node.db")
        self.keys = os.path.join(self.dir, "keys")
        self.port = free_port()
        self.pub = run("keygen", "--out", self.keys, check=True).stdout.strip()
        self.srv = None

    def start(self, tls=False):
        args = ["--listen", "127.0.0.1:%d" % self.port, "--node-id", self.id, "--keys",
                self.keys, "--heartbeat-seconds", "1", "--access-log", "off"]
        if tls:
            args += ["--tls-cert", os.path.join(self.keys, "tls.crt"), "--tls-key",
                     os.path.join(self.keys, "tls.key")]
        if self.srv is not None:
            self.srv.extra = args
        if self.srv is None:
            self.srv = Server(args, db=self.db, workdir=self.dir)
        else:
            self.srv.start()
        return self.srv

    def url(self):
        return "http://127.0.0.1:%d" % self.port

    def sql(self, q, *args):
        c = sqlite3.connect(self.db, timeout=30)
        try:
            return c.execute(q, args).fetchall()
        finally:
            c.close()

    def status(self):
        p = run("exchange", "status", "--db", self.db, check=True)
        return [json.loads(l) for l in p.stdout.splitlines()]

    def verify(self):
        return run("exchange", "verify", "--db", self.db)


class Exchange(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.id = Node("ID-DGI")
        cls.kh = Node("KH-GDI")
        cls.agreement = os.path.join(cls.id.dir, "agreement.json")
        p = run("agreement", "template", "--peer", "KH-GDI", "--node-id", "ID-DGI", check=True)
        with open(cls.agreement, "w") as f:
            f.write(p.stdout)
        for n in (cls.id, cls.kh):
            n.start()
        cls.add_peer(cls.id, cls.kh)
        cls.add_peer(cls.kh, cls.id)
        cls.tokens = {}
        for n, users in ((cls.id, (("fp", "focal_point", None), ("kons", "consular_officer",
                                                                  "KBRI-PNH"),
                                   ("cp", "checkpoint_officer", "CGK"))),
                         (cls.kh, (("fp", "focal_point", None),))):
            admin = n.srv.admin()
            for name, role, office in users:
                body = {"username": name, "role": role, "password": PW}
                if office:
                    body["office"] = office
                st, _, out = n.srv.request("POST", "/api/v1/users", body, token=admin)
                assert st == 201, out
                cls.tokens[(n.id, name)] = n.srv.login(name, PW)

    @classmethod
    def tearDownClass(cls):
        for n in (cls.id, cls.kh):
            if n.srv is not None:
                n.srv.cleanup()

    @classmethod
    def add_peer(cls, node, peer, url=None, pin=None):
        extra = ["--tls-pin", pin] if pin else []
        run("peer", "add", "--db", node.db, "--node-id", peer.id, "--url", url or peer.url(),
            "--public-key", peer.pub, "--agreement", cls.agreement, *extra, check=True)

    def send(self, node, to, mtype, payload, reply_to=None):
        body = {"to": to.id, "type": mtype, "payload": payload}
        if reply_to:
            body["reply_to"] = reply_to
        st, _, out = node.srv.request("POST", "/api/v1/exchange/messages", body,
                                      token=self.tokens[(node.id, "fp")])
        self.assertEqual(st, 202, out)
        return out["id"]

    def in_state(self, node, msg_id):
        rows = node.sql("SELECT state, result FROM ex_inbox WHERE msg_id = ?", msg_id)
        return rows[0] if rows else None

    def applied(self, node, msg_id, timeout=60):
        return wait_for(lambda: (self.in_state(node, msg_id) or ("",))[0] in ("applied",
                                                                             "rejected")
                        and self.in_state(node, msg_id), timeout, what="apply " + msg_id)

    def out_state(self, node, msg_id):
        rows = node.sql("SELECT state, reason FROM ex_outbox WHERE msg_id = ?", msg_id)
        return rows[0] if rows else None

    def screen(self, p, sponsor=None):
        t = {"surname": p["second_name"], "given_names": p["first_name"],
             "birth_date": p["birthdate"], "nationality": p["nationality"]}
        body = {"traveller": t, "trip": {"destination": "THA", "purpose": "tourism",
                                         "return_ticket": True}}
        if sponsor:
            body["sponsor"] = sponsor
        st, _, out = self.id.srv.request("POST", "/api/v1/departures", body,
                                         token=self.tokens[("ID-DGI", "cp")])
        self.assertEqual(st, 201, out)
        return out

    # ---- the scenario ----

    def test_1_referral_case_protect_and_suspect(self):
        ref = {"referral_id": "KH-REF-2031", "status": "Active",
               "outgoing_referral_date": "2026-01-10",
               "reason_for_outgoing_referral": "MigrationOrChangeOfLocation",
               "outgoing_referral_details": "rescued from a scam compound in Sihanoukville",
               "victims": [dict(A, location="shelter, Phnom Penh"), B]}
        mid = self.send(self.kh, self.id, "referral", ref)
        state, result = self.applied(self.id, mid)
        self.assertEqual(state, "applied", result)
        self.assertIn("consular case", result)
        kons = self.tokens[("ID-DGI", "kons")]
        st, _, cases = self.id.srv.request("GET", "/api/v1/cases", token=kons)
        case = [c for c in cases["cases"] if c.get("reference") == "KH-GDI-KH-REF-2031"]
        self.assertEqual(len(case), 1, cases)
        cid = case[0]["id"]
        for status in ("located", "repatriated"):
            st, _, case = self.id.srv.request("PATCH", "/api/v1/cases/%d" % cid,
                                              {"status": status}, token=kons)
            self.assertEqual(st, 200, case)
        self.assertEqual(len(case["persons"]), 2, case)
        self.assertEqual(self.screen(A)["recommendation"], "protect")
        pid_b = [p["person_id"] for p in case["persons"] if p["surname"] == "KURNIAWAN"][0]
        st, _, case = self.id.srv.request("PATCH", "/api/v1/cases/%d/persons/%d" % (cid, pid_b),
                                          {"role": "suspect"}, token=kons)
        self.assertEqual(st, 200, case)
        self.assertIn(self.screen(B)["recommendation"], ("secondary", "refuse"))
        # The same referral again (a new message): the case is updated, not duplicated.
        mid2 = self.send(self.kh, self.id, "referral", dict(ref, status="FollowUp", victims=[]))
        self.assertEqual(self.applied(self.id, mid2)[0], "applied")
        st, _, cases = self.id.srv.request("GET", "/api/v1/cases", token=kons)
        self.assertEqual(len([c for c in cases["cases"]
                              if c.get("reference") == "KH-GDI-KH-REF-2031"]), 1)
        # A case update from the partner goes on the case's timeline.
        mid3 = self.send(self.kh, self.id, "case.update",
                         {"referral_id": "KH-REF-2031", "status": "FollowUp",
                          "note": "exit permit issued by the GDI"})
        state, result = self.applied(self.id, mid3)
        self.assertEqual(state, "applied", result)
        st, _, case = self.id.srv.request("GET", "/api/v1/cases/%d" % cid, token=kons)
        self.assertTrue(any("exit permit issued" in e.get("text", "") for e in case["timeline"]),
                        case["timeline"])
        mid4 = self.send(self.kh, self.id, "case.update",
                         {"referral_id": "KH-REF-unknown", "status": "Active"})
        self.assertEqual(self.applied(self.id, mid4)[0], "rejected")

    def test_2_alert_applied_then_withdrawn(self):
        person = {"second_name": "HARTONO", "first_name": "AGUS", "birthdate": "1975-02-03",
                  "nationality": "IDN"}
        alert = {"id": "KH-W-77", "version": 1, "kind": "person", "name": "AGUS HARTONO",
                 "birth_date": "1975-02-03", "nationality": "IDN", "category": "trafficker",
                 "action": "refuse_departure"}
        mid = self.send(self.kh, self.id, "alert.person", alert)
        self.assertEqual(self.applied(self.id, mid)[0], "applied")
        out = self.screen(person)
        self.assertTrue(any(m["list"] == "KH-GDI" for m in out["matches"]), out)
        self.assertEqual(out["recommendation"], "refuse", out)
        mid = self.send(self.kh, self.id, "alert.withdraw", {"id": "KH-W-77", "version": 2})
        self.assertEqual(self.applied(self.id, mid)[0], "applied")
        out = self.screen(person)
        self.assertFalse(any(m["list"] == "KH-GDI" for m in out["matches"]), out)

    def test_3_bulletin_phone_raises_indicator(self):
        person = {"second_name": "LESTARI", "first_name": "DEWI", "birthdate": "2001-07-07",
                  "nationality": "IDN"}
        sponsor = {"name": "PT MAJU", "phone": "+855 12 345 678"}
        # No indicator held yet: the server learns that and skips the
        # look-ups, so the next screening proves that a bulletin ends that.
        self.assertEqual(self.id.sql("SELECT COUNT(*) FROM ex_indicators"), [(0,)])
        before = self.screen(person, sponsor)
        self.assertFalse(any(r["rule"] == "bulletin_indicator" for r in before["reasons"]))
        bul = {"bulletin_id": "KH-B-9", "version": 1, "title": "scam compound recruiters",
               "indicators": [{"indicator_id": "i-1", "version": 1, "kind": "phone",
                               "value": "+85512345678"}]}
        mid = self.send(self.kh, self.id, "bulletin", bul)
        self.assertEqual(self.applied(self.id, mid)[0], "applied")
        out = self.screen(person, sponsor)
        hit = [r for r in out["reasons"] if r["rule"] == "bulletin_indicator"]
        self.assertTrue(hit and "KH-B-9" in hit[0]["text"], out)
        # Revoked in a later version: no longer an indicator.
        bul["indicators"][0].update(version=2, revoked=True)
        mid = self.send(self.kh, self.id, "bulletin", bul)
        self.applied(self.id, mid)
        out = self.screen(person, sponsor)
        self.assertFalse(any(r["rule"] == "bulletin_indicator" for r in out["reasons"]), out)

    def test_3b_indicators_held_before_a_restart(self):
        """A server started on a database that holds indicators uses them."""
        person = {"second_name": "PERTIWI", "first_name": "INDAH", "birthdate": "2000-02-02",
                  "nationality": "IDN"}
        sponsor = {"name": "CV KARYA INDICATOR", "company": "CV KARYA INDICATOR"}
        bul = {"bulletin_id": "KH-B-10", "version": 1, "title": "recruiting agencies",
               "indicators": [{"indicator_id": "i-2", "version": 1, "kind": "company",
                               "value": "CV Karya Indicator"}]}
        self.assertEqual(self.applied(self.id, self.send(self.kh, self.id, "bulletin", bul))[0],
                         "applied")
        self.id.srv.kill9()
        self.id.start()
        out = self.screen(person, sponsor)
        hit = [r for r in out["reasons"] if r["rule"] == "bulletin_indicator"]
        self.assertTrue(hit and "KH-B-10" in hit[0]["text"], out)

    def test_4_query_and_answer(self):
        q = self.send(self.id, self.kh, "query", {"reference": "ID-Q-1", "question": "known?",
                                                 "name": "AGUS HARTONO"})
        self.applied(self.kh, q)
        fp = self.tokens[("KH-GDI", "fp")]
        st, _, qs = self.kh.srv.request("GET", "/api/v1/exchange/queries?open=1", token=fp)
        mine = [x for x in qs["queries"] if x["id"] == q]
        self.assertEqual(len(mine), 1, qs)
        self.assertFalse(mine[0]["overdue"])
        self.assertGreater(mine[0]["due_ms"], mine[0]["created_ms"] + 11 * 3600 * 1000)
        st, _, out = self.kh.srv.request("POST", "/api/v1/exchange/queries/%s/answer" % q,
                                         {"reference": "ID-Q-1", "found": False}, token=fp)
        self.assertEqual(st, 202, out)
        ans = self.applied(self.id, out["id"])
        self.assertEqual(ans[0], "applied")
        rows = self.id.sql("SELECT reply_to FROM ex_inbox WHERE msg_id = ?", out["id"])
        self.assertEqual(rows[0][0], q)
        st, _, qs = self.kh.srv.request("GET", "/api/v1/exchange/queries?open=1", token=fp)
        self.assertFalse(any(x["id"] == q for x in qs["queries"]))

    def test_5_clock_skew_and_expiry(self):
        env = dict(ENV, LINTAS_TEST_CLOCK_OFFSET_MS=str(15 * 60 * 1000))
        p = subprocess.run([LINTAS, "exchange", "send", "--db", self.kh.db, "--to", "ID-DGI",
                            "--type", "stats"],
                           input='{"period_from":"2026-01","period_to":"2026-02",'
                                 '"measure":"interceptions","cells":[]}',
                           capture_output=True, text=True, env=env, check=True)
        mid = p.stdout.strip()
        wait_for(lambda: (self.out_state(self.kh, mid) or ("queued",))[0] != "queued",
                 what="skewed message")
        self.assertEqual(self.out_state(self.kh, mid), ("rejected", "clock_skew"))
        # An outage longer than a message's life: it becomes a dead letter.
        self.add_peer(self.kh, self.id, url="http://127.0.0.1:%d" % free_port())
        time.sleep(1.5)  # the server reloads its peers within a second
        try:
            p = run("exchange", "send", "--db", self.kh.db, "--to", "ID-DGI", "--type",
                    "query", "--expires-in", "2", input='{"reference":"KH-Q-dead"}', check=True)
            mid = p.stdout.strip()
            wait_for(lambda: self.out_state(self.kh, mid)[0] == "expired", what="expiry")
            st, _, dl = self.kh.srv.request("GET", "/api/v1/exchange/dead-letters",
                                            token=self.tokens[("KH-GDI", "fp")])
            self.assertTrue(any(d["id"] == mid for d in dl["dead_letters"]), dl)
            self.assertIn("dead letter", open(self.kh.srv.stderr_path).read())
        finally:
            self.add_peer(self.kh, self.id)

    def test_6_backlog_drains_in_order(self):
        self.id.srv.kill9()
        ids = [self.send(self.kh, self.id, "stats", {"period_from": "2026-01",
                                                     "period_to": "2026-01",
                                                     "measure": "m%d" % i, "cells": []})
               for i in range(20)]
        time.sleep(1)
        self.id.start()
        for m in ids:
            self.applied(self.id, m)
        marks = ",".join("?" * len(ids))
        seqs = [r[0] for r in self.id.sql("SELECT seq FROM ex_inbox WHERE msg_id IN (%s) "
                                           "ORDER BY id" % marks, *ids)]
        self.assertEqual(seqs, sorted(seqs))

    def test_6b_three_day_outage(self):
        """The partner is down for three days: the backlog waits (30-day
        message lives), then drains in order once both nodes' clocks are three
        days on, and nothing is applied twice."""
        import harness
        self.id.srv.kill9()
        ids = [self.send(self.kh, self.id, "alert.person",
                         {"id": "KH-O-%d" % i, "version": 1, "name": "OUTAGE PERSON %d" % i,
                          "category": "recruiter"}) for i in range(10)]
        self.kh.srv.kill9()
        harness.ENV["LINTAS_TEST_CLOCK_OFFSET_MS"] = str(3 * 86400 * 1000)
        try:
            self.kh.start()
            self.id.start()
            for m in ids:
                wait_for(lambda: self.out_state(self.kh, m)[0] != "queued", timeout=60,
                         what="delivery after the outage")
                self.assertEqual(self.out_state(self.kh, m)[0], "delivered")
                self.assertEqual(self.applied(self.id, m)[0], "applied")
            marks = ",".join("?" * len(ids))
            seqs = [r[0] for r in self.id.sql("SELECT seq FROM ex_inbox WHERE msg_id IN (%s) "
                                               "ORDER BY id" % marks, *ids)]
            self.assertEqual(seqs, sorted(seqs))
            self.assertEqual(len(seqs), 10)
        finally:
            harness.ENV.pop("LINTAS_TEST_CLOCK_OFFSET_MS", None)
            self.kh.srv.stop()
            self.id.srv.stop()
            self.kh.start()
            self.id.start()
            time.sleep(1.5)

    def test_7_fault_proxy_replay_and_corruption(self):
        ctl = os.path.join(self.kh.dir, "proxy.ctl")
        with open(ctl, "w") as f:
            f.write("duplicate 1\n")
        pport = free_port()
        log = open(os.path.join(self.kh.dir, "proxy.log"), "w")
        proxy = subprocess.Popen([FAULTPROXY, "--listen", "127.0.0.1:%d" % pport, "--target",
                                  "127.0.0.1:%d" % self.id.port, "--control", ctl, "--seed", "7"],
                                 stdout=log, stderr=log)
        try:
            time.sleep(0.5)
            self.add_peer(self.kh, self.id, url="http://127.0.0.1:%d" % pport)
            time.sleep(1.5)
            mid = self.send(self.kh, self.id, "alert.person",
                            {"id": "KH-W-dup", "version": 1, "name": "REPLAYED PERSON",
                             "category": "recruiter"})
            wait_for(lambda: self.out_state(self.kh, mid)[0] != "queued", what="replayed")
            self.assertEqual(self.out_state(self.kh, mid)[0], "delivered")
            self.applied(self.id, mid)
            n_apply = self.id.sql("SELECT count(*) FROM ex_log WHERE kind = 6 AND msg_id = ?",
                                  mid)[0][0]
            self.assertEqual(n_apply, 1)
            self.assertEqual(self.id.sql("SELECT count(*) FROM watchlist_entries WHERE "
                                         "source_id = 'KH-W-dup'")[0][0], 1)
            with open(ctl, "w") as f:
                f.write("duplicate 0\ncorrupt 1\n")
            time.sleep(1)
            before = self.id.sql("SELECT count(*) FROM ex_log WHERE kind = 7")[0][0]
            mid = self.send(self.kh, self.id, "stats", {"period_from": "2026-03",
                                                        "period_to": "2026-03",
                                                        "measure": "corrupted", "cells": []})
            wait_for(lambda: self.id.sql("SELECT count(*) FROM ex_log WHERE kind = 7")[0][0]
                     > before, what="a logged rejection")
            self.assertEqual(self.out_state(self.kh, mid)[0], "queued")
            with open(ctl, "w") as f:
                f.write("corrupt 0\n")
            wait_for(lambda: self.out_state(self.kh, mid)[0] == "delivered", what="redelivery")
            self.assertEqual(self.applied(self.id, mid)[0], "applied")
        finally:
            self.add_peer(self.kh, self.id)
            proxy.terminate()
            proxy.wait()
            log.close()

    def test_7b_fault_proxy_every_fault(self):
        """Drop, cut (request and answer, mid-frame), duplicate, replay, hold
        (reorder) and delay, all at once: every message is still delivered
        and applied exactly once."""
        ctl = os.path.join(self.kh.dir, "proxy-all.ctl")
        with open(ctl, "w") as f:
            # Each fault once, on the first requests, then at random.
            f.write("at 2:drop-request\nat 3:drop-response\nat 4:cut-request\n"
                    "at 5:cut-response\nat 6:duplicate\nat 7:replay\nat 8:hold\n"
                    "at 9:delay\ndrop-request 0.05\ndrop-response 0.05\nduplicate 0.05\n"
                    "hold 0.05\ndelay 0.05\ndelay-ms 150\nreplay-ms 300\nhold-ms 500\n")
        pport = free_port()
        log_path = os.path.join(self.kh.dir, "proxy-all.log")
        log = open(log_path, "w")
        proxy = subprocess.Popen([FAULTPROXY, "--listen", "127.0.0.1:%d" % pport, "--target",
                                  "127.0.0.1:%d" % self.id.port, "--control", ctl, "--seed",
                                  "11", "--log", log_path], stdout=log, stderr=log)
        try:
            time.sleep(0.5)
            self.add_peer(self.kh, self.id, url="http://127.0.0.1:%d" % pport)
            time.sleep(1.5)
            mids = []
            for i in range(40):  # spaced out, so that they travel in many requests
                mids.append(self.send(self.kh, self.id, "alert.person",
                                      {"id": "KH-F-%d" % i, "version": 1,
                                       "name": "FAULTED PERSON %d" % i,
                                       "category": "facilitator"}))
                time.sleep(0.05)
            for m in mids:
                wait_for(lambda: self.out_state(self.kh, m)[0] != "queued", timeout=120,
                         what="delivery through the faulty proxy")
                self.assertEqual(self.out_state(self.kh, m)[0], "delivered")
                self.assertEqual(self.applied(self.id, m)[0], "applied")
                self.assertEqual(self.id.sql("SELECT count(*) FROM ex_log WHERE kind = 6 AND "
                                             "msg_id = ?", m)[0][0], 1)
            self.assertEqual(self.id.sql("SELECT count(*) FROM watchlist_entries WHERE "
                                         "source_id LIKE 'KH-F-%'")[0][0], 40)
            with open(log_path) as f:
                actions = f.read()
            for a in ("drop-request", "drop-response", "cut-request", "cut-response",
                      "duplicate", "replay", "hold", "delay"):
                self.assertIn(a, actions, "the proxy never applied " + a)
        finally:
            self.add_peer(self.kh, self.id)
            proxy.terminate()
            proxy.wait()
            log.close()

    def test_8_kill9_durability(self):
        """The issue's soak: 2,000 mixed messages A->B and 500 B->A while B is
        killed with SIGKILL and restarted five times and A twice."""
        n_ab = int(os.environ.get("LINTAS_SOAK_AB", "2000"))
        n_ba = int(os.environ.get("LINTAS_SOAK_BA", "500"))
        ids_ab, ids_ba = [], []
        kinds = [("stats", lambda i: {"period_from": "2026-01", "period_to": "2026-01",
                                      "measure": "d%d" % i, "cells": []}),
                 ("alert.person", lambda i: {"id": "D-%d" % i, "version": 1,
                                             "name": "DURABLE PERSON %d" % i}),
                 ("query", lambda i: {"reference": "D-Q-%d" % i})]

        def submit(node, to, i, out):
            t, mk = kinds[i % len(kinds)]
            for _ in range(50):
                try:
                    out.append(self.send(node, to, t, mk(i)))
                    return
                except (ConnectionError, OSError, AssertionError):
                    time.sleep(0.3)

        def burst(node, to, lo, hi, out):
            with concurrent.futures.ThreadPoolExecutor(4) as ex:
                list(ex.map(lambda i: submit(node, to, i, out), range(lo, hi)))

        step_ab, step_ba = n_ab // 6, n_ba // 6
        for k in range(6):
            hi_ab = n_ab if k == 5 else (k + 1) * step_ab
            hi_ba = n_ba if k == 5 else (k + 1) * step_ba
            burst(self.kh, self.id, k * step_ab, hi_ab, ids_ab)
            burst(self.id, self.kh, k * step_ba, hi_ba, ids_ba)
            if k < 5:  # the receiver dies mid-stream, five times
                time.sleep(0.2)
                self.id.srv.kill9()
                time.sleep(0.3)
                self.id.start()
            if k in (1, 3):  # and the sender twice
                self.kh.srv.kill9()
                self.kh.start()
        self.assertEqual(len(ids_ab), n_ab)
        for node, peer, ids in ((self.kh, self.id, ids_ab), (self.id, self.kh, ids_ba)):
            for m in ids:
                wait_for(lambda: self.out_state(node, m)[0] != "queued", timeout=120,
                         what="delivery of " + m)
                self.assertEqual(self.out_state(node, m)[0], "delivered")
                st = self.applied(peer, m)
                self.assertEqual(st[0], "applied", st)
                self.assertEqual(peer.sql("SELECT count(*) FROM ex_log WHERE kind = 6 AND "
                                          "msg_id = ?", m)[0][0], 1)
        time.sleep(2.5)  # a heartbeat each way
        for n in (self.id, self.kh):
            v = n.verify()
            self.assertEqual(v.returncode, 0, v.stderr)
            self.assertIn("all verify", v.stdout)
            self.assertTrue(all(s["state"] in ("delivered", "rejected", "expired")
                                for s in n.status() if s["direction"] == "out"))
            self.assertTrue(all(s["state"] in ("applied", "rejected")
                                for s in n.status() if s["direction"] == "in"))

    def test_10_tls_identity_pinned(self):
        """keygen's TLS identity: the partner's node is reached over HTTPS and
        trusted by its pin; with a wrong pin nothing is sent."""
        with open(os.path.join(self.id.keys, "tls.pin")) as f:
            pin = f.read().strip()
        self.assertTrue(pin.startswith("sha256//"))
        self.assertEqual(oct(os.stat(os.path.join(self.id.keys, "tls.key")).st_mode & 0o777),
                         "0o600")
        self.id.srv.stop()
        self.id.start(tls=True)
        https = "https://127.0.0.1:%d" % self.id.port
        try:
            wrong = "sha256//" + "A" * 43 + "="
            self.add_peer(self.kh, self.id, url=https, pin=wrong)
            time.sleep(1.5)
            mid = self.send(self.kh, self.id, "stats", {"period_from": "2026-04",
                                                        "period_to": "2026-04",
                                                        "measure": "pinned", "cells": []})
            time.sleep(3)
            self.assertEqual(self.out_state(self.kh, mid)[0], "queued")
            self.assertIsNone(self.in_state(self.id, mid))
            self.add_peer(self.kh, self.id, url=https, pin=pin)
            wait_for(lambda: self.out_state(self.kh, mid)[0] == "delivered",
                     what="delivery over pinned TLS")
        finally:
            self.id.srv.stop()
            self.id.start(tls=False)
            self.add_peer(self.kh, self.id)
            time.sleep(1.5)

    def test_9_verify_names_a_tampered_entry(self):
        wait_for(lambda: self.kh.sql("SELECT count(*) FROM ex_log")[0][0] > 3, what="log")
        self.assertEqual(self.kh.verify().returncode, 0)
        copy = os.path.join(self.kh.dir, "copy.db")
        c = sqlite3.connect(self.kh.db)
        c.execute("VACUUM INTO ?", (copy,))
        c.close()
        c = sqlite3.connect(copy)
        c.execute("UPDATE ex_log SET detail = 'edited' WHERE idx = 2")
        c.commit()
        c.close()
        p = run("exchange", "verify", "--db", copy)
        self.assertEqual(p.returncode, 1)
        self.assertIn("entry 2", p.stderr)


if __name__ == "__main__":
    unittest.main()
