"""POST /api/v1/documents/parse, and `lintas mrz` / `lintas nik` on the
command line, against the real binary."""
import json
import unittest

from harness import Server, run

TD3 = ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
       "L898902C36UTO7408122F1204159ZE184226B<<<<<10"]


class Documents(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = Server()
        cls.token = cls.srv.admin()

    @classmethod
    def tearDownClass(cls):
        cls.srv.cleanup()

    def post(self, body, token=True):
        return self.srv.request("POST", "/api/v1/documents/parse", body,
                                token=self.token if token else None)

    def test_mrz(self):
        st, _, out = self.post({"mrz": TD3})
        self.assertEqual(st, 200, out)
        self.assertEqual(out["format"], "TD3")
        self.assertEqual(out["surname"], "ERIKSSON")
        self.assertEqual(out["given_names"], "ANNA MARIA")
        self.assertEqual(out["birth_date"], "1974-08-12")
        self.assertEqual(out["document_number"], "L898902C3")
        self.assertTrue(out["valid"], out["errors"])
        bad = [TD3[0], TD3[1][:27] + "8" + TD3[1][28:]]  # expiry check digit
        st, _, out = self.post({"mrz": bad})
        self.assertEqual(st, 200)
        self.assertFalse(out["valid"])
        fields = {e["field"] for e in out["errors"]}
        self.assertIn("expiry_date", fields)

    def test_nik_and_cross_check(self):
        st, _, out = self.post({"nik": "3404025011880001"})
        self.assertEqual(st, 200, out)
        self.assertEqual((out["valid"], out["sex"], out["birth_date"], out["province_code"]),
                         (True, "F", "1988-11-10", "34"))
        st, _, out = self.post({"nik": "3404025011880001", "birth_date": "1988-11-11",
                                "sex": "M"})
        self.assertEqual(st, 200, out)
        self.assertTrue(out["valid"])  # a mismatch is a soft flag, never an error
        codes = {f["code"] for f in out["flags"]}
        self.assertEqual(codes, {"birth_date_mismatch", "sex_mismatch"})

    def test_bad_bodies(self):
        for body, field in (({"mrz": "not a list"}, "mrz"), ({"mrz": [1, 2]}, "mrz"),
                            ({"nik": 5}, "nik"), ({}, "")):
            st, _, out = self.post(body)
            self.assertEqual(st, 400, (body, out))
            if field:
                self.assertIn("'%s'" % field, out["detail"])
        st, _, _ = self.post({"mrz": TD3}, token=False)
        self.assertEqual(st, 401)

    def test_command_line(self):
        text = "\n".join(TD3) + "\n\n" + "\n".join(TD3[:1]) + "\n"
        p = run("mrz", input=text)
        self.assertEqual(p.returncode, 0, p.stderr)
        lines = [json.loads(l) for l in p.stdout.splitlines()]
        self.assertEqual(len(lines), 2)
        self.assertTrue(lines[0]["valid"])
        self.assertEqual(lines[1]["format"], "UNKNOWN")
        self.assertFalse(lines[1]["valid"])
        p = run("nik", "3404021011880001", "3704031011880001")
        out = [json.loads(l) for l in p.stdout.splitlines()]
        self.assertEqual([o["valid"] for o in out], [True, False])
        self.assertEqual(out[1]["errors"][0]["field"], "province_code")
        self.assertEqual(run("mrz", "--bogus").returncode, 2)


if __name__ == "__main__":
    unittest.main()
