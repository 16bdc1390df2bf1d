#!/usr/bin/env bash
# bench/import.sh: the state import at scale (a state document with N tokens on one Page, made by bench/StateGen),
# beside the same import of a small document (1 000 tokens) in the same run: time per row and the server's peak
# memory (VmHWM) before and after, which must not grow with the document (it is read as it streams).
#
#   bench/import.sh [--tokens N]            default 1 000 000
#
# Also the fast way to make a million tokens for other benchmarks (issue #12): keep the document it writes with
# BENCH_KEEP=FILE and start from it with `./pagebox serve --import FILE` (its app, Page and Page token are printed).
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
tokens=1000000
while (($#)); do
    case "$1" in
        --tokens) tokens="$2"; shift 2 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done
timeout 600 dotnet build bench/StateGen/StateGen.csproj -c Release --nologo -v q -tl:off >/dev/null
./pagebox --help >/dev/null
work="$(mktemp -d "${TMPDIR:-/tmp}/pagebox-import.XXXXXX")"
pids=()
cleanup() { for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done; sleep 0.5; rm -rf "$work"; }
trap cleanup EXIT
start() { # start NAME: a fresh server; sets url and pid
    dotnet .pagebox-build/Pagebox.Server.dll serve --port 0 --data "$work/$1" --no-demo --admin-key bench \
        >"$work/$1.out" 2>&1 &
    pid=$!
    pids+=("$pid")
    for _ in $(seq 1 600); do grep -qE 'listening on http' "$work/$1.out" && break; sleep 0.1; done
    url="$(grep -oE 'listening on http://[0-9.]+:[0-9]+' "$work/$1.out" | sed 's/^listening on //')"
}
hwm() { awk '/VmHWM/ {print $2}' "/proc/$1/status"; }
gen=bench/StateGen/bin/Release/net10.0/StateGen.dll
run() { # run NAME N: generate a document of N tokens on a model server, import it into a fresh one
    start "$1-model"
    dotnet "$gen" "$url" bench --tokens "$2" --out "$work/$1.json" | tee "$work/$1.gen"
    start "$1"
    local before after t0 t1 answer
    before="$(hwm "$pid")"
    t0="$(date +%s.%N)"
    answer="$(curl -sS --fail-with-body -X POST "$url/_pagebox/import" -H 'Authorization: Bearer bench' \
        -H 'Content-Type: application/json' --data-binary "@$work/$1.json")"
    t1="$(date +%s.%N)"
    after="$(hwm "$pid")"
    local rows
    rows="$(grep -oE '"rows":[0-9]+' <<<"$answer" | cut -d: -f2)"
    printf '%-6s tokens=%-8s bytes=%-11s rows=%-8s import_s=%-7.2f us_per_row=%-6.1f hwm_before_mb=%-5d hwm_after_mb=%d\n' \
        "$1" "$2" "$(stat -c %s "$work/$1.json")" "$rows" "$(bc -l <<<"$t1 - $t0")" \
        "$(bc -l <<<"($t1 - $t0) * 1000000 / $rows")" $((before / 1024)) $((after / 1024))
    if [[ "$1" == large && -n "${BENCH_KEEP:-}" ]]; then cp "$work/$1.json" "$BENCH_KEEP"; echo "kept $BENCH_KEEP"; fi
}
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
run small 1000
run large "$tokens"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
