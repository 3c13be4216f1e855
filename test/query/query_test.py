"""`argus query`, Thanos's querier, end to end over real processes: two clusters, each a live
`argus server` (scraping itself, shipping backfilled blocks to a FILESYSTEM bucket), a second
replica of cluster a, and `argus store` over the bucket, so the old blocks are served twice.
The global view must count every series and sample once; dedup=false shows the replicas,
dedup collapses them; a stalled (SIGSTOP) or killed (SIGKILL) endpoint gives warnings with
partial response and errors without, within the response timeout, and /api/v1/stores tracks
endpoint health (the dead non-strict endpoint leaves after --store.unhealthy-timeout, a strict
one stays); mTLS lets in a querier with a client certificate and keeps out one without.
Run: ARGUS_BIN=... /usr/bin/python3 -m unittest -v query_test (from this directory)."""

import json
import os
import random
import signal
import subprocess
import sys
import time
import unittest
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "storeapi"))

import harness  # noqa: E402
import thanos_client as tc  # noqa: E402
from harness import ARGUS, HOUR, free_port, get_json, wait_http, write_file  # noqa: E402

MINUTE = 60 * 1000

# What each cluster's backfilled blocks hold: `hosts` fleet_load series and `queues`
# fleet_queue series, each with a label of its own cluster's (`extra`), samples at irregular
# intervals of 5-30 s, never on a whole second (so no sample sits on a range boundary).
CLUSTERS = {
    "a": {"region": "eu-west", "hosts": 4, "queues": 2, "extra": "rack", "seed": 11},
    "b": {"region": "us-east", "hosts": 6, "queues": 3, "extra": "shard", "seed": 22},
}
RESPONSE_TIMEOUT = 3.0  # --store.response-timeout of the partial-response querier, in s
SLACK = 4.0  # what a timed-out query may take beyond the response timeout, in s

STATE = {}


def external(cluster, replica):
    return {"cluster": cluster, "region": CLUSTERS.get(cluster, {}).get("region", "r-" + cluster),
            "replica": replica}


