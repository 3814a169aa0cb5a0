#!/usr/bin/env python3
"""Does `facemoji serve` give memory back after the largest allowed images?

    dist/facemoji serve --urls http://127.0.0.1:5173 &
    python3 tools/server_memory_return.py --url http://127.0.0.1:5173 --size 7000 --parallel 4

Reads the server's resident memory (/api/health rssBytes) as the baseline, posts PARALLEL crafted SIZExSIZE RGBA
PNGs at once to /api/analyze (all-zero pixels: a few hundred KB each, so the 10 MB body limit lets them through),
then samples the memory every second for 30 s. The floor of docs/SECURITY.md: within 30 s the server is back
within 100 MB of its baseline. Exit code 0 when it is, 1 when it is not.
"""
import argparse
import http.client
import json
import os
import sys
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from memory_peak import crafted_png  # noqa: E402


def rss(host, port):
    connection = http.client.HTTPConnection(host, port, timeout=60)
    connection.request("GET", "/api/health")
    value = json.loads(connection.getresponse().read())["rssBytes"]
    connection.close()
    return value


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="http://127.0.0.1:5173")
    parser.add_argument("--size", type=int, default=7000, help="side in pixels (7000: 49 MP, under the 50 MP limit)")
    parser.add_argument("--depth", type=int, default=8, choices=[8, 16])
    parser.add_argument("--parallel", type=int, default=4)
    args = parser.parse_args()
    target = urllib.parse.urlparse(args.url)
    host, port = target.hostname, target.port or 80

    path = f"/tmp/facemoji-large-{os.getpid()}.png"
    crafted_png(path, args.size, args.size, args.depth)
    with open(path, "rb") as f:
        body = f.read()
    os.remove(path)

    baseline = rss(host, port)
    statuses = []

    def post():
        connection = http.client.HTTPConnection(host, port, timeout=300)
        connection.request("POST", "/api/analyze", body=body, headers={"Content-Type": "image/png"})
        response = connection.getresponse()
        response.read()
        statuses.append(response.status)
        connection.close()

    threads = [threading.Thread(target=post) for _ in range(args.parallel)]
    peak = baseline
    for t in threads:
        t.start()
    while any(t.is_alive() for t in threads):
        peak = max(peak, rss(host, port))
        time.sleep(0.5)
    done = time.monotonic()
    samples = []
    while time.monotonic() - done < 30:
        time.sleep(1)
        samples.append(rss(host, port))
    peak = max([peak] + samples)
    back = next((i + 1 for i, value in enumerate(samples) if value - baseline <= 100 * 2**20), None)
    print(f"{args.parallel} x {args.size}x{args.size} {args.depth}-bit ({len(body)} bytes each): statuses {sorted(statuses)}")
    print(f"RSS: baseline {baseline / 2**20:.0f} MB, peak {peak / 2**20:.0f} MB, after 30 s {samples[-1] / 2**20:.0f} MB; "
          + (f"within 100 MB of the baseline after {back} s" if back else "NOT back within 100 MB in 30 s"))
    return 0 if back else 1


if __name__ == "__main__":
    raise SystemExit(main())
