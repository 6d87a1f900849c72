# Sourced by the scripts that build release (demo.sh, bench/run): tune the build for AVX2 where
# this machine has it (see Package.swift). An explicit DATASET_TARGET_CPU, even empty, wins.
if [ -z "${DATASET_TARGET_CPU+set}" ] && [ "$(uname -m)" = x86_64 ] && grep -qw avx2 /proc/cpuinfo 2>/dev/null; then
  export DATASET_TARGET_CPU=haswell
fi
