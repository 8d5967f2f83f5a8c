"""Compares two safetensors weight files (au_train's final.safetensors).

usage: compare_weights.py A B --identical        every tensor bit for bit equal
       compare_weights.py A B --close RTOL       max |a-b| <= RTOL * max |a| per tensor
       compare_weights.py A B --different        some tensor differs (training moved the weights)
"""
import sys

import numpy as np
from safetensors.numpy import load_file


def main():
    a, b, mode = load_file(sys.argv[1]), load_file(sys.argv[2]), sys.argv[3]
    if sorted(a) != sorted(b):
        print("FAIL: different tensor names")
        return 1
    worst, worst_name, identical = 0.0, "", True
    for name in sorted(a):
        x, y = a[name].astype(np.float64), b[name].astype(np.float64)
        if x.shape != y.shape:
            print(f"FAIL: {name} shapes {x.shape} vs {y.shape}")
            return 1
        identical &= a[name].tobytes() == b[name].tobytes()
        scale = max(np.abs(x).max(), 1e-12) if x.size else 1.0
        rel = np.abs(x - y).max() / scale if x.size else 0.0
        if rel > worst:
            worst, worst_name = rel, name
    print(f"{len(a)} tensors; identical: {identical}; worst relative difference {worst:.3g} ({worst_name})")
    if mode == "--identical":
        return 0 if identical else 1
    if mode == "--different":
        return 0 if not identical and worst > 1e-6 else 1
    return 0 if worst <= float(sys.argv[4]) else 1


if __name__ == "__main__":
    sys.exit(main())
