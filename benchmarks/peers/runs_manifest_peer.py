"""Peer of the `runs` benchmark area: Python's msgpack loop over every run manifest.

    runs_manifest_peer.py <specimen>

Lists <specimen>/runs/, reads and decodes each manifest.msgpack with msgpack, keeps the runs
where params.lr < 0.002 and status == "completed" and metrics.loss.last < 0.2 (the `runs`
area's --where), and sorts them by that loss: what `specimen runs` does without its catalog.
Prints the median seconds of 3 repetitions (after a warm-up), timed inside Python.
"""
import os
import sys
import time

import msgpack


def query(specimen):
    runs = os.path.join(specimen, "runs")
    selected = []
    with os.scandir(runs) as entries:
        names = sorted(e.name for e in entries if not e.name.startswith("."))
    for name in names:
        with open(os.path.join(runs, name, "manifest.msgpack"), "rb") as f:
            m = msgpack.unpackb(f.read())
        lr = m.get("params", {}).get("lr")
        loss = m.get("metrics", {}).get("summary", {}).get("loss", {}).get("last")
        if isinstance(lr, (int, float)) and lr < 0.002 and m.get("status") == "completed" \
                and isinstance(loss, (int, float)) and loss < 0.2:
            selected.append((loss, name, m))
    selected.sort(key=lambda item: item[0])
    return len(selected)


def main():
    specimen = sys.argv[1]
    query(specimen)
    samples = []
    for _ in range(3):
        start = time.perf_counter()
        query(specimen)
        samples.append(time.perf_counter() - start)
    samples.sort()
    print(samples[len(samples) // 2])


if __name__ == "__main__":
    main()
