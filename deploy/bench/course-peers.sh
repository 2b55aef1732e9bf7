#!/usr/bin/env bash
# One harness run of the course's benchmark models on this machine's CPUs: cnnspark's Java CPU path and PyTorch's
# CPU path, same models (cifar_gmp, imdb_conv1d, mobilenet_block), batch 128, synthetic inputs, Adadelta, warm-up
# then timed steps. Prints every JSON line, then a "ratio" line per model (cnnspark samples/s over PyTorch's).
#   deploy/bench/course-peers.sh            (PEER_WARMUP=5, PEER_STEPS=20 by default)
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
warmup=${PEER_WARMUP:-5}
steps=${PEER_STEPS:-20}
models=${PEER_MODELS:-cifar_gmp,imdb_conv1d,mobilenet_block}
out=$(mktemp)
"$root/deploy/bin/cnnspark" bench --backends java --skip-kernels --models "$models" --data "$root/../shared/data/mnist" \
  --warmup "$warmup" --steps "$steps" 2>/dev/null | grep '"bench":"train"' | tee -a "$out"
py=""
for candidate in ${PYTHON:-} python3 /usr/bin/python3; do
  if "$candidate" -c 'import torch' 2>/dev/null; then py=$candidate; break; fi
done
if [[ -n $py ]]; then
  for m in ${models//,/ }; do
    "$py" "$root/deploy/bench/pytorch_course.py" --model "$m" --threads "$(nproc)" --warmup "$warmup" --steps "$steps" \
      | tee -a "$out"
  done
else
  echo '{"bench":"unavailable","peer":"pytorch","reason":"python3 cannot import torch"}' | tee -a "$out"
fi
python3 "$root/deploy/bench/ratios.py" "$out"
rm -f "$out"
