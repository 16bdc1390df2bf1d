-- wrk script of bench/tokens.sh, the sends: a pass of BENCH_SENDS marketing sends, each to a different token of the
-- bench/StateGen document (the per-token frequency limit would refuse a second one), then the thread stops.
-- Run with -t1. Token number i of the pass is ((BENCH_OFFSET + i) * BENCH_STRIDE) mod BENCH_TOKENS: spread over the
-- whole token list (a stride coprime with N visits every token once before repeating). The connections that are busy
-- when the last counted answer arrives have one more send in flight, each to a token of its own (the caller leaves
-- room: BENCH_SENDS + connections ≤ N); the thread stops without waiting for them, and they are not counted. Token 0 is BENCH_MODEL; token
-- n is BENCH_MODEL with its last 9 characters replaced by n in 9 digits (StateGen's Clone).
-- wrk's own req/s is over its whole -d duration; this script times the pass itself (first request written to last
-- answer, CLOCK_MONOTONIC) and prints one line in done():
--   SENDS sent=N errors=E seconds=S p50_us=… p99_us=… first_error=…
local ffi = require("ffi")
ffi.cdef [[
    typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
    int clock_gettime(int clock, bench_timespec *t);
]]
local function now()
    local t = ffi.new("bench_timespec")
    ffi.C.clock_gettime(1, t)
    return tonumber(t.tv_sec) + tonumber(t.tv_nsec) / 1e9
end

local n_tokens = tonumber(os.getenv("BENCH_TOKENS"))
local sends = tonumber(os.getenv("BENCH_SENDS"))
local offset = tonumber(os.getenv("BENCH_OFFSET") or "0")
local stride = tonumber(os.getenv("BENCH_STRIDE") or "7919")
local model = os.getenv("BENCH_MODEL")
local done_file = os.getenv("BENCH_DONE")
local prefix = model:sub(1, #model - 9)

local threads = {}
function setup(thread) table.insert(threads, thread) end

issued, answered, errors, t0, t1, first_error = 0, 0, 0, 0, 0, ""

function request()
    local n = ((offset + issued) * stride) % n_tokens
    issued = issued + 1
    if t0 == 0 then t0 = now() end
    local token = n == 0 and model or prefix .. string.format("%09d", n)
    return wrk.format("POST", nil, { ["Content-Type"] = "application/json" },
        '{"recipient":{"notification_messages_token":"' .. token .. '"},'
        .. '"message":{"text":"Spring sale: 20% off everything until Sunday."}}')
end

function response(status, headers, body)
    -- Answers read in the same round of the event loop as the last counted one still arrive here: not counted.
    if answered >= sends then return end
    answered = answered + 1
    if status < 200 or status > 299 then
        errors = errors + 1
        if first_error == "" then first_error = status .. " " .. body:gsub("%s", " ") end
    end
    if answered >= sends then
        t1 = now()
        local f = io.open(done_file, "w")
        if f then f:write("done\n"); f:close() end
        wrk.thread:stop()
    end
end

function done(summary, latency, requests)
    local t = threads[1]
    local secs = t:get("t1") - t:get("t0")
    io.write(string.format("SENDS sent=%d errors=%d seconds=%.4f p50_us=%d p99_us=%d first_error=%s\n",
        t:get("answered"), t:get("errors"), secs, latency:percentile(50), latency:percentile(99),
        t:get("first_error")))
end
