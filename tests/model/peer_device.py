"""What the PyTorch peers (src/train/bench/train_bench.py, src/predict/bench/infer_bench.py) share:
the device, precision, memory layout, cuDNN autotuning and torch.compile options, applied as the
C++ programs apply them (channels_last and autotuning on by default on CUDA)."""
import argparse

import torch

DTYPES = {"fp32": torch.float32, "bf16": torch.bfloat16, "fp16": torch.float16}


def add_device_options(p):
    p.add_argument("--device", choices=["cpu", "cuda"], default="cpu")
    p.add_argument("--precision", choices=list(DTYPES), default="fp32", help="bf16/fp16: autocast")
    p.add_argument("--channels-last", action=argparse.BooleanOptionalAction, help="default: on for cuda")
    p.add_argument("--cudnn-benchmark", action=argparse.BooleanOptionalAction, help="default: on for cuda")
    p.add_argument("--compile", action="store_true", help="torch.compile the model(s) (default mode)")


def apply_device_options(p, a):
    """Checks the parsed options `a`, sets torch's global ones; returns (device, memory layout)."""
    if a.compile and a.warmup < 1:
        p.error("--compile needs --warmup >= 1, or compilation is timed")
    cuda = a.device == "cuda"
    layout = torch.channels_last if (cuda if a.channels_last is None else a.channels_last) else torch.contiguous_format
    torch.backends.cudnn.benchmark = cuda if a.cudnn_benchmark is None else a.cudnn_benchmark
    torch.set_num_threads(a.threads)
    return torch.device("cuda:0" if cuda else "cpu"), layout
