-- wrk script for bench/ingest: POSTs a signed, compact AIVideoTagComplete callback
-- (335 bytes, modelled on Tests/VODHookCoreTests/Fixtures/samples/ai-video-tag-complete.json) with a JobId
-- that is unique per request, so vodhook's dedup on (EventType, JobId, Status) never
-- turns a request into a write-free duplicate.
--
-- Inputs, from the environment (set by bench/ingest):
--   VOD_TIMESTAMP  X-VOD-TIMESTAMP, Unix seconds
--   VOD_SIGNATURE  X-VOD-SIGNATURE, md5(<public-url>|<timestamp>|<key>) in lowercase hex
--   BENCH_RUN      a number unique to this wrk run (warm-up and measured runs differ), so
--                  two runs against the same server never repeat a JobId
--   BENCH_MAX_REQUESTS  optional (bench/dispatch): each thread stops after this many answers
--                  (requests already in flight still reach the server)
--
-- Output: done() prints one line starting with "BENCH " with key=value figures that
-- bench/ingest parses (wrk's own text report is printed before it, unchanged).

local timestamp = os.getenv("VOD_TIMESTAMP") or ""
local signature = os.getenv("VOD_SIGNATURE") or ""
local run = tonumber(os.getenv("BENCH_RUN") or "0")

-- setup() runs in the main Lua state once per wrk thread; each thread gets its own id,
-- which its own Lua state reads as the global `thread_id`.
local threads = {}
function setup(thread)
   table.insert(threads, thread)
   thread:set("thread_id", #threads)
end

local counter = 0
local prefix
local headers = {
   ["Content-Type"] = "application/json",
   ["X-VOD-TIMESTAMP"] = timestamp,
   ["X-VOD-SIGNATURE"] = signature,
}

-- The body around the JobId. Data is a JSON string (as VOD sends it), holding tag results.
local head = '{"EventTime":"2026-11-24T12:03:41Z","EventType":"AIVideoTagComplete","JobId":"'
local tail = '","MediaId":"4fefd4f434d07c2005373156a727d707","Status":"success","Code":"0",'
   .. '"Message":"OK","Data":"{\\"Keyword\\":[{\\"Times\\":[\\"1000\\",\\"4000\\"],'
   .. '\\"Tag\\":\\"mountain\\"}],\\"Location\\":[{\\"Times\\":[\\"8410\\"],\\"Tag\\":\\"Asia\\"}]}"}'

function init(args)
   -- 32 characters like a real JobId: run (8) + thread (8) + per-thread counter (16).
   prefix = string.format("%08d%08d", run, thread_id or 0)
end

-- Called for every request: a fresh body with the next JobId. wrk.format adds Host and
-- Content-Length. This Lua call costs wrk some CPU per request; every target gets the
-- same script, so the client's cost is the same in every row.
function request()
   counter = counter + 1
   local body = head .. prefix .. string.format("%016d", counter) .. tail
   return wrk.format("POST", nil, headers, body)
end

-- Defined only when a count is asked for: with a response() function wrk parses every answer,
-- a cost bench/ingest's measured runs should not carry.
local max_requests = tonumber(os.getenv("BENCH_MAX_REQUESTS") or "0")
if max_requests > 0 then
   local answers = 0
   function response(status, headers, body)
      answers = answers + 1
      if answers >= max_requests then wrk.thread:stop() end
   end
end

function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      "BENCH requests=%d duration_us=%d non2xx3xx=%d connect_errors=%d read_errors=%d "
         .. "write_errors=%d timeouts=%d p50_us=%d p99_us=%d max_us=%d\n",
      summary.requests, summary.duration, e.status, e.connect, e.read, e.write, e.timeout,
      latency:percentile(50), latency:percentile(99), latency.max))
end
