"""Passport application scenarios through the real server: an ordinary
application approved; a postponement released by a supervisor; a
postponement rejected, appealed and upheld by a different supervisor; a
deadline that passes and puts the application in the overdue queue and the
statistics; forbidden reviews (the interviewer, another office, the
rejecting supervisor deciding the appeal); the single extension; and a
postponed applicant screened later at departure, whose postponement is
among the reasons."""
import datetime
import time
import unittest

from harness import Server

PW = "passports-password-1"
TODAY = datetime.date.today()


def nik(province, birth, sex, serial):
    """A structurally valid NIK: PP KK CC DDMMYY SSSS (women: day + 40)."""
    day = birth.day + (40 if sex == "F" else 0)
    return "%s0101%02d%02d%02d%04d" % (province, day, birth.month, birth.year % 100, serial)


def born(age, month=3, day=15):
    return datetime.date(TODAY.year - age - 1, month, day)


def application(serial, age=30, sex="M", province="32", purpose="tourism", destination="JPN",
                sponsor=None, pmi=None, interviewer=None, office=None, surname=None):
    b = born(age)
    body = {
        "applicant": {"nik": nik(province, b, sex, serial),
                      "surname": surname or "PRATAMA%d" % serial, "given_names": "ADI",
                      "birth_date": b.isoformat(), "sex": sex},
        "purpose": purpose, "destination": destination,
        "previous_passports": [],
        "interview": {"summary": "standard interview",
                      "answers": {"trip_purpose": purpose, "trip_paid_by": "self"}},
    }
    if sponsor:
        body["sponsor"] = sponsor
    if pmi:
        body["pmi_registration"] = pmi
    if interviewer:
        body["interview"]["interviewer"] = interviewer
    if office:
        body["office"] = office
    return body


# A child who declares work abroad: the default rules postpone (refuse).
def minor_worker(serial, **kw):
    return application(serial, age=16, purpose="work", destination="MYS", **kw)


