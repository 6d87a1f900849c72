#!/usr/bin/env bash
# The test suite: installs what is missing, runs every test, then a short run of the demo on
# the same (debug) build.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/install-deps.sh"
swift build --package-path "$root" --build-tests
swift test --package-path "$root" --skip-build
CONFIG=debug CLASSES=3 PER_CLASS=10 "$root/scripts/demo.sh" "$(mktemp -d)/demo"
