"""Saves optimizer steps and learning-rate schedules computed by PyTorch, for tests/Facemoji.Engine.Tests/Optim.

Run with Debian's interpreter: /usr/bin/python3 tools/make_optim_fixtures.py
Writes tests/Facemoji.Engine.Tests/Fixtures/optim_sgd.fix, optim_adamw.fix and optim_schedules.fix.
"""
import math
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixture_io import write_fixture  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "Facemoji.Engine.Tests", "Fixtures")

# Parameters of several sizes (below and above a SIMD vector's width, with tails) in two groups: the first
# decays, the second (biases, BatchNorm affine) does not.
SHAPES = {"w0": (4, 6), "w1": (3, 37), "b0": (5,), "b1": (19,)}
DECAYED = ["w0", "w1"]
STEPS = 3
LEARNING_RATES = [0.05, 0.04, 0.03]


def make_parameters(generator):
    return {name: torch.nn.Parameter(torch.randn(shape, generator=generator)) for name, shape in SHAPES.items()}


def run(name, make_optimizer, learning_rates):
    generator = torch.Generator().manual_seed(1234)
    params = make_parameters(generator)
    entries = {}
    for key, p in params.items():
        entries[f"{key}.initial"] = p.detach().clone()
    optimizer = make_optimizer(params)
    for step in range(STEPS):
        for group in optimizer.param_groups:
            group["lr"] = learning_rates[step]
        for key, p in params.items():
            # A different gradient each step, with a spread of magnitudes.
            p.grad = torch.randn(p.shape, generator=generator) * (0.5 + step)
            entries[f"{key}.grad.{step}"] = p.grad.detach().clone()
        optimizer.step()
        for key, p in params.items():
            entries[f"{key}.after.{step}"] = p.detach().clone()
    entries["learning_rates"] = torch.tensor(learning_rates, dtype=torch.float64)
    write_fixture(os.path.join(OUT, name), entries)


def groups(params, weight_decay):
    return [
        {"params": [params[k] for k in SHAPES if k in DECAYED], "weight_decay": weight_decay},
        {"params": [params[k] for k in SHAPES if k not in DECAYED], "weight_decay": 0.0},
    ]


def record(scheduler_factory, steps, base_lr):
    p = torch.nn.Parameter(torch.zeros(1))
    optimizer = torch.optim.SGD([p], lr=base_lr)
    scheduler = scheduler_factory(optimizer)
    lrs = []
    for _ in range(steps):
        lrs.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
    return torch.tensor(lrs, dtype=torch.float64)


def cosine_warmup_lambda(peak, warmup, total, floor):
    def factor(step):
        if step < warmup:
            lr = peak * step / warmup
        else:
            progress = min(1.0, (step - warmup) / max(1, total - warmup))
            lr = floor + (peak - floor) * 0.5 * (1 + math.cos(math.pi * progress))
        return lr / peak
    return factor


def clipping():
    generator = torch.Generator().manual_seed(99)
    entries = {}
    for case, max_norm in (("clipped", 1.5), ("unclipped", 1e3)):
        params = make_parameters(generator)
        for key, p in params.items():
            p.grad = torch.randn(p.shape, generator=generator)
            entries[f"{case}.{key}.grad"] = p.grad.detach().clone()
        total = torch.nn.utils.clip_grad_norm_(list(params.values()), max_norm)
        entries[f"{case}.max_norm"] = torch.tensor([max_norm], dtype=torch.float64)
        entries[f"{case}.total"] = total.detach().reshape(1)
        for key, p in params.items():
            entries[f"{case}.{key}.after"] = p.grad.detach().clone()
    return entries


def main():
    torch.set_num_threads(1)
    run("optim_sgd.fix",
        lambda params: torch.optim.SGD(groups(params, 1e-4), lr=0.05, momentum=0.9, nesterov=True),
        LEARNING_RATES)
    run("optim_sgd_plain.fix",
        lambda params: torch.optim.SGD(groups(params, 1e-4), lr=0.05, momentum=0.9, dampening=0.1),
        LEARNING_RATES)
    run("optim_adamw.fix",
        lambda params: torch.optim.AdamW(groups(params, 0.05), lr=1e-2, betas=(0.9, 0.999), eps=1e-8),
        [1e-2, 8e-3, 5e-3])

    entries = {}
    entries["cosine.lr"] = record(
        lambda o: torch.optim.lr_scheduler.LambdaLR(o, cosine_warmup_lambda(0.1, 5, 30, 1e-3)), 34, 0.1)
    write_fixture(os.path.join(OUT, "optim_schedules.fix"), entries)
    write_fixture(os.path.join(OUT, "optim_clip.fix"), clipping())
    print("wrote optim fixtures to", os.path.normpath(OUT))


if __name__ == "__main__":
    main()
