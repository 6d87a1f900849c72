"""Trains Keras' seed-cnn from given initial weights or from its own, to tell an initialisation gap
from a training gap (#6). Run with bench/.venv's Python after `bench/run train` made the shards.

  python bench/keras_from_weights.py SHARDS SEED [WEIGHTS.safetensors]

WEIGHTS: our untrained model's weights, e.g. from
  dataset train SHARDS --to /tmp/init --model seed-cnn --epochs 1 --lr 1e-12 --seed SEED
Without it Keras starts from its own glorot_uniform draw. Prints the loss per epoch and test accuracy.
"""
import sys
from pathlib import Path

import keras

import keras_peer as kp

shards, seed = Path(sys.argv[1]), int(sys.argv[2])
keras.utils.set_random_seed(seed)
x, y, classes = kp.load_split(shards, "train")
xt, yt, _ = kp.load_split(shards, "test")
model = kp.build("seed-cnn", x.shape[1:], classes)
if len(sys.argv) > 3:
    w = kp.read_safetensors(Path(sys.argv[3]))
    names = [f"conv2d_{i}.{p}" for i in range(1, 9) for p in ("kernel", "bias")]
    names += [f"dense_{i}.{p}" for i in (1, 2) for p in ("kernel", "bias")]
    model.set_weights([w[n] for n in names])
model.compile(optimizer=keras.optimizers.Adam(0.001), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
history = model.fit(x, y, batch_size=32, epochs=10, shuffle=True, verbose=0)
print("seed", seed, "init", "given" if len(sys.argv) > 3 else "keras",
      "loss", [round(v, 3) for v in history.history["loss"]], "test", model.evaluate(xt, yt, verbose=0)[1])
