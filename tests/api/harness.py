"""Black-box test harness: starts the real `lintas serve` on a free loopback
port with a temporary database, and speaks HTTP to it.

Used by the tests in tests/api/. Only the Python standard library is used."""
import http.client
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.environ.get("LINTAS_BUILD", os.path.join(ROOT, "build-check"))
LINTAS = os.path.join(BUILD, "lintas")
SHARED = os.environ.get("LINTAS_SHARED", os.path.join(os.path.dirname(ROOT), "shared"))
ADMIN_PW = "admin-password-for-tests-1"

# Sanitizer settings for the server under test: leaks are not our concern
# for a process that is killed; everything else aborts.
ENV = dict(os.environ)
ENV.setdefault("ASAN_OPTIONS", "detect_leaks=0:abort_on_error=1")
ENV.setdefault("UBSAN_OPTIONS", "halt_on_error=1:print_stacktrace=1")


def run(*args, input=None, check=False):
    """Runs the lintas binary; returns CompletedProcess with text output."""
    p = subprocess.run([LINTAS, *args], input=input, capture_output=True, text=True, env=ENV,
                       timeout=120)
    if check and p.returncode != 0:
        raise AssertionError("lintas %s failed (%d): %s" % (" ".join(args), p.returncode,
                                                            p.stderr))
    return p


class Server:
    """A lintas server on its own temporary database."""

    def __init__(self, extra_args=(), db=None, workdir=None, init=True):
        self.dir = workdir or tempfile.mkdtemp(prefix="lintas-api-")
        self.db = db or os.path.join(self.dir, "lintas.db")
        self.extra = list(extra_args)
        self.proc = None
        self.port = None
        self.stderr_path = os.path.join(self.dir, "server.err")
        if init and not os.path.exists(self.db):
            pwfile = os.path.join(self.dir, "admin.pw")
            with open(pwfile, "w") as f:
                f.write(ADMIN_PW + "\n")
            run("init", "--db", self.db, "--admin-password-file", pwfile, check=True)
        self.start()

    def start(self):
        err = open(self.stderr_path, "a")
        self.proc = subprocess.Popen(
            [LINTAS, "serve", "--db", self.db, "--listen", "127.0.0.1:0", *self.extra],
            stdout=subprocess.PIPE, stderr=err, text=True, env=ENV)
        err.close()
        line = self.proc.stdout.readline()
        if "serving on" not in line:
            raise AssertionError("server did not start: %r; stderr: %s" %
                                 (line, open(self.stderr_path).read()[-2000:]))
        self.port = int(line.strip().rsplit(":", 1)[1])

    def stop(self, sig=signal.SIGTERM, timeout=30):
        if self.proc is None:
            return None
        self.proc.send_signal(sig)
        rc = self.proc.wait(timeout=timeout)
        self.proc.stdout.close()
        self.proc = None
        return rc

    def kill9(self):
        return self.stop(signal.SIGKILL)

    def cleanup(self):
        if self.proc is not None:
            self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def request(self, method, path, body=None, token=None, raw=None, headers=None,
                timeout=60):
        """Returns (status, headers dict, decoded JSON or text)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        h = dict(headers or {})
        data = raw
        if body is not None:
            data = json.dumps(body).encode()
            h.setdefault("Content-Type", "application/json")
        if token:
            h["Authorization"] = "Bearer " + token
        try:
            conn.request(method, path, body=data, headers=h)
            resp = conn.getresponse()
            payload = resp.read()
            hdrs = {k.lower(): v for k, v in resp.getheaders()}
        finally:
            conn.close()
        ctype = hdrs.get("content-type", "")
        if "json" in ctype and payload:
            return resp.status, hdrs, json.loads(payload)
        return resp.status, hdrs, payload.decode("utf-8", "replace")

    def login(self, username, password):
        st, _, body = self.request("POST", "/api/v1/sessions",
                                   {"username": username, "password": password})
        if st != 201:
            raise AssertionError("login %s: %d %s" % (username, st, body))
        return body["token"]

    def admin(self):
        return self.login("admin", ADMIN_PW)


def raw_post(port, path, body, token=None, chunked=False):
    """Sends a POST over a plain socket and returns (status, body bytes), even
    when the server answers before the whole body was sent and closes."""
    import socket
    s = socket.create_connection(("127.0.0.1", port), timeout=30)
    head = "POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" % path
    if token:
        head += "Authorization: Bearer %s\r\n" % token
    if chunked:
        head += "Transfer-Encoding: chunked\r\n\r\n"
    else:
        head += "Content-Length: %d\r\n\r\n" % len(body)
    try:
        s.sendall(head.encode())
        if chunked:
            step = 65536
            for i in range(0, len(body), step):
                part = body[i:i + step]
                s.sendall(b"%x\r\n" % len(part) + part + b"\r\n")
            s.sendall(b"0\r\n\r\n")
        else:
            s.sendall(body)
    except (BrokenPipeError, ConnectionResetError):
        pass
    data = b""
    try:
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
            if b"\r\n\r\n" in data:
                hdr, _, rest = data.partition(b"\r\n\r\n")
                for line in hdr.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        if len(rest) >= int(line.split(b":")[1]):
                            raise StopIteration
    except (StopIteration, ConnectionResetError, socket.timeout):
        pass
    s.close()
    status = int(data.split(b" ", 2)[1]) if data.startswith(b"HTTP/") else 0
    return status, data.partition(b"\r\n\r\n")[2]
