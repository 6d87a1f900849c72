"""Keras reference outputs for NeuralKit's pretrained backbones (issue #16), on random weights with
calibrated batch-norm statistics, and the comparison of ours against them. Bench, not CI.

  python bench/backbone_parity.py images --count 32 --size 224 --out images224.npy [--corpus DIR]
  python bench/backbone_parity.py make --backbone vgg16|resnet50|mobilenet_v2|inception_v3 \\
      --images images224.npy --out DIR [--seed 16]
  python bench/backbone_parity.py compare --ref DIR --ours DIR2

make writes into DIR:
  images.npy      the uint8 NHWC RGB batch it was given
  top.h5 notop.h5 the weights in keras.applications' legacy HDF5 layout (what a user's
                  ~/.keras/models/*.h5 is), with and without the top
  keras/<layer>.npy  float32 outputs (NHWC maps, (N, C) vectors) of every block, plus
                  pooled_avg.npy and pooled_max.npy (include_top=False, pooling='avg'/'max') and
                  predictions.npy (the with-top softmax)
  meta.json       versions, seed, preprocessing, timings, liveness of each output

Why random weights are perturbed and calibrated: Keras initialises biases and batch-norm beta to 0
and gamma to 1, so a weight loader that drops biases or swaps gamma and beta would still agree.
make draws them at random first, then runs one training-mode pass with every batch norm's momentum
at 0 so its moving statistics become the batch's. Without that, half the activations are 0 and a
wrong padding side or epsilon still agrees to about 1e-3 (shared/research/transfer-learning.md 4.1).

TensorFlow runs its own (Eigen) kernels unless TF_ENABLE_ONEDNN_OPTS is set, so the reference does
not share oneDNN with ours.
"""
import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

BENCH = Path(__file__).resolve().parent
DEFAULT_CORPUS = BENCH / "work" / "corpus"
MAIN_CORPUS = Path("/work/main/bench/work/corpus")

REL_TOLERANCE = 1e-4
COSINE_MIN = 0.99999
ALIVE_MAX_ZEROS = 0.6
ALIVE_MIN_STD = 0.1


# ---------------------------------------------------------------------------------------- images

