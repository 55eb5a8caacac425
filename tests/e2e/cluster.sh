#!/usr/bin/env bash
# End to end on an existing cluster — not run in CI (no API server can run on the build machines).
#
#   KUBECONFIG=~/.kube/my-cluster REGISTRY=registry.internal:5000 bash tests/e2e/cluster.sh
#
# The cluster is the current context of KUBECONFIG (Kubernetes >= 1.30: scheduling gates, the token's node
# claim, ValidatingAdmissionPolicy). Settings, from the environment:
#   REGISTRY         where this machine pushes and the nodes pull images (default localhost:5001)
#   MANAGER_MIRROR   name=host:port when the manager reaches REGISTRY under another name (--RegistryMirrors)
#   INSECURE         registries the manager reaches over plain HTTP (--InsecureRegistries)
#   POD_CIDR         the pod network the webhook's NetworkPolicy keeps out (default 10.244.0.0/16)
#   NODE_SHELL       a command that runs `sh -c SCRIPT` on a node given as its first argument (kind.sh
#                    sets `docker exec`); without it the on-node file checks are skipped, and said so
# Needs: kubectl >= 1.31, the .NET 10 SDK, internet access (base images, nuget.org). What it checks:
#   1. the runtime installs with `kubectl apply -k` (deploy/base + these settings)
#   2. samples/TodoApi, published with Portcullis.Build, runs in a namespace labelled
#      portcullis.dev/bind=enabled, bound to its own profile, pinned, confined (Seccomp: 2), and answers
#   3. the same app with `listen` denied in its profile never becomes ready
#   4. a pod in that namespace cannot reach the webhook (where the CNI enforces NetworkPolicy)
#   5. `kubectl delete -k` with the bound pod still running completes, leaves no webhook configuration
#      and no profile files, and a reinstall right after works
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
registry=${REGISTRY:-localhost:5001}
work=$(mktemp -d /tmp/portcullis-e2e-XXXXXX)
step() { printf '\n== %s\n' "$*"; }
fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }
trap 'rm -rf "$work"' EXIT
kubectl version >/dev/null || fail "no cluster at KUBECONFIG=${KUBECONFIG:-~/.kube/config}"

step "the runtime image, published like any .NET app, to $registry"
DOTNET_CONTAINER_INSECURE_REGISTRIES=$registry dotnet publish "$repo/src/Runtime" -c Release -t:PublishContainer -nologo -v q \
  -p:ContainerRegistry="$registry" -p:ContainerRepository=portcullis/runtime -p:ContainerImageTag=e2e -p:ContainerRuntimeIdentifier=linux-x64

overlay="$repo/tests/e2e/.overlay"   # kustomize wants its bases by relative path; .gitignore keeps this out
rm -rf "$overlay" && mkdir -p "$overlay"
{
  printf 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [../../../deploy/base]\n'
  printf 'images:\n  - {name: registry.example/portcullis/runtime, newName: %s/portcullis/runtime, newTag: e2e}\n' "$registry"
  printf 'patches:\n'
  printf '  - target: {kind: NetworkPolicy, name: portcullis-manager}\n    patch: |-\n'
  printf '      - {op: replace, path: /spec/ingress/0/from/0/ipBlock/except, value: ["%s"]}\n' "${POD_CIDR:-10.244.0.0/16}"
  if [ -n "${MANAGER_MIRROR:-}${INSECURE:-}" ]; then
    printf '  - target: {kind: Deployment, name: portcullis-manager}\n    patch: |-\n'
    [ -z "${MANAGER_MIRROR:-}" ] || printf '      - {op: add, path: /spec/template/spec/containers/0/args/-, value: "--RegistryMirrors=%s"}\n' "$MANAGER_MIRROR"
    [ -z "${INSECURE:-}" ] || printf '      - {op: add, path: /spec/template/spec/containers/0/args/-, value: "--InsecureRegistries=%s"}\n' "$INSECURE"
  fi
} > "$overlay/kustomization.yaml"

