#!/usr/bin/python3
"""Makes the benchmark's extra model: the 16x1024 -> 4096 -> 4096 -> 1024 MLP the thread policy is tuned on.

Usage: make_bench_models.py OUTDIR   (ResNet-18 comes from tests/fixtures/make_fixtures.py)
"""
import os
import sys

import torch

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
torch.manual_seed(0)
mlp = torch.nn.Sequential(
    torch.nn.Linear(1024, 4096), torch.nn.ReLU(), torch.nn.Linear(4096, 4096), torch.nn.ReLU(), torch.nn.Linear(4096, 1024)
).eval()
torch.jit.save(torch.jit.script(mlp), os.path.join(out, "mlp_4096.pt"))
