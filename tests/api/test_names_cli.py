"""`lintas match` and `lintas compare` as a new user meets them, and the
query checks they share with POST /api/v1/match: every input line gets its
output line (an error line for a bad one) and the batch goes on, `match`
needs an id, a query is checked the same way on the command line and over
HTTP with the field named, a missing database is not created, a NUL in a
string is refused in plain words, and an unknown command is named."""
import json
import os
import tempfile
import unittest

from harness import Server, run

PW = "names-cli-password-1"


def lines(p):
    return [json.loads(l) for l in p.stdout.splitlines()]


class NamesCli(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = Server()
        admin = cls.srv.admin()
        body = {"username": "cp", "role": "checkpoint_officer", "password": PW,
                "office": "CGK"}
        st, _, out = cls.srv.request("POST", "/api/v1/users", body, token=admin)
        assert st == 201, out
        cls.officer = cls.srv.login("cp", PW)
        csv = os.path.join(cls.srv.dir, "wl.csv")
        with open(csv, "w") as f:
            f.write("id,kind,name,birth_date,nationality,category,action\n"
                    "N-1,person,Budi Santoso,1970-05-01,IDN,recruiter,secondary_inspection\n")
        run("watchlist", "import", "--db", cls.srv.db, "--format", "csv", csv, check=True)

    @classmethod
    def tearDownClass(cls):
        cls.srv.cleanup()

    def match(self, *queries, args=()):
        text = "".join((q if isinstance(q, str) else json.dumps(q)) + "\n" for q in queries)
        return run("match", "--db", self.srv.db, *args, input=text)

    def http_match(self, body):
        return self.srv.request("POST", "/api/v1/match", body, token=self.officer)

    # 1. A bad line gets an error line in its place; the next lines are answered.
    def test_match_bad_line_does_not_stop_the_batch(self):
        p = self.match({"id": "b1"}, {"id": "g2", "name": "Budi Santoso"}, "not json",
                       {"id": "g4", "name": "Budi Santoso"})
        self.assertEqual(p.returncode, 1, p.stderr)
        out = lines(p)
        self.assertEqual([o["id"] for o in out], ["b1", "g2", None, "g4"])
        self.assertEqual(sorted(out[0]), ["error", "id"])
        self.assertIn("line 1: field 'name'", out[0]["error"])
        self.assertIn("line 3:", out[2]["error"])
        for o in (out[1], out[3]):
            self.assertEqual(sorted(o), ["id", "matches"])
            self.assertEqual(o["matches"][0]["name"], "Budi Santoso")
        self.assertEqual(len(p.stderr.strip().splitlines()), 1, p.stderr)
        self.assertIn("2 of 4 lines", p.stderr)
        # All good: exit 0, nothing on stderr.
        p = self.match({"id": "g", "name": "Budi Santoso"})
        self.assertEqual((p.returncode, p.stderr), (0, ""))

    # 2. Same for compare: the pairs after a bad one are still scored.
    def test_compare_bad_pair_does_not_stop_the_batch(self):
        pairs = [{"id": "p1", "a": {"name": "Budi Santoso"}, "b": {"name": "Budi Susanto"}},
                 {"id": "p2", "a": {"name": "Budi"}, "b": {"name": "Budi Santoso"}},
                 {"id": "p3", "a": {"name": "Ahmad"}, "b": {"name": "Achmad"}},
                 {"id": "p4", "a": {"name": "!!!"}, "b": {"name": "Budi"}},
                 {"id": 5, "a": {"name": "Siti Aminah"}, "b": {"name": "Siti Aminah"}}]
        p = run("compare", input="".join(json.dumps(x) + "\n" for x in pairs))
        self.assertEqual(p.returncode, 1, p.stderr)
        out = lines(p)
        self.assertEqual([o["id"] for o in out], ["p1", "p2", "p3", "p4", 5])
        self.assertEqual(out[3], {"id": "p4", "error": out[3]["error"]})
        self.assertTrue(out[3]["error"].startswith("line 4: field 'a.name': "), out[3])
        self.assertEqual(sorted(out[4]), ["id", "match", "reasons", "score"])
        self.assertEqual(out[4]["score"], 100)
        self.assertIn("line 4", p.stderr)
        p = run("compare", input=json.dumps(pairs[0]) + "\n")
        self.assertEqual((p.returncode, p.stderr), (0, ""))

    # 3. match needs an id; a string or an integer, echoed as given.
    def test_match_requires_id_and_echoes_it(self):
        p = self.match({"name": "no id"}, {"id": 7, "name": "Budi Santoso"},
                       {"id": 1.5, "name": "Budi Santoso"}, {"id": ["x"], "name": "Budi"})
        self.assertEqual(p.returncode, 1)
        out = lines(p)
        self.assertEqual(out[0]["id"], None)
        self.assertIn("field 'id': is required", out[0]["error"])
        self.assertEqual(out[1]["id"], 7)
        self.assertIn("matches", out[1])
        for o in out[2:]:
            self.assertEqual(o["id"], None)
            self.assertIn("field 'id': must be a string or an integer", o["error"])

    # 4. One validation of a query: the command line and HTTP agree, and the
    # error names the field.
    def check_alike(self, cases, good):
        for extra, field in cases:
            q = dict(id="q", name="Budi Santoso", **extra)
            p = self.match(q)
            self.assertEqual(p.returncode, 1, (extra, p.stdout))
            err = lines(p)[0]["error"]
            self.assertIn("field '%s'" % field, err, extra)
            st, _, body = self.http_match(q)
            self.assertEqual(st, 400, (extra, body))
            self.assertIn("field '%s'" % field, body["detail"], extra)
        for extra in good:
            q = dict(id="q", name="Budi Santoso", **extra)
            p = self.match(q)
            self.assertEqual(p.returncode, 0, (extra, p.stdout, p.stderr))
            self.assertIn("matches", lines(p)[0])
            st, _, body = self.http_match(q)
            self.assertEqual(st, 200, (extra, body))

    def test_match_keys_and_limit_alike_on_cli_and_http(self):
        self.check_alike([({"bogus": 1}, "bogus"), ({"limit": 101}, "limit"),
                          ({"limit": 0}, "limit"), ({"threshold": 101}, "threshold")],
                         [{}, {"limit": 100, "threshold": 0}, {"phone": "+62 812 0000"}])
        # One limit range, 1-100, for the option too.
        self.assertEqual(self.match({"id": "q", "name": "x"}, args=("--limit", "101")).returncode,
                         2)
        p = self.match({"id": "q", "name": "Budi Santoso"}, args=("--limit", "100"))
        self.assertEqual(p.returncode, 0, p.stderr)
        # A line's own threshold beats the option, as the HTTP body does.
        p = self.match({"id": "q", "name": "Budi Santoso", "threshold": 100},
                       {"id": "r", "name": "Budi Santosa"}, args=("--threshold", "50"))
        out = lines(p)
        self.assertTrue(all(m["score"] >= 100 for m in out[0]["matches"]), out)
        self.assertTrue(out[1]["matches"], out)

    def test_match_birth_date_and_nationality_alike_on_cli_and_http(self):
        self.check_alike([({"birth_date": "1970-13-01"}, "birth_date"),
                          ({"birth_date": "1970-02-30"}, "birth_date"),
                          ({"birth_date": "99999-01-01"}, "birth_date"),
                          ({"birth_date": "70"}, "birth_date"),
                          ({"nationality": "ZZZ"}, "nationality"),
                          ({"nationality": "idn"}, "nationality")],
                         [{"birth_date": "1970"}, {"birth_date": "1970-05"},
                          {"birth_date": "1970-05-01", "nationality": "IDN"},
                          {"nationality": "D<<"}])

    # 5. A command other than init does not create a missing database file.
    def test_missing_database_is_not_created(self):
        d = tempfile.mkdtemp(prefix="lintas-names-")
        db = os.path.join(d, "does-not-exist.db")
        for args in (["match", "--db", db], ["offices", "--db", db],
                     ["audit", "verify", "--db", db], ["user", "list", "--db", db]):
            p = run(*args, input="")
            self.assertEqual(p.returncode, 1, (args, p.stderr))
            self.assertIn("lintas init", p.stderr)
            self.assertEqual(len(p.stderr.strip().splitlines()), 1, p.stderr)
            self.assertEqual(os.listdir(d), [], args)
        os.rmdir(d)

    # 6. A NUL in a string is refused in plain words, without jansson's flags.
    def test_nul_in_a_string_is_named_plainly(self):
        raw = b'{"name":"Budi\\u0000Santoso"}'
        st, _, body = self.srv.request("POST", "/api/v1/match", raw=raw, token=self.officer,
                                       headers={"Content-Type": "application/json"})
        self.assertEqual(st, 400, body)
        self.assertIn("NUL character", body["detail"])
        self.assertNotIn("JSON_ALLOW_NUL", body["detail"])
        self.assertNotIn("\\\\", body["detail"])
        p = self.match('{"id":"n","name":"Budi\\u0000Santoso"}')
        err = lines(p)[0]["error"]
        self.assertIn("NUL character", err)
        self.assertNotIn("JSON_ALLOW_NUL", err)

    # 7. An unknown command is named, without a stray space.
    def test_unknown_command(self):
        p = run("nosuch")
        self.assertEqual(p.returncode, 2)
        self.assertEqual(p.stderr,
                         "lintas: unknown command 'nosuch' (lintas --help lists them)\n")


if __name__ == "__main__":
    unittest.main()