install() {
  kubectl apply -k "$overlay"
  kubectl -n portcullis-system rollout status deploy/portcullis-manager --timeout=180s
  kubectl -n portcullis-system rollout status ds/portcullis-agent --timeout=180s
  kubectl wait --for=jsonpath='{.webhooks[0].clientConfig.caBundle}' mutatingwebhookconfiguration/portcullis --timeout=120s \
    || fail "the controller never set the webhook's caBundle"
}
step "install: kubectl apply -k"
install

step "samples/TodoApi published with Portcullis.Build, twice: as it is, and with listen denied"
version="0.1.0-e2e.$(date +%s)"
dotnet pack "$repo/src/Tasks/Portcullis.Build.csproj" -c Release -o "$work/feed" -p:Version="$version" -nologo -v q
app="$work/app"
bash "$repo/scripts/user-workspace.sh" TodoApi "$work/feed" "$version" "$app"
publish() {
  (cd "$app" && DOTNET_CONTAINER_INSECURE_REGISTRIES=$registry dotnet publish TodoApi -t:PublishContainer -c Release -nologo -v q \
    -p:ContainerRegistry="$registry" -p:ContainerRepository=e2e/todoapi -p:ContainerImageTag="$1" -p:ContainerRuntimeIdentifier=linux-x64 "${@:2}")
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
mode=$(kubectl -n e2e exec "$pod" -- cat /proc/1/status | awk '/^Seccomp:/ {print $2}')
[ "$mode" = 2 ] || fail "pod $pod runs with Seccomp: $mode, not 2 (filter)"
echo "Seccomp: $mode"
image=$(kubectl -n e2e get pod "$pod" -o jsonpath='{.spec.containers[0].image}')
case "$image" in *@sha256:*) echo "image pinned: $image" ;; *) fail "image not pinned to a digest: $image" ;; esac

step "the same app with listen denied never becomes ready"
deploy broken
if kubectl -n e2e rollout status deploy/todoapi-broken --timeout=90s; then fail "the app ran without listen"; fi
kubectl -n e2e delete deploy/todoapi-broken --wait=true

step "a pod cannot call the webhook"
if kubectl -n e2e run webhook-probe --image=busybox:1.36 --restart=Never --rm -i --labels=portcullis.dev/bind=disabled -- \
    wget -q -T 5 --no-check-certificate -O /dev/null https://portcullis-webhook.portcullis-system.svc/mutate-pods 2>/dev/null; then
  printf 'NOTE: a pod reached the webhook: this cluster'"'"'s CNI does not enforce NetworkPolicy\n'
else
  echo "refused"
fi

step "cluster status"
dotnet run --project "$repo/src/Runtime" -c Release -- status

profiles_left() {
  [ -n "${NODE_SHELL:-}" ] || { echo "NODE_SHELL unset: profile files on the nodes not checked"; return 0; }
  for node in $(kubectl get nodes -o jsonpath='{.items[*].metadata.name}'); do
    # shellcheck disable=SC2086 # NODE_SHELL is a command with its arguments
    left=$($NODE_SHELL "$node" sh -c 'ls -A /var/lib/kubelet/seccomp/portcullis 2>/dev/null || true')
    [ -z "$left" ] || fail "profiles left on $node: $left"
  done
}
step "uninstall with the bound pod still running, then reinstall right away"
kubectl delete -k "$overlay" --wait=true --timeout=180s || { kubectl get crd -l app.kubernetes.io/part-of=portcullis -o yaml | grep -A5 'conditions:'; fail "uninstall did not complete"; }
kubectl get mutatingwebhookconfiguration portcullis 2>/dev/null && fail "the webhook configuration is still there"
[ -z "$(kubectl get crd -l app.kubernetes.io/part-of=portcullis -o name)" ] || fail "CRDs left behind"
profiles_left
install
kubectl get seccompprofiles >/dev/null || fail "the reinstalled CRDs do not serve"

step "clean up"
kubectl delete namespace e2e --wait=true
kubectl delete -k "$overlay" --wait=true --timeout=180s
profiles_left
rm -rf "$overlay"
printf '\nPASS\n'
