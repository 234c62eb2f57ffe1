#!/usr/bin/env bash
# Runs workload echo-64 (docs/performance.md#echo-64) end to end: Release build once, then for each mode (lat = 1 call in
# flight, tput = 64) three runs, each with a fresh server process and a fresh client process on 127.0.0.1, and a
# summary per mode: the median run by calls/s with its own p50, p99, mean and CPU per call, and the three calls/s.
#
#   perf/Toolkit.Benchmarks.Echo/run-echo64.sh                 # the real thing: 2 s warm-up, 10 s window
#   WARMUP=1 WINDOW=2 perf/Toolkit.Benchmarks.Echo/run-echo64.sh   # a quick check that everything runs
#   FLOOR=1 MODES=lat perf/Toolkit.Benchmarks.Echo/run-echo64.sh      # each lat run followed by the machine's floor
#
# Environment: WARMUP, WINDOW (seconds; 2 and 10), RUNS (3), MODES ("lat tput"), NO_BUILD=1 to skip the build,
# FLOOR=1 to follow each `lat` run with the raw-C spinning ping-pong (floor/spin-pingpong.c, built with gcc) over the
# same warm-up and window, so that the tail of each run can be read against what the machine allowed just then, and
# to measure before and after them how often the machine takes a core from a spinning thread (floor/hiccups.c).
# Exits with 1 when any run failed or reported errors (such a run is invalid and the summary says so).
set -euo pipefail

WARMUP="${WARMUP:-2}"
WINDOW="${WINDOW:-10}"
RUNS="${RUNS:-3}"
MODES="${MODES:-lat tput}"

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
project="$here/Toolkit.Benchmarks.Echo.csproj"
dll="$here/bin/Release/net10.0/Toolkit.Benchmarks.Echo.dll"

work="$(mktemp -d)"
server_pid=""
cleanup() {
    if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

if [[ "${NO_BUILD:-}" != 1 ]]; then
    echo "== build (Release)"
    if ! dotnet build "$project" -c Release --nologo -v quiet >"$work/build.log" 2>&1; then
        cat "$work/build.log" >&2
        exit 1
    fi
fi
[[ -f "$dll" ]] || { echo "missing $dll: build it first" >&2; exit 1; }

floor_bin=""
hiccups_bin=""
if [[ "${FLOOR:-}" == 1 ]]; then
    command -v gcc >/dev/null || { echo "FLOOR=1 needs gcc to build floor/spin-pingpong.c and floor/hiccups.c" >&2; exit 1; }
    floor_bin="$work/spin-pingpong"
    hiccups_bin="$work/hiccups"
    gcc -O2 -o "$floor_bin" "$here/floor/spin-pingpong.c"
    gcc -O2 -pthread -o "$hiccups_bin" "$here/floor/hiccups.c"
fi

inflight_of() {
    case "$1" in
        lat) echo 1 ;;
        tput) echo 64 ;;
        *) echo "unknown mode $1" >&2; exit 1 ;;
    esac
}

# Starts the server as one process (the backgrounded dotnet itself, no wrapper shell) and waits for "LISTENING <port>".
start_server() {
    local out="$work/server.out"
    : >"$out"
    dotnet "$dll" server --port 0 >"$out" 2>"$work/server.err" &
    server_pid=$!
    local waited=0
    until grep -q '^LISTENING ' "$out"; do
        if ! kill -0 "$server_pid" 2>/dev/null; then
            echo "server exited before listening:" >&2
            cat "$work/server.err" >&2
            exit 1
        fi
        if (( waited >= 300 )); then
            echo "server did not print LISTENING within 30 s" >&2
            exit 1
        fi
        sleep 0.1
        waited=$((waited + 1))
    done
    server_port="$(awk '/^LISTENING /{print $2; exit}' "$out")"
    # $! must be the server itself, whose /proc/<pid>/stat the client reads, not a subshell around it.
    local comm
    comm="$(cat "/proc/$server_pid/comm")"
    if [[ "$comm" != dotnet* ]]; then
        echo "SERVER_PID $server_pid is '$comm', not the dotnet server process" >&2
        exit 1
    fi
}

stop_server() {
    kill -TERM "$server_pid" 2>/dev/null || true
    local status=0
    wait "$server_pid" || status=$?
    server_pid=""
    if (( status != 0 )); then
        echo "warning: the server exited with status $status" >&2
        cat "$work/server.err" >&2
    fi
}

# Runs the floor once over the same warm-up and window; prints its line. Its server takes a port given on the command
# line, so a random one is tried until it listens; it exits when its client is done.
run_floor() {
    local port pid line
    for _ in 1 2 3 4 5; do
        port=$((40000 + RANDOM % 20000))
        "$floor_bin" server "$port" 2>"$work/floor.err" &
        pid=$!
        sleep 0.3
        if kill -0 "$pid" 2>/dev/null; then
            line="$("$floor_bin" client "$port" "$WARMUP" "$WINDOW")" || line=""
            kill "$pid" 2>/dev/null || true
            wait "$pid" 2>/dev/null || true
            [[ -n "$line" ]] || { echo "the floor's client failed" >&2; return 1; }
            echo "$line"
            return 0
        fi
        wait "$pid" 2>/dev/null || true
    done
    echo "the floor's server could not listen: $(cat "$work/floor.err")" >&2
    return 1
}

