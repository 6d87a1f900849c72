"""Benchmark driver: prepares the corpus, runs the chosen benchmarks, prints the summary.

Each benchmark is a module `<name>_bench.py` with `NAME` and `run(ctx) -> (figures, data)`;
add a new one to BENCHMARKS below. Started by bench/run (which builds and sets up the venv).
"""
from __future__ import annotations

import argparse
import importlib
import os
from pathlib import Path
import subprocess
import sys
import time

import corpus
from common import (RESULTS, WORK, Context, Figure, log, machine_info, ours_bin, print_summary,
                    save_results)

# name -> module
BENCHMARKS = {"resize": "resize_bench", "unpack": "unpack_bench", "split": "split_bench",
              "pack": "pack_bench", "augment": "augment_bench", "train": "train_bench",
              "backbones": "backbones_bench"}


def versions(ours) -> dict:
    import cv2
    import numpy
    import PIL
    found = {"pillow": PIL.__version__, "opencv": cv2.__version__, "numpy": numpy.__version__}
    try:
        found["ours"] = subprocess.run([str(ours), "--version"], capture_output=True, text=True,
                                       timeout=30).stdout.strip() or "?"
    except (OSError, subprocess.SubprocessError):
        found["ours"] = None
    return found


def main() -> int:
    ap = argparse.ArgumentParser(prog="bench/run", description=__doc__.split("\n")[0],
                                 epilog="bench/run builds the release binary first unless "
                                        "--no-build; DATASET_BIN=PATH benchmarks another binary.")
    ap.add_argument("names", nargs="*", metavar="NAME",
                    help=f"benchmarks to run (default: all of {', '.join(BENCHMARKS)})")
    ap.add_argument("--count", type=int, default=2000, help="corpus size (default 2000)")
    ap.add_argument("--seed", type=int, default=1, help="corpus seed (default 1)")
    ap.add_argument("--runs", type=int, default=3, help="timed runs per contender; best counts")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                    help="worker processes/threads for every contender (default: all cores)")
    ap.add_argument("--scratch", type=Path, default=default_scratch(),
                    help="where contenders write their outputs (default: a tmpfs under /dev/shm when "
                         "there is one, so figures compare the work rather than this VM's ext4, which "
                         "after mass deletions spends 0.2-0.5 ms creating each file, for every contender)")
    ap.add_argument("--synthetic-corpus", action="store_true",
                    help="use synthetic images instead of the packaged photos")
    args = ap.parse_args()
    unknown = [n for n in args.names if n not in BENCHMARKS]
    if unknown:
        ap.error(f"unknown benchmark {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}")
    if args.count < 20 or args.runs < 1 or args.jobs < 1:
        ap.error("--count must be >= 20, --runs and --jobs >= 1")

    ours = ours_bin()
    if not os.access(ours, os.X_OK):
        log(f"warning: {ours} is missing; 'ours' figures will be n/a "
            "(build it, or set DATASET_BIN)")
    t0 = time.perf_counter()
    stamp = corpus.ensure_corpus(args.count, args.seed, args.jobs, args.synthetic_corpus)
    print(corpus.describe(stamp), flush=True)
    extra = {"machine": machine_info(), "versions": versions(ours),
             "corpus": {k: v for k, v in stamp.items() if k not in ("grayscale", "exif")}}
    if time.perf_counter() - t0 > 1:
        log(f"corpus: ready after {time.perf_counter() - t0:.1f} s")

    ctx = Context(corpus=corpus.CORPUS, corpus_info=stamp, ours=ours, jobs=args.jobs,
                  runs=args.runs, scratch=args.scratch)
    log(f"outputs go to {args.scratch}")
    figures: list[Figure] = []
    errors = []
    for name in args.names or list(BENCHMARKS):
        module = importlib.import_module(BENCHMARKS[name])
        found, data = module.run(ctx)
        figures += found
        save_results(name, data, extra)
        if data.get("error"):
            errors.append(name)
    print_summary(figures)
    print(f"\nfigures written to {RESULTS}")
    if errors:
        log(f"some contenders failed in: {', '.join(errors)} (see the messages above)")
    return 1 if errors else 0


def default_scratch() -> Path:
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK):
        return shm / "dataset-bench"
    return WORK / "scratch"


if __name__ == "__main__":
    sys.exit(main())
