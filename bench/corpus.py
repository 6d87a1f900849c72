"""A seeded, cached corpus of photo-like JPEGs shaped like Food-101's images.

Each image is a random crop/rescale/flip/rotate of a real photo shipped inside a PyPI package
(scikit-image's bundled `skimage.data` photos and scikit-learn's two sample images), with colour
jitter, sensor-like noise and sometimes a blend of two photos. JPEG decode cost depends on
texture, so real photo content matters. Without those packages it falls back to synthetic
smooth-field + shapes + noise images. Layout: <corpus>/class_NN/<id>.jpg, max side 512, other
side 288-512, quality 75-95, mostly 4:2:0, ~2% grayscale and ~2% with an EXIF orientation tag.
"""
from __future__ import annotations

import json
import multiprocessing as mp
import shutil
import time
import warnings
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageEnhance

from common import WORK, list_images, log

VERSION = 1                      # bump when the generator changes: the cache is rebuilt
CLASSES = 20
CORPUS = WORK / "corpus"
STAMP = WORK / "corpus.json"     # kept beside the tree, not in it: the tree holds images only

# Real photos bundled in the wheels (these load offline; others in skimage.data need pooch).
SKIMAGE_COLOUR = ["astronaut", "chelsea", "coffee", "rocket", "immunohistochemistry", "retina"]
SKIMAGE_GRAY = ["camera", "moon", "grass", "gravel", "brick", "coins"]

_photos: dict = {}               # filled in the parent before forking the generator pool


def load_photos() -> tuple[list[np.ndarray], list[np.ndarray], list[str]]:
    """(colour photos, grayscale photos, their names) from the packages that are installed."""
    colour, gray, names = [], [], []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            import skimage.data as data
            for name in SKIMAGE_COLOUR + SKIMAGE_GRAY + ["stereo_motorcycle"]:
                try:
                    img = getattr(data, name)()
                except Exception:        # not bundled in this version: would need a download
                    continue
                pics = list(img[:2]) if name == "stereo_motorcycle" else [img]
                for k, pic in enumerate(pics):
                    pic = np.asarray(pic)
                    if name == "retina":   # keep the inside of the fundus, not the black rim
                        c, r = pic.shape[0] // 2, pic.shape[0] // 3
                        pic = pic[c - r:c + r, c - r:c + r]
                    (gray if pic.ndim == 2 else colour).append(np.ascontiguousarray(pic[..., :3]))
                    names.append(f"skimage.{name}" + (f"[{k}]" if len(pics) > 1 else ""))
        except ImportError:
            pass
        try:
            from sklearn.datasets import load_sample_images
            sample = load_sample_images()
            for img, fn in zip(sample.images, sample.filenames):
                colour.append(np.asarray(img))
                names.append("sklearn." + Path(fn).stem)
        except ImportError:
            pass
    return colour, gray, names


def _crop(rng, src: np.ndarray, w: int, h: int) -> Image.Image:
    """A random crop of src rescaled to w x h (0.7-1.5 output px per source px, clamped)."""
    if rng.random() < 0.2:
        src = np.rot90(src)
    sh, sw = src.shape[:2]
    scale = max(rng.uniform(0.7, 1.5), w / sw, h / sh)
    cw, ch = min(sw, round(w / scale)), min(sh, round(h / scale))
    x, y = int(rng.integers(0, sw - cw + 1)), int(rng.integers(0, sh - ch + 1))
    im = Image.fromarray(np.ascontiguousarray(src[y:y + ch, x:x + cw]))
    im = im.resize((w, h), Image.Resampling.BICUBIC)
    return im.transpose(Image.Transpose.FLIP_LEFT_RIGHT) if rng.random() < 0.5 else im


def _smooth_field(rng, w: int, h: int, cells: int, channels: int) -> np.ndarray:
    """Low-frequency random field in [0, 1]: a small random grid upsampled bicubically."""
    grid = (rng.random((cells, cells, channels)) * 255).astype(np.uint8)
    im = Image.fromarray(grid.squeeze()).resize((w, h), Image.Resampling.BICUBIC)
    return np.asarray(im, dtype=np.float32).reshape(h, w, channels) / 255.0


