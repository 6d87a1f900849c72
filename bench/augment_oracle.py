"""augment oracle: our warp against SciPy's on the same pixels and the same matrix.

About 24 corpus images are decoded by Pillow (EXIF applied) and saved as PNG, so both sides start
from identical pixels. For each fill mode, `dataset augment --copies 2 --no-originals --format png
--log params.jsonl` warps them with wide ranges (turns, shifts past the edge, shear, zoom in and
out, both flips, brightness, channel shift). From each logged record this module rebuilds the
output->input matrix independently (Keras' composition: rotation . shift . shear . zoom about the
centre ((w-1)/2, (h-1)/2), then the flips) and warps the PNG with
`scipy.ndimage.affine_transform(order=1)` in the matching mode, then applies the colour changes
(channel shift clipped to the warped image's range, then PIL's ImageEnhance.Brightness):
  nearest -> 'nearest'   constant -> 'constant' (cval)   reflect -> 'reflect'   wrap -> 'grid-wrap'
Target: in every output, >= 99% of pixels within +-2 levels on all channels. For information,
OpenCV `warpAffine(WARP_INVERSE_MAP | INTER_LINEAR)` with REPLICATE/CONSTANT/REFLECT/WRAP is scored
the same way (its 5-bit sub-pixel grid and blended constant edge make it a looser match).

The JPEG path. JPEG to JPEG, ours warps the file's own planes (Y full size, Cb and Cr at their
stored resolution) instead of RGB, so PNG sources never take it. It is scored on its own: the same
images saved by Pillow as JPEG q95 4:2:0; ours writes q100 4:4:4 (the least JPEG loss on top);
the reference is SciPy's warp (as above) of Pillow's decode of the source JPEG, i.e. of the decoded
input, and the comparison is on Pillow's decode of our output. No channel shift (it makes ours
take the RGB path). Figures per fill mode: min and mean share within +-2, and PSNR. For scale, the
same reference written as q100 4:4:4 by Pillow and decoded scores the JPEG round trip alone.
Target: min PSNR >= JPEG_TARGET_DB.
"""
from __future__ import annotations

import json
import math
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageEnhance, ImageOps
from scipy import ndimage

from common import Context, Figure, fresh_dir, list_images, log, run_measured, tail

SAMPLE = 24
TOLERANCE = 2
TARGET_SHARE = 0.99
CVAL = 77
FLAGS = ["--rotation-range", "45", "--width-shift-range", "0.3", "--height-shift-range", "0.3",
         "--shear-range", "20", "--zoom-range", "0.7,1.4", "--horizontal-flip", "--vertical-flip",
         "--brightness-range", "0.6,1.4", "--channel-shift-range", "25"]
JPEG_FLAGS = FLAGS[:-2]         # without the channel shift
JPEG_TARGET_DB = 35.0
SCIPY_MODE = {"nearest": "nearest", "constant": "constant", "reflect": "reflect", "wrap": "grid-wrap"}
CV2_BORDER = {"nearest": cv2.BORDER_REPLICATE, "constant": cv2.BORDER_CONSTANT,
              "reflect": cv2.BORDER_REFLECT, "wrap": cv2.BORDER_WRAP}


