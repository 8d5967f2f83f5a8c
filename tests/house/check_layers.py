#!/usr/bin/env python3
"""Checks every #include "layer/..." in src/ and data_prep/ against the layer table of README.md
("Repository"): a file may include its own layer and the layers listed for it, nothing above,
and train and predict never include each other. Prints each offending include as
file:line: and exits 1 when there is one. Usage: check_layers.py REPO_ROOT"""
import pathlib
import re
import sys

# Layer -> what it may include (besides itself). Mirrors README.md's table; data_prep's stages
# sit on top of io, mpi and common.
ALLOWED = {
    "common": set(),
    "mpi": {"common"},
    "io": {"common"},
    "faces": {"common"},
    "metrics": {"io", "common"},
    "distributed": {"mpi", "common"},
    "model": {"common"},
    "data": {"io", "mpi", "common"},
    "infer": {"data", "metrics", "io", "common"},
    "train": {"model", "data", "distributed", "metrics", "io", "mpi", "common"},
    "predict": {"infer", "faces", "model", "data", "distributed", "metrics", "io", "mpi", "common"},
    "prep": {"io", "mpi", "common"},
    "synth": {"io", "common"},
}
EVERYTHING = set(ALLOWED) - {"prep", "synth"}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([a-z_]+)/')


def layer_of(root, path):
    parts = path.relative_to(root).parts
    if parts[0] == "src":
        return parts[1] if len(parts) > 2 else None
    if parts[0] == "data_prep":
        return parts[1] if len(parts) > 2 and parts[1] in ALLOWED else "data_prep_app"
    return None


def main():
    root = pathlib.Path(sys.argv[1]).resolve()
    problems, files = [], 0
    for path in sorted(list(root.glob("src/**/*")) + list(root.glob("data_prep/**/*"))):
        if path.suffix not in (".h", ".cpp"):
            continue
        layer = layer_of(root, path)
        if layer is None:
            continue
        files += 1
        if layer in ("apps", "bench"):
            allowed = EVERYTHING
        elif layer == "data_prep_app":
            allowed = EVERYTHING | {"prep", "synth"}
        else:
            if layer not in ALLOWED:
                problems.append(f"{path.relative_to(root)}: layer '{layer}' is not in the table")
                continue
            allowed = ALLOWED[layer] | {layer}
        for number, line in enumerate(path.read_text().splitlines(), 1):
            m = INCLUDE.match(line)
            if m and m.group(1) not in allowed:
                problems.append(f"{path.relative_to(root)}:{number}: {layer} includes {m.group(1)}/ "
                                f"(allowed: {', '.join(sorted(allowed))})")
    for p in problems:
        print(p)
    print(f"{files} files checked, {len(problems)} includes against the layer table")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
