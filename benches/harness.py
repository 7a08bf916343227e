#!/usr/bin/env python3
"""Timing harness behind benches/run.sh: times `bdc` on generated fleet specs, prints Markdown.

usage: harness.py MODE...     MODE: check | emit | out   (run.sh builds and generates first)

Environment (set by run.sh): BDC (the binary), WORK (a directory holding fleet-<N>.bdot and, with
WARNINGS=1, warn-1000/10000.bdot), SIZES ("1000 2000 5000 10000"), RUNS ("1000:15 10000:7"),
OUT_SIZES ("1000"), OUT_RUNS (5), OUT_TMPFS (1: also time --out on /dev/shm), WARNINGS (0/1), SYNC (1: flush dirty pages, untimed, before each timed run
that writes files), REV and RUSTC (for the header line).

Every mode times with the same code, `measure()`: the whole process, timed with
time.perf_counter() around fork/exec and os.wait4(), which also gives the child's CPU time
(user + sys). One untimed warm-up run per case (page cache, binary), then the timed runs:
median and minimum of the wall times, median CPU time. Peak RSS from separate runs under
`/usr/bin/time -f %M` (see peak_rss_mb), the largest of 3. Prints figures only: a run that exits
non-zero or a spec that does not check clean is reported as a warning, never as a failure.
"""
import datetime
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

BDC = os.environ["BDC"]
WORK = os.environ["WORK"]
SIZES = [int(s) for s in os.environ.get("SIZES", "1000 2000 5000 10000").split()]
OUT_SIZES = [int(s) for s in os.environ.get("OUT_SIZES", "1000").split()]
RUNS = {1: 21, 1000: 15, 2000: 11, 5000: 9, 10000: 7}
for item in os.environ.get("RUNS", "").split():
    n, r = item.split(":")
    RUNS[int(n)] = int(r)
SYNC = os.environ.get("SYNC", "1") == "1"

# Median wall time of the whole process, output to a file, on the same 2-core machine
# (../shared/bench/README.md): seconds at 1,000 and 10,000 partners, peak MB at 10,000.
# Every tool there writes 11 objects per partner.
REFERENCE = [
    ("Helm 4.2.3", 1.06, 7.5, 823),
    ("Jsonnet (C++ 0.18)", 2.1, 31.6, 1600),
    ("go-jsonnet 0.22", 2.7, 33.5, 4700),
    ("KCL 0.13.2", 4.6, 41.5, 3300),
    ("cdk8s 2.70", 5.9, 50.8, 832),
    ("Python dicts → JSON lines (the floor)", 0.37, 4.2, 200),
]
REFERENCE_OBJECTS_PER_PARTNER = 11

problems = []


def diagnostics(stderr):
    """`W0403 ×1,667, E0414 ×2` for a human report on stderr, and its last line."""
    counts = {}
    for line in stderr.splitlines():
        code = line.strip()
        if len(code) == 5 and code[0] in "EW" and code[1:].isdigit():
            counts[code] = counts.get(code, 0) + 1
    lines = stderr.strip().splitlines()
    listed = ", ".join(f"{c} ×{k:,}" for c, k in sorted(counts.items()))
    return f"{listed or 'no codes'} ({lines[-1] if lines else 'no output'})"


def spec(n, prefix="fleet"):
    return os.path.join(WORK, f"{prefix}-{n}.bdot")


def run(argv, stdout_path=None):
    """One whole process: (wall ms, (user ms, sys ms), ru_maxrss kB, exit code).

    With stdout_path the output goes to that file, truncated and opened before the clock starts
    (as `bdc … > file` in a shell, minus the shell); otherwise it is discarded."""
    out = open(stdout_path, "wb") if stdout_path else subprocess.DEVNULL
    try:
        t0 = time.perf_counter()
        child = subprocess.Popen(argv, stdout=out, stderr=subprocess.DEVNULL)
        _, status, ru = os.wait4(child.pid, 0)
        wall = (time.perf_counter() - t0) * 1000.0
        child.returncode = os.waitstatus_to_exitcode(status)
    finally:
        if stdout_path:
            out.close()
    return wall, (ru.ru_utime * 1000.0, ru.ru_stime * 1000.0), ru.ru_maxrss, child.returncode


GNU_TIME = os.path.exists("/usr/bin/time")


