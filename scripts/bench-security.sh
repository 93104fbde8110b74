#!/usr/bin/env bash
# maas-serve's fairness target (issue 13): while one tenant's token floods the server, another tenant's
# p99 latency stays within 2x of its p99 alone. Run against a server with a rate limit per token, and, as
# the peer, the same flood against a server without one. The measured tenant sends 40 requests a second,
# within its own limit; the flood sends flat out from 16 connections.
#   ./scripts/bench-security.sh     (about a minute; the machine should be idle)
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup-debian.sh
./scripts/build.sh >/dev/null
build=${MAAS_BUILD_DIR:-build}
out="$build/bench/security"
models="$build/bench/profile"
[ -f "$models/cnn.pt" ] || /usr/bin/python3 tests/fixtures/make_fixtures.py "$models" >/dev/null
rm -rf "$out" && mkdir -p "$out"
serve="$build/app/serve/maas-serve"
load="$build/app/serve/maas-bench-serve"
victim=$("$serve" token add --tokens "$out/tokens" --id victim --tenant calm --scope infer,repository 2>/dev/null)
attacker=$("$serve" token add --tokens "$out/tokens" --id flood --tenant loud --scope infer,repository 2>/dev/null)
publish() { # TOKEN NAME: the CNN, published by that tenant
    /usr/bin/python3 -c "import base64,json,sys; print(json.dumps({'parameters': {'file:1/model.pt': base64.b64encode(open(sys.argv[1],'rb').read()).decode()}}))" "$models/cnn.pt" >"$out/load.json"
    curl -sf -H "Authorization: Bearer $1" --data-binary @"$out/load.json" "http://127.0.0.1:$port/v2/repository/models/$2/load" >/dev/null
}
run() { # NAME, then maas-serve's limit options
    local name=$1
    shift
    rm -rf "$out/repo" && mkdir -p "$out/repo"
    "$serve" --repository "$out/repo" --tokens "$out/tokens" --infer-needs-token --port 0 "$@" >"$out/$name.out" 2>"$out/$name.err" &
    pid=$!
    for _ in $(seq 300); do grep -q listening "$out/$name.out" 2>/dev/null && break; sleep 0.1; done
    port=$(sed -n 's/.*:\([0-9]*\)$/\1/p' "$out/$name.out")
    publish "$victim" cnn
    publish "$attacker" cnn
    "$load" flood "$port" cnn "$models/cnn.input.npy" "$victim" "$attacker" 16 600 40 >"$out/$name.json"
    kill $pid && wait $pid || true
}
trap 'kill $pid 2>/dev/null || true' EXIT
run limited --rate 50 --max-concurrent 4
run unlimited
/usr/bin/python3 - "$out" <<'PY'
import json, sys
out = sys.argv[1]
print("| server | victim p99 alone (ms) | victim p99 under flood (ms) | ratio (target <= 2) | flood requests | refused (429) |")
print("| --- | --- | --- | --- | --- | --- |")
for name in ("limited", "unlimited"):
    r = json.load(open(f"{out}/{name}.json"))
    print(f"| {name} | {r['alone']['p99_ms']:.2f} | {r['flooded']['p99_ms']:.2f} | {r['p99_ratio']:.2f} | "
          f"{r['flood_requests']} | {r['flood_refused']} |")
PY
