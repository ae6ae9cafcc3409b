#!/usr/bin/env python3
"""Starts `vodhook serve` and times its start-up from the outside, as VOD would see it.

    bench/startup-probe.py PORT KEYFILE LOG -- VODHOOK serve ARGS...

From the moment it starts the command, it POSTs a signed callback (a new JobId each try) to
http://127.0.0.1:PORT/vod/callback every few milliseconds until one is answered 200: the time the
listener first answered (503 while the ledger opens) and the time of the first 200 are the two
figures. It then reads the server's VmRSS and VmHWM (/proc), again 3 s later (the checkpoint
written after a start that read files is encoded meanwhile), stops it with SIGTERM, and prints
one line:

    listen_s=… ready_s=… rss_mb=… rss_settled_mb=… hwm_mb=… lines=… checkpoint=… pid=…

`lines` and `checkpoint` come from serve's `ledger open` log line (LOG holds its stderr). The
signature is md5(<url>|<timestamp>|<key>), as bench/ingest's wrk script sends it.
"""
import hashlib, http.client, os, re, signal, subprocess, sys, time

def main():
    port, keyfile, log = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    cmd = sys.argv[sys.argv.index("--") + 1:]
    key = open(keyfile).read().strip()
    url = "http://127.0.0.1:%d/vod/callback" % port
    run = "%d%05d" % (time.time(), os.getpid() % 100000)
    with open(log, "wb") as err:
        start = time.monotonic()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err)
    listen = ready = None
    tries = 0
    try:
        while ready is None:
            if proc.poll() is not None:
                sys.exit("startup-probe: serve exited with %s (log: %s)" % (proc.returncode, log))
            if time.monotonic() - start > 900:
                sys.exit("startup-probe: no 200 within 15 minutes")
            tries += 1
            stamp = str(int(time.time()))
            body = ('{"EventTime":"2026-12-01T00:00:00Z","EventType":"AIVideoTagComplete","JobId":"probe%s%08d",'
                    '"MediaId":"m","Status":"success"}' % (run, tries))
            signature = hashlib.md5(("%s|%s|%s" % (url, stamp, key)).encode()).hexdigest()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            try:
                conn.request("POST", "/vod/callback", body=body, headers={
                    "Content-Type": "application/json", "X-VOD-TIMESTAMP": stamp, "X-VOD-SIGNATURE": signature})
                status = conn.getresponse().status
            except (ConnectionRefusedError, ConnectionResetError):
                time.sleep(0.002)
                continue
            finally:
                conn.close()
            now = time.monotonic() - start
            if listen is None:
                listen = now
            if status == 200:
                ready = now
            elif status == 503:
                time.sleep(0.005)
            else:
                sys.exit("startup-probe: the signed callback was answered %d (log: %s)" % (status, log))
        rss, hwm = memory(proc.pid)
        time.sleep(3)
        rss_settled, hwm = memory(proc.pid)
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=600)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    text = open(log, errors="replace").read()
    opened = [l for l in text.splitlines() if "ledger open" in l and "taking callbacks" not in l]
    lines = re.search(r"ledger\.lines=(\d+)", opened[0]).group(1) if opened and "ledger.lines=" in opened[0] else "?"
    checkpoint = re.search(r"ledger\.checkpoint=(\S+)", opened[0]).group(1) if opened and "ledger.checkpoint=" in opened[0] else "none"
    print("listen_s=%.3f ready_s=%.3f rss_mb=%d rss_settled_mb=%d hwm_mb=%d lines=%s checkpoint=%s pid=%d"
          % (listen, ready, rss, rss_settled, hwm, lines, checkpoint, proc.pid))


def memory(pid):
    fields = {}
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            name, _, value = line.partition(":")
            fields[name] = value.split()
    return int(fields["VmRSS"][0]) // 1024, int(fields["VmHWM"][0]) // 1024


main()
