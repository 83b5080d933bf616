"""The server process itself: HTTPS with --tls-cert/--tls-key, a stop on
SIGTERM that finishes the requests in flight (screenings waiting for their
commit too), clients that go away while their screening commits,
configuration files, and clear errors for bad settings."""
import concurrent.futures
import os
import shutil
import signal
import socket
import sqlite3
import ssl
import struct
import subprocess
import tempfile
import time
import unittest
import http.client
import json

import harness
from harness import Server, run


PW = "serve-password-123"
TRAVELLER = {"surname": "SANTOSO", "given_names": "BUDI", "birth_date": "1990-01-01",
             "nationality": "IDN"}


def officer(srv):
    admin = srv.admin()
    st, _, out = srv.request("POST", "/api/v1/users", {"username": "cp", "password": PW,
                                                       "role": "checkpoint_officer",
                                                       "office": "CGK"}, token=admin)
    assert st == 201, out
    return srv.login("cp", PW)


def screening_request(token, i):
    body = json.dumps({"traveller": dict(TRAVELLER, document_number="B%07d" % i),
                       "trip": {"destination": "THA", "purpose": "tourism"}}).encode()
    return (b"POST /api/v1/departures HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
            b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n"
            % (token.encode(), len(body)) + body)


def read_answer(s):
    data = b""
    while b"\r\n\r\n" not in data or not data.rstrip().endswith(b"}"):
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


