#!/usr/bin/env bash
# The main job, end to end on a sample dataset: installs what is missing, builds, writes a
# Food-101-like archive, unpacks it, splits the first classes by the archive's own meta lists,
# and resizes them for training (then resizes again to show a rerun skipping finished work).
#   scripts/demo.sh [OUTPUT_DIR]        (default: demo-output)
# CONFIG=debug reuses a debug build (the test script does, to build only once).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$root/demo-output}"
config="${CONFIG:-release}"
classes="${CLASSES:-5}"
per_class="${PER_CLASS:-60}"

"$root/scripts/install-deps.sh"
swift build -c "$config" --package-path "$root" --product dataset
bin="$root/.build/$config/dataset"

rm -rf "$out"
echo "== sample: a food-101.tar.gz with $classes classes x $per_class images"
"$bin" sample food101 --to "$out" --classes "$classes" --per-class "$per_class" --seed 7
echo "== unpack (streaming, verified safe)"
"$bin" unpack "$out/food-101.tar.gz" --to "$out/raw"
echo "== split by meta/train.json and test.json, first 3 classes (hard links)"
"$bin" split "$out/raw/food-101" --to "$out/split" --first 3
echo "== resize to 128x128 (centre crop) for training"
"$bin" resize "$out/split" --to "$out/resized-128" --size 128x128 --mode crop
echo "== rerun: finished outputs are skipped"
"$bin" resize "$out/split" --to "$out/resized-128" --size 128x128 --mode crop
test "$(find "$out/resized-128" -name '*.jpg' | wc -l)" -eq $((3 * per_class))
echo "demo ok: $out/resized-128 (train/ and test/ class folders)"
