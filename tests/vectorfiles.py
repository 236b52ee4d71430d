"""The golden vector files of tests/vectors, as every Python-run suite reads them.

The format is tests/vectors/README.md's: UTF-8, tab-separated, one case a line, "#" starts a
comment line, the first other line names the columns, "-" is an empty cell, and cells may
hold the escapes \\t, \\s (space), \\r, \\n, \\0 (NUL), \\xHH (any byte) and \\\\, or be
"<empty>".
"""
import os

_ESCAPES = {"t": b"\t", "s": b" ", "0": b"\0", "r": b"\r", "n": b"\n"}


def rows(directory, name, dash="-"):
    """The cases of `name` in `directory` as dicts by column; a "-" cell becomes `dash`."""
    found, columns = [], None
    with open(os.path.join(directory, name), encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            cells = line.split("\t")
            if columns is None:
                columns = cells
                continue
            assert len(cells) == len(columns), "%s: %r" % (name, line)
            found.append({k: (dash if v == "-" else v) for k, v in zip(columns, cells)})
    assert found, "%s holds no cases" % name
    return found


def unescape_bytes(cell):
    """A cell's bytes, its escapes undone."""
    if cell == "<empty>":
        return b""
    out = bytearray()
    i = 0
    while i < len(cell):
        if cell[i] == "\\" and i + 1 < len(cell):
            e = cell[i + 1]
            if e == "x":
                out.append(int(cell[i + 2:i + 4], 16))
                i += 4
                continue
            out += _ESCAPES.get(e, e.encode())
            i += 2
            continue
        out += cell[i].encode("utf-8")
        i += 1
    return bytes(out)


def unescape(cell):
    """A cell's text, its escapes undone (the text of a code, a command or a tag)."""
    return unescape_bytes(cell).decode("utf-8", "surrogateescape")


BOUNCE_COLUMNS = ("kind", "recipient", "code", "enhanced", "action", "reason", "hard", "command",
                  "message_id", "format", "provider")


def bounce_expectations(directory):
    """{file name: [expected record, ...]} of bounces/expected.tsv (README, "bounces/"): each
    record a dict of BOUNCE_COLUMNS; an unrecognised message expects no record."""
    expected = {}
    for row in rows(os.path.join(directory, "bounces"), "expected.tsv"):
        records = expected.setdefault(row["file"], [])
        if row["kind"] != "unrecognised":
            records.append({k: row[k] for k in BOUNCE_COLUMNS})
    return expected


def bounce_row(record):
    """A record as the JSON of the core gives it (smtpcodes bounce --format json, Python's
    BounceRecord.to_dict()), in the cells of bounces/expected.tsv."""
    def cell(value):
        if value is None or value == "":
            return "-"
        if value is True or value is False:
            return "yes" if value else "no"
        return str(value)
    return {k: cell(record[k]) for k in BOUNCE_COLUMNS}


def bounce_mismatches(name, records, expected):
    """The differences between the records read from message `name` and the expected ones, as
    lines; [] when they agree."""
    got = [bounce_row(r) for r in records]
    if len(got) != len(expected):
        return ["%s: %d records, expected %d: %r" % (name, len(got), len(expected), got)]
    return ["%s: record %d: %s is %r, expected %r" % (name, i + 1, k, g[k], e[k])
            for i, (g, e) in enumerate(zip(got, expected)) for k in BOUNCE_COLUMNS
            if g[k] != e[k]]
