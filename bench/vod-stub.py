#!/usr/bin/env python3
"""A stand-in for VOD's ListAIJob, for bench/reconcile only (it measures file opens, not VOD):
answers every call with each asked JobId as `processing`, so a reconcile round records nothing
and rounds repeat alike. Signatures are not checked (the tests' fake VOD does that).

    bench/vod-stub.py PORT LOG

LOG gets one line per call: "<unix time> <action> <number of JobIds>".
"""
import json, sys, time, urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT, LOG = int(sys.argv[1]), sys.argv[2]


class Handler(BaseHTTPRequestHandler):
    def answer(self, params):
        action = params.get("Action", ["?"])[0]
        ids = [i for i in params.get("JobIds", [""])[0].split(",") if i]
        with open(LOG, "a") as log:
            log.write("%.6f %s %d\n" % (time.time(), action, len(ids)))
        body = json.dumps({"RequestId": "bench-stub", "AIJobList": {"AIJob": [
            {"JobId": i, "Status": "processing", "Type": "AIVideoTag"} for i in ids]}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        self.answer(urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query))

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        params = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        params.update(urllib.parse.parse_qs(self.rfile.read(length).decode()))
        self.answer(params)

    def log_message(self, *args):
        pass


ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
