#!/usr/bin/env bash
# bench/tokens.sh: marketing sends and the token list on a Page holding a million tokens (issue #12), beside the same
# on a Page holding 1 000, in the same run; the targets are sends ≥ 0.8 × the 1 000-token figure, a token-list page
# p99 < 5 ms and RSS < 300 MB.
#
#   bench/tokens.sh [--tokens N] [--passes P] [--sends K] [--list-seconds S]
#                   defaults: N 1 000 000, P 20 passes of K 900 sends, S 8 s per list phase
#
# 1. The state, without a million HTTP taps: bench/StateGen makes a state document with N tokens on one Page (and one
#    with 1 000), each is imported (POST /_pagebox/import, timed) into its own fresh `./pagebox serve` (Release,
#    SQLite, durable as by default). Both servers stay up, and every phase below alternates between them.
# 2. The token list, `GET /v24.0/{PAGE-ID}/notification_message_tokens` at its page size (100 under the default rule
#    set 2025-09), with bench/tokens-list.lua: (a) a walk from the top, each page asked with the previous page's
#    `after` cursor, one connection, S seconds; (b) deep pages: cursors at 200 random points of the whole list (the
#    list's order is updated desc, token desc; StateGen's tokens are named by number, so a cursor can be made for any
#    depth), one connection, S seconds. p50 / p99 of a page.
# 3. Marketing sends, `POST /v24.0/{PAGE-ID}/messages` with `recipient.notification_messages_token`, with
#    bench/tokens-send.lua: P passes of K sends at 32 connections, each send to a different token (spread over the
#    whole list; the sends in flight when the K-th answer arrives are not counted); before each pass the app's clock moves 49 h on (POST /_pagebox/apps/{app}/clock), past the 48 h
#    frequency limit, so the 1 000-token Page's tokens can all take a send again. Two more passes come first, not
#    counted (the send path compiled by the JIT on both servers). Throughput is sends / the passes'
#    own time (first request to last answer); a single non-2xx fails the run.
# 4. The server's VmRSS and VmHWM (/proc) after the import and after each phase, and `uptime`'s load beside it all.
#
# Environment: BENCH_BUILD=DIR runs that copy of .pagebox-build/ instead (an earlier build, for a before/after),
# BENCH_KEEP_WORK=1 keeps the work directory (the two data directories, for EXPLAIN QUERY PLAN),
# BENCH_CONNECTIONS (32, the sends), BENCH_STRIDE (7919, a prime not dividing N), TMPDIR (the documents:
# ~310 bytes a token).
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

tokens=1000000 passes=20 sends=900 list_seconds=8
while (($#)); do
    case "$1" in
        --tokens) tokens="$2"; shift 2 ;;
        --passes) passes="$2"; shift 2 ;;
        --sends) sends="$2"; shift 2 ;;
        --list-seconds) list_seconds="$2"; shift 2 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done
connections="${BENCH_CONNECTIONS:-32}"
stride="${BENCH_STRIDE:-7919}"
small=1000
((tokens % stride != 0 && small % stride != 0)) || { echo "BENCH_STRIDE $stride divides a token count" >&2; exit 2; }
((sends + connections <= small)) ||
    { echo "--sends is at most $((small - connections)) (the small Page's tokens, one each per pass)" >&2; exit 2; }

