#!/usr/bin/env python3
"""`maas export --onnx` checked by numbers: every exported model runs in a real ONNX Runtime (onnxruntime-node
from the npm registry, CPU) and its outputs must match the TorchScript model's (run by PyTorch, which is
LibTorch underneath) within 1e-4 of the largest output; the same torchvision models exported by
torch.onnx.export must give the same outputs in ONNX Runtime too. Then the refusals: an operator the
exporter does not know, a text input, an opset too old, an output path that is a folder.

usage: check_onnx.py MAAS FIXTURES_DIR ONNXRUNTIME_DIR
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

import numpy as np
import torch
import torchvision

import ort

MAAS, FIXTURES, ORT_DIR = sys.argv[1:4] if len(sys.argv) >= 4 else (None,) * 3
WORK = tempfile.mkdtemp(prefix="maas-onnx-")
TOLERANCE = 1e-4  # relative to the largest output


def maas(*args):
    env = dict(os.environ, HOME=os.path.join(WORK, "home"), MAAS_LANGUAGE="en")
    return subprocess.run([MAAS, *args], capture_output=True, text=True, timeout=600, env=env)


def run_in_onnxruntime(model, x):
    return ort.run(model, x, ORT_DIR, WORK)


def difference(a, b):
    assert a.shape == b.shape, f"shapes differ: {a.shape} and {b.shape}"
    return float(np.abs(a - b).max() / max(np.abs(b).max(), 1e-12))


class Tricky(torch.nn.Module):
    """What the fixtures do not exercise: batch norms with real statistics (one after a convolution whose
    output is also read elsewhere, so it must not be folded), a residual added in place, average pooling
    with padding and ceil_mode (count_include_pad off), two outputs."""

    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(3, 8, 3, padding=1)
        self.bn = torch.nn.BatchNorm2d(8)
        self.conv2 = torch.nn.Conv2d(8, 8, 3, padding=1, bias=False)
        self.bn2 = torch.nn.BatchNorm2d(8)
        self.pool = torch.nn.AvgPool2d(3, stride=2, padding=1, ceil_mode=True, count_include_pad=False)
        self.fc = torch.nn.Linear(8, 4)
        for bn in (self.bn, self.bn2):
            bn.running_mean.uniform_(-1, 1)
            bn.running_var.uniform_(0.5, 2)
            bn.weight.data.uniform_(0.5, 1.5)
            bn.bias.data.uniform_(-0.5, 0.5)

    def forward(self, x):
        y = self.conv(x)
        z = torch.relu(self.bn(y)) + y  # y is read twice: this batch norm stays
        z = self.bn2(self.conv2(z))  # folded
        z += y
        pooled = torch.flatten(torch.nn.functional.adaptive_avg_pool2d(self.pool(z), 1), 1)
        return self.fc(pooled), pooled


class Aliased(torch.nn.Module):
    """x changed in place and read again through another name: ONNX cannot say it, so it is refused."""

    def forward(self, x):
        skip = x
        x += torch.relu(x)
        return x + skip


def setUpModule():
    torch.manual_seed(0)
    # Models the workbench builds, from its own `maas new`.
    for arch, shape, extra in (("mlp", "4", ["--set", "hidden=16,8"]), ("cnn", "1,28,28", [])):
        made = maas("new", "--arch", arch, "--classes", "3", "--input-shape", shape, "-o",
                    os.path.join(WORK, f"built_{arch}.pt"), *extra)
        if made.returncode != 0:
            raise RuntimeError(made.stderr)
    # A classic model the fixtures do not have, scripted with random weights, and the cases above.
    torch.jit.script(torchvision.models.squeezenet1_1().eval()).save(os.path.join(WORK, "squeezenet.pt"))
    torch.jit.script(Tricky().eval()).save(os.path.join(WORK, "tricky.pt"))
    torch.jit.script(Aliased().eval()).save(os.path.join(WORK, "aliased.pt"))


def tearDownModule():
    shutil.rmtree(WORK, ignore_errors=True)


class Export(unittest.TestCase):
    MODELS = {  # path, one sample's shape
        "mlp": (os.path.join(FIXTURES or "", "mlp.pt"), None),
        "cnn": (os.path.join(FIXTURES or "", "cnn.pt"), None),
        "lenet_traced": (os.path.join(FIXTURES or "", "lenet_traced.pt"), None),
        "resnet18": (os.path.join(FIXTURES or "", "resnet18.pt"), (3, 224, 224)),
        "mobilenet_v2": (os.path.join(FIXTURES or "", "mobilenet_v2.pt"), (3, 224, 224)),
        "squeezenet": (os.path.join(WORK, "squeezenet.pt"), (3, 225, 225)),  # 225: ceil_mode pools round up
        "tricky": (os.path.join(WORK, "tricky.pt"), (3, 15, 15)),
        "built_mlp": (os.path.join(WORK, "built_mlp.pt"), (4,)),
        "built_cnn": (os.path.join(WORK, "built_cnn.pt"), (1, 28, 28)),
    }

    def export(self, name, *extra):
        path, _ = self.MODELS[name]
        target = os.path.join(WORK, name + ".onnx")
        done = maas("export", path, "--onnx", target, "--json", *extra)
        self.assertEqual(done.returncode, 0, done.stderr)
        return target, json.loads(done.stdout)

    def sample(self, name, batch=2):
        path, shape = self.MODELS[name]
        fixture = path.replace(".pt", ".input.npy")
        if shape is None and os.path.exists(fixture):
            x = np.load(fixture).astype(np.float32)
            if x.shape[0] == 1:  # other rows differ, so mixed-up rows show
                x = np.concatenate([x * (1 + 0.5 * i) for i in range(batch)])
            return x
        generator = np.random.default_rng(7)
        return generator.standard_normal((batch, *shape)).astype(np.float32)

    def test_every_model_matches_libtorch_in_onnxruntime(self):
        for name, (path, _) in self.MODELS.items():
            with self.subTest(model=name):
                target, report = self.export(name)
                self.assertGreaterEqual(report["opset"], 13)
                self.assertEqual(report["input_shape"][0], -1)  # the batch stays open
                x = self.sample(name)
                expected = torch.jit.load(path).eval()(torch.from_numpy(x))
                expected = [e.detach().numpy() for e in (expected if isinstance(expected, tuple) else (expected,))]
                got, _ = run_in_onnxruntime(target, x)
                self.assertEqual(len(got), len(expected), name)
                for a, b in zip(got, expected):
                    self.assertLess(difference(a, b), TOLERANCE, name)
                # Another batch size through the same file: the batch axis is really dynamic.
                single, _ = run_in_onnxruntime(target, x[:1])
                for a, b in zip(single, expected):
                    self.assertLess(difference(a, b[:1]), TOLERANCE, name)

    def test_matches_torch_onnx_export(self):
        # torch.onnx.export of the same weights: both files give the same outputs in ONNX Runtime.
        for name in ("resnet18", "mobilenet_v2", "squeezenet"):
            with self.subTest(model=name):
                path, _ = self.MODELS[name]
                ours, _ = self.export(name)
                theirs = os.path.join(WORK, name + ".torch.onnx")
                module = torch.jit.load(path).eval()
                x = self.sample(name, batch=1)
                torch.onnx.export(module, torch.from_numpy(x), theirs, opset_version=17, input_names=["input"],
                                  dynamic_axes={"input": {0: "batch"}})
                (a,), _ = run_in_onnxruntime(ours, x)
                (b,), _ = run_in_onnxruntime(theirs, x)
                self.assertLess(difference(a, b), TOLERANCE, name)

    def test_graph_is_what_a_runtime_wants(self):
        # Batch norms folded into convolutions, dropout gone, initializers named after the parameters,
        # the card in the metadata: read back with the onnx protobuf schema through PyTorch's own copy.
        target, report = self.export("resnet18")
        self.assertEqual(report["folded_batch_norms"], 20)
        # torchvision's count, less the batch norms' 9,600 (folded), plus the 4,800 conv biases folding adds;
        # the running statistics are not written either.
        self.assertEqual(report["parameters"], 11689512 - 9600 + 4800)
        with open(target, "rb") as f:
            raw = f.read()
        self.assertIn(b"layer1.0.conv1.weight", raw)
        self.assertNotIn(b"BatchNormalization", raw)
        self.assertIn(b"maas.card", raw)
        _, report = self.export("tricky")
        self.assertEqual(report["folded_batch_norms"], 1)  # the other one's input is read twice
        target, report = self.export("mobilenet_v2")
        self.assertEqual(report["removed_dropouts"], 1)
        with open(target, "rb") as f:
            self.assertNotIn(b"Dropout", f.read())


class Refusals(unittest.TestCase):
    def refused(self, *args):
        done = maas(*args)
        self.assertNotEqual(done.returncode, 0, done.stdout)
        self.assertEqual(len(done.stderr.strip().splitlines()), 1, done.stderr)  # one sentence
        return done.stderr

    def test_unknown_operator_is_named_with_its_module_and_nothing_is_written(self):
        target = os.path.join(WORK, "transformer.onnx")
        why = self.refused("export", os.path.join(FIXTURES, "token_transformer.pt"), "--onnx", target)
        self.assertIn("aten::embedding", why)
        self.assertIn("module embedding", why)
        self.assertFalse(os.path.exists(target))
        self.assertEqual([f for f in os.listdir(WORK) if "transformer" in f], [])

    def test_a_tensor_changed_in_place_and_read_again_is_refused(self):
        why = self.refused("export", os.path.join(WORK, "aliased.pt"), "--onnx", os.path.join(WORK, "a.onnx"),
                           "--input-shape", "4")
        self.assertIn("in place", why)

    def test_text_input_is_refused(self):
        why = self.refused("export", os.path.join(FIXTURES, "text.pt"), "--onnx", os.path.join(WORK, "t.onnx"))
        self.assertIn("BYTES", why)

    def test_opset_too_old(self):
        why = self.refused("export", os.path.join(FIXTURES, "mlp.pt"), "--onnx", os.path.join(WORK, "o.onnx"),
                           "--opset", "12")
        self.assertIn("13", why)

    def test_output_that_is_a_folder(self):
        folder = os.path.join(WORK, "a-folder.onnx")
        os.makedirs(folder, exist_ok=True)
        self.refused("export", os.path.join(FIXTURES, "mlp.pt"), "--onnx", folder)
        self.assertEqual(os.listdir(folder), [])


if __name__ == "__main__":
    if not os.path.exists(os.path.join(ORT_DIR, "node_modules", "onnxruntime-node", "package.json")):
        print("skipped: onnxruntime-node is not installed (the onnxruntime set-up says why)", file=sys.stderr)
        sys.exit(77)  # CTest's SKIP_RETURN_CODE
    unittest.main(argv=[sys.argv[0], "-v"])
