"""augment: the tutorials' class balancing (every class to 600 images) on the corpus, on all cores.

Each class of the corpus (100 JPEGs) gets its originals copied and 500 augmented copies (5 per
image), JPEG output. Contenders:
  ours        dataset augment CORPUS --to OUT --class-size 600 <tutorial flags> --jobs N (q90)
  ours+bright the same with --brightness-range 0.8,1.2 (the albumentations comparison)
  keras       the tutorial loop: ImageDataGenerator(rotation_range=40, width_shift_range=0.2,
              height_shift_range=0.2, shear_range=0.2, zoom_range=0.2, horizontal_flip=True,
              fill_mode='nearest'); per image load_img -> img_to_array -> datagen.flow(x,
              batch_size=1, save_to_dir=..., save_format='jpeg') until it has made its copies;
              Pool(N) over classes. keras-preprocessing 1.1.2 is the ImageDataGenerator code
              tf.keras 2.x ran (NumPy, SciPy, PIL; no TensorFlow needed); it saves with PIL's
              default quality 75 and names files with a random number below 10^4, so copies can
              overwrite each other (counted as lost). It is slow, so it does the first
              KERAS_CLASSES classes; copies/s is a rate either way.
  albumentations  Pool(N), cv2.setNumThreads(1): cv2.imread once per image, then per copy
              Compose([Affine(rotate 40, translate 0.2, shear 0.2, scale 0.8-1.2, bilinear,
              BORDER_REPLICATE), HorizontalFlip, RandomBrightnessContrast(brightness 0.2, no
              contrast)]) -> cv2.imwrite q90.
Targets: ours >= 15x keras, ours+bright >= 2x albumentations, peak RSS of ours < 200 MB.
Each run writes a new folder (deleted after all timings): see the note in `run`.
"""
from __future__ import annotations

import multiprocessing as mp
import os
import shutil
import time
import warnings
from pathlib import Path

from common import Context, Figure, cpu_seconds, fresh_dir, list_images, log, run_measured, tail, warm_cache

NAME = "augment"
CLASS_SIZE = 600
QUALITY = 90
KERAS_CLASSES = 4
TARGET_KERAS = 15.0
TARGET_ALBUMENTATIONS = 2.0
TARGET_RSS_MB = 200.0
TUTORIAL = ["--rotation-range", "40", "--width-shift-range", "0.2", "--height-shift-range", "0.2",
            "--shear-range", "0.2", "--zoom-range", "0.2", "--horizontal-flip", "--fill-mode", "nearest"]


