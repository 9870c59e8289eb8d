#!/usr/bin/env bash
# ab.sh — before/after comparison of two revisions with the comparison runner (issue 11: "no row more
# than 10 % lower in both passes").
#
#   tests/ReactivePorts.Benchmarks/Compare/ab.sh BEFORE_REV AFTER_REV [PASSES]     # PASSES defaults to 2
#   OUT=/tmp/ab RUNS=1 tests/ReactivePorts.Benchmarks/Compare/ab.sh HEAD~1 HEAD 1
#
# Checks both revisions out into temporary git worktrees under /tmp, builds each, then runs each
# worktree's own run.sh alternately: before, after, before, after... PASSES times each, so both sides
# see the same machine load (a pass takes about 13 minutes with the runner's defaults on 2 vCPUs). The
# runner's settings (SECS, TRIALS, RUNS, SPIN_US, IDLE_PORTS) pass through the environment. Each run's
# results (table.md, runN.txt, extra.txt, env.txt) are saved to OUT/pass<P>-<before|after>/ (default
# OUT: results/ab-<date> next to this script), and ab.md there holds what is printed: per pass, every
# row (implementation × metric, the mean of the runner's runs) with before and after side by side, then
# the ReactivePorts rows (reactiveports, -1by1, -zc, -1m) more than 10 % worse after in EVERY pass:
# lower for throughput and rates, higher for latency (µs), allocations and idle costs (allocations
# also by more than 1 byte a packet, idle CPU by more than 0.5 %), or missing after. Exit status 1
# when there is such a row. The revisions need only have run.sh; this script can be newer than both.
set -euo pipefail

if [ $# -lt 2 ] || [ $# -gt 3 ]; then
    sed -n '2,5p' "$0" >&2
    exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
repo=$(git -C "$here" rev-parse --show-toplevel)
before=$(git -C "$repo" rev-parse --verify "$1^{commit}")
after=$(git -C "$repo" rev-parse --verify "$2^{commit}")
passes=${3:-2}
case "$passes" in '' | *[!0-9]* | 0) echo "PASSES must be a positive number, not '$passes'" >&2; exit 2 ;; esac
OUT=${OUT:-$here/results/ab-$(date +%Y%m%d-%H%M%S)}
runner=tests/ReactivePorts.Benchmarks/Compare/run.sh

log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

