#!/usr/bin/env python3
"""Reads an au_prep output folder the way a user's Python code would (h5py, no project code)
and checks it against its manifest.json: checksums, schema, frame bookkeeping, label counts.
With --learnable, also fits a linear classifier per AU on the train shards and checks that it
beats a constant predictor on the validation shards (the synthetic data must be learnable)."""
import argparse
import json
import os
import sys

import crc32c
import h5py
import numpy as np

AUS = ["AU1", "AU2", "AU4", "AU6", "AU7", "AU10", "AU12", "AU15", "AU23", "AU24", "AU25", "AU26"]


def crc32c_of(path):
    crc = 0
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            crc = crc32c.crc32c(block, crc)
    return f"{crc:08x}"


def check_folder(out):
    manifest = json.load(open(os.path.join(out, "manifest.json")))
    assert manifest["schema_version"] == 1
    assert manifest["au_names"] == AUS
    counts = {}
    seen_videos = set()
    for shard in manifest["shards"]:
        path = os.path.join(out, shard["file"])
        assert crc32c_of(path) == shard["crc32c"], f"{path}: checksum differs from the manifest"
        with h5py.File(path, "r") as f:
            assert f.attrs["complete"] == 1 and f.attrs["schema_version"] == 1
            assert f.attrs["split"] == shard["split"]
            n = f["images"].shape[0]
            assert n == shard["frames"], path
            assert f["images"].dtype == np.uint8 and f["images"].shape[1:] == (112, 112, 3)
            assert f["labels"].dtype == np.int8 and f["labels"].shape == (n, 12)
            labels = f["labels"][:]
            assert set(np.unique(labels)).issubset({-1, 0, 1})
            if shard["split"] == "test":
                assert (labels == -1).all(), "test shards carry no labels"
            names = [v.decode() for v in f["videos"][:]]
            assert names == shard["videos"]
            first, rows = f["video_first_row"][:], f["video_num_rows"][:]
            frames_of = f["video_num_frames"][:]
            video, frame = f["video"][:], f["frame"][:]
            missing_v = f["missing_video"][:]
            assert first[0] == 0 and (first[1:] == first[:-1] + rows[:-1]).all() and rows.sum() == n
            for i, name in enumerate(names):
                sl = slice(first[i], first[i] + rows[i])
                assert (video[sl] == i).all()
                fr = frame[sl]
                assert (np.diff(fr) > 0).all() and (fr >= 1).all() and (fr <= frames_of[i]).all()
                info = manifest["videos"][name]
                assert info["images"] == rows[i] and info["frames"] == frames_of[i]
                # every frame is either stored or listed as missing/unreadable, exactly once
                n_missing = int((missing_v == i).sum())
                assert rows[i] + n_missing == frames_of[i], name
                assert n_missing == len(info["missing"]) + len(info["unreadable"])
                seen_videos.add(name)
            image = f["images"][n // 2]
            assert image.std() > 5, "images should not be blank"
            c = counts.setdefault(shard["split"], np.zeros((3, 12), dtype=np.int64))
            c[0] += (labels == 1).sum(0)
            c[1] += (labels == 0).sum(0)
            c[2] += (labels == -1).sum(0)
    assert seen_videos == set(manifest["videos"]), "manifest videos and shard videos differ"
    for split, c in counts.items():
        if split == "test":
            continue
        for a, au in enumerate(AUS):
            m = manifest["label_counts"][split][au]
            assert (m["positive"], m["negative"], m["unknown"]) == tuple(c[:, a]), (split, au)
    print(f"{out}: {len(manifest['shards'])} shards, {len(seen_videos)} videos match the manifest")
    return manifest


def load_split(out, manifest, split, size):
    xs, ys = [], []
    for shard in manifest["shards"]:
        if shard["split"] != split:
            continue
        with h5py.File(os.path.join(out, shard["file"]), "r") as f:
            images = f["images"][:].astype(np.float32).mean(axis=3)  # grey
            n = images.shape[0]
            step = 112 // size
            small = images.reshape(n, size, step, size, step).mean(axis=(2, 4)).reshape(n, -1) / 255.0
            # Subtract each video's mean face: what is left is expression, not identity.
            video = f["video"][:]
            for v in np.unique(video):
                small[video == v] -= small[video == v].mean(axis=0)
            xs.append(small)
            ys.append(f["labels"][:])
    return np.concatenate(xs), np.concatenate(ys)


def f1(pred, truth):
    tp = int(((pred == 1) & (truth == 1)).sum())
    fp = int(((pred == 1) & (truth == 0)).sum())
    fn = int(((pred == 0) & (truth == 1)).sum())
    return 0.0 if 2 * tp + fp + fn == 0 else 2 * tp / (2 * tp + fp + fn)


def check_learnable(out, manifest, margin):
    x, y = load_split(out, manifest, "train", 28)
    xv, yv = load_split(out, manifest, "validation", 28)
    mean, std = x.mean(0), x.std(0) + 1e-3
    x, xv = (x - mean) / std, (xv - mean) / std
    model_f1, const_f1 = [], []
    for a, au in enumerate(AUS):
        keep, keep_v = y[:, a] >= 0, yv[:, a] >= 0
        xa, ya = x[keep], y[keep, a].astype(np.float32)
        truth = yv[keep_v, a]
        if ya.sum() == 0 or truth.sum() == 0:
            continue
        # class-balanced logistic regression by gradient descent
        w, b = np.zeros(xa.shape[1], np.float32), 0.0
        pos = ya.mean()
        sw = np.where(ya == 1, 0.5 / pos, 0.5 / (1 - pos)).astype(np.float32)
        for _ in range(300):
            p = 1 / (1 + np.exp(-np.clip(xa @ w + b, -30, 30)))
            g = sw * (p - ya) / len(ya)
            w -= 0.5 * (xa.T @ g + 1e-3 * w)
            b -= 0.5 * g.sum()
        pred = ((xv[keep_v] @ w + b) > 0).astype(np.int8)
        model_f1.append(f1(pred, truth))
        const_f1.append(f1(np.ones_like(truth), truth))
        print(f"{au:5s} linear F1 {model_f1[-1]:.3f}  constant-1 F1 {const_f1[-1]:.3f}")
    m, c = float(np.mean(model_f1)), float(np.mean(const_f1))
    print(f"mean F1: linear {m:.3f}, constant {c:.3f} over {len(model_f1)} AUs")
    assert m > c + margin, f"linear model {m:.3f} does not beat the constant predictor {c:.3f} by {margin}"


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", help="au_prep output folder (with manifest.json)")
    parser.add_argument("--learnable", action="store_true")
    parser.add_argument("--margin", type=float, default=0.2)
    args = parser.parse_args()
    manifest = check_folder(args.out)
    if args.learnable:
        check_learnable(args.out, manifest, args.margin)
    return 0


if __name__ == "__main__":
    sys.exit(main())
