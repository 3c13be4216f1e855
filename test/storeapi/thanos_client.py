"""A StoreAPI client for tests, built at run time from the project's own .proto files
(proto/thanos/*.proto) with Debian's protoc and python3-grpcio, plus an XOR chunk decoder
written here independently of Argus's C++ one, and helpers that read `promtool tsdb dump`.
Runs under /usr/bin/python3 (Debian's grpcio)."""

import importlib
import math
import os
import re
import struct
import subprocess
import sys
import tempfile

import grpc

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def load_protos():
    """Compiles proto/thanos/*.proto to Python and returns (types, rpc, info) modules."""
    out = tempfile.mkdtemp(prefix="argus-pb-")
    proto_dir = os.path.join(REPO, "proto")
    files = ["thanos/types.proto", "thanos/rpc.proto", "thanos/info.proto"]
    subprocess.run(["protoc", "-I", proto_dir, "--python_out=" + out] + files, check=True)
    sys.path.insert(0, out)
    return tuple(importlib.import_module("thanos." + n + "_pb2") for n in ("types", "rpc", "info"))


TYPES, RPC, INFO = load_protos()


class StoreClient:
    """Calls thanos.Store and thanos.info.Info on one endpoint."""

    def __init__(self, address, credentials=None):
        opts = [("grpc.max_receive_message_length", 2**31 - 1)]
        if credentials is None:
            self.channel = grpc.insecure_channel(address, options=opts)
        else:
            self.channel = grpc.secure_channel(address, credentials, options=opts)
        ch = self.channel

        def unary(path, req, resp):
            return ch.unary_unary(path, request_serializer=req.SerializeToString,
                                  response_deserializer=resp.FromString)
        self._info = unary("/thanos.info.Info/Info", INFO.InfoRequest, INFO.InfoResponse)
        self._store_info = unary("/thanos.Store/Info", RPC.InfoRequest, RPC.InfoResponse)
        self._series = ch.unary_stream("/thanos.Store/Series",
                                       request_serializer=RPC.SeriesRequest.SerializeToString,
                                       response_deserializer=RPC.SeriesResponse.FromString)
        self._names = unary("/thanos.Store/LabelNames", RPC.LabelNamesRequest,
                            RPC.LabelNamesResponse)
        self._values = unary("/thanos.Store/LabelValues", RPC.LabelValuesRequest,
                             RPC.LabelValuesResponse)
        self._health = ch.unary_unary("/grpc.health.v1.Health/Check",
                                      request_serializer=lambda _: b"",
                                      response_deserializer=lambda b: b)

    def close(self):
        self.channel.close()

    def info(self):
        return self._info(INFO.InfoRequest(), timeout=10)

    def store_info(self):
        return self._store_info(RPC.InfoRequest(), timeout=10)

    def health(self):
        """The overall status: 1 = SERVING, 2 = NOT_SERVING (HealthCheckResponse field 1)."""
        raw = self._health(None, timeout=10)
        return raw[1] if len(raw) >= 2 and raw[0] == 0x08 else 0

    def series_frames(self, **kw):
        """The raw SeriesResponse frames of a Series call."""
        return list(self._series(series_request(**kw), timeout=60))

    def series(self, **kw):
        """{labels tuple: [(t, v), ...] within [min_time, max_time]} and warnings, decoding
        every chunk and checking the StoreAPI rules (sorted, whole, hashes)."""
        frames = self.series_frames(**kw)
        out, warnings, order = {}, [], []
        for f in frames:
            kind = f.WhichOneof("result")
            if kind == "warning":
                warnings.append(f.warning)
                continue
            batch = [f.series] if kind == "series" else list(f.batch.series)
            for s in batch:
                key = tuple((l.name, l.value) for l in s.labels)
                if key in out:
                    raise AssertionError("series sent twice: %s" % (key,))
                order.append(key)
                samples = []
                for c in s.chunks:
                    samples.extend(decode_chunk(c))
                lo, hi = kw.get("min_time"), kw.get("max_time")
                out[key] = sorted({t: v for t, v in samples if lo <= t <= hi}.items())
        if order != sorted(order):
            raise AssertionError("series not sorted by labels")
        return out, warnings

    def label_names(self, **kw):
        return self._names(RPC.LabelNamesRequest(**kw), timeout=30)

    def label_values(self, **kw):
        return self._values(RPC.LabelValuesRequest(**kw), timeout=30)


def matcher(name, op, value):
    types = {"=": 0, "!=": 1, "=~": 2, "!~": 3}
    return TYPES.LabelMatcher(type=types[op], name=name, value=value)


def series_request(matchers, min_time, max_time, **kw):
    return RPC.SeriesRequest(min_time=min_time, max_time=max_time,
                             matchers=[matcher(*m) for m in matchers], **kw)


# --- XOR chunks (Prometheus tsdb/chunkenc/xor.go format, decoded from its definition) ---

class BitReader:
    def __init__(self, data):
        self.data, self.pos = data, 0

    def bit(self):
        if self.pos >= len(self.data) * 8:
            raise ValueError("chunk ends early")
        b = (self.data[self.pos >> 3] >> (7 - (self.pos & 7))) & 1
        self.pos += 1
        return b

    def bits(self, n):
        v = 0
        for _ in range(n):
            v = (v << 1) | self.bit()
        return v

    def uvarint(self):
        shift, v = 0, 0
        while True:
            b = self.bits(8)
            v |= (b & 0x7F) << shift
            if b < 0x80:
                return v
            shift += 7

    def varint(self):
        u = self.uvarint()
        return (u >> 1) ^ -(u & 1)


