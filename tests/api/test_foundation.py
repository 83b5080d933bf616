"""API tests of the foundation: sessions, lockout, roles, hostile bodies,
body limits, display names from the naughty-strings list, the audit chain,
and a clean stop. Each test class runs its own real server."""
import glob
import json
import os
import sqlite3
import unittest

import harness
from harness import Server, run

ROLES = {
    "admin": None,
    "passport_officer": "KANIM-JKS",
    "checkpoint_officer": "CGK",
    "supervisor": "CGK",
    "analyst": None,
    "focal_point": None,
    "consular_officer": "KBRI-PNH",
}
PW = "role-password-123"


class Foundation(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = Server()
        cls.admin = cls.srv.admin()
        cls.tokens = {}
        for role, office in ROLES.items():
            body = {"username": "u_" + role, "role": role, "password": PW}
            if office:
                body["office"] = office
            st, _, out = cls.srv.request("POST", "/api/v1/users", body, token=cls.admin)
            assert st == 201, (st, out)
            cls.tokens[role] = cls.srv.login("u_" + role, PW)

    @classmethod
    def tearDownClass(cls):
        rc = cls.srv.stop()
        assert rc == 0, "server exit status %r on SIGTERM" % rc
        cls.srv.cleanup()

    def test_healthz_and_metrics(self):
        st, _, body = self.srv.request("GET", "/healthz")
        self.assertEqual((st, body), (200, {"status": "ok"}))
        st, hdrs, text = self.srv.request("GET", "/metrics")
        self.assertEqual(st, 200)
        self.assertIn("lintas_http_requests_total{route=\"healthz\",status=\"200\"}", text)
        self.assertIn("lintas_http_request_duration_seconds_bucket", text)
        self.assertIn("lintas_db_errors_total", text)

    def test_login_right_and_wrong(self):
        st, _, body = self.srv.request("POST", "/api/v1/sessions",
                                       {"username": "u_analyst", "password": PW})
        self.assertEqual(st, 201)
        self.assertEqual(len(body["token"]), 64)
        self.assertRegex(body["expires_at"], r"^\d{4}-\d\d-\d\dT")
        for user, pw in (("u_analyst", "wrong-password-1"), ("nobody", PW), ("", "")):
            st, hdrs, body = self.srv.request("POST", "/api/v1/sessions",
                                              {"username": user, "password": pw})
            self.assertEqual(st, 401, (user, body))
            self.assertEqual(hdrs["content-type"], "application/problem+json")
            self.assertEqual(body["status"], 401)
        st, _, body = self.srv.request("POST", "/api/v1/sessions", {"username": "u_analyst"})
        self.assertEqual(st, 400)
        self.assertIn("password", body["detail"])

    def test_logout_revokes(self):
        tok = self.srv.login("u_focal_point", PW)
        st, _, who = self.srv.request("GET", "/api/v1/sessions/current", token=tok)
        self.assertEqual((st, who["role"]), (200, "focal_point"))
        st, _, _ = self.srv.request("DELETE", "/api/v1/sessions/current", token=tok)
        self.assertEqual(st, 200)
        st, _, _ = self.srv.request("GET", "/api/v1/sessions/current", token=tok)
        self.assertEqual(st, 401)

    def test_lockout(self):
        body = {"username": "u_lock", "role": "analyst", "password": PW}
        st, _, out = self.srv.request("POST", "/api/v1/users", body, token=self.admin)
        self.assertEqual(st, 201, out)
        for i in range(5):
            st, _, _ = self.srv.request("POST", "/api/v1/sessions",
                                        {"username": "u_lock", "password": "bad-password-%d" % i})
            self.assertEqual(st, 401)
        # Locked now: even the right password is refused.
        st, _, out = self.srv.request("POST", "/api/v1/sessions",
                                      {"username": "u_lock", "password": PW})
        self.assertEqual(st, 423, out)
        self.assertIn("locked", out["detail"])
        st, _, audit = self.srv.request("GET", "/api/v1/audit?user=u_lock&limit=100",
                                        token=self.admin)
        actions = [(r["action"], r["outcome"]) for r in audit["records"]]
        self.assertEqual(actions.count(("session.create", "failed")), 5)
        self.assertIn(("user.lock", "ok"), actions)
        self.assertIn(("session.create", "locked"), actions)

    def test_roles(self):
        admin_only = [("GET", "/api/v1/users"), ("GET", "/api/v1/audit"),
                      ("GET", "/api/v1/users/1")]
        everyone = [("GET", "/api/v1/offices"), ("GET", "/api/v1/sessions/current")]
        for role, tok in self.tokens.items():
            for method, path in admin_only:
                st, _, body = self.srv.request(method, path, token=tok)
                want = 200 if role == "admin" else 403
                self.assertEqual(st, want, (role, path, body))
                if st == 403:
                    self.assertIn(role, body["detail"])
            for method, path in everyone:
                st, _, _ = self.srv.request(method, path, token=tok)
                self.assertEqual(st, 200, (role, path))
        for method, path in admin_only + everyone:
            st, hdrs, _ = self.srv.request(method, path)
            self.assertEqual(st, 401, path)
            self.assertIn("Bearer", hdrs["www-authenticate"])
            st, _, _ = self.srv.request(method, path, token="0" * 64)
            self.assertEqual(st, 401, path)

    def test_not_found_and_method(self):
        st, _, body = self.srv.request("GET", "/api/v1/nothing-here", token=self.admin)
        self.assertEqual(st, 404)
        st, hdrs, body = self.srv.request("PUT", "/api/v1/users", token=self.admin)
        self.assertEqual(st, 405)
        self.assertIn("GET", hdrs["allow"])
        self.assertIn("POST", hdrs["allow"])
        st, _, body = self.srv.request("GET", "/api/v1/users/999999", token=self.admin)
        self.assertEqual(st, 404)

    def test_bad_json_bodies(self):
        files = sorted(glob.glob(os.path.join(harness.SHARED, "data", "jsontestsuite",
                                              "test_parsing", "n_*.json")))
        self.assertGreater(len(files), 150)
        for path in files:
            with open(path, "rb") as f:
                data = f.read()
            st, hdrs, body = self.srv.request("POST", "/api/v1/users", raw=data,
                                              token=self.admin,
                                              headers={"Content-Type": "application/json"})
            self.assertEqual(st, 400, os.path.basename(path))
            self.assertEqual(hdrs["content-type"], "application/problem+json")
            self.assertTrue(body["detail"].startswith("body:"), body)
        st, _, _ = self.srv.request("GET", "/healthz")
        self.assertEqual(st, 200)

    def test_body_too_large(self):
        big = b"{\"a\":\"" + b"x" * (2 * 1024 * 1024) + b"\"}"
        for chunked in (False, True):
            st, body = harness.raw_post(self.srv.port, "/api/v1/users", big, token=self.admin,
                                        chunked=chunked)
            self.assertEqual(st, 413, (chunked, body[:200]))
            self.assertEqual(json.loads(body)["status"], 413)
            st, _, _ = self.srv.request("GET", "/healthz")
            self.assertEqual(st, 200)

    def test_invalid_fields_named(self):
        cases = [({"username": "Bad Name", "role": "analyst", "password": PW}, "username"),
                 ({"username": "x1", "role": "pilot", "password": PW}, "role"),
                 ({"username": "x2", "role": "passport_officer", "password": PW}, "office"),
                 ({"username": "x3", "role": "passport_officer", "office": "NOPE",
                   "password": PW}, "office"),
                 ({"username": "x4", "role": "analyst", "password": "short"}, "password"),
                 ({"username": "x5", "role": "analyst", "password": PW, "extra": 1}, "extra"),
                 ({"username": 5, "role": "analyst", "password": PW}, "username")]
        for body, field in cases:
            st, _, out = self.srv.request("POST", "/api/v1/users", body, token=self.admin)
            self.assertEqual(st, 400, (body, out))
            self.assertIn("'%s'" % field, out["detail"])

    def test_naughty_display_names(self):
        with open(os.path.join(harness.SHARED, "data", "blns.json"), encoding="utf-8") as f:
            strings = json.load(f)
        st, _, me = self.srv.request("POST", "/api/v1/users",
                                     {"username": "u_blns", "role": "analyst", "password": PW},
                                     token=self.admin)
        self.assertEqual(st, 201)
        path = "/api/v1/users/%d" % me["id"]
        accepted = refused = 0
        for s in strings:
            st, _, out = self.srv.request("PATCH", path, {"display_name": s}, token=self.admin)
            if st == 200:
                st2, _, got = self.srv.request("GET", path, token=self.admin)
                self.assertEqual(st2, 200)
                self.assertEqual(got["display_name"], s)
                self.assertEqual(out["display_name"], s)
                accepted += 1
            else:
                self.assertEqual(st, 400, (s, out))
                self.assertIn("display_name", out["detail"])
                self.assertTrue(any(w in out["detail"] for w in
                                    ("control character", "UTF-8", "NUL", "too long")), out)
                refused += 1
        self.assertGreater(accepted, 400)
        self.assertGreater(refused, 0)

    def test_backup_while_serving(self):
        out = os.path.join(self.srv.dir, "backup.db")
        p = run("backup", "--db", self.srv.db, "--out", out)
        self.assertEqual(p.returncode, 0, p.stderr)
        con = sqlite3.connect(out)
        self.assertEqual(con.execute("PRAGMA integrity_check").fetchone()[0], "ok")
        names = {r[0] for r in con.execute("SELECT username FROM users")}
        con.close()
        self.assertIn("u_admin", names)
        p = run("audit", "verify", "--db", out)
        self.assertEqual(p.returncode, 0, p.stderr)
        p = run("backup", "--db", self.srv.db, "--out", out)
        self.assertEqual(p.returncode, 1)

    def test_zz_audit_chain_and_tamper(self):
        p = run("audit", "verify", "--db", self.srv.db)
        self.assertEqual(p.returncode, 0, p.stderr)
        n = int(p.stdout.split()[0])
        self.assertGreater(n, 20)
        st, _, out = self.srv.request("GET", "/api/v1/audit?object_type=user&limit=5",
                                      token=self.admin)
        self.assertEqual(st, 200)
        self.assertEqual(len(out["records"]), 5)
        # Alter one record directly in the database: verify must name it.
        con = sqlite3.connect(self.srv.db, timeout=30)
        con.execute("UPDATE audit SET outcome = 'ok' WHERE seq = 7")
        con.execute("UPDATE audit SET username = 'someone-else' WHERE seq = 9")
        con.commit()
        con.close()
        p = run("audit", "verify", "--db", self.srv.db)
        self.assertEqual(p.returncode, 1)
        self.assertRegex(p.stderr, r"audit record (7|9)")
        self.assertEqual(len(p.stderr.strip().splitlines()), 1)


class CommandLine(unittest.TestCase):
    def test_init_idempotent_and_users(self):
        import tempfile
        d = tempfile.mkdtemp()
        db = os.path.join(d, "x.db")
        p = run("init", "--db", db)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("password:", p.stdout)
        p = run("init", "--db", db)
        self.assertEqual(p.returncode, 0)
        self.assertIn("already exists", p.stdout)
        pw = os.path.join(d, "pw")
        with open(pw, "w") as f:
            f.write("a-long-enough-password\n")
        p = run("user", "add", "--db", db, "--username", "siti", "--role",
                "checkpoint_officer", "--office", "DPS", "--password-file", pw)
        self.assertEqual(p.returncode, 0, p.stderr)
        p = run("user", "add", "--db", db, "--username", "siti", "--role", "analyst",
                "--password-file", pw)
        self.assertEqual(p.returncode, 1)
        self.assertEqual(len(p.stderr.strip().splitlines()), 1)
        p = run("user", "list", "--db", db)
        users = [json.loads(l) for l in p.stdout.splitlines()]
        self.assertEqual([u["username"] for u in users], ["admin", "siti"])
        self.assertEqual(users[1]["office"], "DPS")
        p = run("user", "disable", "--db", db, "--username", "siti")
        self.assertEqual(p.returncode, 0)
        p = run("user", "passwd", "--db", db, "--username", "siti", "--password-file", pw)
        self.assertEqual(p.returncode, 0)
        offices = [json.loads(l) for l in run("offices", "--db", db).stdout.splitlines()]
        kinds = {o["kind"] for o in offices}
        self.assertEqual(kinds, {"office", "airport", "seaport", "land"})
        self.assertIn("CGK", {o["code"] for o in offices})
        p = run("audit", "verify", "--db", db)
        self.assertEqual(p.returncode, 0)
        con = sqlite3.connect(db)
        n = con.execute("SELECT COUNT(*) FROM audit").fetchone()[0]
        actions = [r[0] for r in con.execute("SELECT action FROM audit ORDER BY seq")]
        con.close()
        self.assertTrue(p.stdout.startswith("%d records" % n), p.stdout)
        for a in ("user.add", "user.disable", "user.passwd"):
            self.assertIn(a, actions)

    def test_upgrade_keeps_data(self):
        """A database made by an earlier release (schema version 1) is upgraded
        in place by lintas init, and nothing in it is lost."""
        import tempfile
        d = tempfile.mkdtemp()
        db = os.path.join(d, "old.db")
        run("init", "--db", db, check=True)
        con = sqlite3.connect(db)
        latest = con.execute("SELECT MAX(version) FROM schema_migrations").fetchone()[0]
        self.assertGreaterEqual(latest, 2)
        # Roll the schema back to what version 1 had.
        v1 = {"countries", "provinces", "posts", "users", "sessions", "audit",
              "schema_migrations"}
        for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'"
                                   " AND name NOT LIKE 'sqlite_%'").fetchall():
            if name not in v1:
                con.execute("DROP TABLE %s" % name)
        con.execute("DELETE FROM schema_migrations WHERE version > 1")
        con.commit()
        con.close()
        p = run("init", "--db", db)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("schema version %d" % latest, p.stdout)
        self.assertIn("already exists", p.stdout)
        con = sqlite3.connect(db)
        self.assertEqual(con.execute("SELECT COUNT(*) FROM users").fetchone()[0], 1)
        self.assertEqual(con.execute("SELECT COUNT(*) FROM watchlist_entries").fetchone()[0], 0)
        con.close()
        self.assertEqual(run("audit", "verify", "--db", db).returncode, 0)

    def test_every_route_documented(self):
        """The route table (src/http/routes.c) and docs/openapi.yaml agree."""
        import re
        src = open(os.path.join(harness.ROOT, "src", "http", "routes.c")).read()
        doc = open(os.path.join(harness.ROOT, "docs", "openapi.yaml")).read()
        routes = re.findall(r'\{"(GET|POST|PATCH|DELETE|PUT)", "(/[^"]*)"', src)
        self.assertGreater(len(routes), 20)
        for method, path in routes:
            pattern = re.sub(r"\{id\}", "{[a-z_]+}", re.escape(path).replace("\\{id\\}", "{id}"))
            m = re.search(r"^  " + pattern + r":\n((?:    .*\n|\n)*)", doc, re.M)
            self.assertIsNotNone(m, "%s %s is not in docs/openapi.yaml" % (method, path))
            self.assertIn("    " + method.lower() + ":", m.group(1),
                          "%s %s is not documented" % (method, path))

    def test_usage_errors(self):
        self.assertEqual(run().returncode, 2)
        self.assertEqual(run("frobnicate").returncode, 2)
        self.assertEqual(run("init", "--bogus").returncode, 2)
        self.assertEqual(run("user", "add", "--db", "/tmp/none.db").returncode, 2)
        p = run("help")
        self.assertEqual(p.returncode, 0)
        self.assertIn("serve", p.stdout)
        for cmd in ("init", "serve", "demo", "user", "offices", "audit"):
            p = run(cmd, "--help")
            self.assertEqual(p.returncode, 0, cmd)
            self.assertIn("usage: lintas " + cmd, p.stdout)
        p = run("offices")
        self.assertEqual(p.returncode, 2)
        self.assertIn("--db", p.stderr)


if __name__ == "__main__":
    unittest.main()
