"""`argus store`, Thanos's store gateway, over buckets holding blocks made by the real
promtool and by Argus's own backfill: a FILESYSTEM bucket and a real S3-compatible server
(s3rver). Its answers must equal a local read of the same blocks by `argus server`; a restart
reuses the index-headers; blocks whose index or chunks are corrupt or missing give warnings
(or errors under ABORT) while the other blocks keep serving; a query over a large bucket under
a small memory budget fails cleanly with the process's memory in bounds, and the store keeps
serving. Run: ARGUS_BIN=... /usr/bin/python3 -m unittest store_gateway_test (from here)."""

import glob
import json
import os
import shutil
import struct
import subprocess
import tempfile
import time
import unittest
import urllib.request

import grpc

import harness
import thanos_client as tc
from harness import ARGUS, HOUR, free_port, wait_http, write_openmetrics

EXTERNAL = {"cluster": "eu-1", "replica": "a"}
S3RVER = os.path.join(tc.REPO, "test", "npm", "node_modules", ".bin", "s3rver")

STATE = {}


def start(args, name):
    return harness.start(STATE, args, name)


def bucket_yaml(path, **s3):
    if not s3:
        return "type: FILESYSTEM\nconfig:\n  directory: %s\n" % path
    return ("type: S3\nconfig:\n  bucket: blocks\n  endpoint: %s\n  insecure: true\n"
            "  access_key: S3RVER\n  secret_key: S3RVER\n" % s3["endpoint"])


def write_file(path, text):
    with open(path, "w") as f:
        f.write(text)
    return path


def upload(blocks_dir, objstore_file, labels=EXTERNAL):
    """Uploads copies of the blocks under `blocks_dir` with `labels` (as the shipper would)."""
    tmp = tempfile.mkdtemp(dir=STATE["dir"])
    shutil.rmtree(tmp)
    shutil.copytree(blocks_dir, tmp)
    subprocess.run([ARGUS, "tools", "bucket", "upload-blocks", "--path", tmp,
                    "--objstore.config-file", objstore_file] +
                   sum([["--label", '%s="%s"' % kv] for kv in labels.items()], []),
                   check=True, capture_output=True)
    shutil.rmtree(tmp)


def start_store(name, objstore_file, *extra, data_dir=None):
    """Starts `argus store` on `data_dir` (default: its own); returns (process, grpc address,
    http port)."""
    http, grpc_port = free_port(), free_port()
    p = start([ARGUS, "store", "--objstore.config-file", objstore_file,
               "--data-dir", data_dir or os.path.join(STATE["dir"], name + "-data"),
               "--http-address", "127.0.0.1:%d" % http,
               "--grpc-address", "127.0.0.1:%d" % grpc_port] + list(extra), name)
    wait_http("http://127.0.0.1:%d/-/ready" % http, timeout=120, proc=p)
    return p, "127.0.0.1:%d" % grpc_port, http


def metric(http_port, name):
    """The sum of the samples of metric `name` on /metrics."""
    with urllib.request.urlopen("http://127.0.0.1:%d/metrics" % http_port, timeout=10) as r:
        text = r.read().decode()
    total = 0.0
    for line in text.splitlines():
        if line.startswith(name + " ") or line.startswith(name + "{"):
            total += float(line.rsplit(" ", 1)[1])
    return total


def block_dirs(path):
    return sorted(d for d in os.listdir(path) if len(d) == 26)


def setUpModule():
    harness.set_up(STATE, "argus-store-", start_everything)


