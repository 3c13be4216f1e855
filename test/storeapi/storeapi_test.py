"""The StoreAPI over gRPC, end to end, as a Thanos querier would call it: `argus server`
(its own TSDB), `argus sidecar` next to a real Prometheus 2.42 (remote read) and
`argus store` over a bucket, and `argus query` stacked over the server and the store gateway,
all holding the same blocks made by the real promtool. A Python client built from the project's .proto files calls Info, Series (every matcher type, time
trimming, skip_chunks, batching, external-label matchers, replica-label removal, limits),
LabelNames and LabelValues, decodes every chunk with its own XOR decoder, and must get exactly
the samples `promtool tsdb dump` shows. Run: ARGUS_BIN=... /usr/bin/python3 -m unittest
storeapi_test (from this directory)."""

import os
import shutil
import subprocess
import unittest

import grpc

import harness
import thanos_client as tc
from harness import ARGUS, HOUR, free_port, make_certs, read, wait_http, write_openmetrics

EXTERNAL = {"cluster": "eu-1", "replica": "a"}

STATE = {}


def start(args, name):
    return harness.start(STATE, args, name)


def setUpModule():
    harness.set_up(STATE, "argus-storeapi-", start_everything)


def start_everything():
    d = STATE["dir"]
    begin, end = STATE["range"]
    write_openmetrics(os.path.join(d, "in.om"), begin, end)
    blocks = os.path.join(d, "blocks")
    subprocess.run(["promtool", "tsdb", "create-blocks-from", "openmetrics",
                    os.path.join(d, "in.om"), blocks], check=True, capture_output=True)
    STATE["blocks"] = blocks
    STATE["dump"] = tc.promtool_dump(blocks, begin - HOUR, end + HOUR)
    ext_yaml = "global:\n  external_labels:\n" + "".join(
        '    %s: "%s"\n' % kv for kv in EXTERNAL.items())

    # argus server over a copy of the blocks.
    shutil.copytree(blocks, os.path.join(d, "server"))
    with open(os.path.join(d, "server.yml"), "w") as f:
        f.write(ext_yaml)
    web, grpc_port = free_port(), free_port()
    p = start([ARGUS, "server", "--config.file", os.path.join(d, "server.yml"),
               "--storage.tsdb.path", os.path.join(d, "server"),
               "--web.listen-address", "127.0.0.1:%d" % web,
               "--grpc-address", "127.0.0.1:%d" % grpc_port], "server")
    wait_http("http://127.0.0.1:%d/-/ready" % web, proc=p)
    STATE["server"] = "127.0.0.1:%d" % grpc_port

    # Another server on the same data behind mTLS, with request limits.
    make_certs(d)
    web, grpc_port = free_port(), free_port()
    p = start([ARGUS, "server", "--config.file", os.path.join(d, "server.yml"),
               "--storage.tsdb.path", os.path.join(d, "server"),
               "--web.listen-address", "127.0.0.1:%d" % web,
               "--grpc-address", "127.0.0.1:%d" % grpc_port,
               "--grpc-server-tls-cert", os.path.join(d, "server.crt"),
               "--grpc-server-tls-key", os.path.join(d, "server.key"),
               "--grpc-server-tls-client-ca", os.path.join(d, "ca.crt"),
               "--store.limits.request-series=5", "--store.limits.request-samples=5000"],
              "server-tls")
    wait_http("http://127.0.0.1:%d/-/ready" % web, proc=p)
    STATE["server-tls"] = "localhost:%d" % grpc_port

    # A real Prometheus over another copy, and `argus sidecar` next to it.
    shutil.copytree(blocks, os.path.join(d, "prometheus"))
    with open(os.path.join(d, "prometheus.yml"), "w") as f:
        f.write(ext_yaml)
    prom = free_port()
    p = start(["prometheus", "--config.file", os.path.join(d, "prometheus.yml"),
               "--storage.tsdb.path", os.path.join(d, "prometheus"),
               "--web.listen-address", "127.0.0.1:%d" % prom], "prometheus")
    wait_http("http://127.0.0.1:%d/-/ready" % prom, proc=p)
    side_http, side_grpc = free_port(), free_port()
    p = start([ARGUS, "sidecar", "--prometheus.url", "http://127.0.0.1:%d" % prom,
               "--tsdb.path", os.path.join(d, "prometheus"),
               "--http-address", "127.0.0.1:%d" % side_http,
               "--grpc-address", "127.0.0.1:%d" % side_grpc], "sidecar")
    wait_http("http://127.0.0.1:%d/-/ready" % side_http, proc=p)
    STATE["sidecar"] = "127.0.0.1:%d" % side_grpc

    # The blocks in a filesystem bucket, and `argus store` over it.
    shutil.copytree(blocks, os.path.join(d, "upload"))
    objstore = os.path.join(d, "bucket.yml")
    with open(objstore, "w") as f:
        f.write("type: FILESYSTEM\nconfig:\n  directory: %s\n" % os.path.join(d, "bucket"))
    subprocess.run([ARGUS, "tools", "bucket", "upload-blocks", "--path",
                    os.path.join(d, "upload"), "--objstore.config-file", objstore] +
                   sum([["--label", '%s="%s"' % kv] for kv in EXTERNAL.items()], []),
                   check=True, capture_output=True)
    store_http, store_grpc = free_port(), free_port()
    p = start([ARGUS, "store", "--objstore.config-file", objstore,
               "--data-dir", os.path.join(d, "store"),
               "--http-address", "127.0.0.1:%d" % store_http,
               "--grpc-address", "127.0.0.1:%d" % store_grpc], "store")
    wait_http("http://127.0.0.1:%d/-/ready" % store_http, proc=p)
    STATE["store"] = "127.0.0.1:%d" % store_grpc

    # `argus query` over the server and the store gateway, which hold the same blocks: its
    # own StoreAPI must answer each series once, identical chunks merged.
    query_http, query_grpc = free_port(), free_port()
    p = start([ARGUS, "query", "--endpoint", STATE["server"], "--endpoint", STATE["store"],
               "--http-address", "127.0.0.1:%d" % query_http,
               "--grpc-address", "127.0.0.1:%d" % query_grpc], "query")
    wait_http("http://127.0.0.1:%d/-/ready" % query_http, proc=p)
    STATE["query"] = "127.0.0.1:%d" % query_grpc


