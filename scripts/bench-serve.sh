#!/usr/bin/env bash
# maas-serve's targets (issue 12), each with its peer in the same run, on loopback:
#  - a small CNN at concurrency 64: dynamic batching against none (>= 3x the throughput), and the server's
#    samples/s against the engine's own predict loop in this machine's process at the server's mean batch
#    size (>= 90%);
#  - a tiny model (the MLP fixture) at concurrency 1: the server's p50 over the in-process p50 (<= +150 us);
#  - resident memory after 10,000 and after 100,000 requests (flat: within 5%).
# The load generator drives its connections from one thread, so it takes little of the cores it shares with
# the server; the server's CPU per request is measured, and so is the floor under any server here: the same
# load against a server that only answers (maas-bench-serve floor).
#   ./scripts/bench-serve.sh     (about 2 minutes; the machine should be idle)
#   MAAS_SERVE_ARGS="--threads 1" ./scripts/bench-serve.sh     (the server started with other options)
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup-debian.sh
./scripts/build.sh >/dev/null
build=${MAAS_BUILD_DIR:-build}
out="$build/bench/serve"
models="$build/bench/profile"
[ -f "$models/cnn.pt" ] || /usr/bin/python3 tests/fixtures/make_fixtures.py "$models" >/dev/null
rm -rf "$out" && mkdir -p "$out/repo"
repo="$out/repo"
for name in cnn cnn_unbatched; do mkdir -p "$repo/$name/1" && cp "$models/cnn.pt" "$repo/$name/1/model.pt"; done
mkdir -p "$repo/mlp/1" && cp "$models/mlp.pt" "$repo/mlp/1/model.pt"
config() { # NAME and, when batching, its dynamic_batching block
    cat <<PBTXT
name: "$1"
platform: "pytorch_libtorch"
max_batch_size: 64
input [ { name: "x" data_type: TYPE_FP32 dims: [ 1, 28, 28 ] } ]
output [ { name: "OUTPUT__0" data_type: TYPE_FP32 dims: [ 10 ] } ]
$2
PBTXT
}
config cnn "dynamic_batching { max_queue_delay_microseconds: 0 }" >"$repo/cnn/config.pbtxt"
config cnn_unbatched "" >"$repo/cnn_unbatched/config.pbtxt"

serve="$build/app/serve/maas-serve"
load="$build/app/serve/maas-bench-serve"
# shellcheck disable=SC2086 # the options are words
"$serve" --repository "$repo" --port 0 --http-threads 96 ${MAAS_SERVE_ARGS:-} >"$out/serve.out" 2>"$out/serve.err" &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 300); do grep -q listening "$out/serve.out" 2>/dev/null && break; sleep 0.1; done
port=$(sed -n 's/.*:\([0-9]*\)$/\1/p' "$out/serve.out")

cnn_in="$models/cnn.input.npy"
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; } # user + system CPU, in clock ticks
cpu=0
# Binary tensor data, as Triton's perf_analyzer sends by default; one round of JSON tensors beside it.
for round in 1 2 3; do # in turn, so a busy spell on a shared machine hits both alike
    "$load" http "$port" cnn_unbatched "$cnn_in" 64 3000 binary >"$out/unbatched.$round.json"
    before=$(ticks $pid)
    "$load" http "$port" cnn "$cnn_in" 64 10000 binary >"$out/batched.$round.json"
    cpu=$((cpu + $(ticks $pid) - before))
done
echo "{\"ticks\": $cpu, \"per_second\": $(getconf CLK_TCK), \"requests\": 30000}" >"$out/server.cpu.json"
"$load" floor 0 >"$out/floor.out" &
floor=$!
trap 'kill $pid $floor 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q listening "$out/floor.out" 2>/dev/null && break; sleep 0.1; done
"$load" http "$(sed -n 's/.*:\([0-9]*\)$/\1/p' "$out/floor.out")" cnn "$cnn_in" 64 100000 binary >"$out/floor.json"
kill $floor
"$load" http "$port" cnn_unbatched "$cnn_in" 64 3000 >"$out/json.unbatched.json"
"$load" http "$port" cnn "$cnn_in" 64 3000 >"$out/json.batched.json"
curl -s "http://127.0.0.1:$port/v2/models/cnn/stats" >"$out/cnn.stats.json"
batch=$(/usr/bin/python3 -c "import json; s=json.load(open('$out/cnn.stats.json'))['model_stats'][0]; print(max(1, round(s['inference_count']/s['execution_count'])))")
/usr/bin/python3 -c "import numpy as np; x=np.load('$cnn_in'); np.save('$out/cnn.batch.npy', np.repeat(x, $batch, axis=0))"
"$load" engine "$models/cnn.pt" "$out/cnn.batch.npy" 5 >"$out/engine.batch.json"

