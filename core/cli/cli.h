/*
 * cli.h - the smtpcodes(1) command as a function, so that more than one program can be it: the
 * executable built by CMake and the `smtpcodes` console script of the Python package.
 */
#ifndef SMTPC_CLI_H
#define SMTPC_CLI_H

#include "smtpcodes.h"

/**
 * Runs smtpcodes(1) with the arguments `argv[1..argc-1]` (argv[0] is the program name) and
 * returns its exit status: 0 success, 1 a failure the message explains, 2 a usage error.
 * Writes to stdout and stderr through stdio; the caller flushes nothing before or after.
 */
int smtpc_cli_main(int argc, char **argv);

/* Writes message `name` of the catalogs ("cli-cannot-open", smtpc_render_message()) to
 * standard error as "smtpcodes: MESSAGE", in the language of the run's pages (before they
 * are known, the environment's), its placeholder `key` (NULL for none) filled with `value`. */
void smtpc_cli_say(const char *name, const char *key, const char *value);

/* The exit statuses besides 0. */
enum { EXIT_FAILED = 1, EXIT_USAGE = 2 };

/* `bounce [FILE|DIR]...` (cli/bounce.c): the records of the messages in the `n_paths` files,
 * mboxes and directories (standard input when there is none, or for "-"), rendered in
 * `format` (enum smtpc_format) in language `lang`; 1 when a file or a message could not be
 * read. */
int smtpc_cli_bounce(const smtpc_db *db, const char *const *paths, int n_paths, const char *lang,
                     int format);

/* `scan FILE...` (cli/scan_files.c): each of the `n_paths` files (NULL or "-" for standard
 * input) read by a scanner of its own, set up as `into` is (smtpc_scanner_new_like()), `jobs`
 * (1 or more) files at a time on as many threads, and every summary merged into `into`; the
 * result does not depend on `jobs`. The first file that cannot be read (smtpc_scanner_feed()'s
 * SMTPC_EINPUT included) stops the scan and is reported on standard error as "FILE: error";
 * returns 0, or 1 when a file failed (then `into` has nothing merged). With `state`, each file
 * resumes where the state says its last scan stopped, and the state records how far it was
 * read now (smtpc_scanner_resume(), smtpc_scan_state_record()). */
int smtpc_cli_scan_files(smtpc_scanner *into, const char *const *paths, int n_paths, int jobs,
                         smtpc_scan_state *state);

#endif
