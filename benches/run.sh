#!/usr/bin/env bash
# Benchmarks of `bdc` on generated fleets of 1,000 to 10,000 partners (the reference workload).
#
#   benches/run.sh check    `bdc check`, output discarded (the default mode)
#   benches/run.sh emit     `bdc emit` of the whole fleet to stdout, written to a file, with the
#                           reference tools' figures as ratios (../shared/bench/README.md)
#   benches/run.sh out      `bdc emit --out DIR` (a tree of files per partner, atomic rename), 1k
#   benches/run.sh errors   `bdc check` of specs with 8,000–64,000 errors: the cost per error
#                           stays flat (linear time in the number of diagnostics)
#   benches/run.sh all      check, emit and out, in that order
#   benches/run.sh check emit    several modes in one run (emit then also prints emit − check)
#
# Environment:
#   BENCH_SIZES="1000 2000 5000 10000"   fleet sizes for check and emit (a 1-partner baseline is
#                                        always added)
#   BENCH_OUT_SIZES="1000"               fleet sizes for out
#   BENCH_OUT_RUNS=5                     timed runs per out case
#   BENCH_OUT_TMPFS=0                    out: only the temp dir's filesystem, not also /dev/shm
#   BENCH_RUNS="1000:15 10000:7"         timed runs per size (default 21/15/11/9/7 for 1/1k/2k/5k/10k)
#   BENCH_KEEP=1                         keep the generated specs (the temp dir is printed)
#   BENCH_WARNINGS=1                     check: also time specs with N/11 warnings (gen_fleet.py
#                                        --storage): rendering of human reports, 1k and 10k
#   BENCH_SYNC=0                         do not flush dirty pages (untimed) before each timed run
#                                        that writes files (emit, out); default 1
#
# Every mode times the whole process with the same code (benches/harness.py): wall time with
# time.perf_counter() around fork/exec and wait4, CPU time from the child's rusage, peak RSS
# from separate runs under GNU time (`/usr/bin/time -f %M`).
# Prints figures only: exits non-zero when the build or the generator fails, never on timing.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"

modes=()
for arg in "${@:-check}"; do
  case "$arg" in
    check|emit|out|errors) modes+=("$arg") ;;
    all) modes+=(check emit out) ;;
    -h|--help) sed -n '2,29p' "$here/run.sh" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "usage: benches/run.sh [check|emit|out|errors|all]...  (default: check)" >&2; exit 2 ;;
  esac
done

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
  [[ -x /usr/bin/time ]] || echo "== no GNU time: peak RSS from the child's rusage (includes python's ~15 MB)" >&2
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/bdc-bench.XXXXXX")"
if [[ "${BENCH_KEEP:-0}" != 1 ]]; then
  trap 'rm -rf "$work"' EXIT
else
  echo "== specs kept in $work" >&2
fi

sizes="${BENCH_SIZES:-1000 2000 5000 10000}"
out_sizes="${BENCH_OUT_SIZES:-1000}"
needed="$(for n in 1 $sizes $out_sizes; do echo "$n"; done | sort -nu | tr '\n' ' ')"
echo "== generating fleets: $needed" >&2
for n in $needed; do
  python3 "$here/gen_fleet.py" "$n" "$work/fleet-$n.bdot"
done
if [[ "${BENCH_WARNINGS:-0}" == 1 && " ${modes[*]} " == *" check "* ]]; then
  for n in 1000 10000; do
    python3 "$here/gen_fleet.py" --storage "$n" "$work/warn-$n.bdot"
  done
fi

echo "== timing: ${modes[*]}" >&2
REV="$rev" RUSTC="$rustc_version" BDC="$bdc" WORK="$work" SIZES="$sizes" OUT_SIZES="$out_sizes" \
  RUNS="${BENCH_RUNS:-}" WARNINGS="${BENCH_WARNINGS:-0}" SYNC="${BENCH_SYNC:-1}" \
  OUT_RUNS="${BENCH_OUT_RUNS:-5}" OUT_TMPFS="${BENCH_OUT_TMPFS:-1}" \
  python3 "$here/harness.py" "${modes[@]}"