def _synthetic(rng, w: int, h: int) -> Image.Image:
    """Fallback: smooth colour field + random shapes + fine texture."""
    base = _smooth_field(rng, w, h, int(rng.integers(3, 8)), 3) * 255
    im = Image.fromarray(base.astype(np.uint8))
    draw = ImageDraw.Draw(im)
    for _ in range(int(rng.integers(5, 25))):
        x0, y0 = int(rng.integers(-50, w)), int(rng.integers(-50, h))
        box = [x0, y0, x0 + int(rng.integers(10, 200)), y0 + int(rng.integers(10, 200))]
        fill = tuple(int(v) for v in rng.integers(0, 256, 3))
        (draw.ellipse if rng.random() < 0.6 else draw.rectangle)(box, fill=fill)
    texture = (_smooth_field(rng, w, h, max(w, h) // 3, 1) - 0.5) * 60
    return Image.fromarray(np.clip(np.asarray(im, np.float32) + texture, 0, 255).astype(np.uint8))


def _jitter(rng, im: Image.Image) -> Image.Image:
    """Colour jitter: brightness, contrast, saturation, hue."""
    im = ImageEnhance.Brightness(im).enhance(rng.uniform(0.75, 1.25))
    im = ImageEnhance.Contrast(im).enhance(rng.uniform(0.75, 1.3))
    im = ImageEnhance.Color(im).enhance(rng.uniform(0.6, 1.4))
    hsv = np.asarray(im.convert("HSV")).copy()
    hsv[..., 0] += np.uint8(rng.integers(0, 30) if rng.random() < 0.5 else 0)   # wraps: hue shift
    return Image.fromarray(hsv, "HSV").convert("RGB")


def make_image(seed: int, i: int) -> tuple[Image.Image, dict]:
    """Image number i and its save options; depends only on (seed, i)."""
    rng = np.random.default_rng([seed, i])
    side = int(rng.integers(288, 513))
    w, h = (512, side) if rng.random() < 0.75 else (side, 512)
    colour, gray, _ = _photos["colour"], _photos["gray"], _photos["names"]
    grayscale, exif = i % 50 == 17, i % 50 == 33
    if grayscale and gray and rng.random() < 0.5:
        im = _crop(rng, gray[int(rng.integers(len(gray)))], w, h)
    elif colour:
        im = _crop(rng, colour[int(rng.integers(len(colour)))], w, h)
        if rng.random() < 0.3:   # blend in a second photo through a smooth mask
            other = np.asarray(_crop(rng, colour[int(rng.integers(len(colour)))], w, h), np.float32)
            mask = np.clip((_smooth_field(rng, w, h, 4, 1) - 0.5) * 6 + 0.5, 0, 1)
            mixed = np.asarray(im, np.float32) * mask + other * (1 - mask)
            im = Image.fromarray(mixed.astype(np.uint8))
        im = _jitter(rng, im.convert("RGB"))
    else:
        im = _synthetic(rng, w, h)
    arr = np.asarray(im, np.float32)
    arr = arr + rng.normal(0, rng.uniform(0.5, 3.0), arr.shape).astype(np.float32)
    im = Image.fromarray(np.clip(arr + 0.5, 0, 255).astype(np.uint8))
    opts = {"quality": int(rng.integers(75, 96)), "subsampling": 0 if rng.random() < 0.1 else 2}
    if grayscale:
        im = im.convert("L")
    if exif:
        tags = Image.Exif()
        tags[0x0112] = int(rng.choice([3, 6, 8]))    # Orientation: 180, 90 CW, 90 CCW
        opts["exif"] = tags.tobytes()
    return im, opts


def _file_for(i: int, count: int) -> Path:
    per = -(-count // CLASSES)
    return Path(f"class_{i // per:02d}", f"{1000000 + i * 7919 % 9000000}.jpg")


def _write(task: tuple[int, int, int]) -> int:
    seed, i, count = task
    im, opts = make_image(seed, i)
    path = CORPUS / _file_for(i, count)
    path.parent.mkdir(exist_ok=True)
    im.save(path, "JPEG", **opts)
    return path.stat().st_size


def ensure_corpus(count: int, seed: int, jobs: int, synthetic: bool = False) -> dict:
    """Return the stamp of a corpus with these parameters, generating it if the cache differs."""
    want = {"version": VERSION, "count": count, "seed": seed, "synthetic": synthetic}
    try:
        stamp = json.loads(STAMP.read_text())
        if {k: stamp.get(k) for k in want} == want and len(list_images(CORPUS)) == count:
            return stamp
    except (OSError, ValueError):
        pass
    colour, gray, names = ([], [], []) if synthetic else load_photos()
    _photos.update(colour=colour, gray=gray, names=names)
    log(f"corpus: generating {count} JPEGs from "
        + (", ".join(names) if names else "synthetic images (no packaged photos found)"))
    shutil.rmtree(CORPUS, ignore_errors=True)
    STAMP.unlink(missing_ok=True)
    CORPUS.mkdir(parents=True)
    t0 = time.perf_counter()
    with mp.get_context("fork").Pool(jobs) as pool:
        sizes = pool.map(_write, [(seed, i, count) for i in range(count)], chunksize=16)
    seconds = time.perf_counter() - t0
    classes = len({_file_for(i, count).parent for i in range(count)})
    stamp = dict(want, classes=classes, sources=names or ["synthetic"], bytes=sum(sizes),
                 generate_seconds=round(seconds, 1),
                 grayscale=[str(_file_for(i, count)) for i in range(count) if i % 50 == 17],
                 exif=[str(_file_for(i, count)) for i in range(count) if i % 50 == 33])
    STAMP.write_text(json.dumps(stamp, indent=1) + "\n")
    return stamp


def describe(stamp: dict) -> str:
    n, size = stamp["count"], stamp["bytes"]
    return (f"corpus  {n} JPEGs in {stamp['classes']} classes, {size / 1e6:.0f} MB "
            f"(mean {size / n / 1e3:.0f} KB), generated in {stamp['generate_seconds']} s "
            f"from {len(stamp['sources'])} source photos")
