"""Who sees and acts at which checkpoint: a supervisor placed at an office
(KANIM-BTM, the Batam office) sees the queue, the screenings and the
outcomes of every checkpoint of that office (BTH airport, the Batam Centre
ferry terminal) and of no other office's (CGK belongs to KANIM-SHT); screens
and takes manifests at one of them; checkpoint officers and supervisors
placed at a checkpoint keep to that checkpoint. Each screening records its
checkpoint's office, so statistics by office count offices, also after an
upgrade of a database made before checkpoints had offices."""
import datetime
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
import unittest

from harness import ADMIN_PW, ENV, LINTAS, Server, run

PW = "supervisor-scope-password-1"
DAY = datetime.date.today().isoformat()
BATAM = ("BTH", "SEA-BATAM-CENTRE")  # two checkpoints of KANIM-BTM


def traveller(surname):
    return {"traveller": {"surname": surname, "given_names": "SITI", "birth_date": "1985-03-04",
                          "nationality": "IDN"},
            "trip": {"destination": "SGP", "purpose": "family", "return_ticket": True}}


class SupervisorScope(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = Server()
        admin = cls.srv.admin()
        users = (("sup_btm", "supervisor", "KANIM-BTM"), ("sup_sht", "supervisor", "KANIM-SHT"),
                 ("sup_cgk", "supervisor", "CGK"), ("cp_bth", "checkpoint_officer", "BTH"),
                 ("cp_ferry", "checkpoint_officer", "SEA-BATAM-CENTRE"),
                 ("cp_cgk", "checkpoint_officer", "CGK"), ("ana", "analyst", None))
        cls.tok = {}
        for name, role, office in users:
            body = {"username": name, "role": role, "password": PW}
            if office:
                body["office"] = office
            st, _, out = cls.srv.request("POST", "/api/v1/users", body, token=admin)
            assert st == 201, out
            cls.tok[name] = cls.srv.login(name, PW)
        cls.at_bth = cls.screen_as("cp_bth", traveller("UDARA"))["id"]
        cls.at_ferry = cls.screen_as("cp_ferry", traveller("LAUT"))["id"]
        cls.at_cgk = cls.screen_as("cp_cgk", traveller("JAKARTA"))["id"]

    @classmethod
    def tearDownClass(cls):
        cls.srv.cleanup()

    @classmethod
    def screen_as(cls, who, body):
        st, _, out = cls.srv.request("POST", "/api/v1/departures", body, token=cls.tok[who])
        assert st == 201, (who, out)
        return out

    def get(self, who, path):
        return self.srv.request("GET", path, token=self.tok[who])

    def queue_ids(self, who, query=""):
        st, _, q = self.get(who, "/api/v1/departures" + query)
        self.assertEqual(st, 200, q)
        return {d["id"] for d in q["departures"]}

    def test_office_queue_lists_every_checkpoint_of_the_office(self):
        ids = self.queue_ids("sup_btm")
        self.assertTrue({self.at_bth, self.at_ferry} <= ids, ids)
        self.assertNotIn(self.at_cgk, ids)
        ids = self.queue_ids("sup_sht")
        self.assertIn(self.at_cgk, ids)
        self.assertFalse({self.at_bth, self.at_ferry} & ids, ids)

    def test_office_queue_filtered_by_one_of_its_checkpoints(self):
        self.assertEqual(self.queue_ids("sup_btm", "?checkpoint=BTH") & {self.at_bth,
                                                                         self.at_ferry},
                         {self.at_bth})
        self.assertIn(self.at_ferry, self.queue_ids("sup_btm", "?checkpoint=SEA-BATAM-CENTRE"))
        st, _, out = self.get("sup_btm", "/api/v1/departures?checkpoint=CGK")
        self.assertEqual(st, 403, out)
        for code in BATAM:
            self.assertIn(code, out["detail"])
        st, _, out = self.get("sup_sht", "/api/v1/departures?checkpoint=BTH")
        self.assertEqual(st, 403, out)

    def test_office_code_is_no_checkpoint_filter(self):
        """An analyst who names an office where a checkpoint is wanted is
        told so, with the office's checkpoints, not given an empty queue."""
        st, _, out = self.get("ana", "/api/v1/departures?checkpoint=KANIM-BTM")
        self.assertEqual(st, 400, out)
        self.assertIn("is an office, not a checkpoint", out["detail"])
        for code in BATAM:
            self.assertIn(code, out["detail"])

    def test_office_reads_its_checkpoints_screenings(self):
        for did in (self.at_bth, self.at_ferry):
            st, _, one = self.get("sup_btm", "/api/v1/departures/%d" % did)
            self.assertEqual(st, 200, one)
            self.assertIn(one["checkpoint"], BATAM)
        st, _, _ = self.get("sup_btm", "/api/v1/departures/%d" % self.at_cgk)
        self.assertEqual(st, 403)
        st, _, _ = self.get("sup_sht", "/api/v1/departures/%d" % self.at_cgk)
        self.assertEqual(st, 200)

    def test_office_records_outcomes_at_its_checkpoints(self):
        did = self.screen_as("cp_ferry", traveller("KAPAL"))["id"]
        other = self.screen_as("cp_cgk", traveller("PESAWAT"))["id"]
        st, _, out = self.srv.request("POST", "/api/v1/departures/%d/outcome" % other,
                                      {"outcome": "departed"}, token=self.tok["sup_btm"])
        self.assertEqual(st, 403, out)
        st, _, out = self.srv.request("POST", "/api/v1/departures/%d/outcome" % did,
                                      {"outcome": "departed"}, token=self.tok["sup_btm"])
        self.assertEqual(st, 200, out)
        st, _, one = self.get("cp_ferry", "/api/v1/departures/%d" % did)
        self.assertEqual(one["outcome"]["by"], "sup_btm")

    def test_office_screens_at_a_checkpoint_it_names(self):
        for body in (traveller("TANPA"), dict(traveller("KANTOR"), checkpoint="KANIM-BTM")):
            st, _, out = self.srv.request("POST", "/api/v1/departures", body,
                                          token=self.tok["sup_btm"])
            self.assertEqual(st, 400, out)
            self.assertIn("'checkpoint'", out["detail"])
            for code in BATAM:
                self.assertIn(code, out["detail"])
            self.assertNotIn("not a known checkpoint", out["detail"])
        out = self.screen_as("sup_btm", dict(traveller("DISINI"), checkpoint="SEA-BATAM-CENTRE"))
        self.assertEqual(out["checkpoint"], "SEA-BATAM-CENTRE")
        self.assertIn(out["id"], self.queue_ids("cp_ferry"))
        st, _, out = self.srv.request("POST", "/api/v1/departures",
                                      dict(traveller("JAUH"), checkpoint="CGK"),
                                      token=self.tok["sup_btm"])
        self.assertEqual(st, 403, out)

    def test_office_manifest_at_the_flights_port(self):
        def manifest(port, query=""):
            man = {"flight": {"carrier": "ID", "flight": "ID7154", "departure_port": port,
                              "arrival_port": "KUL"},
                   "persons": [{"role": "passenger", "surname": "MANIFES", "given_names": "ADI",
                                "birth_date": "1990-01-02", "nationality": "IDN",
                                "document_number": "B1112223"}]}
            return self.srv.request("POST", "/api/v1/manifests" + query, man,
                                    token=self.tok["sup_btm"])
        st, _, out = manifest("BTH")
        self.assertEqual(st, 201, out)
        self.assertEqual(out["summary"]["checkpoint"], "BTH")
        self.assertIn("screening_id", out["persons"][0])
        st, _, out = manifest("CGK")
        self.assertEqual(st, 400, out)
        self.assertIn("BTH", out["detail"])
        st, _, out = manifest("CGK", "?checkpoint=SEA-BATAM-CENTRE")
        self.assertEqual((st, out["summary"]["checkpoint"]), (201, "SEA-BATAM-CENTRE"), out)
        st, _, out = manifest("BTH", "?checkpoint=CGK")
        self.assertEqual(st, 403, out)
        # a single screening there is refused in the same words
        st, _, one = self.srv.request("POST", "/api/v1/departures",
                                      dict(traveller("SAMA"), checkpoint="CGK"),
                                      token=self.tok["sup_btm"])
        self.assertEqual((st, one["detail"]), (403, out["detail"]))
        for code in BATAM:
            self.assertIn(code, out["detail"])
        # and so is the office itself, named as a manifest's checkpoint
        st, _, out = manifest("BTH", "?checkpoint=KANIM-BTM")
        st1, _, one = self.srv.request("POST", "/api/v1/departures",
                                       dict(traveller("KANTOR"), checkpoint="KANIM-BTM"),
                                       token=self.tok["sup_btm"])
        self.assertEqual((st, st1), (400, 400), (out, one))
        self.assertEqual(out["detail"], one["detail"])
        self.assertIn("is an office, not a checkpoint", out["detail"])

    def test_officer_placed_at_an_office_screens_nowhere(self):
        st, _, out = self.srv.request("POST", "/api/v1/users",
                                      {"username": "cp_office", "role": "checkpoint_officer",
                                       "password": PW, "office": "KANIM-BTM"},
                                      token=self.srv.admin())
        self.assertEqual(st, 201, out)
        tok = self.srv.login("cp_office", PW)
        st, _, out = self.srv.request("POST", "/api/v1/departures", traveller("SALAH"), token=tok)
        self.assertEqual(st, 400, out)
        self.assertIn("'KANIM-BTM' is an office, not a checkpoint (a checkpoint officer is "
                      "placed at a checkpoint)", out["detail"])
        st, _, out = self.srv.request("POST", "/api/v1/departures",
                                      dict(traveller("SALAH"), checkpoint="BTH"), token=tok)
        self.assertEqual(st, 403, out)
        self.assertIn("you are placed at KANIM-BTM, an office, and screen nowhere", out["detail"])

    def test_officers_keep_their_checkpoint_and_screenings_record_the_office(self):
        ids = self.queue_ids("cp_bth")
        self.assertIn(self.at_bth, ids)
        self.assertNotIn(self.at_ferry, ids)
        st, _, _ = self.get("cp_bth", "/api/v1/departures?checkpoint=SEA-BATAM-CENTRE")
        self.assertEqual(st, 403)
        st, _, _ = self.get("cp_bth", "/api/v1/departures/%d" % self.at_ferry)
        self.assertEqual(st, 403)
        st, _, out = self.srv.request("POST", "/api/v1/departures",
                                      dict(traveller("SEBERANG"), checkpoint="SEA-BATAM-CENTRE"),
                                      token=self.tok["cp_bth"])
        self.assertEqual(st, 403, out)
        # any other code, known or not, an office too, gets the same answer
        # from a single screening and a manifest: their own checkpoint only
        man = {"flight": {"carrier": "ID", "flight": "ID7154", "departure_port": "BTH",
                          "arrival_port": "KUL"},
               "persons": [{"role": "passenger", "surname": "LAIN", "given_names": "ADI",
                            "birth_date": "1990-01-02", "nationality": "IDN",
                            "document_number": "B1112224"}]}
        for code in ("XXX", "KANIM-BTM", "CGK"):
            st, _, one = self.srv.request("POST", "/api/v1/departures",
                                          dict(traveller("LAIN"), checkpoint=code),
                                          token=self.tok["cp_bth"])
            st2, _, many = self.srv.request("POST", "/api/v1/manifests?checkpoint=" + code, man,
                                            token=self.tok["cp_bth"])
            self.assertEqual((st, st2), (403, 403), (code, one, many))
            self.assertEqual(one["detail"], "you screen at BTH only, not at %s" % code)
            self.assertEqual(many["detail"], one["detail"])
        # a supervisor placed at a checkpoint keeps to that checkpoint
        ids = self.queue_ids("sup_cgk")
        self.assertIn(self.at_cgk, ids)
        self.assertFalse({self.at_bth, self.at_ferry} & ids)
        st, _, _ = self.get("sup_cgk", "/api/v1/departures/%d" % self.at_bth)
        self.assertEqual(st, 403)
        st, _, stats = self.get("ana", "/api/v1/stats?from=%s&to=%s&by=office" % (DAY, DAY))
        self.assertEqual(st, 200, stats)
        by_office = {r["office"]: r["screenings"] for r in stats["rows"]}
        self.assertGreaterEqual(by_office.get("KANIM-BTM", 0), 2, by_office)
        self.assertGreaterEqual(by_office.get("KANIM-SHT", 0), 1, by_office)
        self.assertFalse({"BTH", "SEA-BATAM-CENTRE", "CGK"} & set(by_office), by_office)


class OfficesReferenceData(unittest.TestCase):
    def test_offices_lists_each_checkpoints_office(self):
        db = os.path.join(tempfile.mkdtemp(prefix="lintas-scope-"), "o.db")
        run("init", "--db", db, check=True)
        posts = {o["code"]: o for o in map(json.loads, run("offices", "--db", db,
                                                            check=True).stdout.splitlines())}
        self.assertEqual(posts["CGK"]["office"], "KANIM-SHT")
        self.assertEqual(posts["DPS"]["office"], "KANIM-NGR")
        self.assertEqual(posts["SEA-BATAM-CENTRE"]["office"], "KANIM-BTM")
        for code, post in posts.items():
            if post["kind"] == "office":
                self.assertNotIn("office", post, code)
            else:
                self.assertEqual(posts[post["office"]]["kind"], "office", code)

    def old_database(self):
        """A database from before checkpoints had offices (schema 9: no
        checkpoint_offices, screenings whose office is their checkpoint's
        code), with one screening at CGK."""
        d = tempfile.mkdtemp(prefix="lintas-scope-")
        self.addCleanup(shutil.rmtree, d, True)
        db = os.path.join(d, "old.db")
        pwfile = os.path.join(d, "admin.pw")
        with open(pwfile, "w") as f:
            f.write(ADMIN_PW + "\n")
        run("init", "--db", db, "--admin-password-file", pwfile, check=True)
        body = json.dumps(traveller("LAMA"))
        run("screen", "--db", db, "--checkpoint", "CGK", input=body + "\n", check=True)
        con = sqlite3.connect(db)
        con.executescript("DROP TABLE IF EXISTS checkpoint_offices;"
                          "DELETE FROM schema_migrations WHERE version >= 10;"
                          "UPDATE departures SET office = checkpoint;")
        con.close()
        return d, db

    def by_office(self, db):
        out = json.loads(run("stats", "--db", db, "--from", DAY, "--to", DAY, "--by", "office",
                             check=True).stdout)
        return [(r["office"], r["screenings"]) for r in out["rows"]]

    def test_upgrade_gives_earlier_screenings_their_office(self):
        """The old database migrated by lintas init counts its screenings
        by office."""
        _, db = self.old_database()
        run("init", "--db", db, check=True)
        self.assertEqual(self.by_office(db), [("KANIM-SHT", 1)])

    def test_offices_loaded_at_start_when_missing(self):
        """A database whose schema has the checkpoint offices but not the
        rows (a crash between the migration and the reference data) gets
        them when the server starts next."""
        d, db = self.old_database()
        run("init", "--db", db, check=True)
        con = sqlite3.connect(db)
        con.executescript("DELETE FROM checkpoint_offices;")
        con.close()
        Server(db=db, workdir=d, init=False).stop()
        con = sqlite3.connect(db)
        n = con.execute("SELECT count(*) FROM checkpoint_offices WHERE office = 'KANIM-BTM'")
        self.assertGreaterEqual(n.fetchone()[0], 2)
        con.close()

    def test_demo_on_its_existing_database_loads_missing_offices(self):
        """lintas demo serving a database it made earlier is a start like
        serve's: offices lost in a crash (or an upgrade) are loaded again.
        Only demo making a new database loads them itself."""
        d, db = self.old_database()
        run("init", "--db", db, check=True)
        con = sqlite3.connect(db)
        con.executescript("DELETE FROM checkpoint_offices;")
        con.close()
        p = subprocess.Popen([LINTAS, "demo", "--db", db, "--listen", "127.0.0.1:0"],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                             env=ENV)
        try:
            self.assertIn("serving on", p.stdout.readline())
        finally:
            p.terminate()
            p.wait(timeout=30)
            p.stdout.close()
        con = sqlite3.connect(db)
        n = con.execute("SELECT count(*) FROM checkpoint_offices WHERE office = 'KANIM-BTM'")
        self.assertGreaterEqual(n.fetchone()[0], 2)
        con.close()

    def test_upgrade_by_restarting_the_server(self):
        """Restarting the server on the old database is the whole upgrade:
        it applies the migration and loads the offices with it, so an office
        supervisor sees the checkpoints of the office at once."""
        d, db = self.old_database()
        srv = Server(db=db, workdir=d, init=False)
        try:
            st, _, out = srv.request("GET", "/api/v1/offices", token=srv.admin())
            self.assertEqual(st, 200, out)
        finally:
            srv.stop()
        self.assertEqual(self.by_office(db), [("KANIM-SHT", 1)])
        con = sqlite3.connect(db)
        n = con.execute("SELECT count(*) FROM checkpoint_offices WHERE office = 'KANIM-BTM'")
        self.assertGreaterEqual(n.fetchone()[0], 2)
        con.close()


if __name__ == "__main__":
    unittest.main()
