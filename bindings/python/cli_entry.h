/*
 * cli_entry.h - smtpcodes_core.cli_main(argv): smtpcodes(1) (core/cli/cli.c) in the Python
 * extension, so that the package's `smtpcodes` command and `python -m smtpcodes` run the real
 * CLI. Registered by python.swg with %native.
 */
#ifndef SMTPC_PY_CLI_ENTRY_H
#define SMTPC_PY_CLI_ENTRY_H

#include <Python.h>

/*
 * cli_main(argv: list[str | bytes | os.PathLike]) -> int
 *
 * Runs smtpcodes(1) with argv (argv[0] is the program name) and returns its exit status. Each
 * argument is encoded as os.fsencode() does (the file system encoding, with surrogateescape);
 * an argument with a NUL raises ValueError, one of another type TypeError. Python's
 * sys.stdout and sys.stderr are flushed before the command runs and C's stdout and stderr
 * after, so that what Python and the command print comes out in order. The GIL is released
 * while the command runs.
 */
PyObject *smtpc_py_cli_main(PyObject *self, PyObject *args);

#endif
