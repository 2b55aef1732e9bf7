#!/usr/bin/env bash
# Round costs on a real standalone cluster (issue 15's cost model): for each executor count, starts the one-machine
# cluster (deploy/local-cluster/cluster.sh, one core per executor JVM), submits one short training job per state
# size and aggregation, and keeps each job's rounds.csv; then `cnnspark bench --fit-rounds OUT` fits the cost model's
# constants and prints predicted against measured round time for every configuration.
#
#   deploy/bench/round-costs.sh OUT [EXECUTORS] [AGGREGATIONS] [MNIST_DIR]
#   deploy/bench/round-costs.sh runs/round-costs 1,2,3,4 driver,sharded
#
# The state sizes: tiny_cnn with Adadelta (41K floats: the fixed cost of a round alone), model (a) with plain SGD
# (1.2M floats), model (a) with Adadelta (3.6M) and wide_cnn with Adadelta (14.2M). Every job trains 2 minibatches
# of 64 per round for 16 rounds (first two rounds are left out of the fit as warm-up), no validation.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
out=$(mkdir -p "${1:?usage: $0 OUT [EXECUTORS] [AGGREGATIONS] [MNIST_DIR]}" && cd "$1" && pwd)
executors=${2:-1,2,3,4}
aggregations=${3:-driver}
mnist=${4:-${CNNSPARK_MNIST:-$root/../shared/data/mnist}}
cluster=$root/deploy/local-cluster/cluster.sh
export CNNSPARK_CLUSTER_STATE=${CNNSPARK_CLUSTER_STATE:-$out/cluster}
trap '"$cluster" stop >/dev/null 2>&1 || true' EXIT
# name | spec file or "" | extra options
configs=(
  "tiny_adadelta||--set model.preset=tiny_cnn"
  "cnn_sgd||--set optimizer={type: sgd, learning_rate: 0.05}"
  "cnn_adadelta||"
  "wide_adadelta|$root/deploy/bench/wide_cnn.yaml|"
)
for n in ${executors//,/ }; do
  "$cluster" start "$n" >/dev/null
  for agg in ${aggregations//,/ }; do
    for c in "${configs[@]}"; do
      IFS='|' read -r name spec extra <<<"$c"
      run=$out/$agg-e$n-$name
      rm -rf "$run" && mkdir -p "$run"
      args=(train ${spec:+"$spec"} --skip-preflight --workers "$n" --averaging-frequency 2 --batch-size 64
        --epochs 1 --train-limit $((2048 * n)) --test-limit 256 --data "$mnist" --checkpoint-dir "$run/checkpoints"
        --set validation.source=none --set checkpoint.monitor=accuracy --set report.tensorboard=false --set report.html=false
        --set training.aggregation="$agg" --set checkpoint.every_rounds=1000)
      [[ -n $extra ]] && args+=("${extra%% *}" "${extra#* }")
      start=$SECONDS
      if ! "$cluster" submit "${args[@]}" > "$run/console.txt" 2>&1; then
        echo "job $agg-e$n-$name failed; its console: $run/console.txt" >&2
        tail -20 "$run/console.txt" >&2
        exit 1
      fi
      printf '{"bench":"round_costs","aggregation":"%s","executors":%d,"config":"%s","seconds":%d}\n' \
        "$agg" "$n" "$name" $((SECONDS - start))
    done
  done
  "$cluster" stop >/dev/null
done
"$root/deploy/bin/cnnspark" bench --fit-rounds "$out"
