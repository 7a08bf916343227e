#!/usr/bin/env bash
# `bdc apply` at fleet scale on a real API server, against `kubectl apply --server-side`
# (benches/cluster.py says what is measured). Uses the cluster in BDC_BENCH_KUBECONFIG, or
# starts the shared control plane (../shared/k8s/cluster, or BDC_K8S_CLUSTER) on free ports
# in target/k8s/bench-<pid> and stops it on exit, as .ci/test does. Builds the release binary.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
cargo build --release --locked --bin bdc
if [ -z "${BDC_BENCH_KUBECONFIG:-}" ]; then
  cluster=${BDC_K8S_CLUSTER:-$root/../shared/k8s/cluster}
  read -r ETCD_PORT ETCD_PEER_PORT APISERVER_PORT KCM_PORT < <(python3 -c '
import socket
held = [socket.socket() for _ in range(4)]
for s in held: s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in held))')
  export ETCD_PORT ETCD_PEER_PORT APISERVER_PORT KCM_PORT
  K8S_HOME="$root/target/k8s/shared" "$cluster" prepare
  export K8S_HOME="$root/target/k8s/bench-$$"
  mkdir -p "$K8S_HOME"
  ln -sfn "$root/target/k8s/shared/bin" "$K8S_HOME/bin"
  trap '"$cluster" reset >/dev/null 2>&1 || true; rm -rf "$K8S_HOME"' EXIT
  "$cluster" start
  BDC_BENCH_KUBECONFIG="$K8S_HOME/kubeconfig"
fi
export KUBECONFIG=$BDC_BENCH_KUBECONFIG
export KUBECTL=${KUBECTL:-$root/target/k8s/shared/bin/kubectl}
export BDC=$root/target/release/bdc
python3 benches/cluster.py
