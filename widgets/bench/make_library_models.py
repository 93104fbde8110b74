#!/usr/bin/python3
"""Makes the workbench benchmark's models: COUNT small distinct TorchScript models (the library of
1,000 models) and one 50 MB model (the import target).

Usage: make_library_models.py OUTDIR [COUNT]
"""
import json
import os
import sys

import torch

out = sys.argv[1]
count = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
os.makedirs(os.path.join(out, "library"), exist_ok=True)
torch.manual_seed(0)
small = torch.jit.script(torch.nn.Sequential(torch.nn.Linear(16, 32), torch.nn.ReLU(), torch.nn.Linear(32, 4)).eval())
tasks = ["classification", "image-classification", "text-classification", "regression"]
for i in range(count):
    # Each file differs in its card (name, task, metrics), so each has its own hash in the library.
    card = {"name": f"model-{i:04d}", "task": tasks[i % len(tasks)],
            "inputs": [{"name": "x", "datatype": "FP32", "shape": [-1, 16]}],
            "outputs": [{"name": "y", "datatype": "FP32", "shape": [-1, 4]}],
            "metrics": {"accuracy": (i * 7919 % 1000) / 1000.0}}
    torch.jit.save(small, os.path.join(out, "library", f"model-{i:04d}.pt"), _extra_files={"card.json": json.dumps(card)})
# 3072 x 4096 weights and a bias: 12.6 M float32 parameters, about 50 MB on disk.
big = torch.jit.script(torch.nn.Sequential(torch.nn.Linear(3072, 4096), torch.nn.ReLU(), torch.nn.Linear(4096, 10)).eval())
torch.jit.save(big, os.path.join(out, "big_50mb.pt"))
print(f"{count} library models and big_50mb.pt ({os.path.getsize(os.path.join(out, 'big_50mb.pt')) / 1e6:.1f} MB) in {out}")
