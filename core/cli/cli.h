/*
 * cli.h - the smtpcodes(1) command as a function, so that more than one program can be it: the
 * executable built by CMake and the `smtpcodes` console script of the Python package.
 */
#ifndef SMTPC_CLI_H
#define SMTPC_CLI_H

/**
 * Runs smtpcodes(1) with the arguments `argv[1..argc-1]` (argv[0] is the program name) and
 * returns its exit status: 0 success, 1 a failure the message explains, 2 a usage error.
 * Writes to stdout and stderr through stdio; the caller flushes nothing before or after.
 */
int smtpc_cli_main(int argc, char **argv);

#endif
