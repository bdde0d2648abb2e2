"""``xlsuite serve`` under load: CLIENTS clients post the sample for SECONDS, against the same
action run in-process in the same run.

    python benchmarks/serve.py [--clients 50] [--seconds 60] [--action validate]

Starts ``xlsuite serve`` on 127.0.0.1 (one process, as a county runs it), then CLIENTS threads
each post the sample's payload, wait for the edits and post again, until SECONDS have passed.
Prints the requests answered, errors (any non-200, any connection failure), p50 / p95 / max
latency, and the ratio of p50 to the in-process time of the same action on this machine (the
queueing the server adds: with C clients on a server running N actions at once, about C / N).
Target: no error at 50 clients.
"""

from __future__ import annotations

import argparse
import copy
import json
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))


def in_process_seconds(payload: dict, action: str, rounds: int = 5) -> float:
    from xlsuite.excel import actions
    from xlsuite.excel.host import HostBook

    times = []
    for _ in range(rounds):
        book = HostBook(copy.deepcopy(payload))
        started = time.perf_counter()
        actions.run(book, actions.ACTIONS[action])
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--action", default="validate", choices=("validate", "score", "forms"))
    args = parser.parse_args()

    import host_books

    payload = host_books.payload_from_file(REPO / "workbook_templates" / "samples" / "永昌县工信局-2021.xlsx")
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    baseline = in_process_seconds(payload, args.action)

    server = subprocess.Popen([sys.executable, "-m", "xlsuite", "serve", "--port", "0"],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        line = server.stdout.readline()
        base = "http://" + line.split("http://", 1)[1].split("/", 1)[0]
        url = f"{base}/api/{args.action}"
        latencies: list[float] = []
        errors: list[str] = []
        lock = threading.Lock()
        deadline = time.monotonic() + args.seconds

        def client() -> None:
            while time.monotonic() < deadline:
                request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
                started = time.perf_counter()
                try:
                    with urllib.request.urlopen(request, timeout=120) as response:
                        response.read()
                        ok = response.status == 200
                except (urllib.error.URLError, OSError) as exc:
                    ok, reason = False, str(exc)
                elapsed = time.perf_counter() - started
                with lock:
                    if ok:
                        latencies.append(elapsed)
                    else:
                        errors.append(reason)

        threads = [threading.Thread(target=client) for _ in range(args.clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        server.terminate()
        server.wait(timeout=30)

    latencies.sort()
    p50 = statistics.median(latencies) if latencies else float("nan")
    p95 = latencies[int(len(latencies) * 0.95) - 1] if latencies else float("nan")
    print(f"{args.clients} clients, {args.seconds:g} s, {args.action} on the sample: {len(latencies)} answered, "
          f"{len(errors)} errors")
    print(f"latency p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, max {latencies[-1] * 1000 if latencies else 0:.0f} ms; "
          f"in-process {baseline * 1000:.0f} ms; p50 / in-process = {p50 / baseline:.1f}")
    if errors:
        print("first error:", errors[0])
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
