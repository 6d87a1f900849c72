#!/usr/bin/env bash
# Fuzzes each parser of untrusted input (npy header, safetensors header, archive entries through
# the unpack policy, manifest merge, recipe YAML) for a fixed number of runs with libFuzzer, which
# ships with the Swift toolchain, under AddressSanitizer. Seeds are made here from the real
# formats (small archives, a packed manifest, the shipped recipes).
#
#   scripts/fuzz.sh                      # every target, RUNS=20000 each
#   RUNS=200000 scripts/fuzz.sh Recipe   # one target, longer
#
# Prints one line per target (runs, seconds, corpus size, crashes). A crash leaves its input as
# $WORK/crash-<target>-*; replay it with `.build-fuzz/debug/fuzz-<target> FILE`. Exit status 1 if
# any target crashed.
set -euo pipefail
# swiftc's -sanitize=fuzzer links libFuzzer but leaves Swift code without coverage counters:
# without -sanitize-coverage the fuzzer runs blind (it says "no interesting inputs").
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/install-deps.sh"
runs="${RUNS:-20000}"
work="${WORK:-$(mktemp -d)}"
scratch="$root/.build-fuzz"
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(NPYHeader SafeTensorsHeader ArchiveEntries Manifest Recipe)
mkdir -p "$work"

# Seeds: one or more valid inputs per format, so the fuzzer starts inside the format.
swift build --package-path "$root" --product dataset >/dev/null
dataset="$root/.build/debug/dataset"
seeds="$work/seeds"
mkdir -p "$seeds"/{NPYHeader,SafeTensorsHeader,ArchiveEntries,Manifest,Recipe}
python3 - "$seeds" <<'PY'
import io, json, struct, sys, tarfile, zipfile, numpy as np
seeds = sys.argv[1]
for i, (dtype, shape) in enumerate([("u1", (2, 4, 4, 3)), ("<i8", (5,)), ("<f4", (3, 7))]):
    np.save(f"{seeds}/NPYHeader/{i}.npy", np.zeros(shape, dtype=dtype))
header = {"conv/kernel": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]},
          "conv/bias": {"dtype": "F32", "shape": [2], "data_offsets": [24, 32]},
          "__metadata__": {"format": "pt"}}
text = json.dumps(header).encode()
with open(f"{seeds}/SafeTensorsHeader/0.safetensors", "wb") as f:
    f.write(struct.pack("<Q", len(text)) + text + bytes(32))
def tar(mode, name):
    with tarfile.open(f"{seeds}/ArchiveEntries/{name}", mode) as t:
        for path, data in [("food-101/images/a/1.jpg", b"\xff\xd8\xff" * 20), ("food-101/meta/classes.txt", b"a\n")]:
            info = tarfile.TarInfo(path); info.size = len(data); t.addfile(info, io.BytesIO(data))
        link = tarfile.TarInfo("food-101/link"); link.type = tarfile.SYMTYPE; link.linkname = "images/a/1.jpg"; t.addfile(link)
for mode, name in [("w", "plain.tar"), ("w:gz", "seed.tar.gz"), ("w:xz", "seed.tar.xz")]:
    tar(mode, name)
with zipfile.ZipFile(f"{seeds}/ArchiveEntries/seed.zip", "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("Recipes5k/images/a/1.jpg", b"\xff\xd8\xff" * 20)
    z.writestr("Recipes5k/annotations/train_images.txt", "a/1.jpg\r\n")
PY
"$dataset" sample folders --to "$work/sample" --classes 2 --per-class 3 --max-side 16 --quiet
"$dataset" pack "$work/sample" --to "$work/packed" --size 8x8 --overwrite --quiet >/dev/null || true
cp "$work/packed/manifest.json" "$seeds/Manifest/0.json"
cp "$root"/recipes/*.yaml "$seeds/Recipe/"

status=0
for target in "${targets[@]}"; do
  DATASET_FUZZ=1 swift build --package-path "$root" --scratch-path "$scratch" \
    --sanitize fuzzer --sanitize address --product "fuzz-$target" \
    -Xswiftc -sanitize-coverage=edge,trace-cmp,inline-8bit-counters,pc-table >/dev/null
  corpus="$work/corpus-$target"
  mkdir -p "$corpus"
  start=$(date +%s.%N)
  if "$scratch/debug/fuzz-$target" -runs="$runs" -max_len=65536 -timeout=20 -rss_limit_mb=2048 \
       -artifact_prefix="$work/crash-$target-" "$corpus" "$seeds/$target" >"$work/log-$target.txt" 2>&1; then
    verdict="no crash"
  else
    verdict="CRASH: $(ls "$work"/crash-"$target"-* 2>/dev/null | head -1)"
    status=1
  fi
  seconds=$(echo "$(date +%s.%N) - $start" | bc)
  done_runs=$(grep -o 'Done [0-9]* runs' "$work/log-$target.txt" | grep -o '[0-9]*' || echo "?")
  printf '%-18s %8s runs %7.1f s  corpus %5d  %s\n' "$target" "$done_runs" "$seconds" "$(ls "$corpus" | wc -l)" "$verdict"
done
echo "logs and corpora in $work"
exit $status
