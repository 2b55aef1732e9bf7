#!/usr/bin/env bash
# Runs on a GPU host from the bundle built by build.sh (no Java needed): registers NVIDIA's OpenCL ICD if absent, then
# the stages named in $STAGES (default: all, in this order; each writes its own files to $OUT, or ./out):
#   tests    GPU kernel tests, tiled and direct products: every op against its reference on an OpenCL GPU
#   probe    what one kernel launch costs (LaunchProbe)
#   bench    LocalBench on gpu and java: samples/s of model (a) and the tiny model, per-op breakdown, JMH GFLOP/s
#   direct   the same on gpu with the direct conv/dense kernels instead of the default tiled ones
#   fit      3 whole MNIST epochs of model (a) on gpu: per-epoch speed and test accuracy (needs the bundle's mnist/)
#   pytorch  the PyTorch peer on the same GPU, speed and 3 epochs (when python3 with torch is installed)
#   course   the course's models (CIFAR GlobalMaxPooling2D, IMDB Conv1D, a MobileNet block; synthetic inputs) on gpu and
#            java, and PyTorch's versions of them on the same GPU
# One device call runs at most 10 minutes. DEADLINE=S (seconds from the start) caps every stage with `timeout` so the
# script returns inside S: a stage that would start with under 20 s left is skipped and says so; one cut short keeps
# the lines it printed (each line is one finished measurement). Stages run in the order above, most owed first.
#   [STAGES="..."] [DEADLINE=S] .bundle/run-gpu.sh [LocalBench options for the bench stage...]
set -uo pipefail
b=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out=${OUT:-$PWD/out}
stages=" ${STAGES:-tests probe bench direct fit pytorch course} "
mkdir -p "$out"
# Aparapi's library needs an OpenCL ICD loader (libOpenCL.so.1): the host's, else CUDA's, else the one the bundle
# carries. The loader finds NVIDIA's driver through /etc/OpenCL/vendors/nvidia.icd: written if absent, with the
# library's full path when the linker cache does not know it (driver folders mounted outside it).
if ! ldconfig -p 2>/dev/null | grep -q 'libOpenCL\.so\.1 '; then
  loader=$(find /usr/local/cuda*/targets/x86_64-linux/lib /usr/local/cuda*/lib64 -name libOpenCL.so.1 2>/dev/null | head -1)
  dir=${loader:+$(dirname "$loader")}
  export LD_LIBRARY_PATH=${dir:-$b/native}${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
fi
if [[ ! -e /etc/OpenCL/vendors/nvidia.icd && -w /etc ]]; then
  nv=libnvidia-opencl.so.1
  ldconfig -p 2>/dev/null | grep -q "$nv" \
    || nv=$(find /usr/local/nvidia /usr/lib/x86_64-linux-gnu /usr/lib64 -name "$nv" 2>/dev/null | head -1)
  [[ -n $nv ]] && mkdir -p /etc/OpenCL/vendors && echo "$nv" > /etc/OpenCL/vendors/nvidia.icd
fi
java=$b/jre/bin/java
export LD_PRELOAD=$b/jre/lib/libjsig.so   # keep the JVM's signal handlers if the OpenCL stack installs its own
jvm=(--add-modules=jdk.incubator.vector -XX:+UseG1GC -Xmx16g)
classes=$(find "$b/lib" -name '*.jar' ! -name 'junit-platform-console-standalone-*' | tr '\n' ':')
bench=(-cp "$classes" dev.cnnspark.worker.bench.LocalBench)
nvidia-smi -L 2>/dev/null | tee "$out/gpus.txt"
status=0
deadline=${DEADLINE:-0}
# run NAME [CAP]: true when stage NAME was asked for and time is left; sets lim, the seconds its next command may take
# (at most CAP when DEADLINE is set, so that one slow stage leaves time for the ones after it)
run() {
  [[ $stages == *" $1 "* ]] || return 1
  lim=100000
  (( deadline == 0 )) && return 0
  lim=$(( deadline - SECONDS ))
  local cap=${2:-0}
  (( cap > 0 && lim > cap )) && lim=$cap
  (( lim >= 20 )) && return 0
  echo "$1: skipped, ${lim}s left of DEADLINE=$deadline" | tee -a "$out/skipped.txt"
  return 1
}
if run tests 150; then
  # GPU_TEST_CLASS: one class only (e.g. dev.cnnspark.kernels.OpenClCpuOpsTest to try the bundle on PoCL)
  selected=(--select-class dev.cnnspark.kernels.OpenClGpuOpsTest --select-class dev.cnnspark.kernels.OpenClGpuDirectOpsTest)
  [[ -n ${GPU_TEST_CLASS:-} ]] && selected=(--select-class "$GPU_TEST_CLASS")
  timeout -k 5 "$lim" "$java" "${jvm[@]}" -jar "$b"/lib/junit-platform-console-standalone-*.jar execute --class-path "$classes" \
    "${selected[@]}" --details=tree --disable-banner 2>&1 | tee "$out/gpu-kernel-tests.txt"
  status=${PIPESTATUS[0]}
  echo "kernel tests exit $status"
fi
if run fit 240; then
  if [[ -d $b/mnist ]]; then
    timeout -k 5 "$lim" "$java" "${jvm[@]}" "${bench[@]}" --backends gpu --data "$b/mnist" --models mnist_cnn --skip-kernels --steps 40 \
      --warmup 15 --fit-epochs 3 2> "$out/fit.log" | tee "$out/gpu-fit.jsonl"
  else
    echo "fit: no $b/mnist in this bundle (build.sh copies it when it finds the MNIST files)" | tee "$out/gpu-fit.jsonl"
  fi
fi
if run pytorch 60; then
  if python3 -c 'import torch' 2>/dev/null; then
    timeout -k 5 "$lim" python3 "$b/pytorch_mnist_cnn.py" --device cuda --data "$b/mnist" --speed --optimizer adadelta --warmup 30 \
      --steps 200 2>&1 | tee "$out/pytorch.jsonl"
    [[ -d $b/mnist ]] && run pytorch 120 && timeout -k 5 "$lim" python3 "$b/pytorch_mnist_cnn.py" --device cuda --data "$b/mnist" --optimizer adadelta \
      --epochs 3 2>&1 | tee -a "$out/pytorch.jsonl"
  else
    echo "pytorch: python3 with torch is not installed on this host" | tee "$out/pytorch.jsonl"
  fi
fi
if run probe 40; then
  timeout -k 5 "$lim" "$java" "${jvm[@]}" -cp "$classes" dev.cnnspark.kernels.bench.LaunchProbe gpu 5000 2>&1 | tee "$out/launch-probe.txt"
fi
if run bench 180; then
  args=("$@")
  # kernels through JMH: one fork per case, 2 warm-up and 3 measured iterations of 1 s (about 3 minutes per backend)
  [[ ${#args[@]} -eq 0 ]] && args=(--backends gpu,java --data synthetic --models mnist_cnn,tiny_cnn --kernel-warmup 2
    --kernel-iterations 3)
  timeout -k 5 "$lim" "$java" "${jvm[@]}" "${bench[@]}" "${args[@]}" 2> "$out/bench.log" | tee "$out/gpu-bench.jsonl"
fi
if run direct 180; then
  # the "device" field of every line says which products ran
  timeout -k 5 "$lim" "$java" "${jvm[@]}" -Dcnnspark.opencl.products=direct "${bench[@]}" --backends gpu --data synthetic \
    --models mnist_cnn,tiny_cnn --kernel-warmup 2 --kernel-iterations 3 2> "$out/bench-direct.log" \
    | tee "$out/gpu-bench-direct.jsonl"
fi
if run course; then
  models=${COURSE_MODELS:-cifar_gmp,imdb_conv1d,mobilenet_block}
  timeout -k 5 "$lim" "$java" "${jvm[@]}" "${bench[@]}" --backends ${COURSE_BACKENDS:-gpu,java} --data synthetic --models "$models" \
    --skip-kernels --warmup 5 --steps 20 2> "$out/course.log" | tee "$out/course-bench.jsonl"
  if python3 -c 'import torch' 2>/dev/null; then
    for m in ${models//,/ }; do
      run course && timeout -k 5 "$lim" python3 "$b/pytorch_course.py" --model "$m" --device "${COURSE_TORCH_DEVICE:-cuda}" --warmup 5 --steps 20 2>&1 \
        | tee -a "$out/course-pytorch.jsonl"
    done
  else
    echo "course: python3 with torch is not installed on this host" | tee "$out/course-pytorch.jsonl"
  fi
fi
echo "results in $out"
exit "$status"