# Prints the value of key $2 in RESULT line $1.
field() { tr ' ' '\n' <<<"$1" | awk -F= -v key="$2" '$1 == key { print $2 }'; }

echo "== echo-64: warm-up ${WARMUP} s, window ${WINDOW} s, ${RUNS} runs per mode; $(nproc) cores; $(dotnet --version)"
echo "== load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
[[ -z "$hiccups_bin" ]] || echo "== before: $("$hiccups_bin" 3)"
failed=0
declare -A results
declare -A infos
declare -A floors
for mode in $MODES; do
    inflight="$(inflight_of "$mode")"
    for run in $(seq 1 "$RUNS"); do
        start_server
        status=0
        SERVER_PID="$server_pid" dotnet "$dll" client --port "$server_port" --inflight "$inflight" \
            --warmup "$WARMUP" --window "$WINDOW" >"$work/client.out" 2>"$work/client.err" || status=$?
        stop_server
        info="$(grep '^INFO ' "$work/client.out" | tail -n 1 || true)"
        result="$(tail -n 1 "$work/client.out")"
        if [[ "$result" != RESULT\ * ]]; then
            echo "$mode run $run: the client printed no RESULT line (exit status $status):" >&2
            cat "$work/client.out" "$work/client.err" >&2
            failed=1
            continue
        fi
        if (( status != 0 )) || [[ "$(field "$result" errors)" != 0 ]]; then
            echo "$mode run $run: INVALID (exit status $status)" >&2
            cat "$work/client.err" >&2
            failed=1
        fi
        echo "$mode run $run: $info"
        echo "$mode run $run: $(grep '^SERVER ' "$work/server.err" | tail -n 1 || true)"
        echo "$mode run $run: $result"
        results["$mode.$run"]="$result"
        infos["$mode.$run"]="$info"
        if [[ -n "$floor_bin" && "$mode" == lat ]]; then
            sleep 1
            if floor_line="$(run_floor)"; then
                echo "$mode run $run: FLOOR $floor_line"
                floors["$run"]="$floor_line"
            else
                failed=1
            fi
        fi
        sleep 1
    done
done

echo
echo "== summary (median run by calls/s; CPU us/call = (cpu_client_s + cpu_server_s) / calls * 1e6)"
printf '%-5s %10s %9s %9s %9s %12s %6s  %s\n' mode calls/s p50_us p99_us mean_us cpu_us/call errors "cps of all runs"
for mode in $MODES; do
    lines=()
    for run in $(seq 1 "$RUNS"); do
        [[ -n "${results[$mode.$run]:-}" ]] && lines+=("${results[$mode.$run]}")
    done
    if (( ${#lines[@]} == 0 )); then
        printf '%-5s no valid run\n' "$mode"
        continue
    fi
    # Sort the runs by cps and take the middle one (the lower middle for an even count).
    median="$(for line in "${lines[@]}"; do printf '%s %s\n' "$(field "$line" cps)" "$line"; done \
        | sort -n -k1,1 | awk -v n="${#lines[@]}" 'NR == int((n + 1) / 2) { sub(/^[^ ]+ /, ""); print }')"
    all_cps="$(for line in "${lines[@]}"; do field "$line" cps; done | paste -sd' ')"
    calls="$(field "$median" calls)"
    cpu_per_call="$(awk -v c="$(field "$median" cpu_client_s)" -v s="$(field "$median" cpu_server_s)" -v n="$calls" \
        'BEGIN { if (n > 0) printf "%.1f", (c + s) / n * 1e6; else print "nan" }')"
    printf '%-5s %10s %9s %9s %9s %12s %6s  %s\n' "$mode" "$(field "$median" cps)" "$(field "$median" p50_us)" \
        "$(field "$median" p99_us)" "$(field "$median" mean_us)" "$cpu_per_call" "$(field "$median" errors)" "$all_cps"
done
if [[ -n "$floor_bin" ]] && (( ${#floors[@]} > 0 )); then
    echo
    echo "== lat against the floor run right after it (p99/p50 of each; slow%: calls at or over twice the p50)"
    printf '%-5s %10s %9s %9s %7s %6s   %10s %9s %9s %7s %6s\n' run calls/s p50_us p99_us ratio slow% floor_cps p50_us p99_us ratio slow%
    for run in $(seq 1 "$RUNS"); do
        [[ -n "${results[lat.$run]:-}" && -n "${floors[$run]:-}" ]] || continue
        ours="${results[lat.$run]}"
        floor="${floors[$run]}"
        printf '%-5s %10s %9s %9s %7s %6s   %10s %9s %9s %7s %6s\n' "$run" "$(field "$ours" cps)" "$(field "$ours" p50_us)" "$(field "$ours" p99_us)" \
            "$(awk -v a="$(field "$ours" p99_us)" -v b="$(field "$ours" p50_us)" 'BEGIN { printf "%.2f", a / b }')" \
            "$(field "${infos[lat.$run]}" slower_than_2x_p50)" \
            "$(field "$floor" calls/s)" "$(field "$floor" p50_us)" "$(field "$floor" p99_us)" "$(field "$floor" p99/p50)" \
            "$(field "$floor" slower_than_2x_p50)"
    done
fi
[[ -z "$hiccups_bin" ]] || echo "== after: $("$hiccups_bin" 3)"
echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
exit "$failed"
