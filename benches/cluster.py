#!/usr/bin/env python3
"""`bdc apply` of a 1,000-partner fleet on a real API server, against `kubectl apply
--server-side` of the same emitted YAML (issue 13). Run through benches/cluster.sh, which
starts the shared control plane and builds the release binary.

Measures (wall time of the whole process, median of the runs, each run on fresh namespaces):
  first apply  : `bdc apply` of the fleet vs `kubectl apply --server-side -f` of `bdc emit`,
                 alternating, each into namespaces no run used before (its own prefix);
  no-op apply  : `bdc apply` again right after the first bdc run (the cluster holds that one
                 fleet), and kubectl again right after its first run.
Targets: first apply at least 3x faster than kubectl; no-op re-apply under 5 s.
Environment: KUBECONFIG (the cluster), BDC (the binary), KUBECTL, BENCH_PARTNERS (1000),
BENCH_RUNS (first applies per tool, 3), BENCH_NOOP_RUNS (5).
"""
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
bdc = os.environ.get("BDC", os.path.join(root, "target/release/bdc"))
kubectl = os.environ.get("KUBECTL", "kubectl")
partners = int(os.environ.get("BENCH_PARTNERS", "1000"))
runs = int(os.environ.get("BENCH_RUNS", "3"))
noop_runs = int(os.environ.get("BENCH_NOOP_RUNS", "5"))
work = tempfile.mkdtemp(prefix="bdc-cluster-bench-")
env = dict(os.environ, NO_COLOR="1")


def spec(prefix):
    """The generated fleet with its own namespace prefix, in its own directory."""
    d = os.path.join(work, prefix.rstrip("-"))
    os.makedirs(d, exist_ok=True)
    text = subprocess.run([sys.executable, os.path.join(root, "benches/gen_fleet.py"), str(partners), "/dev/stdout"],
                          check=True, capture_output=True, text=True).stdout
    text = re.sub(r'namespace_prefix = "[^"]*"', f'namespace_prefix = "{prefix}"', text, count=1)
    with open(os.path.join(d, "fleet.bdot"), "w") as f:
        f.write(text)
    return d


def timed(cmd, log):
    start = time.monotonic()
    with open(log, "ab") as out:
        code = subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT, env=env).returncode
    took = time.monotonic() - start
    if code != 0:
        print(f"WARNING: {' '.join(cmd[:3])} exited {code} (see {log})", file=sys.stderr)
    return took


def emitted(d):
    path = d + ".yaml"
    with open(path, "w") as f:
        subprocess.run([bdc, "emit", d], stdout=f, stderr=subprocess.DEVNULL, check=True, env=env)
    return path


def row(name, bdc_times, kubectl_times):
    b = statistics.median(bdc_times)
    line = f"| {name} | {b:.2f} s ({', '.join(f'{t:.1f}' for t in bdc_times)})"
    if kubectl_times:
        k = statistics.median(kubectl_times)
        line += f" | {k:.2f} s ({', '.join(f'{t:.1f}' for t in kubectl_times)}) | {k / b:.1f}x |"
    else:
        line += " | | |"
    print(line, flush=True)


def main():
    log = os.path.join(work, "log.txt")
    print(f"{partners} partners, {runs} first applies per tool, {noop_runs} no-op re-applies; log {log}", flush=True)
    subprocess.run([kubectl, "apply", "--server-side", "-f", os.path.join(root, "tests/data/crds")],
                   check=True, capture_output=True, env=env)
    first_bdc, first_kubectl, noop_bdc, noop_kubectl = [], [], [], []
    kubectl_apply = [kubectl, "apply", "--server-side", "--field-manager", "bench", "-f"]
    for i in range(runs):
        d = spec(f"bb{i}-")
        k = emitted(spec(f"bk{i}-"))
        first_bdc.append(timed([bdc, "apply", d], log))
        if i == 0:
            # Re-applies while the cluster holds this one fleet (bdc lists what it owns per
            # kind; other fleets with bdc's label on the same cluster would be listed too).
            noop_bdc = [timed([bdc, "apply", d], log) for _ in range(noop_runs)]
        first_kubectl.append(timed(kubectl_apply + [k], log))
        if i == 0:
            noop_kubectl = [timed(kubectl_apply + [k], log) for _ in range(min(noop_runs, 3))]
    print()
    print("| wall time, median (runs) | bdc apply | kubectl apply --server-side | kubectl / bdc |")
    print("|---|---|---|---|")
    row(f"first apply, {partners} partners", first_bdc, first_kubectl)
    row(f"no-op re-apply, {partners} partners", noop_bdc, noop_kubectl)
    print(f"\nload average after the runs: {os.getloadavg()[0]:.2f}")


main()
