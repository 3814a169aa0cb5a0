#!/usr/bin/python3
"""numpy / OpenBLAS SGEMM on the shapes of `facemoji bench gemm`, as the reference for bench/gemm_compare.py.

Run with Debian's python (/usr/bin/python3, numpy linked to libblas.so.3 -> OpenBLAS pthread). The thread count
of OpenBLAS is fixed when the library loads, so each thread count runs in its own subprocess with
OPENBLAS_NUM_THREADS set:
    /usr/bin/python3 bench/gemm_numpy.py --threads 1,2 [--quick] [--shapes all|squares|conv] [--json]
Timing mirrors src/Facemoji.Benchmarks/Gemm/GemmBenchmark.cs: warm-up, then samples of enough calls to last a
minimum time, and the median sample per call.
"""
import argparse
import ctypes
import json
import os
import statistics
import subprocess
import sys
import time

VGG_BATCH = 64


def shapes(which, name_filter=None):
    """(name, op, m, n, k) in the order of GemmShapes.cs; op 'NT' means B transposed, 'TN' A transposed."""
    squares = [(f"square {s}", "NN", s, s, s) for s in (256, 512, 1024)]
    conv = []
    cin, layer = 1, 1
    for channels, size in ((32, 48), (64, 24), (128, 12), (256, 6)):
        for _ in range(2):
            depth, pixels = cin * 9, VGG_BATCH * size * size
            name = f"conv{layer} {cin}->{channels} @{size}"
            conv.append((f"{name} fwd", "NN", channels, pixels, depth))
            conv.append((f"{name} dW", "NT", channels, depth, pixels))
            if layer > 1:
                conv.append((f"{name} dcol", "TN", depth, pixels, channels))
            cin, layer = channels, layer + 1
    selected = {"squares": squares, "conv": conv, "all": squares + conv}[which]
    return [s for s in selected if name_filter is None or name_filter.lower() in s[0].lower()]


def openblas_info():
    """Which BLAS numpy really calls: the library behind libblas.so.3 and, if it is OpenBLAS, its config."""
    import numpy as np
    info = {"numpy": np.__version__, "libblas": os.path.realpath("/usr/lib/x86_64-linux-gnu/libblas.so.3")}
    try:
        lib = ctypes.CDLL("libblas.so.3")
        for name in ("openblas_get_config", "openblas_get_corename"):
            fn = getattr(lib, name)
            fn.restype = ctypes.c_char_p
            info[name.replace("openblas_get_", "")] = fn().decode()
        lib.openblas_get_num_threads.restype = ctypes.c_int
        info["threads"] = lib.openblas_get_num_threads()
        lib.openblas_get_parallel.restype = ctypes.c_int
        info["parallel"] = {0: "sequential", 1: "pthread", 2: "openmp"}.get(lib.openblas_get_parallel(), "?")
    except (OSError, AttributeError) as error:
        info["error"] = f"not OpenBLAS? {error}"
    return info


def measure(which, name_filter, quick):
    import numpy as np
    warmup_calls, warmup_seconds, samples, sample_seconds = (1, 0.02, 3, 0.02) if quick else (2, 0.3, 7, 0.1)
    rng = np.random.default_rng(1)
    results = []
    for name, op, m, n, k in shapes(which, name_filter):
        a = rng.uniform(-1, 1, (k, m) if op[0] == "T" else (m, k)).astype(np.float32)
        b = rng.uniform(-1, 1, (n, k) if op[1] == "T" else (k, n)).astype(np.float32)
        a_op = a.T if op[0] == "T" else a
        b_op = b.T if op[1] == "T" else b
        c = np.empty((m, n), dtype=np.float32)

        def call():
            np.matmul(a_op, b_op, out=c)

        start = time.perf_counter()
        done = 0
        while done < warmup_calls or time.perf_counter() - start < warmup_seconds:
            call()
            done += 1
        start = time.perf_counter()
        call()
        single = max(time.perf_counter() - start, 1e-7)
        calls = int(min(max(-(-sample_seconds // single), 1), 100_000))
        times = []
        for _ in range(samples):
            start = time.perf_counter()
            for _ in range(calls):
                call()
            times.append((time.perf_counter() - start) / calls)
        median = statistics.median(times)
        results.append({"shape": name, "op": op, "m": m, "n": n, "k": k, "median_seconds": median,
                        "best_seconds": min(times), "gflops": round(2.0 * m * n * k / median / 1e9, 2)})
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", default="1,2", help="comma-separated OpenBLAS thread counts")
    parser.add_argument("--shapes", default="all", choices=["all", "squares", "conv"])
    parser.add_argument("--filter", help="only the shapes whose name contains this text")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.worker:
        # Inside the subprocess: OPENBLAS_NUM_THREADS was set before numpy loaded OpenBLAS.
        json.dump({"openblas": openblas_info(), "results": measure(args.shapes, args.filter, args.quick)}, sys.stdout)
        return

    output = {"benchmark": "gemm-numpy", "quick": args.quick, "runs": []}
    for threads in [int(t) for t in args.threads.split(",")]:
        env = dict(os.environ, OPENBLAS_NUM_THREADS=str(threads), OMP_NUM_THREADS=str(threads))
        command = [sys.executable, os.path.abspath(__file__), "--worker", "--shapes", args.shapes]
        if args.quick:
            command.append("--quick")
        if args.filter:
            command += ["--filter", args.filter]
        run = json.loads(subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout)
        if run["openblas"].get("threads") not in (None, threads):
            sys.exit(f"OpenBLAS runs {run['openblas']['threads']} threads, not {threads}")
        for result in run["results"]:
            result["threads"] = threads
        output["openblas"] = run["openblas"]
        output["runs"].extend(run["results"])

    if args.json:
        json.dump(output, sys.stdout, indent=1)
        print()
    else:
        print(f"numpy {output['openblas'].get('numpy')} with {output['openblas']}")
        for r in output["runs"]:
            print(f"{r['shape']:<26} {r['op']} {r['m']:>6} {r['n']:>7} {r['k']:>7} {r['threads']:>2} threads "
                  f"{r['median_seconds'] * 1e3:9.3f} ms {r['gflops']:8.1f} GFLOP/s")


if __name__ == "__main__":
    main()
