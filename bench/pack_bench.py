"""pack: decode JPEG -> RGB -> 128x128 (stretch) -> one uint8 (N,128,128,3) array + labels -> .npy.

Contenders do the same work, including listing the tree:
  ours    dataset pack CORPUS --to OUT --size 128x128 --format npy --jobs N --overwrite --json
          (streams rows into 1000-row shards, hashes them, writes manifest.json)
  pillow  Pool(N) imap: open -> exif_transpose -> RGB -> resize BILINEAR -> np.asarray, stacked
          in order into one preallocated array in the parent -> np.save (images and labels)
  opencv  the same with cv2.imread (applies EXIF) -> BGR2RGB -> resize INTER_AREA, 1 thread each
Peak RSS of ours is taken on a 10 000-image corpus (the 2000 corpus hard-linked five times).
"""
from __future__ import annotations

import multiprocessing as mp
import os
import subprocess
import time
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageOps

from common import (WORK, Context, Figure, cpu_seconds, fresh_dir, list_images, log, psnr,
                    run_measured, tail, warm_cache)

NAME = "pack"
SIZE = (128, 128)
TARGET_RATIO = 2.0
TARGET_RSS_MB = 300.0
BIG_COUNT = 10_000


def ours_cmd(ctx: Context, src: Path, dst: Path) -> list[str]:
    return [str(ctx.ours), "pack", str(src), "--to", str(dst), "--size", f"{SIZE[0]}x{SIZE[1]}",
            "--format", "npy", "--jobs", str(ctx.jobs), "--overwrite", "--json", "--quiet"]


def pillow_one(src: str) -> np.ndarray | None:
    try:
        with Image.open(src) as im:
            ImageOps.exif_transpose(im, in_place=True)
            if im.mode != "RGB":
                im = im.convert("RGB")
            return np.asarray(im.resize(SIZE, Image.Resampling.BILINEAR))
    except Exception:
        return None


def opencv_init() -> None:
    cv2.setNumThreads(1)


def opencv_one(src: str) -> np.ndarray | None:
    img = cv2.imread(src, cv2.IMREAD_COLOR)
    if img is None:
        return None
    return cv2.cvtColor(cv2.resize(img, SIZE, interpolation=cv2.INTER_AREA), cv2.COLOR_BGR2RGB)


PEERS = {"pillow": (pillow_one, None), "opencv": (opencv_one, opencv_init)}


def run_peer(name: str, src: Path, dst: Path, jobs: int) -> tuple[float, float, int]:
    """Time one peer: list, decode/resize in a pool, stack in order, np.save; returns
    (seconds, CPU seconds, images stacked)."""
    fn, init = PEERS[name]
    cpu0, t0 = cpu_seconds(), time.perf_counter()
    rels = list_images(src)
    classes = sorted({rel.parts[0] for rel in rels})
    labels = np.array([classes.index(rel.parts[0]) for rel in rels], dtype=np.int64)
    images = np.empty((len(rels), SIZE[1], SIZE[0], 3), dtype=np.uint8)
    done = 0
    with mp.get_context("fork").Pool(jobs, initializer=init) as pool:
        for i, arr in enumerate(pool.imap(fn, [str(src / rel) for rel in rels], chunksize=16)):
            if arr is not None:
                images[i] = arr
                done += 1
    np.save(dst / "images.npy", images)
    np.save(dst / "labels.npy", labels)
    seconds = time.perf_counter() - t0
    return seconds, cpu_seconds() - cpu0, done


