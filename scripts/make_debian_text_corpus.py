#!/usr/bin/python3
"""Turns the package list every Debian machine has into a text-classification data set:
each package's one-line Description is the text, its Section the label (the archive area prefix,
such as contrib/ or non-free/, is dropped). Only the ten largest sections are kept.

Usage: make_debian_text_corpus.py OUT.csv [SECTIONS]     (SECTIONS: how many, default 10)
Needs `apt-get update` to have run once (apt-cache dumpavail reads its lists).
"""
import collections
import csv
import subprocess
import sys

out_path = sys.argv[1]
keep = int(sys.argv[2]) if len(sys.argv) > 2 else 10
dump = subprocess.run(["apt-cache", "dumpavail"], check=True, capture_output=True, text=True).stdout
rows = []
for stanza in dump.split("\n\n"):
    fields = {}
    for line in stanza.splitlines():
        key, _, value = line.partition(": ")
        if key in ("Package", "Section", "Description") and key not in fields:
            fields[key] = value.strip()
    if "Section" in fields and fields.get("Description"):
        rows.append((fields["Description"], fields["Section"].split("/")[-1]))
if not rows:
    sys.exit("apt-cache dumpavail listed no packages: run apt-get update once, then try again.")
counts = collections.Counter(label for _, label in rows)
largest = {label for label, _ in counts.most_common(keep)}
with open(out_path, "w", newline="") as f:
    writer = csv.writer(f)
    writer.writerow(["text", "label"])
    for text, label in rows:
        if label in largest:
            writer.writerow([text, label])
print(f"{out_path}: {sum(counts[l] for l in largest)} descriptions in {keep} sections: "
      + ", ".join(f"{l} {counts[l]}" for l in sorted(largest, key=lambda l: -counts[l])))
