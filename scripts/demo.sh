#!/usr/bin/env bash
# The main job on a sample, as a user runs it: Portcullis.Build packed into a folder feed; samples/Inventory
# (an ASP.NET Core API over SQLite, tested in memory with WebApplicationFactory) and its tests copied out
# into a solution of their own that references the package; `dotnet publish -t:PublishContainer` to a
# registry on loopback. Prints the report, the profiles attached to the pushed image and the image's label.
#
# usage: bash scripts/demo.sh [work directory]   (root; installs its Debian packages like .ci/run)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-$(mktemp -d /tmp/portcullis-demo-XXXXXX)}
mkdir -p "$work"
bash "$repo/scripts/install-deps.sh"

version="0.1.0-demo.$(date +%s)"
echo "== packing Portcullis.Build $version"
dotnet pack "$repo/src/Tasks/Portcullis.Build.csproj" -c Release -o "$work/feed" -p:Version="$version" -nologo -v q

echo "== a registry on loopback, and a base image built from this machine's files"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$work/registry"
printf 'version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: %s\nhttp:\n  addr: 127.0.0.1:%s\n' "$work/registry/data" "$port" > "$work/registry/config.yml"
docker-registry serve "$work/registry/config.yml" > "$work/registry/log" 2>&1 &
registry_pid=$!
trap 'kill $registry_pid 2>/dev/null || true' EXIT
registry=127.0.0.1:$port
for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
cache="$HOME/.cache/portcullis/base-images/demo-aspnet"
[ -f "$cache/index.json" ] || bash "$repo/scripts/base-image.sh" aspnet "$cache" aspnet
skopeo copy -q --dest-tls-verify=false "oci:$cache:aspnet" "docker://$registry/base/aspnet:1"

echo "== the sample, as a solution of its own referencing the package"
app="$work/app"
bash "$repo/scripts/user-workspace.sh" Inventory "$work/feed" "$version" "$app"

echo "== dotnet publish -t:PublishContainer"
(cd "$app" && DOTNET_CONTAINER_INSECURE_REGISTRIES=$registry dotnet publish Inventory -t:PublishContainer -c Release -nologo \
  -p:ContainerBaseImage=$registry/base/aspnet:1 -p:ContainerRegistry=$registry -p:ContainerRepository=demo/inventory \
  -p:ContainerImageTag=1.0 -p:ContainerRuntimeIdentifier=linux-x64)

out="$app/Inventory/bin/Release/net10.0/publish/portcullis"
echo "== $out"
ls -l "$out"
sed -n '1,12p' "$out/report.md"
echo "== the profiles attached to $registry/demo/inventory:1.0"
dotnet exec "$HOME/.nuget/packages/portcullis.build/$version/tools/portcullis/portcullis.dll" discover "$registry/demo/inventory:1.0"
echo "== the image's io.containers.seccomp.profile label (first 200 bytes)"
skopeo inspect --tls-verify=false --config "docker://$registry/demo/inventory:1.0" | python3 -c 'import json,sys; print(json.load(sys.stdin)["config"]["Labels"]["io.containers.seccomp.profile"][:200])'
