-- wrk script of bench/listings.py: cycles through the request paths in $BENCH_PATHS (one a line,
-- each thread from its own offset) and, when done, writes the totals and the latency histogram as
-- JSON to $BENCH_OUT, so that the runner can merge runs and read exact percentiles.

local paths = {}
for line in io.lines(os.getenv("BENCH_PATHS")) do
   if #line > 0 then paths[#paths + 1] = line end
end
local authorization = os.getenv("BENCH_AUTHORIZATION")
local headers = {}
if authorization and #authorization > 0 then headers["Authorization"] = authorization end

local counter = 0
local thread_count = 0

function setup(thread)
   thread:set("offset", thread_count * 7919)
   thread_count = thread_count + 1
end

function init(args)
   counter = offset or 0
end

function request()
   counter = counter + 1
   return wrk.format("GET", paths[(counter % #paths) + 1], headers)
end

function done(summary, latency, requests)
   local out = assert(io.open(os.getenv("BENCH_OUT"), "w"))
   local e = summary.errors
   out:write(string.format(
      '{"requests": %d, "duration_us": %d, "bytes": %d, "errors": {"connect": %d, "read": %d, ' ..
      '"write": %d, "status": %d, "timeout": %d}, "histogram": [',
      summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout))
   -- #latency is the number of distinct latencies; latency(i) the i-th one (microseconds) and its count.
   for i = 1, #latency do
      local micros, count = latency(i)
      out:write(string.format('%s[%d, %d]', i == 1 and "" or ", ", micros, count))
   end
   out:write("]}\n")
   out:close()
end
