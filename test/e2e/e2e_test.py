"""The multi-cluster setup end to end: scripts/demo.sh (what `make demo` runs) with tiny block
durations and a short local retention. cluster-a is `argus server`, cluster-b a real
Prometheus 2.42 with `argus sidecar`, both scraping a real node_exporter; the observer runs
`argus store` over the bucket and `argus query` over all three. Checked: both clusters are
visible through the querier with their external labels; each cluster uploads a block (with its
external labels in meta.json); data older than cluster-a's local retention, gone from its own
TSDB, is still answered through the store gateway; the querier's answers equal each cluster's
own server for a window both hold; Ctrl-C (SIGINT to the process group) stops every process.
Run: ARGUS_BIN=... /usr/bin/python3 -m unittest -v e2e_test (from this directory)."""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import unittest
import urllib.parse
import urllib.request

ARGUS = os.environ.get("ARGUS_BIN", "")
REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
BLOCK = 30  # s: DEMO_BLOCK_DURATION
RETENTION = 60  # s: DEMO_RETENTION

STATE = {}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url, **params):
    if params:
        url += "?" + urllib.parse.urlencode(params)
    with urllib.request.urlopen(url, timeout=30) as r:
        return json.loads(r.read())


def eventually(what, check, timeout):
    """Calls check() every second until it returns a true value (returned), failing after
    `timeout` seconds with `what` and the last value."""
    deadline = time.time() + timeout
    last = None
    while time.time() < deadline:
        last = check()
        if last:
            return last
        time.sleep(1)
    raise AssertionError("%s: not within %d s (last: %r)" % (what, timeout, last))


def blocks(bucket):
    """{ULID: meta} of the complete blocks (meta.json present) in the FILESYSTEM bucket."""
    out = {}
    for name in os.listdir(bucket):
        meta = os.path.join(bucket, name, "meta.json")
        if os.path.exists(meta):
            with open(meta) as f:
                out[name] = json.load(f)
    return out


def setUpModule():
    if not ARGUS:
        raise unittest.SkipTest("ARGUS_BIN not set")
    d = tempfile.mkdtemp(prefix="argus-e2e-")
    STATE["dir"] = d
    STATE["query"] = "http://127.0.0.1:%d" % free_port()
    env = dict(os.environ, DEMO_DIR=d, DEMO_BLOCK_DURATION="%ds" % BLOCK,
               DEMO_RETENTION="%ds" % RETENTION, DEMO_SCRAPE_INTERVAL="1s",
               DEMO_SYNC_INTERVAL="3s", DEMO_QUERY_PORT=STATE["query"].rsplit(":", 1)[1])
    with open(os.path.join(d, "demo.out"), "wb") as out:
        STATE["demo"] = subprocess.Popen(
            ["bash", os.path.join(REPO, "scripts", "demo.sh"), ARGUS], stdout=out,
            stderr=subprocess.STDOUT, env=env, start_new_session=True)
    try:
        text = eventually("the demo prints ready", lambda: ready_text(), 180)
    except BaseException:
        stop()
        raise
    # The ports the demo chose, from its health summary.
    STATE["cluster-a"] = re.search(r"cluster-a\s+argus server\s+(http://\S+)", text).group(1)
    STATE["cluster-b"] = re.search(r"cluster-b\s+prometheus 2.42\s+(http://\S+)", text).group(1)
    STATE["bucket"] = os.path.join(d, "data", "bucket")
    STATE["started"] = time.time()


def ready_text():
    if STATE["demo"].poll() is not None:
        raise AssertionError("demo exited:\n" + read_out())
    text = read_out()
    return text if "\nready:" in text else None


def read_out():
    with open(os.path.join(STATE["dir"], "demo.out"), errors="replace") as f:
        return f.read()


def session_processes(sid):
    """The pids of live processes in session `sid`."""
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry) as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # After the command: state, ppid, pgrp, session, ...; zombies are gone in effect.
        if int(fields[3]) == sid and fields[0] != "Z":
            pids.append(int(entry))
    return pids


def stop():
    p = STATE.get("demo")
    if p is not None and p.poll() is None:
        os.killpg(p.pid, signal.SIGINT)
        try:
            p.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()


def tearDownModule():
    stop()
    left = session_processes(STATE["demo"].pid) if "demo" in STATE else []
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    shutil.rmtree(STATE.get("dir", ""), ignore_errors=True)
    if left:
        raise AssertionError("processes left behind after Ctrl-C: %s" % left)


