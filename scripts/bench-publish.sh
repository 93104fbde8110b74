#!/usr/bin/env bash
# The publishing client's targets (issue 14), each with its peer in the same run, on loopback:
#  - a 100 MB model published with the resumable upload at >= 200 MB/s (three runs), into a repository on
#    this disk and into one in memory (/dev/shm), beside curl sending the same file in the same 16 MiB
#    chunks (the bare client), and the base64 load beside the upload on a 40 MB model (base64 keeps under
#    the 64 MiB a Triton server takes in one request);
#  - a small model's remote round trip p50 within 1 ms of the server's own time for the same calls (its
#    statistics), with the in-process latency of the same model.
#   ./scripts/bench-publish.sh     (about a minute; the machine should be idle)
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup-debian.sh
./scripts/build.sh >/dev/null
build=${MAAS_BUILD_DIR:-build}
out="$build/bench/publish"
rm -rf "$out" && mkdir -p "$out"
[ -f "$out/big.pt" ] || /usr/bin/python3 - "$out" <<'PY'
import sys, torch
for name, width in (("big", 5000), ("mid", 3150)):  # about 100 MB and 40 MB of float weights
    torch.jit.script(torch.nn.Sequential(torch.nn.Linear(width, width), torch.nn.ReLU(), torch.nn.Linear(width, 10))).save(f"{sys.argv[1]}/{name}.pt")
PY
fixtures="$build/bench/profile"
[ -f "$fixtures/mlp.pt" ] || /usr/bin/python3 tests/fixtures/make_fixtures.py "$fixtures" >/dev/null
command -v curl >/dev/null || apt-get install -y -qq curl >/dev/null
serve="$build/app/serve/maas-serve"
bench="$build/app/core/maas-bench-publish"

run() { # NAME REPOSITORY: a server on that repository, the client's benchmark, curl's chunks
    local name=$1 repo=$2
    rm -rf "$repo" && mkdir -p "$repo"
    local token
    token=$("$serve" token add --tokens "$out/$name.tokens" --id bench --scope infer,repository 2>/dev/null)
    "$serve" --repository "$repo" --tokens "$out/$name.tokens" --port 0 >"$out/$name.out" 2>"$out/$name.err" &
    local pid=$!
    for _ in $(seq 300); do grep -q listening "$out/$name.out" 2>/dev/null && break; sleep 0.1; done
    local port
    port=$(sed -n 's/.*:\([0-9]*\)$/\1/p' "$out/$name.out")
    "$bench" "http://127.0.0.1:$port" "$token" "$out/big.pt" "$out/mid.pt" "$fixtures/mlp.pt" >"$out/$name.json"
    # The peer: curl PUTs the same file in 16 MiB chunks on one connection.
    local id
    id=$(curl -s -X POST -H "Authorization: Bearer $token" "http://127.0.0.1:$port/v2/repository/uploads" -d '{}' |
        /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
    split -b 16777216 -d "$out/big.pt" "$out/chunk."
    local args=() offset=0
    for c in "$out"/chunk.*; do
        args+=(--next -s -o /dev/null -X PUT -H "Authorization: Bearer $token" -H "Content-Type: application/octet-stream"
            --data-binary "@$c" "http://127.0.0.1:$port/v2/repository/uploads/$id?offset=$offset")
        offset=$((offset + $(stat -c %s "$c")))
    done
    local start end
    start=$(date +%s.%N)
    curl "${args[@]:1}"
    end=$(date +%s.%N)
    rm -f "$out"/chunk.*
    /usr/bin/python3 -c "import json; print(json.dumps({\"curl_mb_per_s\": $offset / 1e6 / ($end - $start)}))" >"$out/$name.curl.json"
    kill "$pid" && wait "$pid" 2>/dev/null || true
    rm -rf "$repo"
}
run disk "$out/repo"
run memory "/dev/shm/maas-bench-publish-$$"

/usr/bin/python3 - "$out" <<'PY'
import json, statistics, sys
out = sys.argv[1]
print("publish to a loopback maas-serve (MB/s of the file sent; 3 runs each, median)")
for name in ("disk", "memory"):
    r = json.load(open(f"{out}/{name}.json"))
    curl = json.load(open(f"{out}/{name}.curl.json"))["curl_mb_per_s"]
    med = lambda key: statistics.median(x["send_mb_per_s"] for x in r[key])
    print(f"  repository in {name:6}: upload 100 MB {med('upload_big'):6.0f}   curl chunks {curl:6.0f}"
          f"   ratio {med('upload_big') / curl:4.2f}   | 40 MB: upload {med('upload_mid'):5.0f}  base64 load {med('base64_mid'):5.0f}")
    print(f"    remote p50 {r['remote_p50_ms']:.3f} ms, p90 {r['remote_p90_ms']:.3f} ms; the server's own mean "
          f"{r['server_mean_ms']:.3f} ms (+{r['remote_p50_ms'] - r['server_mean_ms']:.3f} ms); in-process p50 {r['in_process_p50_ms']:.3f} ms")
PY
