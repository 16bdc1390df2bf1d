#!/usr/bin/env bash
# bench/run.sh: Pagebox's Send API (text sends) against bare Kestrel, measured in the same run.
#
#   bench/run.sh [--no-record]
#
# Starts two servers on 127.0.0.1: bench/Baseline (Kestrel + one minimal-API route that drains the
# body and answers a fixed JSON) and Pagebox itself (./pagebox serve, Release, fresh SQLite data
# directory), then drives both with wrk, alternating baseline / Pagebox for BENCH_ROUNDS rounds so
# that a noisy neighbour hurts both alike. Prints requests/s and p50/p99 latency for each, and the
# ratio Pagebox / baseline, which is the figure to compare between machines. Appends a row to
# docs/benchmarks.md unless --no-record. Fails if either server answered a single non-2xx.
# Beside them, bench/WireMock (WireMock.Net 1.25.0) answers the same route with a fixed stub and, under /templated,
# with a templated one that echoes the recipient from the body: what a user would otherwise pick, measured in the same
# rounds (BENCH_WIREMOCK=0 leaves it out; its errors, such as timeouts of the slow templated stub, are reported, not fatal).
#
# Environment: BENCH_DURATION (10s), BENCH_CONNECTIONS (32), BENCH_THREADS (2), BENCH_ROUNDS (2),
# BENCH_WARMUP (3s), BENCH_STORE (sqlite, or postgres: a private PostgreSQL cluster is started in a temp
# directory, durable as by default (fsync on), and Pagebox runs with --store postgres on it).
set -euo pipefail

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

duration="${BENCH_DURATION:-10s}"
connections="${BENCH_CONNECTIONS:-32}"
threads="${BENCH_THREADS:-2}"
rounds="${BENCH_ROUNDS:-2}"
warmup="${BENCH_WARMUP:-3s}"
record=1
[[ "${1:-}" == "--no-record" ]] && record=0
# The neighbours' load before we add ours (1-minute load average), for the record.
load="$(cut -d' ' -f1 /proc/loadavg)"

say() { printf '== %s\n' "$*" >&2; }
die() { printf 'bench: %s\n' "$*" >&2; exit 1; }

# :: Step 1: tools. wrk runs in its own process, so the load generator's allocations and GC never
# land in either server's process.
if ! command -v wrk >/dev/null 2>&1; then
    say "installing wrk"
    sudo=(); ((EUID == 0)) || sudo=(sudo)
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk >/dev/null
fi
command -v curl >/dev/null 2>&1 || die "curl is required"

# :: Step 2: builds, both Release.
say "building bench/Baseline and Pagebox (Release)"
build_log="$(mktemp)"
if ! timeout 600 dotnet build bench/Baseline/Baseline.csproj -c Release --nologo -v q >"$build_log" 2>&1; then
    cat "$build_log" >&2; rm -f "$build_log"; die "bench/Baseline build failed"
fi
wiremock="${BENCH_WIREMOCK:-1}"
if ((wiremock)) && ! timeout 600 dotnet build bench/WireMock/WireMock.csproj -c Release --nologo -v q >"$build_log" 2>&1; then
    cat "$build_log" >&2; rm -f "$build_log"; die "bench/WireMock build failed"
fi
rm -f "$build_log"
timeout 600 ./pagebox --help >/dev/null || die "Pagebox build failed"

# :: Step 3: the servers, killed (by pid) whatever happens.
work="$(mktemp -d "${TMPDIR:-/tmp}/pagebox-bench.XXXXXX")"
pids=()
wrk_pid=""
cleanup() {
    local pid
    [[ -n "$wrk_pid" ]] && kill -TERM "$wrk_pid" 2>/dev/null
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do
        for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
    done
    declare -F pg_stop >/dev/null && pg_stop
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# wait_url NAME LOGFILE PID: the URL from the server's "listening on http://…" line.
wait_url() {
    local name="$1" log="$2" pid="$3" url=""
    for _ in $(seq 1 600); do
        url="$(grep -oE 'listening on http://[0-9.]+:[0-9]+' "$log" | head -n 1 | sed 's/^listening on //')" || true
        [[ -n "$url" ]] && { echo "$url"; return 0; }
        kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; die "$name exited before listening"; }
        sleep 0.1
    done
    cat "$log" >&2
    die "$name did not listen within 60 s"
}

