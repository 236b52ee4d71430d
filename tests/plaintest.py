"""The runner of the suites that need nothing but Python's standard library (CLI, data).

Mark each test function with @test; run() calls them all, reports every failure with its
traceback, and ends with the line "N passed, N failed" that CI reads.
"""
import traceback

TESTS = []


def test(fn):
    """Registers `fn` as a test, in definition order."""
    TESTS.append(fn)
    return fn


def run():
    """Runs every registered test; returns the process exit status (1 if any failed)."""
    passed = failed = 0
    for fn in TESTS:
        try:
            fn()
        except Exception:  # report every failure, then go on
            failed += 1
            print(f"FAIL {fn.__name__}")
            traceback.print_exc()
        else:
            passed += 1
            print(f"ok   {fn.__name__}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


def neutral_environment(env):
    """Removes from `env` what would change smtpcodes' output unasked: a data file, and the
    language of the locale, which the CLI takes when --lang is not given."""
    for name in ("SMTPCODES_DATA", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        env.pop(name, None)
    return env
