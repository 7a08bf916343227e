#!/usr/bin/env bash
# Benchmark of `bdc check` on generated fleets of 1,000 to 10,000 partners: `benches/run.sh check`
# (kept so that existing instructions work; same environment variables, see run.sh).
exec "$(dirname "${BASH_SOURCE[0]}")/run.sh" check
