#!/usr/bin/env python3
"""Writes a synthetic vodhook data directory of N ledger lines (default 1,000,000) for bench/index.

The lines follow docs/ledger.md exactly: per media, one `submitted` line per AI type (about a
third of all lines), then the events (callbacks, most correlated, a few for jobs submitted by
other tools, some media events without a JobId). Files rotate every 100,000 lines, as serve does.

    bench/gen-ledger.py DIR [LINES]
"""
import json, os, random, sys

def main():
    out = sys.argv[1]
    total = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    per_file = 100_000
    os.makedirs(out, exist_ok=True)
    rnd = random.Random(42)
    hexid = lambda: "%032x" % rnd.getrandbits(128)
    seq = 0
    base_ms = 1_795_000_000_000
    files = []
    current = []

    # GEN_MS_PER_LINE spreads the lines over more days (bench/window: a history longer than the window).
    ms_per_line = int(os.environ.get("GEN_MS_PER_LINE", "50"))

    def at(s):
        ms = base_ms + s * ms_per_line
        secs, milli = divmod(ms, 1000)
        import time
        return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(secs)) + ".%03dZ" % milli

    def emit(obj):
        nonlocal seq, current
        current.append(json.dumps(obj, ensure_ascii=False, separators=(",", ":")))
        if len(current) >= per_file:
            flush(False)

    def flush(live):
        nonlocal current
        if not current:
            return
        first = json.loads(current[0])["seq"]
        last = json.loads(current[-1])["seq"]
        name = "ledger.jsonl" if live else "ledger-%d-%d.jsonl" % (first, last)
        with open(os.path.join(out, name), "w") as f:
            f.write("\n".join(current) + "\n")
        files.append(name)
        current = []

    tag_data = json.dumps({"Keyword": [{"Tag": "猫", "Times": ["1000", "5000"]}, {"Tag": "dog", "Times": ["2000"]}],
                           "Category": [{"Tag": "animals"}]}, ensure_ascii=False)
    while seq < total:
        media = hexid()
        types = ["AIVideoTag", "AIMediaDNA"] if rnd.random() < 0.5 else ["AIVideoTag"]
        request = "%08X-%04X-%04X-%04X-%012X" % (rnd.getrandbits(32), rnd.getrandbits(16), rnd.getrandbits(16), rnd.getrandbits(16), rnd.getrandbits(48))
        jobs = []
        for t in types:
            if seq >= total: break
            seq += 1
            job = hexid()
            jobs.append((job, t, seq))
            emit({"seq": seq, "at": at(seq), "kind": "submitted", "job_id": job, "media_id": media, "type": t,
                  "outcome": "accepted", "request_id": request, "chain": job, "attempt": 1, "resubmit_of": None,
                  "ai_config": "{\"AIVideoTag\":{\"AnalyseTypes\":\"ASR,OCR\"}}" if t == "AIVideoTag" else None,
                  "user_data": None, "error": None})
        for job, t, sub in jobs:
            if seq >= total: break
            if rnd.random() < 0.1:
                continue  # still pending
            seq += 1
            status = "success" if rnd.random() < 0.95 else "fail"
            event_type = t + "Complete"
            body = {"EventTime": at(seq)[:19] + "Z", "EventType": event_type, "JobId": job, "MediaId": media, "Status": status}
            if status == "success":
                body.update({"Code": "0", "Message": "OK", "Data": tag_data if t == "AIVideoTag" else "{\"VideoDNA\":[]}"})
            else:
                body.update({"Code": "InternalError", "Message": "failed"})
            emit({"seq": seq, "at": at(seq), "kind": "event", "event_type": event_type, "job_id": job, "media_id": media,
                  "status": status, "source": "callback", "dedup": "%s|%s|%s" % (event_type, job, status),
                  "correlated": True, "submission_seq": sub, "event": body})
        if seq < total and rnd.random() < 0.1:
            seq += 1
            other = hexid()
            body = {"EventTime": at(seq)[:19] + "Z", "EventType": "AIVideoTagComplete", "JobId": other, "MediaId": hexid(), "Status": "success", "Data": tag_data}
            emit({"seq": seq, "at": at(seq), "kind": "event", "event_type": "AIVideoTagComplete", "job_id": other,
                  "media_id": body["MediaId"], "status": "success", "source": "callback",
                  "dedup": "AIVideoTagComplete|%s|success" % other, "correlated": False, "submission_seq": None, "event": body})
        if seq < total and rnd.random() < 0.05:
            seq += 1
            body = {"EventTime": at(seq)[:19] + "Z", "EventType": "FileUploadComplete", "VideoId": media, "Status": "success", "Size": 1048576}
            import hashlib
            emit({"seq": seq, "at": at(seq), "kind": "event", "event_type": "FileUploadComplete", "job_id": None,
                  "media_id": media, "status": "success", "source": "callback",
                  "dedup": "sha256:" + hashlib.sha256(json.dumps(body).encode()).hexdigest(), "correlated": False,
                  "submission_seq": None, "event": body})
    flush(True)
    print("wrote %d lines in %d files to %s" % (seq, len(files), out))

main()
