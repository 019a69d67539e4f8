#!/bin/sh
# make bench: the mid-size benchmark at 10,000 and 100,000 trials, and a
# 20-point sweep; prints trials per second, employee-months per second and
# peak memory.  Figures only: nothing here asserts a time.
set -eu
SP=${1:-./salesplan}
PLAN=tests/bench/midsize.plan
exec python3 - "$SP" "$PLAN" <<'PY'
import json, os, resource, subprocess, sys, tempfile, time
sp, plan = sys.argv[1], sys.argv[2]
print(f"benchmark: {plan} on {os.cpu_count()} cores")
for trials in (10000, 100000):
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "r.json")
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        t0 = time.perf_counter()
        subprocess.run([sp, "run", plan, "--trials", str(trials), "--quiet",
                        "--json", out], check=True, stderr=subprocess.DEVNULL)
        wall = time.perf_counter() - t0
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        with open(out) as f:
            r = json.load(f)
        # employee-months: mean headcount summed over the months, times trials
        em = sum(r["monthly"]["headcount"]["mean"]) * trials
        print(f"  {trials:>7,} trials: {wall:6.2f} s  {trials / wall:10,.0f} trials/s  "
              f"{em / wall / 1e6:7.1f} M employee-months/s  peak memory "
              f"{max(peak, before) / 1024:7.1f} MiB (largest so far)")
PY
