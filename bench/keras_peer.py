"""The Keras 3 (TensorFlow-CPU) side of the train benchmark: the same networks as
`dataset train --model small-cnn|seed-cnn`, trained on the same shards with the same batch size
and optimizer, timed per epoch. Run by train_bench.py in its own process:

  python keras_peer.py --shards DIR --model small-cnn --epochs 4 [--test-split test] [--seed 1]
  python keras_peer.py --shards DIR --check-weights MODEL_DIR --split test --rows 16

Prints one JSON line: per-epoch seconds and images/s (training only), the final training
accuracy and, with --test-split, the test accuracy; plus the versions used. With
--check-weights it trains nothing: it loads `dataset train`'s weights.safetensors into the same
Keras network and prints its class probabilities for the first --rows rows of --split.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def load_split(shards: Path, split: str):
    """(float32 NHWC images normalised as the manifest says, int64 labels, class count)."""
    import numpy as np
    manifest = json.loads((shards / "manifest.json").read_text())
    entry = next(s for s in manifest["splits"] if s["name"] == split)
    images, labels = [], []
    for shard in entry["shards"]:
        files = {f["role"]: f["name"] for f in shard["files"]}
        images.append(np.load(shards / files["images"]))
        labels.append(np.load(shards / files["labels"]))
    x = np.concatenate(images).astype("float32")
    # manifest.json records the whole image preparation; packs written before it hold only "normalization".
    norm = manifest["preparation"]["normalization"] if "preparation" in manifest else manifest["normalization"]
    if norm.get("channelOrder", "rgb") == "bgr":
        x = x[..., ::-1]
    x = (x * norm["scale"] - np.array(norm["mean"], dtype="float32")) / np.array(norm["std"], dtype="float32")
    return x.astype("float32"), np.concatenate(labels), len(manifest["classes"])


def build(name: str, shape, classes: int):
    """The networks of NeuralKit's ModelArchitecture, layer for layer."""
    import keras
    from keras import layers
    model = keras.Sequential([keras.Input(shape)])
    if name == "seed-cnn":
        for filters in (32, 64, 128):
            model.add(layers.Conv2D(filters, 3, padding="same", activation="relu"))
            model.add(layers.Conv2D(filters, 3, activation="relu"))
            model.add(layers.MaxPooling2D(2))
            model.add(layers.Dropout(0.2))
        model.add(layers.Conv2D(512, 5, padding="same", activation="relu"))
        model.add(layers.Conv2D(512, 5, activation="relu"))
        model.add(layers.MaxPooling2D(4))
        model.add(layers.Dropout(0.2))
        model.add(layers.Flatten())
        model.add(layers.Dense(1024, activation="relu"))
        model.add(layers.Dropout(0.2))
    elif name == "small-cnn":
        for filters in (32, 64, 128):
            model.add(layers.Conv2D(filters, 3, padding="same", activation="relu"))
            model.add(layers.MaxPooling2D(2))
        model.add(layers.GlobalAveragePooling2D())
    else:
        raise SystemExit(f"unknown model {name}")
    model.add(layers.Dense(classes, activation="softmax"))
    return model


def read_safetensors(path: Path) -> dict:
    """name -> float32 array, read with the format's own rules (8-byte length, JSON, raw data)."""
    import numpy as np
    data = path.read_bytes()
    n = int.from_bytes(data[:8], "little")
    header = json.loads(data[8:8 + n])
    out = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        begin, end = entry["data_offsets"]
        out[name] = np.frombuffer(data[8 + n + begin:8 + n + end], dtype="<f4").reshape(entry["shape"])
    return out


def check_weights(args) -> dict:
    """Our trained weights in the Keras network: its probabilities on the first rows."""
    document = json.loads((args.check_weights / "model.json").read_text())
    x, _, classes = load_split(args.shards, args.split)
    model = build(document["architecture"]["name"], x.shape[1:], classes)
    weights = read_safetensors(args.check_weights / "weights.safetensors")
    counts: dict = {}
    names = []
    for layer in document["architecture"]["layers"]:
        counts[layer["type"]] = counts.get(layer["type"], 0) + 1
        if layer["type"] in ("conv2d", "dense"):
            names += [f"{layer['type']}_{counts[layer['type']]}.kernel", f"{layer['type']}_{counts[layer['type']]}.bias"]
    model.set_weights([weights[n] for n in names])
    return {"probabilities": model.predict(x[:args.rows], verbose=0).tolist()}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shards", type=Path, required=True)
    ap.add_argument("--model")
    ap.add_argument("--check-weights", type=Path, metavar="MODEL_DIR")
    ap.add_argument("--rows", type=int, default=16)
    ap.add_argument("--epochs", type=int, default=4)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--lr", type=float, default=0.001)
    ap.add_argument("--split", default="train")
    ap.add_argument("--test-split")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()

    import keras
    import numpy as np
    import tensorflow as tf
    if args.check_weights:
        print(json.dumps(check_weights(args)))
        return 0
    keras.utils.set_random_seed(args.seed)
    x, y, classes = load_split(args.shards, args.split)
    model = build(args.model, x.shape[1:], classes)
    model.compile(optimizer=keras.optimizers.Adam(args.lr), loss="sparse_categorical_crossentropy", metrics=["accuracy"])

    class Timer(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.seconds = []

        def on_epoch_begin(self, epoch, logs=None):
            self.t0 = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            self.seconds.append(time.perf_counter() - self.t0)

    timer = Timer()
    history = model.fit(x, y, batch_size=args.batch_size, epochs=args.epochs, shuffle=True, verbose=0, callbacks=[timer])
    out = {"epoch_seconds": timer.seconds, "images_per_second": [len(x) / s for s in timer.seconds],
           "train_accuracy": float(history.history["accuracy"][-1]), "train_examples": int(len(x)),
           "loss": [float(v) for v in history.history["loss"]], "accuracy": [float(v) for v in history.history["accuracy"]],
           "versions": {"tensorflow": tf.__version__, "keras": keras.__version__, "numpy": np.__version__}}
    if args.test_split:
        tx, ty, _ = load_split(args.shards, args.test_split)
        out["test_accuracy"] = float(model.evaluate(tx, ty, batch_size=args.batch_size, verbose=0)[1])
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
