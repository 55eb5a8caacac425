#!/usr/bin/env bash
# End to end on kind: a cluster "portcullis-e2e" with a registry on localhost:5001 (kind's documented local-
# registry setup), then tests/e2e/cluster.sh against it. Not run in CI (no API server runs there).
#
#   bash tests/e2e/kind.sh              # creates the cluster (if missing), runs cluster.sh, deletes it
#   KEEP=1 bash tests/e2e/kind.sh       # leaves the cluster up afterwards
#
# Needs: docker (or podman as docker), kind >= 0.24 (Kubernetes >= 1.30 nodes; kindnet enforces
# NetworkPolicy), and what cluster.sh needs.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cluster=${CLUSTER:-portcullis-e2e}
work=$(mktemp -d /tmp/portcullis-kind-XXXXXX)

if [ "$(docker inspect -f '{{.State.Running}}' kind-registry 2>/dev/null || true)" != true ]; then
  docker run -d --restart=always -p "127.0.0.1:5001:5000" --network bridge --name kind-registry registry:2
fi
if ! kind get clusters | grep -qx "$cluster"; then
  cat > "$work/kind.yaml" <<YAML
kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
nodes: [{role: control-plane}, {role: worker}]
containerdConfigPatches:
  - |-
    [plugins."io.containerd.grpc.v1.cri".registry]
      config_path = "/etc/containerd/certs.d"
YAML
  kind create cluster --name "$cluster" --config "$work/kind.yaml" --wait 120s
  for node in $(kind get nodes --name "$cluster"); do
    docker exec "$node" mkdir -p /etc/containerd/certs.d/localhost:5001
    printf '[host."http://kind-registry:5000"]\n' | docker exec -i "$node" cp /dev/stdin /etc/containerd/certs.d/localhost:5001/hosts.toml
  done
  docker network connect kind kind-registry 2>/dev/null || true
fi
kind get kubeconfig --name "$cluster" > "$work/kubeconfig"
if [ "${KEEP:-0}" = 1 ]; then trap 'rm -rf "$work"' EXIT; else trap 'kind delete cluster --name "$cluster"; rm -rf "$work"' EXIT; fi

KUBECONFIG="$work/kubeconfig" REGISTRY=localhost:5001 MANAGER_MIRROR=localhost:5001=kind-registry:5000 INSECURE=kind-registry:5000 \
  POD_CIDR=10.244.0.0/16 NODE_SHELL="docker exec" bash "$here/cluster.sh"