def tearDownModule():
    harness.stop_all(STATE)


class StoreApiContract:
    """The same checks against each endpoint; subclasses name it."""
    endpoint = None
    component = None

    def setUp(self):
        self.client = tc.StoreClient(STATE[self.endpoint])
        self.begin, self.end = STATE["range"]
        self.expected = tc.with_external(STATE["dump"], EXTERNAL)

    def tearDown(self):
        self.client.close()

    def check(self, matchers, min_time=None, max_time=None, **kw):
        lo = self.begin - HOUR if min_time is None else min_time
        hi = self.end + HOUR if max_time is None else max_time
        got, warnings = self.client.series(matchers=matchers, min_time=lo, max_time=hi, **kw)
        self.assertEqual(warnings, [])
        want = {k: [(t, v) for t, v in s if lo <= t <= hi]
                for k, s in tc.select(self.expected, matchers).items()}
        want = {k: s for k, s in want.items() if s}
        self.assertEqual(sorted(got), sorted(want))
        for k in want:
            self.assertTrue(tc.same_samples(got[k], want[k]), "samples of %s differ" % (k,))
        return got

    def test_info(self):
        info = self.client.info()
        self.assertEqual(info.ComponentType, self.component)
        sets = [{l.name: l.value for l in s.labels} for s in info.label_sets]
        self.assertEqual(sets, [EXTERNAL])
        self.assertLessEqual(info.store.min_time, self.begin)
        last = max(t for samples in STATE["dump"].values() for t, _ in samples)
        self.assertGreaterEqual(info.store.max_time, last)
        self.assertTrue(info.store.supports_without_replica_labels)
        legacy = self.client.store_info()
        self.assertEqual([{l.name: l.value for l in s.labels} for s in legacy.label_sets],
                         [EXTERNAL])
        self.assertEqual(legacy.min_time, info.store.min_time)
        self.assertEqual(self.client.health(), 1)

    def test_every_matcher_type(self):
        cases = [
            [("__name__", "=", "http_requests_total")],
            [("__name__", "=", "http_requests_total"), ("code", "!=", "200")],
            [("__name__", "=~", "http_.*|temp.*"), ("path", "!~", "/met.*")],
            [("__name__", "=", "temperature"), ("zone", "=~", "north|west-.")],
            [("__name__", "=~", ".+"), ("zone", "=", "")],  # no zone label
            [("__name__", "=", "big")],
            [("__name__", "=", "no_such_metric")],
        ]
        for m in cases:
            with self.subTest(matchers=m):
                self.check(m)
        self.assertEqual(len(self.check([("__name__", "=~", ".+")])), 11)

    def test_external_label_matchers(self):
        got = self.check([("__name__", "=", "temperature"), ("cluster", "=", "eu-1")])
        self.assertEqual(len(got), 4)
        self.assertEqual(self.check([("__name__", "=", "temperature"),
                                     ("cluster", "=~", "us-.*")]), {})
        self.assertEqual(len(self.check([("__name__", "=", "big"), ("replica", "!=", "b")])), 1)

    def test_time_trimming(self):
        lo, hi = self.begin + HOUR + 12345, self.begin + 3 * HOUR - 999
        got = self.check([("__name__", "=", "temperature")], min_time=lo, max_time=hi)
        self.assertEqual(len(got), 4)
        # Nothing in a range after the data.
        self.assertEqual(self.check([("__name__", "=~", ".+")], min_time=self.end + HOUR,
                                    max_time=self.end + 2 * HOUR), {})

    def test_skip_chunks(self):
        frames = self.client.series_frames(matchers=[("__name__", "=~", ".+")],
                                           min_time=self.begin, max_time=self.end,
                                           skip_chunks=True)
        labels = [tuple((l.name, l.value) for l in f.series.labels) for f in frames]
        self.assertEqual(labels, sorted(self.expected))
        self.assertTrue(all(len(f.series.chunks) == 0 for f in frames))

    def test_batching(self):
        frames = self.client.series_frames(matchers=[("__name__", "=~", ".+")],
                                           min_time=self.begin, max_time=self.end,
                                           response_batch_size=4)
        self.assertEqual([len(f.batch.series) for f in frames], [4, 4, 3])
        self.check([("__name__", "=~", ".+")], response_batch_size=4)
        single = self.client.series_frames(matchers=[("__name__", "=", "big")],
                                           min_time=self.begin, max_time=self.end,
                                           response_batch_size=1)
        self.assertEqual([f.WhichOneof("result") for f in single], ["series"])

    def test_without_replica_labels(self):
        frames = self.client.series_frames(matchers=[("__name__", "=", "temperature")],
                                           min_time=self.begin, max_time=self.end,
                                           without_replica_labels=["replica"])
        for f in frames:
            names = [l.name for l in f.series.labels]
            self.assertNotIn("replica", names)
            self.assertIn("cluster", names)

    def test_label_names_and_values(self):
        names = self.client.label_names(start=self.begin, end=self.end).names
        self.assertEqual(list(names), ["__name__", "cluster", "code", "kind", "path",
                                       "replica", "zone"])
        values = self.client.label_values(label="zone", start=self.begin, end=self.end).values
        self.assertEqual(list(values), ["east", "north", "south", "west-1"])
        values = self.client.label_values(label="cluster", start=self.begin, end=self.end)
        self.assertEqual(list(values.values), ["eu-1"])
        m = [tc.matcher("__name__", "=", "http_requests_total")]
        names = self.client.label_names(start=self.begin, end=self.end, matchers=m).names
        self.assertEqual(list(names), ["__name__", "cluster", "code", "path", "replica"])
        values = self.client.label_values(label="code", start=self.begin, end=self.end,
                                          matchers=m).values
        self.assertEqual(list(values), ["200", "404", "500"])

    def test_bad_requests(self):
        with self.assertRaises(grpc.RpcError) as e:
            self.client.series(matchers=[("__name__", "=~", "(")], min_time=self.begin,
                               max_time=self.end)
        self.assertEqual(e.exception.code(), grpc.StatusCode.INVALID_ARGUMENT)


