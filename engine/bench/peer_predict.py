#!/usr/bin/python3
"""The Python PyTorch peer of maas-bench-predict: the same model, input shape and threads, timed the
same way (median of ITERATIONS forward calls after 3 warm-up calls, under inference mode).

Usage: peer_predict.py MODEL SHAPE ITERATIONS INTRA_OP BLAS   -> prints {"python_ms": ...}
"""
import ctypes
import json
import statistics
import sys
import time

import torch

path, shape, iterations = sys.argv[1], sys.argv[2], int(sys.argv[3])
threads, blas = int(sys.argv[4]), int(sys.argv[5])
torch.set_num_threads(threads)
# The same OpenBLAS the engine uses, through Debian's libblas.so.3 (already loaded by torch).
ctypes.CDLL("libblas.so.3").openblas_set_num_threads(blas)
model = torch.jit.load(path).eval()
torch.manual_seed(0)
x = torch.randn(*[int(d) for d in shape.split(",")])
times = []
with torch.inference_mode():
    for i in range(iterations + 3):
        t0 = time.perf_counter()
        model(x)
        if i >= 3:
            times.append(time.perf_counter() - t0)
print(json.dumps({"python_ms": statistics.median(times) * 1e3, "threads": torch.get_num_threads(), "blas": blas}))
