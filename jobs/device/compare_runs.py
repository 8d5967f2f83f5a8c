#!/usr/bin/env python3
"""Compares two au_train runs of the same data and settings that differ in how the step runs
(a CUDA graph vs eager): per epoch, training and validation loss must agree within TOL
(relative); prints both runs' images/s of the last epoch (the first holds warm-up and capture).
Usage: compare_runs.py GRAPH_RUN EAGER_RUN [TOL]"""
import json
import os
import sys


def epochs(run):
    with open(os.path.join(run, "metrics.jsonl")) as f:
        return [json.loads(line) for line in f if line.strip()]


def main():
    graph, eager = epochs(sys.argv[1]), epochs(sys.argv[2])
    tol = float(sys.argv[3]) if len(sys.argv) > 3 else 0.02
    ok = len(graph) == len(eager) > 0
    for g, e in zip(graph, eager):
        for key in ("train_loss", "val_loss"):
            rel = abs(g[key] - e[key]) / max(abs(e[key]), 1e-12)
            ok = ok and rel <= tol
            print(f"epoch {g['epoch']} {key}: graph {g[key]:.5f} eager {e[key]:.5f} (relative difference {rel:.2g})")
    g, e = graph[-1], eager[-1]
    print(f"last epoch images/s: graph {g['images_per_second']:.0f}, eager {e['images_per_second']:.0f}, "
          f"ratio {g['images_per_second'] / max(e['images_per_second'], 1e-9):.2f}")
    print(f"losses {'agree' if ok else 'DISAGREE'} within {tol:g}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
