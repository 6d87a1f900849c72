"""train: `dataset train` against Keras 3 on TensorFlow-CPU, same networks, same shards.

Data (built once into work/train/, from --seed):
  digits  scikit-learn's 1797 handwritten digits (8x8, 10 classes) written as class-folder PNGs,
          split 80/20 per class (`dataset split --ratios`), packed at 32x32 (`dataset pack`)
  food    `dataset sample folders` (10 classes of synthetic food-like photos, 280 each, max side
          160), split 64 train / 216 test per class, packed at 128x128: the tutorials' size (the
          large test split costs only inference and puts one image at 0.05 points, not 0.6)
Figures:
  digits test accuracy of small-cnn after DIGITS_EPOCHS epochs (target >= 95 %), and Keras'
  on the same shards (ours - Keras within 2 points);
  training images/s of small-cnn and seed-cnn at 128x128, batch 32, Adam: each run trains
  EPOCHS epochs and its rate is the median epoch after the first (one-off JIT/tracing). Ours and
  Keras alternate, run by run (this VM's speed drifts by up to 1.5x between hours), and the
  ratio is the median of the side-by-side pairs (targets: seed-cnn >= 1.15x, small-cnn >= 1.3x);
  test accuracy after the same epochs on the food shards, ours and Keras, averaged over the runs;
  run k seeds both sides with k. Both models train 10 epochs, where both sides have converged
  (seed-cnn, seeds 1-3: ours 95.2-99.0 %, Keras 98.6-99.95 %). Earlier one seed's accuracy swings
  by tens of points (seed-cnn after 3 epochs, seeds 1-6: Keras 29-74 %, ours 10-94 %; small-cnn
  after 4 epochs, seeds 1-3: Keras 88.6-100 %), so 3 runs there cannot resolve a 2-point
  target; the training loss after epoch 3 (both sides, no target) keeps early learning in view
  (an earlier dropout-mask draw made ours systematically slower there, #6). Per step the two
  compute the same: from the same weights, batch and dropout masks the loss agrees to 5 digits
  and every gradient within 1 % (median 1e-4), and Keras' Adam fed our gradients reproduces our
  updates to 2e-5;
  each model's trained weights loaded into the Keras network (`set_weights`): the largest difference
  between its class probabilities and `dataset predict`'s on 16 test images (written as PNGs
  from the shard rows, so predict's own preprocessing is in the loop).
Both use every core (--jobs threads for ours; TensorFlow's default pools).
"""
from __future__ import annotations

import json
import statistics
import subprocess
import sys
from pathlib import Path

from common import BENCH, WORK, Context, Figure, fresh_dir, log, run_measured, tail

NAME = "train"
DATA = WORK / "train"
DIGITS_EPOCHS = 30
EPOCHS = {"small-cnn": 10, "seed-cnn": 10}
TARGETS = {"small-cnn": 1.3, "seed-cnn": 1.15}
ACCURACY_GAP = 2.0   # points


def sh(cmd: list[str]) -> str:
    """Runs a setup command; stops the benchmark with its output if it fails."""
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[:3])} failed ({r.returncode}):\n{tail(r.stderr)}")
    return r.stdout


def digits_shards(ctx: Context) -> Path:
    """sklearn's digits as class-folder PNGs, split and packed at 32x32 (cached)."""
    out = DATA / "digits-shards"
    if (out / "manifest.json").exists():
        return out
    import numpy as np
    from PIL import Image
    from sklearn.datasets import load_digits
    digits = load_digits()
    folders = fresh_dir(DATA / "digits")
    for i, (image, label) in enumerate(zip(digits.images, digits.target)):
        pixels = np.clip(image * 16, 0, 255).astype(np.uint8)          # 0-16 -> 0-255
        path = folders / str(label) / f"{i:04d}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        Image.fromarray(np.stack([pixels] * 3, axis=-1)).save(path)
    sh([str(ctx.ours), "split", str(folders), "--to", str(DATA / "digits-split"), "--ratios", "0.8,0.2", "--seed", "1", "-q", "--overwrite"])
    sh([str(ctx.ours), "pack", str(DATA / "digits-split"), "--to", str(out), "--size", "32", "-q", "--overwrite"])
    return out


def food_shards(ctx: Context) -> Path:
    """Synthetic food-like photos, 10 classes, 64 train / 216 test each, packed at 128x128 (cached)."""
    out = DATA / "food-shards-640-2160"
    if (out / "manifest.json").exists():
        return out
    sh([str(ctx.ours), "sample", "folders", "--to", str(fresh_dir(DATA / "food-280")), "--classes", "10", "--per-class", "280",
        "--max-side", "160", "-q"])
    sh([str(ctx.ours), "split", str(DATA / "food-280"), "--to", str(DATA / "food-280-split"), "--ratios", "0.2286,0.7714", "-q", "--overwrite"])
    sh([str(ctx.ours), "pack", str(DATA / "food-280-split"), "--to", str(out), "--size", "128x128", "-q", "--overwrite"])
    return out


