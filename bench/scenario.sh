#!/usr/bin/env bash
# bench/scenario.sh: one sequential client running the 8-call scenario (bench/Scenario) against Pagebox.
#
#   bench/scenario.sh [--scenarios N] [--rounds R] [--before DIR]
#
# Starts ./pagebox serve (Release, fresh SQLite data directory) and runs bench/Scenario against it; prints the p50/p99
# of the whole scenario and of each call. With --before DIR (a copy of an earlier .pagebox-build/), a second server
# runs that build and the two alternate round by round, so an idea is judged against its baseline in the same run.
# bench/Baseline (bare Kestrel, one route with a fixed answer) runs beside them: after each scenario the client makes
# 8 sequential POSTs to it, and the RESULT line carries the ratio of a Pagebox call to a bare one (BENCH_BASELINE=0
# leaves it out).
# Extra serve arguments: BENCH_SERVE_ARGS (e.g. "--journal-size 0").
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
scenarios=1000 rounds=2 before=""
while (($#)); do
    case "$1" in
        --scenarios) scenarios="$2"; shift 2 ;;
        --rounds) rounds="$2"; shift 2 ;;
        --before) before="$2"; shift 2 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done
read -ra serve_args <<<"${BENCH_SERVE_ARGS:-}"
timeout 600 dotnet build bench/Scenario/Scenario.csproj -c Release --nologo -v q >/dev/null
baseline="${BENCH_BASELINE:-1}"
((baseline)) && timeout 600 dotnet build bench/Baseline/Baseline.csproj -c Release --nologo -v q >/dev/null
./pagebox --help >/dev/null
work="$(mktemp -d "${TMPDIR:-/tmp}/pagebox-scenario.XXXXXX")"
pids=()
cleanup() { for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done; sleep 0.5; rm -rf "$work"; }
trap cleanup EXIT
declare -A url=()
start() { # start NAME DLL: not in a subshell, so that its pid reaches the cleanup
    dotnet "$2" serve --port 0 --data "$work/$1" --no-demo --admin-key bench "${serve_args[@]}" >"$work/$1.out" 2>&1 &
    pids+=("$!")
    for _ in $(seq 1 600); do grep -qE 'listening on http' "$work/$1.out" && break; sleep 0.1; done
    url[$1]="$(grep -oE 'listening on http://[0-9.]+:[0-9]+' "$work/$1.out" | sed 's/^listening on //')"
}
start now .pagebox-build/Pagebox.Server.dll
sides=(now)
if [[ -n "$before" ]]; then start before "$before/Pagebox.Server.dll"; sides=(before now); fi
bare=()
if ((baseline)); then
    dotnet bench/Baseline/bin/Release/net10.0/Baseline.dll >"$work/baseline.out" 2>&1 &
    pids+=("$!")
    for _ in $(seq 1 600); do grep -qE 'http://[0-9.]+:[0-9]+' "$work/baseline.out" && break; sleep 0.1; done
    bare=(--baseline "$(grep -oE 'http://[0-9.]+:[0-9]+' "$work/baseline.out" | head -n 1)")
fi
client=bench/Scenario/bin/Release/net10.0/Scenario.dll
for r in $(seq 1 "$rounds"); do
    for s in "${sides[@]}"; do
        echo "== round $r: $s (load $(cut -d' ' -f1 /proc/loadavg))"
        dotnet "$client" "${url[$s]}" bench --scenarios "$scenarios" --warmup $((r == 1 ? 300 : 50)) "${bare[@]}"
    done
done
