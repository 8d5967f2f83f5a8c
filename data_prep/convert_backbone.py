#!/usr/bin/env python3
"""Converts a PyTorch backbone checkpoint (e.g. insightface's Glint360K `backbone.pth`, an
OrderedDict state_dict, possibly with CUDA or fp16 tensors) into safetensors, which au-ensemble
reads in C++ (LibTorch cannot read a Python OrderedDict pickle).

  .venv/bin/python data_prep/convert_backbone.py backbone.pth glint360k_r100.safetensors

Keys are kept as they are, except a leading 'module.' (DistributedDataParallel) which is
removed; a dict holding the weights under 'state_dict' or 'model' is unwrapped. Tensors are
moved to the CPU and keep their dtype (au-ensemble converts fp16 to fp32 when loading)."""
import argparse
import sys

import torch
from safetensors.torch import save_file


def load_state_dict(path):
    obj = torch.load(path, map_location="cpu", weights_only=True)
    for key in ("state_dict", "model"):
        if isinstance(obj, dict) and key in obj and isinstance(obj[key], dict):
            obj = obj[key]
    if not isinstance(obj, dict) or not all(isinstance(v, torch.Tensor) for v in obj.values()):
        raise SystemExit(f"{path}: expected a state_dict (a dict of tensors)")
    return {(k[len("module."):] if k.startswith("module.") else k): v for k, v in obj.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("source", help="a torch.save file holding a state_dict")
    parser.add_argument("target", help="the .safetensors file to write")
    args = parser.parse_args()
    state = load_state_dict(args.source)
    # safetensors wants contiguous tensors that share no storage.
    save_file({k: v.detach().cpu().contiguous().clone() for k, v in state.items()}, args.target)
    dtypes = sorted({str(v.dtype).replace("torch.", "") for v in state.values()})
    print(f"{args.target}: {len(state)} tensors ({', '.join(dtypes)}), "
          f"{sum(v.numel() for v in state.values()):,} values")
    return 0


if __name__ == "__main__":
    sys.exit(main())
