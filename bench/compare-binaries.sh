#!/usr/bin/env bash
# Times two builds of `dataset` on the same jobs, alternating run by run (the machine's speed
# drifts), and prints each job's best wall time for both and their ratio: for checking that a
# change to the build or the kernels costs no speed.
#   bench/compare-binaries.sh OLD_BINARY NEW_BINARY [RUNS]
# Uses the bench corpus (bench/run makes it) and writes to /dev/shm (see bench/README.md).
set -euo pipefail
old="$1" new="$2" runs="${3:-3}"
corpus="$(cd "$(dirname "$0")" && pwd)/work/corpus"
[ -d "$corpus" ] || { echo "no corpus at $corpus: run bench/run first" >&2; exit 64; }
out=/dev/shm/dataset-compare
tutorial=(--rotation-range 40 --width-shift-range 0.2 --height-shift-range 0.2 --shear-range 0.2
          --zoom-range 0.2 --horizontal-flip --fill-mode nearest --quality 90)
job() {  # job NAME BINARY
  case "$1" in
    resize)  "$2" resize "$corpus" --to "$out/r" --size 224x224 --quality 90 --overwrite -q ;;
    pack)    "$2" pack "$corpus" --to "$out/p" --size 128x128 --format npy --overwrite -q ;;
    augment) "$2" augment "$corpus" --to "$out/a" --class-size 600 "${tutorial[@]}" --overwrite -q ;;
    augment-bright) "$2" augment "$corpus" --to "$out/b" --class-size 600 "${tutorial[@]}" --brightness-range 0.8,1.2 --overwrite -q ;;
  esac >/dev/null 2>&1
}
printf '%-16s %10s %10s %8s\n' job old-best new-best new/old
for name in resize pack augment augment-bright; do
  best_old=999999 best_new=999999
  for _ in $(seq "$runs"); do
    for side in old new; do
      rm -rf "$out"; mkdir -p "$out"
      bin=$old; [ $side = new ] && bin=$new
      start=$(date +%s.%N); job "$name" "$bin"; t=$(echo "$(date +%s.%N) - $start" | bc)
      if [ $side = old ]; then best_old=$(echo "if ($t < $best_old) $t else $best_old" | bc)
      else best_new=$(echo "if ($t < $best_new) $t else $best_new" | bc); fi
    done
  done
  printf '%-16s %9.2fs %9.2fs %7.3f\n' "$name" "$best_old" "$best_new" "$(echo "$best_new / $best_old" | bc -l)"
done
rm -rf "$out"
