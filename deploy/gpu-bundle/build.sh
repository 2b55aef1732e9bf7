#!/usr/bin/env bash
# Builds a self-contained bundle for GPU hosts without Java: a jlink-ed JRE (~41 MB) plus the jars that run the GPU
# kernel tests and the single-node benchmark (no Spark or Hadoop), with run-gpu.sh, the PyTorch peer script and
# MNIST. Default output: .bundle/ in the checkout (git-ignored; name it in the device tool's `carry`). Size stays
# under 64 MiB (~63 MB with MNIST).
#   deploy/gpu-bundle/build.sh [OUT_DIR]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
out=${1:-$root/.bundle}
cd "$root"
mvn -q -DskipTests install -pl kernels,worker -am
rm -rf "$out" && mkdir -p "$out/lib"
# java.sql: Jackson's optional java.sql types; jdk.management: the benchmark's memory readings
jlink --add-modules java.base,java.logging,java.management,jdk.management,jdk.unsupported,java.xml,java.sql,java.net.http,jdk.incubator.vector \
  --strip-debug --compress=2 --no-header-files --no-man-pages --output "$out/jre" 2>/dev/null
cp_file=$(mktemp)
mvn -q dependency:build-classpath -pl worker -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=test
tr ':' '\n' < "$cp_file" | while read -r jar; do
  case "$jar" in
    */aparapi-jni-*.jar)
      # 19 MB of mostly Windows/macOS libraries: keep the loader classes and the Linux x86-64 library only
      tmp=$(mktemp -d)
      (cd "$tmp" && unzip -q "$jar" 'com/*' 'META-INF/MANIFEST.MF' 'linux/libaparapi_x86_64.so' \
        && jar --create --file "$out/lib/aparapi-jni-linux-x86_64.jar" --manifest META-INF/MANIFEST.MF com linux)
      rm -rf "$tmp" ;;
    */opentest4j-*|*/junit-*|*/apiguardian-*) ;;   # inside the console launcher
    *.jar) cp "$jar" "$out/lib/" ;;
  esac
done
rm -f "$cp_file"
cp kernels/target/cnnspark-kernels-*-SNAPSHOT.jar kernels/target/cnnspark-kernels-*-tests.jar "$out/lib/"
cp worker/target/cnnspark-worker-*-SNAPSHOT.jar "$out/lib/"
mvn -q dependency:copy -Dartifact=org.junit.platform:junit-platform-console-standalone:1.11.4 -DoutputDirectory="$out/lib"
# an OpenCL ICD loader (69 KB) for hosts that have NVIDIA's driver but no loader; run-gpu.sh uses it only then
loader=$(ldconfig -p | awk '/libOpenCL\.so\.1 .*x86-64/ {print $NF; exit}')
if [[ -n $loader ]]; then
  mkdir -p "$out/native" && cp -L "$loader" "$out/native/libOpenCL.so.1"
else
  echo "no OpenCL ICD loader here (ocl-icd-libopencl1): the bundle carries none" >&2
fi
cp deploy/gpu-bundle/run-gpu.sh deploy/bench/pytorch_mnist_cnn.py deploy/bench/pytorch_course.py "$out/"
# MNIST (11 MB) for the fit and pytorch stages: GPU hosts may have no network. MNIST_DIR= leaves it out.
mnist=${MNIST_DIR-$root/../shared/data/mnist}
if [[ -n $mnist && -f $mnist/SHA256SUMS ]]; then
  mkdir -p "$out/mnist"
  (cd "$mnist" && sha256sum --quiet -c SHA256SUMS) || { echo "MNIST files in $mnist fail SHA256SUMS" >&2; exit 1; }
  cp "$mnist"/*.gz "$mnist"/SHA256SUMS "$out/mnist/"
else
  echo "no MNIST at '$mnist' (MNIST_DIR): the bundle's fit and pytorch stages will have no data" >&2
fi
du -sh "$out" "$out/jre" "$out/lib"
size=$(du -sb "$out" | cut -f1)
(( size < 64 * 1024 * 1024 )) || { echo "bundle is $size bytes, over the 64 MiB a device call can carry" >&2; exit 1; }
