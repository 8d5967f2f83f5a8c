#!/usr/bin/env python3
"""Runs one experiment file once per seed, locally, and tables what each seed gave: how much of a
result is the recipe and how much the seed. For seed s, the k-th base model of the file (0-based)
trains with train.seed = s + k (so seed 1 of configs/demo/experiment.ini is the shipped demo);
each seed's experiment goes to OUT/seed<s>/ and shares the file's shards. The table (OUT/seeds.md,
also printed) has per seed: the best single checkpoint's validation mean F1 at threshold 0.5,
au_select's estimate on its tuning frames (optimistic) and cross-validated over videos (honest),
the test mean F1 and the all-ones constant's.

Usage: python3 jobs/experiment/seeds.py CONFIG OUT SEEDS [--threads T]
  e.g. .venv/bin/python jobs/experiment/seeds.py configs/demo/experiment.ini runs/seeds_t1 1..5 --threads 1
Run it from the repository root; a rerun skips what is done, as jobs/experiment.sh --local does."""
import argparse
import configparser
import json
import os
import re
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from experiment.experiment_file import parse_folds  # noqa: E402


def seeded_file(config, out, seed, threads=None):
    """The experiment file for one seed, written to OUT/seed<s>/experiment.ini."""
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str
    parser.read(config)
    folder = os.path.join(out, f"seed{seed}")
    parser["experiment"]["out"] = folder
    models = [s for s in parser.sections() if s.startswith("model ")]
    for k, section in enumerate(models):
        parser[section]["train.seed"] = str(seed + k)
        if threads is not None:
            parser[section]["train.threads"] = str(threads)
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, "experiment.ini")
    with open(path, "w") as f:
        parser.write(f)
    return folder, path


def selection_row(text, prefix):
    """(optimistic, honest) mean F1 of the au_select report's row starting with `prefix`."""
    for line in text.splitlines():
        if line.startswith(prefix):
            numbers = re.findall(r"\d+\.\d{4}", line)
            return float(numbers[-4]), float(numbers[-2])
    return None, None


def summary(folder):
    with open(os.path.join(folder, "selection.txt")) as f:
        text = f.read()
    single, _ = selection_row(text, "best single checkpoint")
    optimistic, honest = selection_row(text, "+ per-AU smoothing windows")
    with open(os.path.join(folder, "test_scores.json")) as f:
        test = json.load(f)
    return {"single": single, "optimistic": optimistic, "honest": honest, "test": test["mean_f1"],
            "all_ones": test["all_ones_mean_f1"]}


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("config")
    p.add_argument("out")
    p.add_argument("seeds", help="e.g. 1..5 or 1,3,7")
    p.add_argument("--threads", type=int, help="au_train's intra-op threads per rank (another reduction order)")
    a = p.parse_args()
    try:
        seeds = parse_folds(a.seeds)  # the same list syntax as the folds
    except ValueError as e:
        p.error(f"seeds: {e}")
    if None in seeds:
        p.error("seeds: give numbers, e.g. 1..5")
    rows = []
    for seed in seeds:
        folder, path = seeded_file(a.config, a.out, seed, a.threads)
        print(f"== seed {seed}: jobs/experiment.sh --local {path}", flush=True)
        with open(os.path.join(folder, "experiment.log"), "w") as log:
            done = subprocess.run(["bash", "jobs/experiment.sh", "--local", path], cwd=REPO, stdout=log,
                                  stderr=subprocess.STDOUT)
        if done.returncode != 0:
            print(f"seed {seed} failed: see {folder}/experiment.log", file=sys.stderr)
            return 1
        rows.append((seed, summary(folder)))
    keys = ["single", "optimistic", "honest", "test", "all_ones"]
    lines = ["| seed | validation, best single checkpoint at 0.5 | au_select on its tuning frames (optimistic) "
             "| au_select cross-validated over videos (honest) | test mean F1 | test, all-ones constant |",
             "| --- | --- | --- | --- | --- | --- |"]
    lines += [f"| {seed} | " + " | ".join(f"{s[k]:.3f}" for k in keys) + " |" for seed, s in rows]
    lines.append("| min / mean / max | " + " | ".join(
        f"{min(s[k] for _, s in rows):.3f} / {sum(s[k] for _, s in rows) / len(rows):.3f} / "
        f"{max(s[k] for _, s in rows):.3f}" for k in keys) + " |")
    table = "\n".join(lines) + "\n"
    with open(os.path.join(a.out, "seeds.md"), "w") as f:
        f.write(table)
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
