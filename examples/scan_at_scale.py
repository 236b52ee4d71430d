#!/usr/bin/env python3
"""Counts the SMTP replies in a directory of mail logs on a Dask cluster or a Spark session.

    python examples/scan_at_scale.py --engine dask /var/log/mail
    python examples/scan_at_scale.py --engine spark --range-mb 64 --format json /data/logs

The workers read the logs themselves, with smtpcodes' C scanner: each is sent a path (the
default) or a byte range of a file (--range-mb N cuts the files into ranges of N megabytes,
for a few large logs), and sends back a summary of a few kilobytes. The summaries merge into
the summary of all the logs, the same whatever the number of workers and the cuts
(docs/scale.md). Byte ranges are for plain-text logs: scan compressed ones by path.

Without --scheduler, Dask starts a LocalCluster of --workers processes on this machine; with
it, the script joins that cluster (its workers need smtpcodes installed). Spark runs
local[--workers] unless --master names a cluster. Needs `pip install smtpcodes[dask]` or
`smtpcodes[spark]` (and Java for Spark).
"""

import argparse
import operator
import os
import sys
import time

import smtpcodes


def log_files(folder, pattern):
    """The regular files of `folder` whose names match `pattern`, in name order."""
    import fnmatch

    names = sorted(name for name in os.listdir(folder) if fnmatch.fnmatch(name, pattern))
    paths = [os.path.join(folder, name) for name in names]
    return [path for path in paths if os.path.isfile(path)]


def work_items(paths, range_mb):
    """What the workers are sent: paths, or (path, start, end) ranges."""
    if range_mb:
        return smtpcodes.split_ranges(paths, int(range_mb * 2**20))
    return paths


def scan_item(item):
    """A worker's task: the summary of a path or of a byte range."""
    if isinstance(item, tuple):
        return smtpcodes.scan_range(*item)
    return smtpcodes.scan(item)


def with_dask(items, args):
    from dask.distributed import Client, LocalCluster

    if args.scheduler:
        client = Client(args.scheduler)
        cluster = None
    else:
        cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1,
                               dashboard_address=None)
        client = Client(cluster)
    try:
        futures = client.map(scan_item, items)
        # merged on a worker: only the summaries travel, never the logs
        return client.submit(smtpcodes.ScanSummary.merge, futures).result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def with_spark(items, args):
    from pyspark.sql import SparkSession

    # Local workers run this interpreter, which has smtpcodes.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    session = (SparkSession.builder.appName("smtpcodes-scan")
               .master(args.master or "local[%d]" % args.workers)
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false").getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    try:
        rdd = session.sparkContext.parallelize(items, max(1, len(items)))
        # summed in each partition, then across partitions
        return rdd.map(scan_item).treeReduce(operator.add)
    finally:
        session.stop()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", help="the directory of the logs")
    parser.add_argument("--engine", choices=["dask", "spark"], required=True)
    parser.add_argument("--pattern", default="*", help="which files, e.g. 'mail.log*'")
    parser.add_argument("--range-mb", type=float, default=0,
                        help="cut the files into byte ranges of this many megabytes")
    parser.add_argument("--workers", type=int, default=2, help="local workers (default 2)")
    parser.add_argument("--scheduler", help="a Dask scheduler's address, to join its cluster")
    parser.add_argument("--master", help="a Spark master URL (default local[WORKERS])")
    parser.add_argument("--format", default="text", choices=["text", "markdown", "html", "json"])
    args = parser.parse_args(argv)
    if args.workers < 1 or args.range_mb < 0:
        parser.error("--workers must be 1 or more and --range-mb 0 or more")

    paths = log_files(args.folder, args.pattern)
    if not paths:
        parser.error("no file in %s matches %r" % (args.folder, args.pattern))
    items = work_items(paths, args.range_mb)
    started = time.monotonic()
    summary = (with_dask if args.engine == "dask" else with_spark)(items, args)
    print(summary.render(args.format))
    print("%s: %d files, %d tasks, %.1f s" % (args.engine, len(paths), len(items),
                                              time.monotonic() - started), file=sys.stderr)
    return 0


if __name__ == "__main__":  # Dask starts its worker processes by spawning: they import this
    sys.exit(main())
