#!/usr/bin/env python3
"""Compares au_infer outputs of the same checkpoints on other devices or precisions with a
reference run: the share of submission entries (frame x AU, 0/1) that differ, and the largest
probability difference. Fails when an fp32 run differs in more than 0.1% of entries (only
frames whose probability sits at the threshold may flip) or a bf16/fp16 run in more than 2%.
Usage: compare_submissions.py REFERENCE_OUT OTHER_OUT...   (au_infer --infer.out folders,
named ..._<precision>)"""
import csv
import os
import sys


def table(path, keys):
    """{first `keys` columns: the other columns as floats}"""
    with open(path, newline="") as f:
        rows = list(csv.reader(f))[1:]
    return {tuple(r[:keys]): [float(v) for v in r[keys:]] for r in rows}


def main():
    reference, others = sys.argv[1], sys.argv[2:]
    ref_sub = table(os.path.join(reference, "submission.csv"), 1)
    ref_prob = table(os.path.join(reference, "probabilities.csv"), 2)
    ok = True
    for other in others:
        sub = table(os.path.join(other, "submission.csv"), 1)
        prob = table(os.path.join(other, "probabilities.csv"), 2)
        if sub.keys() != ref_sub.keys():
            print(f"{other}: other frames than {reference}")
            ok = False
            continue
        entries = sum(len(v) for v in ref_sub.values())
        differ = sum(a != b for k in ref_sub for a, b in zip(ref_sub[k], sub[k]))
        worst = max(abs(a - b) for k in ref_prob for a, b in zip(ref_prob[k], prob[k]))
        limit = 0.001 if other.endswith("fp32") else 0.02
        share = differ / max(entries, 1)
        print(f"{os.path.basename(other)}: {differ} of {entries} entries differ ({100 * share:.2f}%, limit "
              f"{100 * limit:g}%), largest probability difference {worst:.2g}")
        ok = ok and share <= limit
    names = ", ".join(os.path.basename(o) for o in others)
    print(f"{names} vs {os.path.basename(reference)}: {'agree' if ok else 'DISAGREE'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
