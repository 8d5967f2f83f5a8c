"""The experiment file and its plan (jobs/experiment/): the shipped files parse and plan as the
paper's experiment says; every kind of mistake is an error naming the file and line."""
import os
import sys
import tempfile
import textwrap
import unittest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(REPO, "jobs"))
from experiment.experiment_file import ExperimentError, parse_folds, read_experiment  # noqa: E402
from experiment.plan import describe_plan, make_plan  # noqa: E402

GOOD = """\
[experiment]
out = runs/x
shards = shards
train_config = configs/train.ini
folds = 0..2

[model a]
init = backbone a.safetensors

[model b]
init = model a
train.lr = 0.01

[infer]
infer.videos = test.txt
"""


def write(text):
    f = tempfile.NamedTemporaryFile("w", suffix=".ini", delete=False)
    f.write(textwrap.dedent(text))
    f.close()
    return f.name


class ExperimentFile(unittest.TestCase):
    def error_of(self, text, known=None):
        path = write(text)
        with self.assertRaises(ExperimentError) as caught:
            read_experiment(path, known)
        return str(caught.exception).replace(path, "FILE")

    def test_the_shipped_files_are_the_papers_experiment_and_the_demo(self):
        paper = read_experiment(os.path.join(REPO, "configs/experiment.ini"))
        self.assertEqual([m.name for m in paper.models], ["glint", "expression", "au"])
        self.assertEqual(paper.folds, [0, 1, 2, 3, 4])
        self.assertEqual([paper.level(m) for m in paper.models], [0, 1, 2])
        demo = read_experiment(os.path.join(REPO, "configs/demo/experiment.ini"))
        self.assertEqual(demo.folds, [None])
        self.assertEqual(demo.model("chained").options,
                         {"train.epochs": "1", "train.lr": "0.0005", "train.seed": "2"})

    def test_folds(self):
        self.assertEqual(parse_folds("none"), [None])
        self.assertEqual(parse_folds("1..3"), [1, 2, 3])
        self.assertEqual(parse_folds("0,4"), [0, 4])
        for bad in ("3..1", "0,0", "all", "1-3"):
            with self.assertRaises(ValueError):
                parse_folds(bad)

    def test_mistakes_name_the_file_and_line(self):
        self.assertIn("FILE:3: unknown key 'shard'", self.error_of(GOOD.replace("shards = shards", "shard = shards")))
        self.assertIn("FILE:11: model 'b' starts from model 'c', which the file does not define",
                      self.error_of(GOOD.replace("init = model a", "init = model c")))
        cycle = GOOD.replace("init = backbone a.safetensors", "init = model b")
        self.assertIn("cycle: a -> b -> a", self.error_of(cycle))
        self.assertIn("'train.fold' is set by the plan", self.error_of(GOOD.replace("train.lr = 0.01", "train.fold = 1")))
        self.assertIn("FILE:16: unknown section [modle c]", self.error_of(GOOD + "[modle c]\ninit = none\n"))
        self.assertIn("folds: 'every' is not none", self.error_of(GOOD.replace("0..2", "every")))
        self.assertIn("needs init = none", self.error_of(GOOD.replace("init = model a", "init = parent a")))
        self.assertIn("needs 'train_config'", self.error_of(GOOD.replace("train_config = configs/train.ini\n", "")))
        self.assertIn("FILE:16: [model a] is defined twice", self.error_of(GOOD + "[model a]\ninit = none\n"))
        self.assertIn("FILE:13: 'train.lr' is set twice in [model b]",
                      self.error_of(GOOD.replace("train.lr = 0.01", "train.lr = 0.01\ntrain.lr = 1")))
        self.assertIn("[infer] needs infer.videos", self.error_of(GOOD.replace("infer.videos", "infer.threads")))
        self.assertIn("no base model", self.error_of(GOOD.split("[model a]")[0] + "[infer]\ninfer.videos = t\n"))
        self.assertIn("'select.tuning' in [infer] is not a au_infer option",
                      self.error_of(GOOD + "select.tuning = auto\n"))

    def test_options_are_checked_against_the_programs(self):
        known = {"au_train": {"train.lr", "train.epochs"}, "au_select": {"select.tuning"}}
        self.assertIn("FILE:12: au_train has no option 'train.lr'", self.error_of(GOOD, {"au_train": {"x.y"}}))
        self.assertIn("au_select has no option 'select.tunning'",
                      self.error_of(GOOD + "[select]\nselect.tunning = auto\n", known))
        read_experiment(write(GOOD + "[select]\nselect.tuning = auto\n"), known)


class Plan(unittest.TestCase):
    def test_chained_folds_wait_for_their_parents_fold_and_selection_for_every_run(self):
        experiment = read_experiment(write(GOOD))
        jobs = {j.name: j for j in make_plan(experiment, need_prep=False)}
        self.assertEqual(list(jobs), ["train_a", "train_b", "select", "infer", "check", "report"])
        self.assertEqual(jobs["report"].after, [("check", "afterok")])
        self.assertEqual(jobs["check"].args[2:4], ["--check.videos", "test.txt"])
        self.assertEqual(jobs["train_b"].after, [("train_a", "aftercorr")])
        b1 = jobs["train_b"].tasks[1]
        self.assertEqual(b1.run_dir, "runs/x/runs/b/fold1")
        self.assertEqual(b1.args[:4], ["configs/train.ini", "runs/x/runs/b/fold1", "--train.shards", "shards"])
        self.assertIn("--train.fold", b1.args)
        at = b1.args.index("--train.init_checkpoint")
        self.assertEqual(b1.args[at + 1], "runs/x/runs/a/fold1/checkpoints/last.pt")
        self.assertEqual(b1.args[-2:], ["--train.lr", "0.01"])
        self.assertIn("--train.init_backbone", jobs["train_a"].tasks[0].args)
        self.assertEqual(jobs["select"].after, [("train_a", "afterok"), ("train_b", "afterok")])
        runs = jobs["select"].args[jobs["select"].args.index("--select.runs") + 1]
        self.assertEqual(len(runs.split(",")), 6)
        self.assertIn("array of 3", describe_plan(experiment, list(jobs.values())))

    def test_missing_shards_are_made_first_and_ground_truth_adds_the_evaluation(self):
        experiment = read_experiment(os.path.join(REPO, "configs/demo/experiment.ini"))
        jobs = {j.name: j for j in make_plan(experiment, need_prep=True)}
        self.assertEqual(list(jobs),
                         ["prep", "train_scratch", "train_chained", "select", "infer", "check", "eval", "report"])
        self.assertEqual(jobs["report"].after, [("eval", "afterok")])
        self.assertEqual(jobs["train_scratch"].after, [("prep", "afterok")])
        self.assertEqual(jobs["train_chained"].after, [("train_scratch", "aftercorr")])
        self.assertIn("--eval.annotations", jobs["eval"].args)


if __name__ == "__main__":
    unittest.main()
