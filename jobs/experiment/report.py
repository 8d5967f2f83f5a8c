"""The run report of an experiment (or of single runs): one self-contained HTML page with its
figures inside (PNG, matplotlib) and the same numbers as JSON, written to OUT/report/:
  - the data's label table (positives and negatives per AU and split: the paper's Table 1);
  - per run, training loss and learning rate per step (steps.csv) and validation mean F1 per
    epoch;
  - a heatmap of per-AU validation F1 (threshold 0.5) for every candidate checkpoint, runs x
    epochs, with each AU's chosen checkpoint marked;
  - au_select's table (per AU: checkpoint, threshold, window; the mean F1 after each step, on
    the tuning frames and cross-validated, with its optimism warning);
  - per-AU test F1 when ground truth was scored;
  - the time and throughput of every stage (stamps/*.time.json, written by run_stage.sh) and
    of each run's training.
Usage: python3 jobs/experiment/report.py OUT RUN_DIR... [--shards DIR]"""
import argparse
import base64
import csv
import html
import io
import json
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

AUS = ["AU1", "AU2", "AU4", "AU6", "AU7", "AU10", "AU12", "AU15", "AU23", "AU24", "AU25", "AU26"]


def _read_json(path, default=None):
    if not os.path.exists(path):
        return default
    with open(path) as f:
        return json.load(f)


def _epochs(run_dir):
    path = os.path.join(run_dir, "metrics.jsonl")
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def _steps(run_dir):
    """(step, lr, loss) of every step, or of every epoch for runs older than steps.csv."""
    path = os.path.join(run_dir, "steps.csv")
    if not os.path.exists(path):
        return [(e["step"], e["lr"], e["train_loss"]) for e in _epochs(run_dir)]
    with open(path) as f:
        return [(int(r["step"]), float(r["lr"]), float(r["loss"])) for r in csv.DictReader(f)]


def _submission_rows(out):
    path = os.path.join(out, "submission", "submission.csv")
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return max(sum(1 for _ in f) - 1, 0)


def _stage_times(out, runs, names, manifest, test):
    """[stage, seconds, what it processed per second] for every stage that left its time."""
    per_second = {"prep": ((manifest or {}).get("totals", {}).get("images"), "frames"),
                  "infer": (_submission_rows(out), "frames"),
                  "eval": ((test or {}).get("frames"), "frames")}
    rows = []
    for stage in ("prep", "select", "infer", "check", "eval"):
        timing = _read_json(os.path.join(out, "stamps", f"{stage}.time.json"))
        if timing is None:
            continue
        count, unit = per_second.get(stage, (None, ""))
        rate = f"{count / timing['seconds']:.0f} {unit}/s" if count and timing["seconds"] > 0 else "-"
        rows.append([stage, timing["seconds"], rate])
    for run in runs:
        epochs = _epochs(run)
        seconds = sum(e.get("seconds", 0) for e in epochs)
        best = max([e.get("images_per_second", 0) for e in epochs] or [0])
        rows.append([f"train {names[run]}", seconds, f"{best:.0f} images/s (best epoch)"])
    return rows


def _png(fig):
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=90, bbox_inches="tight")
    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _short(run_dir, runs):
    """A run's name without the folder all runs share."""
    common = os.path.commonpath(runs) if len(runs) > 1 else os.path.dirname(run_dir)
    return os.path.relpath(run_dir, common)


def _chosen_cells(spec, runs):
    """(run, epoch) -> the AUs for which that checkpoint (or the family it is a member of) was chosen."""
    cells = {}
    if not spec:
        return cells
    by_name = {c["name"]: c for c in spec["checkpoints"]}
    for a, choice in enumerate(spec["aus"]):
        entry = by_name[choice["checkpoint"]]  # the spec names each AU's checkpoint
        files = [m["checkpoint"] for m in entry.get("members", [])] or [entry.get("checkpoint", "")]
        for f in files:
            run = os.path.dirname(os.path.dirname(f))
            stem = os.path.splitext(os.path.basename(f))[0]
            if run in runs and stem.startswith("epoch_"):
                cells.setdefault((run, int(stem[len("epoch_"):])), []).append(a)
    return cells


