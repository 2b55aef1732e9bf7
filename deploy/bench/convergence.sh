#!/usr/bin/env bash
# Convergence as workers grow (issue 15's table): test accuracy of the default job after EPOCHS epochs for each number
# of workers and averaging frequency, in local mode (accuracy does not depend on where a worker runs), every run
# from the same seed, batch 64 per worker (so the effective batch grows with the workers). Prints one JSON object per
# run, then a Markdown table (rows: workers, columns: averaging frequency). Extra arguments go to every `train`, e.g.
# `--set 'optimizer={type: sgd, learning_rate: 0.05, momentum: 0.9}'` or `--set model.preset=cifar_gmp`.
#   deploy/bench/convergence.sh [EPOCHS] [WORKERS] [FREQUENCIES] [train options...]
#   deploy/bench/convergence.sh 1 1,2,4,8,16 1,4,16,64
#   SEED=43 deploy/bench/convergence.sh 3 8 4        # another seed (default 42)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
epochs=${1:-1}
workers=${2:-1,2,4,8,16}
freqs=${3:-1,4,16,64}
shift $(( $# < 3 ? $# : 3 ))
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
declare -A acc
for w in ${workers//,/ }; do
  for k in ${freqs//,/ }; do
    start=$SECONDS
    out=$("$root/deploy/bin/cnnspark" train --skip-preflight --workers "$w" --averaging-frequency "$k" \
      --epochs "$epochs" --seed "${SEED:-42}" --checkpoint-dir "$work/w$w-k$k/checkpoints" \
      --set report.tensorboard=false --set report.html=false "$@" 2>&1) || { echo "$out" >&2; exit 1; }
    a=$(sed -n 's/^test loss [0-9.]*, test accuracy \([0-9.]*\) .*/\1/p' <<<"$out")
    rounds=$(sed -n "s/.*: \([0-9]*\) rounds per epoch.*/\1/p" <<<"$out")
    acc[$w,$k]=$a
    printf '{"bench":"convergence","epochs":%d,"workers":%d,"averaging_frequency":%d,"seed":%d,"rounds_per_epoch":%s,"test_accuracy":%s,"seconds":%d}\n' \
      "$epochs" "$w" "$k" "${SEED:-42}" "${rounds:-0}" "${a:-null}" $((SECONDS - start))
  done
done
printf '\n| workers \\ k |'; for k in ${freqs//,/ }; do printf ' %s |' "$k"; done; printf '\n|---|'
for k in ${freqs//,/ }; do printf -- '---|'; done; printf '\n'
for w in ${workers//,/ }; do
  printf '| %s |' "$w"; for k in ${freqs//,/ }; do printf ' %s |' "${acc[$w,$k]}"; done; printf '\n'
done
