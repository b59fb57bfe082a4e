#!/usr/bin/env bash
# Renders a btw report page in headless Chromium (Debian's `chromium` package) and saves a PNG, so that a person
# can look at what 'btw report' produced. Usage: scripts/report/screenshot.sh RUN_DIR/report.html OUT.png
set -euo pipefail
page="$1"; out="$2"
command -v chromium >/dev/null || { echo "install Debian's chromium first: apt-get install -y --no-install-recommends chromium" >&2; exit 2; }
profile="$(mktemp -d)"; trap 'rm -rf "$profile"' EXIT
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --user-data-dir="$profile" --window-size=1200,4000 \
  --screenshot="$out" "file://$(realpath "$page")" 2>/dev/null
echo "screenshot: $out"
