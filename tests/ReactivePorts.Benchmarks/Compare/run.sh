#!/usr/bin/env bash
# run.sh — the comparison runner (issue 6): ReactivePorts against a C poll loop (the limit), Erlang/OTP
# ports, .NET Process and CliWrap, the same scenarios interleaved in one run, every byte/packet checked.
#
#   tests/ReactivePorts.Benchmarks/Compare/run.sh          # about 7 minutes on the 2-vCPU machine
#   SECS=0.5 TRIALS=3 RUNS=2 SPIN_US=50 WARMUP=2 IDLE_PORTS=10000 tests/ReactivePorts.Benchmarks/Compare/run.sh
#
# Installs what it needs (erlang-base through apt-get when escript is missing; CliWrap comes from
# NuGet with the build). Within a run the implementations are interleaved test by test (raw: C,
# C tuned, Erlang, .NET, CliWrap, ReactivePorts...; then 64 B packets...), so the numbers of one row
# of one run were taken within seconds of each other on this noisy machine. Ratios are to the C limit
# of the same run. Output: results/runN.txt (RESULT/TRIAL/CHECK/INFO/FAIL lines), results/env.txt,
# results/extra.txt (allocations, idle ports), results/table.md (the tables, also printed).
# Based on the team's anchors (shared/anchors/run-all.sh), copied here and extended.
set -uo pipefail
cd "$(dirname "$0")"

SECS=${SECS:-0.5}      # length of one trial, seconds
TRIALS=${TRIALS:-3}    # trials per measurement; the result is their median
RUNS=${RUNS:-2}        # whole-suite repetitions
SPIN_US=${SPIN_US:-50} # spin before blocking in poll, for the "C tuned" column
export WARMUP=${WARMUP:-2} # warm-up of the .NET peers before their trials, seconds (the JIT's tiering)
export IDLE_PORTS=${IDLE_PORTS:-10000}

log() { echo "[$(date +%H:%M:%S)] $*" >&2; }
started=$(date +%s)

if ! command -v escript >/dev/null; then
    log "installing erlang-base (escript is missing)"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq erlang-base; } >&2 \
        || log "could not install erlang-base: the Erlang column will show FAIL"
fi
# 10,000 idle ports hold 30,000 descriptors (two pipe ends and a pidfd each).
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

log "building"
gcc -O2 -Wall -Wextra -o c/pipebench c/pipebench.c || exit 1
gcc -O2 -Wall -Wextra -pthread -o c/spawnbench c/spawnbench.c || exit 1
gcc -O2 -Wall -Wextra -o c/framegen c/framegen.c || exit 1   # the one-way diagnostics' sender (FRAMEGEN)
dotnet build -c Release ../ReactivePorts.Benchmarks.csproj -nologo -v q -clp:ErrorsOnly >&2 || exit 1
RPB=../bin/Release/net10.0/ReactivePorts.Benchmarks.dll
NET=(dotnet "$RPB" compare)

mkdir -p results
rm -f results/run*.txt results/extra.txt
{
    echo "date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
    echo "machine: $(nproc) vCPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(. /etc/os-release && echo "$PRETTY_NAME")"
    echo "kernel: $(uname -r); cpuidle: $(cat /sys/devices/system/cpu/cpuidle/current_driver 2>/dev/null || echo none), guest_halt_poll_ns=$(cat /sys/module/haltpoll/parameters/guest_halt_poll_ns 2>/dev/null || echo n/a)"
    echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "gcc: $(gcc --version | head -1)"
    echo "erlang: OTP $(erl -noshell -eval 'io:format("~s", [erlang:system_info(otp_release)]), halt().' 2>/dev/null) erts $(erl -noshell -eval 'io:format("~s", [erlang:system_info(version)]), halt().' 2>/dev/null)"
    echo "dotnet: SDK $(dotnet --version) (runtime $(dotnet --list-runtimes | grep -m1 Microsoft.NETCore.App | cut -d' ' -f2))"
    echo "reactiveports: $(git -C ../../.. rev-parse --short HEAD 2>/dev/null)$(git -C ../../.. diff --quiet HEAD -- src 2>/dev/null || echo ' (src modified)')"
    echo "settings: SECS=$SECS TRIALS=$TRIALS RUNS=$RUNS SPIN_US=$SPIN_US WARMUP=$WARMUP IDLE_PORTS=$IDLE_PORTS"
} > results/env.txt

