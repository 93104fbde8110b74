#!/usr/bin/env bash
# The proof that the .deb works on a machine that never saw the source tree. It builds the package, makes
# a clean Debian 12 root with debootstrap (cached between runs), installs the package there with apt
# (Depends only: no Recommends), and uses it as a person would:
#   - maas --version, maas-serve --help, the workbench offscreen to a screenshot (English with Depends
#     only, then Chinese with the recommended font);
#   - a model made with `maas new`, published with `maas publish` to maas-serve running as the service's
#     own user on its packaged folders, and listed there;
#   - an upgrade, a removal and a purge, checking that the user's library and settings always stay and
#     that only the purge deletes /var/lib/maas and /etc/default/maas-serve.
# Run as root, after scripts/build.sh, with Debian's archive reachable. Not part of CI (several minutes,
# and debootstrap). Usage: installers/try-package.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
build=$(realpath "${1:-build}")
out=$build/try-package
base=${MAAS_PACKAGE_BASE:-/var/tmp/maas-package-base}
root=${MAAS_PACKAGE_ROOT:-/var/tmp/maas-package-root}
mirror=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
mirror=${mirror:-http://deb.debian.org/debian}
[[ $(id -u) -eq 0 ]] || { echo "try-package: run as root (debootstrap and chroot need it)." >&2; exit 1; }
command -v debootstrap >/dev/null || apt-get install -y -qq debootstrap >/dev/null

step() { printf '\n== %s\n' "$*"; }
fail() { echo "try-package: FAILED: $*" >&2; exit 1; }
inroot() { chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
  DEBIAN_FRONTEND=noninteractive bash -c "$1"; }
asalice() { inroot "runuser -u alice -- env HOME=/home/alice QT_QPA_PLATFORM=offscreen $1"; }

step "building the package"
rm -rf "$out" && mkdir -p "$out"
cpack --config "$build/CPackConfig.cmake" -G DEB -B "$out" >"$out/cpack.log"
deb=$(ls "$out"/maas-workbench_*_amd64.deb)
version=$(dpkg-deb -f "$deb" Version)
echo "$deb ($(du -h "$deb" | cut -f1))"

if [[ ! -f $base/.done ]]; then
  step "making a clean Debian 12 root (once)"
  rm -rf --one-file-system "$base"
  debootstrap --variant=minbase bookworm "$base" "$mirror" >"$out/debootstrap.log" 2>&1 \
    || fail "debootstrap: see $out/debootstrap.log"
  touch "$base/.done"
fi
unmount() { for m in proc sys dev; do umount -R "$root/$m" 2>/dev/null || true; done; }
unmount
grep -q " $root/" /proc/mounts && fail "something is still mounted under $root"
rm -rf --one-file-system "$root" && cp -a "$base" "$root"
cp /etc/resolv.conf "$root/etc/resolv.conf"
mount -t proc proc "$root/proc"; mount --rbind /dev "$root/dev"; mount --make-rslave "$root/dev"
mount -t sysfs sys "$root/sys"
trap unmount EXIT

# The same package as a newer version, to try the upgrade path (the maintainer scripts see "configure
# OLD_VERSION").
mkdir -p "$out/newer" && dpkg-deb -R "$deb" "$out/newer/tree"
sed -i "s/^Version: .*/Version: $version+1/" "$out/newer/tree/DEBIAN/control"
dpkg-deb -b --root-owner-group "$out/newer/tree" "$out/newer/maas-workbench_${version}+1_amd64.deb" >/dev/null
cp "$deb" "$out/newer/maas-workbench_${version}+1_amd64.deb" "$root/tmp/"

step "apt install ./$(basename "$deb") (no Recommends) where /var/lib/maas is another program's"
# Canonical's MAAS keeps its data in /var/lib/maas too: the package must refuse it, not take it over
# (a purge would delete it).
inroot "mkdir -p /var/lib/maas/other && echo precious >/var/lib/maas/other/data"
if inroot "apt-get update -qq && apt-get install -y -qq --no-install-recommends /tmp/$(basename "$deb")" \
  >"$out/apt-install.log" 2>&1; then
  fail "the package took over a /var/lib/maas that belongs to root"
fi
grep "belongs to root" "$out/apt-install.log" || fail "no sentence about /var/lib/maas: see $out/apt-install.log"
[[ $(cat "$root/var/lib/maas/other/data") == precious && $(inroot "stat -c %U /var/lib/maas") == root ]] \
  || fail "the other program's /var/lib/maas was changed"
inroot "mv /var/lib/maas /var/lib/maas.other && dpkg --configure -a" >>"$out/apt-install.log" 2>&1 \
  || fail "configuring after the folder moved away: see $out/apt-install.log"
echo "refused, then configured once the folder was moved away"

step "the programs"
inroot "maas --version && maas-serve --help | head -3 && maas-workbench --version"
inroot "useradd --create-home --shell /bin/bash alice"
asalice "maas-workbench --screenshot /tmp/workbench.png" || fail "the workbench did not start"
# What apt installs by default beside Depends: the Chinese font, Qt's translations, the sample data.
recommends=$(dpkg-deb -f "$deb" Recommends | tr ',' '\n' | sed 's/|.*//' | xargs)
inroot "apt-get install -y -qq --no-install-recommends $recommends" >"$out/apt-recommends.log" 2>&1 \
  || fail "installing the recommended packages: see $out/apt-recommends.log"
asalice "MAAS_LANGUAGE=zh_CN maas-workbench --screenshot /tmp/workbench-zh_CN.png" || fail "the workbench (zh_CN)"
cp "$root/tmp/workbench.png" "$root/tmp/workbench-zh_CN.png" "$out/"
echo "screenshots: $out/workbench.png $out/workbench-zh_CN.png"
library="/home/alice/.local/share/MaaS Workbench/MaaS Workbench/library"
[[ -d $root$library ]] || fail "the workbench made no library at $library"

# The inspector lays graphs out with Graphviz's dot plugin, which libgvc6's postinst registers.
[[ -s $root/usr/lib/x86_64-linux-gnu/graphviz/config6a ]] || fail "Graphviz's plugins are not registered"

step "the service's user and folders"
inroot "getent passwd maas-serve && stat -c '%U:%G %a %n' /var/lib/maas /var/lib/maas/repository && cat /etc/default/maas-serve | tail -1"
[[ $(inroot "stat -c '%U %a' /var/lib/maas") == "maas-serve 750" ]] || fail "/var/lib/maas is not maas-serve's alone"
token=$(inroot "runuser -u maas-serve -- maas-serve token add --tokens /var/lib/maas/tokens --id admin --scope repository,infer,admin" | tail -1 | awk '{print $NF}')
[[ $(inroot "stat -c '%U %a' /var/lib/maas/tokens") == "maas-serve 600" ]] || fail "the tokens file is readable by others"

step "publish to maas-serve running as the user maas on the packaged folders"
inroot "runuser -u maas-serve -- bash -c 'echo \$\$ >/tmp/serve.pid; exec maas-serve --repository /var/lib/maas/repository --tokens /var/lib/maas/tokens --port 8000' >/tmp/serve.log 2>&1 &"
asalice "maas new --arch mlp --classes 3 --input-shape 4 -o /home/alice/iris.pt"
asalice "bash -c 'echo $token | maas endpoint add service http://127.0.0.1:8000 --token-stdin'"
for _ in $(seq 50); do inroot "grep -q listening /tmp/serve.log" && break; sleep 0.2; done
asalice "maas publish /home/alice/iris.pt --to service --name iris" || { cat "$root/tmp/serve.log"; fail "publish"; }
asalice "maas remote list --on service" | tee "$out/remote-list.txt"
grep -q iris "$out/remote-list.txt" || fail "the published model is not listed"
inroot 'kill -TERM "$(cat /tmp/serve.pid)"; sleep 1'

step "upgrade to $version+1: the user's library and the service's data stay"
inroot "echo '# edited by the administrator' >> /etc/default/maas-serve"
inroot "apt-get install -y -qq /tmp/maas-workbench_${version}+1_amd64.deb" >"$out/apt-upgrade.log" 2>&1 \
  || fail "upgrade: see $out/apt-upgrade.log"
inroot "dpkg-query -W maas-workbench"
[[ -d $root$library && -f $root/home/alice/.config/maas/endpoints.json ]] || fail "the upgrade lost the user's data"
[[ -f $root/var/lib/maas/tokens && -d $root/var/lib/maas/repository/iris ]] || fail "the upgrade lost /var/lib/maas"
grep -q "edited by the administrator" "$root/etc/default/maas-serve" || fail "the upgrade overwrote /etc/default/maas-serve"

step "remove: the programs go, every piece of data stays"
inroot "apt-get remove -y -qq maas-workbench" >"$out/apt-remove.log" 2>&1 || fail "remove: see $out/apt-remove.log"
[[ ! -e $root/usr/bin/maas ]] || fail "maas is still there after removal"
[[ -d $root$library && -d $root/var/lib/maas/repository/iris && -f $root/etc/default/maas-serve ]] \
  || fail "removing the package deleted data"

step "purge: /var/lib/maas and /etc/default/maas-serve go, the user's library stays"
inroot "apt-get purge -y -qq maas-workbench" >"$out/apt-purge.log" 2>&1 || fail "purge: see $out/apt-purge.log"
[[ ! -e $root/var/lib/maas && ! -e $root/etc/default/maas-serve ]] || fail "purge left the service's data"
[[ -d $root$library ]] || fail "purge deleted the user's library"
[[ -f $root/var/lib/maas.other/other/data ]] || fail "purge deleted another program's data"

step "all passed: the package installs, runs, upgrades, removes and purges as it should"
