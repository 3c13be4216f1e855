#!/usr/bin/python3
"""An HTTP proxy that injects faults between an S3 client and an S3 server.

Every --every'th request gets the next fault of --faults, in turn:
  500       answered 500 InternalError without reaching the server
  slowdown  answered 503 SlowDown without reaching the server
  stall     held without an answer for --stall seconds, then the connection is closed
  reset     forwarded, then the connection is closed without an answer
  truncate  forwarded; the answer goes back with its full Content-Length but only half the body
            (requests whose answer has no body are reset instead)
  delay     forwarded after --stall seconds (slow, but successful)
Other requests pass through unchanged (the Host header too, so signatures stay valid).
Prints "fault proxy listening on PORT" when ready and one line per fault injected.
"""
import argparse
import http.client
import http.server
import itertools
import socketserver
import sys
import threading
import time

ERROR_XML = (b'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>%s</Code>'
             b'<Message>injected by fault_proxy</Message></Error>')


class Faults:
    def __init__(self, every, kinds):
        self.every = every
        self.kinds = itertools.cycle(kinds)
        self.count = 0
        self.lock = threading.Lock()

    def next(self):
        with self.lock:
            self.count += 1
            if self.every > 0 and self.count % self.every == 0:
                return next(self.kinds)
            return None


def make_handler(upstream_port, faults, stall_seconds):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def handle_any(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            fault = faults.next()
            if fault:
                print("injected", fault, self.command, self.path, flush=True)
            if fault in ("500", "slowdown"):
                code, name = (500, b"InternalError") if fault == "500" else (503, b"SlowDown")
                payload = ERROR_XML % name
                self.send_response(code)
                self.send_header("Content-Type", "application/xml")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
                return
            if fault in ("stall", "delay"):
                time.sleep(stall_seconds)
            if fault == "stall":
                self.close_connection = True
                return
            conn = http.client.HTTPConnection("127.0.0.1", upstream_port, timeout=120)
            headers = {k: v for k, v in self.headers.items()}
            conn.request(self.command, self.path, body=body, headers=headers)
            resp = conn.getresponse()
            data = resp.read()
            conn.close()
            if fault == "reset" or (fault == "truncate" and len(data) < 2):
                self.close_connection = True
                return
            self.send_response(resp.status)
            for k, v in resp.getheaders():
                if k.lower() not in ("transfer-encoding", "connection", "content-length"):
                    self.send_header(k, v)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data[: len(data) // 2] if fault == "truncate" else data)
            if fault == "truncate":
                self.close_connection = True

        do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = handle_any

    return Handler


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--upstream", type=int, required=True)
    p.add_argument("--every", type=int, default=3)
    p.add_argument("--faults", default="500,slowdown,stall,reset,truncate")
    p.add_argument("--stall", type=float, default=5)
    a = p.parse_args()
    faults = Faults(a.every, a.faults.split(","))
    srv = Server(("127.0.0.1", a.port), make_handler(a.upstream, faults, a.stall))
    print("fault proxy listening on", a.port, flush=True)
    srv.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
