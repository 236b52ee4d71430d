/*
 * readers.c - the order in which the format readers are tried. The first that recognises a
 * message reads it, so a reader that looks for a service's own header or greeting comes
 * before one that looks for words several MTAs share.
 */
#include "formats.h"

const struct smtpc_format_reader *const smtpc_format_readers[] = {
    &smtpc_format_qmail,
};

const size_t smtpc_format_reader_count =
    sizeof smtpc_format_readers / sizeof smtpc_format_readers[0];
