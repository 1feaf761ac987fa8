"""Writes BENCHMARKS.md (to stdout) from one run of specimen-bench.

Usage: benchmarks-markdown.py OUTPUT_FILE STARTED_AT AREAS
The areas' descriptions are the doc comments of Sources/specimen-bench/*Benchmark.swift; the
machine and the peers' versions are read here, now; the figures are the run's own lines.
"""
import importlib.metadata
import os
import platform
import re
import subprocess
import sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
output_path, started, requested = sys.argv[1], sys.argv[2], sys.argv[3]

main = open(os.path.join(root, "Sources/specimen-bench/main.swift")).read()
order = re.findall(r'\("([\w-]+)", (\w+)\.run\)', main)


def description(type_name):
    """The doc comment above `enum <type_name>` in its file, without the slashes."""
    path = os.path.join(root, "Sources/specimen-bench", type_name + ".swift")
    lines = open(path).read().splitlines()
    for index, line in enumerate(lines):
        if re.match(r"(enum|struct) " + type_name + r"\b", line):
            block = []
            for earlier in reversed(lines[:index]):
                if not earlier.startswith("///"):
                    break
                block.insert(0, earlier[3:].removeprefix(" "))
            return "\n".join(block)
    return ""


sections = {}
current = None
for line in open(output_path).read().splitlines():
    match = re.match(r"== ([\w-]+)$", line)
    if match:
        current = match.group(1)
        sections[current] = []
    elif current:
        sections[current].append(line)


def cpu_model():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def memory():
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal"):
                return f"{int(line.split()[1]) / 1024 / 1024:.0f} GiB"
    except OSError:
        pass
    return "unknown"


def version(package):
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


swift = subprocess.run(["swift", "--version"], capture_output=True, text=True).stdout.splitlines()
print("# Benchmarks\n")
print("Written by `scripts/benchmarks` from one run of `specimen-bench` (release build); never edited by hand.")
print("Every figure compares ours with its peer on the same data in the same run; whole processes where a user runs a command.\n")
print(f"- Run started: {started}" + (f" (areas: {requested})" if requested else " (every area)"))
print(f"- Machine: {os.cpu_count()} cores, {cpu_model()}, {memory()} of memory, {platform.system()} {platform.release()}")
print(f"- Swift: {swift[0] if swift else 'unknown'}")
print(f"- Python {platform.python_version()} peers: " + ", ".join(
    f"{name} {version(name)}" for name in ["pyarrow", "polars", "duckdb", "pandas", "fastparquet", "msgpack", "cramjam"]))
print()
for name, type_name in order:
    if name not in sections:
        continue
    print(f"## `{name}`\n")
    print(description(type_name) + "\n")
    print("```")
    print("\n".join(line.rstrip() for line in sections[name]).strip("\n"))
    print("```\n")
