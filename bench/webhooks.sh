#!/usr/bin/env bash
# bench/webhooks.sh: webhook delivery throughput (bench/Webhooks) against a bare HttpClient POST loop to the same
# loopback receiver, in the same run.
#
#   bench/webhooks.sh [--pages P] [--events K] [--rounds R]
#
# Starts ./pagebox serve (Release, fresh durable SQLite data directory, the webhook answer timeout raised to 25 s so
# that deliveries held by the receiver's closed gate do not time out while the backlog is written) and runs
# bench/Webhooks against it. Two shapes are worth running: --pages 500 --events 1 (one event per delivery: the
# dispatcher's POST rate) and --pages 20 --events 100 (a backlog batched per Page, 100 events per delivery at most).
# Extra serve arguments: BENCH_SERVE_ARGS; another build to measure instead: BENCH_DLL (a copy of .pagebox-build/).
# BENCH_PERF=FILE records a CPU profile of the server (perf record -g, CLOCK_MONOTONIC, the JIT's perf map on) into
# FILE; the TIMED lines bound each timed part (perf report --time FROM,TO, in seconds).
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
read -ra serve_args <<<"${BENCH_SERVE_ARGS:-}"
timeout 600 dotnet build bench/Webhooks/Webhooks.csproj -c Release --nologo -v q >/dev/null
./pagebox --help >/dev/null
work="$(mktemp -d "${TMPDIR:-/tmp}/pagebox-webhooks.XXXXXX")"
pid=""
cleanup() { [[ -n "$pid" ]] && kill -TERM "$pid" 2>/dev/null || true; sleep 0.5; rm -rf "$work"; }
trap cleanup EXIT
if [[ -n "${BENCH_PERF:-}" ]]; then export DOTNET_PerfMapEnabled=1; fi
dotnet "${BENCH_DLL:-.pagebox-build/Pagebox.Server.dll}" serve --port 0 --data "$work/data" --no-demo --admin-key bench \
    --webhook-timeout-ms 25000 "${serve_args[@]}" >"$work/serve.out" 2>&1 &
pid=$!
for _ in $(seq 1 600); do grep -qE 'listening on http' "$work/serve.out" && break; sleep 0.1; done
url="$(grep -oE 'listening on http://[0-9.]+:[0-9]+' "$work/serve.out" | sed 's/^listening on //')"
[[ -n "$url" ]] || { cat "$work/serve.out" >&2; exit 1; }
perf_pid=""
if [[ -n "${BENCH_PERF:-}" ]]; then
    perf record -q -g -k CLOCK_MONOTONIC -F 999 -p "$pid" -o "$BENCH_PERF" 2>"$work/perf.err" &
    perf_pid=$!
    sleep 1
fi
echo "== load $(cut -d' ' -f1 /proc/loadavg)"
rc=0
dotnet bench/Webhooks/bin/Release/net10.0/Webhooks.dll "$url" bench --server-pid "$pid" "$@" || rc=$?
if [[ -n "$perf_pid" ]]; then
    kill -INT "$perf_pid" 2>/dev/null || true
    wait "$perf_pid" 2>/dev/null || true
fi
exit "$rc"
