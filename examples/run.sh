#!/usr/bin/env bash
# Builds and runs every example under examples/ against this checkout, as a user's project would after
# `mvn install`: each folder with a pom.xml is built and run with `mvn package exec:exec`, and must exit 0 (each
# example checks its own outcome and exits non-zero when it misses).
#
# The dev.btw artifacts are installed into a private local repository (BTW_EXAMPLES_M2, default
# target/examples-m2 in this checkout), so that a concurrent `mvn install` elsewhere cannot swap the SNAPSHOTs
# under the examples. Every other group in that repository is a symbolic link into the shared one
# (BTW_SHARED_M2, default ~/.m2/repository): nothing is downloaded twice, and a machine that has built the
# project once needs no network here.
#
# Usage: examples/run.sh [EXAMPLE...]   (default: every example folder)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shared="${BTW_SHARED_M2:-$HOME/.m2/repository}"
private="${BTW_EXAMPLES_M2:-$repo/target/examples-m2}"
export DJL_OFFLINE=true

# The private repository: dev/btw is its own folder, everything else links to the shared repository.
mkdir -p "$shared/dev" "$private/dev/btw"
for entry in "$shared"/*; do
  name="$(basename "$entry")"
  [ "$name" = dev ] && continue
  [ -e "$private/$name" ] || ln -s "$entry" "$private/$name"
done
for entry in "$shared"/dev/*; do
  name="$(basename "$entry")"
  [ "$name" = btw ] && continue
  [ -e "$private/dev/$name" ] || ln -s "$entry" "$private/dev/$name"
done

# Maven 3.8 prints colour resets even in batch mode; keep logs plain.
plain() { sed -u 's/\x1b\[[0-9;]*m//g'; }

start=$(date +%s)
echo "examples: installing dev.btw into $private"
mvn -B -ntp -q -Dstyle.color=never -f "$repo/pom.xml" -Dmaven.repo.local="$private" -DskipTests install 2>&1 | plain
echo "examples: installed in $(( $(date +%s) - start )) s"

if [ "$#" -gt 0 ]; then
  examples=("$@")
else
  examples=()
  for pom in "$repo"/examples/*/pom.xml; do
    examples+=("$(basename "$(dirname "$pom")")")
  done
fi

failed=()
for name in "${examples[@]}"; do
  dir="$repo/examples/$name"
  t0=$(date +%s)
  echo "examples: $name"
  if (cd "$dir" && mvn -B -ntp -q -Dstyle.color=never -Dmaven.repo.local="$private" package exec:exec 2>&1 | plain); then
    echo "examples: $name passed in $(( $(date +%s) - t0 )) s"
  else
    echo "examples: $name FAILED after $(( $(date +%s) - t0 )) s"
    failed+=("$name")
  fi
done
if [ "${#failed[@]}" -gt 0 ]; then
  echo "examples: failed: ${failed[*]}" >&2
  exit 1
fi
echo "examples: all ${#examples[@]} passed"
