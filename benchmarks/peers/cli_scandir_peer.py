"""Peer of the `cli` benchmark area: a bare os.scandir of every specimen's run folders.

    cli_scandir_peer.py <root>             every <root>/<specimen>/runs/ (view --all's tree)
    cli_scandir_peer.py <root> --one NAME  one specimen's runs/
    cli_scandir_peer.py <root> --manifests NAME  one specimen's runs/, and every run's
                                           manifest.msgpack decoded with msgpack (what view reads)

Prints the median seconds of 7 repetitions (after a warm-up), timed inside Python: names of
the run folders only, no file opened — the floor under any listing.
"""
import os
import sys
import time


def scan(root, only=None, manifests=False):
    if manifests:
        import msgpack
        runs = os.path.join(root, only, "runs")
        count = 0
        with os.scandir(runs) as entries:
            for e in entries:
                if e.name.startswith("."):
                    continue
                with open(os.path.join(runs, e.name, "manifest.msgpack"), "rb") as f:
                    count += len(msgpack.unpackb(f.read()))
        return count
    count = 0
    names = [only] if only else [e.name for e in os.scandir(root) if e.is_dir() and not e.name.startswith(".")]
    for name in names:
        with os.scandir(os.path.join(root, name, "runs")) as entries:
            count += sum(1 for e in entries if not e.name.startswith("."))
    return count


def main():
    root = sys.argv[1]
    only = sys.argv[3] if len(sys.argv) > 3 and sys.argv[2] in ("--one", "--manifests") else None
    manifests = len(sys.argv) > 2 and sys.argv[2] == "--manifests"
    scan(root, only, manifests)
    samples = []
    for _ in range(7):
        start = time.perf_counter()
        scan(root, only, manifests)
        samples.append(time.perf_counter() - start)
    samples.sort()
    print(samples[len(samples) // 2])


if __name__ == "__main__":
    main()
