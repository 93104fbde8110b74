#!/usr/bin/env python3
"""`maas export --onnx` checked by numbers: every exported model runs in a real ONNX Runtime (onnxruntime-node
from the npm registry, CPU) and its outputs must match the TorchScript model's (run by PyTorch, which is
LibTorch underneath) within 1e-4 of the largest output; the same torchvision models exported by
torch.onnx.export must give the same outputs in ONNX Runtime too. Then the refusals: an operator the
exporter does not know, a text input, an opset too old, an output path that is a folder.

usage: check_onnx.py MAAS FIXTURES_DIR ONNXRUNTIME_DIR
"""
import json
import math
import os
import re
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


class Recurrent(torch.nn.Module):
    """An imported recurrent model as people write it: nn.LSTM over [batch, steps, features], two layers."""

    def __init__(self):
        super().__init__()
        self.lstm = torch.nn.LSTM(6, 8, num_layers=2, batch_first=True)
        self.head = torch.nn.Linear(8, 3)

    def forward(self, x):
        out, _ = self.lstm(x)
        return self.head(out[:, -1])


class RecurrentTimeFirst(torch.nn.Module):
    """nn.GRU as PyTorch defaults it: time first ([steps, batch, features]), here both ways."""

    def __init__(self):
        super().__init__()
        self.gru = torch.nn.GRU(6, 8, bidirectional=True)
        self.head = torch.nn.Linear(16, 3)

    def forward(self, x):
        out, _ = self.gru(x)
        return self.head(out[-1])


class CumulativeProduct(torch.nn.Module):
    def forward(self, x):
        return torch.cumprod(x, 1)


class Unknown(torch.nn.Module):
    """An operator this exporter has no form for (cumprod), inside a named module."""

    def __init__(self):
        super().__init__()
        self.inner = CumulativeProduct()

    def forward(self, x):
        return self.inner(x) + 1


