-- wrk script of bench/tokens.sh, the token list (GET /{v}/{PAGE-ID}/notification_message_tokens at its page size).
-- BENCH_CURSORS unset: a walk from the top, each page asked with the previous page's paging.cursors.after, back to the
-- top after the last page (run with -c1: one walk, in order). BENCH_CURSORS=FILE: each request asks the page after a
-- cursor read from FILE (one a line, deep points of the list), in turn. Prints one line in done():
--   LIST pages=N errors=E walked_to=DEPTH p50_us=… p99_us=… first_error=…
local cursors = {}
local file = os.getenv("BENCH_CURSORS")
if file and file ~= "" then
    for line in io.lines(file) do table.insert(cursors, line) end
end

local threads = {}
function setup(thread) table.insert(threads, thread) end

pages, errors, depth, deepest, first_error = 0, 0, 0, 0, ""
local after, i = nil, 0

function request()
    local cursor = after
    if #cursors > 0 then
        i = i + 1
        cursor = cursors[(i - 1) % #cursors + 1]
    end
    local path = wrk.path
    if cursor then path = path .. "&after=" .. cursor end
    return wrk.format("GET", path)
end

function response(status, headers, body)
    pages = pages + 1
    if status ~= 200 then
        errors = errors + 1
        if first_error == "" then first_error = status .. " " .. body:gsub("%s", " ") end
        after = nil
        return
    end
    local next_after = body:match('"after":"([^"]+)"')
    if next_after and body:find('"next":"', 1, true) then
        after = next_after
        depth = depth + 1
        if depth > deepest then deepest = depth end
    else
        after, depth = nil, 0
    end
end

function done(summary, latency, requests)
    local t = threads[1]
    io.write(string.format("LIST pages=%d errors=%d walked_to=%d p50_us=%d p99_us=%d first_error=%s\n",
        t:get("pages"), t:get("errors"), t:get("deepest"), latency:percentile(50), latency:percentile(99),
        t:get("first_error")))
end