dotnet bench/Baseline/bin/Release/net10.0/Baseline.dll >"$work/baseline.out" 2>&1 &
baseline_pid=$!
pids+=("$baseline_pid")
baseline_url="$(wait_url baseline "$work/baseline.out" "$baseline_pid")"
targets=(baseline pagebox)
if ((wiremock)); then
    dotnet bench/WireMock/bin/Release/net10.0/WireMock.dll >"$work/wiremock.out" 2>&1 &
    wiremock_pid=$!
    pids+=("$wiremock_pid")
    wiremock_url="$(wait_url WireMock "$work/wiremock.out" "$wiremock_pid")"
    wm_fixed_url="$wiremock_url" wm_fixed_pid="$wiremock_pid"
    wm_templ_url="$wiremock_url/templated" wm_templ_pid="$wiremock_pid"
    targets=(baseline wm_fixed wm_templ pagebox)
fi

# ./pagebox execs dotnet, so $! is the server itself.
store="${BENCH_STORE:-sqlite}"
store_args=()
if [[ "$store" == postgres ]]; then
    # A private cluster, as scripts/test makes one, but durable: each commit is fsynced, as SQLite's are.
    pg_bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
    [[ -x "$pg_bin/initdb" ]] || die "PostgreSQL is not installed (apt-get install postgresql)"
    pg_as=(); ((EUID == 0)) && pg_as=(runuser -u postgres --)
    # As root the cluster runs as postgres, which must reach into the private (0700) work directory.
    mkdir -p "$work/pg"; ((EUID == 0)) && { chmod o+x "$work"; chown postgres "$work/pg"; }
    "${pg_as[@]}" "$pg_bin/initdb" -D "$work/pg/data" -A trust -U pagebox -E UTF8 >/dev/null || die "initdb failed"
    pg_port=$((20000 + RANDOM % 30000))
    "${pg_as[@]}" "$pg_bin/pg_ctl" -D "$work/pg/data" -l "$work/pg/log" -w start -o "-p $pg_port -k $work/pg -c listen_addresses=127.0.0.1" >/dev/null ||
        { cat "$work/pg/log" >&2; die "PostgreSQL did not start"; }
    pg_stop() { "${pg_as[@]}" "$pg_bin/pg_ctl" -D "$work/pg/data" -m immediate stop >/dev/null 2>&1 || true; }
    "$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U pagebox bench
    store_args=(--store postgres --postgres "Host=127.0.0.1;Port=$pg_port;Username=pagebox;Database=bench")
fi
# BENCH_BINARY=path/to/pagebox (scripts/publish's binary) measures that build instead of ./pagebox's.
server=(./pagebox)
[[ -n "${BENCH_BINARY:-}" ]] && server=("$BENCH_BINARY")
"${server[@]}" serve --port 0 --data "$work/data" --no-demo --admin-key bench "${store_args[@]}" >"$work/pagebox.out" 2>&1 &
pagebox_pid=$!
pids+=("$pagebox_pid")
pagebox_url="$(wait_url Pagebox "$work/pagebox.out" "$pagebox_pid")"
say "baseline $baseline_url, Pagebox $pagebox_url"

# :: Step 4: the world: an app, its Page, a person who wrote first (so the standard window is open).
str() { grep -oE "\"$1\":\"[^\"]*\"" | head -n 1 | sed -E 's/^"[^"]*":"(.*)"$/\1/'; }
world() {
    curl -sS --max-time 10 -X POST "$pagebox_url/_pagebox$1" -H 'Authorization: Bearer bench' \
        -H 'Content-Type: application/json' -d "$2"
}
app_id="$(world /apps '{"name":"bench"}' | str id)"
page_json="$(world "/apps/$app_id/pages" '{"name":"Bench Page"}')"
page_id="$(str id <<<"$page_json")"
token="$(str access_token <<<"$page_json")"
person_id="$(world /persons '{"name":"Bench Person"}' | str id)"
psid="$(world "/persons/$person_id/messages" "{\"page_id\":\"$page_id\",\"text\":\"where is my order?\"}" | str psid)"
[[ -n "$app_id" && -n "$page_id" && -n "$token" && -n "$person_id" && -n "$psid" ]] ||
    die "world setup failed (app '$app_id', page '$page_id', person '$person_id', psid '$psid')"
export BENCH_PSID="$psid"
path="/v24.0/$page_id/messages?access_token=$token"

# One send by hand: it must be a 200 with a message id, or the whole run would measure errors.
probe="$(curl -sS --max-time 10 -w '\n%{http_code}' -X POST "$pagebox_url$path" -H 'Content-Type: application/json' \
    -d "{\"recipient\":{\"id\":\"$psid\"},\"messaging_type\":\"RESPONSE\",\"message\":{\"text\":\"probe\"}}")"
