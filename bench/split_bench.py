"""split: sort a Food-101-like tree into train/<class>/ and test/<class>/ from meta/*.json.

The tree is the corpus hard-linked ~10 times over (about 20k files) under food-101/images, with
Food-101's meta files (classes.txt, train.json/test.json with 3/4 of each class in train).
Each contender runs on a fresh tree (hard links of the corpus, made untimed):
  ours      dataset split ROOT --to OUT --copy|--move|--link --jobs N --json -q
  ours-j1   the same with --jobs 1 (is the per-file work worth threads? for information)
  python    the Food-101 tutorial's loop: for each class, for each entry of train.json/test.json,
            shutil.copy / shutil.move / os.link images/<entry>.jpg into <split>/<class>/
            (one thread, as the notebook runs it)
Copy writes ~1 GB per run. On a shared virtual disk that write-back swamps the tools' own
cost (the same copy took 2-15 s run to run), so copies go to tmpfs (/dev/shm) when there is one:
the copy figures compare the tools, not the disk. Moves and links stay on the tree's file
system (a rename or link cannot leave it). Dirty pages are flushed (os.sync) before each run.
CPU time per file (user + system) is printed too: it varies less than wall time on a busy host.
"""
from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

from common import Context, Figure, list_images, log, run_measured, tail, warm_cache

TMPFS = Path("/dev/shm")

NAME = "split"
TARGET_FILES = 20_000
TRAIN_SHARE = 0.75          # Food-101: 750 train + 250 test per class
MODES = ["copy", "move", "link"]
PY_OPS = {"copy": shutil.copy, "move": shutil.move, "link": os.link}


def build_tree(corpus: Path, root: Path, replicas: int) -> tuple[dict, dict, int]:
    """food-101/{images,meta} under root, every corpus image hard-linked `replicas` times as
    <class>/<id><r>.jpg; returns (train, test) entry tables and the file count."""
    shutil.rmtree(root, ignore_errors=True)
    images, meta = root / "food-101" / "images", root / "food-101" / "meta"
    meta.mkdir(parents=True)
    tables: dict[str, dict[str, list[str]]] = {"train": {}, "test": {}}
    count = 0
    by_class: dict[str, list[str]] = {}
    for rel in list_images(corpus):
        by_class.setdefault(rel.parent.name, []).append(rel.stem)
    for cls, stems in sorted(by_class.items()):
        (images / cls).mkdir(parents=True)
        entries = []
        for stem in stems:
            for r in range(replicas):
                name = f"{stem}{r:02d}"
                os.link(corpus / cls / f"{stem}.jpg", images / cls / f"{name}.jpg")
                entries.append(f"{cls}/{name}")
        cut = round(len(entries) * TRAIN_SHARE)
        tables["train"][cls], tables["test"][cls] = entries[:cut], entries[cut:]
        count += len(entries)
    (meta / "classes.txt").write_text("".join(c + "\n" for c in sorted(by_class)))
    for split, table in tables.items():
        (meta / f"{split}.json").write_text(json.dumps(table))
        (meta / f"{split}.txt").write_text("".join(e + "\n" for es in table.values() for e in es))
    return tables["train"], tables["test"], count


def tutorial_loop(root: Path, out: Path, op) -> int:
    """The notebook's loop, reading the JSON lists: makedirs per class, then one shutil call
    per entry."""
    food = root / "food-101"
    done = 0
    for split in ("train", "test"):
        with open(food / "meta" / f"{split}.json") as f:
            table = json.load(f)
        for cls, entries in table.items():
            dest = out / split / cls
            os.makedirs(dest, exist_ok=True)
            for entry in entries:
                name = entry.split("/")[1] + ".jpg"
                op(str(food / "images" / cls / name), str(dest / name))
                done += 1
    return done


def count_files(root: Path) -> int:
    return sum(len(files) for _, _, files in os.walk(root))