def peak_rss_mb(argv, stdout_path=None, runs=3, before=None):
    """Peak RSS of the process in MB (the largest of `runs` separate, untimed runs).

    From `/usr/bin/time -f %M`: GNU time forks bdc from its own small process. The rusage of a
    child of *this* Python process is no good for small figures: Linux carries the peak RSS of
    the address space a child had before exec (Python's, shared through vfork: ~15 MB) over
    into the child's ru_maxrss. Without GNU time that figure is printed anyway, marked ≥."""
    best = 0
    for _ in range(runs):
        if before:
            before()
        out = open(stdout_path, "wb") if stdout_path else subprocess.DEVNULL
        try:
            if GNU_TIME:
                rss_file = os.path.join(WORK, "rss.txt")
                subprocess.run(["/usr/bin/time", "-f", "%M", "-o", rss_file] + (argv() if callable(argv) else argv),
                               stdout=out, stderr=subprocess.DEVNULL)
                with open(rss_file) as f:
                    kb = int(f.read().strip().splitlines()[-1])
            else:
                _, _, kb, _ = run(argv() if callable(argv) else argv, stdout_path)
        finally:
            if stdout_path:
                out.close()
        best = max(best, kb)
    return best / 1024.0


def measure(argv, runs, stdout_path=None, before=None, rss_runs=3):
    """Warm-up, then `runs` timed runs, then `rss_runs` runs under GNU time for the peak RSS.
    `before()` runs (untimed) before every run; `argv` may be a function giving each run's."""
    walls, cpus, syss, codes, sizes = [], [], [], set(), set()
    for i in range(runs + 1):
        if before:
            before()
        if SYNC and stdout_path is not None:
            os.sync()
        wall, (user, sys_ms), _, rc = run(argv() if callable(argv) else argv, stdout_path)
        codes.add(rc)
        if stdout_path is not None:
            sizes.add(os.path.getsize(stdout_path))
        if i == 0:
            continue  # warm-up
        walls.append(wall)
        cpus.append(user + sys_ms)
        syss.append(sys_ms)
    return {
        "runs": runs,
        "median": statistics.median(walls),
        "min": min(walls),
        "cpu": statistics.median(cpus),
        "sys": statistics.median(syss),
        "rss": peak_rss_mb(argv, stdout_path, rss_runs, before),
        "codes": codes,
        "sizes": sizes,
    }


def fmt_size(b):
    return f"{b / 1e6:.2f} MB" if b >= 100_000 else f"{b / 1e3:.1f} kB"


def header(what):
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(l.split(":", 1)[1].strip() for l in f if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    version = subprocess.run([BDC, "--version"], capture_output=True, text=True).stdout.strip()
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"{what} — {datetime.date.today().isoformat()}, {version} at {os.environ.get('REV', '?')} "
          f"({os.environ.get('RUSTC', '?')}), {os.cpu_count()} cores ({cpu}), "
          f"{platform.system()} {platform.release()}, load average after the runs {load} "
          f"(above ~0.5 other work shared the cores: figures are noisy)")
    print()


def ratio_line(rows, base):
    if 1000 in rows and 10000 in rows:
        ratio = rows[10000]["median"] / rows[1000]["median"]
        mratio = (rows[10000]["median"] - base) / max(rows[1000]["median"] - base, 1e-9)
        print(f"ratio 10k/1k: {ratio:.2f} (whole process; linear ⇒ ≈10 once startup is negligible), "
              f"{mratio:.2f} with the 1-partner baseline ({base:.1f} ms) subtracted")


# ---------------------------------------------------------------------------------------------
# check: `bdc check` on fleets of N partners, output discarded


