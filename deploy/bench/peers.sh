#!/usr/bin/env bash
# One harness run comparing cnnspark's CPU path with its peers on this machine: same models (mnist_cnn = model (a),
# tiny_cnn), same MNIST examples, batch 128, warm-up then timed steps. Prints every peer's JSON line, then one
# "ratio" line per model and peer (cnnspark samples/s divided by the peer's). A peer that cannot run here prints an
# "unavailable" line. Peers: Deeplearning4j (built with -Ppeers, downloads ~120 MB once) and PyTorch
# (python3 -c 'import torch'; Debian: apt-get install python3-torch).
#   deploy/bench/peers.sh [MNIST_DIR]          (PEER_WARMUP=30, PEER_STEPS=100 by default)
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
data=${1:-$root/../shared/data/mnist}
threads=$(nproc)
# untimed steps first, the same for cnnspark and PyTorch (the JIT needs a few dozen steps on the small model)
warmup=${PEER_WARMUP:-30}
steps=${PEER_STEPS:-100}
out=$(mktemp)
cd "$root"

"$root/deploy/bin/cnnspark" bench --backends java --skip-kernels --models mnist_cnn,tiny_cnn --data "$data" \
  --warmup $warmup --steps "$steps" 2>/dev/null | grep '"bench":"train"' | tee -a "$out"

if (cd "$root" && mvn -q -Ppeers -pl deploy/peers/dl4j -am -DskipTests package) >/dev/null 2>&1; then
  cp_dl4j="$root/deploy/peers/dl4j/target/classes:$(cat "$root/deploy/peers/dl4j/target/classpath.txt")"
  for m in mnist_cnn tiny_cnn; do
    s=$steps; [[ $m == mnist_cnn ]] && s=$((steps / 2))   # DL4J needs ~0.6 s a step on model (a)
    java -cp "$cp_dl4j" dev.cnnspark.peers.Dl4jBench --data "$data" --model $m --warmup 5 --steps $s 2>/dev/null \
      | grep peer_train | tee -a "$out"
  done
else
  echo '{"bench":"unavailable","peer":"dl4j","reason":"mvn -Ppeers -pl deploy/peers/dl4j failed"}' | tee -a "$out"
fi

py=""
for candidate in ${PYTHON:-} python3 /usr/bin/python3; do
  if "$candidate" -c 'import torch' 2>/dev/null; then py=$candidate; break; fi
done
if [[ -n $py ]]; then
  for m in mnist_cnn tiny_cnn; do
    "$py" "$root/deploy/bench/pytorch_mnist_cnn.py" --data "$data" --speed --model $m --optimizer adadelta \
      --threads "$threads" --warmup $warmup --steps "$steps" | tee -a "$out"
  done
else
  echo '{"bench":"unavailable","peer":"pytorch","reason":"python3 cannot import torch"}' | tee -a "$out"
fi

python3 "$root/deploy/bench/ratios.py" "$out"
rm -f "$out"
