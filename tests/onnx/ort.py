"""ONNX Runtime (onnxruntime-node, CPU) from Python: the tests' and the benchmark's one way to run an ONNX file."""
import json
import os
import subprocess

import numpy as np

RUNNER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "run_onnx.js")


def run(model, x, ort_dir, work, repeats=0):
    """The outputs of an ONNX file for one input array (or a dict of named arrays), and the milliseconds of
    `repeats` timed runs."""
    request, answer = os.path.join(work, "ort-in.json"), os.path.join(work, "ort-out.json")

    def tensor(a):
        kind = "int64" if a.dtype == np.int64 else "float32"
        return {"dims": list(a.shape), "type": kind, "data": a.flatten().tolist()}

    with open(request, "w") as f:
        json.dump({"inputs": {k: tensor(v) for k, v in x.items()}} if isinstance(x, dict) else tensor(x), f)
    env = dict(os.environ, NODE_PATH=os.path.join(ort_dir, "node_modules"))
    done = subprocess.run(["node", RUNNER, model, request, answer, str(repeats)], capture_output=True, text=True,
                          timeout=600, env=env)
    if done.returncode != 0:
        raise AssertionError(f"ONNX Runtime refused {model}: {done.stderr}")
    with open(answer) as f:
        result = json.load(f)
    outputs = [np.array(o["data"], dtype=np.float64).reshape(o["dims"]) for o in result["outputs"].values()]
    return outputs, result["ms"]
