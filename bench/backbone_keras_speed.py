"""Keras/TensorFlow-CPU feature-extraction speed of a backbone (include_top=False, pooling='avg'),
the peer figure for NeuralKit's pretrained backbones (issue #16). Bench, not CI.

  python bench/backbone_keras_speed.py --backbone mobilenet_v2 --batch 32 --images DIR --count 2000 \\
      [--mode forward|pipeline|both] [--runs 3] [--onednn 0|1 | --both]

forward   a prepared float batch through tf.function(model(x, training=False)), ceil(count/batch)
          calls per run; tracing and one warm-up call excluded.
pipeline  the JPEG files to features as Keras users do it at best: tf.data list_files ->
          read_file -> decode_jpeg -> image.resize (bilinear) -> preprocess_input, num_parallel_calls
          AUTOTUNE -> batch -> prefetch(AUTOTUNE) -> model.predict; a one-batch predict first traces.
Each mode prints one JSON line with images/s of the best of --runs.

TensorFlow reads TF_ENABLE_ONEDNN_OPTS when it is imported, so one process measures one setting:
--onednn sets it before the import (default: the inherited environment, whose effect depends on
the host CPU), and --both runs the script twice as subprocesses, with 0 and with 1, and prints both.
"""
import argparse
import glob
import json
import math
import os
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent


def jpeg_patterns(folder):
    """Glob patterns that match the folder's JPEGs, flat or one class folder deep."""
    candidates = [str(folder / d / f"*.{ext}") for d in ("", "*") for ext in ("jpg", "jpeg", "JPG", "JPEG")]
    return [p for p in candidates if glob.glob(p)]


def measure(args):
    if args.onednn is not None:
        os.environ["TF_ENABLE_ONEDNN_OPTS"] = args.onednn
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import numpy as np
    import tensorflow as tf
    import keras
    from tensorflow.python.util import _pywrap_util_port

    sys.path.insert(0, str(BENCH))
    import keras_backbones as kb

    key = args.backbone
    size = kb.BACKBONES[key].size
    patterns = jpeg_patterns(args.images)
    files = sorted(f for p in patterns for f in glob.glob(p))
    if len(files) < args.count:
        raise SystemExit(f"{args.images}: {len(files)} JPEGs, fewer than --count {args.count}")
    model = kb.build(key, include_top=False, pooling="avg")

    def load(path):
        image = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
        image = tf.image.resize(image, [size, size])
        return kb.preprocess(key, image)

    common = {"tool": "keras", "backbone": key, "batch": args.batch, "count": args.count,
              "TF_ENABLE_ONEDNN_OPTS": os.environ.get("TF_ENABLE_ONEDNN_OPTS"),
              "onednn_enabled": bool(_pywrap_util_port.IsMklEnabled()), "keras": keras.__version__,
              "tensorflow": tf.__version__, "cpus": os.cpu_count()}
    modes = ["forward", "pipeline"] if args.mode == "both" else [args.mode]
    for mode in modes:
        runs = []
        if mode == "forward":
            x = tf.stack([load(tf.constant(f)) for f in files[:args.batch]])
            forward = tf.function(lambda t: model(t, training=False))
            forward(x).numpy()  # trace and warm up
            calls = math.ceil(args.count / args.batch)
            images = calls * args.batch
            for _ in range(args.runs):
                start = time.perf_counter()
                for _ in range(calls):
                    y = forward(x)
                y.numpy()
                runs.append(time.perf_counter() - start)
        else:
            def dataset():
                return (tf.data.Dataset.list_files(patterns, shuffle=False).take(args.count)
                        .map(load, num_parallel_calls=tf.data.AUTOTUNE)
                        .batch(args.batch).prefetch(tf.data.AUTOTUNE))

            model.predict(dataset().take(1), verbose=0)  # trace and warm up
            images = args.count
            for _ in range(args.runs):
                start = time.perf_counter()
                features = model.predict(dataset(), verbose=0)
                runs.append(time.perf_counter() - start)
                if features.shape != (args.count, model.output_shape[-1]) or not np.isfinite(features).all():
                    raise SystemExit(f"pipeline gave features of shape {features.shape}")
        best = min(runs)
        print(json.dumps({**common, "mode": mode, "images": images, "images_per_s": round(images / best, 2),
                          "best_s": round(best, 3), "runs_s": [round(r, 3) for r in runs]}), flush=True)


def both(args):
    """One subprocess per TF_ENABLE_ONEDNN_OPTS setting, in turn."""
    argv = [a for a in sys.argv[1:] if a != "--both"]
    status = 0
    for value in ("0", "1"):
        env = {k: v for k, v in os.environ.items() if k != "TF_ENABLE_ONEDNN_OPTS"}
        done = subprocess.run([sys.executable, __file__, *argv, "--onednn", value], env=env,
                              stdout=subprocess.PIPE, text=True)
        sys.stdout.write(done.stdout)
        status = status or done.returncode
    return status


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--backbone", required=True, choices=["vgg16", "resnet50", "mobilenet_v2", "inception_v3"])
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--images", type=Path, required=True, help="a folder of JPEGs, flat or in class folders")
    p.add_argument("--count", type=int, default=2000)
    p.add_argument("--mode", choices=["forward", "pipeline", "both"], default="both")
    p.add_argument("--runs", type=int, default=3)
    setting = p.add_mutually_exclusive_group()
    setting.add_argument("--onednn", choices=["0", "1"], help="TF_ENABLE_ONEDNN_OPTS for this process")
    setting.add_argument("--both", action="store_true", help="measure with 0 and with 1, one subprocess each")
    args = p.parse_args()
    if args.both:
        sys.exit(both(args))
    measure(args)


if __name__ == "__main__":
    main()
