"""Validation of smtpcodes' JSON against docs/schema/smtpcodes.schema.json.

Every front end (the C library, the CLI, the Python and Lua bindings) renders the same JSON
documents; each suite validates what it gets with this module:

    from schema import validate            # with tests/schema on sys.path
    validate(json.loads(text), "code")     # raises SchemaError naming every violation

The documents are the schema's $defs: code, comparison, reply, parse_summary, scan, table,
languages, providers, bounce (DOCUMENTS). From a shell, or a suite in another language:

    python3 tests/schema/schema.py DEFINITION [FILE]...

validates each FILE (standard input when none), one JSON document per file, or with --lines one
per non-empty line (JSON Lines); it exits with 0 when all are valid, 1 otherwise.

Needs the jsonschema package (4.0 or later, for draft 2020-12): pyproject.toml's test extra and
.ci/deps install it. Without it, importing this module fails with a message that says so.
"""
import copy
import json
import os
import sys

try:
    import jsonschema
except ImportError as exc:  # fail loudly: a schema test that skips would prove nothing
    raise ImportError(
        "the smtpcodes schema tests need the Python package jsonschema (4.0 or later) for %s: "
        "pip install 'jsonschema>=4' into the test environment (pyproject.toml's test extra), "
        "or apt-get install python3-jsonschema (.ci/deps)" % sys.executable) from exc

SCHEMA_PATH = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "docs", "schema", "smtpcodes.schema.json")

DOCUMENTS = ("code", "comparison", "reply", "parse_summary", "scan", "table", "languages",
             "providers", "bounce")


class SchemaError(AssertionError):
    """A document that does not match its definition; the message lists every violation."""


def load_schema():
    """The schema as a dict."""
    with open(SCHEMA_PATH, encoding="utf-8") as f:
        return json.load(f)


_SCHEMA = load_schema()
_VALIDATORS = {}


def validator(definition):
    """A jsonschema validator of the document `definition` (one of DOCUMENTS, or any $defs
    name), resolving references inside the whole schema."""
    if definition not in _VALIDATORS:
        if definition not in _SCHEMA["$defs"]:
            raise KeyError("no definition %r in %s" % (definition, SCHEMA_PATH))
        # The whole schema with its root narrowed to one definition: local references resolve
        # the same way under every jsonschema 4.x.
        root = copy.deepcopy(_SCHEMA)
        root.pop("anyOf", None)
        root["$ref"] = "#/$defs/" + definition
        _VALIDATORS[definition] = jsonschema.Draft202012Validator(root)
    return _VALIDATORS[definition]


def errors(document, definition):
    """Every violation of `definition` by `document`, as lines "path: message"."""
    found = []
    for error in validator(definition).iter_errors(document):
        path = "".join("[%s]" % json.dumps(p) for p in error.absolute_path) or "(document)"
        found.append("%s: %s" % (path, error.message))
    return sorted(found)


def validate(document, definition):
    """Raises SchemaError unless `document` (parsed JSON) is a valid `definition`."""
    found = errors(document, definition)
    if found:
        raise SchemaError("not a valid %s document (%s):\n  %s" % (
            definition, os.path.relpath(SCHEMA_PATH), "\n  ".join(found[:20])))


_WHOLE = object()
# The facts several documents share, each closing them with unevaluatedProperties.
SHARED = ("#/$defs/code_facts", "#/$defs/provider_facts")


def unclosed_objects(node=_WHOLE, where="#"):
    """The places in the schema where an object schema lists properties but leaves others
    open (neither additionalProperties nor unevaluatedProperties false): drift would pass. The
    if/then/else of an object only narrows members the object itself declares and closes, and
    the shared facts (SHARED) are closed by each user."""
    node = _SCHEMA if node is _WHOLE else node
    found = []
    if isinstance(node, dict):
        conditional = where.endswith(("/if", "/then", "/else"))
        if "properties" in node and where not in SHARED and not conditional:
            if node.get("additionalProperties") is not False and \
                    node.get("unevaluatedProperties") is not False:
                found.append(where)
        for key, value in node.items():
            found += unclosed_objects(value, where + "/" + key)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += unclosed_objects(value, "%s/%d" % (where, i))
    return found


def main(argv):
    lines = "--lines" in argv
    args = [a for a in argv if a != "--lines"]
    if not args or args[0] not in _SCHEMA["$defs"]:
        print("usage: schema.py [--lines] DEFINITION [FILE]...  (DEFINITION: %s)"
              % ", ".join(DOCUMENTS), file=sys.stderr)
        return 2
    definition, paths = args[0], args[1:] or ["-"]
    status = 0
    for path in paths:
        text = sys.stdin.read() if path == "-" else open(path, encoding="utf-8").read()
        documents = [line for line in text.splitlines() if line.strip()] if lines else [text]
        for n, doc in enumerate(documents, 1):
            try:
                validate(json.loads(doc), definition)
            except (ValueError, SchemaError) as exc:
                print("%s%s: %s" % (path, ":%d" % n if lines else "", exc), file=sys.stderr)
                status = 1
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
