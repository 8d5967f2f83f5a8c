#!/usr/bin/env python3
"""The PyTorch peer of au_bench_infer: frames/s of an ensemble's forward passes as
EnsembleModel::predict runs them (uint8 frames [B,112,112,3] to the device, (x/255 - 0.5)/0.5
in fp32, NCHW, each model in eval mode at the chosen precision, sigmoid, probabilities back on
the host, averaged there), on random frames, one process. K copies of the AU model with
different random weights stand for K checkpoints (speed does not depend on the weights).
Needs only torch. Prints 'pyinfer <K> <batch> <device> <precision> <frames/s> <eager|compiled>'."""
import argparse
import os
import sys
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../tests/model"))
from au_net_reference import AuNet  # noqa: E402
from peer_device import DTYPES, add_device_options, apply_device_options  # noqa: E402



def predict(nets, frames, device, layout, precision):
    # permute() of NHWC frames is already channels_last in memory: on CUDA this costs no copy.
    x = frames.to(device, non_blocking=True).permute(0, 3, 1, 2).float().div_(255).sub_(0.5).div_(0.5)
    x = x.contiguous(memory_format=layout)
    with torch.autocast(device.type, dtype=DTYPES[precision], enabled=precision != "fp32"):
        probs = [torch.sigmoid(net(x).float()).cpu() for net in nets]  # each to the host, as the C++ does
    return torch.stack(probs).mean(0)


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--depth", type=int, default=100)
    p.add_argument("--models", type=int, default=1, help="K: distinct models in the ensemble")
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--steps", type=int, default=10)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--threads", type=int, default=2, help="intra-op threads (CPU)")
    p.add_argument("--profile", action="store_true",
                   help="after timing, profile 3 batches and print the operators by device time to stderr")
    add_device_options(p)
    a = p.parse_args()
    device, layout = apply_device_options(p, a)
    cuda = device.type == "cuda"
    nets = []
    for k in range(a.models):
        torch.manual_seed(k)
        model = AuNet(a.depth).to(device, memory_format=layout).eval()
        nets.append(torch.compile(model) if a.compile else model)
    torch.manual_seed(0)
    frames = torch.randint(0, 256, (a.batch, 112, 112, 3), dtype=torch.uint8)
    with torch.inference_mode():
        for _ in range(a.warmup):
            predict(nets, frames, device, layout, a.precision)
        if cuda:
            torch.cuda.synchronize(device)
        start = time.perf_counter()
        for _ in range(a.steps):
            predict(nets, frames, device, layout, a.precision)  # returns host values: synchronised
        seconds = time.perf_counter() - start
        if a.profile:  # where a forward pass's time goes: convolutions, or the passes between them
            from torch.profiler import ProfilerActivity, profile
            activities = [ProfilerActivity.CPU] + ([ProfilerActivity.CUDA] if cuda else [])
            with profile(activities=activities) as prof:
                for _ in range(3):
                    predict(nets, frames, device, layout, a.precision)
            key = "self_cuda_time_total" if cuda else "self_cpu_time_total"
            print(prof.key_averages().table(sort_by=key, row_limit=30), file=sys.stderr)
    mode = "compiled" if a.compile else "eager"
    print(f"pyinfer {a.models} {a.batch} {device} {a.precision} {a.batch * a.steps / seconds:.1f} {mode}")


if __name__ == "__main__":
    main()