work=$(mktemp -d /tmp/rp-ab.XXXXXX)
cleanup() {
    for side in before after; do
        [ -d "$work/$side" ] && git -C "$repo" worktree remove --force "$work/$side" >/dev/null 2>&1
    done
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$OUT"
for side in before after; do
    rev=$before; [ "$side" = after ] && rev=$after
    log "$side: $(git -C "$repo" log -1 --format='%h %s' "$rev")"
    git -C "$repo" worktree add --detach "$work/$side" "$rev" >/dev/null 2>&1 \
        || { log "cannot create a worktree for $rev"; exit 1; }
    [ -f "$work/$side/$runner" ] || { log "$side ($rev) has no $runner"; exit 1; }
    log "building $side"
    dotnet build -c Release "$work/$side/tests/ReactivePorts.Benchmarks/ReactivePorts.Benchmarks.csproj" \
        -nologo -v q -clp:ErrorsOnly >&2 || { log "build of $side failed"; exit 1; }
done

for p in $(seq "$passes"); do
    for side in before after; do
        log "pass $p of $passes: $side"
        dest="$OUT/pass$p-$side"
        mkdir -p "$dest"
        # The runner writes into its own results/ folder; copy what it wrote, whatever happened.
        rc=0
        bash "$work/$side/$runner" > "$dest/output.txt" 2> "$dest/log.txt" || rc=$?
        cp "$work/$side/tests/ReactivePorts.Benchmarks/Compare/results/"{table.md,run*.txt,extra.txt,env.txt} "$dest/" 2>/dev/null || true
        [ $rc -eq 0 ] || log "  the runner exited with status $rc (see $dest/log.txt)"
    done
done

shopt -s nullglob
files=("$OUT"/pass*-*/run*.txt "$OUT"/pass*-*/extra.txt)
[ ${#files[@]} -gt 0 ] || { log "no results in $OUT"; exit 1; }
status=0
awk -v passes="$passes" -v before="$(git -C "$repo" log -1 --format='%h %s' "$before")" \
    -v after="$(git -C "$repo" log -1 --format='%h %s' "$after")" '
function fmt(key, v) {
    if (key ~ /\.pps$/ && v >= 1e6) return sprintf("%.2f M", v / 1e6)
    if (key ~ /\.pps$/ && v >= 1e4) return sprintf("%.0f k", v / 1e3)
    if (key ~ /us$/ || v < 100) return sprintf("%.1f", v)
    return sprintf("%.0f", v)
}
function lowerIsBetter(key) { return key ~ /us$/ || key ~ /^alloc\./ || key ~ /^idle\./ }
# after/before, and whether after is more than 10 % worse
function change(b, a, key) {
    if (b == 0) return a == 0 ? "1.00" : "inf"
    return sprintf("%.2f", a / b)
}
# Small absolute changes of near-zero costs are noise, not regressions: under 1 byte a packet, 0.5 % CPU.
function worse(b, a, key,   slack) {
    slack = key ~ /^alloc\./ ? 1 : key == "idle.cpu_pct" ? 0.5 : 0
    if (lowerIsBetter(key)) return a > 1.1 * b && a - b > slack
    return a < 0.9 * b
}
FNR == 1 {
    n = split(FILENAME, parts, "/"); dir = parts[n - 1]
    pass = dir; sub(/^pass/, "", pass); sub(/-.*/, "", pass)
    side = dir; sub(/^pass[0-9]+-/, "", side)
}
$1 == "RESULT" && $3 != "idle.ports" {
    k = pass SUBSEP side SUBSEP $2 SUBSEP $3
    sum[k] += $4; cnt[k]++
    cells[k] = cells[k] (cells[k] == "" ? "" : " / ") fmt($3, $4)
    if (!(($2, $3) in seen)) { seen[$2, $3] = 1; rows[++nrows] = $2 SUBSEP $3 }
}
END {
    nimpl = split("c c-tuned erlang dotnet cliwrap reactiveports reactiveports-1by1 reactiveports-zc reactiveports-1m", impls, " ")
    nkey = split("raw.MBps pkt64.pps pkt64.MBps pkt1k.pps pkt1k.MBps pkt64k.pps pkt64k.MBps rtt.p50us rtt.p99us spawn1.per_s spawn8.per_s alloc.loopBpp alloc.totalBpp idle.threads_added idle.heap_B_per_port idle.cpu_pct", keys, " ")
    # known rows in a fixed order, then any row this script does not know yet
    for (j = 1; j <= nkey; j++) for (i = 1; i <= nimpl; i++) if ((impls[i], keys[j]) in seen) { order[++nord] = impls[i] SUBSEP keys[j]; placed[impls[i], keys[j]] = 1 }
    for (r = 1; r <= nrows; r++) if (!(rows[r] in placed)) order[++nord] = rows[r]
    printf "before: %s\nafter:  %s\n", before, after
    for (p = 1; p <= passes; p++) {
        printf "\n### Pass %d (each cell: the runner'\''s runs; change: after/before of their means; * = more than 10 %% worse)\n\n", p
        print "| metric | implementation | before | after | change |"
        print "|---|---|---:|---:|---:|"
        for (o = 1; o <= nord; o++) {
            split(order[o], ik, SUBSEP); im = ik[1]; key = ik[2]
            kb = p SUBSEP "before" SUBSEP im SUBSEP key; ka = p SUBSEP "after" SUBSEP im SUBSEP key
            c = "n/a"; bad = 0
            if ((kb in cnt) && (ka in cnt)) {
                b = sum[kb] / cnt[kb]; a = sum[ka] / cnt[ka]
                c = change(b, a, key); bad = worse(b, a, key)
            } else if (kb in cnt) { c = "missing after"; bad = 1 }
            if (bad) c = c " *"
            if (im ~ /^reactiveports/) { nbad[im, key] += bad; ratios[im, key] = ratios[im, key] (p > 1 ? ", " : "") c }
            printf "| %s%s | %s | %s | %s | %s |\n", key, lowerIsBetter(key) ? " (lower is better)" : "", im, (kb in cells) ? cells[kb] : "", (ka in cells) ? cells[ka] : "", c
        }
    }
    printf "\n### ReactivePorts rows more than 10 %% worse after, in every pass (%d)\n\n", passes
    flagged = 0
    for (o = 1; o <= nord; o++) {
        split(order[o], ik, SUBSEP); im = ik[1]; key = ik[2]
        if (im ~ /^reactiveports/ && nbad[im, key] == passes) { printf "- %s %s: %s\n", im, key, ratios[im, key]; flagged++ }
    }
    if (!flagged) print "none"
    exit (flagged > 0 ? 1 : 0)
}' "${files[@]}" | tee "$OUT/ab.md" || status=$?
log "results: $OUT"
exit "$status"
