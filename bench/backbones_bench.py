"""backbones: the pretrained backbones against Keras 3 on TensorFlow-CPU (issue #16).

For each backbone (vgg16, resnet50, mobilenet_v2, inception_v3; BACKBONES=... to choose):
  parity   Keras builds it with weights=None and a fixed seed, batch-norm statistics calibrated
           on 32 corpus images (bench/backbone_parity.py make, cached in work/parity/), and saves
           the legacy .h5 files; `backbone-probe` loads those files into ours and writes every
           block's output, the pooled features and the with-top probabilities; each must agree to
           max|diff| <= 1e-4 * max|Keras| with cosine >= 0.99999 (the figure is the worst ratio).
  forward  images/s of the forward pass alone (include_top=False, pooling avg, batch 32): ours
           (`backbone-probe speed`) against Keras with TensorFlow's own kernels and with
           TF_ENABLE_ONEDNN_OPTS=1 (the faster counts), alternating run by run (this VM drifts);
           the ratio is the median of the side-by-side pairs. Targets: >= 1.0x for VGG16, ResNet50
           and InceptionV3, >= 1.5x for MobileNetV2.
  pipeline images/s from the corpus' JPEG files to features: `dataset features` (decode, resize,
           preprocess and the forward pass in one process) against Keras users' best pipeline
           (tf.data decode_jpeg/resize/preprocess_input, AUTOTUNE, prefetch, predict); target
           >= 1.3x. BACKBONE_COUNT images (default 320; the whole corpus with 2000) per run.
  memory   peak RSS of `dataset features` on VGG16 at batch 32 (target < 1.5 GB).
Plus the machine's float32 peak as oneDNN reaches it (`backbone-probe peak`: SGEMM and a 1x1
convolution), and each compute-bound backbone's share of it (Winograd 3x3 convolutions do fewer
multiplications than the nominal count, so a share can pass 100 %).
"""
from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

from common import BENCH, WORK, Context, Figure, fresh_dir, log, run_measured, tail

NAME = "backbones"
PARITY = WORK / "parity"
PROBE = Path(os.environ.get("BACKBONE_PROBE", BENCH.parent / ".build/release/backbone-probe"))
# Nominal multiply-accumulates per image (Keras' architectures at their default size).
GMAC = {"vgg16": 15.35, "resnet50": 3.86, "mobilenet_v2": 0.30, "inception_v3": 5.71}
FORWARD_TARGET = {"vgg16": 1.0, "resnet50": 1.0, "inception_v3": 1.0, "mobilenet_v2": 1.5}
PIPELINE_TARGET = 1.3
SIZE = {"inception_v3": 299}


def keras(backbone: str, mode: str, onednn: int, count: int, images: Path) -> float | None:
    cmd = [sys.executable, str(BENCH / "backbone_keras_speed.py"), "--backbone", backbone, "--batch", "32",
           "--images", str(images), "--count", str(count), "--mode", mode, "--runs", "1", "--onednn", str(onednn)]
    r = subprocess.run(cmd, capture_output=True, text=True)
    for line in r.stdout.splitlines()[::-1]:
        try:
            return json.loads(line)["images_per_s"]
        except (ValueError, KeyError):
            continue
    log(f"keras {backbone} {mode} onednn={onednn} failed:\n{tail(r.stderr)}")
    return None


