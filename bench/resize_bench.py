"""resize: decode JPEG -> RGB -> 224x224 (stretch) -> JPEG q90 -> output tree, on all cores.

Contenders do the same work, including listing the tree and creating the output folders:
  ours    dataset resize CORPUS --to OUT --size 224x224 --quality 90 --jobs N --overwrite --json
  pillow  Pool(N): open -> exif_transpose -> RGB -> resize BILINEAR (antialiased) -> save q90
  opencv  Pool(N), 1 thread each: imread (applies EXIF) -> resize INTER_AREA -> imwrite q90
  ours-full  ours with --full-decode (information, if the binary has the flag): by default ours
          may decode a JPEG at a reduced DCT scale when the output is small; the peers never do.
OpenCV's INTER_LINEAR samples only 2x2 source pixels and aliases when shrinking; INTER_AREA is its
antialiased filter, the fair match for our (and Pillow's) antialiased bilinear.
"""
from __future__ import annotations

import multiprocessing as mp
import os
import subprocess
import time
from pathlib import Path

import cv2
from PIL import Image, ImageOps

import resize_quality
from common import (Context, Figure, cpu_seconds, fresh_dir, list_images, log, run_measured, tail,
                    warm_cache)

NAME = "resize"
SIZE = (224, 224)
QUALITY = 90
TARGET_RATIO = 2.0
TARGET_RSS_MB = 200.0


def ours_supports(ctx: Context, flag: str) -> bool:
    """Whether `dataset resize --help` lists flag (the binary grows while this harness runs)."""
    try:
        res = subprocess.run([str(ctx.ours), "resize", "--help"], capture_output=True, text=True,
                             timeout=30)
        return flag in res.stdout + res.stderr
    except (OSError, subprocess.SubprocessError):
        return False


def ours_cmd(ctx: Context, src: Path, dst: Path, *extra: str) -> list[str]:
    return [str(ctx.ours), "resize", str(src), "--to", str(dst), "--size", f"{SIZE[0]}x{SIZE[1]}",
            "--jobs", str(ctx.jobs), "--overwrite", *extra]


def pillow_one(task: tuple[str, str]) -> bool:
    src, dst = task
    try:
        with Image.open(src) as im:
            ImageOps.exif_transpose(im, in_place=True)   # decodes; rotates only if tagged
            if im.mode != "RGB":                         # convert("RGB") copies even when RGB
                im = im.convert("RGB")
            im.resize(SIZE, Image.Resampling.BILINEAR).save(dst, "JPEG", quality=QUALITY)
        return True
    except Exception:
        return False


def opencv_init() -> None:
    cv2.setNumThreads(1)     # one image per process; no nested thread pools


def opencv_one(task: tuple[str, str]) -> bool:
    src, dst = task
    img = cv2.imread(src, cv2.IMREAD_COLOR)    # BGR; applies the EXIF orientation by default
    if img is None:
        return False
    out = cv2.resize(img, SIZE, interpolation=cv2.INTER_AREA)
    return bool(cv2.imwrite(dst, out, [cv2.IMWRITE_JPEG_QUALITY, QUALITY]))


PEERS = {"pillow": (pillow_one, None), "opencv": (opencv_one, opencv_init)}


def run_peer(name: str, src: Path, dst: Path, jobs: int) -> tuple[float, float, int]:
    """Time one peer over the whole tree; returns (seconds, CPU seconds, images written)."""
    fn, init = PEERS[name]
    cpu0, t0 = cpu_seconds(), time.perf_counter()
    rels = list_images(src)
    for folder in sorted({rel.parent for rel in rels}):
        (dst / folder).mkdir(parents=True, exist_ok=True)
    tasks = [(str(src / rel), str(dst / rel.with_suffix(".jpg"))) for rel in rels]
    with mp.get_context("fork").Pool(jobs, initializer=init) as pool:
        done = sum(pool.imap_unordered(fn, tasks, chunksize=8))
    seconds = time.perf_counter() - t0
    return seconds, cpu_seconds() - cpu0, done   # the workers are reaped when the pool exits


