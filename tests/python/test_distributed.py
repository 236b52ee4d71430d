"""Scanning at scale: scan_range() and split_ranges(), then a real Dask cluster (a LocalCluster
of two worker processes) and a real Spark session (local[2]) scanning several logs by paths and
by byte ranges, whose merged summaries must equal one scan of all the logs, row for row.

The logs: the shared ones (tests/vectors/logs/), three days of a Postfix relay written by
bench/gen_inputs.py, a file with the awkward cases (CRLF, empty lines, a NUL byte, a line too
long to scan, no final line end) and an empty file.

Dask needs Python 3.10 and PySpark 4 Python 3.11 (the markers of pyproject.toml's dask and spark
extras, which tests/python/run.py installs): on an older Python those tests skip, and only
then. Spark needs Java (openjdk-17-jre-headless, installed by .ci/deps).
"""

import glob
import importlib.util
import io
import operator
import os
import pathlib
import pickle
import shutil
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import smtpcodes
from conftest import ROOT, VECTORS

LONG_LINE = 70000  # past the 65,536 bytes a scanned line may have: skipped and counted
AWKWARD = (
    b"Nov 23 10:00:01 mx relayd/smtpc[1]: A1: to=<a@example.org>, status=bounced (host said: "
    b"550 5.1.1 <a@example.org>: Recipient address rejected (in reply to RCPT TO command))\r\n"
    b"\n\n421 4.7.0 Try again later\n250 2.0.0 Ok: queued\r\n550 5.7.1 a NUL \0 in it\n\r\n"
    b"550 5.1.1 " + b"x" * LONG_LINE + b"\n452 4.5.3 Too many recipients\n"
    b"550 5.1.1 a last line without a line end")

needs_dask = pytest.mark.skipif(
    sys.version_info < (3, 10), reason="dask[distributed] needs Python 3.10 (the dask extra)")
needs_spark = pytest.mark.skipif(
    sys.version_info < (3, 11), reason="PySpark 4 needs Python 3.11 (the spark extra)")


@pytest.fixture(scope="module")
def logs(tmp_path_factory):
    """The paths of the logs, in an order whose concatenation is a log too: every file but the
    last ends with a line end."""
    folder = tmp_path_factory.mktemp("logs")
    paths = []
    # Logs, read line by line: an mbox is read message by message, and would take the logs
    # that follow it in one stream as part of its last message.
    for source in sorted((VECTORS / "logs").iterdir()):
        if source.is_file() and source.suffix != ".mbox":
            paths.append(folder / source.name)
            shutil.copyfile(source, paths[-1])
    for day in (1, 2, 3):
        paths.append(folder / ("mail.log.%d" % day))
        subprocess.run([sys.executable, str(ROOT / "bench" / "gen_inputs.py"), "log", "0.4",
                        str(paths[-1]), str(day)], check=True)
    paths.append(folder / "empty.log")
    paths[-1].write_bytes(b"")
    paths.append(folder / "awkward.log")
    paths[-1].write_bytes(AWKWARD)
    for path in paths[:-1]:
        data = path.read_bytes()
        assert data == b"" or data.endswith(b"\n"), path
    return [str(path) for path in paths]


@pytest.fixture(scope="module")
def whole(logs):
    """One scan of all the logs, as one stream."""
    return smtpcodes.scan(io.BytesIO(b"".join(pathlib.Path(p).read_bytes() for p in logs)))


def assert_same(got, expected):
    """Equal as summaries (==), and row for row: counts, samples, entries, reasons."""
    assert got == expected
    assert (got.lines, got.replies, got.skipped) == (
        expected.lines, expected.replies, expected.skipped)
    assert got.rows == expected.rows
    assert [row.sample for row in got] == [row.sample for row in expected]
    assert str(got) == str(expected)


def test_the_logs_have_what_the_tests_need(logs, whole):
    sizes = [os.path.getsize(path) for path in logs]
    assert sum(sizes) > 1_000_000 and 0 in sizes
    assert whole.skipped == 1  # the long line
    assert len(whole) >= 20 and whole.replies > 1000


