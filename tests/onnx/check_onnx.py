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
    return float(np.abs(a - b).max() / max(np.abs(b).max(), 1e-12))


def setUpModule():
    torch.manual_seed(0)
    # Models the workbench builds, from its own `maas new`.
    for arch, shape, extra in (("mlp", "4", ["--set", "hidden=16,8"]), ("cnn", "1,28,28", [])):
        made = maas("new", "--arch", arch, "--classes", "3", "--input-shape", shape, "-o",
                    os.path.join(WORK, f"built_{arch}.pt"), *extra)
        if made.returncode != 0:
            raise RuntimeError(made.stderr)
    # A classic model the fixtures do not have, scripted with random weights.
    torch.jit.script(torchvision.models.squeezenet1_1().eval()).save(os.path.join(WORK, "squeezenet.pt"))


def tearDownModule():
    shutil.rmtree(WORK, ignore_errors=True)


class Export(unittest.TestCase):
    MODELS = {  # path, one sample's shape
        "mlp": (os.path.join(FIXTURES or "", "mlp.pt"), None),
        "cnn": (os.path.join(FIXTURES or "", "cnn.pt"), None),
        "lenet_traced": (os.path.join(FIXTURES or "", "lenet_traced.pt"), None),
        "resnet18": (os.path.join(FIXTURES or "", "resnet18.pt"), (3, 224, 224)),
        "mobilenet_v2": (os.path.join(FIXTURES or "", "mobilenet_v2.pt"), (3, 224, 224)),
        "squeezenet": (os.path.join(WORK, "squeezenet.pt"), (3, 224, 224)),
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
            return np.concatenate([x] * batch) if x.shape[0] == 1 else x
        generator = np.random.default_rng(7)
        return generator.standard_normal((batch, *shape)).astype(np.float32)

    def test_every_model_matches_libtorch_in_onnxruntime(self):
        for name, (path, _) in self.MODELS.items():
            with self.subTest(model=name):
                target, report = self.export(name)
                self.assertGreaterEqual(report["opset"], 13)
                self.assertEqual(report["input_shape"][0], -1)  # the batch stays open
                x = self.sample(name)
                expected = torch.jit.load(path).eval()(torch.from_numpy(x)).detach().numpy()
                (got,), _ = run_in_onnxruntime(target, x)
                self.assertLess(difference(got, expected), TOLERANCE, name)
                # Another batch size through the same file: the batch axis is really dynamic.
                (single,), _ = run_in_onnxruntime(target, x[:1])
                self.assertLess(difference(single, expected[:1]), TOLERANCE, name)

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
        with open(target, "rb") as f:
            raw = f.read()
        self.assertIn(b"layer1.0.conv1.weight", raw)
        self.assertNotIn(b"BatchNormalization", raw)
        self.assertIn(b"maas.card", raw)
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
    unittest.main(argv=[sys.argv[0], "-v"])