def ours_forward(backbone: str) -> dict | None:
    r = subprocess.run([str(PROBE), "speed", backbone, "32", "3"], capture_output=True, text=True)
    try:
        return json.loads(r.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        log(f"backbone-probe speed {backbone} failed:\n{tail(r.stderr)}")
        return None


def parity(backbone: str) -> float | None:
    ref = PARITY / backbone
    if not (ref / "notop.h5").exists():
        size = SIZE.get(backbone, 224)
        images = PARITY / f"images{size}.npy"
        if not images.exists():
            subprocess.run([sys.executable, str(BENCH / "backbone_parity.py"), "images", "--count", "32", "--size", str(size),
                            "--out", str(images)], check=True)
        subprocess.run([sys.executable, str(BENCH / "backbone_parity.py"), "make", "--backbone", backbone, "--images", str(images),
                        "--out", str(ref)], check=True, capture_output=True)
    ours = fresh_dir(WORK / "parity-ours" / backbone)
    subprocess.run([str(PROBE), backbone, str(ref), str(ours)], check=True, capture_output=True)
    r = subprocess.run([sys.executable, str(BENCH / "backbone_parity.py"), "compare", "--ref", str(ref), "--ours", str(ours)],
                       capture_output=True, text=True)
    print(r.stdout, flush=True)
    worst = None
    for line in r.stdout.splitlines():
        parts = line.split()
        if len(parts) >= 6 and parts[-1] in ("PASS", "FAIL"):
            worst = max(worst or 0.0, float(parts[-3]))
    return worst if r.returncode == 0 else None


def subset(corpus: Path, count: int) -> Path:
    """The first `count` images of the corpus (round-robin over its class folders) as a tree of
    symbolic links, so both sides read the same files."""
    out = WORK / f"corpus-subset-{count}"
    if out.exists() and len(list(out.rglob("*.jpg"))) == count:
        return out
    fresh_dir(out)
    classes = sorted(p for p in corpus.iterdir() if p.is_dir())
    files = {c: sorted(c.glob("*.jpg")) for c in classes}
    taken = 0
    for i in range(max(len(v) for v in files.values())):
        for c in classes:
            if taken < count and i < len(files[c]):
                (out / c.name).mkdir(exist_ok=True)
                (out / c.name / files[c][i].name).symlink_to(files[c][i])
                taken += 1
    return out


def run(ctx: Context):
    figures: list[Figure] = []
    data: dict = {}
    backbones = os.environ.get("BACKBONES", "vgg16,resnet50,mobilenet_v2,inception_v3").split(",")
    # BACKBONE_PARTS=parity,forward,pipeline (default all) to rerun a part.
    parts = set(os.environ.get("BACKBONE_PARTS", "parity,forward,pipeline").split(","))
    count = int(os.environ.get("BACKBONE_COUNT", "320"))
    images = subset(ctx.corpus, count)
    r = subprocess.run([str(PROBE), "peak"], capture_output=True, text=True)
    peak = json.loads(r.stdout.strip().splitlines()[-1]) if r.returncode == 0 else {}
    peak_gflops = max(peak.get("sgemm_gflops", 0), peak.get("conv1x1_gflops", 0)) or None
    data["peak"] = peak
    figures.append(Figure(NAME, "float32 peak (oneDNN SGEMM / 1x1 conv), GFLOP/s", peak_gflops, "GFLOP/s"))
    for backbone in backbones:
        if "parity" in parts:
            worst = parity(backbone)
            data[f"{backbone}.parity_worst_relative"] = worst
            figures.append(Figure(NAME, f"{backbone} parity with Keras, worst max|diff|/max|ref|", worst, "", ("<", 1.0001e-4)))

        pairs, ours_rates, keras_rates = [], [], []
        for run_index in range(ctx.runs if "forward" in parts else 0):
            o = ours_forward(backbone)
            k = max(filter(None, [keras(backbone, "forward", 0, 320, ctx.corpus), keras(backbone, "forward", 1, 320, ctx.corpus)]),
                    default=None)
            if o and k:
                pairs.append(o["images_per_second"] / k)
                ours_rates.append(o["images_per_second"])
                keras_rates.append(k)
                data[f"{backbone}.peak_rss_forward_mb"] = o["peak_rss_mb"]
        if pairs:
            best = max(ours_rates)
            figures.append(Figure(NAME, f"{backbone} forward, ours images/s (batch 32)", best, "img/s"))
            figures.append(Figure(NAME, f"{backbone} forward, Keras' faster images/s", max(keras_rates), "img/s"))
            figures.append(Figure(NAME, f"{backbone} forward, ours / Keras", statistics.median(pairs), "x",
                                  (">=", FORWARD_TARGET[backbone])))
            if peak_gflops and backbone != "mobilenet_v2":
                figures.append(Figure(NAME, f"{backbone} forward, nominal GFLOP/s as a share of peak",
                                      100 * best * 2 * GMAC[backbone] / peak_gflops, "%", (">=", 75)))
        data[f"{backbone}.forward"] = {"ours": ours_rates, "keras": keras_rates, "ratios": pairs}

        pairs, rss = [], []
        out = ctx.scratch / "features"
        for run_index in range(ctx.runs if "pipeline" in parts else 0):
            fresh_dir(out)
            cmd = [str(ctx.ours), "features", str(images), "--backbone", backbone, "--weights", "none", "--to", str(out),
                   "--batch-size", "32", "--overwrite", "--json"]
            res = run_measured(cmd, ctx.scratch / "features-log")
            k = max(filter(None, [keras(backbone, "pipeline", 0, count, images), keras(backbone, "pipeline", 1, count, images)]),
                    default=None)
            if res.rc != 0:
                log(f"dataset features failed:\n{tail(res.stderr)}")
                continue
            rate = count / res.seconds
            rss.append(res.maxrss_mb)
            if k:
                pairs.append(rate / k)
            data.setdefault(f"{backbone}.pipeline", []).append({"ours": rate, "keras": k, "rss_mb": res.maxrss_mb})
        if pairs:
            figures.append(Figure(NAME, f"{backbone} JPEG to features ({count} images), ours / Keras", statistics.median(pairs), "x",
                                  (">=", PIPELINE_TARGET)))
        if rss and backbone == "vgg16":
            figures.append(Figure(NAME, "vgg16 features, peak RSS (batch 32)", max(rss), "MB", ("<", 1536)))
    return figures, data
