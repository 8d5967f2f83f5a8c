"""jobs/experiment.sh --status CONFIG: where every run and stage of an experiment stands, from
its folder (and from Slurm's queue for the jobs of its latest submission):
  done       a run with its final weights and the file's options, a stage with a valid stamp
  queued / running   Slurm says so (with a run's epochs, training time, ETA and best F1)
  started    a run with a checkpoint but no final weights, not in Slurm's queue: it resumes
             at the next submission (or it is running under --local)
  failed     its newest log ends in an error (the line is shown)
  waiting    not started"""
import glob
import json
import os
import subprocess

from .experiment_file import ExperimentError
from .stages import run_settings, run_state, stage_command, stage_done, stamp_path


def _slurm_states(out):
    """Slurm job or array task id -> PENDING/RUNNING/..., for this experiment's latest jobs."""
    path = os.path.join(out, "plan", "jobs.json")
    if not os.path.exists(path):
        return {}, {}
    with open(path) as f:
        ids = json.load(f)
    try:
        done = subprocess.run(["squeue", "-h", "-r", "-o", "%i %T", "-j", ",".join(ids.values())],
                              capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return ids, {}
    states = dict(line.split()[:2] for line in done.stdout.splitlines() if len(line.split()) >= 2)
    return ids, states


def _run_settings(task):
    """The run's config.ini as dotted keys ({} before the run starts)."""
    path = os.path.join(task.run_dir, "config.ini")
    if not os.path.exists(path):
        return {}
    with open(path) as f:
        return run_settings(f.read())


def _newest(pattern):
    logs = sorted(glob.glob(pattern), key=os.path.getmtime)
    return logs[-1] if logs else None


def _error_line(log):
    """The log's last line when it says the stage failed, else None."""
    if not log:
        return None
    with open(log, errors="replace") as f:
        lines = [x.strip() for x in f if x.strip()]
    for line in reversed(lines[-5:]):
        if " ERROR " in line or "FAIL" in line or ("exited with" in line and not line.endswith("with 0")):
            return line
    return None


def _progress(run_dir, total_epochs):
    """'2/3 epochs done, 80 s of training, ETA 40 s, best validation mean F1 0.412' from the
    run's metrics.jsonl."""
    path = os.path.join(run_dir, "metrics.jsonl")
    records = []
    if os.path.exists(path):
        with open(path) as f:
            records = [json.loads(x) for x in f if x.strip()]
    if not records:
        return f"epoch 1/{total_epochs}"
    spent = sum(r.get("seconds", 0) for r in records)
    left = max(total_epochs - len(records), 0) * spent / len(records)
    text = f"{len(records)}/{total_epochs} epochs done, {spent:.0f} s of training"
    best = max(r.get("val_mean_f1", 0) for r in records)
    return text + (f", ETA {left:.0f} s" if left > 0 else "") + f", best validation mean F1 {best:.3f}"


def status_lines(experiment, jobs, repo, bin_dir):
    out = experiment.settings["out"]
    ids, queued = _slurm_states(out)
    lines = [f"experiment {experiment.path} -> {out}"]
    for job in jobs:
        if job.kind == "train":
            for i, task in enumerate(job.tasks):
                fold = "as given" if task.fold is None else f"fold {task.fold}"
                name = f"{job.name}[{i}] {fold}"
                try:
                    state = run_state(task, repo, bin_dir)
                except ExperimentError as e:
                    lines.append(f"  {name:<22} changed   {e}")
                    continue
                queue = queued.get(f"{ids.get(job.name)}_{i}")
                log = _newest(os.path.join(out, "logs", f"au_{job.name}-*_{i}.out")) or \
                    _newest(os.path.join(out, "logs", f"{job.name}_{i}.log"))
                epochs = int(_run_settings(task).get("train.epochs", 0))
                error = None if state == "done" or queue else _error_line(log)
                if state == "done":
                    lines.append(f"  {name:<22} done      {_progress(task.run_dir, epochs)}")
                elif queue:
                    lines.append(f"  {name:<22} {queue.lower():<9} {_progress(task.run_dir, epochs)}")
                elif error:
                    lines.append(f"  {name:<22} failed    {error} ({log})")
                elif state == "started":
                    lines.append(f"  {name:<22} started   {_progress(task.run_dir, epochs)}")
                else:
                    lines.append(f"  {name:<22} waiting")
            continue
        if job.kind == "prep":
            manifest = os.path.join(experiment.settings["shards"], "manifest.json")
            lines.append(f"  {'prep':<22} {'done' if os.path.exists(manifest) else 'waiting'}")
            continue
        queue = queued.get(str(ids.get(job.name)))
        log = _newest(os.path.join(out, "logs", f"au_{job.name}-*.out")) or \
            _newest(os.path.join(out, "logs", f"{job.name}.log"))
        done = any(stage_done(experiment, jobs, job, stage_command(job, repo, bin_dir, slurm))
                   for slurm in (True, False))
        error = None if done or queue else _error_line(log)
        if done:
            lines.append(f"  {job.name:<22} done      ({stamp_path(experiment, job)})")
        elif queue:
            lines.append(f"  {job.name:<22} {queue.lower()}")
        elif error:
            lines.append(f"  {job.name:<22} failed    {error} ({log})")
        else:
            lines.append(f"  {job.name:<22} waiting")
    return lines
