#!/usr/bin/env bash
# How well a low per-instance modality weight (btw predict's weight:<modality> columns) flags known noise on
# held-out data: builds diabetes, derives the corrupted-copy and two-noise-modality sets (noise_flags.py derive),
# trains exp(-kl)*mi under btw.inference=instance, exports, predicts the whole manifest, and prints one JSON line per
# condition and seed with the AUROC on the test split (noise_flags.py auroc).
# Usage: scripts/stats/noise_flags.sh [OUT_DIR] [SEEDS]   (defaults: noise-flags, "1111")
# Needs python3 with numpy. BTW names the launcher (default ./btw).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
btw="${BTW:-$here/../../btw}"
out="${1:-noise-flags}"
seeds="${2:-1111}"
data="${BTW_HOME:-$HOME/.cache/btw}/data/diabetes"
"$btw" data diabetes >&2
python3 "$here/noise_flags.py" derive "$data" "$out"
for condition in corrupt noise-2; do
  for seed in $seeds; do
    run="$out/$condition/run-$seed"
    "$btw" train --config "$out/$condition/config.yaml" --out "$run" --methods 'exp(-kl)*mi' \
      --seeds "$seed-$seed" --set btw.inference=instance --quiet >&2
    "$btw" export --run "$run" --method 'exp(-kl)*mi' --seed "$seed" --out "$run/model.onnx" >&2
    "$btw" predict --model "$run/model.onnx" --config "$out/$condition/config.yaml" \
      --manifest "$out/$condition/manifest.csv" --out "$run/predicted.csv" --quiet >&2
    python3 "$here/noise_flags.py" auroc "$out/$condition/manifest.csv" "$run/predicted.csv" "$condition"
  done
done
