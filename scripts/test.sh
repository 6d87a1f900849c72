#!/usr/bin/env bash
# The test suite: installs what is missing, runs every test, then the main job (scripts/demo.sh:
# the Food-101 recipe on its tiny sample, to a trained model and its evaluation) on the same
# debug build.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/install-deps.sh"
swift build --package-path "$root" --build-tests
swift test --package-path "$root" --skip-build
CONFIG=debug SMALL=1 WORK="$(mktemp -d)/demo" "$root/scripts/demo.sh"
