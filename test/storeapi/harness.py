"""What the StoreAPI tests share: ports, readiness, child processes, certificates and the
test data."""

import json
import os
import random
import shutil
import socket
import subprocess
import tempfile
import time
import unittest
import urllib.error
import urllib.request

ARGUS = os.environ.get("ARGUS_BIN", "")
HOUR = 3600 * 1000


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url, timeout=60, proc=None):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc is not None and proc.poll() is not None:
            raise AssertionError("%s exited with %d" % (proc.args[:2], proc.returncode))
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError("%s not ready in %ds" % (url, timeout))


def get_json(url, timeout=30):
    """(HTTP status, decoded JSON body) of a GET; error statuses are returned, not raised."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        with e:
            return e.code, json.loads(e.read())


def write_file(path, text):
    with open(path, "w") as f:
        f.write(text)
    return path


def start(state, args, name):
    """Starts `args` with its output in state["dir"]/NAME.log; stop_all ends it."""
    with open(os.path.join(state["dir"], name + ".log"), "wb") as log:
        p = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
    state.setdefault("procs", []).append(p)
    return p


def stop_all(state):
    """Ends every process `start` started (SIGTERM, then SIGKILL after 20 s) and removes
    state["dir"]."""
    for p in state.get("procs", []):
        p.terminate()
    for p in state.get("procs", []):
        try:
            p.wait(timeout=20)
        except subprocess.TimeoutExpired:
            p.kill()
    state["procs"] = []
    if "dir" in state:
        shutil.rmtree(state["dir"], ignore_errors=True)


def make_certs(d):
    """A CA, a server certificate for localhost and a client certificate, with openssl."""
    def run(*args):
        subprocess.run(["openssl"] + list(args), check=True, capture_output=True, cwd=d)
    run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt",
        "-days", "2", "-subj", "/CN=argus-test-ca")
    with open(os.path.join(d, "san.ext"), "w") as f:
        f.write("subjectAltName=DNS:localhost\n")
    for name in ("server", "client"):
        run("req", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out",
            name + ".csr", "-subj", "/CN=" + ("localhost" if name == "server" else "client"))
        run("x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key",
            "-CAcreateserial", "-out", name + ".crt", "-days", "2", "-extfile", "san.ext")


def read(path):
    with open(path, "rb") as f:
        return f.read()


def write_openmetrics(path, start_ms, end_ms):
    """Three metric families with labels to match on; values with fractions, large and
    negative numbers, and a counter."""
    rnd = random.Random(7)
    with open(path, "w") as f:
        f.write("# TYPE http_requests counter\n")
        for code in ("200", "404", "500"):
            for path_ in ("/api", "/metrics"):
                v = 0.0
                for t in range(start_ms, end_ms, 15000):
                    v += rnd.randint(0, 20)
                    f.write('http_requests_total{code="%s",path="%s"} %r %.3f\n' %
                            (code, path_, v, t / 1000))
        f.write("# TYPE temperature gauge\n")
        for zone in ("north", "south", "east", "west-1"):
            for t in range(start_ms, end_ms, 30000):
                f.write('temperature{zone="%s"} %r %.3f\n' %
                        (zone, rnd.uniform(-40, 40), t / 1000))
        f.write("# TYPE big gauge\n")
        for t in range(start_ms, end_ms, 60000):
            f.write('big{kind="x"} %r %.3f\n' % (rnd.choice([1e300, -2.5e-300, 0.0, 42.0]),
                                                  t / 1000))
        f.write("# EOF\n")


def set_up(state, prefix, build):
    """setUpModule's work: a temporary directory, the data's time range (six hours ending an
    hour ago, in the 2h blocks promtool cuts) and then `build()`; everything started is
    stopped again when something fails (unittest does not call tearDownModule then)."""
    if not ARGUS:
        raise unittest.SkipTest("ARGUS_BIN not set")
    try:
        state["dir"] = tempfile.mkdtemp(prefix=prefix)
        now = int(time.time() * 1000)
        end = now - now % HOUR - HOUR
        state["range"] = (end - 6 * HOUR, end)
        build()
    except BaseException:
        stop_all(state)
        raise
