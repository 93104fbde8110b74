#!/usr/bin/env bash
# The parsers' mutation test (tests/fuzz/fuzz_parsers.cpp) in a build of its own under AddressSanitizer
# and UndefinedBehaviorSanitizer: every card, setting, CSV, .npy, IDX and PNG input it makes must be read
# or refused with a sentence, with no memory error and no undefined behaviour.
#   ./scripts/sanitize.sh [ROUNDS]      (default 2000 per parser)
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup-debian.sh
build=${MAAS_SANITIZE_BUILD_DIR:-build-sanitize}
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMAAS_SANITIZE=ON -DMAAS_WERROR=ON >/dev/null
cmake --build "$build" --parallel "${MAAS_JOBS:-$(nproc)}" --target fuzz_parsers
mkdir -p "$build/tests/fixtures"
/usr/bin/python3 tests/fixtures/make_fixtures.py "$build/tests/fixtures" >/dev/null
# LibTorch's own allocations are not ours to judge: leaks stay off, everything else aborts the run.
ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  "$build/tests/fuzz_parsers" "${1:-2000}" 1 "$build/tests/fixtures/cnn.image.png"
