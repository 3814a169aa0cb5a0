#!/usr/bin/python3
"""Side-by-side SGEMM: `facemoji bench gemm` (ours) against numpy / OpenBLAS, in one invocation.

    /usr/bin/python3 bench/gemm_compare.py [--quick] [--shapes all|squares|conv] [--rounds 2] [--facemoji PATH]

For each round and each thread count (1 and 2) it runs ours, then numpy, back to back, so that both see the
same load on a shared machine; with several rounds it keeps each side's median over the rounds. It prints a
Markdown table of GFLOP/s and the ratio ours / numpy per shape and thread count. Build the CLI first
(`dotnet build src/Facemoji.Cli -c Release` or `make build`).
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CANDIDATES = [os.path.join(ROOT, "dist", "facemoji"),
              os.path.join(ROOT, "src", "Facemoji.Cli", "bin", "Release", "net10.0", "facemoji")]


def run_json(command, env=None):
    completed = subprocess.run(command, check=True, capture_output=True, text=True, env=env)
    return json.loads(completed.stdout)


def load_average():
    with open("/proc/loadavg") as f:
        return f.read().split()[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--shapes", default="all", choices=["all", "squares", "conv"])
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--facemoji", default=next((p for p in CANDIDATES if os.path.exists(p)), None))
    args = parser.parse_args()
    if not args.facemoji or not os.path.exists(args.facemoji):
        sys.exit("facemoji not built: run `dotnet build src/Facemoji.Cli -c Release` (or give --facemoji PATH)")

    ours, theirs = {}, {}
    machine, openblas, loads = None, None, []
    for _ in range(args.rounds):
        for threads in [int(t) for t in args.threads.split(",")]:
            loads.append(load_average())
            command = [args.facemoji, "bench", "gemm", "--json", "--threads", str(threads), "--shapes", args.shapes]
            mine = run_json(command + (["--quick"] if args.quick else []))
            machine = mine["machine"]
            kernel = mine["kernel"]
            for r in mine["results"]:
                ours.setdefault((r["shape"], r["threads"]), []).append(r["gflops"])
            command = [sys.executable, os.path.join(ROOT, "bench", "gemm_numpy.py"), "--json",
                       "--threads", str(threads), "--shapes", args.shapes]
            reference = run_json(command + (["--quick"] if args.quick else []))
            openblas = reference["openblas"]
            for r in reference["runs"]:
                theirs.setdefault((r["shape"], r["threads"]), []).append(r["gflops"])
            loads.append(load_average())

    print(f"Machine: {machine['cpu']}, {machine['cores']} cores, {machine['runtime']}, our kernel {kernel}")
    print(f"Reference: numpy {openblas.get('numpy')}, {openblas.get('config')} (core {openblas.get('corename')}, "
          f"{openblas.get('parallel')}), via {openblas.get('libblas')}")
    print(f"1-minute load average during the run: {', '.join(loads)} ({args.rounds} round(s), "
          f"{'quick' if args.quick else 'full'} timing; GFLOP/s are medians)")
    print()
    print("| shape | op | M | N | K | threads | ours GFLOP/s | numpy GFLOP/s | ours / numpy |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    ratios = []
    for (shape, threads), values in ours.items():
        mine = statistics.median(values)
        reference = statistics.median(theirs[(shape, threads)])
        ratio = mine / reference
        ratios.append(ratio)
        m, n, k = next((r for r in [shape_dims(shape, args.shapes)] if r), (0, 0, 0))
        print(f"| {shape} | {op_of(shape)} | {m} | {n} | {k} | {threads} | {mine:.1f} | {reference:.1f} | {ratio:.2f} |")
    print()
    print(f"Geometric mean of ours / numpy over {len(ratios)} rows: {statistics.geometric_mean(ratios):.2f}")


_SHAPES = {}


def _load_shapes(which):
    if which not in _SHAPES:
        sys.path.insert(0, os.path.join(ROOT, "bench"))
        import gemm_numpy
        _SHAPES[which] = {name: (op, m, n, k) for name, op, m, n, k in gemm_numpy.shapes(which)}
    return _SHAPES[which]


def shape_dims(shape, which):
    _, m, n, k = _load_shapes("all")[shape]
    return m, n, k


def op_of(shape):
    return _load_shapes("all")[shape][0]


if __name__ == "__main__":
    main()
