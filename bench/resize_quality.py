"""resize quality: how close our resize output is to Pillow's on the same pixels (PSNR, dB).

About 50 corpus images are decoded once with Pillow (EXIF orientation applied) and saved as
lossless PNG, so both sides start from identical pixels:
  bilinear  ours --format png            vs Pillow resize(BILINEAR)   (target: >= 38 dB)
  area      ours --format png --filter area  vs Pillow resize(BOX)     (information)
  jpeg      ours on the original JPEGs (q90), decoded  vs Pillow's whole pipeline, decoded
            (information: adds two decoders' and two encoders' differences); again with
            --full-decode when the binary has it (no reduced-scale DCT decoding)
"""
from __future__ import annotations

import io
import shutil
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps

from common import Context, Figure, fresh_dir, list_images, log, psnr, run_measured, tail

SAMPLE = 50
SIZE = (224, 224)
TARGET_DB = 38.0


def pick_sample(ctx: Context) -> list[Path]:
    """Evenly spaced corpus files plus a few grayscale and EXIF-tagged ones."""
    rels = list_images(ctx.corpus)
    special = []
    for kind in ("grayscale", "exif"):
        files = ctx.corpus_info.get(kind, [])
        special += [Path(p) for p in files[:: max(1, len(files) // 3)][:3]]
    step = max(1, len(rels) // (SAMPLE - len(special)))
    picked = list(dict.fromkeys(rels[::step][: SAMPLE - len(special)] + special))
    return sorted(picked)


def decode(path: Path) -> Image.Image:
    """Pillow decode as the peers do it: EXIF orientation applied, RGB."""
    with Image.open(path) as im:
        return ImageOps.exif_transpose(im).convert("RGB")


def find_output(out: Path, rel: Path) -> Path | None:
    """Our output for input rel: same relative folder and stem, whatever extension."""
    for cand in [out / rel] + sorted((out / rel.parent).glob(rel.stem + ".*")):
        if cand.is_file() and cand.suffix.lower() in {".png", ".jpg", ".jpeg"}:
            return cand
    return None


def compare(out: Path, rels: list[Path], refs: list[np.ndarray]) -> tuple[dict, list[str]]:
    """PSNR per input that has an output, and the inputs that have none."""
    scores, missing = {}, []
    for rel, ref in zip(rels, refs):
        path = find_output(out, rel)
        if path is None:
            missing.append(str(rel))
            continue
        with Image.open(path) as im:     # raw pixels: a leftover orientation tag would show
            scores[str(rel)] = psnr(np.asarray(im.convert("RGB")), ref)
    return scores, missing


def jpeg_pipeline(img: Image.Image) -> np.ndarray:
    """Pillow's resize benchmark pipeline from decoded pixels to decoded q90 output."""
    buf = io.BytesIO()
    img.resize(SIZE, Image.Resampling.BILINEAR).save(buf, "JPEG", quality=90)
    return np.asarray(Image.open(buf).convert("RGB"))


def run(ctx: Context, ours_cmd, full_decode: bool) -> tuple[list[Figure], dict]:
    rels = pick_sample(ctx)
    root = fresh_dir(ctx.scratch / "quality")
    decoded = []
    for rel in rels:
        img = decode(ctx.corpus / rel)
        decoded.append(img)
        (root / "png" / rel.parent).mkdir(parents=True, exist_ok=True)
        img.save(root / "png" / rel.with_suffix(".png"), compress_level=1)
        (root / "jpg" / rel.parent).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ctx.corpus / rel, root / "jpg" / rel)
    png_rels = [rel.with_suffix(".png") for rel in rels]
    log(f"resize: quality check on {len(rels)} images")

    checks = {
        "bilinear": ("png", ["--format", "png"], png_rels,
                     [np.asarray(d.resize(SIZE, Image.Resampling.BILINEAR)) for d in decoded]),
        "area": ("png", ["--format", "png", "--filter", "area"], png_rels,
                 [np.asarray(d.resize(SIZE, Image.Resampling.BOX)) for d in decoded]),
        "jpeg": ("jpg", ["--quality", "90"], rels, [jpeg_pipeline(d) for d in decoded]),
    }
    if full_decode:   # ours' default may decode JPEGs at a reduced DCT scale; Pillow never does
        checks["jpeg-full"] = ("jpg", ["--quality", "90", "--full-decode"], rels, checks["jpeg"][3])
    labels = {"bilinear": "PSNR vs Pillow bilinear", "area": "PSNR area vs Pillow BOX",
              "jpeg": "PSNR JPEG path vs Pillow pipeline",
              "jpeg-full": "PSNR JPEG path --full-decode vs Pillow pipeline"}
    figures, data, failures = [], {"images": len(rels)}, {}
    for name, (tree, flags, inputs, refs) in checks.items():
        out = fresh_dir(root / f"out-{name}")
        res = run_measured(ours_cmd(ctx, root / tree, out, *flags), ctx.scratch)
        scores, missing = compare(out, inputs, refs) if res.rc == 0 else ({}, [])
        if res.rc != 0 or missing:
            failures[name] = (f"exit {res.rc}\n{tail(res.stderr or res.stdout)}" if res.rc
                              else f"no output for {len(missing)} inputs, e.g. {missing[0]}")
            log(f"resize: quality '{name}' failed: {failures[name]}")
        mean = float(np.mean(list(scores.values()))) if scores else None
        low = min(scores.values()) if scores else None
        text = f"mean {mean:.1f} dB, min {low:.1f} dB" if scores else "n/a"
        print(f"resize  {labels[name]}: {text}", flush=True)
        target = (">=", TARGET_DB) if name == "bilinear" else None
        figures += [Figure("resize", f"{labels[name]} (mean)", mean, "dB", target),
                    Figure("resize", f"{labels[name]} (min)", low, "dB", target)]
        data[name] = {"mean_db": mean, "min_db": low,
                      "per_image_db": {r: round(s, 2) for r, s in scores.items()}}
    data["failures"] = failures
    return figures, data
