#!/usr/bin/env bash
# Packs what the GPU check needs into device/bundle/ (git-ignored, under 64 MiB): the CUDA build's
# programs and GPU tests (stripped), Open MPI's and PMIx's plugins, the PyTorch peer benchmarks,
# the Debian libraries they load except LibTorch/CUDA/NCCL
# (the GPU machine's PyTorch 2.11 wheel provides those), this machine's glibc and loader (so
# the programs run on an older distribution), and tiny synthetic shards to train on (that
# machine has no OpenCV to make them). au_infer is bundled as au_infer_shards (the same program
# reading shards only: OpenCV's dependencies would not fit). Then jobs/device/rehearse.sh here, and
# device/bundle/gpu_check.sh on the GPU machine.
# Usage: jobs/device/pack.sh
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../common.sh"
bundle=$AU_REPO/device/bundle
programs=(au_train au_bench_train au_bench_infer au_infer_shards au_buildinfo gpu_test train_torch_test distributed_test loader_test)
au_build au_train_app au_bench_train au_bench_infer au_infer_shards au_buildinfo gpu_test train_torch_test distributed_test loader_test au_synth au_prep > /dev/null
grep -q "AU_WITH_NCCL:INTERNAL=ON\|AU_WITH_NCCL.*=ON" "$AU_BUILD/CMakeCache.txt" 2> /dev/null \
  || "$AU_BIN/au_buildinfo" 2>/dev/null | grep -q "NCCL compiled: yes" \
  || { echo "pack: this build has no NCCL; the GPU check needs the CUDA build" >&2; exit 1; }

rm -rf "$bundle"
mkdir -p "$bundle/bin" "$bundle/lib"
for p in "${programs[@]}"; do
  strip --strip-debug -o "$bundle/bin/$p" "$AU_BIN/$p"
done
# Open MPI and PMIx load plugins at run time from their compiled-in folders, where another
# distribution keeps its own, incompatible ones: carry ours (gpu_check.sh points both at them).
# Fabric plugins (UCX, libfabric, PSM, verbs) and OpenSHMEM's stay behind: one node, shared memory.
ompi_plugins=$(ompi_info --path pkglibdir --parsable | sed 's/.*://')
pmix_library=$(ldconfig -p | awk '/libpmix\.so\.2 / && !found {print $NF; found = 1}')
[ -n "$pmix_library" ] || { echo "pack: no libpmix.so.2 here (Debian's libpmix2, which Open MPI uses)" >&2; exit 1; }
pmix_plugins=$(dirname "$(readlink -f "$pmix_library")")/pmix
mkdir -p "$bundle/openmpi/plugins" "$bundle/openmpi/etc" "$bundle/pmix/plugins"
for plugin in "$ompi_plugins"/mca_*.so "$pmix_plugins"/*.so; do
  case $(basename "$plugin") in
    *ucx* | *ofi* | *psm* | *openib* | *_uct* | mca_atomic_* | mca_memheap_* | mca_scoll_* | mca_spml_* | mca_sshmem_*) continue ;;
  esac
  dest=$bundle/openmpi/plugins
  [ "$(dirname "$plugin")" = "$pmix_plugins" ] && dest=$bundle/pmix/plugins
  cp -L "$plugin" "$dest/"
done
cp -r "$(ompi_info --path pkgdatadir --parsable | sed 's/.*://')" "$bundle/openmpi/share"
cp -r "$(dirname "$pmix_plugins")/../share/pmix" "$bundle/pmix/share"
cat > "$bundle/openmpi/etc/openmpi-mca-params.conf" << 'CONF'
# The bundle's Open MPI: one node, shared memory and TCP only (no fabric plugins were carried).
btl = self,vader,tcp
pml = ob1
mca_base_component_show_load_errors = 0
btl_base_warn_component_unused = 0
CONF
# Every library the programs and plugins load, minus what the GPU machine's torch wheel brings.
for p in "${programs[@]/#/$AU_BIN/}" "$bundle"/openmpi/plugins/*.so "$bundle"/pmix/plugins/*.so; do ldd "$p"; done |
  awk '$3 ~ /^\// {print $3}' | sort -u |
  grep -vE "/torch/lib/|/nvidia/|libcuda\.so|libcudart\.so|libnccl\.so" |
  while read -r lib; do cp -L "$lib" "$bundle/lib/"; done
cp -L /lib64/ld-linux-x86-64.so.2 "$bundle/lib/"

echo "pack: tiny synthetic shards"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$AU_BIN/au_synth" --synth.out "$tmp/data" --synth.seed 3 --synth.train_videos 2 --synth.validation_videos 1 \
  --synth.test_videos 1 --synth.min_frames 80 --synth.max_frames 90 > /dev/null
# Uncompressed, as au_prep writes by default: gzip'd shards read at about 1,000 random images/s
# on one HDF5 thread, which au_train on a GPU would measure instead of its step. Few frames:
# the bundle must stay under the 64 MiB a device call carries.
au_launch 1 "$AU_BIN/au_prep" --data.root "$tmp/data" --prep.out "$bundle/shards" > /dev/null 2>&1
cp "$AU_REPO/jobs/device/gpu_check.sh" "$AU_REPO/jobs/device/compare_submissions.py" "$AU_REPO/jobs/device/compare_runs.py" "$AU_REPO/src/predict/bench/make_spec.py" "$bundle/"
# The PyTorch peers, in the repo's layout (they import the reference model from tests/model).
for f in src/train/bench/train_bench.py src/predict/bench/infer_bench.py tests/model/au_net_reference.py tests/model/iresnet_reference.py \
  tests/model/peer_device.py; do
  mkdir -p "$bundle/peer/$(dirname "$f")"
  cp "$AU_REPO/$f" "$bundle/peer/$f"
done
du -sh "$bundle"
echo "pack: carry device/bundle and run: bash device/bundle/gpu_check.sh"
