#!/usr/bin/env bash
# End to end on a real cluster — not run in CI (no API server can run on the build machines).
#
#   bash tests/e2e/kind.sh              # creates a kind cluster "portcullis-e2e" with a registry on localhost:5001
#   KEEP=1 bash tests/e2e/kind.sh       # leaves the cluster up afterwards
#
# Needs: docker (or podman as docker), kind >= 0.23 (Kubernetes >= 1.30 nodes), kubectl, the .NET 10 SDK,
# skopeo, internet access (mcr.microsoft.com base images, nuget.org). What it checks:
#   1. the runtime installs with `kubectl apply -k` (deploy/base + registry settings for kind)
#   2. samples/TodoApi, published with Portcullis.Build to the local registry, runs in a namespace labelled
#      portcullis.dev/bind=enabled, its pod bound to its own profile (Localhost portcullis/<digest>.json),
#      confined: Seccomp 2 in /proc/1/status, and it answers GET /todos
#   3. the same app published with `listen` denied in its profile never becomes ready
#   4. uninstall leaves no webhook configuration and no profile files on the nodes
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
cluster=${CLUSTER:-portcullis-e2e}
work=$(mktemp -d /tmp/portcullis-e2e-XXXXXX)
registry=localhost:5001
step() { printf '\n== %s\n' "$*"; }
fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }

step "kind cluster $cluster with a registry on $registry (kind's documented local-registry setup)"
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
kubectl config use-context "kind-$cluster"
[ "${KEEP:-0}" = 1 ] || trap 'kind delete cluster --name "$cluster"; rm -rf "$work"' EXIT

step "the runtime image, published like any .NET app"
DOTNET_CONTAINER_INSECURE_REGISTRIES=$registry dotnet publish "$repo/src/Runtime" -c Release -t:PublishContainer -nologo -v q \
  -p:ContainerRegistry=$registry -p:ContainerRepository=portcullis/runtime -p:ContainerImageTag=e2e -p:ContainerRuntimeIdentifier=linux-x64

step "install: kubectl apply -k (deploy/base, image and registry settings for kind)"
overlay="$repo/tests/e2e/.overlay"   # kustomize wants its bases by relative path; .gitignore keeps this out
rm -rf "$overlay" && mkdir -p "$overlay"
cat > "$overlay/kustomization.yaml" <<YAML
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources: [../../../deploy/base]
images:
  - {name: registry.example/portcullis/runtime, newName: $registry/portcullis/runtime, newTag: e2e}
patches:
  - target: {kind: Deployment, name: portcullis-manager}
    patch: |-
      - {op: add, path: /spec/template/spec/containers/0/args/-, value: "--RegistryMirrors=localhost:5001=kind-registry:5000"}
      - {op: add, path: /spec/template/spec/containers/0/args/-, value: "--InsecureRegistries=kind-registry:5000"}
YAML
kubectl apply -k "$overlay"
kubectl -n portcullis-system rollout status deploy/portcullis-manager --timeout=180s
kubectl -n portcullis-system rollout status ds/portcullis-agent --timeout=180s
for _ in $(seq 60); do
  [ -n "$(kubectl get mutatingwebhookconfiguration portcullis -o jsonpath='{.webhooks[0].clientConfig.caBundle}')" ] && break; sleep 2
done
[ -n "$(kubectl get mutatingwebhookconfiguration portcullis -o jsonpath='{.webhooks[0].clientConfig.caBundle}')" ] || fail "the controller never set the webhook's caBundle"

