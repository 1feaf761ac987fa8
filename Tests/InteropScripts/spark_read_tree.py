"""Reads a whole local tree of specimens with Spark (pyspark, local mode) and prints what it sees as JSON.

usage: spark_read_tree.py <root folder>

Spark reads `<root>/*/runs/*/metrics.parquet` (every run of every specimen) as one DataFrame,
with `mergeSchema` on since runs may log different metrics, and the script prints:

* `columns`: the merged columns, in Spark's order;
* `rows`: the total row count;
* `runs`: for each run, keyed `<specimen>/<run_id>` (run IDs are unique within a specimen only,
  so the specimen's name is taken from the file's path), its row count, first and last step,
  and the sum of `loss`;
* `sample`: the rows with step 0, as [<specimen>/<run_id>, step, loss], sorted.

It exits with status 2 and a clear message when pyspark or Java is missing.
"""
import json
import os
import shutil
import sys

HINT = "run scripts/python-env (it installs scripts/requirements.txt, pyspark included, into .venv) and install Java 17 (apt-get install openjdk-17-jre-headless)"

try:
    from pyspark.sql import SparkSession
    from pyspark.sql import functions as F
except ImportError as error:
    print(f"pyspark is not installed for {sys.executable}: {error}; {HINT}", file=sys.stderr)
    sys.exit(2)
if not os.environ.get("JAVA_HOME") and shutil.which("java") is None:
    print(f"Spark needs Java and none was found (no JAVA_HOME, no java on PATH); {HINT}", file=sys.stderr)
    sys.exit(2)

root = sys.argv[1].rstrip("/")
spark = (
    SparkSession.builder.master("local[1]")
    .appName("specimen-interop")
    .config("spark.driver.memory", "512m")
    .config("spark.ui.enabled", "false")
    .config("spark.ui.showConsoleProgress", "false")
    .config("spark.sql.shuffle.partitions", "1")
    .config("spark.sql.session.timeZone", "UTC")
    .getOrCreate()
)
spark.sparkContext.setLogLevel("ERROR")
try:
    frame = spark.read.option("mergeSchema", "true").parquet(f"{root}/*/runs/*/metrics.parquet")
    columns = frame.columns
    # Run IDs are unique within a specimen only: the specimen's name comes from the file's path.
    specimen = F.regexp_extract(F.col("_metadata.file_path"), r"/([^/]+)/runs/[^/]+/metrics\.parquet$", 1)
    frame = frame.withColumn("key", F.concat_ws("/", specimen, F.col("run_id")))
    runs = (
        frame.groupBy("key")
        .agg(F.count("*").alias("rows"), F.min("step").alias("first"), F.max("step").alias("last"), F.sum("loss").alias("loss_sum"))
        .collect()
    )
    sample = frame.where(F.col("step") == 0).select("key", "step", "loss").orderBy("key").collect()
    print(json.dumps({
        "columns": columns,
        "rows": frame.count(),
        "runs": {row["key"]: {"rows": row["rows"], "first": row["first"], "last": row["last"], "loss_sum": row["loss_sum"]} for row in runs},
        "sample": [[row["key"], row["step"], row["loss"]] for row in sample],
    }))
finally:
    spark.stop()