def listed(values: list[float], scale: float = 1, digits: int = 2) -> str:
    """Per-seed values for a figure's note: "0.96, 0.99, ..." (scale 100, digits 1: percentages)."""
    return ", ".join(f"{scale * v:.{digits}f}" for v in values)


def run_ours(ctx: Context, shards: Path, model: str, epochs: int, seed: int = 1) -> dict:
    """One training run of ours, then its test accuracy: {rates, rate, test_accuracy} or {error}."""
    folder = ctx.scratch / f"model-{model}"
    r = run_measured([str(ctx.ours), "train", str(shards), "--to", str(folder), "--model", model, "--epochs", str(epochs),
                      "--batch-size", "32", "--threads", str(ctx.jobs), "--seed", str(seed), "--overwrite", "--json", "-q"], ctx.scratch)
    if r.rc != 0 or not r.summary:
        return {"error": f"ours exited {r.rc}:\n{tail(r.stderr)}"}
    history = r.summary["history"]
    rates = [epoch["imagesPerSecond"] for epoch in history]
    e = run_measured([str(ctx.ours), "evaluate", str(folder), str(shards), "--split", "test", "--json",
                      "--threads", str(ctx.jobs)], ctx.scratch)
    accuracy = e.summary.get("accuracy") if e.rc == 0 and e.summary else None
    return {"rates": rates, "rate": statistics.median(rates[1:] or rates), "test_accuracy": accuracy,
            "losses": [epoch["loss"] for epoch in history], "peak_rss_mb": r.maxrss_mb}


def run_keras(ctx: Context, shards: Path, model: str, epochs: int, seed: int = 1) -> dict:
    r = run_measured([sys.executable, str(BENCH / "keras_peer.py"), "--shards", str(shards), "--model", model,
                      "--epochs", str(epochs), "--test-split", "test", "--seed", str(seed)], ctx.scratch)
    if r.rc != 0 or not r.summary:
        return {"error": f"keras exited {r.rc}:\n{tail(r.stderr)}"}
    rates = r.summary["images_per_second"]
    return {"rates": rates, "rate": statistics.median(rates[1:] or rates), "test_accuracy": r.summary.get("test_accuracy"),
            "losses": r.summary.get("loss", []), "versions": r.summary.get("versions"), "peak_rss_mb": r.maxrss_mb}


def weights_in_keras(ctx: Context, shards: Path, model_dir: Path, rows: int = 16) -> float | None:
    """Max |p_ours - p_keras| over `rows` test images when Keras runs our trained weights."""
    import numpy as np
    from PIL import Image
    images = np.concatenate([np.load(p, mmap_mode="r") for p in sorted(shards.glob("test-*.images.npy"))])[:rows]
    folder = fresh_dir(ctx.scratch / "rows")
    files = []
    for i, image in enumerate(images):
        files.append(str(folder / f"{i:03d}.png"))
        Image.fromarray(np.asarray(image)).save(files[-1])
    classes = json.loads((model_dir / "model.json").read_text())["data"]["classes"]
    ours = run_measured([str(ctx.ours), "predict", str(model_dir), *files, "--json", "--top", str(len(classes))], ctx.scratch)
    peer = run_measured([sys.executable, str(BENCH / "keras_peer.py"), "--shards", str(shards), "--check-weights", str(model_dir),
                         "--split", "test", "--rows", str(rows)], ctx.scratch)
    if ours.rc != 0 or peer.rc != 0 or peer.summary is None:
        log(f"train: weight check failed:\n{tail(ours.stderr)}\n{tail(peer.stderr)}")
        return None
    predicted = json.loads(ours.stdout)
    keras_p = peer.summary["probabilities"]
    return max(abs({d["label"]: d["probability"] for d in item["prediction"]}[c] - keras_p[i][k])
               for i, item in enumerate(predicted) for k, c in enumerate(classes))


def have_keras() -> bool:
    return subprocess.run([sys.executable, "-c", "import keras, tensorflow"], capture_output=True).returncode == 0


