#!/usr/bin/env bash
# Runs on a GPU host from the bundle built by build.sh (no Java needed): registers NVIDIA's OpenCL ICD if absent,
# runs the GPU kernel tests (every op against its reference, device asserted to be an OpenCL GPU) and the GPU
# benchmark (training samples/s of model (a) and the tiny model, per-op breakdown, kernel GFLOP/s through JMH), with
# the default tiled conv/dense kernels and again with the direct ones.
# Results go to $OUT (or ./out).
#   .bundle/run-gpu.sh [--backends gpu,java] [LocalBench options...]
set -uo pipefail
b=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out=${OUT:-$PWD/out}
mkdir -p "$out"
if [[ ! -e /etc/OpenCL/vendors/nvidia.icd && -w /etc ]]; then
  mkdir -p /etc/OpenCL/vendors && echo libnvidia-opencl.so.1 > /etc/OpenCL/vendors/nvidia.icd
fi
java=$b/jre/bin/java
export LD_PRELOAD=$b/jre/lib/libjsig.so   # keep the JVM's signal handlers if the OpenCL stack installs its own
jvm=(--add-modules=jdk.incubator.vector -XX:+UseG1GC -Xmx16g)
classes=$(find "$b/lib" -name '*.jar' ! -name 'junit-platform-console-standalone-*' | tr '\n' ':')
nvidia-smi -L 2>/dev/null | tee "$out/gpus.txt"
# the default tiled products and the direct ones, both against the references (GPU_TEST_CLASS: one class only)
selected=(--select-class dev.cnnspark.kernels.OpenClGpuOpsTest --select-class dev.cnnspark.kernels.OpenClGpuDirectOpsTest)
[[ -n ${GPU_TEST_CLASS:-} ]] && selected=(--select-class "$GPU_TEST_CLASS")
"$java" "${jvm[@]}" -jar "$b"/lib/junit-platform-console-standalone-*.jar execute --class-path "$classes" \
  "${selected[@]}" --details=tree --disable-banner 2>&1 | tee "$out/gpu-kernel-tests.txt"
tests=${PIPESTATUS[0]}
# what one launch costs: the device kernel (~60 arguments) against a one-array kernel and one with 64 ints
"$java" "${jvm[@]}" -cp "$classes" dev.cnnspark.kernels.bench.LaunchProbe gpu 5000 2>&1 | tee "$out/launch-probe.txt"
args=("$@")
# kernels through JMH: one fork per case, 2 warm-up and 3 measured iterations of 1 s (about 3 minutes per backend)
[[ ${#args[@]} -eq 0 ]] && args=(--backends gpu,java --data synthetic --models mnist_cnn,tiny_cnn --kernel-warmup 2
  --kernel-iterations 3)
"$java" "${jvm[@]}" -cp "$classes" dev.cnnspark.worker.bench.LocalBench "${args[@]}" 2> "$out/bench.log" \
  | tee "$out/gpu-bench.jsonl"
# the same on the GPU with the direct conv/dense kernels instead of the default tiled ones (their "device" field
# says which), unless the caller passed their own options: which products win is measured per device
if [[ $# -eq 0 ]]; then
  "$java" "${jvm[@]}" -Dcnnspark.opencl.products=direct -cp "$classes" dev.cnnspark.worker.bench.LocalBench \
    --backends gpu --data synthetic --models mnist_cnn,tiny_cnn --kernel-warmup 2 --kernel-iterations 3 \
    2> "$out/bench-direct.log" | tee "$out/gpu-bench-direct.jsonl"
fi
echo "kernel tests exit $tests; results in $out"
exit "$tests"
