#!/usr/bin/env bash
# Installs the Debian packages `dataset` builds against (and its tests use), when missing. Safe to rerun.
set -euo pipefail

packages=(
  pkg-config
  libturbojpeg0-dev   # JPEG decode/encode (TurboJPEG API)
  libpng-dev          # PNG
  libarchive-dev      # tar/zip archives
  zlib1g-dev          # gzip inflated with its CRC and length checked (unpack)
  libdnnl-dev         # oneDNN: the trainer's convolutions, pooling, dense layers
  libhdf5-dev         # Keras weight files (.h5, .weights.h5) for pretrained backbones
  libcurl4            # run time: Foundation's URLSession on Linux (--weights imagenet downloads)
  ca-certificates     # run time: HTTPS certificates for those downloads
  python3-numpy       # tests: numpy.load reads the shards `pack` writes
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "installing: ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
