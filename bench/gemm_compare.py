#!/usr/bin/python3
"""Side-by-side SGEMM: `facemoji bench gemm` (ours) against numpy / OpenBLAS, in one invocation.

    /usr/bin/python3 bench/gemm_compare.py [--quick] [--shapes all|squares|conv] [--filter TEXT] [--rounds 3]
                                           [--threads 1,2] [--facemoji PATH]

The machine is shared, so the two sides are interleaved as finely as possible: for every shape and thread count
it runs ours and numpy back to back (in separate processes: OpenBLAS fixes its thread count when it loads),
swapping which goes first each round, and keeps each side's median over the rounds. It prints a Markdown table
of GFLOP/s and the ratio ours / numpy. Build the CLI first (`dotnet build src/Facemoji.Cli -c Release`).
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bench"))
import gemm_numpy  # noqa: E402  (the shape list, shared with the reference)

CANDIDATES = [os.path.join(ROOT, "dist", "facemoji"),
              os.path.join(ROOT, "src", "Facemoji.Cli", "bin", "Release", "net10.0", "facemoji")]


def run_json(command):
    return json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)


def load_average():
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--shapes", default="all", choices=["all", "squares", "conv"])
    parser.add_argument("--filter", help="only the shapes whose name contains this text")
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--facemoji", default=next((p for p in CANDIDATES if os.path.exists(p)), None))
    args = parser.parse_args()
    if not args.facemoji or not os.path.exists(args.facemoji):
        sys.exit("facemoji not built: run `dotnet build src/Facemoji.Cli -c Release` (or give --facemoji PATH)")

    timing = ["--quick"] if args.quick else []
    ours, theirs = {}, {}
    machine = kernel = openblas = None
    loads = []
    shapes = gemm_numpy.shapes(args.shapes, args.filter)
    for round_index in range(args.rounds):
        for name, op, m, n, k in shapes:
            for threads in [int(t) for t in args.threads.split(",")]:
                loads.append(load_average())
                mine_command = [args.facemoji, "bench", "gemm", "--json", "--threads", str(threads),
                                "--filter", name] + timing
                numpy_command = [sys.executable, os.path.join(ROOT, "bench", "gemm_numpy.py"), "--json",
                                 "--threads", str(threads), "--filter", name] + timing
                sides = [("ours", mine_command), ("numpy", numpy_command)]
                for side, command in sides if round_index % 2 == 0 else reversed(sides):
                    result = run_json(command)
                    if side == "ours":
                        machine, kernel = result["machine"], result["kernel"]
                        (row,) = [r for r in result["results"] if r["shape"] == name]
                        ours.setdefault((name, threads), []).append(row["gflops"])
                    else:
                        openblas = result["openblas"]
                        (row,) = [r for r in result["runs"] if r["shape"] == name]
                        theirs.setdefault((name, threads), []).append(row["gflops"])

    print(f"Machine: {machine['cpu']}, {machine['cores']} cores, {machine['runtime']}, our kernel {kernel}")
    print(f"Reference: numpy {openblas.get('numpy')}, {openblas.get('config')} (core {openblas.get('corename')}, "
          f"{openblas.get('parallel')}), via {openblas.get('libblas')}")
    print(f"1-minute load average during the run: min {min(loads):.1f}, median {statistics.median(loads):.1f}, "
          f"max {max(loads):.1f} ({args.rounds} round(s), {'quick' if args.quick else 'full'} timing; "
          f"GFLOP/s are medians over the rounds of each run's median)")
    print()
    print("| shape | op | M | N | K | threads | ours GFLOP/s | numpy GFLOP/s | ours / numpy |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    ratios = []
    dims = {name: (op, m, n, k) for name, op, m, n, k in shapes}
    for threads in [int(t) for t in args.threads.split(",")]:
        for name, _, _, _, _ in shapes:
            mine = statistics.median(ours[(name, threads)])
            reference = statistics.median(theirs[(name, threads)])
            ratios.append(mine / reference)
            op, m, n, k = dims[name]
            print(f"| {name} | {op} | {m} | {n} | {k} | {threads} | {mine:.1f} | {reference:.1f} | {mine / reference:.2f} |")
    print()
    print(f"Geometric mean of ours / numpy over {len(ratios)} rows: {statistics.geometric_mean(ratios):.2f}")


if __name__ == "__main__":
    main()