class SelfAttention(torch.nn.Module):
    """Attention as people write it: sizes read from x.shape as it runs, q, k and v chunked from one
    projection, heads split by reshape and transpose, scores scaled by math.sqrt of a size, a layer norm."""

    def __init__(self, dim=16, heads=4):
        super().__init__()
        self.qkv = torch.nn.Linear(dim, 3 * dim)
        self.out = torch.nn.Linear(dim, dim)
        self.norm = torch.nn.LayerNorm(dim)
        self.heads = heads

    def forward(self, x):
        b, t, d = x.shape
        q, k, v = self.qkv(x).chunk(3, dim=-1)
        q = q.reshape(b, t, self.heads, d // self.heads).transpose(1, 2)
        k = k.reshape(b, t, self.heads, d // self.heads).transpose(1, 2)
        v = v.reshape(b, t, self.heads, d // self.heads).transpose(1, 2)
        scores = torch.softmax(q @ k.transpose(-2, -1) / math.sqrt(d // self.heads), dim=-1)
        y = (scores @ v).transpose(1, 2).reshape(b, t, d)
        return self.norm(x + self.out(y)).mean(dim=1)


class IdArithmetic(torch.nn.Module):
    """Whole-number arithmetic on token ids as PyTorch rounds it (floor division and remainders of negative
    numbers), ids mixed with fractions, and an id-dependent mask."""

    def __init__(self):
        super().__init__()
        self.embedding = torch.nn.Embedding(50, 8)

    def forward(self, ids):
        shifted = (ids - 25) // 4 + (-ids + 49) % 7 + torch.div(ids - 30, 7, rounding_mode="trunc")
        positions = torch.arange(ids.size(1)) * 0.1
        kept = ids.masked_fill(ids > 40, 1.7).clamp(max=45)
        return self.embedding(kept).mean(dim=1) + shifted.float().mean(dim=1, keepdim=True) + positions.sum()


class MaskedAttention(torch.nn.Module):
    """nn.MultiheadAttention with a key padding mask computed from the input (a boolean mask PyTorch turns
    into -inf and 0 as it runs)."""

    def __init__(self):
        super().__init__()
        self.attention = torch.nn.MultiheadAttention(16, 4, batch_first=True)

    def forward(self, x):
        return self.attention(x, x, x, key_padding_mask=x[:, :, 0] > 1.0, need_weights=False)[0]


class GradBranch(torch.nn.Module):
    """The model's own code asking about autograd: served without it, so the export must follow that branch."""

    def forward(self, x):
        if torch.is_grad_enabled():
            return x * 2
        return x


def tokenize(texts, vocabulary):
    """Token ids and offsets from the vocabulary file's rules alone, as a user of the ONNX model would: the
    UTF-8 bytes, ASCII letters lowercased, split at runs of split_bytes, punctuation stripped; a word that is
    not UTF-8 is looked up by its bytes in hexadecimal."""
    split = re.compile(b"[" + b"".join(re.escape(bytes([b])) for b in vocabulary["split_bytes"]) + b"]+")
    strip = vocabulary["strip"].encode()
    ids, offsets = [], []
    for text in texts:
        offsets.append(len(ids))
        lowered = bytes(b + 32 if 65 <= b <= 90 else b for b in text.encode())
        words = [w.strip(strip) for w in split.split(lowered)]
        words = [w for w in words if w]
        if vocabulary["word_pairs"]:
            words += [a + b" " + b for a, b in zip(words, words[1:])]
        for w in words:
            try:
                ids.append(vocabulary["vocabulary"].get(w.decode(), vocabulary["unknown_id"]))
            except UnicodeDecodeError:
                ids.append(vocabulary["vocabulary_hex"].get(w.hex(), vocabulary["unknown_id"]))
        if len(ids) == offsets[-1]:
            ids.append(vocabulary["unknown_id"])
    return np.array(ids, dtype=np.int64), np.array(offsets, dtype=np.int64)


class Aliased(torch.nn.Module):
    """x changed in place and read again through another name: ONNX cannot say it, so it is refused."""

    def forward(self, x):
        skip = x
        x += torch.relu(x)
        return x + skip


def setUpModule():
    torch.manual_seed(0)
    # Models the workbench builds, from its own `maas new`.
    for name, arch, shape, extra in (
            ("mlp", "mlp", "4", ["--set", "hidden=16,8"]), ("cnn", "cnn", "1,28,28", []),
            ("lstm", "rnn", "7,5", ["--set", "hidden=12"]),
            ("gru2", "rnn", "6,4", ["--set", "cell=gru", "--set", "layers=2", "--set", "bidirectional=true",
                                    "--set", "hidden=10"]),
            ("lstm_image", "rnn", "1,8,8", ["--set", "layers=2", "--set", "hidden=9", "--set", "bidirectional=true"])):
        made = maas("new", "--arch", arch, "--classes", "3", "--input-shape", shape, "-o",
                    os.path.join(WORK, f"built_{name}.pt"), *extra)
        if made.returncode != 0:
            raise RuntimeError(made.stderr)
    # A text model trained by the workbench, so its vocabulary is filled, and an int8 copy of the MLP.
    with open(os.path.join(WORK, "reviews.csv"), "w", encoding="utf-8") as f:
        f.write("text,label\n")
        for i in range(24):
            f.write(f"\"great, lovely film {i}!\",positive\n" if i % 2 else f"dull (boring) plot {i},negative\n")
        # Words beyond ASCII, some of which TorchScript's str.split() cuts inside a character ("é", U+3000).
        f.write("Ärger mit ÄPFELN 😀 dull,negative\n素晴らしい\u3000映画 great,positive\ncafé déjà great,positive\n")
    for command in (("train", "--arch", "text", "--data", os.path.join(WORK, "reviews.csv"), "--epochs", "2",
                     "-o", os.path.join(WORK, "built_text.pt")),
                    ("new", "--arch", "text", "--set", "encoder=lstm", "--set", "hidden=12", "--data",
                     os.path.join(WORK, "reviews.csv"), "-o", os.path.join(WORK, "new_text_lstm.pt")),
                    ("train", os.path.join(WORK, "new_text_lstm.pt"), "--data", os.path.join(WORK, "reviews.csv"),
                     "--epochs", "2", "-o", os.path.join(WORK, "built_text_lstm.pt")),
                    ("quantize", os.path.join(FIXTURES, "mlp.pt"), "--dtype", "int8", "-o",
                     os.path.join(WORK, "mlp.int8.pt"))):
        made = maas(*command)
        if made.returncode != 0:
            raise RuntimeError(made.stderr)
    torch.jit.script(Recurrent().eval()).save(os.path.join(WORK, "torch_lstm.pt"))
    torch.jit.script(RecurrentTimeFirst().eval()).save(os.path.join(WORK, "torch_gru.pt"))
    # A classic model the fixtures do not have, scripted with random weights, and the cases above.
    torch.jit.script(torchvision.models.squeezenet1_1().eval()).save(os.path.join(WORK, "squeezenet.pt"))
    torch.jit.script(Tricky().eval()).save(os.path.join(WORK, "tricky.pt"))
    torch.jit.script(Aliased().eval()).save(os.path.join(WORK, "aliased.pt"))
    torch.jit.script(Unknown().eval()).save(os.path.join(WORK, "unknown.pt"))
    torch.jit.script(IdArithmetic().eval()).save(os.path.join(WORK, "ids.pt"))
    made = maas("card", os.path.join(WORK, "ids.pt"), "--set", "inputs.0.shape=-1,-1", "--set",
                "inputs.0.datatype=INT64")
    if made.returncode != 0:
        raise RuntimeError(made.stderr)
    torch.jit.script(GradBranch().eval()).save(os.path.join(WORK, "grad.pt"))
    torch.jit.script(MaskedAttention().eval()).save(os.path.join(WORK, "masked.pt"))
    # nn.TransformerEncoder as PyTorch defaults it: sequence first, dropout 0.1, two layers; and pre-norm GELU.
    for name, layer in (("encoder_default", torch.nn.TransformerEncoderLayer(16, 4, 32)),
                        ("encoder_prenorm", torch.nn.TransformerEncoderLayer(16, 2, 32, activation="gelu",
                                                                              norm_first=True, batch_first=True))):
        torch.jit.script(torch.nn.TransformerEncoder(layer, 2).eval()).save(os.path.join(WORK, name + ".pt"))
    attention = SelfAttention().eval()
    torch.jit.script(attention).save(os.path.join(WORK, "attention.pt"))
    torch.jit.trace(attention, torch.randn(2, 5, 16)).save(os.path.join(WORK, "attention_traced.pt"))


def tearDownModule():
    shutil.rmtree(WORK, ignore_errors=True)


class Export(unittest.TestCase):
    MODELS = {  # path, one sample's shape
        "mlp": (os.path.join(FIXTURES or "", "mlp.pt"), None),
        "cnn": (os.path.join(FIXTURES or "", "cnn.pt"), None),
        "lenet_traced": (os.path.join(FIXTURES or "", "lenet_traced.pt"), None),
        "lstm_traced": (os.path.join(FIXTURES or "", "lstm_traced.pt"), None),  # traced x.size(0) arithmetic
        "resnet18": (os.path.join(FIXTURES or "", "resnet18.pt"), (3, 224, 224)),
        "mobilenet_v2": (os.path.join(FIXTURES or "", "mobilenet_v2.pt"), (3, 224, 224)),
        "squeezenet": (os.path.join(WORK, "squeezenet.pt"), (3, 225, 225)),  # 225: ceil_mode pools round up
        "tricky": (os.path.join(WORK, "tricky.pt"), (3, 15, 15)),
        "built_mlp": (os.path.join(WORK, "built_mlp.pt"), (4,)),
        "built_cnn": (os.path.join(WORK, "built_cnn.pt"), (1, 28, 28)),
        "built_lstm": (os.path.join(WORK, "built_lstm.pt"), (7, 5)),
        "built_gru2": (os.path.join(WORK, "built_gru2.pt"), (6, 4)),
        "built_lstm_image": (os.path.join(WORK, "built_lstm_image.pt"), (1, 8, 8)),
        "torch_lstm": (os.path.join(WORK, "torch_lstm.pt"), (5, 6)),
        "torch_gru": (os.path.join(WORK, "torch_gru.pt"), (5, 6)),
        "attention": (os.path.join(WORK, "attention.pt"), (5, 16)),  # sizes computed as it runs
        "attention_traced": (os.path.join(WORK, "attention_traced.pt"), (5, 16)),
    }

    GIVEN = {"attention", "attention_traced"}  # no card, and a shape the engine cannot guess: given

    def export(self, name, *extra):
        path, shape = self.MODELS[name]
        if name in self.GIVEN:
            extra = ("--input-shape", ",".join(map(str, shape)), *extra)
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
                target, report = self.export(name, "--check")
                self.assertGreaterEqual(report["opset"], 13)
                self.assertEqual(report["input_shape"][0], -1)  # the batch stays open
                x = self.sample(name)
                expected = torch.jit.load(path).eval()(torch.from_numpy(x))
                expected = [e.detach().numpy() for e in (expected if isinstance(expected, tuple) else (expected,))]
                got, _ = run_in_onnxruntime(target, x)
                self.assertEqual(len(got), len(expected), name)
                for a, b in zip(got, expected):
                    self.assertLess(difference(a, b), TOLERANCE, name)
                # Another size of the first axis through the same file: it is really open (the batch, or the
                # steps of a time-first recurrent model).
                single, _ = run_in_onnxruntime(target, x[:1])
                again = torch.jit.load(path).eval()(torch.from_numpy(x[:1]))
                for a, b in zip(single, again if isinstance(again, tuple) else (again,)):
                    self.assertLess(difference(a, b.detach().numpy()), TOLERANCE, name)

    def test_transformer_over_token_ids_keeps_batch_and_sequence_open(self):
        # The scripted nn.TransformerEncoder: its fast-path tests answered for a plain CPU run, its
        # attention's sizes (batch * heads, the sequence) computed from the ids as the model runs.
        model = os.path.join(FIXTURES, "token_transformer.pt")
        target = os.path.join(WORK, "token_transformer.onnx")
        done = maas("export", model, "--onnx", target, "--json")
        self.assertEqual(done.returncode, 0, done.stderr)
        scripted = torch.jit.load(model).eval()
        generator = np.random.default_rng(5)
        for batch, length in ((2, 12), (1, 7), (3, 1)):
            with self.subTest(batch=batch, length=length):
                ids = generator.integers(0, 50, (batch, length)).astype(np.int64)
                got, _ = run_in_onnxruntime(target, ids)
                expected = scripted(torch.from_numpy(ids)).detach().numpy()
                self.assertLess(difference(got[0], expected), TOLERANCE)

    def test_general_transformers_whole_numbers_and_the_served_branch(self):
        # Found by trying: PyTorch's default encoder, whole-number rounding, and autograd asked by the model.
        cases = (("encoder_default", ["--input-shape", "-1,16"], [(5, 2, 16), (7, 3, 16)], np.float32),
                 ("encoder_prenorm", ["--input-shape", "-1,16"], [(2, 5, 16), (3, 9, 16)], np.float32),
                 ("masked", ["--input-shape", "-1,16"], [(2, 5, 16), (3, 9, 16)], np.float32),
                 ("ids", [], [(2, 5), (3, 9)], np.int64),
                 ("grad", ["--input-shape", "4"], [(2, 4)], np.float32))
        generator = np.random.default_rng(11)
        for name, extra, shapes, dtype in cases:
            with self.subTest(model=name):
                model, target = os.path.join(WORK, name + ".pt"), os.path.join(WORK, name + ".onnx")
                done = maas("export", model, "--onnx", target, *extra)
                self.assertEqual(done.returncode, 0, done.stderr)
                scripted = torch.jit.load(model).eval()
                for shape in shapes:
                    x = (generator.integers(0, 50, shape) if dtype == np.int64
                         else generator.standard_normal(shape)).astype(dtype)
                    (got,), _ = run_in_onnxruntime(target, x)
                    with torch.no_grad():  # as the model is served
                        expected = scripted(torch.from_numpy(x)).numpy()
                    self.assertLess(difference(got, expected), TOLERANCE, (name, shape))

    def test_text_model_takes_ids_and_its_vocabulary_file(self):
        # Both text encoders: the bag of embeddings, and the LSTM over texts padded to the longest.
        for name in ("built_text", "built_text_lstm"):
            with self.subTest(model=name):
                model, target = os.path.join(WORK, name + ".pt"), os.path.join(WORK, name + ".onnx")
                done = maas("export", model, "--onnx", target, "--json")
                self.assertEqual(done.returncode, 0, done.stderr)
                report = json.loads(done.stdout)
                self.assertTrue(report["vocabulary"].endswith(name + ".vocab.json"))
                with open(report["vocabulary"]) as f:
                    vocabulary = json.load(f)
                self.assertIn("lovely", vocabulary["vocabulary"])
                texts = ["A great, LOVELY film!", "dull plot", "", "words it never saw (boring)",
                         "Ärger 😀 dull ÄPFELN", "素晴らしい\u3000映画 great", "Café déjà"]
                for batch in (texts, texts[1:2]):
                    ids, offsets = tokenize(batch, vocabulary)
                    (got,), _ = run_in_onnxruntime(target, {"ids": ids, "offsets": offsets})
                    expected = torch.jit.load(model).eval()(batch).detach().numpy()
                    self.assertLess(difference(got, expected), TOLERANCE)

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


class Publish(unittest.TestCase):
    """`maas publish --format onnx` against an endpoint that really runs ONNX: no Triton runs here, so
    triton_standin.js plays one (Triton's HTTP API as publishing uses it) over ONNX Runtime. The publish is
    verified by the endpoint's own answers against LibTorch's."""

    def setUp(self):
        self.repository = tempfile.mkdtemp(prefix="standin-", dir=WORK)
        env = dict(os.environ, NODE_PATH=os.path.join(ORT_DIR, "node_modules"))
        self.server = subprocess.Popen(["node", os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                             "triton_standin.js"), self.repository],
                                       stdout=subprocess.PIPE, text=True, env=env)
        self.port = int(self.server.stdout.readline().split()[1])
        added = maas("endpoint", "add", "standin", f"http://127.0.0.1:{self.port}")
        self.assertEqual(added.returncode, 0, added.stderr)

    def tearDown(self):
        maas("endpoint", "remove", "standin")
        self.server.terminate()
        self.server.wait(timeout=30)

    def publish(self, *extra):
        done = maas("publish", os.path.join(FIXTURES, "cnn.pt"), "--to", "standin", "--format", "onnx", "--name",
                    "digits", "--json", *extra)
        self.assertEqual(done.returncode, 0, done.stderr)
        return json.loads(done.stdout)

    def test_publishes_the_onnx_form_and_verifies_it_where_it_runs(self):
        report = self.publish("--opset", "13")
        self.assertEqual(report["version"], 1)
        self.assertEqual(report["config"]["platform"], "onnxruntime_onnx")
        self.assertTrue(report["verification"]["done"] and report["verification"]["passed"], report)
        self.assertLess(report["verification"]["max_difference"], report["verification"]["tolerance"])
        stored = os.path.join(self.repository, "digits", "1", "model.onnx")
        x = np.load(os.path.join(FIXTURES, "cnn.input.npy")).astype(np.float32)
        (got,), _ = run_in_onnxruntime(stored, x)
        expected = torch.jit.load(os.path.join(FIXTURES, "cnn.pt")).eval()(torch.from_numpy(x)).detach().numpy()
        self.assertLess(difference(got, expected), TOLERANCE)
        # The same file and config again: nothing is sent; a new version when asked for.
        self.assertTrue(self.publish("--opset", "13")["unchanged"])
        self.assertEqual(self.publish("--opset", "13", "--new-version")["version"], 2)
        self.assertTrue(os.path.exists(os.path.join(self.repository, "digits", "2", "model.onnx")))
        self.assertIn("T-shirt", open(os.path.join(self.repository, "digits", "labels.txt")).read())
        # The TorchScript form under the same name would leave versions that cannot roll back: refused.
        switched = maas("publish", os.path.join(FIXTURES, "cnn.pt"), "--to", "standin", "--name", "digits")
        self.assertNotEqual(switched.returncode, 0)
        self.assertIn("another --name", switched.stderr)

    def test_print_config_names_the_onnx_files_tensors(self):
        done = maas("publish", os.path.join(FIXTURES, "cnn.pt"), "--format", "onnx", "--print-config")
        self.assertEqual(done.returncode, 0, done.stderr)
        config = json.loads(done.stdout)
        self.assertEqual(config["platform"], "onnxruntime_onnx")
        self.assertEqual(config["max_batch_size"], 64)

    def test_refusals_say_what_to_do(self):
        text = maas("publish", os.path.join(WORK, "built_text.pt"), "--to", "standin", "--format", "onnx")
        self.assertNotEqual(text.returncode, 0)
        self.assertIn("token ids", text.stderr)
        self.assertEqual(os.listdir(self.repository), [])
        torchscript = maas("publish", os.path.join(FIXTURES, "cnn.pt"), "--to", "standin", "--name", "digits")
        self.assertNotEqual(torchscript.returncode, 0)
        self.assertIn("onnxruntime", torchscript.stderr)  # the endpoint's own sentence, passed on
        config = os.path.join(WORK, "torchscript-config.json")
        with open(config, "w") as f:
            f.write(maas("publish", os.path.join(FIXTURES, "cnn.pt"), "--print-config").stdout)
        mixed = maas("publish", os.path.join(FIXTURES, "cnn.pt"), "--to", "standin", "--format", "onnx", "--config",
                     config)
        self.assertNotEqual(mixed.returncode, 0)
        self.assertIn("--print-config --format onnx", mixed.stderr)
        wrong = maas("publish", os.path.join(FIXTURES, "cnn.pt"), "--opset", "13")
        self.assertEqual(wrong.returncode, 2)
        self.assertIn("--format onnx", wrong.stderr)


class Refusals(unittest.TestCase):
    def refused(self, *args):
        done = maas(*args)
        self.assertNotEqual(done.returncode, 0, done.stdout)
        self.assertEqual(len(done.stderr.strip().splitlines()), 1, done.stderr)  # one sentence
        return done.stderr

    def test_unknown_operator_is_named_with_its_module_and_nothing_is_written(self):
        target = os.path.join(WORK, "unknown.onnx")
        why = self.refused("export", os.path.join(WORK, "unknown.pt"), "--onnx", target, "--input-shape", "4")
        self.assertIn("aten::cumprod", why)
        self.assertIn("module inner", why)
        self.assertFalse(os.path.exists(target))
        self.assertEqual([f for f in os.listdir(WORK) if f.startswith("unknown") and f != "unknown.pt"], [])

    def test_a_tensor_changed_in_place_and_read_again_is_refused(self):
        why = self.refused("export", os.path.join(WORK, "aliased.pt"), "--onnx", os.path.join(WORK, "a.onnx"),
                           "--input-shape", "4")
        self.assertIn("in place", why)

    def test_a_quantized_model_is_refused_with_the_form_to_export_instead(self):
        why = self.refused("export", os.path.join(WORK, "mlp.int8.pt"), "--onnx", os.path.join(WORK, "q.onnx"))
        self.assertIn("int8", why)
        self.assertIn("float model", why)
        self.assertFalse(os.path.exists(os.path.join(WORK, "q.onnx")))

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
