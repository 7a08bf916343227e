#!/usr/bin/env bash
# Benchmark of `bdc check` on generated fleets of 1,000 to 10,000 partners.
#
#   benches/check.sh            build (release), generate, time, print a table
#
# Environment:
#   BENCH_SIZES="1000 2000 5000 10000"   fleet sizes (a 1-partner baseline is always added)
#   BENCH_RUNS="1000:15 10000:7"         timed runs per size (default 15/11/9/7, 21 baseline)
#   BENCH_KEEP=1                         keep the generated specs (the temp dir is printed)
#   BENCH_WARNINGS=1                     also time specs with N/11 warnings (gen_fleet.py
#                                        --storage): rendering of human reports, 1k and 10k
#
# Wall time is the whole process (fork/exec, startup, reading the file, checking, exit), timed
# with time.perf_counter() around subprocess.run from python3, output discarded. Peak RSS comes
# from `/usr/bin/time -f %M` (separate runs, so the wrapper is not in the wall time), or from
# the kernel's rusage of the child when GNU time is not installed.
#
# Prints figures only: exits non-zero when the build or the generator fails, never on timing.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"

echo "== building (cargo build --release)" >&2
cargo build --release --quiet
bdc="$root/target/release/bdc"
# Read-only: which commit the figures are for (the work tree may hold uncommitted changes).
rev="$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
rustc_version="$(rustc --version 2>/dev/null || echo unknown)"

if [[ ! -x /usr/bin/time ]]; then
  echo "== /usr/bin/time missing; trying apt-get install time" >&2
  if command -v apt-get >/dev/null 2>&1; then
    (apt-get install -y -qq time >/dev/null 2>&1 || sudo -n apt-get install -y -qq time >/dev/null 2>&1) || true
  fi
  [[ -x /usr/bin/time ]] || echo "== no GNU time: peak RSS read from the child's rusage instead" >&2
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/bdc-bench.XXXXXX")"
if [[ "${BENCH_KEEP:-0}" != 1 ]]; then
  trap 'rm -rf "$work"' EXIT
else
  echo "== specs kept in $work" >&2
fi

sizes="${BENCH_SIZES:-1000 2000 5000 10000}"
echo "== generating fleets: 1 $sizes" >&2
for n in 1 $sizes; do
  python3 "$here/gen_fleet.py" "$n" "$work/fleet-$n.bdot"
done
if [[ "${BENCH_WARNINGS:-0}" == 1 ]]; then
  for n in 1000 10000; do
    python3 "$here/gen_fleet.py" --storage "$n" "$work/warn-$n.bdot"
  done
fi

REV="$rev" RUSTC="$rustc_version" BDC="$bdc" WORK="$work" SIZES="$sizes" RUNS="${BENCH_RUNS:-}" WARNINGS="${BENCH_WARNINGS:-0}" python3 - <<'PY'
import os, platform, statistics, subprocess, time, datetime

bdc = os.environ["BDC"]
work = os.environ["WORK"]
sizes = [int(s) for s in os.environ["SIZES"].split()]
runs = {1: 21, 1000: 15, 2000: 11, 5000: 9, 10000: 7}
for item in os.environ.get("RUNS", "").split():
    n, r = item.split(":")
    runs[int(n)] = int(r)
gnu_time = os.path.exists("/usr/bin/time")


def spec(n):
    return os.path.join(work, f"fleet-{n}.bdot")


