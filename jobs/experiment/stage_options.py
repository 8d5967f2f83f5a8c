"""The options each stage program knows, as its --help lists them (dotted names: an INI
section [train] with lr = ... is --train.lr), so that the experiment file is checked against
the programs that will run it."""
import os
import re
import subprocess

OPTION = re.compile(r"^\s+--([a-z0-9_]+\.[a-z0-9_.]+)\b", re.M)

PROGRAMS = ("au_train", "au_select", "au_infer", "au_eval")


def options_of(program_path):
    """The dotted option names of one program; raises RuntimeError when it cannot be asked."""
    try:
        done = subprocess.run([program_path, "--help"], capture_output=True, text=True, timeout=60)
    except OSError as e:
        raise RuntimeError(f"cannot run {program_path}: {e.strerror} (build first: jobs/build.sh)") from None
    if done.returncode != 0:
        raise RuntimeError(f"{program_path} --help failed: {done.stderr.strip()[-300:]}")
    return set(OPTION.findall(done.stdout))


def known_options(bin_dir):
    """Program -> its option names, for every stage program in `bin_dir`."""
    return {p: options_of(os.path.join(bin_dir, p)) for p in PROGRAMS}