say() { printf '== %s\n' "$*" >&2; }
die() { printf 'tokens: %s\n' "$*" >&2; exit 1; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
command -v wrk >/dev/null || die "wrk is required (bench/run.sh installs it)"

say "building Pagebox and bench/StateGen (Release)"
timeout 600 dotnet build bench/StateGen/StateGen.csproj -c Release --nologo -v q -tl:off >/dev/null ||
    die "bench/StateGen build failed"
build="${BENCH_BUILD:-$root/.pagebox-build}"
[[ -n "${BENCH_BUILD:-}" ]] || timeout 600 ./pagebox --help >/dev/null || die "Pagebox build failed"
gen=bench/StateGen/bin/Release/net10.0/StateGen.dll

work="$(mktemp -d "${TMPDIR:-/tmp}/pagebox-tokens.XXXXXX")"
pids=()
wrk_pid=""
cleanup() {
    [[ -n "$wrk_pid" ]] && kill -TERM "$wrk_pid" 2>/dev/null
    for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
    for p in "${pids[@]}"; do
        for _ in $(seq 1 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$p" 2>/dev/null || true
    done
    if [[ -n "${BENCH_KEEP_WORK:-}" ]]; then echo "kept $work (the servers' data directories)" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start() { # start NAME: a fresh server; sets url and pid
    dotnet "$build/Pagebox.Server.dll" serve --port 0 --data "$work/$1" --no-demo --admin-key bench \
        >"$work/$1.out" 2>&1 &
    pid=$!
    pids+=("$pid")
    url=""
    for _ in $(seq 1 600); do
        url="$(grep -oE 'listening on http://[0-9.]+:[0-9]+' "$work/$1.out" | head -n 1 | sed 's/^listening on //')" || true
        [[ -n "$url" ]] && return 0
        kill -0 "$pid" 2>/dev/null || { cat "$work/$1.out" >&2; die "$1 exited before listening"; }
        sleep 0.1
    done
    die "$1 did not listen within 60 s"
}
stop() { kill -TERM "$1" 2>/dev/null || true; for _ in $(seq 1 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done; }
mem() { awk '/^VmRSS/ {r = $2} /^VmHWM/ {h = $2} END {printf "%d / %d", r / 1024, h / 1024}' "/proc/$1/status"; }
field() { grep -oE "(^| )$1=[^ ]*" | head -n 1 | sed -E "s/^ ?$1=//"; }

declare -A url_of pid_of page_of ptoken_of app_of model_of updated_of count_of
# :: Step 1: the states.
make_state() { # make_state NAME N
    local name="$1" n="$2" line t0 t1 answer
    say "$name: a state document of $n tokens (bench/StateGen), load $(load)"
    start "$name-model"
    line="$(dotnet "$gen" "$url" bench --tokens "$n" --out "$work/$name.json" | grep '^STATE')" || die "StateGen failed"
    stop "$pid"
    rm -rf "$work/$name-model"
    start "$name"
    t0="$(date +%s.%N)"
    answer="$(curl -sS --fail-with-body --max-time 3600 -X POST "$url/_pagebox/import" -H 'Authorization: Bearer bench' \
        -H 'Content-Type: application/json' --data-binary "@$work/$name.json")" || die "import failed: $answer"
    t1="$(date +%s.%N)"
    rm -f "$work/$name.json"
    url_of[$name]="$url" pid_of[$name]="$pid" count_of[$name]="$n"
    page_of[$name]="$(field page <<<"$line")" ptoken_of[$name]="$(field page_token <<<"$line")"
    app_of[$name]="$(field app <<<"$line")" model_of[$name]="$(field token <<<"$line")"
    updated_of[$name]="$(field updated_ms <<<"$line")"
    printf '%-5s tokens=%-8s import_s=%.1f rows=%s rss/hwm_mb=%s load=%s\n' "$name" "$n" "$(bc -l <<<"$t1 - $t0")" \
        "$(grep -oE '"rows":[0-9]+' <<<"$answer" | cut -d: -f2)" "$(mem "$pid")" "$(load)"
}
make_state small "$small"
make_state large "$tokens"
for name in small large; do
    [[ -n "${page_of[$name]}" && -n "${model_of[$name]}" && -n "${updated_of[$name]}" ]] || die "$name: no STATE line"
done

list_path() { echo "/v24.0/${page_of[$1]}/notification_message_tokens?access_token=${ptoken_of[$1]}"; }
# One page by hand on each: a full page of 100 and a next link.
for name in small large; do
    probe="$(curl -sS --max-time 30 "${url_of[$name]}$(list_path "$name")")"
    [[ "$(grep -o "\"notification_messages_token\":" <<<"$probe" | wc -l)" == 100 && "$probe" == *'"next":"'* ]] ||
        die "$name: the first page is not a full page: ${probe:0:300}"
done

run_wrk() { # run_wrk OUT ARGS...: wrk in the background, waited for (a signal runs the cleanup at once)
    local out="$1" status=0
    shift
    timeout 300 wrk "$@" >"$out" 2>&1 &
    wrk_pid=$!
    wait "$wrk_pid" || status=$?
    wrk_pid=""
    ((status == 0)) || { cat "$out" >&2; die "wrk failed: $*"; }
}

# :: Step 2: the token list.
b64url() { base64 -w0 | tr '+/' '-_' | tr -d '='; }
cursors() { # cursors NAME FILE: 200 cursors at random depths of NAME's list
    local name="$1" n="${count_of[$1]}" model="${model_of[$1]}" k t
    for k in $(shuf -i 1-$((n - 1)) -n 200 --random-source=<(yes)); do
        t="${model:0:${#model}-9}$(printf '%09d' "$k")"
        printf '%s.%s' "${updated_of[$name]}" "$t" | b64url
        echo
    done >"$2"
}
declare -A list_line
for phase in walk deep; do
    for name in small large; do
        say "$name: token list, $phase ($list_seconds s, one connection), load $(load)"
        cursor_file=""
        if [[ "$phase" == deep ]]; then cursor_file="$work/$name.cursors"; cursors "$name" "$cursor_file"; fi
        BENCH_CURSORS="$cursor_file" run_wrk "$work/$name.$phase.txt" -t1 -c1 -d"${list_seconds}s" --latency \
            -s bench/tokens-list.lua "${url_of[$name]}$(list_path "$name")"
        line="$(grep '^LIST' "$work/$name.$phase.txt")"
        [[ "$(field errors <<<"$line")" == 0 ]] || die "$name: token list errors: $line"
        list_line[$name.$phase]="$line rss/hwm_mb=$(mem "${pid_of[$name]}") load=$(load)"
        echo "$name $phase ${list_line[$name.$phase]}"
    done
done

# :: Step 3: marketing sends, pass by pass, alternating.
declare -A sent secs p50s p99s
clock() { curl -sS --fail-with-body --max-time 30 -X POST "${url_of[$1]}/_pagebox/apps/${app_of[$1]}/clock" \
    -H 'Authorization: Bearer bench' -H 'Content-Type: application/json' -d '{"advance_seconds":176400}' >/dev/null; }
# The server's CPU (user + system ticks) and I/O (read syscalls, bytes written) around each pass, per send: steadier
# than wall time on a shared machine, and where a bigger table costs (pages read from the OS, WAL pages written).
clk_tck="$(getconf CLK_TCK)"
usage() { # usage PID -> "ticks syscr wchar"
    printf '%s %s %s\n' "$(sed 's/^.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }')" \
        "$(awk '/^syscr/ {print $2}' "/proc/$1/io")" "$(awk '/^wchar/ {print $2}' "/proc/$1/io")"
}
declare -A ticks reads written
# Two passes each first, not counted: the send path's code is compiled (tiered JIT) on both servers before measuring.
for pass in $(seq -1 "$passes"); do
    [[ "$pass" == 0 ]] && continue
    for name in small large; do
        clock "$name" || die "$name: the clock did not move"
        read -r u0 r0 w0 < <(usage "${pid_of[$name]}")
        done_file="$work/$name.$pass.done"
        out="$work/$name.send.$pass.txt"
        # The thread stops at its last answer, but wrk itself waits out -d: interrupted once the pass is done.
        BENCH_TOKENS="${count_of[$name]}" BENCH_SENDS="$sends" BENCH_OFFSET=$(((pass + 1) * (sends + connections))) \
            BENCH_STRIDE="$stride" BENCH_MODEL="${model_of[$name]}" BENCH_DONE="$done_file" \
            timeout 300 wrk -t1 -c"$connections" -d60s --timeout 30s --latency -s bench/tokens-send.lua \
            "${url_of[$name]}/v24.0/${page_of[$name]}/messages?access_token=${ptoken_of[$name]}" >"$out" 2>&1 &
        wrk_pid=$!
        while kill -0 "$wrk_pid" 2>/dev/null; do
            [[ -f "$done_file" ]] && kill -INT "$wrk_pid" 2>/dev/null
            sleep 0.05
        done
        wait "$wrk_pid" || true
        wrk_pid=""
        read -r u1 r1 w1 < <(usage "${pid_of[$name]}")
        ticks[$name]=$((${ticks[$name]:-0} + u1 - u0))
        reads[$name]=$((${reads[$name]:-0} + r1 - r0))
        written[$name]=$((${written[$name]:-0} + w1 - w0))
        line="$(grep '^SENDS' "$out")" || { cat "$out" >&2; die "$name: wrk gave no SENDS line"; }
        [[ "$(field errors <<<"$line")" == 0 && "$(field sent <<<"$line")" == "$sends" ]] ||
            die "$name pass $pass: $line"
        ((pass > 0)) || { echo "$name warm-up pass $line"; continue; }
        sent[$name]=$((${sent[$name]:-0} + sends))
        secs[$name]="$(bc -l <<<"${secs[$name]:-0} + $(field seconds <<<"$line")")"
        p50s[$name]="${p50s[$name]:-} $(field p50_us <<<"$line")"
        p99s[$name]="${p99s[$name]:-} $(field p99_us <<<"$line")"
        echo "$name pass $pass $line rss/hwm_mb=$(mem "${pid_of[$name]}") load=$(load)"
    done
done

# :: Step 4: the figures.
median() { tr ' ' '\n' | grep . | sort -n | awk '{ v[NR] = $1 } END { printf "%.2f", (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) / 1000 }'; }
ms() { awk -v u="$1" 'BEGIN { printf "%.2f", u / 1000 }'; }
echo
echo "Marketing sends and the token list, $small vs $tokens tokens on one Page (load now $(load))"
declare -A rate
for name in small large; do
    rate[$name]="$(bc -l <<<"${sent[$name]} / ${secs[$name]}")"
    per_send="$(awk -v t="${ticks[$name]}" -v hz="$clk_tck" -v r="${reads[$name]}" -v w="${written[$name]}" \
        -v n="${sent[$name]}" 'BEGIN { printf "%.0f µs CPU, %.1f read syscalls, %.1f KB written", t / hz * 1e6 / n, r / n, w / n / 1024 }')"
    printf '  %-8s sends %7.0f /s (%d in %.2f s; pass p50 median %s ms, p99 median %s ms; per send %s)   list walk p50 %s / p99 %s ms   deep p50 %s / p99 %s ms   rss/hwm %s MB\n' \
        "${count_of[$name]}" "${rate[$name]}" "${sent[$name]}" "${secs[$name]}" \
        "$(median <<<"${p50s[$name]}")" "$(median <<<"${p99s[$name]}")" "$per_send" \
        "$(ms "$(field p50_us <<<"${list_line[$name.walk]}")")" "$(ms "$(field p99_us <<<"${list_line[$name.walk]}")")" \
        "$(ms "$(field p50_us <<<"${list_line[$name.deep]}")")" "$(ms "$(field p99_us <<<"${list_line[$name.deep]}")")" \
        "$(mem "${pid_of[$name]}")"
done
printf '  sends %s / %s: %.3f\n' "$tokens" "$small" "$(bc -l <<<"${rate[large]} / ${rate[small]}")"
