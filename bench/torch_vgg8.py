#!/usr/bin/python3
"""bench-vgg8 in PyTorch 1.13 (Debian's python3-torch): the reference for `facemoji bench train|infer`.

    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/torch_vgg8.py train --batch 64 --threads 2 [--quick] [--json]
    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/torch_vgg8.py infer --batch 1 --threads 1

The same network (4 stages of 2x [conv3x3 pad 1 no bias, BatchNorm, ReLU] with 32/64/128/256 channels, 2x2
max-pool after the first three stages, global average pool, dropout 0.3, linear 256->7; 1,174,439 parameters)
and the same work as src/Facemoji.Benchmarks/Networks/NetworkBenchmark.cs: a training step is forward,
cross-entropy with label smoothing 0.1, backward, SGD (momentum 0.9, nesterov, weight decay 1e-4 on conv and
linear weights only) and zero_grad; inference is a forward in eval mode under torch.inference_mode().
Timing: warm-up (at least WARMUP steps and seconds: 3 and 2 s, quick 1 and 0.5 s), then samples of at least SAMPLE seconds; the median sample per step is reported.
"""
import argparse
import json
import resource
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def bench_vgg8():
    layers, channels = [], 1
    for stage, width in enumerate([32, 64, 128, 256]):
        for _ in range(2):
            layers += [nn.Conv2d(channels, width, 3, padding=1, bias=False), nn.BatchNorm2d(width), nn.ReLU(inplace=True)]
            channels = width
        if stage < 3:
            layers.append(nn.MaxPool2d(2))
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Dropout(0.3), nn.Linear(256, 7)]
    return nn.Sequential(*layers)


def measure(step, warmup, warmup_seconds, samples, sample_seconds):
    start = time.perf_counter()
    done = 0
    while done < warmup or time.perf_counter() - start < warmup_seconds:
        step()
        done += 1
    start = time.perf_counter()
    step()
    single = max(time.perf_counter() - start, 1e-6)
    per_sample = max(1, int(-(-sample_seconds // single)))
    results = []
    for _ in range(samples):
        start = time.perf_counter()
        for _ in range(per_sample):
            step()
        results.append((time.perf_counter() - start) / per_sample)
    results.sort()
    return results[len(results) // 2], results[0], per_sample


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["train", "infer"])
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(42)
    net = bench_vgg8()
    params = sum(p.numel() for p in net.parameters())
    assert params == 1_174_439, params
    x = torch.randn(args.batch, 1, 48, 48)
    targets = torch.randint(0, 7, (args.batch,))
    warmup, warmup_seconds, samples, sample_seconds = (1, 0.5, 3, 0.2) if args.quick else (3, 2.0, 7, 1.0)

    if args.mode == "train":
        decay = [p for n, p in net.named_parameters() if p.dim() > 1]
        no_decay = [p for n, p in net.named_parameters() if p.dim() <= 1]
        optimizer = torch.optim.SGD([{"params": decay, "weight_decay": 1e-4}, {"params": no_decay, "weight_decay": 0.0}],
                                    lr=0.01, momentum=0.9, nesterov=True)
        net.train()

        def step():
            optimizer.zero_grad(set_to_none=False)
            loss = F.cross_entropy(net(x), targets, label_smoothing=0.1)
            loss.backward()
            optimizer.step()
    else:
        net.eval()

        def step():
            with torch.inference_mode():
                net(x)

    median, best, per_sample = measure(step, warmup, warmup_seconds, samples, sample_seconds)
    result = {
        "benchmark": args.mode, "framework": f"pytorch {torch.__version__}", "architecture": "bench-vgg8",
        "batch": args.batch, "threads": args.threads, "median_seconds_per_step": median, "best_seconds_per_step": best,
        "samples": samples, "steps_per_sample": per_sample, "images_per_second": round(args.batch / median, 2),
        "ms_per_image": round(median * 1e3 / args.batch, 4),
        "peak_working_set_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
    }
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"pytorch {args.mode} bench-vgg8 batch {args.batch} threads {args.threads}: "
              f"{result['images_per_second']:.1f} images/s, {result['ms_per_image']:.3f} ms/image, "
              f"peak RSS {result['peak_working_set_bytes'] / 2**20:.0f} MiB")


if __name__ == "__main__":
    main()
