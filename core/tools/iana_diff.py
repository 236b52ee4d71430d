#!/usr/bin/env python3
"""Compares a copy of the IANA "SMTP Enhanced Status Codes" registry with the smtpcodes database.

Usage: iana_diff.py REGISTRY.csv [SMTPCODES-BINARY]

REGISTRY.csv is the registry's CSV export (columns Code, Sample Text, Associated basic status
code, Description, Reference, ...). The database is read through the smtpcodes command
(`smtpcodes list --kind enhanced --format json`), so this script holds no copy of the data and
no parser of its own. It prints one line per difference and exits 1 when there is any, 0 when
the data file follows the registry: the way to bring core/data/smtpcodes.txt up to date with a
newer registry is to run this and fix each line it prints.
"""
import csv
import json
import os
import re
import subprocess
import sys


def normalise(text):
    """Registry cells wrap lines; the data file folds them into single spaces."""
    return " ".join(text.split())


def registry_rows(path):
    with open(path, encoding="utf-8", newline="") as f:
        return {row["Code"].strip(): row for row in csv.DictReader(f)}


def database_entries(binary):
    env = {k: v for k, v in os.environ.items() if k != "SMTPCODES_DATA"}
    out = subprocess.run([binary, "list", "--kind", "enhanced", "--format", "json"],
                         check=True, capture_output=True, env=env).stdout
    return {entry["code"]: entry for entry in json.loads(out)}


def expected_references(cell):
    """The RFC numbers a registry row cites; a draft is cited through the registry itself."""
    rfcs = {f"RFC {n}" for n in re.findall(r"\[RFC(\d+)\]", cell)}
    return rfcs or {"IANA registry"}


def differences(registry, database):
    for code, row in registry.items():
        entry = database.get(code)
        if entry is None:
            yield f"{code}: in the registry, missing from the data file"
            continue
        sample = normalise(row["Sample Text"]) or "(deprecated)"
        if normalise(entry["sample"]) != sample:
            yield f"{code}: Sample is '{entry['sample']}', the registry says '{sample}'"
        associated = normalise(row["Associated basic status code"]) or "(deprecated)"
        if normalise(entry["associated"]) != associated:
            yield (f"{code}: Associated is '{entry['associated']}', "
                   f"the registry says '{associated}'")
        cited = {re.sub(r" section .*", "", ref["text"]) for ref in entry["references"]}
        for ref in sorted(expected_references(row["Reference"]) - cited):
            yield f"{code}: Reference lacks {ref}, which the registry cites"
    for code in sorted(set(database) - set(registry)):
        yield f"{code}: in the data file, not in the registry"


def main(argv):
    if len(argv) not in (2, 3):
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    binary = argv[2] if len(argv) == 3 else "smtpcodes"
    found = list(differences(registry_rows(argv[1]), database_entries(binary)))
    for line in found:
        print(line)
    print(f"{len(found)} difference(s) between {argv[1]} and the smtpcodes database")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