[[ "$(tail -n 1 <<<"$probe")" == 200 && "$probe" == *'"message_id":"'* ]] || die "probe send failed: $probe"

# :: Step 5: wrk, alternating. Latencies are converted to milliseconds.
# parse FILE -> "rps p50_ms p99_ms requests non2xx socket_errors"
parse() {
    awk '
        function ms(v) {
            if (v ~ /us$/) return substr(v, 1, length(v) - 2) / 1000
            if (v ~ /ms$/) return substr(v, 1, length(v) - 2) + 0
            if (v ~ /s$/)  return substr(v, 1, length(v) - 1) * 1000
            return v + 0
        }
        /^Requests\/sec:/           { rps = $2 }
        /^ +50% /                   { p50 = ms($2) }
        /^ +99% /                   { p99 = ms($2) }
        / requests in /             { n = $1 }
        /Non-2xx or 3xx responses:/ { bad = $NF }
        /^ +Socket errors:/         { gsub(/[^0-9 ]/, ""); split($0, e, " "); err = e[1] + e[2] + e[3] + e[4] }
        END { printf "%.0f %.2f %.2f %d %d %d\n", rps, p50, p99, n, bad, err }
    ' "$1"
}

# CPU time (user + system, in clock ticks) a server has used so far. CPU per request is steadier than
# requests/s on a shared machine: a neighbour steals wall time, not the cycles each request costs.
clk_tck="$(getconf CLK_TCK)"
cpu_ticks() { sed 's/^.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'; }

run_wrk() { # run_wrk URL DURATION OUT
    local secs="${2%s}" status=0
    # In the background and waited for, so that a signal runs the cleanup trap at once.
    timeout $((secs + 30)) wrk -t"$threads" -c"$connections" -d"$2" --latency -s bench/post.lua "$1" >"$3" 2>&1 &
    wrk_pid=$!
    wait "$wrk_pid" || status=$?
    wrk_pid=""
    ((status == 0)) || { cat "$3" >&2; die "wrk failed against $1"; }
}

say "warm-up ($warmup each)"
run_wrk "$baseline_url$path" "$warmup" "$work/warm-baseline.txt"
run_wrk "$pagebox_url$path" "$warmup" "$work/warm-pagebox.txt"
((wiremock)) && run_wrk "$wm_fixed_url$path" "$warmup" "$work/warm-wm_fixed.txt"
((wiremock)) && run_wrk "$wm_templ_url$path" "$warmup" "$work/warm-wm_templ.txt"
for out in "$work/warm-baseline.txt" "$work/warm-pagebox.txt"; do
    read -r _ _ _ _ bad err < <(parse "$out")
    ((bad == 0 && err == 0)) || { cat "$out" >&2; die "errors during warm-up ($bad non-2xx, $err socket errors)"; }
done

declare -A sum_rps=() sum_p50=() sum_p99=() sum_req=() sum_ticks=() wm_errors=()
failures=0
for r in $(seq 1 "$rounds"); do
    for target in "${targets[@]}"; do
        url_var="${target}_url"
        pid_var="${target}_pid"
        out="$work/$target.$r.txt"
        say "round $r/$rounds: $target (wrk -t$threads -c$connections -d$duration)"
        t0="$(cpu_ticks "${!pid_var}")"
        run_wrk "${!url_var}$path" "$duration" "$out"
        t1="$(cpu_ticks "${!pid_var}")"
        read -r rps p50 p99 req bad err < <(parse "$out")
        cpu_us="$(awk -v t=$((t1 - t0)) -v hz="$clk_tck" -v n="$req" 'BEGIN { printf "%.0f", n ? t / hz * 1e6 / n : 0 }')"
        printf '   %-8s %8s req/s   p50 %7s ms   p99 %7s ms   %5s µs CPU/req   %s requests, %s non-2xx, %s socket errors\n' \
            "$target" "$rps" "$p50" "$p99" "$cpu_us" "$req" "$bad" "$err" >&2
        if [[ "$target" == wm_* ]]; then
            wm_errors[$target]=$((${wm_errors[$target]:-0} + bad + err))
        elif ((bad > 0 || err > 0 || req == 0)); then
            cat "$out" >&2
            failures=$((failures + 1))
        fi
        sum_rps[$target]=$(awk -v a="${sum_rps[$target]:-0}" -v b="$rps" 'BEGIN { print a + b }')
        sum_p50[$target]=$(awk -v a="${sum_p50[$target]:-0}" -v b="$p50" 'BEGIN { print a + b }')
        sum_p99[$target]=$(awk -v a="${sum_p99[$target]:-0}" -v b="$p99" 'BEGIN { print a + b }')
        sum_req[$target]=$((${sum_req[$target]:-0} + req))
        sum_ticks[$target]=$((${sum_ticks[$target]:-0} + t1 - t0))
    done
