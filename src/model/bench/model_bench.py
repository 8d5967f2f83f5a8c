#!/usr/bin/env python3
"""Python side of the model benchmark: images/s of IResNet-100 and of the full AU model,
forward (eval, no grad) and forward+backward (train), at a batch size and precision.
Prints one line: 'python <model> <mode> <batch> <precision> <images/s> <parameters>'."""
import argparse
import os
import sys
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../tests/model"))
from au_net_reference import AuNet  # noqa: E402
from iresnet_reference import LAYERS, IResNet  # noqa: E402


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--model", choices=["r100", "aunet"], default="r100")
    p.add_argument("--mode", choices=["forward", "train"], default="forward")
    p.add_argument("--batch", type=int, default=8)
    p.add_argument("--precision", choices=["fp32", "bf16"], default="fp32")
    p.add_argument("--iterations", type=int, default=3)
    p.add_argument("--threads", type=int, default=2)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    model = IResNet(LAYERS[100]) if a.model == "r100" else AuNet(100)
    params = sum(t.numel() for t in model.parameters())
    x = torch.rand(a.batch, 3, 112, 112) * 2 - 1

    def once():
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=a.precision == "bf16"):
            if a.mode == "forward":
                with torch.no_grad():
                    model(x)
            else:
                out = model(x)
        if a.mode == "train":
            model.zero_grad(set_to_none=True)
            out.float().pow(2).mean().backward()

    model.train(a.mode == "train")
    once()  # warm-up
    start = time.perf_counter()
    for _ in range(a.iterations):
        once()
    rate = a.batch * a.iterations / (time.perf_counter() - start)
    print(f"python {a.model} {a.mode} {a.batch} {a.precision} {rate:.3f} {params}")


if __name__ == "__main__":
    main()
