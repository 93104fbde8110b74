#!/usr/bin/python3
"""The Python PyTorch peer of `maas train`: the same architectures (as the workbench builds them by
default), the same Fashion-MNIST data held as uint8 and normalized per batch, batch 128, Adam, the same
OpenMP and OpenBLAS threads. Prints {"samples_per_second": ...} for one epoch over the training split.

Usage: peer_train.py mlp|cnn FASHION_DIR INTRA_OP BLAS [SAMPLES]
"""
import ctypes
import gzip
import json
import sys
import time

import numpy as np
import torch
from torch import nn

arch, folder, intra, blas = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
limit = int(sys.argv[5]) if len(sys.argv) > 5 else 0
torch.set_num_threads(intra)
ctypes.CDLL("libblas.so.3").openblas_set_num_threads(blas)
torch.manual_seed(42)


def idx(path, offset):
    with gzip.open(path) as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=offset)


images = torch.from_numpy(idx(f"{folder}/train-images-idx3-ubyte.gz", 16).reshape(-1, 1, 28, 28).copy())
labels = torch.from_numpy(idx(f"{folder}/train-labels-idx1-ubyte.gz", 8).astype(np.int64))
if limit:
    images, labels = images[:limit], labels[:limit]
mean, std = 0.2860, 0.3530

if arch == "mlp":
    model = nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))
else:  # maas new --arch cnn: channels [32, 64] with batch norm and 2x2 pooling, dense [128]
    model = nn.Sequential(
        nn.Conv2d(1, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(64 * 7 * 7, 128), nn.ReLU(), nn.Linear(128, 10))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.CrossEntropyLoss()
order = torch.randperm(len(labels))[: int(len(labels) * 0.9)]  # the same 90% a validation split leaves
model.train()
start, seen, correct = time.perf_counter(), 0, 0
for b in range(0, len(order), 128):
    idx_b = order[b : b + 128]
    x = (images.index_select(0, idx_b).float() / 255.0 - mean) / std
    y = labels.index_select(0, idx_b)
    logits = model(x)
    loss = loss_fn(logits, y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    loss.item()
    correct += (logits.argmax(1) == y).sum().item()
    seen += len(idx_b)
elapsed = time.perf_counter() - start
print(json.dumps({"arch": arch, "samples_per_second": seen / elapsed, "seconds": elapsed, "accuracy": correct / seen}))
