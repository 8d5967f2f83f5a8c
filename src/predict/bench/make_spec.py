#!/usr/bin/env python3
"""Writes an ensemble spec for benchmarks: the first K epoch checkpoints of one au_train run, AU a
taking checkpoint a mod K, threshold 0.5, smoothing window 15 (so that smoothing costs something).
Usage: make_spec.py RUN_DIR K OUT.json"""
import json
import sys

run, k, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
aus = ["AU1", "AU2", "AU4", "AU6", "AU7", "AU10", "AU12", "AU15", "AU23", "AU24", "AU25", "AU26"]
checkpoints = [{"name": f"epoch_{e:03d}", "checkpoint": f"{run}/checkpoints/epoch_{e:03d}.pt",
                "config": f"{run}/config.ini"} for e in range(1, k + 1)]
spec = {"format": "au-ensemble ensemble spec", "version": 1, "fill": "linear",
        "validation": {"mean_f1": 0, "mean_f1_our": 0}, "checkpoints": checkpoints,
        "aus": [{"au": au, "checkpoint": checkpoints[a % k]["name"], "threshold": 0.5, "window": 15}
                for a, au in enumerate(aus)]}
with open(out, "w") as f:
    json.dump(spec, f, indent=1)