class Serve(unittest.TestCase):
    def test_https(self):
        if shutil.which("openssl") is None:
            self.skipTest("openssl not installed")
        d = tempfile.mkdtemp()
        cert, key = os.path.join(d, "cert.pem"), os.path.join(d, "key.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                        "-subj", "/CN=127.0.0.1", "-keyout", key, "-out", cert],
                       check=True, capture_output=True)
        srv = Server(["--tls-cert", cert, "--tls-key", key])
        try:
            ctx = ssl.create_default_context(cafile=cert)
            ctx.check_hostname = False
            conn = http.client.HTTPSConnection("127.0.0.1", srv.port, context=ctx, timeout=30)
            conn.request("POST", "/api/v1/sessions",
                         body=json.dumps({"username": "admin", "password": harness.ADMIN_PW}))
            resp = conn.getresponse()
            self.assertEqual(resp.status, 201)
            self.assertIn("token", json.loads(resp.read()))
            conn.close()
            # Plain HTTP to the TLS port gets nothing useful.
            with self.assertRaises(Exception):
                srv.request("GET", "/healthz", timeout=5)
        finally:
            srv.cleanup()
            shutil.rmtree(d, ignore_errors=True)

    def test_sigterm_finishes_request_in_flight(self):
        srv = Server()
        try:
            body = json.dumps({"username": "admin", "password": harness.ADMIN_PW}).encode()
            s = socket.create_connection(("127.0.0.1", srv.port), timeout=30)
            s.sendall(b"POST /api/v1/sessions HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n"
                      % len(body) + body)
            time.sleep(0.01)  # the login's password hash is being checked now
            srv.proc.send_signal(signal.SIGTERM)
            data = b""
            while b"\r\n\r\n" not in data or not data.rstrip().endswith(b"}"):
                chunk = s.recv(4096)
                if not chunk:
                    break
                data += chunk
            s.close()
            self.assertTrue(data.startswith(b"HTTP/1.1 201"), data[:200])
            self.assertEqual(srv.proc.wait(timeout=30), 0)
            srv.proc.stdout.close()
            srv.proc = None
            with self.assertRaises(OSError):
                socket.create_connection(("127.0.0.1", srv.port), timeout=2)
        finally:
            srv.cleanup()

    def test_sigterm_finishes_screenings_in_flight(self):
        """Screenings waiting for their group commit (their connections
        suspended) are answered before the server exits 0, and every
        screening answered 201 is stored."""
        srv = Server(["--threads", "2"])
        try:
            token = officer(srv)
            socks = [socket.create_connection(("127.0.0.1", srv.port), timeout=30)
                     for _ in range(24)]
            for i, s in enumerate(socks):
                s.sendall(screening_request(token, i))
            time.sleep(0.05)
            srv.proc.send_signal(signal.SIGTERM)
            ids = []
            for s in socks:
                data = read_answer(s)
                s.close()
                self.assertTrue(data.startswith(b"HTTP/1.1 201"), data[:300])
                ids.append(json.loads(data.split(b"\r\n\r\n", 1)[1])["id"])
            self.assertEqual(srv.proc.wait(timeout=60), 0)
            srv.proc.stdout.close()
            srv.proc = None
            self.assertEqual(len(set(ids)), len(ids))
            c = sqlite3.connect(srv.db)
            stored = {r[0] for r in c.execute("SELECT id FROM departures")}
            c.close()
            self.assertTrue(set(ids) <= stored, (ids, stored))
        finally:
            srv.cleanup()

    def test_client_gone_while_screening(self):
        """Clients that reset their connection while their screening waits
        for its commit leave a server that still answers and stops cleanly
        (the sanitizer build aborts on a use after free)."""
        srv = Server(["--threads", "2"])
        try:
            token = officer(srv)

            def gone(i):
                s = socket.create_connection(("127.0.0.1", srv.port), timeout=30)
                s.sendall(screening_request(token, 1000 + i))
                time.sleep((i % 8) * 0.002)
                s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                s.close()

            with concurrent.futures.ThreadPoolExecutor(16) as ex:
                list(ex.map(gone, range(64)))
            st, _, out = srv.request("POST", "/api/v1/departures",
                                     {"traveller": TRAVELLER,
                                      "trip": {"destination": "THA", "purpose": "tourism"}},
                                     token=token)
            self.assertEqual(st, 201, out)
            self.assertEqual(srv.stop(), 0)
        finally:
            srv.cleanup()

    def test_config_file(self):
        srv = Server(init=True)
        srv.stop()
        conf = os.path.join(srv.dir, "lintas.conf")
        with open(conf, "w") as f:
            f.write("# test\nthreads = 2\nlockout_attempts = 2\naccess_log = %s\n"
                    % os.path.join(srv.dir, "access.log"))
        srv.extra = ["--config", conf]
        srv.start()
        try:
            for _ in range(2):
                st, _, _ = srv.request("POST", "/api/v1/sessions",
                                       {"username": "admin", "password": "wrong-password-x"})
                self.assertEqual(st, 401)
            st, _, _ = srv.request("POST", "/api/v1/sessions",
                                   {"username": "admin", "password": harness.ADMIN_PW})
            self.assertEqual(st, 423)
            srv.stop()
            with open(os.path.join(srv.dir, "access.log")) as f:
                lines = [json.loads(l) for l in f if l.strip()]
            self.assertEqual([l["status"] for l in lines], [401, 401, 423])
            self.assertTrue(all(len(l["request_id"]) == 32 for l in lines))
        finally:
            srv.cleanup()

    def test_bad_settings(self):
        d = tempfile.mkdtemp()
        db = os.path.join(d, "x.db")
        run("init", "--db", db, check=True)
        conf = os.path.join(d, "bad.conf")
        with open(conf, "w") as f:
            f.write("threads = many\n")
        for args in (["--config", conf], ["--listen", "nowhere"], ["--synchronous", "off"],
                     ["--tls-cert", conf], ["--threads", "0"], ["extra"]):
            p = run("serve", "--db", db, *args)
            self.assertIn(p.returncode, (1, 2), args)
            self.assertEqual(len(p.stderr.strip().splitlines()), 1, (args, p.stderr))
        p = run("serve", "--db", db, "--config", conf)
        self.assertIn("bad.conf:1", p.stderr)
        shutil.rmtree(d, ignore_errors=True)


if __name__ == "__main__":
    unittest.main()