# bench IMPL GROUP COMMAND... — runs one program for one test group, marks failures.
bench() {
    local impl=$1 group=$2
    shift 2
    echo "TEST $impl $group"
    log "  $group: $impl"
    timeout 120 "$@"
    local rc=$?
    if [ $rc -ne 0 ]; then echo "FAIL $impl $group: exit status $rc"; fi
}

for r in $(seq "$RUNS"); do
    log "run $r of $RUNS"
    for g in raw pkt64 pkt1k pkt64k rtt spawn; do
        if [ "$g" = spawn ]; then
            bench c "$g" c/spawnbench -n c -t "$TRIALS" "$SECS"
        else
            bench c "$g" c/pipebench -n c -t "$TRIALS" "$g" "$SECS"
            bench c-tuned "$g" c/pipebench -n c-tuned -s "$SPIN_US" -c -t "$TRIALS" "$g" "$SECS"
        fi
        bench erlang "$g" escript erlang/portbench.escript "$g" "$SECS" "$TRIALS"
        bench dotnet "$g" "${NET[@]}" dotnet "$g" "$SECS" "$TRIALS"
        if [ "$g" != rtt ]; then
            bench cliwrap "$g" "${NET[@]}" cliwrap "$g" "$SECS" "$TRIALS"
        fi
        # Packets are sent as a careful user sends many of them: WriteBatchAsync, as many per call
        # as .NET Process's writer puts in one WriteAsync (payloads up to 16 KiB; larger ones one
        # WriteAsync each). The 1by1 row sends one WriteAsync per packet.
        bench reactiveports "$g" "${NET[@]}" reactiveports --batch auto "$g" "$SECS" "$TRIALS"
        case "$g" in pkt*)
            bench reactiveports-1by1 "$g" "${NET[@]}" reactiveports --name reactiveports-1by1 "$g" "$SECS" "$TRIALS"
            bench reactiveports-try "$g" "${NET[@]}" reactiveports --try --name reactiveports-try "$g" "$SECS" "$TRIALS" ;;
        esac
        # Extra rows: explicit zero-copy delivery, and 1 MiB pipes (the targets hold for the defaults).
        if [ "$g" != spawn ]; then
            bench reactiveports-zc "$g" "${NET[@]}" reactiveports --batch auto --zero-copy --name reactiveports-zc "$g" "$SECS" "$TRIALS"
        fi
        if [ "$g" != spawn ] && [ "$g" != rtt ]; then
            bench reactiveports-1m "$g" "${NET[@]}" reactiveports --batch auto --pipe-size 1048576 --name reactiveports-1m "$g" "$SECS" "$TRIALS"
        fi
    done > "results/run$r.txt"
    # Many ports at once (raw chunks through 1, 4, 16, 64 cats side by side): ReactivePorts against Process.
    {
        bench dotnet many "${NET[@]}" dotnet many "$SECS" "$TRIALS"
        bench reactiveports many "${NET[@]}" reactiveports many "$SECS" "$TRIALS"
    } >> "results/run$r.txt"
done

log "allocations per packet, 64 B packets"
{
    bench reactiveports alloc "${NET[@]}" reactiveports alloc 1 1
    bench reactiveports-zc alloc "${NET[@]}" reactiveports --zero-copy --name reactiveports-zc alloc 1 1
    log "$IDLE_PORTS idle ports"
    bench reactiveports idle "${NET[@]}" reactiveports idle
} > results/extra.txt
log "erlang busy-port note"
escript erlang/portbench.escript busy >> results/env.txt
echo "wall time: $(( $(date +%s) - started )) s" >> results/env.txt

awk -f report.awk results/run*.txt results/extra.txt > results/table.md
cat results/table.md
echo
cat results/env.txt
grep -h '^INFO' results/extra.txt