def check_outputs(out: Path, expected: int) -> str:
    """'' when the tree holds `expected` 224x224 images, else what is wrong."""
    rels = list_images(out)
    if len(rels) != expected:
        return f"{len(rels)} outputs for {expected} inputs"
    for rel in rels[:: max(1, len(rels) // 20)]:
        with Image.open(out / rel) as im:
            if im.size != SIZE:
                return f"{rel} is {im.size[0]}x{im.size[1]}"
    return ""


def time_contenders(ctx: Context, n: int) -> tuple[dict, dict, dict, dict]:
    """Runs ours, pillow, opencv (and ours --full-decode, the same decode work as the peers,
    if the binary has it) in turn, ctx.runs times; returns the wall and CPU seconds of each
    good run per contender, ours' peak RSS per run (MB) and what went wrong."""
    out_root = ctx.scratch / "resize"
    names = ["ours", "pillow", "opencv"] + (["ours-full"] if ours_supports(ctx, "--full-decode")
                                            else [])
    times: dict[str, list[float]] = {k: [] for k in names}
    cpu: dict[str, list[float]] = {k: [] for k in names}
    rss: dict[str, list[float]] = {k: [] for k in names if k.startswith("ours")}
    problems: dict[str, str] = {}
    for r in range(ctx.runs):
        for name in times:
            if name in problems:
                continue
            out = fresh_dir(out_root / name)
            if name.startswith("ours"):
                extra = ["--full-decode"] if name == "ours-full" else []
                res = run_measured(ours_cmd(ctx, ctx.corpus, out, "--quality", str(QUALITY),
                                            "--json", *extra), ctx.scratch)
                if res.rc != 0:
                    problems[name] = f"exit {res.rc}\n{tail(res.stderr or res.stdout)}"
                    continue
                seconds, cpu_s, done = res.seconds, res.cpu_seconds, n
                rss[name].append(res.maxrss_mb)
            else:
                seconds, cpu_s, done = run_peer(name, ctx.corpus, out, ctx.jobs)
                if done != n:
                    problems[name] = f"{n - done} of {n} images failed"
                    continue
            problem = check_outputs(out, n)
            if problem:
                problems[name] = problem
                continue
            times[name].append(seconds)
            cpu[name].append(cpu_s)
            log(f"resize: run {r + 1}/{ctx.runs} {name:9s} {seconds:6.2f} s  "
                f"{n / seconds:6.0f} img/s  {cpu_s / seconds:4.2f} cores busy")
    for name, why in problems.items():
        log(f"resize: {name} failed: {why}")
    return times, cpu, rss, problems


def run(ctx: Context) -> tuple[list[Figure], dict]:
    n = ctx.corpus_info["count"]
    log(f"resize: warming the page cache ({warm_cache(ctx.corpus) / 1e6:.0f} MB)")
    times, cpu, rss, problems = time_contenders(ctx, n)

    ips = {k: (n / min(v) if v else None) for k, v in times.items()}          # best run
    ms = {k: (1000 * min(v) / n if v else None) for k, v in cpu.items()}
    peers = {k: v for k, v in ips.items() if not k.startswith("ours") and v}
    best_peer = max(peers, key=peers.get) if peers else None
    ratio = ips["ours"] / peers[best_peer] if ips["ours"] and best_peer else None
    full = ips.get("ours-full")
    full_ratio = full / peers[best_peer] if full and best_peer else None
    peak = max(rss["ours"]) if rss["ours"] else None
    fmt = lambda v, spec: "n/a" if v is None else format(v, spec)
    print("resize  " + "  ".join(f"{k} {fmt(v, '.0f')} img/s" for k, v in ips.items())
          + "  ratio " + (f"{ratio:.2f}x (vs {best_peer})" if ratio else "n/a")
          + (f"  ours-full ratio {full_ratio:.2f}x" if full_ratio else ""), flush=True)
    print("resize  CPU per image  " + "  ".join(f"{k} {fmt(v, '.2f')} ms" for k, v in ms.items()),
          flush=True)
    print(f"resize  peak RSS {fmt(peak, '.0f')} MB", flush=True)
    # The peers keep every worker busy; if even their best runs were not, the host was contended.
    busy = [cpu[k][times[k].index(min(times[k]))] / min(times[k]) for k in peers]
    starved = bool(busy) and min(busy) < 0.75 * ctx.jobs
    if starved:
        print(f"resize  warning: CPU-starved host (peers' best runs kept {min(busy):.2f} of "
              f"{ctx.jobs} cores busy); img/s are unreliable, CPU per image is steadier; rerun",
              flush=True)

    figures = [Figure(NAME, f"{k} images/s", v, "img/s") for k, v in ips.items()]
    figures += [Figure(NAME, f"{k} CPU per image", v, "ms") for k, v in ms.items()]
    vs = best_peer or "best peer"
    figures += [Figure(NAME, f"ours / {vs}", ratio, "x", (">=", TARGET_RATIO)),
                Figure(NAME, "ours peak RSS", peak, "MB", ("<", TARGET_RSS_MB))]
    if "ours-full" in ips:
        figures.append(Figure(NAME, f"ours-full / {vs}", full_ratio, "x"))
    data = {"images": n, "jobs": ctx.jobs, "runs": ctx.runs, "seconds": times,
            "cpu_seconds": cpu, "cpu_ms_per_image": ms, "images_per_s": ips,
            "ratio": ratio, "ratio_vs": best_peer, "ratio_full_decode": full_ratio,
            "cpu_ratio": ms[best_peer] / ms["ours"] if ratio and ms["ours"] else None,
            "cpu_starved": starved, "peak_rss_mb": peak, "peak_rss_mb_runs": rss,
            "failures": problems, "error": bool(problems)}
    if not os.access(ctx.ours, os.X_OK):
        log("resize: skipping the quality check: no binary to check")
        return figures, data
    q_figures, q_data = resize_quality.run(ctx, ours_cmd, "ours-full" in times)
    data["quality"] = q_data
    data["error"] = bool(problems or q_data["failures"])
    return figures + q_figures, data