def vector(url, query, **params):
    r = get(url + "/api/v1/query", query=query, **params)
    assert r["status"] == "success", r
    return {tuple(sorted(s["metric"].items())): float(s["value"][1]) for s in r["data"]["result"]}


class E2ETest(unittest.TestCase):
    # The tests run in name order; test_9 stops the demo.

    def test_1_both_clusters_with_external_labels(self):
        want = {
            (("cluster", "cluster-a"), ("region", "us-east-1"), ("stage", "prod")): 2.0,
            (("cluster", "cluster-b"), ("region", "eu-west-1"), ("stage", "prod")): 2.0,
        }
        # Each cluster's two targets (node_exporter and itself), once both were scraped.
        eventually("up of both clusters' targets", lambda: vector(
            STATE["query"], "count by (cluster, stage, region) (up)") == want, 30)
        # The demo's first example query, once each cluster has two node_exporter scrapes.
        eventually("the CPU rate of both clusters", lambda: sorted(k[0][1] for k in vector(
            STATE["query"], "sum by (cluster) (rate(node_cpu_seconds_total[1m]))")) == [
                "cluster-a", "cluster-b"], 30)
        stores = get(STATE["query"] + "/api/v1/stores")["data"]
        self.assertEqual(len(stores["sidecar"]), 2)
        self.assertEqual(len(stores["store"]), 1)

    def test_2_each_cluster_uploads_a_block(self):
        def uploaded():
            by = {}
            for ulid, meta in blocks(STATE["bucket"]).items():
                labels = meta["thanos"]["labels"]
                by.setdefault(labels["cluster"], []).append(ulid)
                self.assertEqual(meta["thanos"]["source"], "sidecar")
                self.assertEqual(labels["stage"], "prod")
            return by if {"cluster-a", "cluster-b"} <= set(by) else None
        got = eventually("a block from each cluster in the bucket", uploaded, 240)
        self.assertTrue(got["cluster-a"] and got["cluster-b"])

    def test_3_old_data_through_the_store_gateway(self):
        # cluster-a's first uploaded block leaves its TSDB once RETENTION has passed beyond it.
        local = os.path.join(STATE["dir"], "data", "cluster-a")

        def gone_locally():
            for ulid, meta in sorted(blocks(STATE["bucket"]).items()):
                if meta["thanos"]["labels"]["cluster"] == "cluster-a" and \
                        not os.path.exists(os.path.join(local, ulid)):
                    return meta
            return None
        meta = eventually("a cluster-a block deleted locally by retention", gone_locally, 300)
        t = (meta["minTime"] + meta["maxTime"]) / 2000.0
        own = vector(STATE["cluster-a"], "count(up)", time=t)
        self.assertEqual(own, {}, "cluster-a still holds data at %s" % t)

        def through_store():
            return vector(STATE["query"], 'count by (cluster) (up{cluster="cluster-a"})', time=t)
        got = eventually("the querier answers for the deleted block", through_store, 30)
        self.assertEqual(got, {(("cluster", "cluster-a"),): 2.0})

    def test_4_querier_equals_each_cluster(self):
        end = time.time() - 5
        start = end - 40
        for cluster in ("cluster-a", "cluster-b"):
            with self.subTest(cluster=cluster):
                q = 'node_memory_MemAvailable_bytes'
                own = get(STATE[cluster] + "/api/v1/query_range", query=q, start=start,
                          end=end, step=2)["data"]["result"]
                glob = get(STATE["query"] + "/api/v1/query_range",
                           query=q + '{cluster="%s"}' % cluster, start=start, end=end,
                           step=2)["data"]["result"]
                self.assertEqual(len(own), 1)
                self.assertEqual(len(glob), 1)
                self.assertEqual(glob[0]["metric"]["region"],
                                 "us-east-1" if cluster == "cluster-a" else "eu-west-1")
                self.assertEqual(own[0]["values"], glob[0]["values"])

    def test_9_ctrl_c_stops_everything(self):
        sid = STATE["demo"].pid
        self.assertGreaterEqual(len(session_processes(sid)), 7)
        stop()
        self.assertEqual(STATE["demo"].returncode, 130)
        self.assertEqual(session_processes(sid), [])
        self.assertIn("demo: stopped", read_out())


if __name__ == "__main__":
    unittest.main()
