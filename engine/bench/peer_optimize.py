#!/usr/bin/python3
"""Python PyTorch's side of the optimization benchmark: the same model made smaller or faster by PyTorch's
own tools, timed the way `maas bench` times (warm-up, then the median of timed calls), as JSON.

Usage:
  peer_optimize.py quantize MODEL SHAPE ITERATIONS THREADS ENGINE
      torch.ao.quantization.quantize_dynamic_jit (per-channel weights) on MODEL's Linear layers
  peer_optimize.py static MODEL SHAPE ITERATIONS THREADS ENGINE FASHION_DIR
      torch.ao.quantization.quantize_jit (graph-mode static int8, the engine's default qconfig) calibrated
      on 512 Fashion-MNIST training images normalized as the model's card says
  peer_optimize.py freeze MODEL SHAPE ITERATIONS THREADS
      torch.jit.optimize_for_inference(torch.jit.freeze(MODEL))
  peer_optimize.py plain MODEL SHAPE ITERATIONS THREADS
      MODEL as it is
SHAPE is the input's sizes separated by commas, batch first. THREADS sets LibTorch's intra-op threads.
"""
import json
import sys
import time
import warnings

import torch

warnings.filterwarnings("ignore")
mode, path, shape, iterations, threads = sys.argv[1:6]
shape = [int(s) for s in shape.split(",")]
iterations, threads = int(iterations), int(threads)
torch.set_num_threads(threads)
model = torch.jit.load(path).eval()
if mode == "quantize":
    from torch.ao.quantization import per_channel_dynamic_qconfig, quantize_dynamic_jit
    torch.backends.quantized.engine = sys.argv[6]
    model = quantize_dynamic_jit(model, {"": per_channel_dynamic_qconfig})
elif mode == "static":
    import gzip
    import numpy as np
    from torch.ao.quantization import get_default_qconfig, quantize_jit
    torch.backends.quantized.engine = sys.argv[6]
    extra = {"card.json": ""}
    torch.jit.load(path, _extra_files=extra)
    pre = json.loads(extra["card.json"])["preprocessing"]
    with gzip.open(sys.argv[7] + "/train-images-idx3-ubyte.gz") as f:
        raw = f.read()[16:16 + 512 * 784]
    images = torch.tensor(np.frombuffer(raw, np.uint8).reshape(512, 1, 28, 28), dtype=torch.float)
    images = (images * pre["scale"] - pre["mean"][0]) / pre["std"][0]

    def calibrate(m, data):
        with torch.no_grad():
            for i in range(0, len(data), 64):
                m(data[i:i + 64])

    model = quantize_jit(model, {"": get_default_qconfig(sys.argv[6])}, calibrate, [images])
elif mode == "freeze":
    model = torch.jit.optimize_for_inference(torch.jit.freeze(model))
x = torch.randn(*shape)
with torch.no_grad():
    for _ in range(5):
        model(x)
    times = []
    for _ in range(iterations):
        start = time.perf_counter()
        model(x)
        times.append((time.perf_counter() - start) * 1000.0)
times.sort()
print(json.dumps({"mode": mode, "threads": threads, "p50_ms": times[len(times) // 2]}))
