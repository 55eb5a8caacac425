#!/usr/bin/env bash
# Builds a small container base image from this machine's own files, without the internet, as an OCI
# layout (umoci). runtime-deps: what a self-contained .NET app needs (libc, libstdc++, libgcc_s, zlib,
# OpenSSL, ICU, CA certificates, time zones, an unprivileged "app" user). aspnet: the same plus the dotnet host and
# the Microsoft.NETCore.App and Microsoft.AspNetCore.App shared runtimes, for framework-dependent apps.
#
# usage: scripts/base-image.sh runtime-deps|aspnet LAYOUT_DIR TAG
set -euo pipefail
kind=${1:?runtime-deps or aspnet} layout=${2:?OCI layout directory} tag=${3:?tag}
case "$kind" in runtime-deps|aspnet) ;; *) echo "unknown kind '$kind' (runtime-deps or aspnet)" >&2; exit 2 ;; esac

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
# mktemp makes 0700; this directory becomes the image's /, which the unprivileged app user must traverse.
chmod 0755 "$root"

cache=$(ldconfig -p)
libs=(libc.so.6 libm.so.6 libdl.so.2 libpthread.so.0 librt.so.1 libstdc++.so.6 libgcc_s.so.1 libz.so.1 libssl.so.3 libcrypto.so.3 libicuuc.so.72 libicui18n.so.72 libicudata.so.72)
for lib in "${libs[@]}"; do
  path=$(awk -v lib="$lib" '$1 == lib && /x86-64/ { print $NF; exit }' <<< "$cache")
  if [ -z "$path" ]; then echo "base-image: $lib is not installed on this machine" >&2; exit 1; fi
  mkdir -p "$root$(dirname "$path")"
  cp -L "$path" "$root$path"
done
# The ELF interpreter every dynamically linked program names.
mkdir -p "$root/lib64"
cp -L /lib64/ld-linux-x86-64.so.2 "$root/lib64/ld-linux-x86-64.so.2"

mkdir -p "$root/etc/ssl/certs" "$root/tmp" "$root/app"
chmod 1777 "$root/tmp"
cp -L /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/ca-certificates.crt"
# Time zones, as Microsoft's Debian-based images ship tzdata.
mkdir -p "$root/usr/share"
cp -a /usr/share/zoneinfo "$root/usr/share/zoneinfo"
printf 'root:x:0:0:root:/root:/sbin/nologin\napp:x:1654:1654:app:/app:/sbin/nologin\n' > "$root/etc/passwd"
printf 'root:x:0:\napp:x:1654:\n' > "$root/etc/group"

if [ "$kind" = aspnet ]; then
  dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")")
  mkdir -p "$root/usr/share/dotnet/shared" "$root/usr/bin"
  cp -a "$dotnet_root/dotnet" "$dotnet_root/host" "$root/usr/share/dotnet/"
  cp -a "$dotnet_root/shared/Microsoft.NETCore.App" "$dotnet_root/shared/Microsoft.AspNetCore.App" "$root/usr/share/dotnet/shared/"
  ln -s /usr/share/dotnet/dotnet "$root/usr/bin/dotnet"
fi

[ -f "$layout/index.json" ] || umoci init --layout "$layout"
umoci new --image "$layout:$tag"
umoci insert --image "$layout:$tag" "$root" /
umoci config --image "$layout:$tag" --os linux --architecture amd64 --config.workingdir /app \
  --config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  --config.env DOTNET_RUNNING_IN_CONTAINER=true --config.env APP_UID=1654
echo "base-image: $kind -> $layout:$tag"