class ServerTest(StoreApiContract, unittest.TestCase):
    endpoint = "server"
    component = "sidecar"


class SidecarTest(StoreApiContract, unittest.TestCase):
    endpoint = "sidecar"
    component = "sidecar"

    def test_no_matchers_left(self):
        with self.assertRaises(grpc.RpcError) as e:
            self.client.series(matchers=[("cluster", "=", "eu-1")], min_time=self.begin,
                               max_time=self.end)
        self.assertEqual(e.exception.code(), grpc.StatusCode.INVALID_ARGUMENT)
        self.assertIn("no matchers specified (excluding external labels)",
                      e.exception.details())


class TlsAndLimitsTest(unittest.TestCase):
    """mTLS with the --grpc-server-tls-* flags, and --store.limits.request-*."""

    def credentials(self, with_client_cert):
        d = STATE["dir"]
        if not with_client_cert:
            return grpc.ssl_channel_credentials(read(os.path.join(d, "ca.crt")))
        return grpc.ssl_channel_credentials(read(os.path.join(d, "ca.crt")),
                                            read(os.path.join(d, "client.key")),
                                            read(os.path.join(d, "client.crt")))

    def test_mtls(self):
        begin, end = STATE["range"]
        client = tc.StoreClient(STATE["server-tls"], self.credentials(True))
        got, _ = client.series(matchers=[("__name__", "=", "temperature")],
                               min_time=begin, max_time=end)
        self.assertEqual(len(got), 4)
        client.close()
        for creds in (self.credentials(False), None):
            client = tc.StoreClient(STATE["server-tls"], creds)
            with self.assertRaises(grpc.RpcError) as e:
                client.info()
            self.assertEqual(e.exception.code(), grpc.StatusCode.UNAVAILABLE)
            client.close()

    def test_limits(self):
        begin, end = STATE["range"]
        client = tc.StoreClient(STATE["server-tls"], self.credentials(True))
        # 11 series in the first 10 minutes (a chunk each, about 1000 samples in all): over the
        # series limit only.
        with self.assertRaises(grpc.RpcError) as e:
            client.series(matchers=[("__name__", "=~", ".+")], min_time=begin,
                          max_time=begin + 10 * 60 * 1000)
        self.assertEqual(e.exception.code(), grpc.StatusCode.RESOURCE_EXHAUSTED)
        self.assertIn("--store.limits.request-series", e.exception.details())
        # 4 series x 6h every 30 s = 2880 samples: under both limits.
        got, _ = client.series(matchers=[("__name__", "=", "temperature")],
                               min_time=begin, max_time=end)
        self.assertEqual(len(got), 4)
        # 4 series x 6h every 15 s = 5760 samples: over the sample limit.
        with self.assertRaises(grpc.RpcError) as e:
            client.series(matchers=[("__name__", "=", "http_requests_total"),
                                    ("code", "!=", "500")], min_time=begin, max_time=end)
        self.assertEqual(e.exception.code(), grpc.StatusCode.RESOURCE_EXHAUSTED)
        self.assertIn("--store.limits.request-samples", e.exception.details())
        client.close()


class StoreGatewayTest(StoreApiContract, unittest.TestCase):
    endpoint = "store"
    component = "store"


class QuerierTest(StoreApiContract, unittest.TestCase):
    endpoint = "query"
    component = "query"


if __name__ == "__main__":
    unittest.main()
