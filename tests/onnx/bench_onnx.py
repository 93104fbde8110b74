#!/usr/bin/env python3
"""The ONNX export's speed target (issue 16), side by side in one run: torchvision resnet18 and mobilenet_v2
(random weights, seeded) exported by `maas export --onnx` and by torch.onnx.export, both run in ONNX Runtime
(onnxruntime-node, 2 threads, batch 1), with LibTorch's best for the same model (frozen and
optimize_for_inference) beside them. Target: ours at least as fast as torch.onnx.export's (ratio <= 1.0).

usage: bench_onnx.py MAAS ONNXRUNTIME_DIR OUT_DIR [REPEATS]
"""
import os
import statistics
import subprocess
import sys
import time

import numpy as np
import torch
import torchvision

import ort

MAAS, ORT_DIR, OUT = sys.argv[1:4]
REPEATS = int(sys.argv[4]) if len(sys.argv) > 4 else 60
torch.set_num_threads(2)
os.makedirs(OUT, exist_ok=True)


def libtorch_ms(module, x):
    frozen = torch.jit.optimize_for_inference(torch.jit.freeze(module.eval()))
    with torch.no_grad():
        for _ in range(5):
            frozen(x)
        times = []
        for _ in range(REPEATS):
            start = time.perf_counter()
            frozen(x)
            times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times)


print(f"{'model':14} {'maas .onnx':>11} {'torch.onnx':>11} {'ratio':>6} {'LibTorch':>9}   (p50 ms, batch 1, 2 threads, {REPEATS} runs)")
for name in ("resnet18", "mobilenet_v2"):
    torch.manual_seed(0)
    scripted = torch.jit.script(getattr(torchvision.models, name)().eval())
    path = os.path.join(OUT, name + ".pt")
    scripted.save(path)
    x = np.random.default_rng(1).standard_normal((1, 3, 224, 224)).astype(np.float32)
    ours, theirs = os.path.join(OUT, name + ".onnx"), os.path.join(OUT, name + ".torch.onnx")
    done = subprocess.run([MAAS, "export", path, "--onnx", ours, "--input-shape", "3,224,224"], capture_output=True,
                          text=True, env=dict(os.environ, MAAS_LANGUAGE="en"))
    if done.returncode != 0:
        sys.exit(done.stderr)
    torch.onnx.export(torch.jit.load(path).eval(), torch.from_numpy(x), theirs, opset_version=17,
                      input_names=["input"], dynamic_axes={"input": {0: "batch"}})
    medians = []
    for model in (ours, theirs, ours, theirs):  # alternated, so a change in the machine's load hits both
        _, ms = ort.run(model, x, ORT_DIR, OUT, repeats=REPEATS)
        medians.append(statistics.median(ms))
    a, b = min(medians[0], medians[2]), min(medians[1], medians[3])
    print(f"{name:14} {a:11.2f} {b:11.2f} {a / b:6.2f} {libtorch_ms(torch.jit.load(path), torch.from_numpy(x)):9.2f}")
