#!/usr/bin/env python3
"""Load test of POST /api/analyze: CLIENTS threads post the same photo for SECONDS against a running server.

    dist/facemoji serve --urls http://127.0.0.1:5173 &
    python3 tools/load_analyze.py --url http://127.0.0.1:5173 --clients 8 --seconds 60 --image third_party/skimage/astronaut.png

Prints requests per second, errors (any status but 200, or a failed connection), latency percentiles, and the
server's resident memory (/api/health rssBytes) before, during (peak of samples every 2 s) and after the run, and
the server's own medians per stage from its Server-Timing header (read body, wait for an analyzer, decode,
analyze = detect + classify): "wait" large while the CPU is not saturated means requests queue for nothing.
Only the standard library; the server must be on a loopback address. Exit code 1 when any request failed.
"""
import argparse
import http.client
import json
import threading
import time
import urllib.parse


def health_rss(host, port):
    connection = http.client.HTTPConnection(host, port, timeout=30)
    connection.request("GET", "/api/health")
    body = json.loads(connection.getresponse().read())
    connection.close()
    return body["rssBytes"]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="http://127.0.0.1:5173")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--image", default="third_party/skimage/astronaut.png")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    args = parser.parse_args()

    target = urllib.parse.urlparse(args.url)
    host, port = target.hostname, target.port or 80
    with open(args.image, "rb") as f:
        photo = f.read()
    content_type = "image/png" if photo.startswith(b"\x89PNG") else "image/jpeg"

    latencies, errors, lock, stages = [], [], threading.Lock(), {}
    deadline = time.monotonic() + args.seconds
    rss_before = health_rss(host, port)
    rss_samples = [rss_before]

    def client():
        connection = http.client.HTTPConnection(host, port, timeout=60)
        while time.monotonic() < deadline:
            start = time.monotonic()
            try:
                connection.request("POST", "/api/analyze", body=photo, headers={"Content-Type": content_type})
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
                timing = response.getheader("Server-Timing")
                if ok and timing:
                    with lock:
                        for part in timing.split(","):
                            stage, _, duration = part.strip().partition(";dur=")
                            stages.setdefault(stage, []).append(float(duration))
                problem = None if ok else f"HTTP {response.status}"
            except (OSError, http.client.HTTPException) as e:
                problem = f"{type(e).__name__}: {e}"
                connection.close()
                connection = http.client.HTTPConnection(host, port, timeout=60)
            elapsed = time.monotonic() - start
            with lock:
                if problem:
                    errors.append(problem)
                else:
                    latencies.append(elapsed)
        connection.close()

    threads = [threading.Thread(target=client, daemon=True) for _ in range(args.clients)]
    began = time.monotonic()
    for t in threads:
        t.start()
    while any(t.is_alive() for t in threads):
        time.sleep(2)
        try:
            rss_samples.append(health_rss(host, port))
        except OSError:
            pass
    wall = time.monotonic() - began
    time.sleep(1)
    rss_after = health_rss(host, port)

    latencies.sort()
    def pct(p):
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000 if latencies else float("nan")
    result = {
        "clients": args.clients, "seconds": round(wall, 1), "requests": len(latencies), "errors": len(errors),
        "requestsPerSecond": round(len(latencies) / wall, 2), "p50Ms": round(pct(0.5), 1), "p95Ms": round(pct(0.95), 1),
        "rssBeforeMb": round(rss_before / 2**20), "rssPeakMb": round(max(rss_samples) / 2**20), "rssAfterMb": round(rss_after / 2**20),
        "firstErrors": sorted(set(errors))[:5],
        "serverMedianMs": {stage: round(sorted(values)[len(values) // 2], 1) for stage, values in stages.items()},
    }
    if args.json:
        print(json.dumps(result))
    else:
        print(f"{result['requests']} requests in {result['seconds']} s from {args.clients} clients: {result['requestsPerSecond']} req/s, "
              f"{result['errors']} errors, p50 {result['p50Ms']} ms, p95 {result['p95Ms']} ms")
        print(f"server RSS: {result['rssBeforeMb']} MB before, {result['rssPeakMb']} MB peak, {result['rssAfterMb']} MB after")
        if result["serverMedianMs"]:
            print("server time, median ms (Server-Timing): " + ", ".join(f"{k} {v}" for k, v in result["serverMedianMs"].items()))
        for e in result["firstErrors"]:
            print(f"  error: {e}")
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
