"""Peer of specimen-bench's `s3` area, against the same S3 server (moto behind the tests' proxy).

    s3_peer.py list <endpoint> <key id> <secret> <bucket> <prefix>
        boto3's paginated ListObjectsV2 of <prefix> (which ends in `/`): with delimiter `/`
        (the request `specimen` sends: one entry per run) and without (every object of every
        run). Prints `boto3-delimiter <seconds> <entries>` and `boto3-all <seconds> <objects>`,
        each the median of 5 listings after a warm-up, timed inside this interpreter.

    s3_peer.py polars <endpoint> <key id> <secret> <glob> <expected rows>
        `pl.scan_parquet("s3://<glob>", storage_options=…).collect()` once, in this fresh
        interpreter (what a script reading every run once pays; imports not counted). Prints
        `polars <seconds> <CPU seconds of this process while reading, every thread>`.
"""
import statistics
import sys
import time

mode = sys.argv[1]
endpoint, key_id, secret = sys.argv[2:5]

if mode == "list":
    import boto3

    bucket, prefix = sys.argv[5:7]
    client = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=key_id, aws_secret_access_key=secret,
                          region_name="us-east-1")

    def listing(delimiter):
        count = 0
        arguments = {"Bucket": bucket, "Prefix": prefix}
        if delimiter:
            arguments["Delimiter"] = "/"
        for page in client.get_paginator("list_objects_v2").paginate(**arguments):
            count += len(page.get("Contents", [])) + len(page.get("CommonPrefixes", []))
        return count

    for name, delimiter in (("boto3-delimiter", True), ("boto3-all", False)):
        entries = listing(delimiter)  # warm-up
        samples = []
        for _ in range(5):
            start = time.perf_counter()
            listing(delimiter)
            samples.append(time.perf_counter() - start)
        print(name, f"{statistics.median(samples):.6f}", entries)
elif mode == "polars":
    import polars as pl

    glob, expected = sys.argv[5], int(sys.argv[6])
    options = {"aws_endpoint_url": endpoint, "aws_access_key_id": key_id, "aws_secret_access_key": secret,
               "aws_region": "us-east-1", "aws_allow_http": "true"}
    start, start_cpu = time.perf_counter(), time.process_time()
    frame = pl.scan_parquet(f"s3://{glob}", storage_options=options).collect()
    seconds, cpu = time.perf_counter() - start, time.process_time() - start_cpu
    if frame.height != expected:
        sys.exit(f"s3_peer: polars read {frame.height} rows, expected {expected}")
    print("polars", f"{seconds:.6f}", f"{cpu:.6f}")
else:
    sys.exit(f"s3_peer: unknown mode {mode}")
