#!/usr/bin/python3
"""Optimization benchmark: `maas quantize` and `maas optimize` against Python PyTorch's own tools on the
same models, threads and engine, interleaved run by run (this machine is shared: medians of alternating
runs are what compare), and the Fashion-MNIST accuracy targets. Run through scripts/bench-optimize.sh.

Usage: bench_optimize.py MAAS FASHION_DIR OUT_DIR [ROUNDS]
"""
import json
import os
import statistics
import subprocess
import sys

maas, fashion, out = sys.argv[1], sys.argv[2], sys.argv[3]
rounds = int(sys.argv[4]) if len(sys.argv) > 4 else 3
here = os.path.dirname(os.path.abspath(__file__))
peer = os.path.join(here, "peer_optimize.py")
iterations = "30"


def run(args):
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def maas_ms(model, shape, threads):
    report = json.loads(run([maas, "bench", model, "--input-shape", shape, "--threads", str(threads),
                             "--iterations", iterations, "--json"]))
    return report["p50_ms"]


def python_ms(mode, model, shape, threads, *extra):
    return json.loads(run(["/usr/bin/python3", peer, mode, model, shape, iterations, str(threads), *extra]))["p50_ms"]


def median_of(measure):
    return statistics.median(measure() for _ in range(rounds))


def quantize_linear_heavy():
    model = os.path.join(out, "mlp_4096.pt")
    quantized = os.path.join(out, "mlp_4096.int8.pt")
    result = json.loads(run([maas, "quantize", model, "-o", quantized, "--json"]))
    engine = result["settings"]["engine"]
    shape = "16,1024"
    rows = {}
    for threads in (1, 2):
        samples = {"maas fp32": [], "maas int8": [], "python int8": []}
        for _ in range(rounds):  # interleaved
            samples["maas fp32"].append(maas_ms(model, shape, threads))
            samples["maas int8"].append(maas_ms(quantized, shape, threads))
            samples["python int8"].append(python_ms("quantize", model, shape, threads, engine))
        rows[threads] = {k: statistics.median(v) for k, v in samples.items()}
    fp32_best = min(r["maas fp32"] for r in rows.values())
    int8_best = min(r["maas int8"] for r in rows.values())
    python_best = min(r["python int8"] for r in rows.values())
    print(f"\nDynamic int8, MLP 1024-4096-4096-1024, batch 16, engine {engine} (median ms of {rounds} interleaved runs)")
    print("threads | maas fp32 | maas int8 | Python quantize_dynamic_jit")
    for threads, r in rows.items():
        print(f"{threads} | {r['maas fp32']:.2f} | {r['maas int8']:.2f} | {r['python int8']:.2f}")
    sizes = result["before"]["file_bytes"], result["after"]["file_bytes"]
    print(f"int8 best / Python int8 best: {int8_best / python_best:.2f} (target <= 1.0)")
    print(f"fp32 best / int8 best: {fp32_best / int8_best:.2f}x faster (target >= 1.8)")
    print(f"file: {sizes[1] / sizes[0]:.3f}x of fp32 (target <= 0.3)")


def quantize_fashion_mlp():
    fresh, trained = os.path.join(out, "mlp.pt"), os.path.join(out, "mlp.trained.pt")
    run([maas, "new", "--arch", "mlp", "--data", fashion, "-o", fresh])
    run([maas, "train", fresh, "--data", fashion, "--epochs", "3", "-o", trained])
    result = json.loads(run([maas, "quantize", trained, "--data", fashion, "-o",
                             os.path.join(out, "mlp.int8.pt"), "--json"]))
    before, after = result["before"]["accuracy"], result["after"]["accuracy"]
    print(f"\nFashion-MNIST MLP (3 epochs), test set: fp32 {before * 100:.2f}%, int8 {after * 100:.2f}%, "
          f"drop {(before - after) * 100:.2f} points (target <= 0.5); file {result['after']['file_bytes'] / result['before']['file_bytes']:.3f}x")


def prune_fashion_mlp():
    trained = os.path.join(out, "mlp.trained.pt")
    result = json.loads(run([maas, "prune", trained, "--sparsity", "80%", "--epochs", "1", "--data", fashion,
                             "-o", os.path.join(out, "mlp.sparse.pt"), "--json"]))
    before, after = result["before"]["accuracy"], result["after"]["accuracy"]
    print(f"Fashion-MNIST MLP pruned to 80% with one fine-tuning epoch: {before * 100:.2f}% -> {after * 100:.2f}% "
          f"(target: at most 1 point lost); gzip {result['after']['gzip_bytes'] / result['before']['gzip_bytes']:.2f}x "
          "(target <= 0.35)")


