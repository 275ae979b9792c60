-- wrk script: POST a CDYNE delivery receipt, a distinct message on every request.
--
-- Usage: wrk ... -s bench/post.lua http://HOST:PORT/callbacks/cdyne/TOKEN -- RUNID [RATE]
-- RUNID (8 hex digits) keeps message ids distinct across wrk runs; each wrk thread gets its own
-- number in setup(), and each request its own counter, so (RUNID, thread, counter) never repeats.
-- done() prints one machine-readable line with exact counts for the Python driver.
-- RATE (requests per second, per wrk thread) turns the closed loop into a constant-rate load:
-- delay() spaces requests on a fixed schedule, so the rate does not follow the server's speed.
-- A thread that falls behind its schedule sends at once until it has caught up.

local threads = {}

function setup(thread)
   table.insert(threads, thread)
   thread:set("tid", #threads)
end

local function urlencode(s)
   return (string.gsub(s, "[^%w%-%._~]", function(c)
      return string.format("%%%02X", string.byte(c))
   end))
end

local run_id = "00000000"
local counter = 0
local headers = { ["Content-Type"] = "application/x-www-form-urlencoded" }
local receipt_tail = urlencode(
   " sub:001 dlvrd:001 submit date:2306132307 done date:2306132307 stat:DELIVRD err:000 text:hi"
)

function init(args)
   if args[1] ~= nil and args[1] ~= "" then
      run_id = args[1]
   end
   -- tid is set by setup() in this thread's Lua state before init runs.
   tid = tid or 0
   math.randomseed(os.time() * 1000 + tid)
   local rate = tonumber(args[2] or "")
   if rate ~= nil and rate > 0 then
      -- wrk looks for delay() after init(), so defining it here is enough to switch it on.
      delay = scheduled_delay(1000 / rate)
   end
end

-- A delay() that keeps this thread's requests interval_ms apart on average. wrk truncates
-- the delay to whole milliseconds; the schedule itself keeps the fractions.
function scheduled_delay(interval_ms)
   local ffi = require("ffi")
   ffi.cdef [[
      typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
      int clock_gettime(int clk_id, bench_timespec *tp);
   ]]
   local now = ffi.new("bench_timespec")
   local CLOCK_MONOTONIC = 1
   local next_at = nil
   return function()
      ffi.C.clock_gettime(CLOCK_MONOTONIC, now)
      local now_ms = tonumber(now.tv_sec) * 1000 + tonumber(now.tv_nsec) / 1e6
      next_at = (next_at or now_ms) + interval_ms
      local wait = next_at - now_ms
      if wait < 0 then
         return 0
      end
      return wait
   end
end

function request()
   counter = counter + 1
   -- Shaped like CDYNE's GUIDs, and like them in no particular order: the leading random part
   -- puts each new message at a random place in the indexes on message ids, as real traffic
   -- does; run id, thread and counter keep it unique.
   local message_id = string.format(
      "%08x-%s-%04x-8000-%012x", math.random(0, 0x7fffffff), string.sub(run_id, 1, 4), tid, counter
   )
   local body = "DeliveryReceipt=1"
      .. "&MessageID=" .. message_id
      .. "&ReferenceID=r" .. run_id .. "-" .. tid .. "-" .. counter
      .. "&FromPhoneNumber=74121"
      .. "&ToPhoneNumber=17572373369"
      .. "&DeliveryReceiptMessage=" .. urlencode("id:" .. run_id .. "-" .. tid .. "-" .. counter) .. receipt_tail
      .. "&Code=000"
   return wrk.format("POST", nil, headers, body)
end

function done(summary, latency, requests)
   -- wrk counts every status above 399 in errors.status; the servers answer 200 or an error
   -- status, so requests - status is the number of 2xx answers.
   local e = summary.errors
   io.write(string.format(
      "BENCH-COUNTS requests=%d status=%d connect=%d read=%d write=%d timeout=%d\n",
      summary.requests, e.status, e.connect, e.read, e.write, e.timeout
   ))
end
