#!/usr/bin/env python3
"""Checks of the data itself: the registry, the references, the origins.

Usage: test_data.py SMTPCODES-BINARY SOURCE-DIR
Standard library only; ends with a line "N passed, N failed".
"""
import csv
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import plaintest  # noqa: E402
from plaintest import test  # noqa: E402

BINARY, SOURCE = sys.argv[1], sys.argv[2]
VECTORS = os.path.join(SOURCE, "tests", "vectors")
REGISTRY = os.path.join(VECTORS, "iana-smtp-enhanced-status-codes.csv")
IANA_DIFF = os.path.join(SOURCE, "core", "tools", "iana_diff.py")
def entries():
    env = {k: v for k, v in os.environ.items() if k != "SMTPCODES_DATA"}
    out = subprocess.run([BINARY, "list", "--format", "json"], check=True,
                         capture_output=True, env=env).stdout
    return json.loads(out)


def iana_diff(csv_path):
    proc = subprocess.run([sys.executable, IANA_DIFF, csv_path, BINARY], capture_output=True,
                          text=True)
    return proc.returncode, proc.stdout


@test
def every_registry_row_is_in_the_database():
    status, out = iana_diff(REGISTRY)
    assert status == 0, out
    with open(REGISTRY, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 81
    codes = {e["code"] for e in entries() if e["kind"] == "enhanced"}
    assert {r["Code"] for r in rows} == codes


@test
def the_registry_check_notices_differences():
    with open(REGISTRY, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    fields = list(rows[0].keys())
    rows[1]["Sample Text"] = "A changed sample"
    rows[2]["Reference"] = "[RFC9999]"
    del rows[3]
    rows.append(dict(rows[0], Code="X.7.99"))
    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False, newline="",
                                     encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    try:
        status, out = iana_diff(f.name)
    finally:
        os.unlink(f.name)
    assert status == 1
    assert "X.1.0: Sample is" in out, out
    assert "X.1.1: Reference lacks RFC 9999" in out, out
    assert "X.1.2: in the data file, not in the registry" in out, out
    assert "X.7.99: in the registry, missing from the data file" in out, out


@test
def references_name_real_sections():
    path = os.path.join(VECTORS, "rfc-sections.tsv")
    sections = {}
    with open(path, encoding="utf-8") as f:
        lines = [line.rstrip("\n") for line in f if not line.startswith("#") and line.strip()]
    assert lines[0] == "rfc\tsections"
    for line in lines[1:]:
        rfc, listed = line.split("\t")
        sections[rfc] = set(listed.split())
    checked = 0
    for entry in entries():
        for ref in (r["text"] for r in entry["references"]):
            if " section " not in ref:
                continue
            rfc, section = ref[len("RFC "):].split(" section ")
            assert rfc in sections, f"{entry['code']}: no section table for RFC {rfc}"
            assert section in sections[rfc], f"{entry['code']}: RFC {rfc} has no section {section}"
            checked += 1
    assert checked > 100


@test
def every_entry_records_its_origin():
    counts = {}
    for entry in entries():
        assert entry["origin"] in ("rfc", "registry", "nonstandard"), entry["code"]
        key = (entry["kind"], entry["origin"])
        counts[key] = counts.get(key, 0) + 1
        if entry["origin"] == "nonstandard":
            assert entry["note"], f"{entry['code']}: a non-standard code explains itself"
    print("entries by kind and origin:", dict(sorted(counts.items())))
    assert counts[("basic", "registry")] >= 6
    assert counts[("basic", "nonstandard")] >= 15


@test
def every_code_in_use_is_present():
    """The reply codes of RFC 5321 and its extensions and the common non-standard ones."""
    codes = {e["code"] for e in entries()}
    wanted = ("211 214 220 221 250 251 252 253 334 354 421 450 451 452 453 455 458 459 500 501 "
              "502 503 504 521 550 551 552 553 554 555 556 235 432 454 530 534 535 538 "
              "422 430 523 524 525 533 420 431 441 442 446 447 449 471 510 511 512 513 517 "
              "541 571").split()
    assert not set(wanted) - codes, sorted(set(wanted) - codes)


@test
def see_pointers_resolve():
    env = {k: v for k, v in os.environ.items() if k != "SMTPCODES_DATA"}
    for entry in entries():
        if entry["see"]:
            proc = subprocess.run([BINARY, "show", entry["see"]], capture_output=True, env=env)
            assert proc.returncode == 0, (entry["code"], entry["see"])


@test
def sources_md_lists_every_source_and_the_entries_on_it():
    """docs/sources.md: one row per source the data cites, naming exactly the entries that cite
    it, so the record of what was checked cannot drift from the data."""
    cited = {}
    for entry in entries():
        for ref in (r["text"] for r in entry["references"]):
            source = ref.split(" section ")[0]
            cited.setdefault(source, [])
            if entry["code"] not in cited[source]:
                cited[source].append(entry["code"])
    with open(os.path.join(SOURCE, "docs", "sources.md"), encoding="utf-8") as f:
        rows = [[cell.strip() for cell in line.strip().strip("|").split(" | ")] for line in f
                if line.startswith("| RFC ") or line.startswith("| IANA registry ")]
    recorded = {row[0]: row[4].split() for row in rows}
    assert len(recorded) == len(rows), "a source has two rows in docs/sources.md"
    assert set(recorded) == set(cited), (sorted(set(cited) - set(recorded)),
                                         sorted(set(recorded) - set(cited)))
    for source, codes in cited.items():
        assert recorded[source] == codes, "%s: docs/sources.md lists %s, the data %s" % (
            source, recorded[source], codes)
    assert all(row[3] for row in rows), "every source has the date it was checked"


if __name__ == "__main__":
    sys.exit(plaintest.run())