class Passports(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = Server()
        cls.admin = cls.srv.admin()
        users = (("po", "passport_officer", "KANIM-JKS"), ("po2", "passport_officer", "KANIM-SBY"),
                 ("sup1", "supervisor", "KANIM-JKS"), ("sup2", "supervisor", "KANIM-JKS"),
                 ("supx", "supervisor", "KANIM-SBY"), ("cp", "checkpoint_officer", "CGK"),
                 ("ana", "analyst", None))
        for name, role, office in users:
            body = {"username": name, "role": role, "password": PW}
            if office:
                body["office"] = office
            st, _, out = cls.srv.request("POST", "/api/v1/users", body, token=cls.admin)
            assert st == 201, out
        cls.tok = {name: cls.srv.login(name, PW) for name, _, _ in users}

    @classmethod
    def tearDownClass(cls):
        cls.srv.cleanup()

    def apply(self, body, who="po", want=201):
        st, _, out = self.srv.request("POST", "/api/v1/passport-applications", body,
                                      token=self.tok[who])
        self.assertEqual(st, want, out)
        return out

    def act(self, app_id, what, body, who, want=200):
        path = "/api/v1/passport-applications/%d/%s" % (app_id, what)
        st, _, out = self.srv.request("POST", path, body, token=self.tok[who])
        self.assertEqual(st, want, out)
        return out

    def get(self, app_id, who="sup1"):
        st, _, out = self.srv.request("GET", "/api/v1/passport-applications/%d" % app_id,
                                      token=self.tok[who])
        self.assertEqual(st, 200, out)
        return out

    def test_approved(self):
        out = self.apply(application(101))
        self.assertEqual(out["status"], "approved", out)
        self.assertIsNone(out["review_due"])
        self.assertIsInstance(out["id"], int)
        self.assertEqual(out["nik"]["province_code"], "32")

    def test_postponed_then_released(self):
        out = self.apply(minor_worker(102, interviewer="sup1"))
        self.assertEqual(out["status"], "postponed", out)
        codes = [r["code"] for r in out["reasons"]]
        self.assertIn("minor_declaring_work", codes)
        self.assertTrue(all(r["text"] for r in out["reasons"]))
        due = datetime.datetime.fromisoformat(out["review_due"].replace("Z", "+00:00"))
        days = (due - datetime.datetime.now(datetime.timezone.utc)).total_seconds() / 86400
        self.assertAlmostEqual(days, 14, delta=0.1)
        app_id = out["id"]
        # The interviewer may not review; nor a supervisor of another office.
        self.act(app_id, "review", {"decision": "release", "note": "ok"}, "sup1", 403)
        self.act(app_id, "review", {"decision": "release", "note": "ok"}, "supx", 403)
        self.act(app_id, "review", {"decision": "release", "note": "ok"}, "po", 403)
        self.act(app_id, "review", {"decision": "release"}, "sup2", 400)
        self.act(app_id, "review", {"decision": "issue", "note": "x"}, "sup2", 400)
        done = self.act(app_id, "review", {"decision": "release",
                                           "note": "parents present; study visit, not work"},
                        "sup2")
        self.assertEqual(done["status"], "released")
        kinds = [e["kind"] for e in done["events"]]
        self.assertEqual(kinds, ["postponed", "released"])
        self.assertEqual(done["events"][1]["by"], "sup2")
        self.assertFalse(done["events"][1].get("late", False))
        # Decided once: a second review conflicts.
        self.act(app_id, "review", {"decision": "reject", "note": "x", "reason": "y"}, "sup2",
                 409)

    def test_rejected_appealed_upheld(self):
        out = self.apply(minor_worker(103))
        app_id = out["id"]
        self.act(app_id, "review", {"decision": "reject", "note": "declared work at 16"},
                 "sup1", 400)  # a rejection needs a reason
        self.act(app_id, "appeal", {"statement": "too early"}, "po", 409)
        rej = self.act(app_id, "review", {"decision": "reject", "reason": "minor_work",
                                          "note": "declared work at 16"}, "sup1")
        self.assertEqual(rej["status"], "rejected")
        self.assertIsNotNone(rej["appeal_due"])
        self.act(app_id, "appeal", {}, "po", 400)
        self.act(app_id, "appeal", {"statement": "x"}, "po2", 403)  # another office
        app = self.act(app_id, "appeal", {"statement": "I will study, my school letter attached"},
                       "po")
        self.assertEqual(app["status"], "appealed")
        # The supervisor who rejected may not decide the appeal.
        self.act(app_id, "appeal/decision", {"decision": "uphold", "note": "x"}, "sup1", 403)
        self.act(app_id, "appeal/decision", {"decision": "uphold"}, "sup2", 400)
        final = self.act(app_id, "appeal/decision",
                         {"decision": "uphold", "note": "school letter verified"}, "sup2")
        self.assertEqual(final["status"], "upheld")
        kinds = [e["kind"] for e in final["events"]]
        self.assertEqual(kinds, ["postponed", "rejected", "appealed", "appeal_upheld"])
        self.assertEqual(final["events"][2]["note"], "I will study, my school letter attached")

    def test_extend_once(self):
        out = self.apply(minor_worker(104))
        app_id = out["id"]
        self.act(app_id, "review", {"decision": "extend", "note": "waiting"}, "sup1", 400)
        ext = self.act(app_id, "review", {"decision": "extend", "reason": "await school letter",
                                          "note": "asked the school"}, "sup1")
        self.assertEqual(ext["status"], "postponed")
        self.assertTrue(ext["extended"])
        self.assertGreater(ext["review_due"], out["review_due"])
        self.act(app_id, "review", {"decision": "extend", "reason": "again", "note": "x"},
                 "sup1", 409)
        self.act(app_id, "review", {"decision": "release", "note": "letter came"}, "sup2")

    def test_deadline_passes_overdue(self):
        # Make reviews due at once, then put one application past its deadline.
        st, _, out = self.srv.request("PUT", "/api/v1/passport-settings", {"review_days": 0},
                                      token=self.admin)
        self.assertEqual(st, 200, out)
        self.assertEqual(out["review_days"], 0)
        try:
            app = self.apply(minor_worker(105))
        finally:
            st, _, out = self.srv.request("PUT", "/api/v1/passport-settings",
                                          {"review_days": 14}, token=self.admin)
            self.assertEqual(st, 200, out)
        time.sleep(0.05)
        st, _, q = self.srv.request("GET", "/api/v1/passport-applications?queue=overdue",
                                    token=self.tok["sup1"])
        self.assertEqual(st, 200, q)
        ids = [a["id"] for a in q["applications"]]
        self.assertIn(app["id"], ids)
        self.assertTrue(all(a["overdue"] for a in q["applications"]))
        # Another office's supervisor does not see it; nor may ask for it.
        st, _, q2 = self.srv.request("GET", "/api/v1/passport-applications?queue=overdue",
                                     token=self.tok["supx"])
        self.assertNotIn(app["id"], [a["id"] for a in q2["applications"]])
        st, _, _ = self.srv.request(
            "GET", "/api/v1/passport-applications?queue=overdue&office=KANIM-JKS",
            token=self.tok["supx"])
        self.assertEqual(st, 403)
        day = TODAY.isoformat()
        st, _, stats = self.srv.request(
            "GET", "/api/v1/stats?from=%s&to=%s&by=office" % (day, day), token=self.tok["ana"])
        self.assertEqual(st, 200, stats)
        row = [r for r in stats["rows"] if r["office"] == "KANIM-JKS"][0]
        self.assertGreaterEqual(row["overdue"], 1)
        # A late review is recorded as late, and the deadline stays missed.
        done = self.act(app["id"], "review", {"decision": "release", "note": "late, sorry"},
                        "sup2")
        self.assertTrue(done["events"][-1]["late"])
        st, _, q = self.srv.request("GET", "/api/v1/passport-applications?queue=overdue",
                                    token=self.tok["sup1"])
        self.assertNotIn(app["id"], [a["id"] for a in q["applications"]])

    def test_bad_requests(self):
        for body, field in (
                ({"applicant": {"nik": "123", "surname": "X"}, "purpose": "tourism",
                  "interview": {"summary": "s"}}, "applicant.nik"),
                (dict(application(110), purpose="smuggling"), "purpose"),
                (dict(application(111), destination="XYZ"), "destination"),
                (dict(application(112), interview={"answers": {}}), "interview.summary"),
                (dict(application(113), interview={"summary": "s", "answers": {"zodiac": "x"}}),
                 "zodiac"),
                (dict(application(114), interview={"summary": "s", "interviewer": "nobody"}),
                 "interview.interviewer")):
            st, _, out = self.srv.request("POST", "/api/v1/passport-applications", body,
                                          token=self.tok["po"])
            self.assertEqual(st, 400, (body, out))
            self.assertIn(field, out["detail"])
        self.apply(application(115, office="KANIM-SBY"), want=403)
        self.apply(application(116), who="cp", want=403)
        self.apply(application(117, office="CGK"), who="ana", want=403)

    def test_umrah_maps_to_pilgrimage_and_is_approved(self):
        out = self.apply(application(120, age=55, sex="F", purpose="umrah", destination="SAU"))
        self.assertEqual(out["status"], "approved", out)

    def test_postponed_applicant_screened_at_departure(self):
        body = minor_worker(130, surname="WIBOWO")
        out = self.apply(body)
        self.assertEqual(out["status"], "postponed")
        b = body["applicant"]
        dep = {"traveller": {"surname": "WIBOWO", "given_names": "ADI",
                             "birth_date": b["birth_date"], "nationality": "IDN",
                             "nik": b["nik"]},
               "trip": {"destination": "MYS", "purpose": "tourism", "return_ticket": True}}
        st, _, d = self.srv.request("POST", "/api/v1/departures", dep, token=self.tok["cp"])
        self.assertEqual(st, 201, d)
        rules = {r["rule"]: r["text"] for r in d["reasons"]}
        self.assertIn("earlier_postponement", rules, d["reasons"])
        self.assertIn("postponed 1 time", rules["earlier_postponement"])
        # The same person by name and birth date, without the NIK.
        del dep["traveller"]["nik"]
        st, _, d = self.srv.request("POST", "/api/v1/departures", dep, token=self.tok["cp"])
        self.assertIn("earlier_postponement", {r["rule"] for r in d["reasons"]})
        # Someone else is not affected.
        dep["traveller"]["surname"] = "WIBISONO"
        st, _, d = self.srv.request("POST", "/api/v1/departures", dep, token=self.tok["cp"])
        self.assertNotIn("earlier_postponement", {r["rule"] for r in d["reasons"]})


if __name__ == "__main__":
    unittest.main()
