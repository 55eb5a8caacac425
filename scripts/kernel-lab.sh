#!/usr/bin/env bash
# The kernel lab's files: Debian's own kernel (linux-image-amd64's current image, unpacked with dpkg -x, never
# installed as this machine's kernel) and a busybox initramfs that loads the 9p modules in dependency order,
# mounts this machine's / read-only over virtio-9p and a writable share at /mnt, mounts proc, sys, dev,
# securityfs, cgroup2 and tmpfs for /tmp and /run, the checkout at its own path (portcullis.checkout= on the kernel
# command line; a checkout under /tmp would be hidden otherwise), then switch_roots (AppArmor mediates paths relative to the
# namespace root, so not chroot), brings up loopback and runs /mnt/command.sh; its output goes to /mnt/output, its exit status
# to /mnt/status, and the VM powers off. Cached by kernel version; prints the directory holding
# vmlinuz and initrd.gz.
#
# usage: scripts/kernel-lab.sh [cache directory]   (needs qemu-system-x86, busybox-static, cpio: scripts/install-deps.sh)
set -euo pipefail
cache=${1:-/var/cache/portcullis/kernel-lab}
package=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/{print $2; exit}')
if [ -z "$package" ]; then
  apt-get update -qq
  package=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/{print $2; exit}')
fi
version=${package#linux-image-}
# The layout number changes whenever the initramfs below does, so a cached one of an older layout is not used.
layout=2
dir="$cache/$version-$layout"
if [ -f "$dir/vmlinuz" ] && [ -f "$dir/initrd.gz" ]; then
  echo "$dir"
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get download -q "$package" >/dev/null 2>&1 && dpkg -x ./*.deb unpacked)
modules=(virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci netfs fscache 9pnet 9pnet_virtio 9p)
root="$work/initramfs"
mkdir -p "$root"/{bin,dev,proc,sys,newroot,modules}
cp /bin/busybox "$root/bin/busybox"
for m in "${modules[@]}"; do
  f=$(find "$work/unpacked/lib/modules" -name "$m.ko" | head -n 1)
  [ -n "$f" ] && cp "$f" "$root/modules/"
done
cat > "$root/init" <<INIT
#!/bin/busybox sh
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sys /sys
/bin/busybox mount -t devtmpfs dev /dev
/bin/busybox ip link set lo up
for m in ${modules[*]}; do [ -f /modules/\$m.ko ] && /bin/busybox insmod /modules/\$m.ko; done
if ! /bin/busybox mount -t 9p -o trans=virtio,version=9p2000.L,ro host /newroot; then echo "PORTCULLIS-VM: cannot mount the host"; /bin/busybox poweroff -f; fi
/bin/busybox mount -t 9p -o trans=virtio,version=9p2000.L share /newroot/mnt
/bin/busybox mount -t proc proc /newroot/proc
/bin/busybox mount -t sysfs sys /newroot/sys
/bin/busybox mount -t devtmpfs dev /newroot/dev
/bin/busybox mount -t securityfs securityfs /newroot/sys/kernel/security
/bin/busybox mount -t cgroup2 cgroup2 /newroot/sys/fs/cgroup
/bin/busybox mount -t tmpfs tmp /newroot/tmp
/bin/busybox mount -t tmpfs run /newroot/run
# The checkout the tests run from, at its own path: under /tmp or /run the tmpfs above would hide it.
checkout=\$(/bin/busybox sed -n 's/.*portcullis.checkout=\\([^ ]*\\).*/\\1/p' /proc/cmdline)
if [ -n "\$checkout" ]; then
  /bin/busybox mkdir -p "/newroot\$checkout"
  /bin/busybox mount -t 9p -o trans=virtio,version=9p2000.L,ro checkout "/newroot\$checkout" || echo "PORTCULLIS-VM: cannot mount the checkout at \$checkout"
fi
exec /bin/busybox switch_root /newroot /bin/sh -c 'HOME=/tmp /bin/sh /mnt/command.sh > /mnt/output 2>&1; echo \$? > /mnt/status; echo o > /proc/sysrq-trigger'
INIT
chmod +x "$root/init" "$root/bin/busybox"
mkdir -p "$dir.tmp"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1 > "$dir.tmp/initrd.gz")
cp "$work/unpacked/boot/vmlinuz-$version" "$dir.tmp/vmlinuz"
rm -rf "$dir" && mv "$dir.tmp" "$dir"
echo "$dir"
