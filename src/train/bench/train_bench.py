#!/usr/bin/env python3
"""Python side of the training benchmark: images/s of the AU model's training step (forward,
the weighted BCE + multilabel loss, backward, SGD) on random data in one process.
Prints 'python <depth> <batch> 1 <threads> <images/s>'."""
import argparse
import os
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../tests/model"))
from au_net_reference import AuNet  # noqa: E402

WEIGHTS = torch.tensor([1, 2, 1, 1, 1, 1, 1, 6, 6, 5, 1, 5], dtype=torch.float32)


def loss_fn(logits, labels, eps=0.1):
    target = labels * (1 - eps) + eps / 2
    entry = F.binary_cross_entropy_with_logits(logits, target, reduction="none") * WEIGHTS
    return entry.mean() + entry.mean(1).mean()


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--depth", type=int, default=100)
    p.add_argument("--batch", type=int, default=8)
    p.add_argument("--steps", type=int, default=3)
    p.add_argument("--warmup", type=int, default=1)
    p.add_argument("--threads", type=int, default=1)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    model = AuNet(a.depth)
    sgd = torch.optim.SGD(model.parameters(), lr=0.001, momentum=0.9, weight_decay=5e-4)
    torch.manual_seed(1)
    x = torch.rand(a.batch, 3, 112, 112) * 2 - 1
    labels = torch.randint(0, 2, (a.batch, 12)).float()
    model.train()
    for step in range(a.warmup + a.steps):
        if step == a.warmup:
            start = time.perf_counter()
        sgd.zero_grad(set_to_none=True)
        loss_fn(model(x), labels).backward()
        sgd.step()
    rate = a.batch * a.steps / (time.perf_counter() - start)
    print(f"python {a.depth} {a.batch} 1 {a.threads} {rate:.3f}")


if __name__ == "__main__":
    main()