def run(ctx: Context):
    figures, data = [], {}
    DATA.mkdir(parents=True, exist_ok=True)
    keras = have_keras()
    if not keras:
        log("train: Keras/TensorFlow is not installed in this Python; Keras figures are n/a "
            "(pip install -r bench/requirements-train.txt)")
    try:
        digits, food = digits_shards(ctx), food_shards(ctx)
    except RuntimeError as e:
        log(f"train: {e}")
        return [Figure(NAME, "setup", None, "", note=str(e))], {"error": str(e)}

    # Real data: the digits reach 95 % with small-cnn; Keras on the same shards for comparison.
    log(f"train: digits, small-cnn, {DIGITS_EPOCHS} epochs")
    ours = run_ours(ctx, digits, "small-cnn", DIGITS_EPOCHS)
    peer = run_keras(ctx, digits, "small-cnn", DIGITS_EPOCHS) if keras else {}
    data["digits"] = {"ours": ours, "keras": peer}
    ours_acc, keras_acc = ours.get("test_accuracy"), peer.get("test_accuracy")
    figures.append(Figure(NAME, "digits test accuracy, small-cnn (ours)", None if ours_acc is None else 100 * ours_acc, "%",
                          (">=", 95.0), ours.get("error", "")))
    figures.append(Figure(NAME, "digits test accuracy, small-cnn (Keras)", None if keras_acc is None else 100 * keras_acc, "%"))
    if ours_acc is not None and keras_acc is not None:
        figures.append(Figure(NAME, "digits accuracy, |ours - Keras|", 100 * abs(ours_acc - keras_acc), "points",
                              ("<", ACCURACY_GAP)))

    # Speed at 128x128, alternating ours and Keras.
    for model in ("small-cnn", "seed-cnn"):
        epochs = EPOCHS[model]
        runs = {"ours": [], "keras": []}
        for k in range(ctx.runs):
            log(f"train: {model} run {k + 1}/{ctx.runs}: ours")
            runs["ours"].append(run_ours(ctx, food, model, epochs, seed=k + 1))
            log(f"train:   {runs['ours'][-1].get('rate', 0):.1f} img/s; keras")
            if keras:
                runs["keras"].append(run_keras(ctx, food, model, epochs, seed=k + 1))
                log(f"train:   {runs['keras'][-1].get('rate', 0):.1f} img/s")
        data[model] = runs
        good = lambda rs: [r for r in rs if "rate" in r]
        ours_ok, keras_ok = good(runs["ours"]), good(runs["keras"])
        best = lambda rs: max((r["rate"] for r in rs), default=None)
        figures.append(Figure(NAME, f"{model} 128px training, ours", best(ours_ok), "img/s",
                              note=next((r["error"] for r in runs["ours"] if "error" in r), "")))
        figures.append(Figure(NAME, f"{model} 128px training, Keras", best(keras_ok), "img/s",
                              note=next((r["error"] for r in runs["keras"] if "error" in r), "")))
        pairs = [o["rate"] / p["rate"] for o, p in zip(runs["ours"], runs["keras"]) if "rate" in o and "rate" in p]
        figures.append(Figure(NAME, f"{model} ours / Keras (median pair)", statistics.median(pairs) if pairs else None, "x",
                              (">=", TARGETS[model])))
        accuracies = lambda rs: [r["test_accuracy"] for r in rs if r.get("test_accuracy") is not None]
        if accuracies(ours_ok) and accuracies(keras_ok):
            gap = 100 * abs(statistics.mean(accuracies(ours_ok)) - statistics.mean(accuracies(keras_ok)))
            figures.append(Figure(NAME, f"{model} test accuracy after {epochs} epochs, |ours - Keras|", gap, "points",
                                  ("<", ACCURACY_GAP),
                                  note=f"ours {100 * statistics.mean(accuracies(ours_ok)):.1f} % ({listed(accuracies(ours_ok), 100, 1)}), "
                                       f"Keras {100 * statistics.mean(accuracies(keras_ok)):.1f} % ({listed(accuracies(keras_ok), 100, 1)})"))
        # How fast each side learns early on (no target: one seed's early loss swings widely).
        early = min(3, epochs)
        losses = lambda rs: [r["losses"][early - 1] for r in rs if len(r.get("losses", [])) >= early]
        if losses(ours_ok) and losses(keras_ok):
            figures.append(Figure(NAME, f"{model} training loss after epoch {early}, ours", statistics.mean(losses(ours_ok)), "",
                                  note=listed(losses(ours_ok))))
            figures.append(Figure(NAME, f"{model} training loss after epoch {early}, Keras", statistics.mean(losses(keras_ok)), "",
                                  note=listed(losses(keras_ok))))
        if keras and ours_ok:
            gap = weights_in_keras(ctx, food, ctx.scratch / f"model-{model}")
            figures.append(Figure(NAME, f"{model}: our weights in Keras, max |p diff|", gap, "", ("<", 1e-4)))
    for fig in figures:
        print(f"{fig.bench:8} {fig.label:52} {'n/a' if fig.value is None else f'{fig.value:.2f}'} {fig.unit}", flush=True)
    return figures, data