done
((failures == 0)) || die "$failures wrk run(s) saw non-2xx answers or socket errors: the figures would be meaningless"

# :: Step 6: Pagebox really stored the sends: the conversation ends with a full page of them.
tail_count="$(curl -sS --max-time 30 "$pagebox_url/_pagebox/persons/$person_id/conversations/$page_id?limit=1000" \
    -H 'Authorization: Bearer bench' | grep -o '"from":"page"' | wc -l)"
((tail_count >= 1000 || tail_count >= ${sum_req[pagebox]})) || die "the conversation holds only $tail_count page messages"

# :: Step 7: the figures.
avg() { awk -v s="$1" -v n="$rounds" -v f="$2" 'BEGIN { printf f, s / n }'; }
b_rps="$(avg "${sum_rps[baseline]}" '%.0f')"; p_rps="$(avg "${sum_rps[pagebox]}" '%.0f')"
b_p50="$(avg "${sum_p50[baseline]}" '%.2f')"; p_p50="$(avg "${sum_p50[pagebox]}" '%.2f')"
b_p99="$(avg "${sum_p99[baseline]}" '%.2f')"; p_p99="$(avg "${sum_p99[pagebox]}" '%.2f')"
ratio="$(awk -v p="$p_rps" -v b="$b_rps" 'BEGIN { printf "%.3f", p / b }')"
cpu_per_req() { awk -v t="${sum_ticks[$1]}" -v hz="$clk_tck" -v n="${sum_req[$1]}" 'BEGIN { printf "%.0f", n ? t / hz * 1e6 / n : 0 }'; }
b_cpu="$(cpu_per_req baseline)"; p_cpu="$(cpu_per_req pagebox)"

cores="$(nproc)"
cpu="$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | sed -E 's/.*: *//; s/\(R\)|\(TM\)//g; s/ +/ /g' || echo unknown)"
commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
git diff --quiet HEAD -- src 2>/dev/null || commit="$commit+local"
day="$(date -u +%Y-%m-%d)"

echo
echo "Send API text sends ($store store), wrk -t$threads -c$connections -d$duration, $rounds alternating rounds (means)"
printf '  %-9s %9s req/s   p50 %7s ms   p99 %7s ms   %5s µs CPU/req\n' baseline "$b_rps" "$b_p50" "$b_p99" "$b_cpu"
printf '  %-9s %9s req/s   p50 %7s ms   p99 %7s ms   %5s µs CPU/req\n' Pagebox "$p_rps" "$p_p50" "$p_p99" "$p_cpu"
echo "  Pagebox / baseline throughput: $ratio   (${sum_req[pagebox]} sends stored, 0 non-2xx)"
wm_cols=""
if ((wiremock)); then
    for t in wm_fixed wm_templ; do
        label=$([[ $t == wm_fixed ]] && echo "WireMock.Net 1.25.0, fixed stub" || echo "WireMock.Net 1.25.0, templated stub")
        printf '  %-36s %9s req/s   p50 %7s ms   p99 %7s ms   %5s µs CPU/req   %s errors (ratio to baseline %s)\n' "$label" \
            "$(avg "${sum_rps[$t]}" '%.0f')" "$(avg "${sum_p50[$t]}" '%.2f')" "$(avg "${sum_p99[$t]}" '%.2f')" "$(cpu_per_req $t)" "${wm_errors[$t]:-0}" \
            "$(awk -v p="$(avg "${sum_rps[$t]}" '%.0f')" -v b="$b_rps" 'BEGIN { printf "%.3f", p / b }')"
    done
    wm_cols="; WireMock fixed $(avg "${sum_rps[wm_fixed]}" '%.0f'), templated $(avg "${sum_rps[wm_templ]}" '%.0f') req/s"
fi

if ((record)); then
    row="| $day | $commit | $b_rps | $b_p50 / $b_p99 | $p_rps | $p_p50 / $p_p99 | **$ratio** | $b_cpu / $p_cpu | wrk -t$threads -c$connections -d$duration ×$rounds, $store | $cores cores, $cpu, shared (load $load)$wm_cols |"
    echo "$row" >>docs/benchmarks.md
    echo "  recorded in docs/benchmarks.md"
fi
