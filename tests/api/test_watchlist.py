"""Watchlists through the real server and command line: an entry added over
HTTP is matched by the very next request, expired and deleted entries are
not, imports are all-or-nothing and idempotent, and errors name the field."""
import json
import os
import sqlite3
import tempfile
import time
import unittest

import harness
from harness import Server, run

PW = "watchlist-password-1"


def start_with_users(cls):
    """A server for the test class, with an analyst and a CGK officer."""
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


class Watchlist(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        start_with_users(cls)

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
        st, _, _ = self.srv.request("DELETE", "/api/v1/watchlist/entries/%s?by=entry_id" % eid,
                                    token=self.officer)
        self.assertEqual(st, 403)
        st, _, got = self.srv.request("GET", "/api/v1/watchlist/entries/%s?by=entry_id" % eid,
                                      token=self.analyst)
        self.assertEqual((st, got["name"]), (200, "Joko Santoso Wibisono"))
        st, _, found = self.srv.request("GET", "/api/v1/watchlist/entries?q=wibisono",
                                        token=self.analyst)
        self.assertIn(eid, [e["entry_id"] for e in found["entries"]])
        st, _, _ = self.srv.request("DELETE", "/api/v1/watchlist/entries/%s?by=entry_id" % eid,
                                    token=self.analyst)
        self.assertEqual(st, 200)
        self.assertEqual(self.match("Djoko Santoso Wibisono", birth_date="1979"), [])
        st, _, _ = self.srv.request("GET", "/api/v1/watchlist/entries/%s?by=entry_id" % eid,
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
        st, _, out = self.srv.request("PATCH", "/api/v1/watchlist/entries/%s?by=entry_id" % eid,
                                      {"action": "refuse_departure", "valid_until": "2021-01-01"},
                                      token=self.analyst)
        self.assertEqual(st, 200, out)
        self.assertEqual(out["action"], "refuse_departure")
        self.assertEqual(self.match("Nyoman Adiputra Wirawan"), [])
        st, _, out = self.srv.request("PATCH", "/api/v1/watchlist/entries/%s?by=entry_id" % eid,
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
        # ... and a name that shares no word, spelling or sound with any
        # listed name still gets the best three, scored (0 here), not none.
        p = run("match", "--db", db, "--threshold", "0", "--limit", "3",
                input='{"id":"q","name":"Zzyzx Qwerty"}\n')
        self.assertEqual(p.returncode, 0, p.stderr)
        ms = json.loads(p.stdout)["matches"]
        self.assertEqual(len(ms), 3)
        self.assertEqual(len({m["entry_id"] for m in ms}), 3)
        self.assertEqual([m["score"] for m in ms], sorted((m["score"] for m in ms), reverse=True))
        self.assertTrue(all(m["reasons"] for m in ms))
        self.assertEqual(run("audit", "verify", "--db", db).returncode, 0)


class EntryIds(unittest.TestCase):
    """{id} in /watchlist/entries/{id} is the source id; a second POST with
    an id the list already has is a conflict; errors name the right field
    and problem; countries are three-letter codes."""

    @classmethod
    def setUpClass(cls):
        cls.srv = Server()
        admin = cls.srv.admin()
        st, _, out = cls.srv.request("POST", "/api/v1/users",
                                     {"username": "ana", "role": "analyst", "password": PW},
                                     token=admin)
        assert st == 201, out
        cls.tok = cls.srv.login("ana", PW)

    @classmethod
    def tearDownClass(cls):
        cls.srv.cleanup()

    def req(self, method, path, body=None):
        return self.srv.request(method, "/api/v1/watchlist/entries" + path, body, token=self.tok)

    def post(self, body):
        st, _, out = self.req("POST", "", body)
        self.assertEqual(st, 201, out)
        return out

    def test_source_id_addresses_the_entry(self):
        a = self.post({"id": "S-1", "kind": "person", "name": "Wayan Sudirga Putra"})
        st, _, out = self.req("GET", "/S-1")
        self.assertEqual((st, out.get("id"), out.get("entry_id")), (200, "S-1", a["entry_id"]))
        st, _, out = self.req("PATCH", "/S-1", {"category": "wanted"})
        self.assertEqual((st, out.get("category")), (200, "wanted"), out)
        st, _, out = self.req("GET", "/S-404")
        self.assertEqual(st, 404, out)
        self.assertIn("S-404", out["detail"])
        # The same source id in a second list: ambiguous without ?list=.
        b = self.post({"id": "S-1", "list": "other", "kind": "person", "name": "Made Arsana"})
        for method in ("GET", "DELETE"):
            st, _, out = self.req(method, "/S-1")
            self.assertEqual(st, 409, out)
            self.assertIn("local", out["detail"])
            self.assertIn("other", out["detail"])
        st, _, out = self.req("GET", "/S-1?list=other")
        self.assertEqual((st, out.get("entry_id")), (200, b["entry_id"]), out)
        st, _, out = self.req("GET", "/S-1?list=nolist")
        self.assertEqual(st, 404, out)
        st, _, out = self.req("DELETE", "/S-1?list=other")
        self.assertEqual(st, 200, out)
        st, _, out = self.req("GET", "/S-1")
        self.assertEqual((st, out.get("entry_id")), (200, a["entry_id"]), out)

    def test_entry_id_only_with_by(self):
        """{id} is the entry's id; the store's entry_id only with ?by=entry_id,
        so a number never reaches another entry than the one meant (a DELETE
        retried after the entry is gone finds nothing)."""
        a = self.post({"id": "N-a", "kind": "person", "name": "Komang Darma Yasa"})
        eid = a["entry_id"]
        st, _, out = self.req("GET", "/%s?by=entry_id" % eid)
        self.assertEqual((st, out.get("id")), (200, "N-a"), out)
        st, _, out = self.req("GET", "/" + eid)
        self.assertEqual(st, 404, out)  # no entry has the source id eid
        # Another entry whose source id is a's entry_id.
        b = self.post({"id": eid, "kind": "person", "name": "Gede Wirawan Santika"})
        st, _, out = self.req("GET", "/" + eid)
        self.assertEqual((st, out.get("entry_id")), (200, b["entry_id"]), out)
        st, _, out = self.req("DELETE", "/%s?by=entry_id" % eid)
        self.assertEqual(st, 200, out)
        st, _, out = self.req("DELETE", "/%s?by=entry_id" % eid)
        self.assertEqual(st, 404, out)  # the retry does not reach b
        st, _, out = self.req("GET", "/" + eid)
        self.assertEqual((st, out.get("entry_id")), (200, b["entry_id"]), out)
        st, _, out = self.req("GET", "/%s?list=local" % eid)
        self.assertEqual((st, out.get("entry_id")), (200, b["entry_id"]), out)
        st, _, out = self.req("GET", "/%s?by=id" % eid)
        self.assertEqual((st, out.get("entry_id")), (200, b["entry_id"]), out)
        st, _, out = self.req("GET", "/%s?by=bogus" % eid)
        self.assertEqual(st, 400, out)
        self.assertIn("'by'", out["detail"])

    def test_second_post_with_same_id_is_conflict(self):
        full = {"id": "D-1", "kind": "person", "name": "Ketut Arya Wibawa",
                "aliases": ["Pak Ketut"], "birth_date": "1970-01-02", "nationality": "IDN",
                "category": "trafficker", "action": "refuse_departure"}
        first = self.post(full)
        st, _, out = self.req("POST", "", {"id": "D-1", "kind": "person", "name": "Other Name"})
        self.assertEqual(st, 409, out)
        self.assertIn("'D-1'", out["detail"])
        self.assertIn(first["entry_id"], out["detail"])
        self.assertIn("PATCH", out["detail"])
        st, _, out = self.req("GET", "/D-1")
        self.assertEqual(st, 200, out)
        for k in ("name", "aliases", "birth_date", "nationality", "category", "action"):
            self.assertEqual(out.get(k), first.get(k), k)
        # Another list may use the same source id.
        self.post({"id": "D-1", "list": "second", "kind": "person", "name": "Other Name"})

    def test_errors_name_field_and_problem(self):
        base = {"kind": "person", "name": "Nama Orang"}
        for i, nat in enumerate(("ZZZ", "zzz", ["ZZZ"])):
            st, _, out = self.req("POST", "", dict(base, id="E-%d" % i, nationality=nat))
            self.assertEqual(st, 400, out)
            self.assertIn("field 'nationality': unknown country code", out["detail"])
        st, _, out = self.req("POST", "", dict(base, id="E-9", foo=1))
        self.assertEqual(st, 400, out)
        self.assertIn("field 'foo': unknown field", out["detail"])
        st, _, out = self.req("POST", "", dict(base, id="E-8", notes=1))
        self.assertEqual(st, 400, out)
        self.assertIn("field 'notes': must be a string", out["detail"])

    def test_two_letter_country_refused(self):
        for nat in ("ID", "id", ["IDN", "ID"]):
            st, _, out = self.req("POST", "", {"id": "C-1", "kind": "person", "name": "Nama Dua",
                                               "nationality": nat})
            self.assertEqual(st, 400, out)
            self.assertIn("'nationality'", out["detail"])
            self.assertIn("three-letter code (IDN)", out["detail"])
        self.post({"id": "C-2", "kind": "person", "name": "Nama Tiga", "nationality": "idn"})
        st, _, out = self.req("GET", "/C-2")
        self.assertEqual(out["nationality"], ["IDN"])
        files = [{"name": "two.csv", "data": "id,kind,name,nationality\nC-3,person,Nama,id\n"}]
        st, _, out = self.srv.request("POST", "/api/v1/watchlist/imports",
                                      {"format": "csv", "files": files}, token=self.tok)
        self.assertEqual(st, 400, out)
        self.assertIn("two.csv:2: field 'nationality': 'id'", out["detail"])
        self.assertIn("(IDN)", out["detail"])


class ImportErrors(unittest.TestCase):
    """Two-letter countries in files, OFAC files known by name in any case
    or by content, no ":0:" locations, and unknown formats as usage errors."""

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp()
        cls.db = os.path.join(cls.dir, "w.db")
        run("init", "--db", cls.db, check=True)
        ofac = os.path.join(harness.SHARED, "data", "ofac_sdn_2021")
        with open(os.path.join(ofac, "sdn.csv"), encoding="latin-1") as f:
            cls.sdn = "".join(f.readlines()[:5])
        with open(os.path.join(ofac, "alt.csv"), encoding="latin-1") as f:
            cls.alt = "".join(f.readlines()[:5])

    def write(self, name, text):
        path = os.path.join(self.dir, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def imp(self, fmt, *paths, lst=None):
        extra = ["--list", lst] if lst else []
        return run("watchlist", "import", "--db", self.db, "--format", fmt, *extra, *paths)

    def test_two_letter_countries_refused(self):
        csv = self.write("n.csv", "id,kind,name,nationality\nA,person,Nama Satu,IDN\n"
                                  "B,person,Nama Dua,id\n")
        p = self.imp("csv", csv)
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertIn("n.csv:3: field 'nationality': 'id': use the ICAO three-letter code (IDN)",
                      p.stderr)
        jl = self.write("n.jsonl", '{"id": "A", "name": "Nama Satu", "nationality": "ID"}\n')
        p = self.imp("jsonl", jl)
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertIn("n.jsonl:1: field 'nationality': 'ID'", p.stderr)
        self.assertIn("(IDN)", p.stderr)

    def test_ofac_files_by_name_any_case_or_content(self):
        for i, (sdn_name, alt_name) in enumerate((("SDN.CSV", "ALT.CSV"),
                                                  ("sdn3.csv", "aliases.csv"))):
            d = os.path.join(self.dir, "ofac%d" % i)
            os.mkdir(d)
            alt = self.write(os.path.join(d, alt_name), self.alt)
            sdn = self.write(os.path.join(d, sdn_name), self.sdn)
            p = self.imp("ofac", alt, sdn, lst="OFAC%d" % i)  # order does not matter
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertEqual(json.loads(p.stdout)["created"], 5)
        # A bad row is reported in the file's own name.
        bad = self.write("sdn_bad.CSV", self.sdn + "77,too,few\n")
        p = self.imp("ofac", bad)
        self.assertEqual(p.returncode, 1)
        self.assertIn("sdn_bad.CSV:6:", p.stderr)

    def test_ofac_errors_without_line_have_no_zero(self):
        alt = self.write("alt.csv", self.alt)
        p = self.imp("ofac", alt)
        self.assertEqual(p.returncode, 1)
        self.assertNotIn(":0:", p.stderr)
        self.assertIn("sdn.csv", p.stderr)
        self.assertNotIn("watchlist: :", p.stderr)
        other = self.write("notes.txt", "hello,world\n")
        p = self.imp("ofac", other)
        self.assertEqual(p.returncode, 1)
        self.assertNotIn(":0:", p.stderr)
        self.assertIn("notes.txt: not a file of the OFAC SDN CSV set", p.stderr)

    def test_unknown_format_is_usage_error(self):
        p = self.imp("xml", self.write("x.xml", "<a/>"))
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertNotIn(":0:", p.stderr)
        for f in ("csv", "jsonl", "ofac", "un"):
            self.assertIn(f, p.stderr)


class ChangesFromOtherProcesses(unittest.TestCase):
    """Entries written by another process on the same database (the import
    command, or a second server) reach a running server's very next
    screening, without a restart: the server catches up with the store's
    change log before it matches."""

    @classmethod
    def setUpClass(cls):
        start_with_users(cls)

    @classmethod
    def tearDownClass(cls):
        cls.srv.cleanup()

    def match(self, name, srv=None, **kw):
        st, _, out = (srv or self.srv).request("POST", "/api/v1/match", dict(name=name, **kw),
                                               token=self.officer)
        self.assertEqual(st, 200, out)
        return out["matches"]

    def cli_import(self, rows):
        path = os.path.join(self.srv.dir, "cli.csv")
        with open(path, "w") as f:
            f.write("id,kind,name,birth_date,nationality,category,action,valid_until\n")
            f.write("".join(",".join(r) + "\n" for r in rows))
        p = run("watchlist", "import", "--db", self.srv.db, "--format", "csv", "--list", "cli",
                path)
        self.assertEqual(p.returncode, 0, p.stderr)
        return json.loads(p.stdout)

    def test_cli_import_seen_by_next_match_and_departure(self):
        victim = "Ni Luh Putu Sekarwangi"
        born = dict(birth_date="2001-04-09", nationality="IDN")
        self.assertEqual(self.match(victim, **born), [])
        self.assertEqual(self.cli_import([("CLI-1", "person", victim, "2001-04-09", "IDN",
                                           "protected_victim", "protect", "")]),
                         {"created": 1, "updated": 0})
        ms = self.match(victim, **born)
        self.assertEqual([(m["list"], m["action"]) for m in ms], [("cli", "protect")], ms)
        eid = ms[0]["entry_id"]
        st, _, out = self.srv.request(
            "POST", "/api/v1/departures",
            {"traveller": {"surname": "SEKARWANGI", "given_names": "NI LUH PUTU",
                           "birth_date": "2001-04-09", "nationality": "IDN"},
             "trip": {"destination": "MYS", "purpose": "tourism", "return_ticket": False}},
            token=self.officer)
        self.assertEqual(st, 201, out)
        self.assertEqual(out["recommendation"], "protect", out)
        # Re-imported under another name: the old name goes, the new one comes.
        other = "Komang Ayu Pradnyani"
        self.assertEqual(self.cli_import([("CLI-1", "person", other, "2001-04-09", "IDN",
                                           "protected_victim", "protect", "")]),
                         {"created": 0, "updated": 1})
        self.assertEqual(self.match(victim, **born), [])
        self.assertEqual([m["entry_id"] for m in self.match(other, **born)], [eid])
        # Re-imported as expired: no longer matched.
        self.cli_import([("CLI-1", "person", other, "2001-04-09", "IDN", "protected_victim",
                          "protect", "2020-01-01")])
        self.assertEqual(self.match(other, **born), [])

    def test_second_server_sees_writes_and_deletes(self):
        name = "Gusti Ngurah Wiratama"
        st, _, out = self.srv.request("POST", "/api/v1/watchlist/entries",
                                      {"id": "TWO-1", "kind": "person", "name": name,
                                       "category": "trafficker", "action": "refuse_departure"},
                                      token=self.analyst)
        self.assertEqual(st, 201, out)
        eid = out["entry_id"]
        two = Server(db=self.srv.db, workdir=self.srv.dir)
        try:
            self.assertEqual([m["entry_id"] for m in self.match(name, two)], [eid])
            # Changed and deleted through the first server: the second follows.
            st, _, out = self.srv.request("PATCH", "/api/v1/watchlist/entries/%s?by=entry_id" % eid,
                                          {"name": "Gusti Ngurah Wiratmaja Putra"},
                                          token=self.analyst)
            self.assertEqual(st, 200, out)
            self.assertEqual(self.match(name, two), [])
            self.assertEqual(len(self.match("Gusti Ngurah Wiratmaja Putra", two)), 1)
            st, _, out = self.srv.request("DELETE", "/api/v1/watchlist/entries/%s?by=entry_id" % eid,
                                          token=self.analyst)
            self.assertEqual(st, 200, out)
            self.assertEqual(self.match("Gusti Ngurah Wiratmaja Putra", two), [])
            # And the first follows what the second writes.
            st, _, out = two.request("POST", "/api/v1/watchlist/entries",
                                     {"id": "TWO-2", "kind": "person", "name": name},
                                     token=self.analyst)
            self.assertEqual(st, 201, out)
            self.assertEqual([m["entry_id"] for m in self.match(name)], [out["entry_id"]])
        finally:
            two.stop()

    def test_change_log_is_written_and_pruned(self):
        con = sqlite3.connect(self.srv.db)
        try:
            before = con.execute("SELECT COUNT(*), MAX(seq) FROM watchlist_changes").fetchone()
            self.cli_import([("LOG-1", "person", "Made Sukadana Arta", "", "", "other",
                              "notify_focal_point", ""),
                             ("LOG-2", "person", "Wayan Sukadana Arta", "", "", "other",
                              "notify_focal_point", "")])
            after = con.execute("SELECT COUNT(*), MAX(seq) FROM watchlist_changes").fetchone()
            self.assertEqual(after[1], (before[1] or 0) + 2)
            # Changes older than seven days go with the next import, but never
            # the newest (seq must not start again).
            with con:
                con.execute("UPDATE watchlist_changes SET at = 0")
            self.cli_import([("LOG-1", "person", "Made Sukadana Arta", "", "", "other",
                              "secondary_inspection", "")])
            rows = con.execute("SELECT seq FROM watchlist_changes").fetchall()
            self.assertEqual(rows, [(after[1] + 1,)])
            self.assertEqual(self.match("Made Sukadana Arta")[0]["action"],
                             "secondary_inspection")
        finally:
            con.close()

    def test_pruned_changes_reload_the_index(self):
        # A server that has not caught up before the changes it lacks were
        # pruned reloads every entry, and drops those no longer stored.
        srv = Server()
        try:
            st, _, out = srv.request("POST", "/api/v1/users",
                                     {"username": "ana", "role": "analyst", "password": PW},
                                     token=srv.admin())
            self.assertEqual(st, 201, out)
            token = srv.login("ana", PW)
            st, _, out = srv.request("POST", "/api/v1/watchlist/entries",
                                     {"id": "GONE", "kind": "person",
                                      "name": "Ketut Widnyana Suparta"}, token=token)
            self.assertEqual(st, 201, out)
            con = sqlite3.connect(srv.db)
            with con:  # deleted; the change that says so is pruned below
                con.execute("DELETE FROM watchlist_entries WHERE source_id = 'GONE'")
            path = os.path.join(srv.dir, "p.csv")
            for sid, name in (("P-1", "Nyoman Sudarsana Yasa"), ("P-2", "Kadek Wirya Santika")):
                with open(path, "w") as f:
                    f.write("id,kind,name\n%s,person,%s\n" % (sid, name))
                run("watchlist", "import", "--db", srv.db, "--format", "csv", path, check=True)
                with con:
                    con.execute("UPDATE watchlist_changes SET at = 0")
            con.close()

            def names(name):
                st, _, out = srv.request("POST", "/api/v1/match", {"name": name}, token=token)
                self.assertEqual(st, 200, out)
                return [m["name"] for m in out["matches"]]
            self.assertEqual(names("Nyoman Sudarsana Yasa"), ["Nyoman Sudarsana Yasa"])
            self.assertEqual(names("Kadek Wirya Santika"), ["Kadek Wirya Santika"])
            self.assertEqual(names("Ketut Widnyana Suparta"), [])
        finally:
            srv.cleanup()


class Documents(unittest.TestCase):
    """Documents with their type and issuing country: created, read back,
    changed with PATCH, imported from the CSV "documents" column and from
    the UN and OFAC lists, and named by a match on their number."""

    @classmethod
    def setUpClass(cls):
        start_with_users(cls)

    @classmethod
    def tearDownClass(cls):
        cls.srv.cleanup()

    def req(self, method, path, body=None):
        return self.srv.request(method, "/api/v1/watchlist/entries" + path, body,
                                token=self.analyst)

    def imp(self, name, data, lst="docs"):
        return self.srv.request("POST", "/api/v1/watchlist/imports",
                                {"format": "csv", "list": lst,
                                 "files": [{"name": name, "data": data}]}, token=self.analyst)

    def test_create_read_patch(self):
        entry = {"id": "DOC-1", "kind": "person", "name": "Wayan Sukerta Adnyana",
                 "document_numbers": ["B1234567", "X99"],
                 "documents": [{"number": "B1234567", "type": "Passport", "issuer": "idn"},
                               {"number": "3273010101900001", "type": "National ID No."},
                               {"number": "C7654321", "issuer": "MYS", "type": None}]}
        st, _, out = self.req("POST", "", entry)
        self.assertEqual(st, 201, out)
        want_docs = [{"number": "B1234567", "type": "Passport", "issuer": "IDN"},
                     {"number": "X99"},
                     {"number": "3273010101900001", "type": "National ID No."},
                     {"number": "C7654321", "issuer": "MYS"}]
        for got in (out, self.req("GET", "/DOC-1")[2]):
            self.assertEqual(got["document_numbers"],
                             ["B1234567", "X99", "3273010101900001", "C7654321"])
            self.assertEqual(got["documents"], want_docs)
        # A match on a listed number names the document.
        st, _, res = self.srv.request("POST", "/api/v1/match",
                                      {"name": "Nobody Atall", "document_number": "b 1234567"},
                                      token=self.officer)
        self.assertEqual(st, 200, res)
        m = [m for m in res["matches"] if m["entry_id"] == out["entry_id"]]
        self.assertEqual(len(m), 1, res)
        self.assertEqual(m[0]["document"],
                         {"number": "B1234567", "type": "Passport", "issuer": "IDN"})
        self.assertIn("document B1234567: Passport issued by IDN", m[0]["reasons"])
        # document_numbers alone: the details of the numbers kept stay.
        st, _, out = self.req("PATCH", "/DOC-1", {"document_numbers": ["B1234567", "Z1"]})
        self.assertEqual(st, 200, out)
        self.assertEqual(out["document_numbers"], ["B1234567", "Z1"])
        self.assertEqual(out["documents"],
                         [{"number": "B1234567", "type": "Passport", "issuer": "IDN"},
                          {"number": "Z1"}])
        # documents alone replace the list.
        st, _, out = self.req("PATCH", "/DOC-1",
                              {"documents": [{"number": "P777", "type": "P", "issuer": "PHL"}]})
        self.assertEqual(st, 200, out)
        self.assertEqual(out["document_numbers"], ["P777"])
        self.assertEqual(out["documents"], [{"number": "P777", "type": "P", "issuer": "PHL"}])
        ms = self.srv.request("POST", "/api/v1/match",
                              {"name": "Nobody Atall", "document_number": "B1234567"},
                              token=self.officer)[2]["matches"]
        self.assertNotIn(out["entry_id"], [m["entry_id"] for m in ms])
        # null documents: the numbers stay, without their details.
        st, _, out = self.req("PATCH", "/DOC-1", {"documents": None})
        self.assertEqual(st, 200, out)
        self.assertEqual(out["document_numbers"], ["P777"])
        self.assertNotIn("documents", out)
        st, _, out = self.req("PATCH", "/DOC-1", {"documents": "Passport:IDN:P777|::Q1"})
        self.assertEqual(st, 200, out)
        self.assertEqual(out["documents"], [{"number": "P777", "type": "Passport",
                                             "issuer": "IDN"}, {"number": "Q1"}])

    def test_bad_documents_name_the_field(self):
        for docs, want in (([{"number": "B1", "issuer": "ZZZ"}], "unknown country code 'ZZZ'"),
                           ([{"number": "B1", "issuer": "ID"}], "(IDN)"),
                           ([{"type": "Passport"}], "without its number"),
                           ([{"number": "B1", "colour": "red"}], "unknown key 'colour'"),
                           ("B1234567", "expected TYPE:ISSUER:NUMBER"),
                           (7, "must be a string")):
            st, _, out = self.req("POST", "", {"id": "BAD-D", "kind": "person",
                                               "name": "Nama Orang", "documents": docs})
            self.assertEqual(st, 400, (docs, out))
            self.assertIn("field 'documents'", out["detail"])
            self.assertIn(want, out["detail"])
        st, _, out = self.req("GET", "/BAD-D")
        self.assertEqual(st, 404, out)

    def test_csv_import_with_documents(self):
        good = ("id,kind,name,document_numbers,documents\n"
                "CSV-D1,person,Made Sudiarta Yasa,B1234567,passport:IDN:B1234567|::K-42\n"
                "CSV-D2,document,,,Passport:PHL:P0001\n")
        st, _, out = self.imp("d.csv", good)
        self.assertEqual((st, out), (201, {"created": 2, "updated": 0}), out)
        st, _, got = self.req("GET", "/CSV-D1?list=docs")
        self.assertEqual(st, 200, got)
        self.assertEqual(got["document_numbers"], ["B1234567", "K-42"])
        self.assertEqual(got["documents"], [{"number": "B1234567", "type": "passport",
                                             "issuer": "IDN"}, {"number": "K-42"}])
        st, _, got = self.req("GET", "/CSV-D2?list=docs")
        self.assertEqual((got["kind"], got["document_numbers"]), ("document", ["P0001"]), got)
        # Re-imported: updated in place, with the file's details.
        again = good.replace("passport:IDN:B1234567", "National ID:MYS:B1234567")
        st, _, out = self.imp("d.csv", again)
        self.assertEqual((st, out), (201, {"created": 0, "updated": 2}), out)
        st, _, got = self.req("GET", "/CSV-D1?list=docs")
        self.assertEqual(got["documents"][0], {"number": "B1234567", "type": "National ID",
                                               "issuer": "MYS"})
        # A bad item rejects the file, naming file, line and field.
        bad = again + "CSV-D3,person,Kadek Arimbawa,,passport:IDN\n"
        st, _, out = self.imp("bad.csv", bad)
        self.assertEqual(st, 400, out)
        self.assertIn("bad.csv:4: field 'documents'", out["detail"])
        self.assertEqual(self.req("GET", "/CSV-D3?list=docs")[0], 404)
        # An unknown column stays an error.
        st, _, out = self.imp("u.csv", "id,name,document\nU1,Nama,::B1\n")
        self.assertEqual(st, 400, out)
        self.assertIn("u.csv:1: field 'document': unknown column", out["detail"])

    def test_un_and_ofac_keep_type_and_issuer(self):
        data = os.path.join(harness.SHARED, "data")
        un = os.path.join(data, "un_sc_consolidated", "UN_consolidated_2026-02-27.xml")
        ofac = [os.path.join(data, "ofac_sdn_2021", f) for f in ("sdn.csv", "alt.csv")]
        for fmt, files in (("un", [un]), ("ofac", ofac)):
            p = run("watchlist", "import", "--db", self.srv.db, "--format", fmt, *files)
            self.assertEqual(p.returncode, 0, p.stderr)
        st, _, got = self.req("GET", "/CDi.021?list=UN")
        self.assertEqual(st, 200, got)
        self.assertEqual(got["document_numbers"], ["OB 0243318"])
        self.assertEqual(got["documents"],
                         [{"number": "OB 0243318", "type": "Passport", "issuer": "COD"}])
        st, _, got = self.req("GET", "/10000?list=OFAC")
        self.assertEqual(st, 200, got)
        self.assertEqual(got["documents"],
                         [{"number": "16217170", "type": "Cedula No.", "issuer": "COL"},
                          {"number": "16455750", "type": "Cedula No.", "issuer": "COL"},
                          {"number": "AF133955", "type": "Passport", "issuer": "COL"},
                          {"number": "AC877214", "type": "Passport", "issuer": "COL"}])
        self.assertEqual(got["document_numbers"], [d["number"] for d in got["documents"]])
        st, _, res = self.srv.request("POST", "/api/v1/match",
                                      {"name": "Jhon Eidelber Cano Correa",
                                       "document_number": "AF133955"}, token=self.officer)
        self.assertEqual(st, 200, res)
        self.assertEqual(res["matches"][0]["document"],
                         {"number": "AF133955", "type": "Passport", "issuer": "COL"})


class StartFromStore(unittest.TestCase):
    """At start the index is built from the store, the rows read on one
    thread and put into the index on another, through a ring (here of one
    entry, so that each waits on the other): a list of 5,003 entries is
    whole after a restart, its first, middle and last entries found, and
    the server answers /match as lintas match does over the same
    database."""

    def test_restart_indexes_every_stored_entry(self):
        # a ring of one entry: the reader and the putter wait on each other
        harness.ENV["LINTAS_TEST_LOAD_RING"] = "1"
        self.addCleanup(harness.ENV.pop, "LINTAS_TEST_LOAD_RING", None)
        srv = Server()
        self.addCleanup(srv.cleanup)
        given = ["Agus", "Budi", "Citra", "Dewi", "Eko", "Fajar", "Gita", "Hadi", "Indah"]
        family = ["Santoso", "Wijaya", "Pratama", "Saputra", "Lestari", "Kusuma", "Hidayat"]
        rows = ["id,name,birth_date,nationality"]
        n = 5000
        for i in range(n):
            rows.append("S%d,%s %s %s,19%02d-01-01,IDN" % (
                i, given[i % 9], given[(i // 9) % 9], family[(i // 81) % 7], i % 100))
        known = {0: "Xavierus Tumbelaka", 2600: "Yohanes Rumbiak", n + 2: "Zakarias Wambrauw"}
        for i, name in known.items():
            rows.append("K%d,%s,1970-05-05,IDN" % (i, name))
        path = os.path.join(srv.dir, "many.csv")
        with open(path, "w") as f:
            f.write("\n".join(rows) + "\n")
        srv.stop()
        run("watchlist", "import", "--db", srv.db, "--format", "csv", path, check=True)
        srv.start()
        want = "watchlist index: %d entries" % (n + len(known))
        for _ in range(100):  # logged just after the server says it serves
            if want in open(srv.stderr_path).read():
                break
            time.sleep(0.1)
        self.assertIn(want, open(srv.stderr_path).read())
        st, _, out = srv.request("POST", "/api/v1/users",
                                 {"username": "ana", "role": "analyst", "password": PW},
                                 token=srv.admin())
        self.assertEqual(st, 201, out)
        tok = srv.login("ana", PW)
        queries = [{"id": "k%d" % i, "name": name, "birth_date": "1970"}
                   for i, name in known.items()]
        queries.append({"id": "common", "name": "Budi Agus Santoso", "nationality": "IDN",
                        "birth_date": "1910-01-01"})
        cli = run("match", "--db", srv.db, input="".join(json.dumps(q) + "\n" for q in queries),
                  check=True).stdout.splitlines()
        for q, line in zip(queries, cli):
            st, _, out = srv.request("POST", "/api/v1/match", q, token=tok)
            self.assertEqual(st, 200, out)
            self.assertTrue(out["matches"], out)
            self.assertEqual(out["matches"][0]["score"], 100 if q["id"] != "common" else
                             out["matches"][0]["score"])
            self.assertEqual(out, json.loads(line))
        names = {m["name"] for m in srv.request("POST", "/api/v1/match", queries[1],
                                                 token=tok)[2]["matches"]}
        self.assertIn("Yohanes Rumbiak", names)

    def test_body_on_several_lines_still_loads(self):
        """Stored bodies are read as the one-line JSON the store writes; a
        body written another way (here pretty-printed, as a hand repair or
        another tool might leave it) is read as before, and one that is no
        entry stops the start with the entry named."""
        srv = Server()
        self.addCleanup(srv.cleanup)
        path = os.path.join(srv.dir, "two.csv")
        with open(path, "w") as f:
            f.write("id,name,birth_date\nP1,Yohanes Rumbiak,1970-05-05\nP2,Xavierus Tumbelaka,1971\n")
        srv.stop()
        run("watchlist", "import", "--db", srv.db, "--format", "csv", path, check=True)
        con = sqlite3.connect(srv.db)
        body = con.execute("SELECT body FROM watchlist_entries WHERE source_id = 'P1'").fetchone()[0]
        self.assertNotIn("\n", body)
        con.execute("UPDATE watchlist_entries SET body = ? WHERE source_id = 'P1'",
                    (json.dumps(json.loads(body), indent=2),))
        con.commit()
        out = run("match", "--db", srv.db, input='{"id":"q","name":"Yohanes Rumbiak"}\n',
                  check=True).stdout
        self.assertEqual(json.loads(out)["matches"][0]["score"], 100)
        con.execute("UPDATE watchlist_entries SET body = '{\"name\": 5}' WHERE source_id = 'P2'")
        con.commit()
        con.close()
        p = run("match", "--db", srv.db, input='{"id":"q","name":"Yohanes Rumbiak"}\n')
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("no longer parses", p.stderr)


if __name__ == "__main__":
    unittest.main()
