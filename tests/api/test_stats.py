"""Statistics and oversight against a known history built through the API.

StatsExact screens six travellers at two checkpoints, records their
outcomes, and takes seven passport applications at two offices through
release, rejection, appeal (upheld and dismissed), extension and a missed
deadline; then checks every count of every breakdown (month, office,
checkpoint, destination, reason, sex, age band, province), the CSV, small
cell suppression, and that `lintas stats` on the same database agrees.

OversightDisparity builds a history with a known disparity (women postponed
six times as often as men; one province intercepted far more often), a rule
that supervisors release more often than not, a late review and an upheld
appeal, and checks that the oversight report shows each of them."""
import csv
import datetime
import io
import json
import time
import unittest

from harness import Server, run

PW = "statistics-password-1"
TODAY = datetime.date.today()
DAY = TODAY.isoformat()
MONTH = DAY[:7]


def born(age):
    """A birth date that makes the person exactly `age` today."""
    d = datetime.date(TODAY.year - age, TODAY.month, 1)
    return d - datetime.timedelta(days=40) if TODAY.day < 15 else d


def nik(province, birth, sex, serial):
    day = birth.day + (40 if sex == "F" else 0)
    return "%s0101%02d%02d%02d%04d" % (province, day, birth.month, birth.year % 100, serial)


def make_users(srv, users):
    admin = srv.admin()
    for name, role, office in users:
        body = {"username": name, "role": role, "password": PW}
        if office:
            body["office"] = office
        st, _, out = srv.request("POST", "/api/v1/users", body, token=admin)
        assert st == 201, out
    return admin, {name: srv.login(name, PW) for name, _, _ in users}


class Builder:
    """Makes screenings and applications through the API."""

    def __init__(self, test, srv, tok):
        self.t, self.srv, self.tok = test, srv, tok
        self.serial = 1000

    def depart(self, who, sex, age, province, dest, final=None, purpose="tourism",
               outcome=None, reason=None):
        self.serial += 1
        b = born(age)
        trip = {"destination": dest, "purpose": purpose, "return_ticket": True}
        if final:
            trip["final_destination"] = final
        body = {"traveller": {"surname": "ORANG%d" % self.serial, "given_names": "UJI",
                              "birth_date": b.isoformat(), "sex": sex, "nationality": "IDN",
                              "nik": nik(province, b, sex, self.serial)},
                "trip": trip}
        st, _, out = self.srv.request("POST", "/api/v1/departures", body, token=self.tok[who])
        self.t.assertEqual(st, 201, out)
        if outcome:
            o = {"outcome": outcome, "note": "recorded by the test"}
            if reason:
                o["reason_code"] = reason
            st, _, res = self.srv.request("POST", "/api/v1/departures/%d/outcome" % out["id"], o,
                                          token=self.tok[who])
            self.t.assertEqual(st, 200, res)
            out["overridden"] = res["overridden"]
        return out

    def apply(self, who, sex, age, province, purpose, dest, want):
        self.serial += 1
        b = born(age)
        body = {"applicant": {"nik": nik(province, b, sex, self.serial),
                              "surname": "PEMOHON%d" % self.serial, "given_names": "UJI",
                              "birth_date": b.isoformat(), "sex": sex},
                "purpose": purpose, "destination": dest,
                "interview": {"summary": "interviewed by the test"}}
        st, _, out = self.srv.request("POST", "/api/v1/passport-applications", body,
                                      token=self.tok[who])
        self.t.assertEqual(st, 201, out)
        self.t.assertEqual(out["status"], want, out)
        return out

    def act(self, app_id, what, body, who):
        st, _, out = self.srv.request("POST", "/api/v1/passport-applications/%d/%s" %
                                      (app_id, what), body, token=self.tok[who])
        self.t.assertEqual(st, 200, out)
        return out

    def set_review_days(self, admin, n):
        st, _, out = self.srv.request("PUT", "/api/v1/passport-settings", {"review_days": n},
                                      token=admin)
        self.t.assertEqual(st, 200, out)


MEASURES = ["screenings", "clear", "secondary", "refuse", "protect", "departed", "intercepted",
            "referred", "no_outcome", "overridden", "applications", "approved", "postponed",
            "released", "rejected", "extended", "appeals", "appeals_upheld",
            "appeals_dismissed", "reviews_late", "overdue"]