mlp_in="$models/mlp.input.npy"
for round in 1 2 3; do
    "$load" http "$port" mlp "$mlp_in" 1 2000 >"$out/tiny.http.$round.json"
    "$load" engine "$models/mlp.pt" "$mlp_in" 1 >"$out/tiny.engine.$round.json"
    "$load" ping "$port" 2000 >"$out/ping.$round.json"
done

rss() { awk '/VmRSS/ {print $2}' "/proc/$pid/status"; }
"$load" http "$port" mlp "$mlp_in" 8 10000 >/dev/null
before=$(rss)
"$load" http "$port" mlp "$mlp_in" 8 90000 >"$out/memory.json"
after=$(rss)
echo "{\"rss_kb_after_10k\": $before, \"rss_kb_after_100k\": $after}" >"$out/rss.json"

/usr/bin/python3 - "$out" "$batch" <<'PY'
import json, os, sys
out, batch = sys.argv[1], int(sys.argv[2])
load = lambda name: json.load(open(os.path.join(out, name)))
median = lambda v: sorted(v)[len(v) // 2]
unbatched = median([load(f"unbatched.{r}.json")["samples_per_second"] for r in (1, 2, 3)])
batched = median([load(f"batched.{r}.json")["samples_per_second"] for r in (1, 2, 3)])
engine = load("engine.batch.json")["samples_per_second"]
print(f"small CNN, concurrency 64, binary tensor data (medians of 3 rounds)")
print(f"  no batching        {unbatched:9.0f} samples/s")
print(f"  dynamic batching   {batched:9.0f} samples/s   {batched / unbatched:5.2f}x   (target >= 3x)")
ju, jb = load("json.unbatched.json")["samples_per_second"], load("json.batched.json")["samples_per_second"]
print(f"  with JSON tensors: {ju:.0f} and {jb:.0f} samples/s ({jb / ju:.2f}x)")
print(f"  engine in-process  {engine:9.0f} samples/s at batch {batch}: server/engine {batched / engine:5.2f}   (target >= 0.90)")
cpu, stats = load("server.cpu.json"), load("cnn.stats.json")["model_stats"][0]
server_us = cpu["ticks"] / cpu["per_second"] / cpu["requests"] * 1e6
model_us = stats["inference_stats"]["compute_infer"]["ns"] / stats["inference_count"] / 1000
floor = load("floor.json")["requests_per_second"]
cores = os.cpu_count()
print(f"  server CPU per request {server_us:.0f} us, of which the model runs {model_us:.0f} us (wall, its own threads)")
print(f"  floor: the same load against a server that only answers: {floor:.0f} requests/s "
      f"({cores * 1e6 / floor:.1f} us of the {cores} cores per request)")
print(f"  0.90 of the engine leaves {cores * 1e6 / (0.9 * engine):.0f} us of the cores per request for model, server and client together")
http = median([load(f"tiny.http.{r}.json")["p50_ms"] for r in (1, 2, 3)])
local = median([load(f"tiny.engine.{r}.json")["p50_ms"] for r in (1, 2, 3)])
ping = median([load(f"ping.{r}.json")["p50_ms"] for r in (1, 2, 3)])
print(f"tiny model, concurrency 1: server p50 {http * 1000:.0f} us, in-process {local * 1000:.0f} us, added {(http - local) * 1000:.0f} us   (target <= 150 us)")
print(f"  of which HTTP itself (GET /v2/health/live, same client): {ping * 1000:.0f} us")
rss = load("rss.json")
change = rss["rss_kb_after_100k"] / rss["rss_kb_after_10k"] - 1
print(f"resident memory: {rss['rss_kb_after_10k'] / 1024:.1f} MiB after 10,000 requests, {rss['rss_kb_after_100k'] / 1024:.1f} MiB after 100,000 ({change * 100:+.1f}%)   (target within 5%)")
failed = sum(load(f)["failed"] for f in os.listdir(out) if f.endswith(".json") and f.startswith(("batched", "unbatched", "json.", "tiny.http", "ping", "memory")))
print(f"failed requests: {failed}")
PY
