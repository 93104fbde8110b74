#!/usr/bin/env bash
# The mutation tests and the endpoint's tests in a build of their own under AddressSanitizer and
# UndefinedBehaviorSanitizer:
#   - fuzz_parsers: every card, setting, CSV, .npy, IDX, PNG, ONNX file and serving request it makes must be
#     read or refused with a sentence;
#   - fuzz_http: mutated HTTP requests against a real maas-serve, which must answer or close each and stop
#     cleanly;
#   - tst_serve and tst_security: the endpoint's own tests, against the sanitized server;
#   - tst_publish: the endpoint client (its HTTP reading, upload and answers' parsing) against that server,
#     through the fault-injecting proxy.
# Any memory error or undefined behaviour aborts the run.
#   ./scripts/sanitize.sh [ROUNDS] [REQUESTS]   (defaults: 2000 per parser, 100000 requests)
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup-debian.sh
build=${MAAS_SANITIZE_BUILD_DIR:-build-sanitize}
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMAAS_SANITIZE=ON -DMAAS_WERROR=ON >/dev/null
cmake --build "$build" --parallel "${MAAS_JOBS:-$(nproc)}" --target fuzz_parsers fuzz_http maas-serve tst_serve tst_security tst_publish
mkdir -p "$build/tests/fixtures"
/usr/bin/python3 tests/fixtures/make_fixtures.py "$build/tests/fixtures" >/dev/null
# LibTorch's own allocations are not ours to judge: leaks stay off, everything else aborts the run.
export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# Not the model pickle target: LibTorch's unpickler allocates whatever length a mutated pickle names before it
# reads (29 GB in one round), and ASan's operator new aborts where the regular build throws std::bad_alloc,
# which the loader refuses with a sentence; the regular build's ctest runs that target.
"$build/tests/fuzz_parsers" "${1:-2000}" 1 "$build/tests/fixtures/cnn.image.png" "$build/tests/fixtures/bad_model.onnx"
time "$build/tests/fuzz_http" "$build/app/serve/maas-serve" "$build/tests/fixtures/cnn.pt" \
  "$build/tests/fixtures/text.pt" "${2:-100000}" 1
(cd "$build/tests" && QT_QPA_PLATFORM=offscreen ./tst_serve && QT_QPA_PLATFORM=offscreen ./tst_security &&
  QT_QPA_PLATFORM=offscreen ./tst_publish)