step "samples/TodoApi published with Portcullis.Build, twice: as it is, and with listen denied"
version="0.1.0-e2e.$(date +%s)"
dotnet pack "$repo/src/Tasks/Portcullis.Build.csproj" -c Release -o "$work/feed" -p:Version="$version" -nologo -v q
app="$work/app"
bash "$repo/scripts/user-workspace.sh" TodoApi "$work/feed" "$version" "$app"
publish() {
  (cd "$app" && DOTNET_CONTAINER_INSECURE_REGISTRIES=$registry dotnet publish TodoApi -t:PublishContainer -c Release -nologo -v q \
    -p:ContainerRegistry=$registry -p:ContainerRepository=e2e/todoapi -p:ContainerImageTag="$1" -p:ContainerRuntimeIdentifier=linux-x64 "${@:2}")
}
publish good
printf '<Project><ItemGroup Condition="%s"><PortcullisDenySyscall Include="listen" /></ItemGroup></Project>\n' "'\$(E2EBroken)' == 'true'" > "$app/Directory.Build.targets"
publish broken -p:E2EBroken=true

step "a namespace that binds, and the app in it"
kubectl create namespace e2e --dry-run=client -o yaml | kubectl apply -f -
kubectl label namespace e2e portcullis.dev/bind=enabled --overwrite
deploy() {
  kubectl -n e2e apply -f - <<YAML
apiVersion: apps/v1
kind: Deployment
metadata: {name: todoapi-$1}
spec:
  selector: {matchLabels: {app: todoapi-$1}}
  template:
    metadata: {labels: {app: todoapi-$1}}
    spec:
      containers:
        - name: api
          image: $registry/e2e/todoapi:$1
          ports: [{containerPort: 8080}]
          readinessProbe: {httpGet: {path: /todos, port: 8080}, periodSeconds: 2}
YAML
}
deploy good
kubectl -n e2e rollout status deploy/todoapi-good --timeout=240s || { kubectl -n e2e describe pods -l app=todoapi-good; fail "the bound app did not become ready"; }
pod=$(kubectl -n e2e get pod -l app=todoapi-good -o jsonpath='{.items[0].metadata.name}')
profile=$(kubectl -n e2e get pod "$pod" -o jsonpath='{.spec.containers[0].securityContext.seccompProfile.localhostProfile}')
case "$profile" in portcullis/sha256-*.json) echo "bound to $profile" ;; *) fail "pod $pod is not bound (localhostProfile '$profile')" ;; esac
kubectl -n e2e get pod "$pod" -o jsonpath='{.metadata.annotations.portcullis\.dev/bindings}'; echo
mode=$(kubectl -n e2e exec "$pod" -- cat /proc/1/status | awk '/^Seccomp:/ {print $2}')
[ "$mode" = 2 ] || fail "pod $pod runs with Seccomp: $mode, not 2 (filter)"
echo "Seccomp: $mode"
kubectl -n e2e exec "$pod" -- cat /proc/1/status | grep -q '^Seccomp_filters:' && kubectl -n e2e exec "$pod" -- cat /proc/1/status | grep '^Seccomp_filters:'
image=$(kubectl -n e2e get pod "$pod" -o jsonpath='{.spec.containers[0].image}')
case "$image" in *@sha256:*) echo "image pinned: $image" ;; *) fail "image not pinned to a digest: $image" ;; esac

step "the same app with listen denied never becomes ready"
deploy broken
if kubectl -n e2e rollout status deploy/todoapi-broken --timeout=90s; then fail "the app ran without listen"; fi
kubectl -n e2e get pods -l app=todoapi-broken
kubectl -n e2e logs -l app=todoapi-broken --tail=5 || true

step "cluster status"
dotnet run --project "$repo/src/Runtime" -c Release -- status

step "uninstall"
kubectl delete namespace e2e --wait=true
kubectl delete -k "$overlay" --wait=true
kubectl get mutatingwebhookconfiguration portcullis 2>/dev/null && fail "the webhook configuration is still there"
for node in $(kind get nodes --name "$cluster"); do
  left=$(docker exec "$node" sh -c 'ls -A /var/lib/kubelet/seccomp/portcullis 2>/dev/null || true')
  [ -z "$left" ] || fail "profiles left on $node: $left"
done
rm -rf "$overlay"
printf '\nPASS\n'