class StatsExact(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = Server()
        users = (("cpa", "checkpoint_officer", "CGK"), ("cpb", "checkpoint_officer", "DPS"),
                 ("poa", "passport_officer", "KANIM-JKS"),
                 ("pob", "passport_officer", "KANIM-MTR"),
                 ("supa", "supervisor", "KANIM-JKS"), ("supa2", "supervisor", "KANIM-JKS"),
                 ("supb", "supervisor", "KANIM-MTR"), ("supb2", "supervisor", "KANIM-MTR"),
                 ("ana", "analyst", None))
        cls.admin, cls.tok = make_users(cls.srv, users)

    @classmethod
    def tearDownClass(cls):
        cls.srv.cleanup()

    def stats(self, by=None, extra=""):
        q = "/api/v1/stats?from=%s&to=%s%s%s" % (DAY, DAY, "&by=" + by if by else "", extra)
        st, _, out = self.srv.request("GET", q, token=self.tok["ana"])
        self.assertEqual(st, 200, out)
        return out

    def build(self):
        b = Builder(self, self.srv, self.tok)
        deps = [
            b.depart("cpa", "F", 30, "32", "JPN", outcome="departed"),
            b.depart("cpa", "M", 20, "52", "MYS", outcome="intercepted",
                     reason="non_procedural_worker"),
            b.depart("cpa", "M", 22, "52", "KHM", outcome="intercepted", reason="suspected_tppo"),
            b.depart("cpb", "F", 40, "51", "AUS", outcome="departed"),
            b.depart("cpb", "F", 19, "53", "THA", final="KHM", outcome="intercepted",
                     reason="suspected_tppo"),
            b.depart("cpb", "M", 50, "35", "SGP"),
        ]
        a = [b.apply("poa", "F", 30, "32", "tourism", "JPN", "approved"),
             b.apply("poa", "M", 16, "32", "work", "MYS", "postponed"),
             b.apply("poa", "F", 17, "36", "work", "MYS", "postponed"),
             b.apply("pob", "M", 16, "52", "work", "MYS", "postponed"),
             b.apply("pob", "F", 17, "52", "work", "SAU", "postponed"),
             b.apply("pob", "F", 45, "52", "umrah", "SAU", "approved")]
        b.set_review_days(self.admin, 0)
        try:
            a.append(b.apply("pob", "M", 16, "52", "work", "MYS", "postponed"))
        finally:
            b.set_review_days(self.admin, 14)
        b.act(a[1]["id"], "review", {"decision": "release", "note": "family trip"}, "supa")
        b.act(a[2]["id"], "review", {"decision": "reject", "reason": "minor_work",
                                     "note": "declared work at 17"}, "supa")
        b.act(a[2]["id"], "appeal", {"statement": "it is a school exchange"}, "poa")
        b.act(a[2]["id"], "appeal/decision", {"decision": "uphold", "note": "letter seen"},
              "supa2")
        b.act(a[3]["id"], "review", {"decision": "reject", "reason": "minor_work",
                                     "note": "declared work at 16"}, "supb")
        b.act(a[3]["id"], "appeal", {"statement": "I need the job"}, "pob")
        b.act(a[3]["id"], "appeal/decision", {"decision": "dismiss", "note": "still a child"},
              "supb2")
        b.act(a[4]["id"], "review", {"decision": "extend", "reason": "await papers",
                                     "note": "asked for the contract"}, "supb")
        time.sleep(0.05)  # a[6]'s deadline (review_days 0) has now passed
        return deps, a

    def expected_by_reason(self, deps, apps):
        want = {}

        def add(reason, m, n=1):
            want.setdefault(reason, dict.fromkeys(MEASURES, 0))[m] += n
        for d in deps:
            rules = [r["rule"] for r in d["reasons"]] or ["none"]
            for r in rules:
                add(r, "screenings")
                add(r, d["recommendation"])
        outs = [("departed", None), ("intercepted", "non_procedural_worker"),
                ("intercepted", "suspected_tppo"), ("departed", None),
                ("intercepted", "suspected_tppo"), ("no_outcome", None)]
        for d, (o, reason) in zip(deps, outs):
            add(reason or "none", o)
            if d.get("overridden"):
                add(reason or "none", "overridden")
        steps = [("approved",), ("postponed", "released"),
                 ("postponed", "rejected", "appeals", "appeals_upheld"),
                 ("postponed", "rejected", "appeals", "appeals_dismissed"),
                 ("postponed", "extended"), ("approved",), ("postponed", "overdue")]
        for a, ms in zip(apps, steps):
            codes = [r["code"] for r in a["reasons"]] or ["none"]
            for c in codes:
                add(c, "applications")
                for m in ms:
                    add(c, m)
        return want

    def test_exact_counts(self):
        deps, apps = self.build()
        rec = {k: sum(1 for d in deps if d["recommendation"] == k)
               for k in ("clear", "secondary", "refuse", "protect")}
        overridden = sum(1 for d in deps if d.get("overridden"))
        totals = dict(screenings=6, departed=2, intercepted=3, referred=0, no_outcome=1,
                      overridden=overridden, applications=7, approved=2, postponed=5,
                      released=1, rejected=2, extended=1, appeals=2, appeals_upheld=1,
                      appeals_dismissed=1, reviews_late=0, overdue=1, **rec)
        out = self.stats()
        self.assertEqual(out["totals"], totals)
        self.assertEqual(out["rows"], [])
        z = dict.fromkeys(MEASURES, 0)

        def row(**kw):
            r = dict(z)
            r.update(kw)
            return r
        dep_rec = lambda idx: {k: sum(1 for i in idx if deps[i]["recommendation"] == k)
                               for k in ("clear", "secondary", "refuse", "protect")}
        dep_ovr = lambda idx: sum(1 for i in idx if deps[i].get("overridden"))
        cgk = row(screenings=3, departed=1, intercepted=2, overridden=dep_ovr([0, 1, 2]),
                  **dep_rec([0, 1, 2]))
        dps = row(screenings=3, departed=1, intercepted=1, no_outcome=1,
                  overridden=dep_ovr([3, 4, 5]), **dep_rec([3, 4, 5]))
        jks = row(applications=3, approved=1, postponed=2, released=1, rejected=1, appeals=1,
                  appeals_upheld=1)
        mtr = row(applications=4, approved=1, postponed=3, rejected=1, extended=1, appeals=1,
                  appeals_dismissed=1, overdue=1)
        office = {r["office"]: {m: r[m] for m in MEASURES} for r in self.stats("office")["rows"]}
        # a screening counts under its checkpoint's office: CGK's is KANIM-SHT, DPS's KANIM-NGR
        self.assertEqual(office, {"KANIM-SHT": cgk, "KANIM-NGR": dps, "KANIM-JKS": jks,
                                  "KANIM-MTR": mtr})
        cp = {r["checkpoint"]: {m: r[m] for m in MEASURES}
              for r in self.stats("checkpoint")["rows"]}
        apps_all = {m: jks[m] + mtr[m] for m in MEASURES}
        self.assertEqual(cp, {"CGK": cgk, "DPS": dps, None: apps_all})
        month = self.stats("month")["rows"]
        self.assertEqual(len(month), 1)
        self.assertEqual(month[0]["month"], MONTH)
        self.assertEqual({m: month[0][m] for m in MEASURES}, totals)
        self.check_people(deps)
        self.check_destination(deps)
        got = {r["reason"]: {m: r[m] for m in MEASURES} for r in self.stats("reason")["rows"]}
        self.assertEqual(got, self.expected_by_reason(deps, apps))
        self.assertEqual(got["suspected_tppo"]["intercepted"], 2)
        self.assertEqual(got["non_procedural_worker"]["intercepted"], 1)
        self.check_two_dims_csv_and_suppression()
        self.check_cli(totals)

    def project(self, by, keys):
        rows = self.stats(by)["rows"]
        return {tuple(r[k] for k in by.split(",")): {m: r[m] for m in keys if r[m]}
                for r in rows}

    def check_people(self, deps):
        keys = ("screenings", "intercepted", "applications", "postponed", "released",
                "rejected", "overdue")
        self.assertEqual(self.project("sex", keys), {
            ("F",): {"screenings": 3, "intercepted": 1, "applications": 4, "postponed": 2,
                     "rejected": 1},
            ("M",): {"screenings": 3, "intercepted": 2, "applications": 3, "postponed": 3,
                     "released": 1, "rejected": 1, "overdue": 1}})
        self.assertEqual(self.project("age_band", keys), {
            ("0-17",): {"applications": 5, "postponed": 5, "released": 1, "rejected": 2,
                        "overdue": 1},
            ("18-24",): {"screenings": 3, "intercepted": 3},
            ("25-34",): {"screenings": 1, "applications": 1},
            ("35-44",): {"screenings": 1},
            ("45-59",): {"screenings": 1, "applications": 1}})
        self.assertEqual(self.project("province", keys), {
            ("32",): {"screenings": 1, "applications": 2, "postponed": 1, "released": 1},
            ("35",): {"screenings": 1},
            ("36",): {"applications": 1, "postponed": 1, "rejected": 1},
            ("51",): {"screenings": 1},
            ("52",): {"screenings": 2, "intercepted": 2, "applications": 4, "postponed": 3,
                      "rejected": 1, "overdue": 1},
            ("53",): {"screenings": 1, "intercepted": 1}})

    def check_destination(self, deps):
        keys = ("screenings", "intercepted", "applications", "approved", "postponed")
        self.assertEqual(self.project("destination", keys), {
            ("AUS",): {"screenings": 1},
            ("JPN",): {"screenings": 1, "applications": 1, "approved": 1},
            ("KHM",): {"screenings": 2, "intercepted": 2},
            ("MYS",): {"screenings": 1, "intercepted": 1, "applications": 4, "postponed": 4},
            ("SAU",): {"applications": 2, "approved": 1, "postponed": 1},
            ("SGP",): {"screenings": 1}})

    def check_two_dims_csv_and_suppression(self):
        keys = ("screenings", "applications", "postponed")
        self.assertEqual(self.project("office,sex", keys), {
            ("KANIM-SHT", "F"): {"screenings": 1}, ("KANIM-SHT", "M"): {"screenings": 2},
            ("KANIM-NGR", "F"): {"screenings": 2}, ("KANIM-NGR", "M"): {"screenings": 1},
            ("KANIM-JKS", "F"): {"applications": 2, "postponed": 1},
            ("KANIM-JKS", "M"): {"applications": 1, "postponed": 1},
            ("KANIM-MTR", "F"): {"applications": 2, "postponed": 1},
            ("KANIM-MTR", "M"): {"applications": 2, "postponed": 2}})
        plain = self.stats("office")
        st, hdrs, text = self.srv.request(
            "GET", "/api/v1/stats?from=%s&to=%s&by=office&format=csv" % (DAY, DAY),
            token=self.tok["ana"])
        self.assertEqual(st, 200, text)
        self.assertIn("text/csv", hdrs["content-type"])
        rows = list(csv.DictReader(io.StringIO(text)))
        self.assertEqual([r["office"] for r in rows], ["KANIM-JKS", "KANIM-MTR", "KANIM-NGR",
                                                       "KANIM-SHT", "all"])
        for r, j in zip(rows, plain["rows"] + [plain["totals"]]):
            self.assertEqual({m: int(r[m]) for m in MEASURES}, {m: j[m] for m in MEASURES})
        sup = self.stats("office", "&min_cell=3")
        ones = sum(1 for r in plain["rows"] + [plain["totals"]] for m in MEASURES
                   if 0 < r[m] < 3)
        self.assertGreater(ones, 0)
        self.assertEqual(sup["suppressed"], ones)
        mtr = [r for r in sup["rows"] if r["office"] == "KANIM-MTR"][0]
        self.assertEqual(mtr["applications"], 4)
        self.assertEqual(mtr["postponed"], 3)
        self.assertIsNone(mtr["overdue"])
        self.assertIsNone(mtr["approved"])
        self.assertEqual(mtr["released"], 0)  # zero is not a small cell
        self.assertEqual(sup["totals"]["screenings"], 6)
        self.assertIsNone(sup["totals"]["overdue"])
        st, _, text = self.srv.request(
            "GET", "/api/v1/stats?from=%s&to=%s&by=office&format=csv&min_cell=3" % (DAY, DAY),
            token=self.tok["ana"])
        mtr_csv = [r for r in csv.DictReader(io.StringIO(text)) if r["office"] == "KANIM-MTR"][0]
        self.assertEqual(mtr_csv["overdue"], "")
        self.assertEqual(mtr_csv["postponed"], "3")

    def check_cli(self, totals):
        p = run("stats", "--db", self.srv.db, "--from", DAY, "--to", DAY, "--by", "office",
                check=True)
        out = json.loads(p.stdout)
        self.assertEqual(out["totals"], totals)
        self.assertEqual([r["office"] for r in out["rows"]],
                         ["KANIM-JKS", "KANIM-MTR", "KANIM-NGR", "KANIM-SHT"])
        p = run("stats", "--db", self.srv.db, "--from", MONTH, "--to", MONTH, "--format", "csv",
                check=True)
        lines = p.stdout.strip().split("\n")
        self.assertEqual(lines[0].split(","), MEASURES)
        self.assertEqual(lines[1], ",".join(str(totals[m]) for m in MEASURES))
        p = run("stats", "--db", self.srv.db, "--from", DAY, "--to", DAY, "--by", "zodiac")
        self.assertEqual(p.returncode, 2)
        self.assertIn("zodiac", p.stderr)

    def test_bad_parameters_and_roles(self):
        for q in ("from=2026-13-01&to=2026-12-01", "from=%s" % DAY,
                  "from=%s&to=%s&by=office,office" % (DAY, DAY),
                  "from=%s&to=2000-01-01" % DAY, "from=%s&to=%s&min_cell=x" % (DAY, DAY)):
            st, _, out = self.srv.request("GET", "/api/v1/stats?" + q, token=self.tok["ana"])
            self.assertEqual(st, 400, (q, out))
        st, _, _ = self.srv.request("GET", "/api/v1/stats?from=%s&to=%s" % (DAY, DAY),
                                    token=self.tok["cpa"])
        self.assertEqual(st, 403)
        st, _, _ = self.srv.request("GET", "/api/v1/oversight?from=%s&to=%s" % (DAY, DAY),
                                    token=self.tok["poa"])
        self.assertEqual(st, 403)


class OversightDisparity(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = Server()
        users = (("cp", "checkpoint_officer", "CGK"), ("po", "passport_officer", "KANIM-JKS"),
                 ("sup1", "supervisor", "KANIM-JKS"), ("sup2", "supervisor", "KANIM-JKS"),
                 ("ana", "analyst", None))
        cls.admin, cls.tok = make_users(cls.srv, users)

    @classmethod
    def tearDownClass(cls):
        cls.srv.cleanup()

    def test_disparity_rules_reviews_appeals(self):
        b = Builder(self, self.srv, self.tok)
        women = [b.apply("po", "F", 16, "32", "work", "MYS", "postponed") for _ in range(6)]
        women += [b.apply("po", "F", 30, "32", "tourism", "JPN", "approved") for _ in range(4)]
        b.set_review_days(self.admin, 0)
        try:
            men = [b.apply("po", "M", 16, "32", "work", "MYS", "postponed")]
        finally:
            b.set_review_days(self.admin, 14)
        men += [b.apply("po", "M", 30, "32", "tourism", "JPN", "approved") for _ in range(9)]
        time.sleep(0.05)
        for a in women[:4]:
            b.act(a["id"], "review", {"decision": "release", "note": "family visit"}, "sup1")
        for a in women[4:6]:
            b.act(a["id"], "review", {"decision": "reject", "reason": "minor_work",
                                      "note": "work at 16"}, "sup1")
        b.act(women[4]["id"], "appeal", {"statement": "school trip"}, "po")
        b.act(women[4]["id"], "appeal/decision", {"decision": "uphold", "note": "seen"}, "sup2")
        b.act(men[0]["id"], "review", {"decision": "reject", "reason": "minor_work",
                                       "note": "late but decided"}, "sup1")
        for i in range(10):
            b.depart("cp", "M", 30, "53", "MYS", outcome="intercepted" if i < 5 else "departed",
                     reason="non_procedural_worker" if i < 5 else None)
            b.depart("cp", "M", 30, "32", "MYS", outcome="departed")
        st, _, o = self.srv.request(
            "GET", "/api/v1/oversight?from=%s&to=%s&min_group=5" % (DAY, DAY),
            token=self.tok["ana"])
        self.assertEqual(st, 200, o)
        p = o["postponements"]
        self.assertEqual((p["population"], p["count"]), (20, 7))
        self.assertAlmostEqual(p["rate"], 0.35)
        sex = {g["value"]: g for g in p["by_sex"]}
        self.assertEqual((sex["F"]["population"], sex["F"]["count"]), (10, 6))
        self.assertAlmostEqual(sex["F"]["ratio"], 0.6 / 0.35)
        self.assertTrue(sex["F"]["flag"])
        self.assertEqual(sex["F"]["direction"], "higher")
        self.assertAlmostEqual(sex["M"]["ratio"], 0.1 / 0.35)
        self.assertTrue(sex["M"]["flag"])
        i = o["interceptions"]
        self.assertEqual((i["population"], i["count"]), (20, 5))
        prov = {g["value"]: g for g in i["by_province"]}
        self.assertAlmostEqual(prov["53"]["ratio"], 2.0)
        self.assertTrue(prov["53"]["flag"])
        self.assertEqual(prov["32"]["count"], 0)
        self.assertFalse({g["value"]: g for g in i["by_sex"]}["M"]["flag"])  # one group only
        rule = [r for r in o["rules"] if r["kind"] == "application" and
                r["rule"] == "minor_declaring_work"][0]
        self.assertEqual((rule["fired"], rule["decided"], rule["followed"], rule["overridden"]),
                         (7, 7, 2, 5))  # released four times, and one appeal upheld
        self.assertTrue(rule["flag"])
        self.assertEqual(o["reviews"]["decided"], 7)
        self.assertEqual(o["reviews"]["late"], 1)
        self.assertEqual(o["reviews"]["deadlines_missed"], 1)
        self.assertEqual(o["appeals"], {"decided": 1, "upheld": 1, "dismissed": 0,
                                        "upheld_rate": 1.0})
        # Without min_group the groups are too small to flag.
        st, _, o2 = self.srv.request("GET", "/api/v1/oversight?from=%s&to=%s" % (DAY, DAY),
                                     token=self.tok["ana"])
        self.assertFalse({g["value"]: g for g in o2["postponements"]["by_sex"]}["F"]["flag"])
        st, _, text = self.srv.request(
            "GET", "/api/v1/oversight?from=%s&to=%s&min_group=5&format=csv" % (DAY, DAY),
            token=self.tok["sup1"])
        self.assertEqual(st, 200, text)
        rows = list(csv.DictReader(io.StringIO(text)))
        f = [r for r in rows if r["section"] == "postponements" and r["dimension"] == "sex" and
             r["value"] == "F"][0]
        self.assertEqual((f["population"], f["count"], f["flag"]), ("10", "6", "yes"))
        p = run("oversight", "--db", self.srv.db, "--from", DAY, "--to", DAY, "--min-group", "5",
                check=True)
        self.assertEqual(json.loads(p.stdout)["postponements"]["by_sex"], o["postponements"]["by_sex"])


if __name__ == "__main__":
    unittest.main()


class DemoYear(unittest.TestCase):
    """The demo-year generator is seeded and reproducible, and its picture is
    believable: most travellers clear, a small share postponed or intercepted."""

    def load(self, seed):
        import os
        import tempfile
        d = tempfile.mkdtemp(prefix="lintas-demo-")
        db = os.path.join(d, "demo.db")
        pw = os.path.join(d, "pw")
        with open(pw, "w") as f:
            f.write("demo-year-password-1\n")
        run("init", "--db", db, "--admin-password-file", pw, check=True)
        p = run("demo-data", "--db", db, "--seed", str(seed), "--end", "2026-06-30",
                "--scale", "2", check=True)
        counts = json.loads(p.stdout.strip().split("\n")[-1])
        p = run("stats", "--db", db, "--from", "2025-07-01", "--to", "2026-06-30", "--by",
                "province,destination", check=True)
        stats = json.loads(p.stdout)
        again = run("demo-data", "--db", db, "--seed", str(seed), "--end", "2026-06-30")
        self.assertEqual(again.returncode, 1)  # never on top of existing screenings
        import shutil
        shutil.rmtree(d, ignore_errors=True)
        return counts, stats

    def test_reproducible_and_believable(self):
        c1, s1 = self.load(7)
        c2, s2 = self.load(7)
        c3, s3 = self.load(8)
        self.assertEqual(c1, c2)
        self.assertEqual(s1, s2)
        self.assertNotEqual(s1["rows"], s3["rows"])
        t = s1["totals"]
        self.assertEqual(t["screenings"], c1["screenings"])
        self.assertEqual(t["applications"], c1["applications"])
        self.assertEqual(t["postponed"], c1["postponements"])
        self.assertGreater(t["screenings"], 4000)
        self.assertGreater(t["clear"], 0.9 * t["screenings"])
        self.assertGreater(t["intercepted"], 0)
        self.assertLess(t["intercepted"], 0.1 * t["screenings"])
        self.assertGreater(t["postponed"], 0)
        self.assertLess(t["postponed"], 0.2 * t["applications"])
        for m in ("released", "rejected", "appeals", "protect", "refuse", "overridden"):
            self.assertGreater(t[m], 0, m)
        self.assertGreater(c1["patterns"], 0)
        self.assertLess(c1["patterns"], 300)  # the full year has 300; fewer at 2%
