"""Watchlists through the real server and command line: an entry added over
HTTP is matched by the very next request, expired and deleted entries are
not, imports are all-or-nothing and idempotent, and errors name the field."""
import json
import os
import sqlite3
import tempfile
import unittest

import harness
from harness import Server, run

PW = "watchlist-password-1"


class Watchlist(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = Server()
        admin = cls.srv.admin()
        for name, role, office in (("ana", "analyst", None), ("cp", "checkpoint_officer", "CGK")):
            body = {"username": name, "role": role, "password": PW}
            if office:
                body["office"] = office
            st, _, out = cls.srv.request("POST", "/api/v1/users", body, token=admin)
            assert st == 201, out
        cls.analyst = cls.srv.login("ana", PW)
        cls.officer = cls.srv.login("cp", PW)

    @classmethod
    def tearDownClass(cls):
        cls.srv.cleanup()

    def match(self, name, **kw):
        body = dict(name=name, **kw)
        st, _, out = self.srv.request("POST", "/api/v1/match", body, token=self.officer)
        self.assertEqual(st, 200, out)
        return out["matches"]

    def test_added_entry_is_matched_next_then_deleted(self):
        self.assertEqual(self.match("Djoko Santoso Wibisono", birth_date="1979"), [])
        entry = {"id": "T-1", "kind": "person", "name": "Joko Santoso Wibisono",
                 "aliases": ["Pak Joko"], "birth_date": "1979-03-02", "nationality": "IDN",
                 "category": "recruiter", "action": "secondary_inspection"}
        st, _, out = self.srv.request("POST", "/api/v1/watchlist/entries", entry,
                                      token=self.analyst)
        self.assertEqual(st, 201, out)
        eid = out["entry_id"]
        self.assertEqual(out["id"], "T-1")
        ms = self.match("Djoko Santoso Wibisono", birth_date="1979")
        self.assertEqual([m["entry_id"] for m in ms], [eid])
        self.assertEqual(ms[0]["category"], "recruiter")
        self.assertTrue(any("dj/j" in r or "old spelling" in r for r in ms[0]["reasons"]), ms)
        # Officers may match but not edit.
        st, _, _ = self.srv.request("DELETE", "/api/v1/watchlist/entries/" + eid,
                                    token=self.officer)
        self.assertEqual(st, 403)
        st, _, got = self.srv.request("GET", "/api/v1/watchlist/entries/" + eid,
                                      token=self.analyst)
        self.assertEqual((st, got["name"]), (200, "Joko Santoso Wibisono"))
        st, _, found = self.srv.request("GET", "/api/v1/watchlist/entries?q=wibisono",
                                        token=self.analyst)
        self.assertIn(eid, [e["entry_id"] for e in found["entries"]])
        st, _, _ = self.srv.request("DELETE", "/api/v1/watchlist/entries/" + eid,
                                    token=self.analyst)
        self.assertEqual(st, 200)
        self.assertEqual(self.match("Djoko Santoso Wibisono", birth_date="1979"), [])
        st, _, _ = self.srv.request("GET", "/api/v1/watchlist/entries/" + eid,
                                    token=self.analyst)
        self.assertEqual(st, 404)

    def test_expired_entry_is_not_matched(self):
        for sid, until in (("T-old", "2020-01-01"), ("T-new", "2099-01-01")):
            entry = {"id": sid, "kind": "person", "name": "Ketut Suryawan Pradipta " + sid[-3:],
                     "valid_until": until, "category": "trafficker",
                     "action": "refuse_departure"}
            st, _, out = self.srv.request("POST", "/api/v1/watchlist/entries", entry,
                                          token=self.analyst)
            self.assertEqual(st, 201, out)
        names = [m["name"] for m in self.match("Ketut Suryawan Pradipta", threshold=0)]
        self.assertIn("Ketut Suryawan Pradipta new", names)
        self.assertNotIn("Ketut Suryawan Pradipta old", names)

    def test_patch_takes_effect(self):
        entry = {"id": "T-2", "kind": "person", "name": "Nyoman Adiputra Wirawan",
                 "category": "facilitator", "action": "notify_focal_point"}
        st, _, out = self.srv.request("POST", "/api/v1/watchlist/entries", entry,
                                      token=self.analyst)
        eid = out["entry_id"]
        st, _, out = self.srv.request("PATCH", "/api/v1/watchlist/entries/" + eid,
                                      {"action": "refuse_departure", "valid_until": "2021-01-01"},
                                      token=self.analyst)
        self.assertEqual(st, 200, out)
        self.assertEqual(out["action"], "refuse_departure")
        self.assertEqual(self.match("Nyoman Adiputra Wirawan"), [])
        st, _, out = self.srv.request("PATCH", "/api/v1/watchlist/entries/" + eid,
                                      {"valid_until": None}, token=self.analyst)
        self.assertEqual(st, 200, out)
        ms = self.match("Nyoman Adiputra Wirawan")
        self.assertEqual(ms[0]["action"], "refuse_departure")

    def test_bad_entries_name_the_field(self):
        for body, field in (({"kind": "person", "name": "X Y"}, "id"),
                            ({"id": "b1", "kind": "alien", "name": "X Y"}, "kind"),
                            ({"id": "b2", "kind": "person", "name": "X Y", "category": "bad"},
                             "category"),
                            ({"id": "b3", "kind": "person", "name": "X Y",
                              "birth_date": "1990-13-45"}, "birth_date"),
                            ({"id": "b4", "kind": "person", "name": "X Y", "colour": "red"},
                             "colour")):
            st, _, out = self.srv.request("POST", "/api/v1/watchlist/entries", body,
                                          token=self.analyst)
            self.assertEqual(st, 400, (body, out))
            self.assertIn("'%s'" % field, out["detail"])

    def test_bad_import_changes_nothing(self):
        good = "id,kind,name,category,action\nI-1,person,Siti Rahayu Lestari,recruiter,secondary_inspection\n"
        bad = good + "I-2,person,Budi Hartono Saputra,recruiter,shoot_on_sight\n"
        st, _, out = self.srv.request("POST", "/api/v1/watchlist/imports",
                                      {"format": "csv", "list": "imp",
                                       "files": [{"name": "bad.csv", "data": bad}]},
                                      token=self.analyst)
        self.assertEqual(st, 400, out)
        self.assertIn("bad.csv:3", out["detail"])
        self.assertIn("action", out["detail"])
        self.assertEqual(self.match("Siti Rahayu Lestari"), [])
        for _ in range(2):  # idempotent by source id
            st, _, out = self.srv.request("POST", "/api/v1/watchlist/imports",
                                          {"format": "csv", "list": "imp",
                                           "files": [{"name": "good.csv", "data": good}]},
                                          token=self.analyst)
            self.assertEqual(st, 201, out)
        self.assertEqual(out, {"created": 0, "updated": 1})
        self.assertEqual(len(self.match("Siti Rahayu Lestari")), 1)


class ImportCommand(unittest.TestCase):
    def test_cli_import_and_match(self):
        d = tempfile.mkdtemp()
        db = os.path.join(d, "w.db")
        run("init", "--db", db, check=True)
        un = os.path.join(harness.SHARED, "data", "un_sc_consolidated",
                          "UN_consolidated_2026-02-27.xml")
        p = run("watchlist", "import", "--db", db, "--format", "un", un)
        self.assertEqual(p.returncode, 0, p.stderr)
        created = json.loads(p.stdout)["created"]
        self.assertGreater(created, 900)
        p = run("watchlist", "import", "--db", db, "--format", "un", un)
        self.assertEqual(json.loads(p.stdout), {"created": 0, "updated": created})
        csv = os.path.join(d, "x.csv")
        with open(csv, "w") as f:
            f.write("id,kind,name,category,action\nA,person,Ok Name,other,protect\n"
                    "B,person,,other,protect\n")
        p = run("watchlist", "import", "--db", db, "--format", "csv", csv)
        self.assertEqual(p.returncode, 1)
        self.assertIn("x.csv:3", p.stderr)
        self.assertIn("name", p.stderr)
        con = sqlite3.connect(db)
        self.assertEqual(con.execute("SELECT COUNT(*) FROM watchlist_entries").fetchone()[0],
                         created)
        con.close()
        q = '{"id":"q1","name":"MOCHAMMAD ACHWAN"}\n{"id":"q2","name":"Zzyzx Qwerty"}\n'
        p = run("match", "--db", db, input=q)
        self.assertEqual(p.returncode, 0, p.stderr)
        out = [json.loads(l) for l in p.stdout.splitlines()]
        self.assertEqual([o["id"] for o in out], ["q1", "q2"])
        self.assertGreaterEqual(out[0]["matches"][0]["score"], 90)
        self.assertEqual(out[1]["matches"], [])
        # Threshold 0: the best candidates whatever their score (a common given
        # name with an unknown family name still finds some).
        p = run("match", "--db", db, "--threshold", "0", "--limit", "3",
                input='{"id":"q","name":"Abdul Qwertyuiop"}\n')
        self.assertEqual(len(json.loads(p.stdout)["matches"]), 3)
        self.assertEqual(run("audit", "verify", "--db", db).returncode, 0)


if __name__ == "__main__":
    unittest.main()
