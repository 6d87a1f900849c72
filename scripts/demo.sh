#!/usr/bin/env bash
# The main job, end to end on a sample dataset: installs what is missing, builds, writes a
# Food-101-like sample, resizes it for training, and resizes it again to show a rerun skipping.
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
echo "== sample: $classes classes x $per_class Food-101-sized JPEGs"
"$bin" sample folders --to "$out/sample" --classes "$classes" --per-class "$per_class" --seed 7
echo "== resize to 128x128 (centre crop, area filter) for training"
"$bin" resize "$out/sample" --to "$out/resized-128" --size 128x128 --mode crop --filter area
echo "== rerun: finished outputs are skipped"
"$bin" resize "$out/sample" --to "$out/resized-128" --size 128x128 --mode crop --filter area
test "$(find "$out/resized-128" -name '*.jpg' | wc -l)" -eq $((classes * per_class))
echo "demo ok: $out/resized-128"
