#!/usr/bin/env bash
# Rehearses the GPU bundle here, before any device time: runs device/bundle/gpu_check.sh on the
# CPU inside a root filesystem of another distribution (Debian trixie: glibc 2.41, Open MPI 5 with
# its own plugins at the default path, as on the GPU machine), so a bundle that leans on anything
# of the host but the torch wheel fails here first. The project's .venv (its torch) and the
# interpreter behind it are bind-mounted at their own paths, as the machine's torch would be.
# Needs root, debootstrap and Debian's archive (the root is made once, about a minute).
# Usage: jobs/device/rehearse.sh        (after jobs/device/pack.sh; logs in out/rehearsal/)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../common.sh"
root=${AU_REHEARSAL_ROOT:-/var/tmp/au_trixie}
bundle=$AU_REPO/device/bundle
out=$AU_REPO/out/rehearsal
[ -x "$bundle/gpu_check.sh" ] || { echo "rehearse: no bundle at $bundle: run jobs/device/pack.sh first" >&2; exit 1; }
if [ ! -x "$root/usr/bin/mpirun" ]; then
  command -v debootstrap > /dev/null || { apt-get update -q > /dev/null && apt-get install -y -q debootstrap > /dev/null; }
  echo "rehearse: making a Debian trixie root with openmpi-bin in $root"
  debootstrap --variant=minbase --include=openmpi-bin,python3 trixie "$root" http://deb.debian.org/debian > "$root.log" 2>&1 \
    || { tail -5 "$root.log"; exit 1; }
fi
# The GPU machine keeps its own Open MPI's plugins where Debian 12's Open MPI looks by default.
plugins=$root/usr/lib/x86_64-linux-gnu/openmpi/lib
[ -e "$plugins/openmpi3" ] || ln -s "$(basename "$(ls -d "$plugins"/openmpi[0-9]* | head -1)")" "$plugins/openmpi3"
python_home=$(dirname "$(dirname "$(readlink -f "$AU_REPO/.venv/bin/python")")")
rm -rf "$out"
mkdir -p "$out"
# A private mount namespace: the binds vanish with it.
unshare -m bash -euo pipefail -c '
  root=$1 repo=$2 python_home=$3 out=$4
  for d in "$repo" "$python_home" "$out"; do mkdir -p "$root$d"; mount --bind "$d" "$root$d"; done
  mount -t proc proc "$root/proc"
  mount --rbind /sys "$root/sys"
  mount --rbind /dev "$root/dev"
  chroot "$root" env -i PATH=/usr/bin:/bin HOME=/root OUT="$out" AU_GPU_PYTHON="$repo/.venv/bin/python" \
    AU_CHECK_DEVICE=cpu AU_CHECK_STAGES="${AU_CHECK_STAGES:-}" bash "$repo/device/bundle/gpu_check.sh"
' rehearse "$root" "$AU_REPO" "$python_home" "$out"