def check_ours(out: Path, expected: int, corpus: Path) -> tuple[str, float | None]:
    """('' or what is wrong, min PSNR of a few rows against Pillow BILINEAR of the same files)."""
    shards = sorted(out.glob("train-*.images.npy"))
    if not shards:
        return "no shards written", None
    rows = sum(np.load(s, mmap_mode="r").shape[0] for s in shards)
    if rows != expected:
        return f"{rows} rows for {expected} images", None
    first = np.load(shards[0], mmap_mode="r")
    if first.shape[1:] != (SIZE[1], SIZE[0], 3) or first.dtype != np.uint8:
        return f"shard shape {first.shape} {first.dtype}", None
    sources = (out / shards[0].name.replace(".images.npy", ".files.txt")).read_text().split("\n")
    worst = 100.0
    for k in range(0, min(len(sources), first.shape[0]), max(1, first.shape[0] // 10)):
        ref = pillow_one(str(corpus / sources[k]))
        worst = min(worst, psnr(np.asarray(first[k]), ref))
    return "", worst


def big_corpus(ctx: Context) -> Path:
    """BIG_COUNT entries made of hard links to the corpus files (same classes, new names)."""
    root = WORK / f"corpus-{BIG_COUNT}"
    rels = list_images(ctx.corpus)
    marker = root / ".complete"
    if marker.exists() and marker.read_text() == f"{len(rels)}:{BIG_COUNT}":
        return root
    fresh_dir(root)
    for k in range(BIG_COUNT):
        rel = rels[k % len(rels)]
        dst = root / rel.parent / f"{rel.stem}_{k // len(rels)}{rel.suffix}"
        dst.parent.mkdir(parents=True, exist_ok=True)
        os.link(ctx.corpus / rel, dst)
    marker.write_text(f"{len(rels)}:{BIG_COUNT}")
    return root


def time_contenders(ctx: Context, n: int):
    out_root = ctx.scratch / "pack"
    names = ["ours", "pillow", "opencv"]
    times = {k: [] for k in names}
    cpu = {k: [] for k in names}
    rss: list[float] = []
    problems: dict[str, str] = {}
    quality = None
    for r in range(ctx.runs):
        for name in names:
            if name in problems:
                continue
            out = fresh_dir(out_root / name)
            if name == "ours":
                res = run_measured(ours_cmd(ctx, ctx.corpus, out), ctx.scratch)
                if res.rc != 0:
                    problems[name] = f"exit {res.rc}\n{tail(res.stderr or res.stdout)}"
                    continue
                seconds, cpu_s = res.seconds, res.cpu_seconds
                rss.append(res.maxrss_mb)
                problem, quality = check_ours(out, n, ctx.corpus)
                if problem:
                    problems[name] = problem
                    continue
            else:
                seconds, cpu_s, done = run_peer(name, ctx.corpus, out, ctx.jobs)
                if done != n:
                    problems[name] = f"{n - done} of {n} images failed"
                    continue
            times[name].append(seconds)
            cpu[name].append(cpu_s)
            log(f"pack: run {r + 1}/{ctx.runs} {name:7s} {seconds:6.2f} s  {n / seconds:6.0f} img/s  "
                f"{cpu_s / seconds:4.2f} cores busy")
    for name, why in problems.items():
        log(f"pack: {name} failed: {why}")
    return times, cpu, rss, problems, quality


def run(ctx: Context) -> tuple[list[Figure], dict]:
    n = ctx.corpus_info["count"]
    log(f"pack: warming the page cache ({warm_cache(ctx.corpus) / 1e6:.0f} MB)")
    times, cpu, rss, problems, quality = time_contenders(ctx, n)

    big = big_corpus(ctx)
    out = fresh_dir(ctx.scratch / "pack" / "ours-10k")
    res = run_measured(ours_cmd(ctx, big, out), ctx.scratch)
    big_rss = res.maxrss_mb if res.rc == 0 else None
    big_ips = BIG_COUNT / res.seconds if res.rc == 0 and res.seconds > 0 else None
    if res.rc != 0:
        problems["ours-10k"] = f"exit {res.rc}\n{tail(res.stderr or res.stdout)}"
    else:
        problem, _ = check_ours(out, BIG_COUNT, big)
        if problem:
            problems["ours-10k"] = problem
    log(f"pack: ours on {BIG_COUNT} images: {res.seconds:.2f} s, peak RSS {res.maxrss_mb:.0f} MB")

    ips = {k: (n / min(v) if v else None) for k, v in times.items()}
    ms = {k: (1000 * min(v) / n if v else None) for k, v in cpu.items()}
    peers = {k: v for k, v in ips.items() if k != "ours" and v}
    best_peer = max(peers, key=peers.get) if peers else None
    ratio = ips["ours"] / peers[best_peer] if ips["ours"] and best_peer else None
    fmt = lambda v, spec: "n/a" if v is None else format(v, spec)
    print("pack  " + "  ".join(f"{k} {fmt(v, '.0f')} img/s" for k, v in ips.items())
          + "  ratio " + (f"{ratio:.2f}x (vs {best_peer})" if ratio else "n/a"), flush=True)
    print("pack  CPU per image  " + "  ".join(f"{k} {fmt(v, '.2f')} ms" for k, v in ms.items()), flush=True)
    print(f"pack  peak RSS {fmt(max(rss) if rss else None, '.0f')} MB on {n}, "
          f"{fmt(big_rss, '.0f')} MB on {BIG_COUNT} ({fmt(big_ips, '.0f')} img/s)", flush=True)
    print(f"pack  min PSNR of ours vs Pillow BILINEAR (sampled rows) {fmt(quality, '.1f')} dB", flush=True)
    busy = [cpu[k][times[k].index(min(times[k]))] / min(times[k]) for k in peers]
    starved = bool(busy) and min(busy) < 0.75 * ctx.jobs
    if starved:
        print(f"pack  warning: CPU-starved host (peers' best runs kept {min(busy):.2f} of {ctx.jobs} "
              "cores busy); img/s are unreliable, CPU per image is steadier; rerun", flush=True)

    vs = best_peer or "best peer"
    figures = [Figure(NAME, f"{k} images/s", v, "img/s") for k, v in ips.items()]
    figures += [Figure(NAME, f"{k} CPU per image", v, "ms") for k, v in ms.items()]
    figures += [Figure(NAME, f"ours / {vs}", ratio, "x", (">=", TARGET_RATIO)),
                Figure(NAME, f"ours peak RSS ({BIG_COUNT} images)", big_rss, "MB", ("<", TARGET_RSS_MB)),
                Figure(NAME, "ours vs Pillow min PSNR", quality, "dB")]
    data = {"images": n, "jobs": ctx.jobs, "runs": ctx.runs, "seconds": times, "cpu_seconds": cpu,
            "cpu_ms_per_image": ms, "images_per_s": ips, "ratio": ratio, "ratio_vs": best_peer,
            "cpu_ratio": ms[best_peer] / ms["ours"] if ratio and ms["ours"] else None,
            "cpu_starved": starved, "peak_rss_mb": max(rss) if rss else None,
            "peak_rss_mb_10k": big_rss, "images_per_s_10k": big_ips, "min_psnr_vs_pillow": quality,
            "failures": problems, "error": bool(problems)}
    return figures, data
