#!/usr/bin/env python3
"""Writes a synthetic vodhook data directory of N ledger lines (default 1,000,000) for bench/index.

The lines follow docs/ledger.md exactly: per media, one `submitted` line per AI type (about a
third of all lines), then the events (callbacks, most correlated, a few for jobs submitted by
other tools, some media events without a JobId). Files rotate every 100,000 lines.

    bench/gen-ledger.py DIR [LINES]

GEN_PENDING (default 0.1): the share of submitted jobs whose callback never comes (pending);
bench/reconcile sets it low to get about 1,000 pending jobs among many rotated files.
GEN_PER_FILE (default 100,000): lines per file, smaller for a quick trial of a bench script.

It streams: each line goes to the open file as it is made (memory stays flat at 10 M lines),
and lines are formatted from templates rather than json.dumps, about 5x faster. The output is
byte for byte what the json.dumps version wrote (same seed, same draws in the same order), so
figures taken on older runs of bench/index stay comparable.
"""
import hashlib, json, os, random, sys, time

PER_FILE = int(os.environ.get("GEN_PER_FILE", "100000"))
PENDING = float(os.environ.get("GEN_PENDING", "0.1"))
BASE_MS = 1_795_000_000_000


def main():
    out = sys.argv[1]
    total = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    os.makedirs(out, exist_ok=True)
    rnd = random.Random(42)
    bits = rnd.getrandbits
    rand = rnd.random
    state = {"seq": 0, "first": 1, "lines": 0, "files": 0}
    tmp = os.path.join(out, ".gen-current.jsonl")
    f = open(tmp, "w", encoding="utf-8", buffering=1 << 20)

    stamp_cache = [None, None]  # whole second -> "YYYY-mm-ddTHH:MM:SS"

    # GEN_MS_PER_LINE spreads the lines over more days (bench/window: a history longer than the window).
    ms_per_line = int(os.environ.get("GEN_MS_PER_LINE", "50"))

    def at(s):
        ms = BASE_MS + s * ms_per_line
        secs, milli = divmod(ms, 1000)
        if stamp_cache[0] != secs:
            stamp_cache[0] = secs
            stamp_cache[1] = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(secs))
        return "%s.%03dZ" % (stamp_cache[1], milli)

    def emit(line):
        nonlocal f
        f.write(line)
        state["lines"] += 1
        if state["lines"] >= PER_FILE:
            f.close()
            os.rename(tmp, os.path.join(out, "ledger-%d-%d.jsonl" % (state["first"], state["seq"])))
            state["files"] += 1
            state["first"] = state["seq"] + 1
            state["lines"] = 0
            f = open(tmp, "w", encoding="utf-8", buffering=1 << 20)

    def s(value):  # a JSON string, as json.dumps(ensure_ascii=False) writes it
        return json.dumps(value, ensure_ascii=False)

    tag_data = s({"Keyword": [{"Tag": "猫", "Times": ["1000", "5000"]}, {"Tag": "dog", "Times": ["2000"]}],
                  "Category": [{"Tag": "animals"}]})
    tag_data_json = s(tag_data)
    dna_data_json = s("{\"VideoDNA\":[]}")
    tag_config_json = s("{\"AIVideoTag\":{\"AnalyseTypes\":\"ASR,OCR\"}}")

    seq = 0
    while seq < total:
        media = "%032x" % bits(128)
        types = ("AIVideoTag", "AIMediaDNA") if rand() < 0.5 else ("AIVideoTag",)
        request = "%08X-%04X-%04X-%04X-%012X" % (bits(32), bits(16), bits(16), bits(16), bits(48))
        jobs = []
        for t in types:
            if seq >= total: break
            seq += 1
            state["seq"] = seq
            job = "%032x" % bits(128)
            jobs.append((job, t, seq))
            config = tag_config_json if t == "AIVideoTag" else "null"
            emit('{"seq":%d,"at":"%s","kind":"submitted","job_id":"%s","media_id":"%s","type":"%s",'
                 '"outcome":"accepted","request_id":"%s","chain":"%s","attempt":1,"resubmit_of":null,'
                 '"ai_config":%s,"user_data":null,"error":null}\n'
                 % (seq, at(seq), job, media, t, request, job, config))
        for job, t, sub in jobs:
            if seq >= total: break
            if rand() < PENDING:
                continue  # still pending
            seq += 1
            state["seq"] = seq
            status = "success" if rand() < 0.95 else "fail"
            event_type = t + "Complete"
            stamp = at(seq)
            head = '{"EventTime":"%sZ","EventType":"%s","JobId":"%s","MediaId":"%s","Status":"%s"' % (
                stamp[:19], event_type, job, media, status)
            if status == "success":
                body = head + ',"Code":"0","Message":"OK","Data":%s}' % (tag_data_json if t == "AIVideoTag" else dna_data_json)
            else:
                body = head + ',"Code":"InternalError","Message":"failed"}'
            emit('{"seq":%d,"at":"%s","kind":"event","event_type":"%s","job_id":"%s","media_id":"%s",'
                 '"status":"%s","source":"callback","dedup":"%s|%s|%s","correlated":true,"submission_seq":%d,'
                 '"event":%s}\n'
                 % (seq, stamp, event_type, job, media, status, event_type, job, status, sub, body))
        if seq < total and rand() < 0.1:
            seq += 1
            state["seq"] = seq
            other = "%032x" % bits(128)
            other_media = "%032x" % bits(128)
            stamp = at(seq)
            body = ('{"EventTime":"%sZ","EventType":"AIVideoTagComplete","JobId":"%s","MediaId":"%s",'
                    '"Status":"success","Data":%s}' % (stamp[:19], other, other_media, tag_data_json))
            emit('{"seq":%d,"at":"%s","kind":"event","event_type":"AIVideoTagComplete","job_id":"%s",'
                 '"media_id":"%s","status":"success","source":"callback","dedup":"AIVideoTagComplete|%s|success",'
                 '"correlated":false,"submission_seq":null,"event":%s}\n'
                 % (seq, stamp, other, other_media, other, body))
        if seq < total and rand() < 0.05:
            seq += 1
            state["seq"] = seq
            stamp = at(seq)
            # The digest is of json.dumps' default form (", " and ": "), as the old generator took it.
            digest = hashlib.sha256(('{"EventTime": "%sZ", "EventType": "FileUploadComplete", "VideoId": "%s", '
                                     '"Status": "success", "Size": 1048576}' % (stamp[:19], media)).encode()).hexdigest()
            body = ('{"EventTime":"%sZ","EventType":"FileUploadComplete","VideoId":"%s","Status":"success",'
                    '"Size":1048576}' % (stamp[:19], media))
            emit('{"seq":%d,"at":"%s","kind":"event","event_type":"FileUploadComplete","job_id":null,'
                 '"media_id":"%s","status":"success","source":"callback","dedup":"sha256:%s","correlated":false,'
                 '"submission_seq":null,"event":%s}\n' % (seq, stamp, media, digest, body))
    f.close()
    if state["lines"]:
        os.rename(tmp, os.path.join(out, "ledger.jsonl"))
        state["files"] += 1
    else:
        os.remove(tmp)
    print("wrote %d lines in %d files to %s" % (seq, state["files"], out))


main()
