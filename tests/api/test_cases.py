"""Consular cases through the real server: a case of two rescued citizens is
opened, repatriated (the victims become protected), one later tries to depart
and gets `protect` while the case officer is notified; the other is found to
be a recruiter, marked a suspect, and is sent to secondary inspection."""
import unittest

from harness import Server

PW = "cases-password-123"
A = {"role": "victim", "surname": "WULANDARI", "given_names": "RATNA SARI",
     "birth_date": "1998-04-12", "nationality": "IDN", "nik": "3201015204980001"}
B = {"role": "victim", "surname": "KURNIAWAN", "given_names": "DEDI SETIAWAN",
     "birth_date": "1990-08-30", "nationality": "IDN", "document_number": "C7654321"}


class Cases(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = Server()
        admin = cls.srv.admin()
        for name, role, office in (("kons", "consular_officer", "KBRI-PNH"),
                                   ("cp", "checkpoint_officer", "CGK"), ("ana", "analyst", None)):
            body = {"username": name, "role": role, "password": PW}
            if office:
                body["office"] = office
            st, _, out = cls.srv.request("POST", "/api/v1/users", body, token=admin)
            assert st == 201, out
        cls.kons = cls.srv.login("kons", PW)
        cls.cp = cls.srv.login("cp", PW)
        cls.ana = cls.srv.login("ana", PW)

    @classmethod
    def tearDownClass(cls):
        cls.srv.cleanup()

    def screen(self, p):
        t = {k: p[k] for k in ("surname", "given_names", "birth_date", "nationality") if k in p}
        if "nik" in p:
            t["nik"] = p["nik"]
        if "document_number" in p:
            t["document_number"] = p["document_number"]
        st, _, out = self.srv.request("POST", "/api/v1/departures",
                                      {"traveller": t, "trip": {"destination": "THA",
                                                                "purpose": "tourism",
                                                                "return_ticket": True}},
                                      token=self.cp)
        self.assertEqual(st, 201, out)
        return out

    def test_case_lifecycle(self):
        body = {"situation": "scam_compound", "location": {"country": "KHM",
                                                            "place": "Sihanoukville"},
                "recruitment_method": "online job advertisement",
                "control_methods": ["confiscated passport", "debt"], "consent_to_share": True,
                "persons": [A, B]}
        st, _, case = self.srv.request("POST", "/api/v1/cases", body, token=self.kons)
        self.assertEqual(st, 201, case)
        self.assertEqual(case["status"], "reported")
        self.assertEqual(len(case["persons"]), 2)
        cid = case["id"]
        # Not home yet: an open case, not yet a protected watchlist entry.
        out = self.screen(A)
        self.assertEqual(out["recommendation"], "protect", out)  # open consular case
        for status in ("located", "in_shelter", "exit_permit_pending", "repatriated"):
            st, _, case = self.srv.request("PATCH", "/api/v1/cases/%d" % cid,
                                           {"status": status, "note": "now " + status},
                                           token=self.kons)
            self.assertEqual(st, 200, case)
        self.assertEqual(case["status"], "repatriated")
        self.assertTrue(all("watchlist_entry_id" in p for p in case["persons"]), case)
        self.assertEqual([e["status"] for e in case["timeline"] if e["kind"] == "status"],
                         ["located", "in_shelter", "exit_permit_pending", "repatriated"])
        out = self.screen(A)
        self.assertEqual(out["recommendation"], "protect", out)
        st, _, notes = self.srv.request("GET", "/api/v1/notifications", token=self.kons)
        self.assertTrue(any(n["object_id"] == str(cid) for n in notes["notifications"]), notes)
        # B turns out to be a recruiter.
        pid_b = [p["person_id"] for p in case["persons"] if p["surname"] == "KURNIAWAN"][0]
        st, _, case = self.srv.request("PATCH", "/api/v1/cases/%d/persons/%d" % (cid, pid_b),
                                       {"role": "suspect"}, token=self.kons)
        self.assertEqual(st, 200, case)
        out = self.screen(B)
        self.assertIn(out["recommendation"], ("secondary", "refuse"), out)
        self.assertEqual(out["matches"][0]["category"], "trafficker")
        self.assertNotEqual(out["recommendation"], "protect")

    def test_roles_and_errors(self):
        st, _, _ = self.srv.request("POST", "/api/v1/cases", {"situation": "x"}, token=self.cp)
        self.assertEqual(st, 403)
        st, _, out = self.srv.request("POST", "/api/v1/cases", {"status": "lost"},
                                      token=self.kons)
        self.assertEqual(st, 400)
        self.assertIn("'status'", out["detail"])
        st, _, out = self.srv.request("POST", "/api/v1/cases",
                                      {"persons": [{"role": "hero", "surname": "X"}]},
                                      token=self.kons)
        self.assertEqual(st, 400)
        self.assertIn("'role'", out["detail"])
        st, _, _ = self.srv.request("GET", "/api/v1/cases/99999", token=self.kons)
        self.assertEqual(st, 404)


if __name__ == "__main__":
    unittest.main()
