"""Departure screening scenarios through the real server: the risky one-way
tourist with a shared sponsor, a watchlisted traveller, a past victim, an
ordinary family, the officer's outcome, the queue, and rulesets (a ruleset
reading traveller.sex is refused; upload, backtest, activate)."""
import datetime
import json
import os
import unittest

from harness import Server, run

PW = "departures-password-1"
TODAY = datetime.date.today()


def born(age):
    return "%04d-%02d-%02d" % (TODAY.year - age, 1, 15)


def days_ago(n):
    return (TODAY - datetime.timedelta(days=n)).isoformat()


class Departures(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = Server()
        admin = cls.srv.admin()
        users = (("cp", "checkpoint_officer", "CGK"), ("cp2", "checkpoint_officer", "DPS"),
                 ("sup", "supervisor", "CGK"), ("ana", "analyst", None))
        for name, role, office in users:
            body = {"username": name, "role": role, "password": PW}
            if office:
                body["office"] = office
            st, _, out = cls.srv.request("POST", "/api/v1/users", body, token=admin)
            assert st == 201, out
        cls.cp = cls.srv.login("cp", PW)
        cls.cp2 = cls.srv.login("cp2", PW)
        cls.sup = cls.srv.login("sup", PW)
        cls.ana = cls.srv.login("ana", PW)
        for e in ({"id": "R1", "kind": "person", "name": "Agus Salim Hidayatullah",
                   "birth_date": "1980-05-05", "nationality": "IDN", "category": "recruiter",
                   "action": "refuse_departure"},
                  {"id": "V1", "kind": "person", "name": "Dewi Lestari Anggraini",
                   "birth_date": "1999-02-03", "nationality": "IDN",
                   "category": "protected_victim", "action": "protect"}):
            st, _, out = cls.srv.request("POST", "/api/v1/watchlist/entries", e, token=cls.ana)
            assert st == 201, out

    @classmethod
    def tearDownClass(cls):
        cls.srv.cleanup()

    def screen(self, body, token=None):
        st, _, out = self.srv.request("POST", "/api/v1/departures", body, token=token or self.cp)
        self.assertEqual(st, 201, out)
        return out

    def test_a_one_way_tourist_shared_sponsor(self):
        sponsor = {"name": "Hendra Wijaya", "company": "PT Cahaya Karir Global",
                   "phone": "+62 812 5555 0101"}
        trip = {"carrier": "VJ", "flight": "VJ802", "destination": "KHM", "purpose": "tourism",
                "return_ticket": False}
        for i in range(5):
            self.screen({"traveller": {"surname": "RAHMAN%d" % i, "given_names": "ANDI",
                                       "birth_date": born(24), "nationality": "IDN"},
                         "trip": trip, "sponsor": sponsor})
        out = self.screen({
            "traveller": {"surname": "PUTRI", "given_names": "SARI", "birth_date": born(22),
                          "nationality": "IDN", "document_number": "C1234567",
                          "document_issued": days_ago(10)},
            "trip": trip, "sponsor": sponsor})
        self.assertIn(out["recommendation"], ("secondary", "refuse"), out)
        rules = {r["rule"] for r in out["reasons"]}
        for want in ("one_way_tourist_scam_hub", "shared_sponsor", "new_passport",
                     "young_first_trip"):
            self.assertIn(want, rules, out["reasons"])
        texts = " ".join(r["text"] for r in out["reasons"])
        self.assertIn("aged 22", texts)
        self.assertIn("KHM", texts)
        self.assertIn("5", texts)
        self.assertEqual(out["group"]["same_sponsor"], 5)
        self.assertEqual(len(out["ruleset_version"]), 64)
        self.assertIsInstance(out["id"], int)

    def test_b_watchlisted_traveller_refused(self):
        out = self.screen({"traveller": {"surname": "HIDAYATULLAH", "given_names": "AGUS SALIM",
                                         "birth_date": "1980-05-05", "nationality": "IDN"},
                           "trip": {"destination": "MYS", "purpose": "business",
                                    "return_ticket": True}})
        self.assertEqual(out["recommendation"], "refuse", out)
        self.assertEqual(out["matches"][0]["action"], "refuse_departure")
        self.assertTrue(out["matches"][0]["reasons"])

    def test_c_past_victim_protected(self):
        out = self.screen({"traveller": {"surname": "ANGGRAINI", "given_names": "DEWI LESTARI",
                                         "birth_date": "1999-02-03", "nationality": "IDN"},
                           "trip": {"destination": "THA", "final_destination": "KHM",
                                    "purpose": "tourism", "return_ticket": False}})
        self.assertEqual(out["recommendation"], "protect", out)
        self.assertIn("protection", out)
        self.assertNotIn("suspect", out["protection"].replace("not a suspect", ""))

    def test_d_family_holiday_clear(self):
        for who in (("SANTOSO", "BAMBANG", 45), ("SANTOSO", "RINA", 42), ("SANTOSO", "ADI", 12)):
            out = self.screen({"traveller": {"surname": who[0], "given_names": who[1],
                                             "birth_date": born(who[2]), "nationality": "IDN",
                                             "document_issued": days_ago(900)},
                               "trip": {"destination": "JPN", "purpose": "tourism",
                                        "return_ticket": True, "booking_ref": "FAM123"}})
            self.assertEqual(out["recommendation"], "clear", out)

    def test_manifest_matched_on_every_core(self):
        """A 48-person manifest: its persons are matched on several threads
        before the transaction, then screened one by one; the answers are
        those of screening each person alone."""
        given = ["BUDI", "SITI", "WAYAN", "NUR", "ANDI", "DEWI", "RUDI", "AYU"]
        family = ["PRATAMA", "WULANDARI", "SUSANTO", "HARTONO", "KUSUMA", "LUBIS"]
        persons = []
        for i in range(48):
            persons.append({"role": "passenger", "surname": family[i % 6],
                            "given_names": given[i % 8] + " " + given[(i * 3 + 1) % 8],
                            "birth_date": born(20 + i % 40), "nationality": "IDN",
                            "document_number": "M%07d" % i, "booking_ref": "BK%02d" % i})
        persons[7].update(surname="HIDAYATULLAH", given_names="AGUS SALIM",
                          birth_date="1980-05-05")
        persons[30].update(surname="ANGGRAINI", given_names="DEWI LESTARI",
                           birth_date="1999-02-03")
        persons[41].update(surname="", given_names="")
        man = {"flight": {"carrier": "GA", "flight": "GA820", "departure_port": "CGK",
                          "arrival_port": "KUL"}, "persons": persons}
        st, _, out = self.srv.request("POST", "/api/v1/manifests", man, token=self.cp)
        self.assertEqual(st, 201, out)
        got = out["persons"]
        self.assertEqual(len(got), 48)
        self.assertEqual(got[7]["recommendation"], "refuse", got[7])
        self.assertEqual(got[7]["matches"][0]["action"], "refuse_departure")
        self.assertEqual(got[30]["recommendation"], "protect", got[30])
        # no name: screened on the document number, the missing name reported
        self.assertIn("screening_id", got[41])
        self.assertIn("surname", [p["field"] for p in got[41]["problems"]])
        recs = out["summary"]["recommendations"]
        self.assertEqual(sum(recs.values()), 48, recs)
        self.assertEqual(recs["refuse"], 1, recs)
        self.assertEqual(recs["protect"], 1, recs)
        self.assertEqual(len({p["screening_id"] for p in got}), 48)
        # each person's matches as a screening of that person alone gives them
        for i in (7, 30, 3, 12):
            p = persons[i]
            alone = self.screen({"traveller": {k: p[k] for k in ("surname", "given_names",
                                                               "birth_date", "nationality")},
                                 "trip": {"destination": "MYS"}})
            self.assertEqual([(m["entry_id"], m["score"]) for m in alone["matches"]],
                             [(m["entry_id"], m["score"]) for m in got[i]["matches"]], i)

    def test_manifest_cli_gives_the_lines_of_the_http_answer(self):
        """lintas manifest prints one JSON line per person, then the summary;
        the lines are those of the HTTP answer to the same manifest (each
        screening with its own id, the last key of its line)."""
        persons = [{"role": "passenger", "surname": "HIDAYATULLAH", "given_names": "AGUS SALIM",
                    "birth_date": "1980-05-05", "nationality": "IDN", "document_number": "C1"},
                   {"role": "passenger", "surname": "PURNAMA", "given_names": "\"RINI\" \\ T",
                    "birth_date": born(30), "nationality": "IDN", "document_number": "C2"},
                   {"role": "crew", "surname": "", "given_names": "", "nationality": "IDN"}]
        man = {"flight": {"carrier": "GA", "flight": "GA821", "departure_port": "CGK",
                          "arrival_port": "KUL"}, "persons": persons}
        path = os.path.join(self.srv.dir, "cli-manifest.json")
        with open(path, "w") as f:
            json.dump(man, f)
        p = run("manifest", "--db", self.srv.db, "--checkpoint", "CGK", path)
        self.assertEqual(p.returncode, 0, p.stderr)
        lines = [json.loads(x) for x in p.stdout.splitlines()]
        self.assertEqual(len(lines), 4, p.stdout)
        self.assertEqual(list(lines[3]), ["summary"])
        self.assertEqual(lines[3]["summary"]["recommendations"]["refuse"], 1, lines[3])
        self.assertEqual(lines[0]["recommendation"], "refuse", lines[0])
        st, _, out = self.srv.request("POST", "/api/v1/manifests", man, token=self.cp)
        self.assertEqual(st, 201, out)
        for cli, http in zip(lines[:2], out["persons"]):
            self.assertEqual(list(cli)[-1], "screening_id", cli)
            self.assertEqual(list(http)[-1], "screening_id", http)
            self.assertGreater(http["screening_id"], cli["screening_id"])
            cli.pop("screening_id"), http.pop("screening_id")
            self.assertEqual(cli, http)
        # no name, no document: not screened, and so no id
        self.assertIn("screening_error", lines[2])
        self.assertNotIn("screening_id", lines[2])
        self.assertEqual(lines[2], out["persons"][2])
        self.assertEqual(lines[1]["given_names"], '"RINI" \\ T')
        self.assertEqual(lines[3]["summary"], out["summary"])
        with open(path, "w") as f:
            f.write("UNB+UNOA:4+X")
        p = run("manifest", "--db", self.srv.db, "--checkpoint", "CGK", path)
        self.assertNotEqual(p.returncode, 0)
        self.assertEqual(p.stdout, "")
        self.assertIn("cli-manifest.json", p.stderr)

    def test_manifest_group_counts_the_persons_ahead(self):
        """A manifest's persons are screened before any is recorded, so the
        persons ahead of each in the same manifest are added to the group the
        store holds: the counts are those of screening them one by one."""
        self.screen({"traveller": {"surname": "KELOMPOK", "given_names": "PERTAMA",
                                   "nationality": "IDN"},
                     "trip": {"destination": "MYS", "booking_ref": "MGRP01"}})

        def pax(surname, given, booking, born_on="1990-01-01"):
            return {"role": "passenger", "surname": surname, "given_names": given,
                    "birth_date": born_on, "nationality": "IDN", "booking_ref": booking}
        persons = [pax("KELOMPOK", "KEDUA", "MGRP01"), pax("LAIN", "SATU", "MGRP02"),
                   pax("KELOMPOK", "KETIGA", "MGRP01"), pax("HIDAYATULLAH", "AGUS SALIM",
                                                            "MGRP03", "1980-05-05"),
                   pax("KELOMPOK", "KEEMPAT", "MGRP01"), pax("TEMAN", "AGUS", "MGRP03"),
                   pax("LAIN", "DUA", "MGRP02")]
        man = {"flight": {"carrier": "GA", "flight": "GA821", "departure_port": "CGK",
                          "arrival_port": "KUL"}, "persons": persons}
        st, _, out = self.srv.request("POST", "/api/v1/manifests", man, token=self.cp)
        self.assertEqual(st, 201, out)
        import json
        import sqlite3
        db = sqlite3.connect(self.srv.db)
        try:
            groups = [json.loads(db.execute("SELECT facts FROM departures WHERE id = ?",
                                            (p["screening_id"],)).fetchone()[0])["group"]
                      for p in out["persons"]]
        finally:
            db.close()
        self.assertEqual([g["same_booking"] for g in groups], [1, 0, 2, 0, 3, 1, 1])
        self.assertEqual([g["others"] for g in groups], [1, 0, 2, 0, 3, 1, 1])
        self.assertEqual(out["persons"][3]["recommendation"], "refuse")
        self.assertTrue(groups[5]["any_matched"], groups[5])
        self.assertFalse(groups[6]["any_matched"], groups[6])

    def test_mrz_traveller(self):
        out = self.screen({"traveller": {"mrz": [
            "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
            "L898902C36UTO7408122F1204159ZE184226B<<<<<10"]},
            "trip": {"destination": "SGP", "purpose": "business", "return_ticket": True}})
        self.assertEqual(out["document"]["surname"], "ERIKSSON")
        self.assertIn(out["recommendation"], ("clear", "secondary"))

    def test_other_checkpoint_forbidden_and_bad_fields(self):
        st, _, out = self.srv.request("POST", "/api/v1/departures",
                                      {"checkpoint": "DPS", "traveller": {"surname": "X"}},
                                      token=self.cp)
        self.assertEqual(st, 403, out)
        for body, field in (({"traveller": {"surname": "X", "nationality": "XYZ"}},
                             "traveller.nationality"),
                            ({"traveller": {"surname": "X"}, "trip": {"purpose": "smuggling"}},
                             "trip.purpose"),
                            ({"trip": {}}, "traveller"),
                            ({"traveller": {"surname": "X", "birth_date": "1990-02-30"}},
                             "traveller.birth_date")):
            st, _, out = self.srv.request("POST", "/api/v1/departures", body, token=self.cp)
            self.assertEqual(st, 400, (body, out))
            self.assertIn("'%s'" % field, out["detail"])
        st, _, _ = self.srv.request("POST", "/api/v1/departures", {"traveller": {"surname": "X"}},
                                    token=self.ana)
        self.assertEqual(st, 403)

    def test_several_bad_fields_listed(self):
        """Every bad field of a request is named, each in the errors array,
        and a sex that is not M, F, U or X is one of them."""
        body = {"traveller": {"surname": "X", "nationality": "ZZZ", "sex": "Q",
                              "birth_date": "1990-13-01"},
                "trip": {"destination": "QQQ", "return_ticket": "no"}}
        st, _, out = self.srv.request("POST", "/api/v1/departures", body, token=self.cp)
        self.assertEqual(st, 400, out)
        fields = [e.get("field") for e in out["errors"]]
        for want in ("traveller.nationality", "traveller.sex", "traveller.birth_date",
                     "trip.destination", "trip.return_ticket"):
            self.assertIn(want, fields, out)
        self.assertIn("'Q' is not M, F, U or X", out["detail"])
        self.assertNotIn("\n", out["detail"])
        st, _, out = self.srv.request("POST", "/api/v1/departures",
                                      {"traveller": {"surname": "X", "sex": "Q"}},
                                      token=self.cp)
        self.assertEqual(st, 400, out)
        self.assertNotIn("errors", out)  # one problem: detail alone
        self.assertIn("'traveller.sex'", out["detail"])
        st, _, out = self.srv.request("POST", "/api/v1/departures",
                                      {"traveller": {"mrz": ["garbage"]}}, token=self.cp)
        self.assertEqual(st, 400, out)
        self.assertIn("field 'traveller.mrz': not a machine-readable zone", out["detail"])

    def test_sponsor_company_matched_beside_a_name(self):
        """A sponsor named as a person who works for a listed recruiter: the
        company is matched too, and the reason quotes the listed name."""
        e = {"id": "ORG1", "kind": "organization", "name": "PT Sinar Bahari Recruitment",
             "category": "recruiter", "action": "secondary_inspection"}
        st, _, out = self.srv.request("POST", "/api/v1/watchlist/entries", e, token=self.ana)
        self.assertEqual(st, 201, out)
        out = self.screen({"traveller": {"surname": "WULANDARI", "given_names": "RINA",
                                         "birth_date": born(30), "nationality": "IDN"},
                           "trip": {"destination": "MYS", "purpose": "tourism",
                                    "return_ticket": True},
                           "sponsor": {"name": "Pak Darmawan",
                                       "company": "PT Sinar Bahari Recruitment"}})
        names = [m["name"] for m in out.get("sponsor_matches", [])]
        self.assertIn("PT Sinar Bahari Recruitment", names, out)
        hit = [r for r in out["reasons"] if r["rule"] == "recruiter_sponsor"]
        self.assertEqual(len(hit), 1, out["reasons"])
        self.assertIn("sponsor PT Sinar Bahari Recruitment matches watchlist entry", hit[0]["text"])

    def test_manifest_checkpoint_and_content_type(self):
        """A manifest names a known checkpoint, and its Content-Type says how
        it is read: JSON, EDIFACT, or (no type, or curl's form type) either."""
        man = {"flight": {"carrier": "GA", "flight": "GA820", "departure_port": "CGK",
                          "arrival_port": "KUL"},
               "persons": [{"role": "passenger", "surname": "SARI", "given_names": "DEWI",
                            "birth_date": "1990-01-02", "nationality": "IDN",
                            "document_number": "B7654321"}]}
        st, _, out = self.srv.request("POST", "/api/v1/manifests?checkpoint=XXX", man,
                                      token=self.ana)
        self.assertEqual(st, 400, out)
        self.assertIn("'XXX' is not a known checkpoint", out["detail"])
        raw = json.dumps(man).encode()
        for ctype, want in (("application/json; charset=utf-8", 201),
                            ("application/x-www-form-urlencoded", 201), (None, 201),
                            ("application/edifact", 400), ("application/xml", 415),
                            ("text/html", 415)):
            headers = {"Content-Type": ctype} if ctype else {}
            st, _, out = self.srv.request("POST", "/api/v1/manifests", raw=raw,
                                          headers=headers, token=self.cp)
            self.assertEqual(st, want, (ctype, out))
        edi = b"UNA:+.? 'UNB+UNOA:4+GA+IDN+260101:0000+1'UNH+1+PAXLST:D:05B:UN:IATA'"
        st, _, out = self.srv.request("POST", "/api/v1/manifests", raw=edi,
                                      headers={"Content-Type": "application/json"},
                                      token=self.cp)
        self.assertEqual(st, 400, out)
        self.assertNotIn("UNA, UNB or UNH", out["detail"])  # read as JSON, not as EDIFACT

    def test_outcome_and_queue(self):
        out = self.screen({"traveller": {"surname": "HIDAYATULLAH", "given_names": "AGUS SALIM",
                                         "birth_date": "1980-05-05", "nationality": "IDN"},
                           "trip": {"destination": "MYS", "booking_ref": "Q1"}})
        did = out["id"]
        path = "/api/v1/departures/%d/outcome" % did
        st, _, o = self.srv.request("POST", path, {"outcome": "departed"}, token=self.cp)
        self.assertEqual(st, 400, o)  # against a refusal: a note is required
        self.assertIn("'note'", o["detail"])
        st, _, o = self.srv.request("POST", path, {"outcome": "departed"}, token=self.cp2)
        self.assertEqual(st, 403)
        st, _, o = self.srv.request("POST", path, {"outcome": "intercepted",
                                                   "reason_code": "watchlist_recruiter",
                                                   "note": "confirmed at interview"},
                                    token=self.cp)
        self.assertEqual(st, 200, o)
        self.assertFalse(o["overridden"])
        st, _, o = self.srv.request("POST", path, {"outcome": "departed", "note": "x"},
                                    token=self.cp)
        self.assertEqual(st, 409)
        st, _, q = self.srv.request("GET", "/api/v1/departures?recommendation=refuse",
                                    token=self.cp)
        self.assertEqual(st, 200)
        ids = [d["id"] for d in q["departures"]]
        self.assertIn(did, ids)
        self.assertTrue(all(d["recommendation"] == "refuse" for d in q["departures"]))
        st, _, q = self.srv.request("GET", "/api/v1/departures", token=self.cp2)
        self.assertNotIn(did, [d["id"] for d in q["departures"]])
        st, _, q = self.srv.request("GET", "/api/v1/departures?checkpoint=CGK", token=self.cp2)
        self.assertEqual(st, 403)
        st, _, one = self.srv.request("GET", "/api/v1/departures/%d" % did, token=self.sup)
        self.assertEqual((st, one["outcome"]["outcome"]), (200, "intercepted"))

    def test_sponsor_phone_written_two_ways(self):
        """A listed phone written the international way matches a sponsor's
        phone written the national way (trunk prefix 0), and travellers whose
        sponsors wrote one number two ways form one group."""
        e = {"id": "PH1", "kind": "phone", "phone": "+62 813 4444 0909",
             "category": "recruiter", "action": "secondary_inspection"}
        st, _, out = self.srv.request("POST", "/api/v1/watchlist/entries", e, token=self.ana)
        self.assertEqual(st, 201, out)
        outs = []
        for i, phone in enumerate(("0813-4444-0909", "(0813) 4444 0909", "0062 813 4444 0909")):
            outs.append(self.screen({"traveller": {"surname": "TELEPON%d" % i, "given_names": "ADI",
                                                   "birth_date": born(35), "nationality": "IDN"},
                                     "trip": {"destination": "MYS", "purpose": "business",
                                              "return_ticket": True},
                                     "sponsor": {"phone": phone}}))
        for out in outs:
            entries = [m.get("entry_id") for m in out.get("sponsor_matches", [])]
            self.assertTrue(entries, out)
            self.assertIn("phone", {m.get("kind") for m in out["sponsor_matches"]}, out)
        self.assertEqual(outs[2]["group"]["same_sponsor"], 2, outs[2]["group"])
        st, _, m = self.srv.request("POST", "/api/v1/match", {"phone": "0813 4444 0909"},
                                    token=self.ana)
        self.assertEqual(st, 200, m)
        self.assertTrue(m["matches"], m)

    def test_outcome_checks_and_queue_groups(self):
        """A note of blanks is no note; a reason code is one word; the queue
        keeps a group linked by a sponsor across bookings together, says who
        each traveller is, refuses a filter it does not know."""
        phone = "+62 812 7777 0303"
        ids = []
        for i, booking in enumerate(("QG1", "QG1", "QG2", "")):
            out = self.screen({"traveller": {"surname": "KELOMPOK%d" % i, "given_names": "SRI",
                                             "birth_date": born(25), "nationality": "IDN",
                                             "document_number": "QG%06d" % i},
                               "trip": {"destination": "MYS", "flight": "QZ202",
                                        "booking_ref": booking or None},
                               "sponsor": {"phone": phone}})
            ids.append(out["id"])
        other = self.screen({"traveller": {"surname": "SENDIRI", "given_names": "SRI",
                                           "birth_date": born(40), "nationality": "IDN"},
                             "trip": {"destination": "SGP"}})["id"]
        st, _, q = self.srv.request("GET", "/api/v1/departures", token=self.cp)
        self.assertEqual(st, 200, q)
        self.assertFalse(q["truncated"])
        rows = q["departures"]
        pos = [i for i, d in enumerate(rows) if d["id"] in ids]
        self.assertEqual(pos, list(range(pos[0], pos[0] + 4)), "the group is listed together")
        keys = {rows[i]["group_key"] for i in pos}
        self.assertEqual(keys, {"g%d" % ids[0]})
        alone = [d for d in rows if d["id"] == other][0]
        self.assertIsNone(alone["group_key"])
        self.assertEqual(rows[pos[0]]["traveller"]["surname"], "KELOMPOK0")
        self.assertEqual(rows[pos[0]]["traveller"]["document_number"], "QG000000")
        self.assertEqual(rows[pos[0]]["flight"], "QZ202")
        for bad in ("bogus", "REFUSE", "refuse,protect"):
            st, _, o = self.srv.request("GET", "/api/v1/departures?recommendation=" + bad,
                                        token=self.cp)
            self.assertEqual(st, 400, (bad, o))
            self.assertIn("'recommendation'", o["detail"])
        st, _, o = self.srv.request("GET", "/api/v1/departures?checkpoint=ZZZ", token=self.ana)
        self.assertEqual(st, 400, o)
        path = "/api/v1/departures/%d/outcome" % ids[0]
        for body in ({"outcome": "intercepted", "reason_code": "   ", "note": "x"},
                     {"outcome": "intercepted", "reason_code": "two words", "note": "x"},
                     {"outcome": "intercepted", "reason_code": "a\nb", "note": "x"}):
            st, _, o = self.srv.request("POST", path, body, token=self.cp)
            self.assertEqual(st, 400, (body, o))
            self.assertIn("'reason_code'", o["detail"])
        refused = self.screen({"traveller": {"surname": "HIDAYATULLAH",
                                             "given_names": "AGUS SALIM",
                                             "birth_date": "1980-05-05", "nationality": "IDN"},
                               "trip": {"destination": "MYS"}})
        self.assertEqual(refused["recommendation"], "refuse", refused)
        rpath = "/api/v1/departures/%d/outcome" % refused["id"]
        st, _, o = self.srv.request("POST", rpath, {"outcome": "departed", "note": "   "},
                                    token=self.cp)
        self.assertEqual(st, 400, o)
        self.assertIn("'note'", o["detail"])
        st, _, o = self.srv.request("POST", rpath, {"outcome": "departed",
                                                    "note": "cleared by the supervisor"},
                                    token=self.cp)
        self.assertEqual((st, o["overridden"]), (200, True), o)
        st, _, one = self.srv.request("GET", "/api/v1/departures/%d" % refused["id"],
                                      token=self.cp)
        self.assertEqual(one["outcome"]["note"], "cleared by the supervisor")
        self.assertTrue(one["outcome"]["overridden"])

    def test_rulesets(self):
        bad = ("schema departure\nthreshold secondary 40\nthreshold refuse 100\n"
               "rule women_alone:\n  when traveller.sex = \"F\"\n  then score 50\n"
               "  reason \"x\"\n")
        st, _, out = self.srv.request("POST", "/api/v1/rulesets",
                                      {"kind": "departure", "source": bad}, token=self.ana)
        self.assertEqual(st, 400, out)
        self.assertIn("traveller.sex", out["detail"])
        self.assertRegex(out["detail"], r"5:\d+")
        strict = ("schema departure\nthreshold secondary 1\nthreshold refuse 1000\n"
                  "rule any_trip:\n  when trip.purpose = \"tourism\"\n  then score 5\n"
                  "  reason \"tourist\"\n")
        st, _, up = self.srv.request("POST", "/api/v1/rulesets",
                                     {"kind": "departure", "source": strict, "note": "test"},
                                     token=self.ana)
        self.assertEqual(st, 201, up)
        self.assertEqual(up["state"], "candidate")
        st, _, bt = self.srv.request("POST", "/api/v1/rulesets/%d/backtest" % up["id"],
                                     {"from": days_ago(1), "to": TODAY.isoformat()},
                                     token=self.ana)
        self.assertEqual(st, 200, bt)
        self.assertGreater(bt["screenings"], 0)
        st, _, _ = self.srv.request("POST", "/api/v1/rulesets/%d/activate" % up["id"],
                                    token=self.ana)
        self.assertEqual(st, 403)  # analysts upload, supervisors activate
        st, _, _ = self.srv.request("POST", "/api/v1/rulesets/%d/activate" % up["id"],
                                    token=self.sup)
        self.assertEqual(st, 200)
        out = self.screen({"traveller": {"surname": "TEST", "given_names": "ONE"},
                           "trip": {"destination": "JPN", "purpose": "tourism"}})
        self.assertEqual(out["ruleset_version"], up["version"])
        self.assertEqual(out["recommendation"], "secondary")
        # the same source again is that ruleset as it is: active, its note kept
        st, _, again = self.srv.request("POST", "/api/v1/rulesets",
                                        {"kind": "departure", "source": strict, "note": "x"},
                                        token=self.ana)
        self.assertEqual(st, 200, again)
        self.assertEqual((again["id"], again["state"], again["note"]), (up["id"], "active", "test"))
        self.assertTrue(again["already_uploaded"])
        st, _, o = self.srv.request("GET", "/api/v1/rulesets?kind=bogus", token=self.ana)
        self.assertEqual(st, 400, o)
        st, _, o = self.srv.request("POST", "/api/v1/rulesets/%d/backtest" % up["id"],
                                    {"from": TODAY.isoformat(), "to": days_ago(30)},
                                    token=self.ana)
        self.assertEqual(st, 400, o)
        self.assertIn("'to'", o["detail"])
        broken = "schema departure\nrule a:\n  when trip.nosuch = 1\n  then score 5\n" \
                 "  reason \"x\"\nrule b:\n  when trip.other = 2\n  then score 5\n  reason \"y\"\n"
        st, _, o = self.srv.request("POST", "/api/v1/rulesets",
                                    {"kind": "departure", "source": broken}, token=self.ana)
        self.assertEqual(st, 400, o)
        self.assertNotIn(":;", o["detail"])
        self.assertGreaterEqual(len(o["errors"]), 2, o)
        self.assertTrue(all(e["field"] == "source" for e in o["errors"]), o["errors"])
        # put the default back for the other tests
        st, _, lst = self.srv.request("GET", "/api/v1/rulesets?kind=departure", token=self.ana)
        default = [r for r in lst["rulesets"] if r["uploaded_by"] == "(lintas)"][0]
        st, _, _ = self.srv.request("POST", "/api/v1/rulesets/%d/activate" % default["id"],
                                    token=self.sup)
        self.assertEqual(st, 200)


class DepartureFacts(unittest.TestCase):
    """The group and history facts count each earlier screening once, however
    many of its keys (booking, sponsor phone, sponsor company; document,
    name) it shares with the traveller."""

    @classmethod
    def setUpClass(cls):
        cls.srv = Server()
        admin = cls.srv.admin()
        st, _, out = cls.srv.request("POST", "/api/v1/users",
                                     {"username": "cp", "role": "checkpoint_officer",
                                      "office": "CGK", "password": PW}, token=admin)
        assert st == 201, out
        cls.cp = cls.srv.login("cp", PW)

    @classmethod
    def tearDownClass(cls):
        cls.srv.cleanup()

    def screen(self, traveller, trip=None, sponsor=None):
        body = {"traveller": traveller,
                "trip": trip or {"destination": "JPN", "purpose": "tourism",
                                 "return_ticket": True}}
        if sponsor:
            body["sponsor"] = sponsor
        st, _, out = self.srv.request("POST", "/api/v1/departures", body, token=self.cp)
        self.assertEqual(st, 201, out)
        return out

    def stored_facts(self, dep_id):
        import json
        import sqlite3
        db = sqlite3.connect(self.srv.db)
        try:
            row = db.execute("SELECT facts FROM departures WHERE id = ?", (dep_id,)).fetchone()
        finally:
            db.close()
        return json.loads(row[0])

    def test_group_overlaps(self):
        def trip(booking):
            t = {"destination": "MYS", "purpose": "tourism", "return_ticket": True}
            if booking:
                t["booking_ref"] = booking
            return t
        # booking B, phone P, company C in these combinations:
        for i, (b, p, c) in enumerate(((1, 1, 1), (1, 1, 0), (0, 1, 1), (0, 0, 1),
                                       (1, 0, 0), (0, 0, 0))):
            sponsor = {}
            if p:
                sponsor["phone"] = "+62 811 0000 777"
            if c:
                sponsor["company"] = "PT Overlap Jaya"
            if not sponsor:
                sponsor["name"] = "Nobody Related"
            self.screen({"surname": "GROUP%d" % i, "given_names": "TRAVELLER",
                         "nationality": "IDN"}, trip("OVL777" if b else None), sponsor)
        out = self.screen({"surname": "GROUPLAST", "given_names": "TRAVELLER",
                           "nationality": "IDN"}, trip("OVL777"),
                          {"phone": "+62 811 0000 777", "company": "PT Overlap Jaya"})
        self.assertEqual(out["group"], {"others": 5, "same_booking": 3, "same_sponsor": 4})
        facts = self.stored_facts(out["id"])
        self.assertEqual(facts["group"]["others"], 5)
        self.assertFalse(facts["group"]["any_matched"])

    def test_history_overlaps(self):
        a = {"surname": "HISTORI", "given_names": "RATNA", "birth_date": "1991-03-04",
             "nationality": "IDN"}
        b = dict(a, surname="LAIN")
        want = ((a, "C5550001", 0), (a, "C5550001", 1), (a, "C5550002", 2),
                (b, "C5550001", 2), (a, "C5550001", 4))
        for who, doc, seen in want:
            out = self.screen(dict(who, document_number=doc))
            facts = self.stored_facts(out["id"])
            self.assertEqual(facts["history"]["departures"], seen, (who, doc, facts))


class RulesCommand(unittest.TestCase):
    def test_rules_check(self):
        import os
        import tempfile
        from harness import ROOT, run
        p = run("rules", "check", os.path.join(ROOT, "data", "rules", "departure.rules"))
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertRegex(p.stdout, r"version [0-9a-f]{64}")
        bad = os.path.join(tempfile.mkdtemp(), "bad.rules")
        with open(bad, "w") as f:
            f.write('schema departure\nthreshold secondary 40\nthreshold refuse 100\n'
                    'rule x:\n  when traveller.religion = "x"\n  then score 5\n  reason "r"\n')
        p = run("rules", "check", bad)
        self.assertEqual(p.returncode, 1)
        self.assertIn("bad.rules:5:", p.stdout)
        self.assertIn("protected", p.stdout)

    def test_screen_command(self):
        """lintas screen: an unknown --checkpoint is a usage error; a line that
        names another checkpoint is refused, not recorded elsewhere; a batch
        with bad lines says so on stderr."""
        import os
        import tempfile
        from harness import run
        db = os.path.join(tempfile.mkdtemp(), "s.db")
        self.assertEqual(run("init", "--db", db).returncode, 0)
        good = json.dumps({"traveller": {"surname": "SARI", "given_names": "DEWI",
                                         "nationality": "IDN"}})
        p = run("screen", "--db", db, "--checkpoint", "ZZZ", input=good + "\n")
        self.assertEqual(p.returncode, 2, p.stdout + p.stderr)
        self.assertIn("'ZZZ' is not a known checkpoint", p.stderr)
        self.assertEqual(p.stdout, "")
        lines = [good, json.dumps({"checkpoint": "DPS", "traveller": {"surname": "X"}}),
                 json.dumps({"traveller": {"surname": "X", "sex": "Q", "nationality": "ZZZ"}}),
                 good]
        p = run("screen", "--db", db, "--checkpoint", "CGK", input="\n".join(lines) + "\n")
        self.assertEqual(p.returncode, 1, p.stderr)
        out = [json.loads(l) for l in p.stdout.splitlines()]
        self.assertEqual(len(out), 4)
        self.assertIn("recommendation", out[0])
        self.assertIn("differs from --checkpoint CGK", out[1]["error"])
        self.assertIn("; field 'traveller.sex'", out[2]["error"])  # both fields, one line
        self.assertIn("recommendation", out[3])
        self.assertEqual(len(p.stderr.strip().splitlines()), 1, p.stderr)
        self.assertIn("2 lines not screened (the first: line 2)", p.stderr)


if __name__ == "__main__":
    unittest.main()