def sin_cos(degrees: float) -> tuple[float, float]:
    """Exact at multiples of 90 degrees, like ours (sin(pi) is not 0 in floating point)."""
    if degrees % 90 == 0:
        return [(0.0, 1.0), (1.0, 0.0), (0.0, -1.0), (-1.0, 0.0)][int(degrees // 90) % 4]
    r = math.radians(degrees)
    return math.sin(r), math.cos(r)


def matrix(p: dict, w: int, h: int) -> np.ndarray:
    """3x3 output->input map in (x, y) pixel coordinates, rebuilt from the logged parameters."""
    s, c = sin_cos(p["theta"])
    rotation = np.array([[c, -s, 0], [s, c, 0], [0, 0, 1]])
    shift = np.array([[1, 0, p["tx"]], [0, 1, p["ty"]], [0, 0, 1]])
    ss, sc = sin_cos(p["shear"])
    shear = np.array([[1, -ss, 0], [0, sc, 0], [0, 0, 1]])
    zoom = np.array([[p["zx"], 0, 0], [0, p["zy"], 0], [0, 0, 1]])
    cx, cy = (w - 1) / 2, (h - 1) / 2
    centre = np.array([[1, 0, cx], [0, 1, cy], [0, 0, 1]])
    back = np.array([[1, 0, -cx], [0, 1, -cy], [0, 0, 1]])
    flips = np.array([[-1 if p["flip_horizontal"] else 1, 0, w - 1 if p["flip_horizontal"] else 0],
                      [0, -1 if p["flip_vertical"] else 1, h - 1 if p["flip_vertical"] else 0],
                      [0, 0, 1]])
    return centre @ rotation @ shift @ shear @ zoom @ back @ flips


def photometric(img: np.ndarray, p: dict) -> np.ndarray:
    """Channel shift (one offset, clipped to the image's range), then PIL's Brightness."""
    if p.get("channel_shift_intensity") is not None:
        lo, hi = int(img.min()), int(img.max())
        img = np.clip(np.rint(img.astype(np.float64) + p["channel_shift_intensity"]), lo, hi).astype(np.uint8)
    if p.get("brightness") is not None:
        img = np.asarray(ImageEnhance.Brightness(Image.fromarray(img)).enhance(p["brightness"]))
    return img


def scipy_warp(src: np.ndarray, m: np.ndarray, mode: str, cval: float) -> np.ndarray:
    # SciPy indexes (row, col) = (y, x): swap the matrix's axes.
    a, b, c, d, e, f = m[0, 0], m[0, 1], m[0, 2], m[1, 0], m[1, 1], m[1, 2]
    rc = np.array([[e, d], [b, a]])
    channels = [ndimage.affine_transform(src[..., k].astype(np.float64), rc, offset=(f, c), order=1,
                                         mode=SCIPY_MODE[mode], cval=cval) for k in range(3)]
    return np.clip(np.rint(np.stack(channels, axis=-1)), 0, 255).astype(np.uint8)


def cv2_warp(src: np.ndarray, m: np.ndarray, mode: str, cval: float) -> np.ndarray:
    h, w = src.shape[:2]
    return cv2.warpAffine(src, m[:2].astype(np.float64), (w, h), flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
                          borderMode=CV2_BORDER[mode], borderValue=(cval, cval, cval))


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = float(np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2))
    return float("inf") if mse == 0 else 10 * math.log10(255 * 255 / mse)


def jpeg_round_trip(img: np.ndarray) -> np.ndarray:
    import io
    buf = io.BytesIO()
    Image.fromarray(img).save(buf, "JPEG", quality=100, subsampling=0)
    return np.asarray(Image.open(buf).convert("RGB"))


def share_within(a: np.ndarray, b: np.ndarray) -> tuple[float, int]:
    diff = np.abs(a.astype(np.int16) - b.astype(np.int16))
    return float(np.mean(diff.max(axis=-1) <= TOLERANCE)), int(diff.max())


def prepare(ctx: Context, root: Path) -> list[Path]:
    rels = list_images(ctx.corpus)
    picked = rels[:: max(1, len(rels) // SAMPLE)][:SAMPLE]
    out = []
    for rel in picked:
        with Image.open(ctx.corpus / rel) as im:
            img = ImageOps.exif_transpose(im).convert("RGB")
        path = root / "src" / rel.with_suffix(".png")
        path.parent.mkdir(parents=True, exist_ok=True)
        img.save(path)
        jpeg = root / "jpg-src" / rel.with_suffix(".jpg")
        jpeg.parent.mkdir(parents=True, exist_ok=True)
        img.save(jpeg, quality=95, subsampling=2)
        out.append(path.relative_to(root / "src"))
    return out


def run(ctx: Context) -> tuple[list[Figure], dict]:
    root = fresh_dir(ctx.scratch / "augment-oracle")
    prepare(ctx, root)
    figures, data, failures = [], {}, {}
    for mode in SCIPY_MODE:
        out, params = root / f"out-{mode}", root / f"params-{mode}.jsonl"
        cmd = [str(ctx.ours), "augment", str(root / "src"), "--to", str(out), "--copies", "2", "--no-originals",
               "--format", "png", "--png-compression", "1", "--log", str(params), "--fill-mode", mode,
               "--cval", str(CVAL), "--seed", "7", "--quiet", "--overwrite", *FLAGS]
        res = run_measured(cmd, ctx.scratch)
        if res.rc != 0:
            failures[mode] = f"exit {res.rc}\n{tail(res.stderr)}"
            log(f"augment oracle: {mode}: {failures[mode]}")
            continue
        scipy_shares, cv2_shares, worst = [], [], 0
        for line in params.read_text().splitlines():
            record = json.loads(line)
            src = np.asarray(Image.open(root / "src" / record["source"]).convert("RGB"))
            ours = np.asarray(Image.open(out / record["output"]).convert("RGB"))
            p = record["params"]
            m = matrix(p, src.shape[1], src.shape[0])
            share, biggest = share_within(ours, photometric(scipy_warp(src, m, mode, CVAL), p))
            scipy_shares.append(share)
            worst = max(worst, biggest)
            cv2_shares.append(share_within(ours, photometric(cv2_warp(src, m, mode, CVAL), p))[0])
        lowest = min(scipy_shares) if scipy_shares else None
        data[mode] = {"outputs": len(scipy_shares), "scipy_min_share": lowest,
                      "scipy_mean_share": float(np.mean(scipy_shares)) if scipy_shares else None,
                      "max_abs_diff": worst, "opencv_min_share": min(cv2_shares) if cv2_shares else None,
                      "opencv_mean_share": float(np.mean(cv2_shares)) if cv2_shares else None}
        print(f"augment oracle {mode:8s} {len(scipy_shares)} outputs: within +-{TOLERANCE} of SciPy "
              f"min {100 * lowest:.2f}% mean {100 * data[mode]['scipy_mean_share']:.2f}% (max diff {worst}); "
              f"OpenCV min {100 * data[mode]['opencv_min_share']:.2f}%", flush=True)
        figures.append(Figure("augment", f"oracle {mode}: min share within +-2 of SciPy",
                              100 * lowest if lowest is not None else None, "%", (">=", 100 * TARGET_SHARE)))
    jpeg_figures, jpeg_data, jpeg_failures = run_jpeg(ctx, root)
    figures += jpeg_figures
    failures.update({f"jpeg {k}": v for k, v in jpeg_failures.items()})
    return figures, {"modes": data, "jpeg_path": jpeg_data, "failures": failures,
                     "error": bool(failures) or any(v["scipy_min_share"] is None or v["scipy_min_share"] < TARGET_SHARE
                                                    for v in data.values())
                              or any(v["min_psnr"] < JPEG_TARGET_DB for v in jpeg_data.values())}


def run_jpeg(ctx: Context, root: Path) -> tuple[list[Figure], dict, dict]:
    """The JPEG-to-JPEG (planar) path against SciPy on the decoded source JPEGs."""
    figures, data, failures = [], {}, {}
    for mode in SCIPY_MODE:
        out, params = root / f"jpeg-out-{mode}", root / f"jpeg-params-{mode}.jsonl"
        cmd = [str(ctx.ours), "augment", str(root / "jpg-src"), "--to", str(out), "--copies", "2", "--no-originals",
               "--format", "jpg", "--quality", "100", "--subsampling", "4:4:4", "--log", str(params),
               "--fill-mode", mode, "--cval", str(CVAL), "--seed", "7", "--quiet", "--overwrite", *JPEG_FLAGS]
        res = run_measured(cmd, ctx.scratch)
        if res.rc != 0:
            failures[mode] = f"exit {res.rc}\n{tail(res.stderr)}"
            log(f"augment oracle: jpeg {mode}: {failures[mode]}")
            continue
        shares, psnrs, floor = [], [], []
        for line in params.read_text().splitlines():
            record = json.loads(line)
            src = np.asarray(Image.open(root / "jpg-src" / record["source"]).convert("RGB"))
            ours = np.asarray(Image.open(out / record["output"]).convert("RGB"))
            p = record["params"]
            reference = photometric(scipy_warp(src, matrix(p, src.shape[1], src.shape[0]), mode, CVAL), p)
            shares.append(share_within(ours, reference)[0])
            psnrs.append(psnr(ours, reference))
            floor.append(psnr(jpeg_round_trip(reference), reference))
        data[mode] = {"outputs": len(shares), "min_share": min(shares), "mean_share": float(np.mean(shares)),
                      "min_psnr": min(psnrs), "mean_psnr": float(np.mean(psnrs)),
                      "jpeg_round_trip_mean_psnr": float(np.mean(floor))}
        print(f"augment oracle jpeg {mode:8s} {len(shares)} outputs: within +-{TOLERANCE} of SciPy on the decoded input "
              f"min {100 * min(shares):.2f}% mean {100 * np.mean(shares):.2f}%; PSNR min {min(psnrs):.1f} "
              f"mean {np.mean(psnrs):.1f} dB (q100 round trip alone {np.mean(floor):.1f} dB)", flush=True)
        figures.append(Figure("augment", f"oracle jpeg path {mode}: min PSNR vs SciPy", min(psnrs), "dB",
                              (">=", JPEG_TARGET_DB)))
    return figures, data, failures