def copies_per_image(n: int) -> list[int]:
    """The balanced plan: CLASS_SIZE - n copies spread over n images (the first get the extra)."""
    m = max(0, CLASS_SIZE - n)
    return [m // n + (1 if i < m % n else 0) for i in range(n)]


def classes(corpus: Path) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for rel in list_images(corpus):
        found.setdefault(str(rel.parent), []).append(rel.name)
    return found


def keras_class(task: tuple[str, str, list[str], int]) -> tuple[int, int]:
    """The tutorial loop for one class; returns (copies asked for, copies on disk)."""
    src, dst, names, seed = task
    warnings.simplefilter("ignore")
    import numpy as np
    from keras_preprocessing.image import ImageDataGenerator, img_to_array, load_img
    np.random.seed(seed)
    datagen = ImageDataGenerator(rotation_range=40, width_shift_range=0.2, height_shift_range=0.2, shear_range=0.2,
                                 zoom_range=0.2, horizontal_flip=True, fill_mode="nearest")
    os.makedirs(dst, exist_ok=True)
    for name in names:
        shutil.copyfile(os.path.join(src, name), os.path.join(dst, name))
    wanted = 0
    for name, k in zip(names, copies_per_image(len(names))):
        x = img_to_array(load_img(os.path.join(src, name)))[None]
        wanted += k
        made = 0
        for _ in datagen.flow(x, batch_size=1, save_to_dir=dst, save_prefix=os.path.splitext(name)[0], save_format="jpeg"):
            made += 1
            if made >= k:
                break
    return wanted, len(os.listdir(dst)) - len(names)


_transform = None


def albumentations_init() -> None:
    import albumentations as A
    import cv2
    global _transform
    cv2.setNumThreads(1)
    _transform = A.Compose([
        A.Affine(rotate=(-40, 40), translate_percent=(-0.2, 0.2), shear=(-0.2, 0.2), scale=(0.8, 1.2),
                 interpolation=cv2.INTER_LINEAR, border_mode=cv2.BORDER_REPLICATE, p=1.0),
        A.HorizontalFlip(p=0.5),
        A.RandomBrightnessContrast(brightness_limit=0.2, contrast_limit=0.0, p=1.0),
    ], seed=os.getpid())


def albumentations_one(task: tuple[str, str, int]) -> int:
    import cv2
    src, dst, k = task
    img = cv2.imread(src, cv2.IMREAD_COLOR)
    if img is None:
        return 0
    shutil.copyfile(src, dst + ".jpg")
    for j in range(k):
        cv2.imwrite(f"{dst}_aug{j + 1}.jpg", _transform(image=img)["image"], [cv2.IMWRITE_JPEG_QUALITY, QUALITY])
    return k


def run_keras(ctx: Context, out: Path) -> tuple[float, float, int, int]:
    groups = sorted(classes(ctx.corpus).items())[:KERAS_CLASSES]
    tasks = [(str(ctx.corpus / c), str(out / c), names, i) for i, (c, names) in enumerate(groups)]
    cpu0, t0 = cpu_seconds(), time.perf_counter()
    with mp.get_context("fork").Pool(ctx.jobs) as pool:
        results = pool.map(keras_class, tasks, chunksize=1)
    seconds = time.perf_counter() - t0
    return seconds, cpu_seconds() - cpu0, sum(w for w, _ in results), sum(d for _, d in results)


def run_albumentations(ctx: Context, out: Path) -> tuple[float, float, int]:
    cpu0, t0 = cpu_seconds(), time.perf_counter()
    tasks = []
    for c, names in sorted(classes(ctx.corpus).items()):
        (out / c).mkdir(parents=True, exist_ok=True)
        for name, k in zip(names, copies_per_image(len(names))):
            tasks.append((str(ctx.corpus / c / name), str(out / c / os.path.splitext(name)[0]), k))
    with mp.get_context("fork").Pool(ctx.jobs, initializer=albumentations_init) as pool:
        made = sum(pool.imap_unordered(albumentations_one, tasks, chunksize=4))
    return time.perf_counter() - t0, cpu_seconds() - cpu0, made


def ours_cmd(ctx: Context, out: Path, *extra: str) -> list[str]:
    return [str(ctx.ours), "augment", str(ctx.corpus), "--to", str(out), "--class-size", str(CLASS_SIZE), *TUTORIAL,
            "--quality", str(QUALITY), "--jobs", str(ctx.jobs), "--overwrite", "--quiet", "--json", *extra]


def expected_copies(ctx: Context) -> int:
    return sum(sum(copies_per_image(len(names))) for names in classes(ctx.corpus).values())


def run(ctx: Context) -> tuple[list[Figure], dict]:
    log(f"augment: warming the page cache ({warm_cache(ctx.corpus) / 1e6:.0f} MB)")
    copies = expected_copies(ctx)
    root = ctx.scratch / "augment"
    rate: dict[str, list[float]] = {k: [] for k in ("ours", "ours+bright", "albumentations", "keras")}
    cpu_ms: dict[str, list[float]] = {k: [] for k in rate}
    rss: list[float] = []
    problems: dict[str, str] = {}
    keras_lost = 0
    # Every run writes a new folder; all are deleted after the timing. Creating files right after
    # deleting thousands makes ext4 scan past its recently deleted inodes, which would bill one
    # contender for the previous one's clean-up.
    shutil.rmtree(root, ignore_errors=True)
    for r in range(ctx.runs):
        for name in rate:
            if name in problems or (name == "keras" and r > 0):
                continue          # keras: one run (it takes minutes); its rate varies little
            out = fresh_dir(root / f"{name}-{r + 1}")
            if name.startswith("ours"):
                res = run_measured(ours_cmd(ctx, out, *(["--brightness-range", "0.8,1.2"] if name == "ours+bright" else [])),
                                   ctx.scratch)
                if res.rc != 0:
                    problems[name] = f"exit {res.rc}\n{tail(res.stderr or res.stdout)}"
                    continue
                made = len([p for p in list_images(out) if "_aug" in p.name])
                if made != copies or any(len(n) != CLASS_SIZE for n in classes(out).values()):
                    problems[name] = f"{made} copies for {copies}, or a class not at {CLASS_SIZE}"
                    continue
                seconds, cpu_s = res.seconds, res.cpu_seconds
                rss.append(res.maxrss_mb)
            elif name == "albumentations":
                seconds, cpu_s, made = run_albumentations(ctx, out)
                if made != copies:
                    problems[name] = f"{made} copies for {copies}"
                    continue
            else:
                seconds, cpu_s, wanted, made = run_keras(ctx, out)
                keras_lost = wanted - made
                made = wanted       # the work was done; lost files were overwritten, not skipped
            rate[name].append(made / seconds)
            cpu_ms[name].append(1000 * cpu_s / made)
            log(f"augment: run {r + 1}/{ctx.runs} {name:15s} {seconds:6.1f} s  {made / seconds:6.0f} copies/s  "
                f"{1000 * cpu_s / made:5.2f} ms CPU/copy  {cpu_s / seconds:4.2f} cores busy")
    for name, why in problems.items():
        log(f"augment: {name} failed: {why}")

    best = {k: max(v) if v else None for k, v in rate.items()}
    cpu = {k: min(v) if v else None for k, v in cpu_ms.items()}
    def ratio(a, b, table):
        return table[a] / table[b] if table[a] and table[b] else None
    def cpu_ratio(a, b):
        return cpu[b] / cpu[a] if cpu[a] and cpu[b] else None
    vs_keras, vs_album = ratio("ours", "keras", best), ratio("ours+bright", "albumentations", best)
    peak = max(rss) if rss else None
    fmt = lambda v, spec: "n/a" if v is None else format(v, spec)
    print("augment  " + "  ".join(f"{k} {fmt(v, '.0f')} copies/s" for k, v in best.items()), flush=True)
    print("augment  CPU per copy  " + "  ".join(f"{k} {fmt(v, '.2f')} ms" for k, v in cpu.items()), flush=True)
    print(f"augment  ours / keras {fmt(vs_keras, '.1f')}x (CPU {fmt(cpu_ratio('ours', 'keras'), '.1f')}x)  "
          f"ours+bright / albumentations {fmt(vs_album, '.2f')}x (CPU {fmt(cpu_ratio('ours+bright', 'albumentations'), '.2f')}x)  "
          f"peak RSS {fmt(peak, '.0f')} MB  keras lost {keras_lost} files to name collisions", flush=True)
    figures = [Figure(NAME, f"{k} copies/s", v, "copies/s") for k, v in best.items()]
    figures += [Figure(NAME, f"{k} CPU per copy", v, "ms") for k, v in cpu.items()]
    figures += [Figure(NAME, "ours / keras", vs_keras, "x", (">=", TARGET_KERAS)),
                Figure(NAME, "ours / keras (CPU)", cpu_ratio("ours", "keras"), "x"),
                Figure(NAME, "ours+bright / albumentations", vs_album, "x", (">=", TARGET_ALBUMENTATIONS)),
                Figure(NAME, "ours+bright / albumentations (CPU)", cpu_ratio("ours+bright", "albumentations"), "x"),
                Figure(NAME, "ours peak RSS", peak, "MB", ("<", TARGET_RSS_MB))]
    data = {"copies": copies, "keras_classes": KERAS_CLASSES, "jobs": ctx.jobs, "runs": ctx.runs,
            "copies_per_s": rate, "cpu_ms_per_copy": cpu_ms, "best_copies_per_s": best, "best_cpu_ms": cpu,
            "ratio_keras": vs_keras, "ratio_albumentations": vs_album, "peak_rss_mb": peak,
            "keras_lost_files": keras_lost, "failures": problems, "error": bool(problems)}
    log("augment: deleting the outputs")
    shutil.rmtree(root, ignore_errors=True)
    if os.access(ctx.ours, os.X_OK):
        import augment_oracle
        o_figures, o_data = augment_oracle.run(ctx)
        data["oracle"] = o_data
        data["error"] = data["error"] or o_data["error"]
        figures += o_figures
    return figures, data