def mode_check():
    for n in [1] + SIZES:
        p = subprocess.run([BDC, "check", "--color", "never", spec(n)], capture_output=True, text=True)
        summary = p.stderr.strip().splitlines()
        if p.returncode != 0 or len(summary) != 1 or not summary[0].startswith("ok:"):
            problems.append(f"the {n}-partner spec did not check clean: exit {p.returncode}, {diagnostics(p.stderr)}")

    rows = {}
    for n in [1] + SIZES:
        rows[n] = measure([BDC, "check", "--color", "never", spec(n)], RUNS.get(n, 7))
        rows[n]["bytes"] = os.path.getsize(spec(n))
    base = rows[1]["median"]

    def verdict(n):
        r = rows[n]
        if n == 1000:
            return "1k < 50 ms — " + ("met" if r["median"] < 50 else "MISSED")
        if n == 10000:
            t = "met" if r["median"] < 200 else "MISSED"
            m = "met" if r["rss"] < 200 else "MISSED"
            return f"10k < 200 ms, peak < 200 MB — time {t}, memory {m}"
        return ""

    header("bdc check benchmark")
    print("| partners | spec size | runs | median wall ms | min ms | CPU ms | peak RSS MB | ms / 1,000 partners | marginal ms / 1,000 | target |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for n in [1] + SIZES:
        r = rows[n]
        label = "1 (baseline)" if n == 1 else f"{n:,}"
        pk = "—" if n < 1000 else f"{r['median'] / n * 1000:.1f}"
        mg = "—" if n < 1000 else f"{(r['median'] - base) / n * 1000:.1f}"
        print(f"| {label} | {fmt_size(r['bytes'])} | {r['runs']} | {r['median']:.1f} | {r['min']:.1f} | "
              f"{r['cpu']:.1f} | {r['rss']:.1f} | {pk} | {mg} | {verdict(n)} |")
    print()
    ratio_line(rows, base)
    print("baseline = a 1-partner spec: process start, the standard library, clap, exit")

    if os.environ.get("WARNINGS") == "1":
        print()
        print("Diagnostics-heavy variant (gen_fleet.py --storage: every 11th partner has warning W0402),")
        print("human reports rendered to stderr (--color never), output discarded:")
        print()
        print("| partners | warnings | runs | median wall ms | min ms |")
        print("|---:|---:|---:|---:|---:|")
        for n, k in ((1000, 5), (10000, 1)):
            path = spec(n, "warn")
            p = subprocess.run([BDC, "check", "--color", "never", path], capture_output=True, text=True)
            count = p.stderr.strip().splitlines()[-1] if p.stderr.strip() else "?"
            r = measure([BDC, "check", "--color", "never", path], k)
            print(f"| {n:,} | {count} | {k} | {r['median']:.1f} | {r['min']:.1f} |")
    return rows


# ---------------------------------------------------------------------------------------------
# emit: `bdc emit` of the whole fleet as one YAML stream on stdout, written to a file


def count_objects(path):
    """(documents by `---` separator lines, `kind:` lines at column 0) of a YAML stream."""
    with open(path, "rb") as f:
        data = f.read()
    seps = data.count(b"\n---\n") + data.startswith(b"---\n")
    kinds = data.count(b"\nkind: ") + data.startswith(b"kind: ")
    return seps, kinds


def mode_emit(check_rows=None):
    out = os.path.join(WORK, "emit.yaml")
    rows = {}
    for n in [1] + SIZES:
        argv = [BDC, "emit", "--color", "never", spec(n)]
        p = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if p.returncode != 0 or p.stderr.strip():
            problems.append(f"`bdc emit` of the {n}-partner spec: exit {p.returncode}, {diagnostics(p.stderr)}")
        r = measure(argv, RUNS.get(n, 7), stdout_path=out)
        # The last timed run's output is what is counted (every run writes the same bytes).
        r["bytes"] = os.path.getsize(out)
        r["seps"], r["kinds"] = count_objects(out)
        r["spec"] = os.path.getsize(spec(n))
        if r["codes"] != {0}:
            problems.append(f"`bdc emit` of the {n}-partner spec exited with {sorted(r['codes'])} during the timed runs")
        if len(r["sizes"]) != 1:
            problems.append(f"{n} partners: the output size varied between runs: {sorted(r['sizes'])}")
        if r["seps"] != r["kinds"]:
            problems.append(f"{n} partners: {r['seps']} `---` separators but {r['kinds']} `kind:` lines")
        rows[n] = r
    os.remove(out)
    base = rows[1]["median"]

    def verdict(n):
        r = rows[n]
        if n == 1000:
            return "1k < 100 ms — " + ("met" if r["median"] < 100 else f"MISSED (×{r['median'] / 100:.2f})")
        if n == 10000:
            t = "met" if r["median"] < 500 else f"MISSED (×{r['median'] / 500:.2f})"
            m = "met" if r["rss"] < 200 else f"MISSED (×{r['rss'] / 200:.2f})"
            return f"10k < 0.5 s, peak < 200 MB — time {t}, memory {m}"
        return ""

    header("bdc emit benchmark (YAML stream on stdout, written to a file)")
    print("| partners | spec size | runs | median wall ms | min ms | CPU ms | peak RSS MB | output MB | objects | objects / partner | ms / 1,000 partners | MB/s | target |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for n in [1] + SIZES:
        r = rows[n]
        label = "1 (baseline)" if n == 1 else f"{n:,}"
        pk = "—" if n < 1000 else f"{r['median'] / n * 1000:.1f}"
        mbs = r["bytes"] / 1e6 / (r["median"] / 1000)
        print(f"| {label} | {fmt_size(r['spec'])} | {r['runs']} | {r['median']:.1f} | {r['min']:.1f} | {r['cpu']:.1f} | "
              f"{r['rss']:.1f} | {r['bytes'] / 1e6:.2f} | {r['kinds']:,} | {r['kinds'] / n:.2f} | {pk} | {mbs:.0f} | {verdict(n)} |")
    print()
    ratio_line(rows, base)
    if 10000 in rows:
        r = rows[10000]
        print(f"10k: {r['bytes'] / 10000:,.0f} bytes of YAML per partner, {r['bytes'] / r['kinds']:,.0f} per object; "
              f"CPU/wall {r['cpu'] / r['median']:.2f} (emission runs on up to min(cores, 8) threads)")
    if check_rows:
        parts = [f"{n:,}: {rows[n]['median'] - check_rows[n]['median']:.0f} ms"
                 for n in SIZES if n in check_rows]
        print("emit − check (lowering, verifying, serialising, writing), medians: " + ", ".join(parts))

    if 1000 in rows and 10000 in rows:
        b1, b10, bm = rows[1000]["median"] / 1000, rows[10000]["median"] / 1000, rows[10000]["rss"]
        per = rows[10000]["kinds"] / 10000
        print()
        print(f"Against the reference tools (../shared/bench/README.md: median wall time of the whole process "
              f"on this machine, output to a file, {REFERENCE_OBJECTS_PER_PARTNER} objects per partner; "
              f"bdc writes {per:.1f}):")
        print()
        print("| tool | 1,000 partners | 10,000 partners | peak MB at 10,000 | 1k: tool / bdc | 10k: tool / bdc | memory: tool / bdc |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        for name, t1, t10, mem in REFERENCE:
            print(f"| {name} | {t1:.2f} s | {t10:.1f} s | {mem:,} | {t1 / b1:.1f}x | {t10 / b10:.1f}x | {mem / bm:.1f}x |")
        print(f"| **bdc emit** | **{b1:.3f} s** | **{b10:.3f} s** | **{bm:.0f}** | 1 | 1 | 1 |")
        print()
        print(f"Per object written the ratios are {per / REFERENCE_OBJECTS_PER_PARTNER:.2f}× larger "
              f"(bdc writes {per:.1f} objects per partner, the reference tools 11).")
    return rows


# ---------------------------------------------------------------------------------------------
# out: `bdc emit --out DIR` — a tree of files per partner, written aside and renamed into place


def tree_size(d):
    files, content, disk = 0, 0, 0
    for root, _, names in os.walk(d):
        for name in names:
            st = os.lstat(os.path.join(root, name))
            files += 1
            content += st.st_size
            disk += st.st_blocks * 512
    return files, content, disk


def mode_out(emit_rows=None):
    """`bdc emit --out DIR` into the work directory's filesystem and, unless OUT_TMPFS=0, into a
    tmpfs (/dev/shm): the second isolates bdc's own cost from the filesystem's.

    Nothing is deleted on the work directory's filesystem between timed runs (the trees are
    removed after all of them): ext4 does not reuse inodes freed in the last minute or so, and
    creating 16,000 files right after deleting as many scans past every one of them in the
    kernel (`find_inode_bit` → `recently_deleted`), which made each run 5–20× slower and the
    figure depend on what was deleted before it."""
    places = [WORK]
    shm = None
    if os.environ.get("OUT_TMPFS", "1") == "1" and os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK):
        shm = tempfile.mkdtemp(prefix="bdc-bench.", dir="/dev/shm")
        places.append(shm)
    runs = int(os.environ.get("OUT_RUNS", "5"))

    header("bdc emit --out DIR benchmark (one bundle directory per partner, written aside, renamed into place)")
    print("| partners | filesystem | DIR before the run | runs | median wall ms | min ms | CPU ms | of which sys | peak RSS MB | files | content MB | on disk MB | ms / 1,000 partners | vs the stream |")
    print("|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    try:
        for place in places:
            tmpfs = fs_type(place) == "tmpfs"
            for n in OUT_SIZES:
                fresh = []

                def new_dir():
                    fresh.append(os.path.join(place, f"out-{n}-{len(fresh)}"))
                    return [BDC, "emit", "--color", "never", "--out", fresh[-1], spec(n)]

                def drop_last():
                    # tmpfs only: deleting costs the next run nothing there, and keeps memory low.
                    if tmpfs and fresh:
                        shutil.rmtree(fresh[-1], ignore_errors=True)

                target = os.path.join(place, f"out-{n}")
                replace = [BDC, "emit", "--color", "never", "--out", target, spec(n)]
                p = subprocess.run(new_dir(), capture_output=True, text=True)
                if p.returncode != 0:
                    problems.append(f"`bdc emit --out` of the {n}-partner spec: exit {p.returncode}, {diagnostics(p.stderr)}")
                files, content, disk = tree_size(fresh[-1])
                # absent: a new DIR every run: write the tree aside, one rename.
                # previous tree: DIR holds the last run's tree: write the new one aside, rename the
                # old one away and the new one in, delete the old one — all in the timed process
                # (on ext4 that deletion also slows the next run down, as it would in a loop).
                for variant, argv, before in (("absent", new_dir, drop_last), ("previous tree", replace, None)):
                    r = measure(argv, runs, stdout_path=os.devnull, before=before, rss_runs=1)
                    if r["codes"] != {0}:
                        problems.append(f"`bdc emit --out` ({variant}) of {n} partners exited with {sorted(r['codes'])}")
                    vs = "—"
                    if emit_rows and n in emit_rows:
                        vs = f"×{r['median'] / emit_rows[n]['median']:.1f}"
                    print(f"| {n:,} | {fs_type(place)} | {variant} | {runs} | {r['median']:.1f} | {r['min']:.1f} | "
                          f"{r['cpu']:.1f} | {r['sys']:.1f} | {r['rss']:.1f} | {files:,} | {content / 1e6:.2f} | "
                          f"{disk / 1e6:.1f} | {r['median'] / n * 1000:.1f} | {vs} |")
            for name in os.listdir(place):
                if name.startswith(("out-", ".out-")):
                    shutil.rmtree(os.path.join(place, name), ignore_errors=True)
    finally:
        if shm:
            shutil.rmtree(shm, ignore_errors=True)
    print()
    print("files: the objects, one kustomization.yaml per partner and the .bdc-output marker; "
          "\"vs the stream\" = this median / the median of `bdc emit` to a file at the same N. "
          "On ext4 (not tmpfs) a run right after many files were deleted on the same filesystem "
          "is several times slower: the kernel skips recently freed inodes one by one.")


def fs_type(path):
    best, kind = "", "?"
    try:
        with open("/proc/mounts") as f:
            for line in f:
                parts = line.split()
                mnt, typ = parts[1], parts[2]
                if os.path.realpath(path).startswith(mnt) and len(mnt) > len(best):
                    best, kind = mnt, typ
    except OSError:
        pass
    return kind

# ---------------------------------------------------------------------------------------------
# errors: `bdc check` of junk specs with 8k–64k errors, to show the cost per error stays flat
# (counting errors once walked the whole list twice per declaration: 200,000 errors took 42 s)


def mode_errors():
    sizes = [8000, 16000, 32000, 64000]
    rows = {}
    for n in sizes:
        path = spec(n, "errors")
        with open(path, "w") as f:
            f.writelines(f"plan p{i} {{ memroy = 1Gi }}\n" for i in range(n))
        argv = [BDC, "check", "--color", "never", "--max-diagnostics", "10", path]
        rows[n] = measure(argv, 5)
    header("bdc check of specs full of errors")
    print("| errors | runs | median wall ms | CPU ms | peak RSS MB | ms / 1,000 errors |")
    print("|---:|---:|---:|---:|---:|---:|")
    for n in sizes:
        r = rows[n]
        print(f"| {n:,} | {r['runs']} | {r['median']:.1f} | {r['cpu']:.1f} | {r['rss']:.1f} | {r['median'] / n * 1000:.2f} |")
    print()
    print(f"ratio 64k/8k of the medians: {rows[64000]['median'] / rows[8000]['median']:.1f} (linear: 8)")


def main():
    modes = sys.argv[1:] or ["check"]
    check_rows = emit_rows = None
    first = True
    for mode in modes:
        if not first:
            print()
        first = False
        if mode == "check":
            check_rows = mode_check()
        elif mode == "emit":
            emit_rows = mode_emit(check_rows)
        elif mode == "out":
            mode_out(emit_rows)
        elif mode == "errors":
            mode_errors()
        else:
            sys.exit(f"unknown mode {mode!r}: check, emit, out or errors")
    for text in problems:
        print(f"WARNING: {text}")


if __name__ == "__main__":
    main()