def images_command(args):
    from PIL import Image

    corpus = args.corpus or (DEFAULT_CORPUS if DEFAULT_CORPUS.is_dir() else MAIN_CORPUS)
    files = sorted(p for p in corpus.rglob("*") if p.suffix.lower() in (".jpg", ".jpeg"))
    if len(files) < args.count:
        raise SystemExit(f"{corpus}: {len(files)} JPEGs, fewer than --count {args.count}")
    # Spread the pick over the sorted list, so every class folder contributes.
    picked = [files[i * len(files) // args.count] for i in range(args.count)]
    batch = np.empty((args.count, args.size, args.size, 3), np.uint8)
    for i, path in enumerate(picked):
        with Image.open(path) as im:
            batch[i] = np.asarray(im.convert("RGB").resize((args.size, args.size), Image.BILINEAR))
    np.save(args.out, batch)
    print(json.dumps({"out": str(args.out), "shape": list(batch.shape), "from": str(corpus),
                      "first": str(picked[0].relative_to(corpus)), "last": str(picked[-1].relative_to(corpus))}))


# ------------------------------------------------------------------------------------------ make

def liveness(a):
    a = np.asarray(a, np.float64)
    return {"zeros": float(np.mean(a == 0)), "std": float(a.std()), "max_abs": float(np.abs(a).max())}


def perturb(model, rng):
    """Random biases, batch-norm betas and gammas (Keras starts them at 0, 0 and 1). Biases scale
    with each layer's weights so they matter at every depth without swamping the signal."""
    for layer in model.layers:
        cls = type(layer).__name__
        if cls == "BatchNormalization":
            if layer.scale:
                layer.gamma.assign(rng.uniform(0.5, 1.5, layer.gamma.shape).astype(np.float32))
            if layer.center:
                layer.beta.assign(rng.uniform(-0.5, 0.5, layer.beta.shape).astype(np.float32))
        elif getattr(layer, "use_bias", False) and getattr(layer, "bias", None) is not None:
            kernel = layer.kernel.numpy()
            # Half the spread a unit-scale input gives a pre-activation, per output channel.
            spread = float(np.sqrt(np.sum(kernel.reshape(-1, kernel.shape[-1]) ** 2, axis=0).mean()))
            layer.bias.assign(rng.uniform(-0.5, 0.5, layer.bias.shape).astype(np.float32) * spread)


def calibrate_batch_norms(model, x):
    """Moving statistics := the batch's: momentum 0, one training-mode pass, momentum restored."""
    norms = [l for l in model.layers if type(l).__name__ == "BatchNormalization"]
    before = [(l.moving_mean.numpy().copy(), l.moving_variance.numpy().copy()) for l in norms]
    momenta = [l.momentum for l in norms]
    for l in norms:
        l.momentum = 0.0
    try:
        model(x, training=True)
    finally:
        for l, m in zip(norms, momenta):
            l.momentum = m
    unchanged = [l.name for l, (m, v) in zip(norms, before)
                 if np.array_equal(m, l.moving_mean.numpy()) or np.array_equal(v, l.moving_variance.numpy())]
    if unchanged:
        raise SystemExit(f"calibration left the moving statistics of {unchanged[:5]} unchanged")
    return len(norms)


def save_legacy_h5(model, path):
    import h5py
    from keras.src.legacy.saving import legacy_h5_format

    with h5py.File(path, "w") as f:
        legacy_h5_format.save_weights_to_hdf5_group(f, model)


def h5_weighted_layers(path):
    """(name, [shape, ...]) of each layer the file lists that has weights, in the file's order."""
    import h5py

    out = []
    with h5py.File(path, "r") as f:
        names = [n.decode() if isinstance(n, bytes) else n for n in f.attrs["layer_names"]]
        for name in names:
            g = f[name]
            weight_names = [w.decode() if isinstance(w, bytes) else w for w in g.attrs["weight_names"]]
            if weight_names:
                out.append((name, [tuple(g[w].shape) for w in weight_names]))
    return names, out


def make_command(args):
    os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    sys.path.insert(0, str(BENCH))
    import keras
    import tensorflow as tf

    import keras_backbones as kb

    started = time.time()
    key = args.backbone
    images = np.load(args.images)
    size = kb.BACKBONES[key].size
    if images.dtype != np.uint8 or images.ndim != 4 or images.shape[1:] != (size, size, 3):
        raise SystemExit(f"{args.images}: need uint8 (N, {size}, {size}, 3) for {key}, got {images.dtype} {images.shape}")
    out = args.out
    (out / "keras").mkdir(parents=True, exist_ok=True)
    np.save(out / "images.npy", images)
    x = kb.preprocess(key, images)

    keras.backend.clear_session()
    keras.utils.set_random_seed(args.seed)
    top = kb.build(key, include_top=True)
    perturb(top, np.random.default_rng(args.seed))
    t = time.time()
    norms = calibrate_batch_norms(top, x) if any(type(l).__name__ == "BatchNormalization" for l in top.layers) else 0
    calibrate_s = time.time() - t

    # Every recorded output from one inference pass of the with-top model.
    blocks = kb.block_outputs(key, top)
    last = kb.last_feature_layer(key)
    outputs = [top.get_layer(n).output for n in blocks] + [top.get_layer(last).output, top.output]
    probe = keras.Model(top.inputs, outputs)
    t = time.time()
    values = probe.predict(x, batch_size=args.batch, verbose=0)
    forward_s = time.time() - t
    results = dict(zip(blocks, values[:len(blocks)]))
    feature_map = values[len(blocks)]
    results["pooled_max"] = keras.ops.convert_to_numpy(keras.layers.GlobalMaxPooling2D()(feature_map))
    results["predictions"] = values[-1]

    save_legacy_h5(top, out / "top.h5")
    top_weighted = kb.weighted_layers(top)
    top_values = [l.get_weights() for l in top.layers if l.weights]

    # The notop file: a fresh include_top=False model given the with-top weights by order, saved,
    # then loaded by Keras itself into a pooling='avg' model whose output is the reference.
    keras.backend.clear_session()
    notop = kb.build(key, include_top=False)
    notop_layers = [l for l in notop.layers if l.weights]
    for layer, weights in zip(notop_layers, top_values):
        layer.set_weights(weights)
    save_legacy_h5(notop, out / "notop.h5")
    names, weighted = h5_weighted_layers(out / "notop.h5")
    expected = [(n, s) for n, _, s in top_weighted[:len(notop_layers)]]
    if names != [l.name for l in notop.layers] or weighted != expected:
        raise SystemExit(f"{out / 'notop.h5'}: does not list exactly the notop layers")
    names, weighted = h5_weighted_layers(out / "top.h5")
    if weighted != [(n, s) for n, _, s in top_weighted]:
        raise SystemExit(f"{out / 'top.h5'}: does not list exactly the with-top weighted layers")

    keras.backend.clear_session()
    pooled = kb.build(key, include_top=False, pooling="avg")
    pooled.load_weights(out / "notop.h5")
    t = time.time()
    results["pooled_avg"] = pooled.predict(x, batch_size=args.batch, verbose=0)
    forward_s += time.time() - t
    direct = np.asarray(feature_map, np.float64).mean(axis=(1, 2))
    reload_rel = float(np.abs(results["pooled_avg"] - direct).max() / np.abs(direct).max())
    if reload_rel > 1e-5:
        raise SystemExit(f"notop.h5 loaded by Keras gives pooled features {reload_rel:.2e} (relative) off the with-top model's")

    alive, dead = {}, []
    order = blocks + ["pooled_avg", "pooled_max", "predictions"]
    for name, value in ((n, results[n]) for n in order):
        value = np.ascontiguousarray(value, np.float32)
        np.save(out / "keras" / f"{name}.npy", value)
        alive[name] = {"shape": list(value.shape), **liveness(value)}
        if name != "predictions" and (alive[name]["zeros"] >= ALIVE_MAX_ZEROS or alive[name]["std"] <= ALIVE_MIN_STD):
            dead.append(name)

    meta = {
        "backbone": key, "seed": args.seed, "images": int(images.shape[0]), "size": size,
        "keras_version": keras.__version__, "tensorflow_version": tf.__version__,
        "TF_ENABLE_ONEDNN_OPTS": os.environ.get("TF_ENABLE_ONEDNN_OPTS"),
        "preprocess": f"keras.applications.{kb.BACKBONES[key].module}.preprocess_input",
        "batch_norms_calibrated": norms, "notop_reload_rel_diff": reload_rel,
        "outputs": alive, "dead": dead,
        "seconds": {"calibrate": round(calibrate_s, 1), "forward": round(forward_s, 1),
                    "total": round(time.time() - started, 1)},
    }
    (out / "meta.json").write_text(json.dumps(meta, indent=1) + "\n")
    sample = {n: alive[n] for n in (blocks[0], blocks[len(blocks) // 2], blocks[-1], "pooled_avg")}
    print(json.dumps({"backbone": key, "out": str(out), "seconds": meta["seconds"], "dead": dead,
                      "sample": {n: {k: round(v, 4) for k, v in s.items() if k != "shape"} for n, s in sample.items()}}))
    if dead:
        raise SystemExit(f"reference outputs not alive (zeros >= {ALIVE_MAX_ZEROS} or std <= {ALIVE_MIN_STD}): {dead}")


# --------------------------------------------------------------------------------------- compare

def compare_command(args, folder="keras"):
    refs = sorted((args.ref / folder).glob("*.npy"))
    meta = args.ref / "meta.json"
    if meta.exists():  # model order, as make wrote them
        rank = {n: i for i, n in enumerate(json.loads(meta.read_text())["outputs"])}
        refs.sort(key=lambda p: (rank.get(p.stem, len(rank)), p.stem))
    if not refs:
        raise SystemExit(f"{args.ref / folder}: no reference outputs")
    failed = 0
    print(f"{'output':<28} {'shape':<20} {'max|diff|':>10} {'rel':>10} {'cosine':>10}")
    for ref_path in refs:
        name = ref_path.stem
        ours_path = args.ours / f"{name}.npy"
        if not ours_path.exists():
            print(f"{name:<28} MISSING {ours_path}")
            failed += 1
            continue
        ref = np.load(ref_path).astype(np.float64)
        ours = np.load(ours_path).astype(np.float64)
        if ref.shape != ours.shape:
            print(f"{name:<28} FAIL shape {list(ours.shape)}, reference {list(ref.shape)}")
            failed += 1
            continue
        diff = float(np.abs(ref - ours).max())
        rel = diff / max(float(np.abs(ref).max()), np.finfo(np.float64).tiny)
        a, b = ref.ravel(), ours.ravel()
        norms = np.linalg.norm(a) * np.linalg.norm(b)
        cosine = float(a @ b / norms) if norms > 0 else (1.0 if diff == 0 else 0.0)
        ok = rel <= REL_TOLERANCE and cosine >= COSINE_MIN and np.isfinite(ours).all()
        failed += not ok
        print(f"{name:<28} {str(list(ref.shape)):<20} {diff:>10.3e} {rel:>10.3e} {cosine:>10.7f} {'PASS' if ok else 'FAIL'}")
    print(f"{len(refs) - failed}/{len(refs)} pass (max|diff| <= {REL_TOLERANCE:g} * max|ref|, cosine >= {COSINE_MIN})")
    return 1 if failed else 0


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)
    i = sub.add_parser("images", help="a uint8 NHWC batch from the bench corpus")
    i.add_argument("--count", type=int, default=32)
    i.add_argument("--size", type=int, default=224)
    i.add_argument("--out", type=Path, required=True)
    i.add_argument("--corpus", type=Path)
    m = sub.add_parser("make", help="Keras reference outputs and weight files")
    m.add_argument("--backbone", required=True, choices=["vgg16", "resnet50", "mobilenet_v2", "inception_v3"])
    m.add_argument("--images", type=Path, required=True)
    m.add_argument("--out", type=Path, required=True)
    m.add_argument("--seed", type=int, default=16)
    m.add_argument("--batch", type=int, default=8, help="inference batch (memory, not results)")
    c = sub.add_parser("compare", help="ours against a reference")
    c.add_argument("--ref", type=Path, required=True)
    c.add_argument("--ours", type=Path, required=True)
    args = p.parse_args()
    if args.command == "images":
        images_command(args)
    elif args.command == "make":
        make_command(args)
    else:
        sys.exit(compare_command(args))


if __name__ == "__main__":
    main()
