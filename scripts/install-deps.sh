#!/usr/bin/env bash
# Installs (idempotently) the Debian packages the tests and the demo use: apparmor_parser (AppArmor profiles
# are compiled by the real parser), libseccomp2 (the syscall table is cross-checked against it; portcullis
# run loads profiles with it), runc and crun (generated profiles are run in real containers), bpftool (tests
# check our BTF reader against it; the product does not use it), docker-registry on loopback with htpasswd
# (apache2-utils) for the OCI client, skopeo and umoci for third-party images and interop, gcc for the native
# library the analyzer tests build, and for the kernel lab qemu (software emulation), busybox and cpio; then the
# lab's kernel and initramfs (scripts/kernel-lab.sh, cached by kernel version).
set -euo pipefail
packages=(apparmor libseccomp2 runc crun bpftool docker-registry skopeo umoci apache2-utils gcc libc6-dev qemu-system-x86 busybox-static cpio)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# crun refuses a hybrid cgroup layout while cgroup2 still offers controllers (here: hugetlb). Binding each
# such controller to a cgroup v1 hierarchy of its own takes it out of cgroup2. Idempotent.
unified=$(awk '{for (i = 7; i < NF; i++) if ($i == "-") { if ($(i + 1) == "cgroup2") print $5; break }}' /proc/self/mountinfo | head -n 1)
if [ -n "$unified" ] && [ "$unified" != /sys/fs/cgroup ]; then
  for controller in $(cat "$unified/cgroup.controllers"); do
    mkdir -p "/sys/fs/cgroup/$controller"
    mount -t cgroup -o "$controller" "$controller" "/sys/fs/cgroup/$controller" || echo "could not bind $controller to cgroup v1" >&2
  done
fi

bash "$(dirname "$0")/kernel-lab.sh" >/dev/null
