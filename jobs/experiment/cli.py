#!/usr/bin/env python3
"""Plans the paper's whole experiment from an experiment file (configs/experiment.ini): au_prep
if the shards are missing, one training array per base model (a task per fold, chained models
after their parent's tasks), au_select over every run, au_infer, au_check and au_eval.

  jobs/experiment.sh CONFIG             submits the plan to Slurm (job arrays, dependencies) and
                                        prints the job ids; again after a failure or a cancel, it
                                        submits only what is not done
  jobs/experiment.sh --dry-run CONFIG   checks the file against the built programs and prints
                                        the plan (jobs, dependencies, resources, commands)
  jobs/experiment.sh --local CONFIG     runs the plan here, stage after stage with mpirun;
                                        run it again to skip what is done (and to resume)
  jobs/experiment.sh --status CONFIG    where every run and stage stands (done, queued, running
                                        with epochs and ETA, started, failed with the log's
                                        line, waiting)

Every plan ends with the run report, OUT/report/index.html (self-contained: open it offline)
and OUT/report/report.json. For single runs: python3 jobs/experiment/report.py OUT RUN_DIR...
Submit from the repository root.
Exit codes: 0 done, 64 a mistake in the file (or a run trained with other options), 1 a
stage failed (its log's end is shown)."""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from experiment.experiment_file import ExperimentError, read_experiment  # noqa: E402
from experiment.local_run import LocalRunner  # noqa: E402
from experiment.slurm_submit import SlurmSubmitter  # noqa: E402
from experiment.plan import describe_plan, make_plan  # noqa: E402
from experiment.stage_options import known_options  # noqa: E402
from experiment.stages import StageFailed  # noqa: E402
from experiment.status import status_lines  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def main():
    p = argparse.ArgumentParser(prog="jobs/experiment.sh", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("config", help="the experiment file, e.g. configs/experiment.ini")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--dry-run", action="store_true", help="check the file and print the plan; run nothing")
    mode.add_argument("--local", action="store_true", help="run the plan on this machine, skipping what is done")
    mode.add_argument("--status", action="store_true", help="show where every run and stage stands")
    p.add_argument("--bin", default=os.environ.get("AU_BIN", os.path.join(REPO, "build", "bin")),
                   help="where the built programs are (their options check the file)")
    a = p.parse_args()
    try:
        options = known_options(a.bin)
    except RuntimeError as e:
        print(f"experiment: {e}", file=sys.stderr)
        return 64
    try:
        experiment = read_experiment(a.config, options)
    except ExperimentError as e:
        print(f"experiment: {e}", file=sys.stderr)
        return 64
    shards = experiment.settings["shards"]
    need_prep = not os.path.exists(os.path.join(shards, "manifest.json"))
    if need_prep and not experiment.settings["data_root"]:
        print(f"experiment: {a.config}: {shards} has no manifest.json and no data_root is given to make it",
              file=sys.stderr)
        return 64
    jobs = make_plan(experiment, need_prep)
    if a.status:
        print("\n".join(status_lines(experiment, jobs, REPO, a.bin)))
        return 0
    print(describe_plan(experiment, jobs), flush=True)
    if a.dry_run:
        print("dry run: nothing submitted")
        return 0
    try:
        if a.local:
            LocalRunner(experiment, jobs, REPO, a.bin).run()
        else:
            SlurmSubmitter(experiment, jobs, REPO, a.bin).submit()
    except ExperimentError as e:
        print(f"experiment: {e}", file=sys.stderr)
        return 64
    except StageFailed as e:
        print(f"experiment: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
