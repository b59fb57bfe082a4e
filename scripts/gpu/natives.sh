#!/usr/bin/env bash
# Prints a folder holding the CUDA libtorch of the -Pcuda build (PyTorch 2.5.1, cu124) that loads on a machine
# WITHOUT an NVIDIA driver, for PYTORCH_LIBRARY_PATH. Such a machine cannot use the jar directly: DJL detects the
# system as CPU-only, ignores the cu124 jar and tries to download CPU natives (which fails offline). Extracting
# the jar's libraries minus libcaffe2_nvrtc.so (the only one that needs the driver's libcuda.so.1) lets DJL load
# the CUDA build, report 0 GPUs and compute on the CPU: that is how the CUDA build is tested without a GPU.
# On a machine WITH a driver, do not use this: DJL picks the jar by itself (and needs libcaffe2_nvrtc.so).
#
# Usage: scripts/gpu/natives.sh [JAR]   (JAR: default the -Pcuda build's copy under btw-bench/target-cuda/lib,
#                                        else the local Maven repository's)
# The folder is $BTW_HOME/natives/pytorch-2.5.1-cu124-nodriver (BTW_HOME defaults to ~/.cache/btw); it is made
# once (about 4 GB unpacked), atomically, and reused.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
version=2.5.1
flavor=cu124
jar="${1:-}"
if [ -z "$jar" ]; then
  for c in "$here"/btw-bench/target-cuda*/lib/pytorch-native-$flavor-$version-linux-x86_64.jar \
      "${MAVEN_REPO:-$HOME/.m2/repository}/ai/djl/pytorch/pytorch-native-$flavor/$version/pytorch-native-$flavor-$version-linux-x86_64.jar"; do
    if [ -f "$c" ]; then jar="$c"; break; fi
  done
fi
if [ -z "$jar" ] || [ ! -f "$jar" ]; then
  echo "natives: pytorch-native-$flavor-$version-linux-x86_64.jar not found; build with 'mvn -Pcuda package' first" >&2
  exit 2
fi
dest="${BTW_HOME:-$HOME/.cache/btw}/natives/pytorch-$version-$flavor-nodriver"
if [ ! -f "$dest/libtorch.so" ]; then
  command -v unzip >/dev/null || { echo "natives: unzip is needed" >&2; exit 2; }
  mkdir -p "$(dirname "$dest")"
  tmp="$(mktemp -d "$dest.tmp.XXXXXX")"
  trap 'rm -rf "$tmp"' EXIT
  unzip -q -j "$jar" "pytorch/$flavor/linux-x86_64/*" -x "pytorch/$flavor/linux-x86_64/libcaffe2_nvrtc.so" -d "$tmp"
  test -f "$tmp/libtorch.so"
  rm -rf "$dest"
  mv "$tmp" "$dest"
  trap - EXIT
fi
echo "$dest"
