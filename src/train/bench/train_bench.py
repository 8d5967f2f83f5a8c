#!/usr/bin/env python3
"""Python side of the training benchmark: images/s of the AU model's training step (forward,
the weighted BCE + multilabel loss, backward, SGD) on random data in one process, on the CPU or
a CUDA GPU, optionally with autocast, channels_last and torch.compile: the PyTorch peer of
au_bench_train. Needs only torch.
Prints 'python <depth> <batch> 1 <threads> <images/s> <device> <precision> <eager|compiled>'."""
import argparse
import os
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../tests/model"))
from au_net_reference import AuNet  # noqa: E402
from peer_device import DTYPES, add_device_options, apply_device_options  # noqa: E402

AU_WEIGHTS = [1, 2, 1, 1, 1, 1, 1, 6, 6, 5, 1, 5]


def loss_fn(logits, labels, weights, eps=0.1):
    target = labels * (1 - eps) + eps / 2
    # In fp32 whatever autocast gave the logits, as au::train::auLoss does.
    entry = F.binary_cross_entropy_with_logits(logits.float(), target, reduction="none") * weights
    return entry.mean() + entry.mean(1).mean()


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--depth", type=int, default=100)
    p.add_argument("--batch", type=int, default=8)
    p.add_argument("--steps", type=int, default=3)
    p.add_argument("--warmup", type=int, default=1)
    p.add_argument("--threads", type=int, default=1)
    add_device_options(p)
    p.add_argument("--profile", action="store_true",
                   help="after timing, profile 3 steps and print the operators by device time to stderr")
    a = p.parse_args()
    device, layout = apply_device_options(p, a)
    cuda = device.type == "cuda"
    torch.manual_seed(0)
    model = AuNet(a.depth).to(device, memory_format=layout)
    sgd = torch.optim.SGD(model.parameters(), lr=0.001, momentum=0.9, weight_decay=5e-4)
    net = torch.compile(model) if a.compile else model
    torch.manual_seed(1)
    x = (torch.rand(a.batch, 3, 112, 112) * 2 - 1).to(device, memory_format=layout)
    labels = torch.randint(0, 2, (a.batch, 12)).float().to(device)
    weights = torch.tensor(AU_WEIGHTS, dtype=torch.float32, device=device)

    def sync():  # CUDA runs asynchronously: the clock must wait for the GPU
        if cuda:
            torch.cuda.synchronize(device)

    def step():
        sgd.zero_grad(set_to_none=True)
        with torch.autocast(device.type, dtype=DTYPES[a.precision], enabled=a.precision != "fp32"):
            loss = loss_fn(net(x), labels, weights)
        loss.backward()  # outside autocast, as PyTorch recommends; it reuses the forward's dtypes
        sgd.step()

    model.train()
    start = time.perf_counter()
    for i in range(a.warmup + a.steps):
        if i == a.warmup:
            sync()
            start = time.perf_counter()
        step()
    sync()
    rate = a.batch * a.steps / (time.perf_counter() - start)
    if a.profile:  # where the step's time goes: what to fuse or replace first
        from torch.profiler import ProfilerActivity, profile
        activities = [ProfilerActivity.CPU] + ([ProfilerActivity.CUDA] if cuda else [])
        with profile(activities=activities) as prof:
            for _ in range(3):
                step()
            sync()
        key = "self_cuda_time_total" if cuda else "self_cpu_time_total"
        print(prof.key_averages().table(sort_by=key, row_limit=30), file=sys.stderr)
    mode = "compiled" if a.compile else "eager"
    print(f"python {a.depth} {a.batch} 1 {a.threads} {rate:.3f} {device} {a.precision} {mode}")


if __name__ == "__main__":
    main()