def build(out, runs, shards=None):
    data = {"runs": {}, "steps": {}, "label_counts": None, "selection": None, "test": None}
    manifest = _read_json(os.path.join(shards, "manifest.json")) if shards else None
    if manifest:
        data["label_counts"] = manifest.get("label_counts")
    for run in runs:
        data["runs"][run] = _epochs(run)
        data["steps"][run] = [{"step": x[0], "lr": x[1], "loss": x[2]} for x in _steps(run)]
    spec = _read_json(os.path.join(out, "ensemble.json"))
    data["selection"] = spec
    data["test"] = _read_json(os.path.join(out, "test_scores.json"))
    figures = []

    names = {run: _short(run, runs) for run in runs}
    fig, axes = plt.subplots(1, 3, figsize=(15, 3.6))
    for run, epochs in data["runs"].items():
        steps = data["steps"][run]
        axes[0].plot([x["step"] for x in steps], [x["loss"] for x in steps], linewidth=0.8, label=names[run])
        axes[1].step([x["step"] for x in steps], [x["lr"] for x in steps], where="post", label=names[run])
        axes[2].plot([e["epoch"] for e in epochs], [e["val_mean_f1"] for e in epochs], marker="o",
                     label=names[run])
    for ax, title, unit in zip(axes, ["training loss per step", "learning rate per step",
                                      "validation mean F1 (threshold 0.5)"], ["step", "step", "epoch"]):
        ax.set_title(title)
        ax.set_xlabel(unit)
        ax.grid(alpha=0.3)
    axes[1].set_yscale("log")
    axes[2].legend(fontsize=7)
    figures.append(("Training", _png(fig)))

    rows = [(run, e) for run in runs for e in data["runs"][run]]
    if rows:
        values = [[e.get(f"val_f1_{au}", 0.0) for au in AUS] for _, e in rows]
        fig, ax = plt.subplots(figsize=(10, 0.3 * len(rows) + 1.5))
        image = ax.imshow(values, aspect="auto", cmap="viridis", vmin=0, vmax=1)
        ax.set_xticks(range(len(AUS)), AUS)
        ax.set_yticks(range(len(rows)), [f"{names[r]} epoch {e['epoch']}" for r, e in rows], fontsize=7)
        chosen = _chosen_cells(spec, runs)
        for i, (run, e) in enumerate(rows):
            for a in chosen.get((run, e["epoch"]), []):
                ax.add_patch(plt.Rectangle((a - 0.5, i - 0.5), 1, 1, fill=False, edgecolor="red", linewidth=2))
        fig.colorbar(image, ax=ax, label="validation F1")
        ax.set_title("per-AU validation F1 of every candidate checkpoint (red: chosen for that AU)")
        figures.append(("Candidates", _png(fig)))

    if data["test"]:
        fig, ax = plt.subplots(figsize=(10, 3.2))
        f1 = [data["test"]["aus"][au]["f1"] for au in AUS]
        ax.bar(AUS, f1, color="tab:blue")
        ax.axhline(data["test"]["mean_f1"], color="tab:red", linestyle="--",
                   label=f"mean F1 {data['test']['mean_f1']:.3f}")
        if "all_ones_mean_f1" in data["test"]:
            ax.axhline(data["test"]["all_ones_mean_f1"], color="grey", linestyle=":",
                       label=f"all-ones constant {data['test']['all_ones_mean_f1']:.3f}")
        ax.set_ylim(0, 1)
        ax.set_title("test F1 per AU")
        ax.legend()
        figures.append(("Test", _png(fig)))

    times = _stage_times(out, runs, names, manifest, data["test"])
    data["stages"] = [{"stage": n, "seconds": sec, "throughput": r} for n, sec, r in times]
    if times:
        fig, ax = plt.subplots(figsize=(10, 0.35 * len(times) + 1.2))
        ax.barh([t[0] for t in times][::-1], [t[1] for t in times][::-1], color="tab:green")
        ax.set_xlabel("seconds (training: without validation)")
        ax.set_title("time per stage")
        figures.append(("Time", _png(fig)))
    return data, figures, times


def _table(header, rows):
    head = "".join(f"<th>{html.escape(str(h))}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def write_report(out, runs, shards=None, title="au-ensemble run report"):
    data, figures, times = build(out, runs, shards)
    parts = [f"<h1>{html.escape(title)}</h1>", f"<p>{html.escape(out)}: {len(runs)} run(s)</p>"]
    if data["label_counts"]:
        splits = list(data["label_counts"])
        rows = [[au] + [f"{data['label_counts'][s][au]['positive']}/{data['label_counts'][s][au]['negative']}"
                        for s in splits] for au in AUS]
        parts += ["<h2>Data: positives/negatives per AU</h2>", _table(["AU"] + splits, rows)]
    for name, png in figures:
        parts += [f"<h2>{name}</h2>", f'<img alt="{name}" src="data:image/png;base64,{png}">']
    selection_txt = os.path.join(out, "selection.txt")
    if os.path.exists(selection_txt):
        with open(selection_txt) as f:
            parts += ["<h2>Selection (au_select)</h2>", f"<pre>{html.escape(f.read())}</pre>"]
    if data["test"]:
        t = data["test"]
        ones = f"{t['all_ones_mean_f1']:.4f}" if "all_ones_mean_f1" in t else "-"
        parts += ["<h2>Test scores</h2>",
                  _table(["mean F1", "F1_our", "all-ones constant (mean F1)", "videos", "frames"],
                         [[f"{t['mean_f1']:.4f}", f"{t['mean_f1_our']:.4f}", ones, t["videos"], t["frames"]]])]
    parts += ["<h2>Time and throughput of every stage</h2>",
              _table(["stage", "seconds", "throughput"], [[n, f"{s:.1f}", r] for n, s, r in times])]
    style = ("body{font-family:sans-serif;margin:2em;max-width:1200px}table{border-collapse:collapse}"
             "td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}img{max-width:100%}")
    page = (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
            f"<style>{style}</style></head><body>{''.join(parts)}</body></html>\n")
    folder = os.path.join(out, "report")
    os.makedirs(folder, exist_ok=True)
    for name, text in (("index.html", page), ("report.json", json.dumps(data, indent=1) + "\n")):
        with open(os.path.join(folder, name + ".tmp"), "w") as f:
            f.write(text)
        os.replace(os.path.join(folder, name + ".tmp"), os.path.join(folder, name))
    return os.path.join(folder, "index.html")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("out", help="the experiment's folder (ensemble.json, selection.txt, test_scores.json)")
    p.add_argument("runs", nargs="+", help="au_train run folders")
    p.add_argument("--shards", help="au_prep's folder, for the label table")
    a = p.parse_args()
    print(f"report: {write_report(a.out, a.runs, a.shards)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
