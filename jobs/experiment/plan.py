"""The experiment as jobs: au_prep when the shards are missing, one training array per base
model (a task per fold) whose tasks start after the corresponding tasks of the model it is
chained from (Slurm's aftercorr: fold k after fold k), then au_select over every run, au_infer,
au_check and au_eval, each after the previous. The same plan runs under Slurm or locally."""
import dataclasses
import os
import shlex

from .stages import REPORT_SCRIPT, SLURM_SCRIPTS


@dataclasses.dataclass
class Task:
    """One training run of a base model's array: its fold and its whole au_train command line."""
    fold: object  # int, or None for the splits as given
    run_dir: str
    args: list


@dataclasses.dataclass
class Job:
    name: str
    kind: str  # prep, train, select, infer, check, eval or report
    args: list = dataclasses.field(default_factory=list)
    after: list = dataclasses.field(default_factory=list)  # (job name, "afterok" or "aftercorr")
    tasks: list = dataclasses.field(default_factory=list)  # Task per array task; empty: not an array
    ranks: int = 1

    @property
    def program(self):
        """What the job runs under Slurm, as the plan shows it (stages.stage_command runs it)."""
        if self.kind in SLURM_SCRIPTS:
            return SLURM_SCRIPTS[self.kind]
        return REPORT_SCRIPT if self.kind == "report" else f"build/bin/au_{self.kind}"

    def command(self):
        return " ".join(shlex.quote(str(x)) for x in [self.program] + self.args)


def run_dir(experiment, model, fold):
    base = os.path.join(experiment.settings["out"], "runs", model.name)
    return base if fold is None else os.path.join(base, f"fold{fold}")


def _options(options):
    args = []
    for key, value in options.items():
        args += [f"--{key}", value]
    return args


def train_task(experiment, model, fold):
    """au_train's options for one run: the experiment's shards and fold, the model's start and
    its options; train.slurm adds --train.resume, so a requeued task continues."""
    s = experiment.settings
    args = [s["train_config"], run_dir(experiment, model, fold), "--train.shards", s["shards"]]
    if fold is not None:
        args += ["--train.fold", str(fold)]
    if model.init_kind == "backbone":
        args += ["--train.init_backbone", model.init_value]
    elif model.init_kind == "model":
        parent = experiment.model(model.init_value)
        args += ["--train.init_checkpoint", os.path.join(run_dir(experiment, parent, fold), "checkpoints", "last.pt")]
    return Task(fold, run_dir(experiment, model, fold), args + _options(model.options))


def make_plan(experiment, need_prep):
    s = experiment.settings
    out = s["out"]
    ranks = int(s["ranks_per_run"])
    jobs = []
    if need_prep:
        jobs.append(Job("prep", "prep",
                        [s["prep_config"], "--data.root", s["data_root"], "--prep.out", s["shards"]]))
    # Parents first, so that every dependency names a job already planned.
    for model in sorted(experiment.models, key=experiment.level):
        after = [("prep", "afterok")] if need_prep and not model.parent() else []
        if model.parent():
            after.append((f"train_{model.parent()}", "aftercorr"))
        tasks = [train_task(experiment, model, fold) for fold in experiment.folds]
        jobs.append(Job(f"train_{model.name}", "train", after=after, tasks=tasks, ranks=ranks))
    runs = [t.run_dir for j in jobs for t in j.tasks]
    trained = [(j.name, "afterok") for j in jobs if j.tasks]
    ensemble = os.path.join(out, "ensemble.json")
    jobs.append(Job("select", "select",
                    ["--select.runs", ",".join(runs), "--select.out", ensemble, "--select.report",
                     os.path.join(out, "selection.txt")] + _options(experiment.stage_options.get("select", {})),
                    after=trained))
    submission = os.path.join(out, "submission")
    infer_options = experiment.stage_options.get("infer", {})
    jobs.append(Job("infer", "infer", [ensemble, s["shards"], submission] + _options(infer_options),
                    after=[("select", "afterok")], ranks=ranks))
    check = ["--check.submission", os.path.join(submission, "submission.csv")]
    if "infer.videos" in infer_options:
        check += ["--check.videos", infer_options["infer.videos"]]
    if "infer.template" in infer_options:
        check += ["--check.template", infer_options["infer.template"]]
    else:  # the frame counts come from the faces
        check += ["--check.data", infer_options.get("infer.data", s["shards"])]
    jobs.append(Job("check", "check", check, after=[("infer", "afterok")]))
    eval_options = experiment.stage_options.get("eval", {})
    if "eval.annotations" in eval_options:  # test ground truth exists
        evaluation = ["--eval.submission", os.path.join(submission, "submission.csv"),
                      "--eval.json", os.path.join(out, "test_scores.json")]
        if "infer.videos" in infer_options:
            evaluation += ["--eval.videos", infer_options["infer.videos"]]
        jobs.append(Job("eval", "eval", evaluation + _options(eval_options),
                        after=[("check", "afterok")]))
    jobs.append(Job("report", "report", [out, *runs, "--shards", s["shards"]], after=[(jobs[-1].name, "afterok")]))
    return jobs


def describe_plan(experiment, jobs):
    """The plan as a person reads it: each job, what it waits for, its resources and commands."""
    s = experiment.settings
    lines = [f"experiment {experiment.path} -> {s['out']}: {len(experiment.models)} base models x "
             f"{len(experiment.folds)} fold(s) = {sum(len(j.tasks) for j in jobs)} training runs, "
             f"at most {s['array_concurrency']} at once, {s['ranks_per_run']} rank(s) each"]
    for j in jobs:
        after = ", ".join(f"{kind}:{name}" for name, kind in j.after) or "-"
        kind = f"array of {len(j.tasks)}" if j.tasks else "job"
        lines.append(f"  {j.name:<18} {kind:<11} ranks {j.ranks:<3} after {after}")
        if j.tasks:
            for i, t in enumerate(j.tasks):
                fold = "as given" if t.fold is None else f"fold {t.fold}"
                lines.append(f"      [{i}] {fold}: {j.program} " + " ".join(shlex.quote(str(a)) for a in t.args))
        else:
            lines.append(f"      {j.command()}")
    return "\n".join(lines)
