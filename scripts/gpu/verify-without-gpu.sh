#!/usr/bin/env bash
# What can be checked of the CUDA variant on a machine WITHOUT a GPU (CI without a GPU, a laptop):
#
#   scripts/gpu/verify-without-gpu.sh [--work DIR]
#
# 1. resolves the CUDA natives (pytorch-native-cu124 2.5.1, a 2.4 GB jar) and says how long that took;
# 2. prepares that libtorch for a machine without a driver (scripts/gpu/natives.sh; 4.1 GB unpacked, once);
# 3. `mvn -B -ntp -Pcuda package` with PYTORCH_LIBRARY_PATH on it: builds the CUDA variant and runs the whole
#    test suite on the CPU under the cu124 libtorch (the PyTorch engine is 2.5.1 and reports 0 GPUs);
# 4. `btw bench train --device auto` falls back to the CPU with one log line and finishes;
# 5. `btw bench train --device gpu` stops with exit status 2 and a message naming how to get a GPU build.
# Not part of .ci/run (the download is 2.4 GB); run it as its own CI stage, with ~/.m2 cached when possible.
# Exits 0 when everything passed, 1 otherwise.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
work=""
if [ "${1:-}" = "--work" ]; then work="$2"; fi
[ -n "$work" ] || work="$(mktemp -d)"
mkdir -p "$work"
say() { echo "gpu-verify: $*"; }
fail() { echo "gpu-verify: FAILED: $*" >&2; exit 1; }
export DJL_OFFLINE=true

say "1/5 resolving pytorch-native-cu124 2.5.1 (linux-x86_64)"
start=$(date +%s)
mvn -B -ntp org.apache.maven.plugins:maven-dependency-plugin:3.8.1:get -Dtransitive=false \
  -Dartifact=ai.djl.pytorch:pytorch-native-cu124:2.5.1:jar:linux-x86_64 > "$work/resolve.log" 2>&1 \
  || { tail -20 "$work/resolve.log"; fail "resolve"; }
say "resolved in $(( $(date +%s) - start )) s (0 s when ~/.m2 already holds it)"

say "2/5 the cu124 libtorch for a machine without a driver"
start=$(date +%s)
PYTORCH_LIBRARY_PATH="$(scripts/gpu/natives.sh)"
export PYTORCH_LIBRARY_PATH PYTORCH_VERSION=2.5.1 PYTORCH_FLAVOR=cu124
say "PYTORCH_LIBRARY_PATH=$PYTORCH_LIBRARY_PATH ($(( $(date +%s) - start )) s)"

say "3/5 mvn -B -ntp -Pcuda package: the CUDA variant, its whole test suite on the CPU (several minutes)"
start=$(date +%s)
mvn -B -ntp -Pcuda package > "$work/package.log" 2>&1 \
  || { grep -E "Tests run|FAIL|ERROR" "$work/package.log" | tail -30; fail "mvn -Pcuda package (log: $work/package.log)"; }
grep -E "^\[(INFO|WARNING)\] Tests run: [0-9]+, Failures: [0-9]+, Errors: [0-9]+, Skipped: [0-9]+$" "$work/package.log"
grep -q "PyTorch engine 2.5.1 sees no GPU (its natives are cu124" "$work/package.log" \
  || fail "the tests did not run on the cu124 natives (log: $work/package.log)"
test -f btw-bench/target-cuda/lib/pytorch-native-cu124-2.5.1-linux-x86_64.jar || fail "no cu124 jar in btw-bench/target-cuda/lib"
touch btw-bench/target-cuda/.btw-built
say "built and tested in $(( $(date +%s) - start )) s"

say "4/5 btw bench train --device auto: CPU fallback with one log line"
./btw --cuda bench train --n 256 --epochs 1 --dims 64,16 --experts 4 --expert-hidden 64 --device auto \
  > "$work/bench.json" 2> "$work/bench.err" || { cat "$work/bench.err"; fail "bench train --device auto"; }
cat "$work/bench.json"
grep -q '"device":"cpu"' "$work/bench.json" || fail "bench train did not fall back to the CPU"
[ "$(grep -c "is auto and DJL's PyTorch engine 2.5.1 sees no GPU" "$work/bench.err")" = 1 ] \
  || { cat "$work/bench.err"; fail "expected exactly one fallback log line"; }
grep "is auto and" "$work/bench.err"

say "5/5 btw bench train --device gpu: exit 2 naming how to get a GPU build"
set +e
./btw --cuda bench train --n 64 --epochs 1 --device gpu > /dev/null 2> "$work/gpu.err"
status=$?
set -e
cat "$work/gpu.err"
[ "$status" = 2 ] || fail "expected exit status 2, got $status"
grep -q -- "-Pcuda" "$work/gpu.err" || fail "the message does not say how to get a GPU build"
say "passed (logs in $work)"