# ---- split_ranges() ---------------------------------------------------------------------------

def test_split_ranges_cover_each_file_exactly(logs):
    for size in (1000, 65536, 10**9):
        ranges = smtpcodes.split_ranges(logs, size)
        assert [p for p in dict.fromkeys(p for p, _, _ in ranges)] == logs
        for path in logs:
            mine = [(start, end) for p, start, end in ranges if p == path]
            length = os.path.getsize(path)
            if length == 0:
                assert mine == [(0, 0)]
                continue
            assert mine[0][0] == 0 and mine[-1][1] == length
            assert all(a_end == b_start for (_, a_end), (b_start, _) in zip(mine, mine[1:]))
            assert all(0 < end - start <= size for start, end in mine)
            assert len(mine) == -(-length // size)


def test_split_ranges_takes_one_path_or_path_likes(logs):
    path = logs[0]
    size = os.path.getsize(path)
    assert smtpcodes.split_ranges(path, 10**9) == [(path, 0, size)]
    assert smtpcodes.split_ranges(pathlib.Path(path), 10**9) == [(path, 0, size)]
    assert smtpcodes.split_ranges(iter([pathlib.Path(path)]), 10**9) == [(path, 0, size)]
    assert smtpcodes.split_ranges(os.fsencode(path), 10**9) == [(os.fsencode(path), 0, size)]
    assert smtpcodes.split_ranges([], 10) == []


def test_split_ranges_refuses_bad_arguments(logs, tmp_path):
    with pytest.raises(ValueError, match=r"split_ranges\(\): size must be 1 or more, not 0"):
        smtpcodes.split_ranges(logs, 0)
    with pytest.raises(ValueError, match=r"size must be 0 or more, not -5"):
        smtpcodes.split_ranges(logs, -5)
    for size in (1.5, "10", None, True):
        with pytest.raises(TypeError, match=r"split_ranges\(\): size must be an int"):
            smtpcodes.split_ranges(logs, size)
    with pytest.raises(TypeError, match=r"takes paths \(str, bytes, os.PathLike\), not int"):
        smtpcodes.split_ranges([logs[0], 42], 10)
    with pytest.raises(FileNotFoundError):
        smtpcodes.split_ranges([logs[0], tmp_path / "missing.log"], 10)


# ---- scan_range() -----------------------------------------------------------------------------

def test_ranges_of_every_size_merge_into_each_file(logs):
    for path in logs:
        expected = smtpcodes.scan(path)
        for size in (1, 7, 100, 4096, 65537, 10**9):
            if size < 100 and os.path.getsize(path) > 20_000:
                continue  # a byte at a time is for the small files
            parts = [smtpcodes.scan_range(*r) for r in smtpcodes.split_ranges(path, size)]
            assert_same(smtpcodes.ScanSummary.merge(reversed(parts)), expected)


def test_a_range_holds_the_lines_that_start_in_it(logs):
    path = logs[-1]  # the awkward file; its first line is 173 bytes long with its CRLF
    first = smtpcodes.scan_range(path, 0, 1)
    assert (first.lines, first.replies) == (1, 1)
    assert [(row.code, row.enhanced, row.reason) for row in first] == [
        (550, "5.1.1", "userunknown")]
    assert smtpcodes.scan_range(path, 1, 173).lines == 0
    assert smtpcodes.scan_range(path, 172, 174).lines == 1  # cut between CR and LF
    assert smtpcodes.scan_range(path, 173, 173).lines == 0
    length = len(AWKWARD)
    last = smtpcodes.scan_range(path, length - 40, length + 10**6)  # no line end, past the end
    assert (last.lines, last.replies, last.rows[0].sample) == (
        1, 1, "550 5.1.1 a last line without a line end")
    for start in (length, length + 1, 2**63, 2**64 - 1, 2**70):
        assert smtpcodes.scan_range(path, start, 2**70) == smtpcodes.scan([])
    db = smtpcodes.database
    assert db.scan_range(pathlib.Path(path), 0, length) == smtpcodes.scan(path)
    assert db.scan_range(os.fsencode(path), 0, length) == smtpcodes.scan(path)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, len(AWKWARD) + 5), max_size=6))