def start_everything():
    d = STATE["dir"]
    begin, end = STATE["range"]
    # Blocks from promtool, and blocks from Argus's backfill of other series.
    write_openmetrics(os.path.join(d, "a.om"), begin, end)
    subprocess.run(["promtool", "tsdb", "create-blocks-from", "openmetrics",
                    os.path.join(d, "a.om"), os.path.join(d, "promtool")],
                   check=True, capture_output=True)
    with open(os.path.join(d, "b.om"), "w") as f:
        f.write("# TYPE argus_made gauge\n")
        for inst in range(5):
            for t in range(begin, end, 20000):
                f.write('argus_made{instance="i%d"} %d %.3f\n' % (inst, (t // 1000) % 977, t / 1000))
        f.write("# EOF\n")
    subprocess.run([ARGUS, "tools", "tsdb", "create-blocks-from", "openmetrics", "--quiet",
                    os.path.join(d, "b.om"), os.path.join(d, "argus")],
                   check=True, capture_output=True)
    local = os.path.join(d, "local")
    os.makedirs(local)
    for src in ("promtool", "argus"):
        for b in block_dirs(os.path.join(d, src)):
            shutil.copytree(os.path.join(d, src, b), os.path.join(local, b))
    STATE["local"] = local

    # The oracle: argus server reading the blocks from its own directory.
    server_dir = os.path.join(d, "server")
    shutil.copytree(local, server_dir)
    cfg = write_file(os.path.join(d, "server.yml"), "global:\n  external_labels:\n" + "".join(
        '    %s: "%s"\n' % kv for kv in EXTERNAL.items()))
    web, grpc_port = free_port(), free_port()
    p = start([ARGUS, "server", "--config.file", cfg, "--storage.tsdb.path", server_dir,
               "--storage.tsdb.retention.time=100y",
               "--web.listen-address", "127.0.0.1:%d" % web,
               "--grpc-address", "127.0.0.1:%d" % grpc_port], "server")
    wait_http("http://127.0.0.1:%d/-/ready" % web, proc=p)
    STATE["server"] = "127.0.0.1:%d" % grpc_port

    # The same blocks in a filesystem bucket and in s3rver, each behind a store gateway.
    fs = write_file(os.path.join(d, "fs.yml"), bucket_yaml(os.path.join(d, "bucket")))
    upload(local, fs)
    STATE["fs_yml"] = fs
    _, STATE["fs"], STATE["fs_http"] = start_store("store-fs", fs)
    s3_port = free_port()
    start(["env", "NODE_OPTIONS=--openssl-legacy-provider", S3RVER, "-d",
           os.path.join(d, "s3"), "-a", "127.0.0.1", "-p", str(s3_port),
           "--configure-bucket", "blocks"], "s3rver")
    deadline = time.time() + 30
    while "S3rver listening" not in harness.read(os.path.join(d, "s3rver.log")).decode():
        if time.time() > deadline:
            raise AssertionError("s3rver did not start")
        time.sleep(0.2)
    s3 = write_file(os.path.join(d, "s3.yml"),
                    bucket_yaml(None, endpoint="127.0.0.1:%d" % s3_port))
    upload(local, s3)
    _, STATE["s3"], _ = start_store("store-s3", s3)


def tearDownModule():
    harness.stop_all(STATE)


MATCHER_SETS = [
    [("__name__", "=~", ".+")],
    [("__name__", "=", "http_requests_total"), ("code", "!=", "200")],
    [("__name__", "=~", "argus_made|temp.*"), ("instance", "!~", "i[0-2]")],
    [("__name__", "=", "argus_made"), ("cluster", "=", "eu-1")],
    [("__name__", "=", "temperature"), ("zone", "=~", "north|west-.")],
]


class SameAsLocalRead(unittest.TestCase):
    def answers(self, address, matchers, lo, hi, **kw):
        client = tc.StoreClient(address)
        try:
            got, warnings = client.series(matchers=matchers, min_time=lo, max_time=hi, **kw)
            names = list(client.label_names(start=lo, end=hi).names)
            values = list(client.label_values(label="instance", start=lo, end=hi).values)
        finally:
            client.close()
        self.assertEqual(warnings, [])
        return got, names, values

    def test_fs_and_s3_buckets(self):
        begin, end = STATE["range"]
        for lo, hi in ((begin - HOUR, end + HOUR), (begin + HOUR + 777, begin + 3 * HOUR - 1)):
            for m in MATCHER_SETS:
                want = self.answers(STATE["server"], m, lo, hi)
                self.assertTrue(want[0], "the local read found nothing for %s" % (m,))
                for bucket in ("fs", "s3"):
                    with self.subTest(bucket=bucket, matchers=m, range=(lo, hi)):
                        got = self.answers(STATE[bucket], m, lo, hi)
                        self.assertEqual(sorted(got[0]), sorted(want[0]))
                        for k in want[0]:
                            self.assertTrue(tc.same_samples(got[0][k], want[0][k]), k)
                        self.assertEqual(got[1:], want[1:])
        # Both kinds of block are there.
        got = self.answers(STATE["fs"], [("__name__", "=~", "argus_made|big")], begin, end)[0]
        self.assertEqual({dict(k)["__name__"] for k in got}, {"argus_made", "big"})

    def test_info(self):
        client = tc.StoreClient(STATE["s3"])
        info = client.info()
        client.close()
        self.assertEqual(info.ComponentType, "store")
        self.assertEqual([{l.name: l.value for l in s.labels} for s in info.label_sets],
                         [EXTERNAL])
        begin, _ = STATE["range"]
        self.assertLessEqual(info.store.min_time, begin)
        last = max(t for samples in STATE_DUMP().values() for t, _ in samples)
        self.assertGreaterEqual(info.store.max_time, last)


class Restart(unittest.TestCase):
    def test_index_headers_are_reused(self):
        p, address, _ = start_store("store-restart", STATE["fs_yml"])
        data = os.path.join(STATE["dir"], "store-restart-data")
        headers = sorted(glob.glob(os.path.join(data, "*", "index-header*")))
        self.assertEqual(len(headers), len(block_dirs(STATE["local"])))
        before = {h: os.stat(h).st_mtime_ns for h in headers}
        m = [("__name__", "=~", ".+")]
        begin, end = STATE["range"]
        client = tc.StoreClient(address)
        first, _ = client.series(matchers=m, min_time=begin, max_time=end)
        client.close()
        p.terminate()
        p.wait(timeout=20)
        time.sleep(0.05)
        p, address, http = start_store("store-restart-2", STATE["fs_yml"], data_dir=data)
        after = {h: os.stat(h).st_mtime_ns for h in
                 sorted(glob.glob(os.path.join(data, "*", "index-header*")))}
        self.assertEqual(after, before)
        client = tc.StoreClient(address)
        second, _ = client.series(matchers=m, min_time=begin, max_time=end)
        client.close()
        self.assertEqual(sorted(second), sorted(first))
        self.assertEqual(metric(http, "thanos_bucket_store_blocks_loaded"),
                         len(block_dirs(STATE["local"])))


def toc(index_path):
    """The offsets of the index file's TOC: symbols, series, label indices, label offset
    table, postings, postings offset table."""
    with open(index_path, "rb") as f:
        f.seek(-52, os.SEEK_END)
        return struct.unpack(">6Q", f.read(48))


class BrokenBlocks(unittest.TestCase):
    """Four copies of promtool's blocks with their own ULIDs: one whole, one with its series
    section corrupt, one without its chunks, one without its index; and a partial upload."""

    def test_warnings_errors_and_the_rest_serves(self):
        # Whole copies go up; the bucket (a plain directory) is then damaged in place.
        d = os.path.join(STATE["dir"], "broken")
        src = os.path.join(STATE["dir"], "promtool")
        first = block_dirs(src)[0]
        os.makedirs(d)
        names = {}
        for i, kind in enumerate(("whole", "corrupt-series", "no-chunks", "no-index", "partial")):
            ulid = "01BRKN%020d" % i  # a valid ULID (Crockford base32)
            shutil.copytree(os.path.join(src, first), os.path.join(d, ulid))
            meta_path = os.path.join(d, ulid, "meta.json")
            with open(meta_path) as f:
                meta = json.load(f)
            meta["ulid"] = ulid
            with open(meta_path, "w") as f:
                json.dump(meta, f)
            names[kind] = ulid
        bucket = os.path.join(STATE["dir"], "broken-bucket")
        yml = write_file(os.path.join(STATE["dir"], "broken.yml"), bucket_yaml(bucket))
        upload(d, yml)
        index = os.path.join(bucket, names["corrupt-series"], "index")
        first_series = (toc(index)[1] + 15) // 16 * 16  # entries are 16-byte aligned
        with open(index, "r+b") as f:
            f.seek(first_series + 3)
            f.write(b"\xde\xad\xbe\xef")
        os.remove(os.path.join(bucket, names["no-chunks"], "chunks", "000001"))
        os.remove(os.path.join(bucket, names["no-index"], "index"))
        os.remove(os.path.join(bucket, names["partial"], "meta.json"))
        p, address, http = start_store("store-broken", yml)
        self.assertEqual(metric(http, "thanos_bucket_store_blocks_loaded"), 3)
        self.assertGreaterEqual(metric(http, "thanos_bucket_store_block_load_failures_total"), 1)

        with open(os.path.join(d, names["whole"], "meta.json")) as f:
            meta = json.load(f)
        lo, hi = meta["minTime"], meta["maxTime"] - 1
        client = tc.StoreClient(address)
        m = [("__name__", "=~", ".+")]
        got, warnings = client.series(matchers=m, min_time=lo, max_time=hi)
        want = {k: [(t, v) for t, v in s if lo <= t <= hi]
                for k, s in tc.with_external(STATE_DUMP(), EXTERNAL).items()}
        want = {k: s for k, s in want.items() if s}
        self.assertEqual(sorted(got), sorted(want))
        for k in want:
            self.assertTrue(tc.same_samples(got[k], want[k]), k)
        self.assertEqual(len(warnings), 2, warnings)
        self.assertTrue(any(names["corrupt-series"] in w for w in warnings), warnings)
        self.assertTrue(any(names["no-chunks"] in w for w in warnings), warnings)
        with self.assertRaises(grpc.RpcError) as e:
            client.series(matchers=m, min_time=lo, max_time=hi,
                          partial_response_strategy=tc.TYPES.ABORT)
        self.assertNotEqual(e.exception.code(), grpc.StatusCode.OK)
        self.assertEqual(len(client.label_values(label="zone", start=lo, end=hi).values), 4)
        client.close()
        self.assertIsNone(p.poll(), "the store gateway died")


def STATE_DUMP():
    if "dump" not in STATE:
        begin, end = STATE["range"]
        STATE["dump"] = tc.promtool_dump(os.path.join(STATE["dir"], "promtool"),
                                         begin - HOUR, end + HOUR)
    return STATE["dump"]


def status_kib(pid, field):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise AssertionError("no %s in /proc/%d/status" % (field, pid))


class MemoryBudget(unittest.TestCase):
    """4000 series over 2 h (about 2 MB of chunks and postings) under a 256 KiB budget."""

    def test_a_query_over_budget_fails_cleanly(self):
        d = os.path.join(STATE["dir"], "large")
        os.makedirs(d)
        begin, _ = STATE["range"]
        with open(os.path.join(d, "in.om"), "w") as f:
            f.write("# TYPE wide gauge\n")
            for s in range(4000):
                for t in range(begin, begin + 2 * HOUR, 30000):
                    f.write('wide{pod="pod-%05d"} %d %.3f\n' % (s, (t // 30000 + s) % 1000,
                                                              t / 1000))
            f.write("# EOF\n")
        subprocess.run(["promtool", "tsdb", "create-blocks-from", "openmetrics",
                        os.path.join(d, "in.om"), os.path.join(d, "blocks")],
                       check=True, capture_output=True)
        yml = write_file(os.path.join(d, "bucket.yml"),
                         bucket_yaml(os.path.join(d, "bucket")))
        upload(os.path.join(d, "blocks"), yml)
        p, address, _ = start_store("store-large", yml, "--store.grpc.query-memory-budget=256KB",
                                    "--index-cache-size=1MB")
        client = tc.StoreClient(address)
        one = [("__name__", "=", "wide"), ("pod", "=", "pod-00042")]
        got, _ = client.series(matchers=one, min_time=begin, max_time=begin + 2 * HOUR)
        self.assertEqual(len(got), 1)
        peak_before = status_kib(p.pid, "VmHWM")
        for _ in range(3):
            with self.assertRaises(grpc.RpcError) as e:
                client.series(matchers=[("__name__", "=", "wide")], min_time=begin,
                              max_time=begin + 2 * HOUR)
            self.assertEqual(e.exception.code(), grpc.StatusCode.RESOURCE_EXHAUSTED)
            self.assertIn("--store.grpc.query-memory-budget", e.exception.details())
        growth = status_kib(p.pid, "VmHWM") - peak_before
        self.assertLess(growth, 32 * 1024, "peak RSS grew by %d KiB" % growth)
        # Still serving.
        got, _ = client.series(matchers=one, min_time=begin, max_time=begin + 2 * HOUR)
        self.assertEqual(len(got), 1)
        self.assertEqual(len(got[list(got)[0]]), 240)
        client.close()
        self.assertIsNone(p.poll())


if __name__ == "__main__":
    unittest.main()
