#!/usr/bin/python3
"""Signs S3 requests with botocore (Debian's python3-botocore), the reference sign_test compares
Argus's signatures with.

Reads a JSON list of requests on stdin, each {"version": 4 or 2, "method", "url", "headers":
[[name, value], ...] (a name may repeat), "body" (text), "access", "secret", "token", "region",
"time" (unix seconds)}. Prints a JSON list with, for each request, the headers botocore signs it
with: {"Authorization", "x-amz-date", "x-amz-content-sha256", "x-amz-security-token"} ("" when
absent). Authorization's ", " separators are written "," as Argus and AWS's examples do.

SigV4 is S3SigV4Auth at the given time; over https the payload is left unsigned
(UNSIGNED-PAYLOAD), as Argus sends it. SigV2 is HmacV1Auth with the time sent as x-amz-date
(RFC 1123) and the Date line empty, as S3 specifies when x-amz-date is present.
"""
import datetime
import email.utils
import json
import sys
import types

try:
    import botocore.auth
    from botocore.awsrequest import AWSRequest
    from botocore.config import Config
    from botocore.credentials import Credentials
except ImportError as e:
    sys.exit(f"{sys.executable} cannot import botocore ({e}); install python3-botocore")

SIGNED = ["Authorization", "x-amz-date", "x-amz-content-sha256", "x-amz-security-token"]


def fix_clock(unix_seconds):
    """Makes botocore.auth's datetime.datetime.utcnow() return the given time."""
    fixed = datetime.datetime.fromtimestamp(unix_seconds, datetime.timezone.utc)

    class FixedDateTime(datetime.datetime):
        @classmethod
        def utcnow(cls):
            return fixed.replace(tzinfo=None)

    botocore.auth.datetime = types.SimpleNamespace(datetime=FixedDateTime)


def sign(r):
    creds = Credentials(r["access"], r["secret"], r["token"] or None)
    req = AWSRequest(method=r["method"], url=r["url"], data=r["body"].encode())
    for name, value in r["headers"]:
        req.headers[name] = value  # HTTPHeaders appends: a repeated name keeps both values
    if r["version"] == 4:
        fix_clock(r["time"])
        if r["url"].startswith("https:"):
            req.context["client_config"] = Config(s3={"payload_signing_enabled": False})
        botocore.auth.S3SigV4Auth(creds, "s3", r["region"]).add_auth(req)
    else:
        req.headers["x-amz-date"] = email.utils.formatdate(r["time"], usegmt=True)
        auth = botocore.auth.HmacV1Auth(creds)
        auth._get_date = lambda: ""
        auth.add_auth(req)
    out = {name: req.headers.get(name, "") for name in SIGNED}
    out["Authorization"] = out["Authorization"].replace(", ", ",")
    return out


print(json.dumps([sign(r) for r in json.load(sys.stdin)]))
