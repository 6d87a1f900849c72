#!/usr/bin/env bash
# The whole test suite once on a release build under AddressSanitizer (the optimised code paths,
# with every heap and stack access checked). Slow (about 3x the normal suite): run it by hand
# before a release or after changing a parser or a kernel.
#
#   scripts/asan-test.sh                    # every test
#   scripts/asan-test.sh --filter Archive   # arguments go to `swift test`
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/install-deps.sh"
scratch="$root/.build-asan"
swift build --package-path "$root" --scratch-path "$scratch" -c release --sanitize address --build-tests -Xswiftc -enable-testing
# oneDNN's JIT and OpenMP allocate outside ASan's view; leaks are not what this run looks for.
ASAN_OPTIONS="detect_leaks=0:abort_on_error=1:${ASAN_OPTIONS:-}" OMP_WAIT_POLICY=passive \
  swift test --package-path "$root" --scratch-path "$scratch" -c release --sanitize address -Xswiftc -enable-testing --skip-build "$@"
