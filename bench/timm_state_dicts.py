"""Writes Tests/NeuralKitTests/Fixtures/timm/<name>.json for each timm backbone NeuralKit builds:
the keys of `timm.create_model(name, pretrained=False).state_dict()` in order, with dtype and
shape, and the model's default pretrained_cfg. The Swift tests write timm-layout safetensors files
from these lists (so the key names come from timm itself, not from our own mapping) and check
the built-in preprocessing table against the pretrained_cfg.

  bench/.venv/bin/python bench/timm_state_dicts.py [--out Tests/NeuralKitTests/Fixtures/timm]

See timm_parity.py for why torchvision's _meta_registrations is stubbed before timm is imported.
"""
import argparse
import json
from pathlib import Path

from timm_parity import import_timm

ROOT = Path(__file__).resolve().parent.parent
NAMES = ["vgg16", "resnet50", "mobilenetv2_100", "inception_v3"]
CFG_FIELDS = ["tag", "input_size", "interpolation", "crop_pct", "crop_mode", "mean", "std"]


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", type=Path, default=ROOT / "Tests/NeuralKitTests/Fixtures/timm")
    args = p.parse_args()
    timm, torch = import_timm()
    args.out.mkdir(parents=True, exist_ok=True)
    for name in NAMES:
        model = timm.create_model(name, pretrained=False)
        keys = [[k, str(v.dtype).replace("torch.", ""), list(v.shape)] for k, v in model.state_dict().items()]
        cfg = {k: model.pretrained_cfg[k] for k in CFG_FIELDS}
        document = {"architecture": name, "timm_version": timm.__version__, "pretrained_cfg": cfg}
        # One key a line: the file diffs well and stays small.
        body = ",\n".join(json.dumps(k) for k in keys)
        text = json.dumps(document)[:-1] + ', "keys": [\n' + body + "\n]}\n"
        json.loads(text)
        (args.out / f"{name}.json").write_text(text)
        print(name, len(keys))


if __name__ == "__main__":
    main()
