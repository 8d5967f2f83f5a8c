"""Runs a plan on this machine, stage after stage (jobs/experiment.sh --local): the commands the
Slurm jobs run, through the jobs/ launchers (mpirun), each stage's output in OUT/logs/. What is
complete and checked (stages.py) is skipped and said so; a run without final weights resumes."""
import os
import subprocess
import sys
import time

from .stages import (LOCAL_LAUNCHERS, RUN_STAGE, StageFailed, launcher_env, run_state, stage_command, stage_done,
                     stamp_path)


class LocalRunner:
    def __init__(self, experiment, jobs, repo, bin_dir, out=sys.stdout):
        self.experiment, self.jobs, self.repo, self.bin = experiment, jobs, repo, bin_dir
        self.out = out
        self.dir = experiment.settings["out"]
        self.env = launcher_env(bin_dir)

    def say(self, text):
        print(text, file=self.out, flush=True)

    def run(self):
        os.makedirs(os.path.join(self.dir, "logs"), exist_ok=True)
        start = time.monotonic()
        for job in self.jobs:
            if job.kind == "train":
                for index, task in enumerate(job.tasks):
                    self.train(job, index, task)
            else:
                self.stage(job)
        self.say(f"experiment done in {time.monotonic() - start:.0f} s: {self.dir}")
        self.say(f"report: {os.path.join(self.dir, 'report', 'index.html')}")

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

    def train(self, job, index, task):
        name = f"{job.name}_{index}"
        if run_state(task, self.repo, self.bin) == "done":
            self.say(f"== {name}: skipped, {task.run_dir} has its final weights and the same options")
            return
        self.execute(name, ["bash", LOCAL_LAUNCHERS["train"], str(job.ranks)] + task.args + ["--train.resume", "true"])

    def stage(self, job):
        command = stage_command(job, self.repo, self.bin, slurm=False)
        # prep is planned only when the shards are missing: its stamp only keeps its time.
        if job.kind != "prep" and stage_done(self.experiment, self.jobs, job, command):
            self.say(f"== {job.name}: skipped, done with the same command and inputs")
        else:
            self.execute(job.name, ["bash", RUN_STAGE, stamp_path(self.experiment, job), "--"] + command)
