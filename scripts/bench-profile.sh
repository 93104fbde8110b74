#!/usr/bin/env bash
# Benchmark and profiling targets (issue 11), peers in the same run:
#  - `maas bench`'s p50 for torchvision resnet18 and mobilenet_v2 (batch 1, 224x224) against a bare C++
#    LibTorch loop (maas-bench-predict) and Python's torch.utils.benchmark, same threads: within 5%;
#  - the default thread setting against the best of a sweep over 1..cores threads: within 10%;
#  - one model at one configuration benchmarked (load, warm-up, 50 calls) in under 10 s of wall time;
#  - `maas profile`: its cost over the unprofiled pass (<= 15%), per-layer times against the pass (within
#    10%), its FLOPs against the inspector's;
#  - the Benchmark and Profile pages' charts redrawn with 10,000 points (< 16 ms).
#   ./scripts/bench-profile.sh       (about 6 minutes; ROUNDS=5 by default; the machine should be idle)
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup-debian.sh
./scripts/build.sh >/dev/null
build=${MAAS_BUILD_DIR:-build}
out="$build/bench/profile"
mkdir -p "$out"
[ -f "$out/resnet18.pt" ] || /usr/bin/python3 tests/fixtures/make_fixtures.py "$out" >/dev/null
maas="$build/app/cli/maas"
cores=$(nproc)
threads=$(seq -s, 1 "$cores")
rounds=${ROUNDS:-5}
for name in resnet18 mobilenet_v2; do
    model="$out/$name.pt"
    start=$(date +%s%N)
    "$maas" bench "$model" --iterations 50 --json >"$out/$name.bench.json"
    end=$(date +%s%N)
    echo "{\"seconds\": $(((end - start) / 1000000))e-3}" >"$out/$name.wall.json"
    # The three timings take turns, round after round, so a busy spell on a shared machine hits each alike;
    # each reports the median of its round and the rounds' median is compared.
    for round in $(seq "$rounds"); do
        "$maas" bench "$model" --iterations 30 --json >"$out/$name.bench.$round.json"
        "$build/engine/bench/maas-bench-predict" "$model" 1,3,224,224 30 >"$out/$name.bare.$round.json"
        /usr/bin/python3 engine/bench/peer_bench.py "$model" 1,3,224,224 "$cores" 1.5 >"$out/$name.python.$round.json"
    done
    "$maas" bench "$model" --threads "$threads" --iterations 30 --json >"$out/$name.sweep.json"
    "$maas" bench "$model" --iterations 30 --json >"$out/$name.default.json"
    "$maas" profile "$model" --runs 30 --json >"$out/$name.profile.json"
    "$maas" inspect "$model" --input-shape 1,3,224,224 --json >"$out/$name.inspect.json"
done
[ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] || export QT_QPA_PLATFORM=offscreen
/usr/bin/python3 - "$out" <<'PY'
import json, os, sys
out = sys.argv[1]
load = lambda name: json.load(open(os.path.join(out, name)))
print(load("resnet18.bench.json")["runtime"])
rounds = int(os.environ.get("ROUNDS", "5"))
median = lambda v: sorted(v)[len(v) // 2]
print(f"medians of {rounds} rounds in turn; threads as the engine's default")
print(f"{'model':13} {'maas p50':>9} {'bare C++':>9} {'ratio':>6} {'Python':>9} {'ratio':>6} {'default/best':>13} {'wall, 1 config':>15}")
for name in ("resnet18", "mobilenet_v2"):
    p50 = median([load(f"{name}.bench.{r}.json")["models"][0]["configurations"][0]["p50_ms"] for r in range(1, rounds + 1)])
    bare = median([load(f"{name}.bare.{r}.json")["bare_ms"] for r in range(1, rounds + 1)])
    python = median([load(f"{name}.python.{r}.json")["python_ms"] for r in range(1, rounds + 1)])
    sweep = load(name + ".sweep.json")["models"][0]["configurations"]
    best = min(c["p50_ms"] for c in sweep)
    default = load(name + ".default.json")["models"][0]["configurations"][0]["p50_ms"]
    wall = load(name + ".wall.json")["seconds"]
    print(f"{name:13} {p50:6.2f} ms {bare:6.2f} ms {p50 / bare:6.3f} {python:6.2f} ms {p50 / python:6.3f} {default / best:13.3f} {wall:13.1f} s")
    print("   sweep: " + ", ".join(f"{c['threads']} threads {c['p50_ms']:.2f} ms" for c in sweep))
print()
print(f"{'model':13} {'forward':>9} {'profiled':>9} {'cost':>6} {'layers/pass':>12} {'FLOPs':>10} {'inspector':>10}")
for name in ("resnet18", "mobilenet_v2"):
    p = load(name + ".profile.json")
    layers = sum(l["self_ms"] for l in p["layers"])
    flops = load(name + ".inspect.json")["compute"]["flops"]
    print(f"{name:13} {p['forward_ms']:6.2f} ms {p['profiled_ms']:6.2f} ms {p['overhead'] * 100:5.1f}% "
          f"{layers / p['profiled_mean_ms']:12.3f} {p['flops'] / 1e9:8.3f} G {flops / 1e9:8.3f} G")
PY
echo
"$build/widgets/bench/maas-bench-charts" 10000
