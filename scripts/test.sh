#!/usr/bin/env bash
# Set-up, build, and every test: the README's second command, and what CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup-debian.sh
./scripts/build.sh
build=${MAAS_BUILD_DIR:-build}
QT_QPA_PLATFORM=offscreen ctest --test-dir "$build" --output-on-failure --timeout 900
