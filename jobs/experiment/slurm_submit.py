"""Submits a plan to Slurm (jobs/experiment.sh CONFIG): au_prep when the shards are missing, one
job array per base model through slurm/train.slurm (a task per fold not yet done, at most
array_concurrency at once; chained models' tasks after the corresponding task of their parent,
aftercorr), then select, infer, check and eval, each afterok the previous, through
run_stage.sh so that each writes its stamp. What is done (stages.py) is not submitted again,
and dependencies on it are dropped; a second submission of a finished experiment submits
nothing and says so."""
import json
import os
import shlex
import subprocess
import sys

from .stages import (RUN_STAGE, SLURM_SCRIPTS, StageFailed, launcher_env, run_state, stage_command, stage_done,
                     stamp_path, write_atomic)


class SlurmSubmitter:
    def __init__(self, experiment, jobs, repo, bin_dir, sbatch="sbatch", out=sys.stdout):
        self.experiment, self.jobs, self.repo, self.bin, self.sbatch = experiment, jobs, repo, bin_dir, sbatch
        self.out = out
        s = experiment.settings
        self.dir = s["out"]
        self.logs = os.path.join(self.dir, "logs")
        self.extra = shlex.split(s.get("sbatch_options", ""))
        self.env = launcher_env(bin_dir)

    def say(self, text):
        print(text, file=self.out, flush=True)

    def resources(self, job):
        """Ranks (and a GPU each) for training and inference, ranks for au_prep, one task for the
        rest; the experiment's sbatch_options come last and win."""
        tasks = job.ranks if job.kind in ("train", "infer", "prep") else 1
        gpus = [f"--gpus-per-node={job.ranks}"] if job.kind in ("train", "infer") else []
        return ([f"--job-name=au_{job.name}", "--nodes=1", f"--ntasks-per-node={tasks}"] + gpus +
                [f"--time={self.experiment.settings['time_limit']}"] + self.extra)

    def call(self, args):
        done = subprocess.run([self.sbatch, "--parsable"] + args, cwd=self.repo, env=self.env,
                              capture_output=True, text=True)
        if done.returncode != 0:
            raise StageFailed(f"sbatch refused {' '.join(args)}: {done.stderr.strip()}")
        return done.stdout.strip().split(";")[0]

    def dependency(self, job, ids):
        deps = [f"{kind}:{ids[name]}" for name, kind in job.after if ids.get(name)]
        return [f"--dependency={','.join(deps)}", "--kill-on-invalid-dep=yes"] if deps else []

    def submit(self):
        os.makedirs(self.logs, exist_ok=True)
        os.makedirs(os.path.join(self.dir, "plan"), exist_ok=True)
        ids, submitted = {}, 0
        for job in self.jobs:
            if job.kind == "train":
                ids[job.name] = self.submit_array(job, ids)
            else:
                ids[job.name] = self.submit_stage(job, ids)
            submitted += ids[job.name] is not None
        report = os.path.join(self.dir, "report", "index.html")
        if submitted == 0:
            self.say(f"nothing to submit: every run and stage of {self.dir} is done; report: {report}")
        else:  # for --status: which Slurm jobs are this experiment's latest
            write_atomic(os.path.join(self.dir, "plan", "jobs.json"),
                         json.dumps({name: job_id for name, job_id in ids.items() if job_id}))
            self.say(f"watch it with: jobs/experiment.sh --status {self.experiment.path}; "
                     f"the report will be {report}")
        return ids

    def submit_array(self, job, ids):
        states = [run_state(t, self.repo, self.bin) for t in job.tasks]
        pending = [i for i, state in enumerate(states) if state != "done"]
        for i, state in enumerate(states):
            if state == "done":
                self.say(f"== {job.name}[{i}]: done, not submitted ({job.tasks[i].run_dir} has its final weights)")
        if not pending:
            return None
        tasks_file = os.path.abspath(os.path.join(self.dir, "plan", f"{job.name}.tasks"))
        write_atomic(tasks_file, "".join(" ".join(shlex.quote(str(a)) for a in t.args) + "\n" for t in job.tasks))
        concurrency = self.experiment.settings["array_concurrency"]
        args = (self.resources(job) + self.dependency(job, ids) +
                [f"--array={','.join(map(str, pending))}%{concurrency}",
                 f"--output={os.path.abspath(self.logs)}/%x-%A_%a.out", SLURM_SCRIPTS["train"], "--tasks", tasks_file])
        job_id = self.call(args)
        self.say(f"== {job.name}: submitted job {job_id}, tasks {','.join(map(str, pending))}"
                 f" (log {self.logs}/au_{job.name}-{job_id}_<task>.out)")
        return job_id

    def submit_stage(self, job, ids):
        command = stage_command(job, self.repo, self.bin, slurm=True)
        upstream_pending = any(ids.get(name) for name, _ in job.after)
        if not upstream_pending and job.kind != "prep" and stage_done(self.experiment, self.jobs, job, command):
            self.say(f"== {job.name}: done, not submitted (same command and inputs)")
            return None
        args = (self.resources(job) + self.dependency(job, ids) +
                [f"--output={os.path.abspath(self.logs)}/%x-%j.out",
                 RUN_STAGE, stamp_path(self.experiment, job), "--"] + command)
        job_id = self.call(args)
        self.say(f"== {job.name}: submitted job {job_id} (log {self.logs}/au_{job.name}-{job_id}.out)")
        return job_id
