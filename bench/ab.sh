#!/usr/bin/env bash
# bench/ab.sh: A/B of two Pagebox configurations under the Send API load of bench/run.sh, alternating rounds.
#
#   bench/ab.sh "ENV_A=1 ..." "ENV_B=1 ..." [extra serve args for both]
#
# Each side is `env $A ./pagebox serve …` on a fresh data directory (use "-" for no variables). Prints, per round,
# requests/s, p99 and CPU µs per request of each, then the means. For trying an idea before keeping it: the figures
# that go into docs/benchmarks.md come from bench/run.sh.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$root"
a="${1:--}"; b="${2:--}"; shift 2 || true
extra=("$@")
duration="${BENCH_DURATION:-8s}"; rounds="${BENCH_ROUNDS:-3}"; connections="${BENCH_CONNECTIONS:-32}"
work="$(mktemp -d "${TMPDIR:-/tmp}/pagebox-ab.XXXXXX")"
pids=()
cleanup() { for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done; sleep 0.5; rm -rf "$work"; }
trap cleanup EXIT
./pagebox --help >/dev/null
start() { # start NAME ENV -> url in $work/NAME.url
    local vars=(); [[ "$2" != - ]] && read -ra vars <<<"$2"
    env "${vars[@]}" ./pagebox serve --port 0 --data "$work/$1" --no-demo --admin-key bench "${extra[@]}" >"$work/$1.out" 2>&1 &
    pids+=("$!"); echo "$!" >"$work/$1.pid"
    for _ in $(seq 1 300); do grep -qE 'listening on http' "$work/$1.out" && break; sleep 0.1; done
    grep -oE 'listening on http://[0-9.]+:[0-9]+' "$work/$1.out" | sed 's/^listening on //' >"$work/$1.url"
}
str() { grep -oE "\"$1\":\"[^\"]*\"" | head -n 1 | sed -E 's/^"[^"]*":"(.*)"$/\1/'; }
world() { # world NAME -> "path psid"
    local u; u="$(cat "$work/$1.url")"
    w() { curl -sS -X POST "$u/_pagebox$1" -H 'Authorization: Bearer bench' -H 'Content-Type: application/json' -d "$2"; }
    local app pj page tok per psid
    app=$(w /apps '{"name":"b"}' | str id); pj=$(w "/apps/$app/pages" '{"name":"P"}'); page=$(str id <<<"$pj"); tok=$(str access_token <<<"$pj")
    per=$(w /persons '{"name":"x"}' | str id); psid=$(w "/persons/$per/messages" "{\"page_id\":\"$page\",\"text\":\"hi\"}" | str psid)
    echo "$u/v24.0/$page/messages?access_token=$tok $psid"
}
start A "$a"; start B "$b"
read -r urlA psidA < <(world A); read -r urlB psidB < <(world B)
cpu() { sed 's/^.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'; }
hz="$(getconf CLK_TCK)"
one() { # one NAME URL PSID DURATION -> "rps p99ms cpu_us"
    local pid t0 t1 out; pid="$(cat "$work/$1.pid")"; t0=$(cpu "$pid")
    out="$(BENCH_PSID="$3" wrk -t2 -c"$connections" -d"$4" --latency -s bench/post.lua "$2")"; t1=$(cpu "$pid")
    awk -v t=$((t1 - t0)) -v hz="$hz" '
        function ms(v) { if (v ~ /us$/) return substr(v,1,length(v)-2)/1000; if (v ~ /ms$/) return substr(v,1,length(v)-2)+0; if (v ~ /s$/) return substr(v,1,length(v)-1)*1000; return v+0 }
        /^Requests\/sec:/ { rps=$2 } /^ +99% / { p99=ms($2) } / requests in / { n=$1 } /Non-2xx/ { bad=$NF }
        END { printf "%.0f %.2f %.0f %d\n", rps, p99, n ? t/hz*1e6/n : 0, bad }' <<<"$out"
}
one A "$urlA" "$psidA" 3s >/dev/null; one B "$urlB" "$psidB" 3s >/dev/null
declare -A r=() c=() q=()
for i in $(seq 1 "$rounds"); do
    for s in A B; do
        u=url$s; p=psid$s
        read -r rps p99 us bad < <(one "$s" "${!u}" "${!p}" "$duration")
        printf '  round %d %s: %6s req/s  p99 %7s ms  %4s µs CPU/req  %s non-2xx  (load %s)\n' "$i" "$s" "$rps" "$p99" "$us" "$bad" "$(cut -d' ' -f1 /proc/loadavg)"
        r[$s]=$(( ${r[$s]:-0} + rps )); c[$s]=$(( ${c[$s]:-0} + us )); q[$s]=$(awk -v a="${q[$s]:-0}" -v b="$p99" 'BEGIN{print a+b}')
    done
done
for s in A B; do v=$([[ $s == A ]] && echo "$a" || echo "$b"); printf '%s [%s]: %d req/s, p99 %.2f ms, %d µs CPU/req (means)\n' "$s" "$v" $(( r[$s] / rounds )) "$(awk -v a="${q[$s]}" -v n="$rounds" 'BEGIN{print a/n}')" $(( c[$s] / rounds )); done