def test_the_awkward_file_cut_anywhere_merges_back(tmp_path_factory, cuts):
    path = tmp_path_factory.getbasetemp() / "awkward-cuts.log"
    if not path.exists():
        path.write_bytes(AWKWARD)
    bounds = [0] + sorted(cuts) + [len(AWKWARD)]
    parts = [smtpcodes.scan_range(path, a, max(a, b)) for a, b in zip(bounds, bounds[1:])]
    assert_same(smtpcodes.ScanSummary.merge(parts), smtpcodes.scan(AWKWARD.splitlines(True)))


def test_scan_range_refuses_bad_arguments(logs, tmp_path):
    path = logs[0]
    with pytest.raises(ValueError, match=r"the range's start \(10\) is after its end \(9\)"):
        smtpcodes.scan_range(path, 10, 9)
    with pytest.raises(ValueError, match=r"scan_range\(\): start must be 0 or more, not -1"):
        smtpcodes.scan_range(path, -1, 9)
    with pytest.raises(ValueError, match=r"scan_range\(\): end must be 0 or more, not -9"):
        smtpcodes.scan_range(path, 0, -9)
    for bad in (1.0, "1", None, False):
        with pytest.raises(TypeError, match=r"scan_range\(\): start must be an int"):
            smtpcodes.scan_range(path, bad, 9)
    with pytest.raises(FileNotFoundError) as e:
        smtpcodes.scan_range(tmp_path / "missing.log", 0, 10)
    assert e.value.filename == str(tmp_path / "missing.log")
    for start, end in ((0, 10), (5000, 6000), (0, 0)):
        with pytest.raises(IsADirectoryError):
            smtpcodes.scan_range(tmp_path, start, end)
    with pytest.raises(TypeError):
        smtpcodes.scan_range(42, 0, 10)
    with pytest.raises(ValueError):  # a NUL in a path names another file
        smtpcodes.scan_range(path + "\0x", 0, 10)


def test_a_range_summary_travels_as_its_saved_form(logs):
    part = smtpcodes.scan_range(logs[0], 0, 300)
    assert pickle.loads(pickle.dumps(part)) == part
    assert smtpcodes.ScanSummary.load(part.save()) == part


# ---- Dask -------------------------------------------------------------------------------------

@needs_dask
def test_dask_cluster_by_paths_and_by_ranges(logs, whole):
    from dask.distributed import Client, LocalCluster, wait

    ranges = smtpcodes.split_ranges(logs, 50_000 + 7)  # cuts inside lines
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        client.wait_for_workers(2)
        pids = client.run(os.getpid)
        assert len(set(pids.values())) == 2 and os.getpid() not in pids.values()

        by_path = client.map(smtpcodes.scan, logs)
        merged = client.submit(smtpcodes.ScanSummary.merge, by_path).result()
        assert_same(merged, whole)

        starts = [start for _, start, _ in ranges]
        ends = [end for _, _, end in ranges]
        by_range = client.map(smtpcodes.scan_range, [p for p, _, _ in ranges], starts, ends)
        wait(by_range)
        workers = {w for held in client.who_has(by_range).values() for w in held}
        merged = client.submit(smtpcodes.ScanSummary.merge, by_range).result()
        assert_same(merged, whole)
        # and merged here, from the summaries that came back
        assert_same(smtpcodes.ScanSummary.merge(client.gather(by_range)), whole)
    assert len(by_range) == len(ranges) > 2 * len(logs)
    assert workers == set(pids)  # both workers scanned ranges


# ---- Spark ------------------------------------------------------------------------------------

