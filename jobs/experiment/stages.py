"""What is already done in an experiment's folder, the same for --local and Slurm submission:
  - a training run is done when it has its final weights and its config.ini is what au_train
    would write for the plan's options now (compared without how-it-ran keys such as threads);
    a run that was started with other options is refused, never mixed;
  - another stage is done when its stamp (written by run_stage.sh on success) holds the command
    the plan gives now, is newer than every input, and its outputs exist."""
import configparser
import os
import subprocess

from .experiment_file import ExperimentError

# [train] keys that say how or where a run ran, not what it trains.
RUN_ONLY = {"train.run_dir", "train.resume", "train.device", "train.threads", "train.precision",
            "train.cuda_graph", "train.val_batch", "train.progress_interval_s", "train.verify_shards",
            "mpi.timeout_s"}
RUN_STAGE = "jobs/experiment/run_stage.sh"
# Launchers of the stages that run MPI ranks: locally (jobs/, ranks first) and as Slurm jobs.
LOCAL_LAUNCHERS = {"prep": "jobs/prep.sh", "train": "jobs/train.sh", "infer": "jobs/infer.sh"}
SLURM_SCRIPTS = {"prep": "slurm/prep.slurm", "train": "slurm/train.slurm", "infer": "slurm/infer.slurm"}
REPORT_SCRIPT = "jobs/experiment/report.py"


def launcher_env(bin_dir):
    """The environment the jobs/ launchers and Slurm scripts need: where the programs are."""
    return dict(os.environ, AU_BUILD=os.path.dirname(os.path.abspath(bin_dir)))


def write_atomic(path, text):
    """Writes `path` through a temporary name: a reader never sees half a file."""
    with open(path + ".tmp", "w") as f:
        f.write(text)
    os.replace(path + ".tmp", path)


def stage_command(job, repo, bin_dir, slurm):
    """What a stage runs (from the repository root): under Slurm inside its job, else here."""
    if job.kind in SLURM_SCRIPTS:
        return (["bash", SLURM_SCRIPTS[job.kind]] if slurm else
                ["bash", LOCAL_LAUNCHERS[job.kind], str(job.ranks)]) + job.args
    if job.kind == "report":
        python = os.path.join(repo, ".venv", "bin", "python")
        return [python if os.path.exists(python) else "python3", REPORT_SCRIPT] + job.args
    return [os.path.join(bin_dir, f"au_{job.kind}")] + job.args


class StageFailed(Exception):
    """A stage could not run or failed; the message says where to look."""


def run_settings(ini_text):
    """A config.ini as dotted keys, without the how-it-ran keys."""
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str
    parser.read_string(ini_text)
    return {f"{s}.{k}": v for s in parser.sections() for k, v in parser[s].items()
            if f"{s}.{k}" not in RUN_ONLY}


def run_state(task, repo, bin_dir):
    """'done', 'started' (resumable: same options, no final weights) or 'new'. Raises
    ExperimentError when the run was started with other options than the plan gives now."""
    config_ini = os.path.join(task.run_dir, "config.ini")
    if not os.path.exists(config_ini):
        return "new"
    with open(config_ini) as f:
        before = run_settings(f.read())
    config, run_dir, options = task.args[0], task.args[1], task.args[2:]
    done = subprocess.run([os.path.join(bin_dir, "au_train"), "--config", config, "--train.run_dir", run_dir,
                           *options, "--dump-config"], cwd=repo, capture_output=True, text=True)
    if done.returncode != 0:
        raise ExperimentError(f"au_train refuses the options of {run_dir}: {done.stderr.strip()}")
    now = run_settings(done.stdout)
    changed = sorted(k for k in before.keys() | now.keys() if before.get(k) != now.get(k))
    if changed:
        detail = ", ".join(f"{k} {before.get(k, '-')} -> {now.get(k, '-')}" for k in changed[:5])
        raise ExperimentError(f"{task.run_dir} was trained with other options than the experiment file now "
                              f"gives ({detail}); remove that folder to train it again, or restore the file")
    return "done" if os.path.exists(os.path.join(task.run_dir, "final.safetensors")) else "started"


def inputs_and_outputs(experiment, jobs, job):
    """The files a stage reads (whose change makes it run again) and the files it writes."""
    s, out = experiment.settings, experiment.settings["out"]
    submission = os.path.join(out, "submission", "submission.csv")
    if job.kind == "select":
        runs = [t.run_dir for j in jobs for t in j.tasks]
        return [os.path.join(r, "final.safetensors") for r in runs], [os.path.join(out, "ensemble.json")]
    if job.kind == "infer":
        return [os.path.join(out, "ensemble.json"), os.path.join(s["shards"], "manifest.json")], [submission]
    if job.kind == "check":
        return [submission], []
    if job.kind == "report":
        scores = os.path.join(out, "test_scores.json")
        return [submission] + ([scores] if os.path.exists(scores) else []), [os.path.join(out, "report", "index.html")]
    return [submission], [os.path.join(out, "test_scores.json")]


def stamp_path(experiment, job):
    return os.path.join(experiment.settings["out"], "stamps", f"{job.name}.done")


def stage_done(experiment, jobs, job, command):
    """True when the stage's stamp holds `command`, is newer than its inputs, and its outputs exist."""
    stamp = stamp_path(experiment, job)
    if not os.path.exists(stamp):
        return False
    with open(stamp) as f:
        if f.read().splitlines() != [str(x) for x in command]:
            return False
    inputs, outputs = inputs_and_outputs(experiment, jobs, job)
    if not all(os.path.exists(p) for p in inputs + outputs):
        return False
    return all(os.path.getmtime(p) <= os.path.getmtime(stamp) for p in inputs)
