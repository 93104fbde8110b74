#!/usr/bin/python3
"""Training benchmark: Fashion-MNIST accuracy targets, training throughput against Python PyTorch on the
same architecture, data, batch size and threads, memory held while training, and the Debian-package
text-classification target. Run through scripts/bench-train.sh.

Usage: bench_train.py MAAS FASHION_DIR OUT_DIR [--quick]
"""
import json
import os
import resource
import subprocess
import sys
import time

maas, fashion, out = sys.argv[1], sys.argv[2], sys.argv[3]
quick = "--quick" in sys.argv
here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(os.path.dirname(here))
os.makedirs(out, exist_ok=True)


def run(args):
    """Runs a command; returns (stdout, peak RSS in MB of the child)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    result = subprocess.run(args, check=True, capture_output=True, text=True)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return result.stdout, max(peak, before) / 1024.0


def maas_train(name, model_args, train_args, epochs):
    model = os.path.join(out, name + ".pt")
    run([maas, "new", *model_args, "--data", fashion, "-o", model])
    text, rss = run([maas, "train", model, "--data", fashion, "--epochs", str(epochs), "--json",
                     "-o", os.path.join(out, name + ".trained.pt"), *train_args])
    result = json.loads(text)
    evaluation = json.loads(run([maas, "eval", os.path.join(out, name + ".trained.pt"), "--data", fashion, "--json"])[0])
    rates = [e["samples_per_second"] for e in result["history"]]
    return {"test_accuracy": evaluation["accuracy"], "samples_per_second": sorted(rates)[len(rates) // 2],
            "peak_rss_mb": rss, "epochs": epochs}


rows = {}
mlp_epochs, cnn_epochs = (1, 1) if quick else (10, 5)
rows["mlp"] = maas_train("mlp", ["--arch", "mlp", "--set", "hidden=[256,128]", "--set", "dropout=0.2"],
                         ["--schedule", "cosine", "--validation", "0.05"], mlp_epochs)
rows["cnn"] = maas_train("cnn", ["--arch", "cnn"], ["--schedule", "onecycle", "--lr", "0.003", "--validation", "0.05"], cnn_epochs)
# Throughput: the default architectures, one epoch on 12,000 images, maas and Python alternating three
# times (this machine is shared: the median of interleaved runs is what can be compared), with the
# threads the engine picks for each workload (matrix products: 1 OpenMP x N BLAS; convolutions: N x 1).
cores = os.cpu_count() or 1
plain = {}
for arch, intra, blas in (("mlp", 1, cores), ("cnn", cores, 1)):
    model = os.path.join(out, arch + "_plain.pt")
    run([maas, "new", "--arch", arch, "--data", fashion, "-o", model])
    engine_rates, python_rates = [], []
    for _ in range(3):
        history = json.loads(run([maas, "train", model, "--data", fashion, "--limit", "12000", "--epochs", "1", "--json",
                                  "-o", os.path.join(out, arch + "_plain.trained.pt")])[0])["history"]
        engine_rates.append(history[0]["samples_per_second"])
        python_rates.append(json.loads(run(["/usr/bin/python3", os.path.join(here, "peer_train.py"), arch, fashion,
                                            str(intra), str(blas), "12000"])[0])["samples_per_second"])
    e, p = sorted(engine_rates)[1], sorted(python_rates)[1]
    plain[arch] = {"engine": e, "python": p, "ratio": e / p, "engine_runs": engine_rates, "python_runs": python_rates}

corpus = os.path.join(out, "debian.csv")
subprocess.run(["/usr/bin/python3", os.path.join(root, "scripts", "make_debian_text_corpus.py"), corpus], check=True,
               capture_output=True)
text_model = os.path.join(out, "text.trained.pt")
text_result = json.loads(run([maas, "train", "--arch", "text", "--data", corpus, "--validation", "0.2", "--epochs",
                              "2" if quick else "10", "--json", "-o", text_model])[0])

report = {"accuracy": rows, "throughput": plain,
          "text": {"validation_accuracy": text_result["history"][-1]["validation_accuracy"],
                   "samples": text_result["train_samples"] + text_result["validation_samples"]}}
with open(os.path.join(out, "train.json"), "w") as f:
    json.dump(report, f, indent=1)
print(f"{'Fashion-MNIST':14} {'epochs':>6} {'test accuracy':>14} {'samples/s':>10} {'peak RSS':>9}")
for name, r in rows.items():
    print(f"{name:14} {r['epochs']:6} {r['test_accuracy']:14.4f} {r['samples_per_second']:10.0f} {r['peak_rss_mb']:7.0f} MB")
print(f"\n{'throughput':14} {'maas':>10} {'Python':>10} {'maas/Python':>12}   (batch 128, Adam, same threads)")
for name, r in plain.items():
    print(f"{name:14} {r['engine']:10.0f} {r['python']:10.0f} {r['ratio']:12.2f}")
print(f"\nDebian descriptions -> section (10 largest, 80/20): validation accuracy "
      f"{report['text']['validation_accuracy']:.4f} on {report['text']['samples']} texts")
