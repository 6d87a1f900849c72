"""unpack: a Food-101-shaped tar.gz of the corpus, unpacked by `dataset unpack` and by GNU tar.

The archive (built once, cached in work/unpack/) holds food-101/images/<class>/<id>.jpg for every
corpus image plus a food-101/meta/ folder, gzip level 6 (gzip's default), as Food-101's own
tarball. Contenders unpack it into a fresh folder; the page cache holds the archive (read once
first) and dirty pages are flushed (sync) before each timed run, outside the timing:
  ours      dataset unpack ARCHIVE --to OUT --quiet --json
  tar       tar xzf ARCHIVE -C OUT          (GNU tar, gzip as a child process, so on two cores)
  ours-md5  ours with --verify md5:<digest> (information: the digest is taken in the same pass)
Each runs --runs times in turn; the best run counts. Figures: archive MB/s per contender (MB of
the .tar.gz read per second), ours / tar (target >= 1.0x), CPU seconds, and the peak RSS of
ours from one more run under GNU time (see peak_rss_mb for why not from wait4).
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import tarfile
from pathlib import Path

from common import (WORK, Context, Figure, fresh_dir, list_images, log, run_measured, tail)

NAME = "unpack"
TARGET_RATIO = 1.0
ARCHIVE_DIR = WORK / "unpack"


def build_archive(ctx: Context) -> tuple[Path, dict]:
    """The cached food-101.tar.gz of the corpus and its stamp (rebuilt when the corpus changes)."""
    archive, stamp_path = ARCHIVE_DIR / "food-101.tar.gz", ARCHIVE_DIR / "food-101.json"
    want = {k: ctx.corpus_info.get(k) for k in ("version", "count", "seed", "synthetic", "bytes")}
    try:
        stamp = json.loads(stamp_path.read_text())
        if stamp.get("corpus") == want and archive.stat().st_size == stamp["size"]:
            return archive, stamp
    except (OSError, ValueError, KeyError):
        pass
    log("unpack: building food-101.tar.gz from the corpus")
    ARCHIVE_DIR.mkdir(parents=True, exist_ok=True)
    rels = list_images(ctx.corpus)
    classes = sorted({rel.parent.name for rel in rels})
    meta = {
        "classes.txt": "".join(c + "\n" for c in classes),
        "labels.txt": "".join(c.replace("_", " ").title() + "\n" for c in classes),
        "train.json": json.dumps({c: [f"{c}/{r.stem}" for r in rels if r.parent.name == c] for c in classes}),
        "train.txt": "".join(f"{r.parent.name}/{r.stem}\n" for r in rels),
    }
    folders = ["food-101", "food-101/images"] + [f"food-101/images/{c}" for c in classes] + ["food-101/meta"]
    partial = archive.with_suffix(".partial")
    with tarfile.open(partial, "w:gz", compresslevel=6, format=tarfile.GNU_FORMAT) as tar:
        for folder in folders:
            info = tarfile.TarInfo(folder)
            info.type, info.mode, info.mtime = tarfile.DIRTYPE, 0o755, 1_500_000_000
            tar.addfile(info)
        for rel in rels:
            tar.add(ctx.corpus / rel, arcname=f"food-101/images/{rel.parent.name}/{rel.name}", recursive=False)
        for name, text in meta.items():
            data = text.encode()
            info = tarfile.TarInfo(f"food-101/meta/{name}")
            info.size, info.mode, info.mtime = len(data), 0o644, 1_500_000_000
            tar.addfile(info, io.BytesIO(data))
    partial.rename(archive)
    md5 = hashlib.md5(archive.read_bytes()).hexdigest()
    stamp = {"corpus": want, "size": archive.stat().st_size, "md5": md5, "images": len(rels),
             "entries": len(folders) + len(rels) + len(meta)}
    stamp_path.write_text(json.dumps(stamp, indent=1) + "\n")
    return archive, stamp


def tree_bytes(root: Path) -> tuple[int, int]:
    """(files, bytes) under root."""
    files = size = 0
    for dirpath, _, filenames in os.walk(root):
        for name in filenames:
            files += 1
            size += os.path.getsize(os.path.join(dirpath, name))
    return files, size


def check_output(out: Path, reference: tuple[int, int] | None, images: int) -> str:
    """'' when the unpacked tree looks complete (same files and bytes as the reference)."""
    found = tree_bytes(out)
    if len(list_images(out / "food-101" / "images")) != images:
        return f"{len(list_images(out / 'food-101' / 'images'))} images unpacked, expected {images}"
    if reference and found != reference:
        return f"{found[0]} files / {found[1]} bytes, tar gave {reference[0]} / {reference[1]}"
    return ""


def peak_rss_mb(cmd: list[str], scratch: Path) -> float | None:
    """Peak RSS of cmd measured by GNU time, whose own small process is the parent: wait4's
    ru_maxrss of a child forked from this Python also counts the Python image it started from."""
    gnu_time = shutil.which("time")     # the program (GNU time), not the shell keyword
    if not gnu_time:
        return None
    report = scratch / "maxrss.txt"
    res = run_measured([gnu_time, "-f", "%M", "-o", str(report)] + cmd, scratch)
    try:
        return int(report.read_text().split()[-1]) / 1024.0 if res.rc == 0 else None
    except (OSError, ValueError, IndexError):
        return None


def run(ctx: Context) -> tuple[list[Figure], dict]:
    archive, stamp = build_archive(ctx)
    size = stamp["size"]
    with open(archive, "rb") as f:        # warm the page cache
        while f.read(1 << 24):
            pass
    log(f"unpack: archive {size / 1e6:.0f} MB, {stamp['entries']} entries")
    tar_bin = shutil.which("tar")
    ours = [str(ctx.ours), "unpack", str(archive), "--quiet", "--json", "--to"]
    commands = {   # each takes the output folder last
        "ours": ours,
        "tar": [tar_bin or "tar", "xzf", str(archive), "-C"],
        "ours-md5": ours[:-1] + ["--verify", "md5:" + stamp["md5"], "--to"],
    }
    times: dict[str, list[float]] = {k: [] for k in commands}
    cpu: dict[str, list[float]] = {k: [] for k in commands}
    peak = None
    problems: dict[str, str] = {}
    reference = None
    out_root = ctx.scratch / "unpack"
    for r in range(ctx.runs):
        for name, base in commands.items():
            if name in problems:
                continue
            out = fresh_dir(out_root / name)
            os.sync()                      # earlier runs' dirty pages are not this run's cost
            res = run_measured(base + [str(out)], ctx.scratch)
            if res.rc != 0:
                problems[name] = f"exit {res.rc}\n{tail(res.stderr or res.stdout)}"
                continue
            if name == "tar" and reference is None:
                reference = tree_bytes(out)
            problem = check_output(out, reference if name != "tar" else None, stamp["images"])
            if name.startswith("ours") and not problem and (res.summary or {}).get("done") != stamp["entries"]:
                problem = f"summary says {(res.summary or {}).get('done')} done, expected {stamp['entries']}"
            if problem:
                problems[name] = problem
                continue
            times[name].append(res.seconds)
            cpu[name].append(res.cpu_seconds)
            log(f"unpack: run {r + 1}/{ctx.runs} {name:8s} {res.seconds:6.2f} s  {size / 1e6 / res.seconds:6.0f} MB/s"
                f"  {res.cpu_seconds / res.seconds:4.2f} cores busy")
    if not problems.get("ours"):
        peak = peak_rss_mb(ours + [str(fresh_dir(out_root / "rss"))], ctx.scratch)
    shutil.rmtree(out_root, ignore_errors=True)
    for name, why in problems.items():
        log(f"unpack: {name} failed: {why}")

    mbps = {k: (size / 1e6 / min(v) if v else None) for k, v in times.items()}
    best_cpu = {k: (cpu[k][times[k].index(min(times[k]))] if times[k] else None) for k in times}
    ratio = mbps["ours"] / mbps["tar"] if mbps["ours"] and mbps["tar"] else None
    md5_ratio = mbps["ours-md5"] / mbps["tar"] if mbps["ours-md5"] and mbps["tar"] else None
    fmt = lambda v, spec: "n/a" if v is None else format(v, spec)
    print("unpack  " + "  ".join(f"{k} {fmt(v, '.0f')} MB/s" for k, v in mbps.items())
          + f"  ratio {fmt(ratio, '.2f')}x (vs GNU tar)  with md5 {fmt(md5_ratio, '.2f')}x", flush=True)
    print("unpack  CPU s  " + "  ".join(f"{k} {fmt(v, '.2f')}" for k, v in best_cpu.items())
          + f"  peak RSS of ours {fmt(peak, '.0f')} MB", flush=True)

    figures = [Figure(NAME, f"{k} archive MB/s", v, "MB/s") for k, v in mbps.items()]
    figures += [Figure(NAME, "ours / GNU tar", ratio, "x", (">=", TARGET_RATIO)),
                Figure(NAME, "ours --verify md5 / GNU tar", md5_ratio, "x"),
                Figure(NAME, "ours peak RSS", peak, "MB")]
    data = {"archive_bytes": size, "entries": stamp["entries"], "runs": ctx.runs, "seconds": times,
            "cpu_seconds": cpu, "archive_mb_per_s": mbps, "ratio": ratio, "ratio_md5": md5_ratio,
            "peak_rss_mb": peak, "failures": problems, "error": bool(problems)}
    return figures, data
