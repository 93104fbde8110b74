#!/usr/bin/python3
"""The Python peer of `maas bench`: torch.utils.benchmark's median for one forward call of the same model,
input shape and threads (blocked_autorange for about MIN_SECONDS, under inference mode).

Usage: peer_bench.py MODEL SHAPE THREADS [MIN_SECONDS]   -> prints {"python_ms": ..., "runs": ...}
"""
import json
import sys

import torch
import torch.utils.benchmark as benchmark

path, shape, threads = sys.argv[1], sys.argv[2], int(sys.argv[3])
min_seconds = float(sys.argv[4]) if len(sys.argv) > 4 else 3.0
torch.set_num_threads(threads)
model = torch.jit.load(path).eval()
torch.manual_seed(0)
x = torch.rand(*[int(d) for d in shape.split(",")]) * 2 - 1  # like maas bench's inputs: spread over [-1, 1)
with torch.inference_mode():
    for _ in range(5):
        model(x)
    timer = benchmark.Timer(stmt="model(x)", globals={"model": model, "x": x}, num_threads=threads)
    measurement = timer.blocked_autorange(min_run_time=min_seconds)
print(json.dumps({"python_ms": measurement.median * 1e3, "runs": len(measurement.times), "threads": threads}))
