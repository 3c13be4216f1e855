#!/usr/bin/python3
"""Signs requests with botocore (Debian python3-botocore), the reference for sign_test.

Reads a JSON list of requests on stdin: {"version": 4 or 2, "method", "url", "headers": [[k, v]],
"body" (text), "access", "secret", "token", "region", "time" (unix seconds)}. Prints a JSON list
with each request's Authorization header as botocore computes it (its ", " separators made
"," as Argus and AWS's examples write them; S3 accepts both).

SigV4 is botocore's S3SigV4Auth at the given time. SigV2 is its HmacV1Auth with the Date line
left empty, as S3 specifies when the time travels in x-amz-date (how Argus signs V2).
"""
import datetime
import json
import sys
import types

import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials


def sign(r):
    fixed = datetime.datetime.utcfromtimestamp(r["time"])

    class FixedDateTime(datetime.datetime):
        @classmethod
        def utcnow(cls):
            return fixed

    botocore.auth.datetime = types.SimpleNamespace(datetime=FixedDateTime)
    creds = Credentials(r["access"], r["secret"], r["token"] or None)
    req = AWSRequest(method=r["method"], url=r["url"], data=r["body"].encode(),
                     headers=dict(r["headers"]))
    if r["url"].startswith("https:"):
        # Over TLS, Argus sends UNSIGNED-PAYLOAD (as minio-go does); tell botocore the same.
        req.context["client_config"] = Config(s3={"payload_signing_enabled": False})
    if r["version"] == 4:
        botocore.auth.S3SigV4Auth(creds, "s3", r["region"]).add_auth(req)
    else:
        auth = botocore.auth.HmacV1Auth(creds)
        auth._get_date = lambda: ""
        auth.add_auth(req)
    return req.headers["Authorization"].replace(", ", ",")


print(json.dumps([sign(r) for r in json.load(sys.stdin)]))
