"""timm reference outputs for NeuralKit's timm-family backbones (issue #16), on random weights with
calibrated batch-norm statistics, and the comparison of ours against them. Bench, not CI.

  python bench/timm_parity.py make --backbone vgg16|resnet50|mobilenetv2_100|inception_v3 \\
      --images images224.npy --out DIR [--seed 16] [--dtype F32|F16|BF16]
  python bench/timm_parity.py compare --ref DIR --ours DIR2
  (ours: .build/debug/backbone-probe --family timm BACKBONE DIR DIR2)

The images come from `backbone_parity.py images` (uint8 NHWC, 224 or 299 a side). make writes into DIR:
  images.npy         the batch
  model.safetensors  timm's state_dict as timm's save_for_hf writes it (with the classifier, and
  config.json        batch norm's int64 num_batches_tracked), and its pretrained_cfg
  timm/<node>.npy    float32 outputs, NHWC maps or (N, C) vectors, named by our node names (a timm
                     module whose output is that node's), plus pooled_avg, pooled_max (the last
                     block's map pooled) and predictions (softmax of the with-top model)
  meta.json          versions, seed, liveness of each output

As in backbone_parity.py, biases and batch-norm affine parameters are drawn at random, then every
batch norm's running statistics are set to the batch's by one training-mode pass with momentum None
(a cumulative average over one batch). Without that, a wrong padding side or epsilon still agrees
to about 1e-3 (shared/research/transfer-learning.md 4.1).

The input is (x/255 - mean)/std with the model's pretrained_cfg mean and std, in float32, at the
batch's size: no resize, so only the network is compared.

timm imports torchvision. The PyPI torchvision wheel that matches the CPU torch wheel is built for
CUDA: its operator library fails to load and `import torchvision` dies in
torchvision/_meta_registrations.py ("operator torchvision::nms does not exist"). Nothing here uses
torchvision's operators, so that one module is replaced by an empty one before timm is imported.
"""
import argparse
import json
import sys
import time
import types
from pathlib import Path

import numpy as np

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
from backbone_parity import ALIVE_MAX_ZEROS, ALIVE_MIN_STD, compare_command, liveness  # noqa: E402

NAMES = {"vgg16": "vgg16", "resnet50": "resnet50", "mobilenet_v2": "mobilenetv2_100", "mobilenetv2_100": "mobilenetv2_100",
         "inception_v3": "inception_v3"}


def import_timm():
    sys.modules.setdefault("torchvision._meta_registrations", types.ModuleType("torchvision._meta_registrations"))
    import timm
    import torch
    return timm, torch


def recorded_outputs(name, model):
    """(timm module path, our node name) of the outputs compared: every block's output, by the
    module that computes it. Our nodes carry timm's module paths, except where one timm module
    holds two of our nodes (BatchNormAct2d's ReLU is our `<bn>.act`; VGG's conv and its ReLU are
    one node of ours, `features.N`, whose output is timm's `features.N+1`)."""
    if name == "vgg16":
        out = []
        layers = list(model.features)
        for i, m in enumerate(layers):
            # A convolution right before a pooling hands its ReLU to the pooling in ours (max
            # commutes with it), so its own output is the pooling's input before the ReLU.
            if type(m).__name__ == "Conv2d" and type(layers[i + 2]).__name__ != "MaxPool2d":
                out.append((f"features.{i + 1}", f"features.{i}"))
            elif type(m).__name__ == "MaxPool2d":
                out.append((f"features.{i}", f"features.{i}"))
        return out
    if name == "resnet50":
        out = [("act1", "act1"), ("maxpool", "maxpool")]
        for s in range(1, 5):
            for b in range(len(getattr(model, f"layer{s}"))):
                out.append((f"layer{s}.{b}", f"layer{s}.{b}.act3"))
        return out
    if name == "mobilenetv2_100":
        out = [("bn1", "bn1.act"), ("blocks.0.0", "blocks.0.0.bn2")]
        for s in range(1, len(model.blocks)):
            for b, block in enumerate(model.blocks[s]):
                path = f"blocks.{s}.{b}"
                out.append((path, path if block.has_skip else path + ".bn3"))
        return out + [("bn2", "bn2.act")]
    if name == "inception_v3":
        out = [(n, n + ".bn.act") for n in ("Conv2d_1a_3x3", "Conv2d_2a_3x3", "Conv2d_2b_3x3")] + [("Pool1", "Pool1")]
        out += [(n, n + ".bn.act") for n in ("Conv2d_3b_1x1", "Conv2d_4a_3x3")] + [("Pool2", "Pool2")]
        out += [(n, n) for n in ("Mixed_5b", "Mixed_5c", "Mixed_5d", "Mixed_6a", "Mixed_6b", "Mixed_6c", "Mixed_6d",
                                 "Mixed_6e", "Mixed_7a", "Mixed_7b", "Mixed_7c")]
        return out
    raise SystemExit(f"no outputs for {name}")


def perturb(model, torch, generator):
    """Random biases and batch-norm gammas and betas (timm starts them at 0, 1 and 0). Biases scale
    with each layer's weights so they matter at every depth without swamping the signal."""
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, torch.nn.BatchNorm2d):
                m.weight.copy_(torch.rand(m.weight.shape, generator=generator) + 0.5)
                m.bias.copy_(torch.rand(m.bias.shape, generator=generator) - 0.5)
            elif isinstance(m, (torch.nn.Conv2d, torch.nn.Linear)) and m.bias is not None:
                spread = float(m.weight.reshape(m.weight.shape[0], -1).pow(2).sum(1).mean().sqrt())
                m.bias.copy_((torch.rand(m.bias.shape, generator=generator) - 0.5) * spread)