def run_once(n):
    t0 = time.perf_counter()
    p = subprocess.run([bdc, "check", "--color", "never", spec(n)],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return (time.perf_counter() - t0) * 1000.0, p.returncode


def peak_rss_mb(n):
    """Peak resident set size of one `bdc check` run, in MB (max of 3 runs)."""
    best = 0
    for _ in range(3):
        if gnu_time:
            p = subprocess.run(["/usr/bin/time", "-f", "%M", bdc, "check", "--color", "never", spec(n)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            kb = int(p.stderr.strip().splitlines()[-1])
        else:
            child = subprocess.Popen([bdc, "check", "--color", "never", spec(n)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            _, _, ru = os.wait4(child.pid, 0)
            kb = ru.ru_maxrss
        best = max(best, kb)
    return best / 1024.0


# Every spec must check clean; a spec with diagnostics is reported (figures still printed).
problems = []
for n in [1] + sizes:
    p = subprocess.run([bdc, "check", "--color", "never", spec(n)], capture_output=True, text=True)
    summary = p.stderr.strip().splitlines()
    if p.returncode != 0 or len(summary) != 1 or not summary[0].startswith("ok:"):
        problems.append((n, p.returncode, p.stderr[:2000]))

rows = {}
for n in [1] + sizes:
    run_once(n)  # warm-up: page cache, binary
    times = []
    for _ in range(runs.get(n, 7)):
        ms, _ = run_once(n)
        times.append(ms)
    rows[n] = {
        "runs": len(times),
        "median": statistics.median(times),
        "min": min(times),
        "rss": peak_rss_mb(n),
        "bytes": os.path.getsize(spec(n)),
    }

base = rows[1]["median"]
targets = {1000: "1k < 50 ms", 10000: "10k < 200 ms, peak < 200 MB"}


def verdict(n):
    r = rows[n]
    if n == 1000:
        return "met" if r["median"] < 50 else "MISSED"
    if n == 10000:
        t = "met" if r["median"] < 200 else "MISSED"
        m = "met" if r["rss"] < 200 else "MISSED"
        return f"time {t}, memory {m}"
    return ""


cpu = "unknown"
try:
    with open("/proc/cpuinfo") as f:
        cpu = next(l.split(":", 1)[1].strip() for l in f if l.startswith("model name"))
except (OSError, StopIteration):
    pass
version = subprocess.run([bdc, "--version"], capture_output=True, text=True).stdout.strip()
load = " ".join(f"{x:.2f}" for x in os.getloadavg())
print(f"bdc check benchmark — {datetime.date.today().isoformat()}, {version} at {os.environ['REV']} "
      f"({os.environ['RUSTC']}), "
      f"{os.cpu_count()} cores ({cpu}), {platform.system()} {platform.release()}, "
      f"load average after the runs {load} (above ~0.5 other work shared the cores: figures are noisy)")
print()
print("| partners | spec size | runs | median wall ms | min ms | peak RSS MB | ms / 1,000 partners | marginal ms / 1,000 | target |")
print("|---:|---:|---:|---:|---:|---:|---:|---:|---|")
for n in [1] + sizes:
    r = rows[n]
    per_k = r["median"] / n * 1000 if n >= 1000 else float("nan")
    marginal = (r["median"] - base) / n * 1000 if n >= 1000 else float("nan")
    label = "1 (baseline)" if n == 1 else f"{n:,}"
    size = f"{r['bytes'] / 1e6:.2f} MB" if r["bytes"] >= 100_000 else f"{r['bytes'] / 1e3:.1f} kB"
    pk = "—" if n < 1000 else f"{per_k:.1f}"
    mg = "—" if n < 1000 else f"{marginal:.1f}"
    tgt = targets.get(n, "")
    v = verdict(n)
    print(f"| {label} | {size} | {r['runs']} | {r['median']:.1f} | {r['min']:.1f} | {r['rss']:.1f} | {pk} | {mg} | "
          f"{tgt}{' — ' + v if v else ''} |")
print()
if 1000 in rows and 10000 in rows:
    ratio = rows[10000]["median"] / rows[1000]["median"]
    mratio = (rows[10000]["median"] - base) / max(rows[1000]["median"] - base, 1e-9)
    print(f"ratio 10k/1k: {ratio:.2f} (whole process; linear ⇒ ≈10 once startup is negligible), "
          f"{mratio:.2f} with the 1-partner baseline ({base:.1f} ms) subtracted")
print("baseline = a 1-partner spec: process start, the standard library, clap, exit")
if os.environ.get("WARNINGS") == "1":
    print()
    print("Diagnostics-heavy variant (gen_fleet.py --storage: every 11th partner has warning W0402),")
    print("human reports rendered to stderr (--color never), output discarded:")
    print()
    print("| partners | warnings | runs | median wall ms | min ms |")
    print("|---:|---:|---:|---:|---:|")
    for n, k in ((1000, 5), (10000, 1)):
        path = os.path.join(work, f"warn-{n}.bdot")
        p = subprocess.run([bdc, "check", "--color", "never", path], capture_output=True, text=True)
        count = p.stderr.strip().splitlines()[-1] if p.stderr.strip() else "?"
        times = []
        for _ in range(k):
            t0 = time.perf_counter()
            subprocess.run([bdc, "check", "--color", "never", path], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            times.append((time.perf_counter() - t0) * 1000.0)
        print(f"| {n:,} | {count} | {k} | {statistics.median(times):.1f} | {min(times):.1f} |")
for n, rc, err in problems:
    print(f"WARNING: the {n}-partner spec did not check clean (exit {rc}):\n{err}")
PY