def write_cluster_data(path, cluster, begin, end):
    """Writes the OpenMetrics input of `cluster`'s blocks over [begin, end); returns
    {labels tuple (without external labels): [(t, value), ...]}."""
    spec = CLUSTERS[cluster]
    rnd = random.Random(spec["seed"])
    series = {}
    with open(path, "w") as f:
        for family, label, n in (("fleet_load", "host", spec["hosts"]),
                                 ("fleet_queue", "queue", spec["queues"])):
            f.write("# TYPE %s gauge\n" % family)
            for i in range(n):
                labels = {"__name__": family, label: "%s%d" % (label[0], i),
                          spec["extra"]: str(i % 2)}
                samples = []
                t = begin + rnd.randint(1, 999)
                while t < end:
                    samples.append((t, rnd.randint(-1000, 1000)))
                    t += rnd.randint(5000, 30000)
                    while t % 1000 == 0:
                        t += rnd.randint(1, 999)
                text = ",".join('%s="%s"' % kv for kv in sorted(labels.items())
                                if kv[0] != "__name__")
                for t, v in samples:
                    f.write("%s{%s} %d %d.%03d\n" % (family, text, v, t // 1000, t % 1000))
                series[tuple(sorted(labels.items()))] = samples
        f.write("# EOF\n")
    return series


def block_dirs(path):
    return sorted(d for d in os.listdir(path) if len(d) == 26)


def server_config(ext, web_port):
    """Scrapes itself every second as instance "argus" (the same series on every replica)."""
    return ("global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n  external_labels:\n" +
            "".join('    %s: "%s"\n' % kv for kv in sorted(ext.items())) +
            "scrape_configs:\n  - job_name: self\n    scrape_interval: 1s\n"
            "    static_configs:\n      - targets: ['127.0.0.1:%d']\n"
            "        labels:\n          instance: argus\n" % web_port)


def start_server(state, name, ext, *extra, data_dir=None):
    """Starts `argus server` with external labels `ext` and a StoreAPI; returns
    {"proc", "web" (port), "grpc" (address), "ext"} once it is ready."""
    d = state["dir"]
    web, grpc_port = free_port(), free_port()
    cfg = write_file(os.path.join(d, name + ".yml"), server_config(ext, web))
    p = harness.start(state, [
        ARGUS, "server", "--config.file", cfg,
        "--storage.tsdb.path", data_dir or os.path.join(d, name),
        # As Thanos wants of a sidecar's Prometheus: 2h blocks, no local compaction.
        "--storage.tsdb.min-block-duration=2h", "--storage.tsdb.max-block-duration=2h",
        "--web.listen-address", "127.0.0.1:%d" % web,
        "--grpc-address", "127.0.0.1:%d" % grpc_port] + list(extra), name)
    wait_http("http://127.0.0.1:%d/-/ready" % web, proc=p)
    return {"proc": p, "web": web, "grpc": "127.0.0.1:%d" % grpc_port, "ext": ext}


def start_querier(state, name, *args):
    """Starts `argus query` with `args`; returns {"proc", "url"} once /-/ready answers."""
    http, grpc_port = free_port(), free_port()
    p = harness.start(state, [ARGUS, "query", "--http-address", "127.0.0.1:%d" % http,
                              "--grpc-address", "127.0.0.1:%d" % grpc_port] + list(args), name)
    wait_http("http://127.0.0.1:%d/-/ready" % http, proc=p)
    return {"proc": p, "url": "http://127.0.0.1:%d" % http}


def api(base, path, **params):
    """(HTTP status, JSON body) of GET base+path?params; a list value repeats its key."""
    return get_json(base + path + "?" + urllib.parse.urlencode(params, doseq=True))


def timed_query(q, expr, **params):
    """(HTTP status, JSON body, seconds taken) of an instant query."""
    t0 = time.monotonic()
    status, body = api(q["url"], "/api/v1/query", query=expr, **params)
    return status, body, time.monotonic() - t0


def ts(ms):
    return "%d.%03d" % (ms // 1000, ms % 1000)


def eventually(check, timeout, what, interval=0.1):
    """Calls `check` until it returns something true; returns that, or fails naming `what`."""
    deadline = time.monotonic() + timeout
    while True:
        got = check()
        if got:
            return got
        if time.monotonic() > deadline:
            raise AssertionError("%s: not within %ss" % (what, timeout))
        time.sleep(interval)


def stores(q):
    """/api/v1/stores as {name: entry + {"type": component type}}."""
    status, body = get_json(q["url"] + "/api/v1/stores")
    if status != 200 or body.get("status") != "success":
        raise AssertionError("/api/v1/stores: %d %s" % (status, body))
    out = {}
    for kind, entries in (body.get("data") or {}).items():
        for e in entries or []:
            if e["name"] in out:
                raise AssertionError("%s listed twice: %s" % (e["name"], body))
            out[e["name"]] = dict(e, type=kind)
    return out


def wait_healthy(q, addresses, timeout=30):
    """Waits until /api/v1/stores lists every address with a null lastError and data (a
    minTime in the past: a server's Info before its first scrape gives none, and the querier
    then leaves it out until the next Info, 5 s later)."""
    def ok():
        s, now = stores(q), time.time() * 1000
        return all(a in s and s[a]["lastError"] is None and s[a]["minTime"] <= now
                   for a in addresses)
    eventually(ok, timeout, "%s healthy in %s's /api/v1/stores" % (addresses, q["url"]), 0.3)


def wait_scraped(server):
    """Waits until the server's own API has `up` (it scraped itself)."""
    url = "http://127.0.0.1:%d" % server["web"]
    eventually(lambda: api(url, "/api/v1/query", query="up")[1]["data"]["result"], 30,
               "a first scrape on %s" % url, 0.3)


def cont(proc):
    try:
        os.kill(proc.pid, signal.SIGCONT)
    except ProcessLookupError:
        pass


def setUpModule():
    harness.set_up(STATE, "argus-query-", start_everything)


def start_everything():
    d = STATE["dir"]
    # Four hours of 2h blocks ending four to six hours ago: well before the servers' heads.
    now = int(time.time() * 1000)
    end = now - now % (2 * HOUR) - 4 * HOUR
    begin = end - 4 * HOUR
    STATE["old"] = (begin, end)
    # Inside the old range; [t-1h, t] spans the boundary of the two blocks.
    STATE["t_old"] = begin + 2 * HOUR + 30 * MINUTE
    bucket = os.path.join(d, "bucket")
    yml = write_file(os.path.join(d, "bucket.yml"),
                     "type: FILESYSTEM\nconfig:\n  directory: %s\n" % bucket)
    STATE["bucket"] = bucket
    for c in CLUSTERS:
        om = os.path.join(d, c + ".om")
        STATE["data", c] = write_cluster_data(om, c, begin, end)
        data_dir = os.path.join(d, c + "0")
        subprocess.run([ARGUS, "tools", "tsdb", "create-blocks-from", "openmetrics", "--quiet",
                        om, data_dir], check=True, capture_output=True)
        STATE["blocks", c] = block_dirs(data_dir)
        if len(STATE["blocks", c]) != 2:
            raise AssertionError("expected two 2h blocks, got %s" % STATE["blocks", c])
        STATE[c + "0"] = start_server(STATE, c + "0", external(c, "0"),
                                      "--objstore.config-file", yml, data_dir=data_dir)
    # The second replica of cluster a: live data only.
    STATE["a1"] = start_server(STATE, "a1", external("a", "1"))

    # The shipper uploads the backfilled blocks at start, meta.json last.
    def shipped():
        for c in CLUSTERS:
            for b in STATE["blocks", c]:
                try:
                    with open(os.path.join(bucket, b, "meta.json")) as f:
                        meta = json.load(f)
                except (OSError, ValueError):
                    return False
                if meta["thanos"]["labels"] != external(c, "0"):
                    raise AssertionError("block %s shipped with labels %s" %
                                         (b, meta["thanos"]["labels"]))
        return True
    eventually(shipped, 60, "the servers' blocks in the bucket", 0.3)

    http, grpc_port = free_port(), free_port()
    p = harness.start(STATE, [ARGUS, "store", "--objstore.config-file", yml,
                              "--data-dir", os.path.join(d, "store-data"),
                              "--http-address", "127.0.0.1:%d" % http,
                              "--grpc-address", "127.0.0.1:%d" % grpc_port], "store")
    wait_http("http://127.0.0.1:%d/-/ready" % http, timeout=120, proc=p)
    STATE["store"] = "127.0.0.1:%d" % grpc_port

    help_ = subprocess.run([ARGUS, "query", "--help"], capture_output=True, text=True)
    if help_.returncode != 0:
        raise AssertionError("`argus query --help` failed: %s" % help_.stderr[-2000:])
    STATE["endpoints"] = [STATE["a0"]["grpc"], STATE["a1"]["grpc"], STATE["b0"]["grpc"],
                          STATE["store"]]
    STATE["q"] = start_querier(STATE, "query", "--query.replica-label=replica",
                               *["--endpoint=" + e for e in STATE["endpoints"]])
    for s in ("a0", "a1", "b0"):
        wait_scraped(STATE[s])
    wait_healthy(STATE["q"], STATE["endpoints"])


def tearDownModule():
    harness.stop_all(STATE)


def result(test, status, body):
    """The data of a successful answer without warnings (of a query: data.result)."""
    test.assertEqual(status, 200, body)
    test.assertEqual(body["status"], "success", body)
    test.assertEqual(body.get("warnings") or [], [], body)
    data = body["data"]
    return data["result"] if isinstance(data, dict) else data


def by_cluster(test, res):
    """{cluster: value} of an instant vector with one series per cluster."""
    out = {}
    for r in res:
        c = r["metric"].get("cluster")
        test.assertNotIn(c, out, res)
        out[c] = float(r["value"][1])
    return out


def expected_over_time(cluster, t):
    """count_over_time and sum_over_time of fleet_load{host="h0"}[1h] at t (ms)."""
    samples = STATE["data", cluster][(("__name__", "fleet_load"), ("host", "h0"),
                                      (CLUSTERS[cluster]["extra"], "0"))]
    window = [v for s, v in samples if t - HOUR < s <= t]
    return len(window), float(sum(window))


class GlobalView(unittest.TestCase):
    """The querier over both clusters' servers and the store gateway, which serve the same
    old blocks."""

    def query(self, expr, **params):
        status, body, _ = timed_query(STATE["q"], expr, **params)
        return result(self, status, body)

    def test_up_once_per_cluster(self):
        got = by_cluster(self, self.query("sum by (cluster) (up)"))
        self.assertEqual(got, {"a": 1.0, "b": 1.0})

    def test_old_series_counted_once(self):
        t = STATE["t_old"]
        want = {c: len(STATE["data", c]) for c in CLUSTERS}
        # Both the servers and the store gateway hold these series.
        client = tc.StoreClient(STATE["store"])
        try:
            got, warnings = client.series(matchers=[("__name__", "=~", "fleet_.+")],
                                          min_time=t - HOUR, max_time=t)
        finally:
            client.close()
        self.assertEqual(warnings, [])
        in_store = {}
        for key in got:
            c = dict(key)["cluster"]
            in_store[c] = in_store.get(c, 0) + 1
        self.assertEqual(in_store, want, "the store gateway's own answer")
        for c in CLUSTERS:
            status, body = api("http://127.0.0.1:%d" % STATE[c + "0"]["web"], "/api/v1/query",
                               query='count({__name__=~"fleet_.+"})', time=ts(t))
            self.assertEqual(float(result(self, status, body)[0]["value"][1]), want[c],
                             "server %s0's own answer" % c)

        got = by_cluster(self, self.query('count by (cluster) ({__name__=~".+"})', time=ts(t)))
        self.assertEqual(got, {c: float(n) for c, n in want.items()})

    def test_samples_counted_once(self):
        t = STATE["t_old"]
        want = {c: expected_over_time(c, t) for c in CLUSTERS}
        self.assertTrue(all(n > 100 for n, _ in want.values()), want)
        got = by_cluster(self, self.query('count_over_time(fleet_load{host="h0"}[1h])',
                                          time=ts(t)))
        self.assertEqual(got, {c: float(n) for c, (n, _) in want.items()})
        got = by_cluster(self, self.query('sum_over_time(fleet_load{host="h0"}[1h])',
                                          time=ts(t)))
        self.assertEqual(got, {c: s for c, (_, s) in want.items()})

        # The same over a range of steps, across the blocks' boundary.
        start, end, step = t - 30 * MINUTE, t + 30 * MINUTE, 10 * MINUTE
        status, body = api(STATE["q"]["url"], "/api/v1/query_range",
                           query='count_over_time(fleet_load{host="h0"}[1h])',
                           start=ts(start), end=ts(end), step="600")
        res = result(self, status, body)
        got = {r["metric"]["cluster"]: [(int(round(p[0] * 1000)), float(p[1]))
                                        for p in r["values"]] for r in res}
        self.assertEqual(len(res), len(got))
        self.assertEqual(got, {c: [(s, float(expected_over_time(c, s)[0]))
                                   for s in range(start, end + 1, step)] for c in CLUSTERS})

    def test_labels_and_values(self):
        status, body = api(STATE["q"]["url"], "/api/v1/labels")
        names = result(self, status, body)
        for n in ("__name__", "cluster", "region", "host", "queue", "rack", "shard",
                  "instance", "job"):
            self.assertIn(n, names)
        self.assertEqual(names, sorted(set(names)))
        status, body = api(STATE["q"]["url"], "/api/v1/label/cluster/values")
        self.assertEqual(result(self, status, body), ["a", "b"])
        status, body = api(STATE["q"]["url"], "/api/v1/label/rack/values")
        self.assertEqual(result(self, status, body), ["0", "1"])

    def test_series_fan_out(self):
        begin, end = STATE["old"]
        status, body = api(STATE["q"]["url"], "/api/v1/series", **{
            "match[]": ['fleet_load', '{__name__="fleet_queue",queue="q1"}'],
            "start": ts(begin), "end": ts(end)})
        got = sorted(tuple(sorted(s.items())) for s in result(self, status, body))
        want = []
        for c in CLUSTERS:
            ext = external(c, "0")
            del ext["replica"]  # a replica label: removed
            for key in STATE["data", c]:
                d = dict(key)
                if d["__name__"] == "fleet_load" or d.get("queue") == "q1":
                    d.update(ext)
                    want.append(tuple(sorted(d.items())))
        self.assertEqual(got, sorted(want))

        now = time.time()
        status, body = api(STATE["q"]["url"], "/api/v1/series",
                           **{"match[]": "up", "start": "%.3f" % (now - 60), "end": "%.3f" % now})
        got = sorted(tuple(sorted(s.items())) for s in result(self, status, body))
        self.assertEqual(got, sorted(
            tuple(sorted({"__name__": "up", "instance": "argus", "job": "self", "cluster": c,
                          "region": CLUSTERS[c]["region"]}.items())) for c in CLUSTERS))


class Dedup(unittest.TestCase):
    """Cluster a has two replicas (replica "0" and "1"); --query.replica-label=replica."""

    def up(self, **params):
        status, body, _ = timed_query(STATE["q"], "up", **params)
        return sorted((r["metric"]["cluster"], r["metric"].get("replica"), r["value"][1])
                      for r in result(self, status, body))

    def test_without_dedup_both_replicas_appear(self):
        self.assertEqual(self.up(dedup="false"),
                         [("a", "0", "1"), ("a", "1", "1"), ("b", "0", "1")])
        status, body, _ = timed_query(STATE["q"], "sum by (cluster) (up)", dedup="false")
        self.assertEqual(by_cluster(self, result(self, status, body)), {"a": 2.0, "b": 1.0})

    def test_with_dedup_replicas_collapse(self):
        self.assertEqual(self.up(), [("a", None, "1"), ("b", None, "1")])
        self.assertEqual(self.up(dedup="true"), [("a", None, "1"), ("b", None, "1")])

    def test_identical_series_merge_without_dedup(self):
        # The server and the store gateway send the very same series (same labels, same
        # chunks): one series even with dedup=false.
        t = STATE["t_old"]
        status, body, _ = timed_query(STATE["q"], 'count by (cluster) ({__name__=~"fleet_.+"})',
                                      time=ts(t), dedup="false")
        self.assertEqual(by_cluster(self, result(self, status, body)),
                         {c: float(len(STATE["data", c])) for c in CLUSTERS})
        status, body, _ = timed_query(STATE["q"], 'count_over_time(fleet_load{host="h0"}[1h])',
                                      time=ts(t), dedup="false")
        self.assertEqual(by_cluster(self, result(self, status, body)),
                         {c: float(expected_over_time(c, t)[0]) for c in CLUSTERS})


class PartialResponse(unittest.TestCase):
    """A querier over cluster b's server, a server it kills (non-strict endpoint) and a server
    it stalls (strict endpoint), with --store.response-timeout=3s and
    --store.unhealthy-timeout=10s."""

    state = {}

    @classmethod
    def setUpClass(cls):
        def build():
            cls.kill = start_server(cls.state, "kill", external("k", "0"))
            cls.stall = start_server(cls.state, "stall", external("s", "0"))
            cls.q = start_querier(
                cls.state, "query-partial", "--query.replica-label=replica",
                "--endpoint=" + STATE["b0"]["grpc"], "--endpoint=" + cls.kill["grpc"],
                "--endpoint-strict=" + cls.stall["grpc"],
                "--store.response-timeout=%ds" % RESPONSE_TIMEOUT,
                "--store.unhealthy-timeout=10s")
            wait_scraped(cls.kill)
            wait_scraped(cls.stall)
            wait_healthy(cls.q, [STATE["b0"]["grpc"], cls.kill["grpc"], cls.stall["grpc"]])
        harness.set_up(cls.state, "argus-query-partial-", build)

    @classmethod
    def tearDownClass(cls):
        for p in cls.state.get("procs", []):
            cont(p)
        harness.stop_all(cls.state)

    def up(self, partial):
        """(HTTP status, body, seconds, clusters in the answer) of `up`."""
        status, body, took = timed_query(self.q, "up", partial_response=partial)
        clusters = None
        if body.get("status") == "success":
            clusters = sorted(r["metric"]["cluster"] for r in body["data"]["result"])
        return status, body, took, clusters

    def assert_partial(self, want_clusters, dead, min_took=0.0):
        """A partial answer: `want_clusters`' data and, as Thanos's "receive series from
        ADDR: ...", a warning naming address `dead`."""
        status, body, took, clusters = self.up("true")
        self.assertEqual(status, 200, body)
        self.assertEqual(body["status"], "success", body)
        self.assertEqual(clusters, want_clusters, body)
        self.assertIsInstance(body.get("warnings"), list, body)
        self.assertTrue(body["warnings"], body)
        self.assertTrue(all(isinstance(w, str) and w for w in body["warnings"]), body)
        self.assertTrue(any(dead in w for w in body["warnings"]), body)
        self.assertLessEqual(took, RESPONSE_TIMEOUT + SLACK, body)
        self.assertGreaterEqual(took, min_took, body)

    def assert_error(self, dead):
        status, body, took, _ = self.up("false")
        self.assertGreaterEqual(status, 400, body)
        self.assertEqual(body["status"], "error", body)
        self.assertIn(dead, body.get("error", ""), body)
        self.assertLessEqual(took, RESPONSE_TIMEOUT + SLACK, body)

    def test_dead_endpoints(self):
        q, b, kill, stall = self.q, STATE["b0"]["grpc"], self.kill["grpc"], self.stall["grpc"]
        self.addCleanup(cont, self.stall["proc"])
        status, body, _, clusters = self.up("true")
        self.assertEqual(clusters, ["b", "k", "s"], body)
        self.assertEqual(body.get("warnings") or [], [], body)

        # Killed right after an answered Info: the querier still asks it until the next one.
        before = stores(q)[kill]["lastCheck"]
        eventually(lambda: stores(q)[kill]["lastCheck"] != before, 12, "an Info round")
        self.kill["proc"].kill()
        self.kill["proc"].wait()
        killed_at = time.monotonic()
        self.assert_partial(["b", "s"], kill)
        self.assert_error(kill)
        self.assertLess(time.monotonic() - killed_at, 5, "too slow to test the killed endpoint")
        error = eventually(lambda: stores(q).get(kill, {}).get("lastError"), 12,
                           "a lastError for the killed endpoint")
        self.assertIsInstance(error, str)

        # Stalled: a strict endpoint is asked every time; the response timeout ends the wait.
        os.kill(self.stall["proc"].pid, signal.SIGSTOP)
        stalled_at = time.monotonic()
        self.assert_partial(["b"], stall, min_took=RESPONSE_TIMEOUT - 0.5)
        self.assert_error(stall)
        eventually(lambda: stores(q).get(stall, {}).get("lastError"), 15,
                   "a lastError for the stalled endpoint", 0.3)

        # The dead non-strict endpoint leaves after --store.unhealthy-timeout=10s.
        eventually(lambda: kill not in stores(q), 30, "the killed endpoint leaving", 0.3)
        gone = time.monotonic() - killed_at
        self.assertGreaterEqual(gone, 8, "removed %.1fs after the kill" % gone)
        self.assertLessEqual(gone, 25, "removed %.1fs after the kill" % gone)
        # The strict one stays, however long it is dead, and is still asked.
        time.sleep(max(0.0, stalled_at + 17 - time.monotonic()))
        s = stores(q)
        self.assertIn(stall, s)
        self.assertTrue(s[stall]["lastError"], s[stall])
        self.assertIsNone(s[b]["lastError"], s[b])
        self.assertNotIn(kill, s)
        self.assert_partial(["b"], stall, min_took=RESPONSE_TIMEOUT - 0.5)

        # Resumed: healthy again, and its data is back without warnings.
        cont(self.stall["proc"])
        eventually(lambda: stall in stores(q) and stores(q)[stall]["lastError"] is None, 15,
                   "the resumed endpoint healthy again", 0.3)
        status, body, _, clusters = self.up("true")
        self.assertEqual(clusters, ["b", "s"], body)
        self.assertEqual(body.get("warnings") or [], [], body)
        self.assertIsNone(self.q["proc"].poll(), "the querier died")


class MutualTls(unittest.TestCase):
    """A server whose StoreAPI wants client certificates; one querier presents one, another
    only trusts the CA."""

    state = {}

    @classmethod
    def setUpClass(cls):
        def build():
            d = cls.state["dir"]
            harness.make_certs(d)
            cls.server = start_server(
                cls.state, "tls", external("t", "0"),
                "--grpc-server-tls-cert", os.path.join(d, "server.crt"),
                "--grpc-server-tls-key", os.path.join(d, "server.key"),
                "--grpc-server-tls-client-ca", os.path.join(d, "ca.crt"))
            common = ["--endpoint=" + cls.server["grpc"], "--grpc-client-tls-secure",
                      "--grpc-client-tls-ca", os.path.join(d, "ca.crt"),
                      "--grpc-client-server-name=localhost"]
            cls.good = start_querier(cls.state, "query-tls",
                                     "--grpc-client-tls-cert", os.path.join(d, "client.crt"),
                                     "--grpc-client-tls-key", os.path.join(d, "client.key"),
                                     *common)
            cls.bad = start_querier(cls.state, "query-no-cert", *common)
            cls.bad["ready_at"] = time.monotonic()
            wait_scraped(cls.server)
        harness.set_up(cls.state, "argus-query-tls-", build)

    @classmethod
    def tearDownClass(cls):
        harness.stop_all(cls.state)

    def test_client_certificate_gets_data(self):
        wait_healthy(self.good, [self.server["grpc"]])
        entry = stores(self.good)[self.server["grpc"]]
        self.assertEqual(entry["type"], "sidecar")
        self.assertEqual(entry["labelSets"], [external("t", "0")])
        status, body, _ = timed_query(self.good, "up")
        self.assertEqual([(r["metric"]["cluster"], r["value"][1])
                          for r in result(self, status, body)], [("t", "1")])

    def test_no_client_certificate_is_refused(self):
        # Two Info rounds at least.
        time.sleep(max(0.0, self.bad["ready_at"] + 11 - time.monotonic()))
        healthy = [n for n, e in stores(self.bad).items() if e["lastError"] is None]
        self.assertEqual(healthy, [])
        status, body, _ = timed_query(self.bad, "up")
        self.assertEqual(status, 200, body)
        self.assertEqual(body["status"], "success", body)
        self.assertEqual(body["data"]["result"], [], body)
        status, body = api(self.bad["url"], "/api/v1/label/cluster/values")
        self.assertEqual(status, 200, body)
        self.assertEqual(body["data"], [], body)
        self.assertIsNone(self.bad["proc"].poll(), "the querier died")


if __name__ == "__main__":
    unittest.main()