def java_home():
    """Where Java is: $JAVA_HOME, the java on PATH, or Debian's OpenJDK 17."""
    if os.environ.get("JAVA_HOME"):
        return os.environ["JAVA_HOME"]
    java = shutil.which("java")
    if java is not None:
        return str(pathlib.Path(os.path.realpath(java)).parent.parent)
    found = sorted(glob.glob("/usr/lib/jvm/java-17-openjdk-*/bin/java"))
    assert found, "no Java for Spark: `sh .ci/deps test` installs openjdk-17-jre-headless"
    return str(pathlib.Path(found[0]).parent.parent)


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    with pytest.MonkeyPatch.context() as env:
        env.setenv("JAVA_HOME", java_home())
        # The workers run this interpreter, which has smtpcodes.
        env.setenv("PYSPARK_PYTHON", sys.executable)
        env.setenv("PYSPARK_DRIVER_PYTHON", sys.executable)
        session = (SparkSession.builder.master("local[2]").appName("smtpcodes-test")
                   .config("spark.ui.enabled", "false")
                   .config("spark.driver.bindAddress", "127.0.0.1")
                   .config("spark.driver.host", "127.0.0.1")
                   .getOrCreate())
        session.sparkContext.setLogLevel("ERROR")
        yield session
        session.stop()


@needs_spark
def test_spark_session_by_paths_and_by_ranges(spark, logs, whole):
    sc = spark.sparkContext
    assert sc.master == "local[2]" and sc.defaultParallelism == 2

    merged = sc.parallelize(logs, len(logs)).map(smtpcodes.scan).reduce(operator.add)
    assert_same(merged, whole)

    ranges = smtpcodes.split_ranges(logs, 50_000 + 7)
    rdd = sc.parallelize(ranges, 8)
    assert_same(rdd.map(lambda r: smtpcodes.scan_range(*r)).treeReduce(operator.add), whole)

    # Only the saved forms travel, each with the process that scanned it.
    sent = rdd.map(lambda r: (os.getpid(), smtpcodes.scan_range(*r).save())).collect()
    assert len(sent) == len(ranges) > 2 * len(logs)
    assert os.getpid() not in {pid for pid, _ in sent}
    assert_same(smtpcodes.ScanSummary.merge(
        smtpcodes.ScanSummary.load(saved) for _, saved in sent), whole)


# ---- examples/scan_at_scale.py ----------------------------------------------------------------

def run_example(logs, engine, *options):
    env = dict(os.environ, JAVA_HOME=java_home(), PYSPARK_PYTHON=sys.executable)
    done = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "scan_at_scale.py"), "--engine", engine,
         "--format", "json", *options, os.path.dirname(logs[0])],
        env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    last = done.stderr.splitlines()[-1]  # after what Java and Spark say
    assert last.startswith("%s: %d files, " % (engine, len(logs))), done.stderr
    return done.stdout


@needs_dask
def test_example_script_with_dask(logs, whole):
    assert run_example(logs, "dask", "--range-mb", "0.05") == whole.render("json") + "\n"


@needs_spark
def test_example_script_with_spark(spark, logs, whole, capsys):
    # In this process: the script's getOrCreate() finds the session of the fixture (starting
    # a second one takes as long as the rest of this file) and stops it, so this test comes
    # after every other Spark test.
    spec = importlib.util.spec_from_file_location(
        "scan_at_scale", ROOT / "examples" / "scan_at_scale.py")
    example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)
    assert example.main(["--engine", "spark", "--format", "json", "--range-mb", "0.2",
                         os.path.dirname(logs[0])]) == 0
    out, err = capsys.readouterr()
    assert out == whole.render("json") + "\n"
    assert err.splitlines()[-1].startswith("spark: %d files, " % len(logs)), err


def test_example_script_refuses_an_empty_folder(tmp_path):
    done = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "scan_at_scale.py"), "--engine", "dask",
         str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "no file in %s matches '*'" % tmp_path in done.stderr
