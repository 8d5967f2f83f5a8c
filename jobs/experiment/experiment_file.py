"""The experiment file (configs/experiment.ini): what one submission of the paper's experiment
trains, selects, infers and scores. Parsed with configparser and checked before anything is
submitted: unknown sections and keys, an init naming a missing model, a cycle in the chain and
options the stage programs do not know are errors naming the file and line.

  [experiment]   out, shards, data_root, prep_config, train_config, folds, ranks_per_run,
                 array_concurrency, time_limit, sbatch_options
  [model NAME]   init = none | backbone PATH | model NAME; other keys are au_train options
                 (model.depth = 50) that differ from train_config for this base model
  [select] [infer] [eval]   options of au_select, au_infer and au_eval (select.tuning = auto)
"""
import configparser
import dataclasses
import re

EXPERIMENT_KEYS = {
    "out": "the experiment's folder: runs/, ensemble.json, submission/, report/",
    "shards": "au_prep's output folder (holds manifest.json)",
    "data_root": "the dataset root; when shards has no manifest.json, au_prep runs first",
    "prep_config": "au_prep's configuration (with data_root)",
    "train_config": "au_train's configuration every base model starts from",
    "folds": "the folds to train: none (train/validation as given), 0..4 or 0,2,4",
    "ranks_per_run": "MPI ranks (GPUs) of one training run",
    "array_concurrency": "training runs at once, at the most",
    "time_limit": "Slurm time limit of one job (a stopped training run requeues and resumes)",
    "sbatch_options": "more sbatch options for every job, e.g. --partition=gpu --account=x",
}
DEFAULTS = {"folds": "none", "ranks_per_run": "1", "array_concurrency": "4", "time_limit": "24:00:00",
            "data_root": "", "prep_config": "", "sbatch_options": ""}
REQUIRED = ("out", "shards", "train_config")
# au_train options the plan sets per run: a base model may not set them.
PLANNED_TRAIN_KEYS = {"train.shards", "train.run_dir", "train.fold", "train.init_backbone",
                      "train.init_checkpoint", "train.resume"}
STAGE_SECTIONS = {"select": "au_select", "infer": "au_infer", "eval": "au_eval"}
NAME = re.compile(r"^[A-Za-z0-9_-]+$")


class ExperimentError(Exception):
    """A mistake in the experiment file; the message names the file and line."""


@dataclasses.dataclass
class BaseModel:
    name: str
    init_kind: str  # none, backbone or model
    init_value: str  # the weights file or the parent model's name
    options: dict  # au_train option -> value
    line: int

    def parent(self):
        return self.init_value if self.init_kind == "model" else None


@dataclasses.dataclass
class Experiment:
    path: str
    settings: dict  # [experiment], defaults filled in
    folds: list  # fold numbers; [None] for the splits as given
    models: list  # BaseModel, in file order
    stage_options: dict  # select/infer/eval -> {option: value}

    def model(self, name):
        return next(m for m in self.models if m.name == name)

    def level(self, model):
        """0 for a model that starts from a backbone or nothing, else its parent's level + 1."""
        depth = 0
        while model.parent():
            model = self.model(model.parent())
            depth += 1
        return depth


def _lines(path):
    """(section, key) -> line number, and section -> line number, as the file has them."""
    where, section = {}, None
    with open(path, encoding="utf-8") as f:
        for number, text in enumerate(f, 1):
            stripped = text.strip()
            if stripped.startswith("[") and stripped.endswith("]"):
                section = stripped[1:-1].strip()
                where.setdefault((section, None), number)
            elif section is not None and "=" in stripped and not stripped.startswith(("#", ";")):
                where.setdefault((section, stripped.split("=", 1)[0].strip()), number)
    return where


def parse_folds(text):
    """'none' -> [None]; '0..4' -> [0, 1, 2, 3, 4]; '0,2' -> [0, 2]."""
    text = text.strip()
    if text == "none":
        return [None]
    m = re.fullmatch(r"(\d+)\.\.(\d+)", text)
    if m:
        first, last = int(m.group(1)), int(m.group(2))
        if first > last:
            raise ValueError(f"'{text}' is an empty range")
        return list(range(first, last + 1))
    if re.fullmatch(r"\d+(,\d+)*", text):
        folds = [int(x) for x in text.split(",")]
        if len(set(folds)) != len(folds):
            raise ValueError(f"'{text}' names a fold twice")
        return folds
    raise ValueError(f"'{text}' is not none, A..B or a list like 0,2,4")


