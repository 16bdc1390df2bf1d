#!/usr/bin/env bash
# bench/serve-start.sh: start to ready and idle memory of the Pagebox process, warm, the JIT build `./pagebox serve`
# runs beside the published binary (scripts/publish: Native AOT on linux-x64), alternating start by start.
#
#   bench/serve-start.sh [--runs N]      BENCH_BINARY=path/to/pagebox skips the publish
#
# Each start: a fresh data directory with the demo data (as `./pagebox serve` makes it), a free loopback port; ready is
# the first 200 from GET /_pagebox/health/ready (store, migrations, dispatcher), polled every 5 ms. Then the process's
# CPU time (user + system) and its resident memory (VmRSS) at ready and after 3 s idle. One warm-up start each.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$root"
runs=5
[[ "${1:-}" == --runs ]] && runs="$2"
"$root/pagebox" --version >/dev/null
binary="${BENCH_BINARY:-}"
if [[ -z "$binary" ]]; then
    echo "== scripts/publish linux-x64 (a few minutes)"
    binary="$(./scripts/publish linux-x64 "$(mktemp -d)/publish")"
fi

one() { # prints: ready_ms cpu_ms rss_ready_kb rss_idle_kb
    local data port pid t0 t1 ut st rss1 rss2
    data="$(mktemp -d)"
    port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
    t0=$(date +%s%N)
    "$@" serve --port "$port" --data "$data" --admin-key bench >/dev/null 2>&1 &
    pid=$!
    for _ in $(seq 6000); do
        curl -sf -o /dev/null "http://127.0.0.1:$port/_pagebox/health/ready" && break
        kill -0 "$pid" 2>/dev/null || { echo "the server exited" >&2; exit 1; }
        sleep 0.005
    done
    t1=$(date +%s%N)
    read -r ut st < <(awk '{print $14, $15}' "/proc/$pid/stat")
    rss1=$(awk '/VmRSS/{print $2}' "/proc/$pid/status")
    sleep 3
    rss2=$(awk '/VmRSS/{print $2}' "/proc/$pid/status")
    kill "$pid"; wait "$pid" 2>/dev/null || true
    rm -rf "$data"
    echo "$(((t1 - t0) / 1000000)) $(((ut + st) * 1000 / $(getconf CLK_TCK))) $rss1 $rss2"
}
jit=(dotnet "$root/.pagebox-build/Pagebox.Server.dll")
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
one "${jit[@]}" >/dev/null; one "$binary" >/dev/null
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for _ in $(seq "$runs"); do
    one "${jit[@]}" >>"$work/jit"
    one "$binary" >>"$work/published"
done
report() { # name file
    sort -n "$2" | awk -v n="$1" '{r[NR]=$1; c+=$2; a+=$3; i+=$4} END {
        printf "%-22s ready p50 %5d ms  max %5d ms   CPU %4d ms   RSS at ready %4.0f MB, idle %4.0f MB\n",
            n, r[int((NR+1)/2)], r[NR], c/NR, a/NR/1024, i/NR/1024 }'
}
report "./pagebox serve (JIT)" "$work/jit"
report "published ($(basename "$binary"))" "$work/published"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