def calibrate_batch_norms(model, torch, x):
    """Running statistics := the batch's: momentum None (cumulative average), statistics reset,
    one training-mode pass."""
    norms = [m for m in model.modules() if isinstance(m, torch.nn.BatchNorm2d)]
    for m in norms:
        m.reset_running_stats()
        m.momentum = None
    model.train()
    with torch.no_grad():
        model(x)
    model.eval()
    for m in norms:
        m.momentum = 0.1
    return len(norms)


def make_command(args):
    timm, torch = import_timm()
    from timm.models import _hub
    name = NAMES[args.backbone]
    started = time.time()
    torch.manual_seed(args.seed)
    model = timm.create_model(name, pretrained=False).eval()
    cfg = model.pretrained_cfg
    size = cfg["input_size"][1]
    images = np.load(args.images)
    if images.dtype != np.uint8 or images.ndim != 4 or images.shape[1:] != (size, size, 3):
        raise SystemExit(f"{args.images}: need uint8 (N, {size}, {size}, 3) for {name}, got {images.dtype} {images.shape}")
    out = args.out
    (out / "timm").mkdir(parents=True, exist_ok=True)
    np.save(out / "images.npy", images)
    mean = np.asarray(cfg["mean"], np.float32)
    std = np.asarray(cfg["std"], np.float32)
    x = torch.from_numpy(np.ascontiguousarray(((images.astype(np.float32) / 255 - mean) / std).transpose(0, 3, 1, 2)))

    perturb(model, torch, torch.Generator().manual_seed(args.seed))
    norms = calibrate_batch_norms(model, torch, x)

    if args.dtype != "F32":
        # Weights rounded to the file's precision, so the reference computes with what the file holds.
        half = torch.float16 if args.dtype == "F16" else torch.bfloat16
        with torch.no_grad():
            for t in model.state_dict().values():
                if t.is_floating_point():
                    t.copy_(t.to(half).to(torch.float32))
    state = model.state_dict()
    if args.dtype != "F32":
        half = torch.float16 if args.dtype == "F16" else torch.bfloat16
        state = {k: (v.to(half) if v.is_floating_point() else v) for k, v in state.items()}
    _hub.save_for_hf(model, out, safe_serialization=True)
    if args.dtype != "F32":
        from safetensors.torch import save_file
        save_file({k: v.contiguous() for k, v in state.items()}, out / "model.safetensors", metadata={"format": "pt"})

    recorded = recorded_outputs(name, model)
    modules = dict(model.named_modules())
    results = {}

    def hook(node):
        def record(_module, _inputs, output):
            results[node] = output.detach().permute(0, 2, 3, 1).contiguous().numpy().copy()
        return record

    handles = [modules[path].register_forward_hook(hook(node)) for path, node in recorded]
    t = time.time()
    with torch.no_grad():
        features = model.forward_features(x)
        logits = model.forward_head(features)
    forward_s = time.time() - t
    for h in handles:
        h.remove()
    results["pooled_avg"] = features.mean(dim=(2, 3)).numpy()
    results["pooled_max"] = features.amax(dim=(2, 3)).numpy()
    results["predictions"] = torch.softmax(logits, dim=1).numpy()

    alive, dead = {}, []
    order = [node for _, node in recorded] + ["pooled_avg", "pooled_max", "predictions"]
    for node in order:
        value = np.ascontiguousarray(results[node], np.float32)
        np.save(out / "timm" / f"{node}.npy", value)
        alive[node] = {"shape": list(value.shape), **liveness(value)}
        if node != "predictions" and (alive[node]["zeros"] >= ALIVE_MAX_ZEROS or alive[node]["std"] <= ALIVE_MIN_STD):
            dead.append(node)
    meta = {
        "backbone": name, "seed": args.seed, "images": int(images.shape[0]), "size": size, "dtype": args.dtype,
        "timm_version": timm.__version__, "torch_version": torch.__version__,
        "batch_norms_calibrated": norms, "outputs": alive, "dead": dead,
        "seconds": {"forward": round(forward_s, 1), "total": round(time.time() - started, 1)},
    }
    (out / "meta.json").write_text(json.dumps(meta, indent=1) + "\n")
    print(json.dumps({"backbone": name, "out": str(out), "keys": len(state), "seconds": meta["seconds"], "dead": dead}))
    if dead:
        raise SystemExit(f"reference outputs not alive (zeros >= {ALIVE_MAX_ZEROS} or std <= {ALIVE_MIN_STD}): {dead}")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)
    m = sub.add_parser("make", help="timm reference outputs and model.safetensors")
    m.add_argument("--backbone", required=True, choices=sorted(NAMES))
    m.add_argument("--images", type=Path, required=True)
    m.add_argument("--out", type=Path, required=True)
    m.add_argument("--seed", type=int, default=16)
    m.add_argument("--dtype", choices=["F32", "F16", "BF16"], default="F32", help="the safetensors file's float type")
    c = sub.add_parser("compare", help="ours against a reference")
    c.add_argument("--ref", type=Path, required=True)
    c.add_argument("--ours", type=Path, required=True)
    args = p.parse_args()
    if args.command == "make":
        make_command(args)
    else:
        sys.exit(compare_command(args, folder="timm"))


if __name__ == "__main__":
    main()