def distill_fashion():
    teacher = os.path.join(out, "cnn.teacher.pt")
    run([maas, "train", "--arch", "cnn", "--data", fashion, "--epochs", "4", "-o", teacher])
    result = json.loads(run([maas, "distill", teacher, "--student", '{"arch": "mlp", "hidden": [32]}', "--data",
                             fashion, "--epochs", "5", "-o", os.path.join(out, "mlp.student.pt"), "--json"]))
    b, a = result["before"], result["after"]
    print(f"\nDistilling the Fashion-MNIST CNN (4 epochs) into an MLP 784-32-10 (5 epochs, T 2, alpha 0.5), test set: "
          f"teacher {b['accuracy'] * 100:.2f}%, student alone {result['baseline_accuracy'] * 100:.2f}%, "
          f"distilled {a['accuracy'] * 100:.2f}%; file {a['file_bytes'] / b['file_bytes']:.3f}x, "
          f"batch 1 {b['latency_batch1_ms'] / a['latency_batch1_ms']:.1f}x faster")


def prune_structured_cnn():
    teacher = os.path.join(out, "cnn.teacher.pt")  # trained by distill_fashion
    narrow = os.path.join(out, "cnn.narrow.pt")
    result = json.loads(run([maas, "prune", teacher, "--structured", "--sparsity", "50%", "--epochs", "1", "--data",
                             fashion, "-o", narrow, "--json"]))
    before, after = result["before"]["accuracy"], result["after"]["accuracy"]
    print(f"\nFashion-MNIST CNN, 50% of channels removed, one fine-tuning epoch: {before * 100:.2f}% -> "
          f"{after * 100:.2f}% (target: at most 2 points lost); weights {result['after']['parameters'] / result['before']['parameters']:.2f}x")
    for batch in (1, 16):
        shape = f"{batch},1,28,28"
        full = median_of(lambda: maas_ms(teacher, shape, 2))
        narrowed = median_of(lambda: maas_ms(narrow, shape, 2))
        print(f"batch {batch}: {full:.3f} -> {narrowed:.3f} ms, {full / narrowed:.2f}x faster (target >= 1.6)")


def quantize_static_cnn():
    teacher = os.path.join(out, "cnn.teacher.pt")  # trained by distill_fashion
    static = os.path.join(out, "cnn.static.pt")
    result = json.loads(run([maas, "quantize", teacher, "--static", "--data", fashion, "-o", static, "--json"]))
    engine = result["settings"]["engine"]
    before, after = result["before"]["accuracy"], result["after"]["accuracy"]
    print(f"\nStatic int8, Fashion-MNIST CNN, engine {engine}: test accuracy {before * 100:.2f}% -> {after * 100:.2f}% "
          "(target: at most 1 point lost); median ms of interleaved runs, 2 threads")
    print("batch | maas fp32 | maas int8 | Python quantize_jit | fp32 / int8 (target >= 1.5) | int8 / Python")
    for batch in (1, 16):
        shape = f"{batch},1,28,28"
        samples = {"fp32": [], "int8": [], "python": []}
        for _ in range(rounds):
            samples["fp32"].append(maas_ms(teacher, shape, 2))
            samples["int8"].append(maas_ms(static, shape, 2))
            samples["python"].append(python_ms("static", teacher, shape, 2, engine, fashion))
        m = {k: statistics.median(v) for k, v in samples.items()}
        print(f"{batch} | {m['fp32']:.3f} | {m['int8']:.3f} | {m['python']:.3f} | {m['fp32'] / m['int8']:.2f}x | "
              f"{m['int8'] / m['python']:.2f}")


def convert_for_cpu(name):
    model = os.path.join(out, name + ".pt")
    converted = os.path.join(out, name + ".cpu.pt")
    run([maas, "optimize", model, "-o", converted])
    shape = "1,3,224,224"
    samples = {"maas plain": [], "maas cpu": [], "python plain": [], "python optimize_for_inference": []}
    for _ in range(rounds):
        samples["maas plain"].append(maas_ms(model, shape, 2))
        samples["maas cpu"].append(maas_ms(converted, shape, 2))
        samples["python plain"].append(python_ms("plain", model, shape, 2))
        samples["python optimize_for_inference"].append(python_ms("freeze", model, shape, 2))
    m = {k: statistics.median(v) for k, v in samples.items()}
    print(f"{name} | {m['maas plain']:.2f} | {m['maas cpu']:.2f} | {m['python plain']:.2f} | "
          f"{m['python optimize_for_inference']:.2f} | {m['maas cpu'] / m['python optimize_for_inference']:.2f} | "
          f"{m['maas plain'] / m['maas cpu']:.2f}x vs {m['python plain'] / m['python optimize_for_inference']:.2f}x")


quantize_linear_heavy()
quantize_fashion_mlp()
prune_fashion_mlp()
distill_fashion()
prune_structured_cnn()
quantize_static_cnn()
print("\nmaas optimize --target cpu, batch 1, 2 threads (median ms)")
print("model | maas plain | maas cpu | Python plain | Python optimize_for_inference | maas cpu / Python | gain maas vs Python")
for name in ("resnet18", "mobilenet_v2"):
    convert_for_cpu(name)