def run(ctx: Context) -> tuple[list[Figure], dict]:
    replicas = max(1, -(-TARGET_FILES // ctx.corpus_info["count"]))
    work = ctx.scratch / "split"
    tree = work / "tree"
    on_tmpfs = TMPFS.is_dir() and os.access(TMPFS, os.W_OK)
    outs = {m: work / "out" for m in MODES}
    if on_tmpfs:
        outs["copy"] = TMPFS / f"dataset-split-bench-{os.getpid()}" / "out"
    log(f"split: copies go to {outs['copy'].parent}" + (" (tmpfs)" if on_tmpfs else ""))
    log(f"split: warming the page cache ({warm_cache(ctx.corpus) / 1e6:.0f} MB)")
    t0 = time.perf_counter()
    _, _, n = build_tree(ctx.corpus, tree, replicas)
    log(f"split: tree of {n} files ({replicas} hard links per corpus image) in {time.perf_counter() - t0:.1f} s")

    contenders = ["ours", "ours-j1", "python"]
    times: dict[str, dict[str, list[float]]] = {m: {c: [] for c in contenders} for m in MODES}
    cpu: dict[str, dict[str, list[float]]] = {m: {c: [] for c in contenders} for m in MODES}
    problems: dict[str, str] = {}
    intact = True                                              # a move empties the tree
    for r in range(ctx.runs):
        for mode in MODES:
            for name in contenders:
                key = f"{mode}/{name}"
                if key in problems:
                    continue
                if mode == "move" or not intact:
                    build_tree(ctx.corpus, tree, replicas)
                intact = mode != "move"
                out = outs[mode]
                shutil.rmtree(out, ignore_errors=True)
                os.sync()                                      # flush the last copy's pages
                if name.startswith("ours"):
                    jobs = 1 if name == "ours-j1" else ctx.jobs
                    res = run_measured([str(ctx.ours), "split", str(tree), "--to", str(out), f"--{mode}",
                                        "--jobs", str(jobs), "--json", "-q"], ctx.scratch)
                    seconds, cpu_s = res.seconds, res.cpu_seconds
                    if res.rc != 0:
                        problems[key] = f"exit {res.rc}\n{tail(res.stderr or res.stdout)}"
                        continue
                else:
                    t, c = time.perf_counter(), time.process_time()
                    done = tutorial_loop(tree, out, PY_OPS[mode])
                    seconds, cpu_s = time.perf_counter() - t, time.process_time() - c
                    if done != n:
                        problems[key] = f"{done} of {n} files"
                        continue
                found = count_files(out / "train") + count_files(out / "test")
                left = count_files(tree / "food-101" / "images")
                if found != n or (mode == "move" and left != 0):
                    problems[key] = f"{found} files in the output, {left} left in the source, expected {n}"
                    continue
                times[mode][name].append(seconds)
                cpu[mode][name].append(cpu_s)
                log(f"split: run {r + 1}/{ctx.runs} {mode:4s} {name:7s} {seconds:6.2f} s  {n / seconds:7.0f} files/s"
                    f"  CPU {1e6 * cpu_s / n:5.1f} us/file")
    for key, why in problems.items():
        log(f"split: {key} failed: {why}")
    shutil.rmtree(work, ignore_errors=True)
    if on_tmpfs:
        shutil.rmtree(outs["copy"].parent, ignore_errors=True)

    rate = {m: {c: (n / min(v) if v else None) for c, v in per.items()} for m, per in times.items()}
    ratio = {m: (rate[m]["ours"] / rate[m]["python"] if rate[m]["ours"] and rate[m]["python"] else None) for m in MODES}
    us = {m: {c: (1e6 * min(v) / n if v else None) for c, v in per.items()} for m, per in cpu.items()}
    figures = []
    for mode in MODES:
        fmt = lambda v: "n/a" if v is None else f"{v:.0f}"
        print(f"split {mode:4s}  " + "  ".join(f"{c} {fmt(v)} files/s" for c, v in rate[mode].items())
              + "  ratio " + (f"{ratio[mode]:.2f}x" if ratio[mode] else "n/a"), flush=True)
        print(f"split {mode:4s}  CPU per file  " + "  ".join(f"{c} {'n/a' if v is None else f'{v:.1f}'} us"
                                                       for c, v in us[mode].items()), flush=True)
        figures += [Figure(NAME, f"{mode}: {c} files/s", v, "files/s") for c, v in rate[mode].items()]
        figures += [Figure(NAME, f"{mode}: {c} CPU per file", v, "us") for c, v in us[mode].items()]
        figures.append(Figure(NAME, f"{mode}: ours / python", ratio[mode], "x"))
    data = {"files": n, "replicas": replicas, "jobs": ctx.jobs, "runs": ctx.runs, "seconds": times,
            "files_per_s": rate, "ratio": ratio, "cpu_seconds": cpu, "cpu_us_per_file": us,
            "copy_to_tmpfs": on_tmpfs, "failures": problems, "error": bool(problems)}
    return figures, data
