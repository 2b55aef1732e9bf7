#!/usr/bin/env bash
# Transfer learning that pays, measured with the product's commands: a CNN trained on MNIST digits 0-4 (all of
# them), frozen, and a new softmax head trained on digits 5-9 from 100 examples per class, against the same model
# trained from scratch on those 500 examples. Both are scored on all test images of digits 5-9 (4,861).
#   deploy/bench/transfer.sh [MNIST_DIR] [WORK_DIR]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
mnist=$(cd "${1:-$root/../shared/data/mnist}" && pwd)
work=${2:-$(mktemp -d)}
cli="$root/deploy/bin/cnnspark"
"$cli" convert --data "$mnist" --to npz --classes 0,1,2,3,4 --output "$work/digits0-4.npz" | tail -1
"$cli" convert --data "$mnist" --to npz --classes 5,6,7,8,9 --per-class 100 --output "$work/digits5-9.npz" | tail -1
# the base: model (a)'s layers with a 5-way head, on digits 0-4
base_layers='
    - {type: Conv2D, filters: 32, kernel_size: 3, activation: relu, input_shape: [28, 28, 1]}
    - {type: Conv2D, filters: 64, kernel_size: 3, activation: relu}
    - {type: MaxPooling2D, pool_size: 2}
    - {type: Dropout, rate: 0.25}
    - {type: Flatten}
    - {type: Dense, units: 128, activation: relu}
    - {type: Dropout, rate: 0.5}'
cat > "$work/base.yaml" <<YAML
name: transfer-base-0to4
model:
  layers: $base_layers
    - {type: Dense, units: 5, activation: softmax}
data: {type: npz, path: "$work/digits0-4.npz"}
training: {epochs: 2, batch_size: 128, seed: 1}
checkpoint: {dir: "$work/ckpt-base"}
YAML
"$cli" fit "$work/base.yaml" --output "$work/base.weights" | grep -E "test accuracy|weights written"
# the new task: digits 5-9, 100 examples per class; the base frozen (up to its 128 features), a new head
head_spec() {  # $1: name, $2: extra model keys
  cat > "$work/$1.yaml" <<YAML
name: transfer-$1
model:
  layers: $base_layers
    - {type: Dense, units: 5, activation: softmax, name: new_head}
$2
data: {type: npz, path: "$work/digits5-9.npz"}
validation: {source: none}
training: {epochs: 30, batch_size: 32, seed: 2}
checkpoint: {dir: "$work/ckpt-$1", monitor: accuracy}
YAML
}
head_spec conv-base '  weights: {path: "'"$work"'/base.weights", by_name: true}
  freeze_up_to: flatten'
head_spec features-base '  weights: {path: "'"$work"'/base.weights", by_name: true}
  freeze_up_to: dropout_1'
head_spec scratch ''
echo "transfer, conv base frozen (Dense(128) from the base and the new head train on 500 examples of 5-9):"
"$cli" fit "$work/conv-base.yaml" | grep -E "initial weights|Trainable params|test accuracy"
echo "transfer, frozen through the base's 128 features (only the new softmax head trains):"
"$cli" fit "$work/features-base.yaml" | grep -E "Trainable params|test accuracy"
echo "from scratch (the same model, every layer trained on the 500 examples):"
"$cli" fit "$work/scratch.yaml" | grep -E "Trainable params|test accuracy"
# feature extraction: the frozen conv base runs once over the 5-9 data on local Spark workers, writing its 9,216
# features per image; a Dense(128) - Dropout - Dense(5) head then trains on those
"$cli" features "$work/conv-base.yaml" --output "$work/features.npz" | grep "wrote"
cat > "$work/features-head.yaml" <<YAML
name: transfer-features-head
model:
  layers:
    - {type: Dense, units: 128, activation: relu, input_shape: [9216]}
    - {type: Dropout, rate: 0.5}
    - {type: Dense, units: 5, activation: softmax}
data: {type: npz, path: "$work/features.npz"}
validation: {source: none}
training: {epochs: 30, batch_size: 32, seed: 2}
checkpoint: {dir: "$work/ckpt-features-head", monitor: accuracy}
YAML
echo "feature extraction, then a head trained on the features (a Dense head initialized fresh):"
"$cli" fit "$work/features-head.yaml" | grep -E "Trainable params|test accuracy"
