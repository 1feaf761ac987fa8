"""Reads a specimen's runs from an S3 bucket with pyarrow and polars and prints what they see as JSON.

usage: s3_engines_read.py <endpoint URL> <bucket> <key prefix of the specimen>

The access key, secret and region come from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
AWS_REGION (never from the command line, so they show in no process listing), and are never
printed.

Both engines read the glob a user would write, `s3://<bucket>/<prefix>/runs/*/metrics.parquet`:

* pyarrow: `pyarrow.fs.S3FileSystem(endpoint_override=…, scheme="http", …)`; pyarrow has no S3
  globbing, so the script lists `<prefix>/runs/` recursively and keeps the keys that match the
  glob (the same rule as polars: `*` does not cross a `/`), then reads them as one
  `pyarrow.dataset` with the union of their schemas (runs may log different metrics);
* polars: `pl.scan_parquet("s3://…/runs/*/metrics.parquet", storage_options={…})` expands the
  glob; the matched files are then read as one frame with the union of their columns
  (`pl.concat(…, how="diagonal")`), since a scan takes its schema from the first file.

For each engine it prints the number of rows, the column names (sorted), the files read, and
every row as `[run_id, step, <metric columns in sorted order>]`, rows sorted by (run_id, step);
floats as their shortest round-trip text (`repr`, so a JSON parser's rounding cannot blur them), nulls as null. The `time` column is left out (its type is checked instead).
"""
import fnmatch
import json
import os
import sys

import polars as pl
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.fs as pafs

endpoint, bucket, prefix = sys.argv[1], sys.argv[2], sys.argv[3].strip("/")
key_id = os.environ["AWS_ACCESS_KEY_ID"]
secret = os.environ["AWS_SECRET_ACCESS_KEY"]
region = os.environ.get("AWS_REGION", "us-east-1")
scheme, _, host = endpoint.partition("://")
glob = f"{bucket}/{prefix}/runs/*/metrics.parquet"


def rows_of(table):
    """Rows as [run_id, step, metrics...] with the metric columns sorted by name."""
    names = sorted(name for name in table.column_names if name not in ("run_id", "step", "time"))
    columns = [table.column("run_id").to_pylist(), table.column("step").to_pylist()]
    columns += [table.column(name).to_pylist() for name in names]
    rows = [[repr(value) if isinstance(value, float) else value for value in row] for row in zip(*columns)]
    rows.sort(key=lambda row: (row[0], row[1]))
    return names, rows


def describe(table, files):
    names, rows = rows_of(table)
    return {
        "rows": table.num_rows,
        "columns": sorted(table.column_names),
        "metrics": names,
        "time_type": str(table.schema.field("time").type),
        "files": sorted(files),
        "values": rows,
    }


# pyarrow
fs = pafs.S3FileSystem(endpoint_override=host, scheme=scheme, access_key=key_id, secret_key=secret, region=region)
listed = fs.get_file_info(pafs.FileSelector(f"{bucket}/{prefix}/runs", recursive=True))
all_keys = [info.path for info in listed if info.type == pafs.FileType.File]
paths = [path for path in all_keys if fnmatch.fnmatchcase(path, glob) and path.count("/") == glob.count("/")]
fragments = [ds.dataset(path, filesystem=fs, format="parquet") for path in paths]
schema = pa.unify_schemas([fragment.schema for fragment in fragments])
arrow_table = ds.dataset(paths, schema=schema, filesystem=fs, format="parquet").to_table()
pyarrow_view = describe(arrow_table, paths)
pyarrow_view["listed_objects"] = len(all_keys)

# polars
options = {
    "aws_endpoint_url": endpoint,
    "aws_access_key_id": key_id,
    "aws_secret_access_key": secret,
    "aws_region": region,
    "aws_allow_http": "true",
}
# The glob is expanded by polars itself (the first file's schema, other columns ignored, just
# to learn which files match); then the files are read with the union of their columns.
matched = pl.scan_parquet(f"s3://{glob}", storage_options=options, extra_columns="ignore", include_file_paths="__file")
polars_files = sorted(matched.select(pl.col("__file").unique()).collect()["__file"].to_list())
frame = pl.concat([pl.scan_parquet(path, storage_options=options) for path in polars_files], how="diagonal").collect()
polars_table = frame.to_arrow()
polars_files = [path.removeprefix("s3://") for path in polars_files]
polars_view = describe(polars_table, polars_files)

print(json.dumps({"pyarrow": pyarrow_view, "polars": polars_view}))
