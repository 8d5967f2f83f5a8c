"""Checks that a training run learned: the training loss fell, and on the last epoch's
validation probabilities the model's mean F1 beats the best constant predictor by a margin.
Both sides choose their operating point per AU on the validation frames (the model its
threshold, the constant predictor all-0 or all-1), as au_select would.

usage: check_learning.py RUN_DIR [--margin 0.1]
"""
import argparse
import csv
import glob
import json
import sys


def f1(tp, fp, fn):
    d = 2 * tp + fp + fn
    return 2 * tp / d if d else 0.0


def best_threshold_f1(probs, labels):
    """Highest F1 over every threshold (predict 1 when p >= t), by one sorted sweep."""
    pairs = sorted(zip(probs, labels), reverse=True)
    positives = sum(labels)
    best, tp, fp = f1(0, 0, positives), 0, 0
    for i, (p, y) in enumerate(pairs):
        tp += y
        fp += 1 - y
        if i + 1 == len(pairs) or pairs[i + 1][0] != p:
            best = max(best, f1(tp, fp, positives - tp))
    return best


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("run_dir")
    ap.add_argument("--margin", type=float, default=0.1)
    args = ap.parse_args()
    metrics = [json.loads(l) for l in open(f"{args.run_dir}/metrics.jsonl") if l.strip()]
    first, last = metrics[0]["train_loss"], metrics[-1]["train_loss"]
    print(f"train loss {first:.4f} -> {last:.4f} over {len(metrics)} epochs")
    ok = last < first
    path = sorted(glob.glob(f"{args.run_dir}/validation/epoch_*.csv"))[-1]
    rows = list(csv.DictReader(open(path)))
    aus = [k[len("prob_"):] for k in rows[0] if k.startswith("prob_")]
    model_f1, const_f1 = [], []
    for au in aus:
        labelled = [r for r in rows if r["label_" + au] != "-1"]
        y = [int(r["label_" + au]) for r in labelled]
        p = [float(r["prob_" + au]) for r in labelled]
        model_f1.append(best_threshold_f1(p, y))
        const_f1.append(f1(sum(y), len(y) - sum(y), 0))  # all-1; all-0 scores 0
        print(f"{au:5s} model {model_f1[-1]:.3f}  constant {const_f1[-1]:.3f}")
    m, c = sum(model_f1) / len(aus), sum(const_f1) / len(aus)
    print(f"mean F1 (per-AU threshold on {len(rows)} validation frames of {path}): model {m:.3f}, "
          f"best constant {c:.3f}, margin asked {args.margin}")
    ok = ok and m >= c + args.margin
    print("OK" if ok else "FAIL: did not learn enough")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
