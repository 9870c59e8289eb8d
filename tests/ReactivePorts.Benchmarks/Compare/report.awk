# report.awk — turns the RESULT lines of results/runN.txt (and results/extra.txt) into Markdown tables.
#   awk -f report.awk results/run1.txt results/run2.txt results/extra.txt
# Each cell is "value (ratio)", ratio = value / limit, where the limit is the better of the two C
# columns for that metric in the same run (max for throughput and spawn rate, min for latency).
# A blank cell: not measured; "FAIL": the program reported a failure for that test (see the FAIL
# lines). Under each metric, the rows "↳ one WriteAsync per packet", "↳ zero-copy" and "↳ 1 MiB
# pipes" are ReactivePorts writing packets one by one (the main column batches them with
# WriteBatchAsync), with WithZeroCopy() / WithPipeSize(1 << 20), against the same limit (default pipes).
# Based on the team's anchors (shared/anchors/report.awk).

function runof(file,   r) {
    r = file
    sub(/.*\//, "", r)
    sub(/\.txt$/, "", r)
    sub(/^run/, "", r)
    return r
}

function fmt(key, v) {
    if (key ~ /\.pps$/) {
        if (v >= 1e6) return sprintf("%.2f M", v / 1e6)
        if (v >= 1e4) return sprintf("%.0f k", v / 1e3)
        return sprintf("%.0f", v)
    }
    if (key ~ /us$/) return sprintf("%.1f", v)
    return sprintf("%.0f", v)
}

function cell(r, im, key, lim,   v, c) {
    if ((r, im, key) in val) {
        v = val[r, im, key] + 0
        c = fmt(key, v)
        if (lim != "" && lim > 0) c = c sprintf(" (%.2f)", v / lim)
        return c
    }
    if ((r, im, group[key]) in failed) return "FAIL"
    return ""
}

function limit(r, key,   i, v, lim, lower) {
    lower = key ~ /us$/
    lim = ""
    for (i = 1; i <= 2; i++) {
        if ((r, impls[i], key) in val) {
            v = val[r, impls[i], key] + 0
            if (lim == "" || (lower ? v < lim : v > lim)) lim = v
        }
    }
    return lim
}

BEGIN {
    nimpl = split("c c-tuned erlang dotnet cliwrap reactiveports", impls, " ")
    head["c"] = "C poll loop (blocks in poll, writev)"
    head["c-tuned"] = "C tuned (spins 50 µs, coalesced write)"
    head["erlang"] = "Erlang/OTP port"
    head["dotnet"] = ".NET Process"
    head["cliwrap"] = "CliWrap 3.10.5"
    head["reactiveports"] = "**ReactivePorts**"
    nvar = split("reactiveports-1by1 reactiveports-try reactiveports-zc reactiveports-1m", variants, " ")
    vlabel["reactiveports-try"] = "↳ ReactivePorts `TryWrite` per packet (`WriteAsync` when busy)"
    vlabel["reactiveports-1by1"] = "↳ ReactivePorts one `WriteAsync` per packet"
    nmany = split("1 4 16 64", many, " ")
    vlabel["reactiveports-zc"] = "↳ ReactivePorts zero-copy (`WithZeroCopy()`)"
    vlabel["reactiveports-1m"] = "↳ ReactivePorts 1 MiB pipes (`WithPipeSize(1<<20)`)"
    nkey = split("raw.MBps pkt64.pps pkt64.MBps pkt1k.pps pkt1k.MBps pkt64k.pps pkt64k.MBps rtt.p50us rtt.p99us spawn1.per_s spawn8.per_s", keys, " ")
    label["raw.MBps"] = "raw 64 KiB chunks, MB/s"
    label["pkt64.pps"] = "{packet,4} 64 B, packets/s"
    label["pkt64.MBps"] = "{packet,4} 64 B, MB/s"
    label["pkt1k.pps"] = "{packet,4} 1 KiB, packets/s"
    label["pkt1k.MBps"] = "{packet,4} 1 KiB, MB/s"
    label["pkt64k.pps"] = "{packet,4} 64 KiB, packets/s"
    label["pkt64k.MBps"] = "{packet,4} 64 KiB, MB/s"
    label["rtt.p50us"] = "RTT 64 B p50, µs (lower is better)"
    label["rtt.p99us"] = "RTT 64 B p99, µs (lower is better)"
    label["spawn1.per_s"] = "spawn /bin/true, sequential, /s"
    label["spawn8.per_s"] = "spawn /bin/true, 8 in flight, /s"
    group["raw.MBps"] = "raw"
    group["pkt64.pps"] = group["pkt64.MBps"] = "pkt64"
    group["pkt1k.pps"] = group["pkt1k.MBps"] = "pkt1k"
    group["pkt64k.pps"] = group["pkt64k.MBps"] = "pkt64k"
    group["rtt.p50us"] = group["rtt.p99us"] = "rtt"
    group["spawn1.per_s"] = group["spawn8.per_s"] = "spawn"
    # targets: ratio of ReactivePorts to the limit ("ge": at least; "le": at most)
    ntarget = split("raw.MBps pkt64.pps pkt1k.pps pkt64k.pps rtt.p50us rtt.p99us spawn1.per_s spawn8.per_s", tkeys, " ")
    tgoal["raw.MBps"] = 1.0; tgoal["pkt64.pps"] = 0.9; tgoal["pkt1k.pps"] = 1.0; tgoal["pkt64k.pps"] = 1.0
    tgoal["rtt.p50us"] = 1.0; tgoal["rtt.p99us"] = 1.0; tgoal["spawn1.per_s"] = 0.9; tgoal["spawn8.per_s"] = 0.9
}

FNR == 1 { r = runof(FILENAME); if (r ~ /^[0-9]+$/ && !(r in seen)) { seen[r] = 1; runs[++nrun] = r } }
$1 == "RESULT" { val[r, $2, $3] = $4 }
$1 == "FAIL" { failed[r, $2, cur[$2]] = 1; fails = fails "- " (r ~ /^[0-9]+$/ ? "run " r : r) ": " $0 "\n" }
$1 == "TEST" { cur[$2] = $3 }   # "TEST <impl> <group>" markers written by run.sh

END {
    print "### All implementations, both runs"
    print ""
    printf "| metric | run |"
    for (i = 1; i <= nimpl; i++) printf " %s |", head[impls[i]]
    printf "\n|---|---|"
    for (i = 1; i <= nimpl; i++) printf "---:|"
    printf "\n"
    for (k = 1; k <= nkey; k++) {
        key = keys[k]
        for (j = 1; j <= nrun; j++) {
            r = runs[j]
            lim = limit(r, key)
            printf "| %s | %s |", label[key], r
            for (i = 1; i <= nimpl; i++) printf " %s |", cell(r, impls[i], key, lim)
            printf "\n"
        }
        for (v = 1; v <= nvar; v++) {
            for (j = 1; j <= nrun; j++) {
                r = runs[j]
                if (!((r, variants[v], key) in val) && !((r, variants[v], group[key]) in failed)) continue
                printf "| %s | %s |", vlabel[variants[v]], r
                for (i = 1; i < nimpl; i++) printf " |"
                printf " %s |\n", cell(r, variants[v], key, limit(r, key))
            }
        }
    }

    print ""
    print "### ReactivePorts against the targets (ratio to the C limit of the same run)"
    print ""
    printf "| scenario | target |"
    for (j = 1; j <= nrun; j++) printf " run %s |", runs[j]
    printf " met? |\n|---|---|"
    for (j = 1; j <= nrun; j++) printf "---:|"
    printf "---|\n"
    for (t = 1; t <= ntarget; t++) {
        key = tkeys[t]
        lower = key ~ /us$/
        printf "| %s | %s %.1f%s |", label[key], lower ? "≤" : "≥", tgoal[key], lower ? " and ≤ Process" : ""
        met = 1
        for (j = 1; j <= nrun; j++) {
            r = runs[j]
            lim = limit(r, key)
            if (!((r, "reactiveports", key) in val) || lim == "" || lim <= 0) { printf " n/a |"; met = 0; continue }
            v = val[r, "reactiveports", key] + 0
            ratio = v / lim
            ok = lower ? ratio <= tgoal[key] + 1e-9 : ratio >= tgoal[key] - 1e-9
            extra = ""
            if (lower && ((r, "dotnet", key) in val)) {
                p = val[r, "dotnet", key] + 0
                extra = sprintf("; Process %s", fmt(key, p))
                if (v > p) ok = 0
            }
            printf " %.2f (%s%s) |", ratio, fmt(key, v), extra
            if (!ok) met = 0
        }
        printf " %s |\n", met ? "yes" : "**no**"
    }
    # The write paths against the batched one (same run): one awaited WriteAsync per packet ≥ 0.5, TryWrite ≥ 0.8.
    split("pkt64.pps pkt1k.pps pkt64k.pps", wkeys, " ")
    for (wv = 1; wv <= 2; wv++) {
        im = wv == 1 ? "reactiveports-1by1" : "reactiveports-try"
        goal = wv == 1 ? 0.5 : 0.8
        for (w = 1; w <= 3; w++) {
            key = wkeys[w]
            if (!((runs[1], im, key) in val)) continue
            printf "| %s, %s | ≥ %.1f × batched |", label[key], wv == 1 ? "one `WriteAsync` per packet" : "`TryWrite` per packet", goal
            met = 1
            for (j = 1; j <= nrun; j++) {
                r = runs[j]
                if (!((r, im, key) in val) || !((r, "reactiveports", key) in val) || val[r, "reactiveports", key] <= 0) { printf " n/a |"; met = 0; continue }
                ratio = val[r, im, key] / val[r, "reactiveports", key]
                printf " %.2f × batched |", ratio
                if (ratio < goal - 1e-9) met = 0
            }
            printf " %s |\n", met ? "yes" : "**no**"
        }
    }

    print ""
    print "### Many ports at once: raw 64 KiB chunks through N cats side by side (aggregate; CPU of the process and its children per GB)"
    print ""
    printf "| ports | run | .NET Process MB/s | **ReactivePorts** MB/s (× Process) | Process CPU s/GB | **ReactivePorts** CPU s/GB (× Process) |\n|---:|---|---:|---:|---:|---:|\n"
    for (m = 1; m <= nmany; m++) {
        for (j = 1; j <= nrun; j++) {
            r = runs[j]
            kb = "many" many[m] ".MBps"; kc = "many" many[m] ".cpu_s_per_GB"
            if (!((r, "dotnet", kb) in val) && !((r, "reactiveports", kb) in val)) continue
            printf "| %s | %s | %s | %s | %s | %s |\n", many[m], r, mcell(r, "dotnet", kb, ""), mcell(r, "reactiveports", kb, val[r, "dotnet", kb]), mcell(r, "dotnet", kc, ""), mcell(r, "reactiveports", kc, val[r, "dotnet", kc])
        }
    }
    print ""
    print "### Allocations and idle ports (ReactivePorts only)"
    print ""
    print "| metric | target | default (owned) | zero-copy |"
    print "|---|---|---:|---:|"
    printf "| bytes allocated per 64 B packet at steady state, loop thread (read, decode, deliver) | ≤ 1 allocation a packet owned (0 if slices of a per-read buffer), 0 zero-copy | %s | %s |\n", xv("reactiveports", "alloc.loopBpp"), xv("reactiveports-zc", "alloc.loopBpp")
    printf "| bytes allocated per 64 B packet, whole process (writer included) | | %s | %s |\n", xv("reactiveports", "alloc.totalBpp"), xv("reactiveports-zc", "alloc.totalBpp")
    printf "| idle ports (`sleep`, %s of them): threads added | ≤ 4 | %s | |\n", xv("reactiveports", "idle.ports"), xv("reactiveports", "idle.threads_added")
    printf "| idle ports: managed heap bytes per port | ≤ 8192 | %s | |\n", xv("reactiveports", "idle.heap_B_per_port")
    printf "| idle ports: CPU while idle, %% of one core | < 2 | %s | |\n", xv("reactiveports", "idle.cpu_pct")
    if (fails != "") printf "\nFailures:\n%s", fails
}

function mcell(r, im, key, base,   v, c) {
    if (!((r, im, key) in val)) return ((r, im, "many") in failed) ? "FAIL" : ""
    v = val[r, im, key] + 0
    c = key ~ /cpu/ ? sprintf("%.2f", v) : sprintf("%.0f", v)
    if (base != "" && base > 0) c = c sprintf(" (%.2f)", v / base)
    return c
}

function xv(im, key) {
    if (("extra", im, key) in val) return val["extra", im, key]
    if (("extra", im, key == "idle.threads_added" || key ~ /^idle/ ? "idle" : "alloc") in failed) return "FAIL"
    return ""
}