def read_dod(r):
    """A delta of delta: 0 | 10 + 14 bits | 110 + 17 | 1110 + 20 | 1111 + 64, signed."""
    ones = 0
    while ones < 4 and r.bit():
        ones += 1
    if ones == 0:
        return 0
    size = {1: 14, 2: 17, 3: 20, 4: 64}[ones]
    v = r.bits(size)
    if size == 64:
        return v - (1 << 64) if v >= (1 << 63) else v
    return v - (1 << size) if v > (1 << (size - 1)) else v


def decode_xor(data):
    """The (t, v) samples of an XOR chunk (bytes starting with the 2-byte sample count)."""
    n = struct.unpack(">H", data[:2])[0]
    r = BitReader(data[2:])
    out = []
    t = delta = vbits = leading = trailing = 0
    for i in range(n):
        if i == 0:
            t = r.varint()
            vbits = r.bits(64)
        else:
            if i == 1:
                delta = r.uvarint()
            else:
                delta += read_dod(r)
            t += delta
            if r.bit():
                if r.bit():
                    leading = r.bits(5)
                    sig = r.bits(6) or 64
                    trailing = 64 - leading - sig
                sig = 64 - leading - trailing
                vbits ^= r.bits(sig) << trailing
        out.append((t, struct.unpack(">d", struct.pack(">Q", vbits))[0]))
    return out


def decode_chunk(aggr_chunk):
    c = aggr_chunk.raw
    if c.type != TYPES.Chunk.XOR:
        raise AssertionError("unexpected chunk encoding %d" % c.type)
    if c.hash != xxh64(c.data):
        raise AssertionError("chunk hash is not xxhash64 of its data")
    samples = decode_xor(c.data)
    for t, _ in samples:
        if not aggr_chunk.min_time <= t <= aggr_chunk.max_time:
            raise AssertionError("sample %d outside its chunk's [%d, %d]" %
                                 (t, aggr_chunk.min_time, aggr_chunk.max_time))
    return samples


# --- xxhash64 (the published algorithm), to check Chunk.hash ---

P1, P2, P3, P4, P5 = (11400714785074694791, 14029467366897019727, 1609587929392839161,
                      9650029242287828579, 2870177450012600261)
M64 = (1 << 64) - 1


def _rotl(x, r):
    return ((x << r) | (x >> (64 - r))) & M64


def _round(acc, lane):
    return (_rotl((acc + lane * P2) & M64, 31) * P1) & M64


def xxh64(data, seed=0):
    n, i = len(data), 0
    if n >= 32:
        v = [(seed + P1 + P2) & M64, (seed + P2) & M64, seed, (seed - P1) & M64]
        while i + 32 <= n:
            for k in range(4):
                v[k] = _round(v[k], struct.unpack_from("<Q", data, i + 8 * k)[0])
            i += 32
        h = (_rotl(v[0], 1) + _rotl(v[1], 7) + _rotl(v[2], 12) + _rotl(v[3], 18)) & M64
        for k in range(4):
            h = ((h ^ _round(0, v[k])) * P1 + P4) & M64
    else:
        h = (seed + P5) & M64
    h = (h + n) & M64
    while i + 8 <= n:
        h = (_rotl(h ^ _round(0, struct.unpack_from("<Q", data, i)[0]), 27) * P1 + P4) & M64
        i += 8
    if i + 4 <= n:
        h = (_rotl(h ^ (struct.unpack_from("<I", data, i)[0] * P1 & M64), 23) * P2 + P3) & M64
        i += 4
    while i < n:
        h = (_rotl(h ^ (data[i] * P5 & M64), 11) * P1) & M64
        i += 1
    h ^= h >> 33
    h = (h * P2) & M64
    h ^= h >> 29
    h = (h * P3) & M64
    return h ^ (h >> 32)


# --- promtool tsdb dump, the oracle ---

DUMP_LINE = re.compile(r'^\{(.*)\} (\S+) (-?\d+)$')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def promtool_dump(tsdb_dir, min_time, max_time):
    """{labels tuple: [(t, v)]} of `promtool tsdb dump` over [min_time, max_time]."""
    os.makedirs(os.path.join(tsdb_dir, "wal"), exist_ok=True)  # promtool opens a DB
    out = subprocess.run(["promtool", "tsdb", "dump", "--min-time=%d" % min_time,
                          "--max-time=%d" % max_time, tsdb_dir],
                         check=True, capture_output=True, text=True).stdout
    series = {}
    for line in out.splitlines():
        m = DUMP_LINE.match(line)
        if not m:
            raise AssertionError("unexpected promtool dump line: %r" % line)
        key = tuple(sorted((n, v.encode().decode("unicode_escape"))
                           for n, v in LABEL.findall(m.group(1))))
        series.setdefault(key, {})[int(m.group(3))] = float(m.group(2))
    return {k: sorted(v.items()) for k, v in series.items()}


def with_external(series, external):
    """Series with `external` labels added, overriding their own."""
    out = {}
    for key, samples in series.items():
        d = dict(key)
        d.update(external)
        out[tuple(sorted(d.items()))] = samples
    return out


def select(series, matchers):
    """The series whose labels satisfy every (name, op, value) matcher, as Prometheus does
    (a missing label reads as the empty string; regexes fully anchored)."""
    def ok(d, name, op, value):
        v = d.get(name, "")
        if op == "=":
            return v == value
        if op == "!=":
            return v != value
        hit = re.fullmatch(value, v) is not None
        return hit if op == "=~" else not hit
    return {k: s for k, s in series.items() if all(ok(dict(k), *m) for m in matchers)}


def same_samples(a, b):
    """Sample lists equal, NaN equal to NaN."""
    if len(a) != len(b):
        return False
    for (ta, va), (tb, vb) in zip(a, b):
        if ta != tb or not (va == vb or (math.isnan(va) and math.isnan(vb))):
            return False
    return True