def read_experiment(path, known_options=None):
    """Reads and checks the experiment file. `known_options` maps a program (au_train,
    au_select, au_infer, au_eval) to the set of its option names, for checking the keys of model
    and stage sections (see stage_options.py); a program missing from it is not checked."""
    known_options = known_options or {}
    parser = configparser.ConfigParser(interpolation=None, inline_comment_prefixes=(";", "#"),
                                       delimiters=("=",))
    parser.optionxform = str  # option names keep their case
    try:
        with open(path, encoding="utf-8") as f:
            parser.read_file(f)
    except OSError as e:
        raise ExperimentError(f"{path}: cannot read the experiment file: {e.strerror}") from None
    except configparser.DuplicateSectionError as e:
        raise ExperimentError(f"{path}:{e.lineno}: [{e.section}] is defined twice") from None
    except configparser.DuplicateOptionError as e:
        raise ExperimentError(f"{path}:{e.lineno}: '{e.option}' is set twice in [{e.section}]") from None
    except configparser.Error as e:
        raise ExperimentError(f"{path}: not an INI file: {e}") from None
    lines = _lines(path)

    def fail(section, key, message):
        line = lines.get((section, key)) or lines.get((section, None)) or 0
        raise ExperimentError(f"{path}:{line}: {message}" if line else f"{path}: {message}")

    if not parser.has_section("experiment"):
        raise ExperimentError(f"{path}: no [experiment] section")
    settings = dict(DEFAULTS)
    for key, value in parser.items("experiment"):
        if key not in EXPERIMENT_KEYS:
            fail("experiment", key, f"unknown key '{key}' in [experiment] (known: {', '.join(EXPERIMENT_KEYS)})")
        settings[key] = value.strip()
    for key in REQUIRED:
        if not settings.get(key):
            fail("experiment", None, f"[experiment] needs '{key}' ({EXPERIMENT_KEYS[key]})")
    try:
        folds = parse_folds(settings["folds"])
    except ValueError as e:
        fail("experiment", "folds", f"folds: {e}")
    for key in ("ranks_per_run", "array_concurrency"):
        if not re.fullmatch(r"[1-9]\d*", settings[key]):
            fail("experiment", key, f"{key} must be a positive whole number, not '{settings[key]}'")
    if "," in settings["out"]:  # au_select takes the run folders as a comma-separated list
        fail("experiment", "out", f"out may not hold a comma: '{settings['out']}'")
    if settings["data_root"] and not settings["prep_config"]:
        fail("experiment", "data_root", "data_root needs prep_config (au_prep's configuration)")

    models, stage_options = [], {}
    for section in parser.sections():
        if section == "experiment":
            continue
        if section in STAGE_SECTIONS:
            program = STAGE_SECTIONS[section]
            options = dict(parser.items(section))
            for key in options:
                if not key.startswith(section + "."):
                    fail(section, key, f"'{key}' in [{section}] is not a {program} option ({section}.*)")
                if program in known_options and key not in known_options[program]:
                    fail(section, key, f"{program} has no option '{key}'")
            stage_options[section] = options
            continue
        m = re.fullmatch(r"model\s+(\S+)", section)
        if not m:
            fail(section, None, f"unknown section [{section}] (expected [experiment], [model NAME], "
                                f"[select], [infer] or [eval])")
        name = m.group(1)
        if not NAME.fullmatch(name):
            fail(section, None, f"model name '{name}' may hold only letters, digits, _ and -")
        options = dict(parser.items(section))
        init = options.pop("init", "").split(None, 1)
        if not init or init[0] not in ("none", "backbone", "model") or (init[0] == "none") != (len(init) == 1):
            fail(section, "init" if (section, "init") in lines else None,
                 f"model '{name}' needs init = none, init = backbone PATH or init = model NAME")
        for key in options:
            if key in PLANNED_TRAIN_KEYS:
                fail(section, key, f"'{key}' is set by the plan for every run; a base model cannot set it")
            if "au_train" in known_options and key not in known_options["au_train"]:
                fail(section, key, f"au_train has no option '{key}'")
        models.append(BaseModel(name, init[0], init[1].strip() if len(init) > 1 else "", options,
                                lines.get((section, None), 0)))
    if not models:
        raise ExperimentError(f"{path}: no base model: add a [model NAME] section")
    infer = stage_options.get("infer", {})
    if "infer.videos" not in infer and "infer.template" not in infer:
        fail("infer", None, "[infer] needs infer.videos (the test list) or infer.template: the "
                            "submission is checked against them")
    names = {m.name for m in models}
    for model in models:
        if model.init_kind == "model" and model.init_value not in names:
            fail(f"model {model.name}", "init", f"model '{model.name}' starts from model '{model.init_value}', "
                                                f"which the file does not define (models: {', '.join(sorted(names))})")
    for model in models:
        seen, at = [model.name], model
        while at.parent():
            at = next(x for x in models if x.name == at.parent())
            if at.name in seen:
                fail(f"model {model.name}", "init", "the models' init chain has a cycle: " +
                     " -> ".join(seen + [at.name]))
            seen.append(at.name)
    return Experiment(path, settings, folds, models, stage_options)
