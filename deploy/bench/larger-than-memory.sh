#!/usr/bin/env bash
# Training on a table several times larger than the executors' heap (data.shard_storage: disk), on the one-machine
# standalone cluster: MNIST's training set written as Parquet and repeated 8 times (480,000 examples, 1.5 GB as
# floats, ~140 MB of Parquet), two executors of 512 MiB heap each. The run ends with the peak heap of the driver and
# of each executor (Spark's executor metrics).
#   deploy/bench/larger-than-memory.sh [MNIST_DIR] [WORK_DIR]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
mnist=$(cd "${1:-$root/../shared/data/mnist}" && pwd)
work=${2:-$(mktemp -d)}
mkdir -p "$work/train"
"$root/deploy/bin/cnnspark" convert --data "$mnist" --to parquet --output "$work/src"
for i in 0 1 2 3 4 5 6 7; do
  cp "$work/src/train/part-00000.parquet" "$work/train/part-0000$i.parquet"
done
cat > "$work/job.yaml" <<YAML
name: larger-than-memory
model: {preset: tiny_cnn}
data: {type: parquet, path: "$work/train", test_path: "$work/src/test", shape: [28, 28, 1], shard_storage: disk}
validation: {source: none}
training: {epochs: 1, batch_size: 64, workers: 2, averaging_frequency: 10, seed: 5, backend: java}
checkpoint: {dir: "$work/ckpt", monitor: loss}
YAML
export CNNSPARK_CLUSTER_STATE=$work/cluster CNNSPARK_MASTER_PORT=${CNNSPARK_MASTER_PORT:-7377}
export CNNSPARK_MASTER_WEBUI_PORT=${CNNSPARK_MASTER_WEBUI_PORT:-8380} CNNSPARK_EXECUTOR_MEMORY=512m
"$root/deploy/local-cluster/cluster.sh" start 2
trap '"$root/deploy/local-cluster/cluster.sh" stop' EXIT
"$root/deploy/local-cluster/cluster.sh" submit train "$work/job.yaml" --verbose | grep -E "job '|loaded|peak heap|training took|test accuracy"
