"""The four keras.applications backbones of issue #16 as the bench scripts build them: names, input
sizes, preprocessing and the block outputs a parity run compares. Import it after setting any
TF_* environment variable: it imports Keras (and so TensorFlow).
"""
from dataclasses import dataclass

import numpy as np
import keras


@dataclass(frozen=True)
class Backbone:
    key: str          # command-line and fixture name, e.g. "mobilenet_v2"
    swift: str        # Swift name, e.g. "MobileNetV2" (file names, `KerasWeightTable.<lowerCamel>`)
    constructor: str  # attribute of keras.applications
    module: str       # keras.applications submodule holding preprocess_input
    size: int         # the input side the with-top model requires


BACKBONES = {
    b.key: b for b in [
        Backbone("vgg16", "VGG16", "VGG16", "vgg16", 224),
        Backbone("resnet50", "ResNet50", "ResNet50", "resnet50", 224),
        Backbone("mobilenet_v2", "MobileNetV2", "MobileNetV2", "mobilenet_v2", 224),
        Backbone("inception_v3", "InceptionV3", "InceptionV3", "inception_v3", 299),
    ]
}


def build(key, include_top=True, pooling=None, input_size=None):
    """A fresh model with random weights. Call keras.backend.clear_session() first when layer names
    must be those of a fresh process (InceptionV3 numbers its layers per process)."""
    b = BACKBONES[key]
    size = input_size or b.size
    kwargs = dict(weights=None, include_top=include_top, input_shape=(size, size, 3))
    if not include_top:
        kwargs["pooling"] = pooling
    if key == "mobilenet_v2":
        kwargs["alpha"] = 1.0
    return getattr(keras.applications, b.constructor)(**kwargs)


def preprocess(key, images):
    """keras.applications' own preprocess_input on a copy of uint8 NHWC RGB images (or a tensor)."""
    fn = getattr(keras.applications, BACKBONES[key].module).preprocess_input
    if isinstance(images, np.ndarray):
        return fn(images.astype(np.float32))  # a copy: caffe mode works in place on arrays
    return fn(images)


def weighted_layers(model):
    """(name, class, [shape, ...]) per layer with weights, in model.layers order and each layer's
    weights in the legacy HDF5 order (trainable, then non-trainable): the order Keras loads
    applications weight files by."""
    out = []
    for layer in model.layers:
        weights = layer.trainable_weights + layer.non_trainable_weights
        if weights:
            out.append((layer.name, type(layer).__name__, [tuple(int(d) for d in w.shape) for w in weights]))
    return out


def block_outputs(key, model):
    """Names of the layers whose outputs a parity run records, in model order."""
    names = [l.name for l in model.layers]
    if key == "vgg16":
        picked = [f"block{i}_pool" for i in range(1, 6)]
    elif key == "resnet50":
        picked = ["conv1_relu", "pool1_pool"] + [n for n in names if n.endswith("_out") and n.startswith("conv")]
    elif key == "mobilenet_v2":
        picked = ["Conv1_relu", "expanded_conv_project_BN"]
        for k in range(1, 17):
            add = f"block_{k}_add"
            picked.append(add if add in names else f"block_{k}_project_BN")
        picked.append("out_relu")
    elif key == "inception_v3":
        # The stem: every activation and max pool before the first conv of mixed0 (the sixth
        # Conv2D). model.layers is topological and each stem layer is an ancestor of mixed0.
        convs = [i for i, l in enumerate(model.layers) if type(l).__name__ == "Conv2D"]
        stem = [l.name for l in model.layers[:convs[5]] if type(l).__name__ in ("Activation", "MaxPooling2D")]
        picked = stem + [f"mixed{i}" for i in range(11)]
    else:
        raise KeyError(key)
    missing = [n for n in picked if n not in names]
    if missing:
        raise RuntimeError(f"{key}: no layers named {missing}")
    return picked


def last_feature_layer(key):
    """The layer whose output include_top=False returns (before pooling)."""
    return {"vgg16": "block5_pool", "resnet50": "conv5_block3_out", "mobilenet_v2": "out_relu",
            "inception_v3": "mixed10"}[key]
