-- wrk script: POST a CDYNE delivery receipt, a distinct message on every request.
--
-- Usage: wrk ... -s bench/post.lua http://HOST:PORT/callbacks/cdyne/TOKEN -- RUNID
-- RUNID (8 hex digits) keeps message ids distinct across wrk runs; each wrk thread gets its own
-- number in setup(), and each request its own counter, so (RUNID, thread, counter) never repeats.
-- done() prints one machine-readable line with exact counts for the Python driver.

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
