#!/usr/bin/env bash
# The main job: installs what is missing, builds release, and runs the Food-101 recipe
# (recipes/food101.yaml: unpack, split by the meta lists, first 10 classes, resize 128,
# augment the training split, pack, train the tutorial's seed CNN, evaluate on test) to a
# trained model and its evaluation, with progress throughout.
#   scripts/demo.sh                       # on a generated Food-101-shaped sample: a few minutes
#   scripts/demo.sh food-101.tar.gz       # on the real 5 GB download
# WORK=DIR picks the work folder (default: demo-output); a rerun skips the steps that finished.
# CONFIG=debug reuses a debug build and SMALL=1 keeps the recipe's own tiny sample (the test
# script does both, to build only once and finish in seconds).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
input="${1:-}"
work="${WORK:-$root/demo-output}"
config="${CONFIG:-release}"

echo "== system packages: installing any that are missing"
"$root/scripts/install-deps.sh"
echo "== building dataset ($config)"
source "$root/scripts/release-env.sh"
swift build -c "$config" --package-path "$root" --product dataset
bin="$root/.build/$config/dataset"

if [ -n "$input" ]; then
  [ -e "$input" ] || { echo "demo: '$input' does not exist (pass food-101.tar.gz, or nothing for the sample)" >&2; exit 64; }
  source=(--input "$input")
elif [ -n "${SMALL:-}" ]; then
  source=(--sample)
else
  # A sample big enough for the seed CNN to learn something: 3 classes of 40 images, 8 epochs.
  source=(--sample --set sample.per-class=40 --set augment.class-size=40 --set train.epochs=8 --set train.batch-size=16)
fi
echo "== dataset run recipes/food101.yaml ${source[*]} --work $work"
"$bin" run "$root/recipes/food101.yaml" "${source[@]}" --work "$work"

# Use the model: classify one test image, as a user would a new photo.
photo="$(find "$work/split/test" -type f -name '*.jpg' | sort | head -n 1)"
echo "== dataset predict $work/train $photo --top 3"
"$bin" predict "$work/train" "$photo" --top 3
echo "demo ok: model in $work/train (model.json, weights.safetensors, history.csv, curves.svg);"
echo "         its evaluation in $work/train/evaluation-test (report.json, confusion.csv, confusion.svg)"
