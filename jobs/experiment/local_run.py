"""Runs a plan on this machine, stage after stage (jobs/experiment.sh --local): the commands the
Slurm jobs run, through the jobs/ launchers (mpirun). What is complete and checked is skipped
and said so; a run started with other options than the file now gives is refused, never mixed:
  - a training run is done when it has its final weights and its config.ini is what au_train
    would write for the plan's options now (compared without how-it-ran keys such as threads);
    a run with the same options but no final weights resumes (--train.resume);
  - au_select, au_infer, au_check and au_eval are skipped when their stamp (command and the
    size and time of their inputs) matches and their outputs exist."""
import configparser
import json
import os
import subprocess
import sys
import time

from .experiment_file import ExperimentError
from .plan import LAUNCHERS

# [train] keys that say how or where a run ran, not what it trains (as au_select's fold
# families see it).
RUN_ONLY = {"train.run_dir", "train.resume", "train.device", "train.threads", "train.precision",
            "train.cuda_graph", "train.val_batch", "train.progress_interval_s"}


class StageFailed(Exception):
    """A stage's command failed; the message ends with its log's last lines."""


def _settings(ini_text):
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str
    parser.read_string(ini_text)
    return {f"{s}.{k}": v for s in parser.sections() for k, v in parser[s].items()
            if f"{s}.{k}" not in RUN_ONLY}


def _fingerprint(paths):
    """Size and modification time of each input: what a stamp compares."""
    out = {}
    for p in paths:
        st = os.stat(p)
        out[p] = [st.st_size, st.st_mtime_ns]
    return out


class LocalRunner:
    def __init__(self, experiment, jobs, repo, bin_dir, out=sys.stdout):
        self.experiment, self.jobs, self.repo, self.bin = experiment, jobs, repo, bin_dir
        self.out = out
        self.dir = experiment.settings["out"]
        self.env = dict(os.environ, AU_BUILD=os.path.dirname(os.path.abspath(bin_dir)))

    def say(self, text):
        print(text, file=self.out, flush=True)

    def run(self):
        os.makedirs(os.path.join(self.dir, "logs"), exist_ok=True)
        start = time.monotonic()
        for job in self.jobs:
            if job.kind == "prep":
                self.prep(job)
            elif job.kind == "train":
                for index, task in enumerate(job.tasks):
                    self.train(job, index, task)
            else:
                self.stage(job)
        self.say(f"experiment done in {time.monotonic() - start:.0f} s: {self.dir}")

    def execute(self, name, command):
        """Runs one command with its output in logs/NAME.log; on failure the log's end is shown."""
        log = os.path.join(self.dir, "logs", f"{name}.log")
        started = time.monotonic()
        with open(log, "w") as f:
            done = subprocess.run(command, cwd=self.repo, env=self.env, stdout=f, stderr=subprocess.STDOUT)
        if done.returncode != 0:
            with open(log) as f:
                tail = f.read().splitlines()[-15:]
            raise StageFailed(f"{name} failed (exit {done.returncode}); the end of {log}:\n  " + "\n  ".join(tail))
        self.say(f"== {name}: done in {time.monotonic() - started:.0f} s (log {log})")

    def ranks(self, job):
        return [str(job.ranks)]

    def prep(self, job):
        shards = self.experiment.settings["shards"]
        if os.path.exists(os.path.join(shards, "manifest.json")):
            self.say(f"== prep: skipped, {shards} has a manifest")
            return
        self.execute("prep", ["bash", LAUNCHERS["prep"], str(job.ranks)] + job.args)

    def intended_settings(self, task):
        """What au_train would write to config.ini for this task now."""
        config, run_dir, options = task.args[0], task.args[1], task.args[2:]
        done = subprocess.run([os.path.join(self.bin, "au_train"), "--config", config, "--train.run_dir", run_dir,
                               *options, "--dump-config"], cwd=self.repo, env=self.env, capture_output=True, text=True)
        if done.returncode != 0:
            raise ExperimentError(f"au_train refuses the options of {run_dir}: {done.stderr.strip()}")
        return _settings(done.stdout)

    def train(self, job, index, task):
        name = f"{job.name}_{index}"
        config_ini = os.path.join(task.run_dir, "config.ini")
        if os.path.exists(config_ini):
            with open(config_ini) as f:
                before = _settings(f.read())
            now = self.intended_settings(task)
            changed = sorted(k for k in before.keys() | now.keys() if before.get(k) != now.get(k))
            if changed:
                detail = ", ".join(f"{k} {before.get(k, '-')} -> {now.get(k, '-')}" for k in changed[:5])
                raise ExperimentError(f"{task.run_dir} was trained with other options than the experiment file now "
                                      f"gives ({detail}); remove that folder to train it again, or restore the file")
            if os.path.exists(os.path.join(task.run_dir, "final.safetensors")):
                self.say(f"== {name}: skipped, {task.run_dir} has its final weights and the same options")
                return
        config, run_dir, options = task.args[0], task.args[1], task.args[2:]
        self.execute(name, ["bash", LAUNCHERS["train"], str(job.ranks), config, run_dir, *options,
                            "--train.resume", "true"])

    def inputs_and_outputs(self, job):
        s, out = self.experiment.settings, self.dir
        submission = os.path.join(out, "submission", "submission.csv")
        if job.kind == "select":
            runs = [t.run_dir for j in self.jobs for t in j.tasks]
            return [os.path.join(r, "final.safetensors") for r in runs], [os.path.join(out, "ensemble.json")]
        if job.kind == "infer":
            return [os.path.join(out, "ensemble.json"), os.path.join(s["shards"], "manifest.json")], [submission]
        if job.kind == "check":
            return [submission], []
        return [submission], [os.path.join(out, "test_scores.json")]

    def stage(self, job):
        inputs, outputs = self.inputs_and_outputs(job)
        if job.kind == "infer":
            command = ["bash", LAUNCHERS["infer"], str(job.ranks)] + job.args
        else:
            command = [os.path.join(self.bin, "au_" + job.kind)] + job.args
        stamp_path = os.path.join(self.dir, "stamps", f"{job.name}.json")
        stamp = {"command": command, "inputs": _fingerprint(inputs)}
        if os.path.exists(stamp_path) and all(os.path.exists(o) for o in outputs):
            with open(stamp_path) as f:
                if json.load(f) == stamp:
                    self.say(f"== {job.name}: skipped, its inputs and command are unchanged since it ran")
                    return
        self.execute(job.name, command)
        os.makedirs(os.path.dirname(stamp_path), exist_ok=True)
        with open(stamp_path + ".tmp", "w") as f:
            json.dump(stamp, f)
        os.replace(stamp_path + ".tmp", stamp_path)
