/*
 * smtpcodes.h - the SMTP reply-code reference, as a C library.
 *
 * This is the only public header of libsmtpcodes. It describes every SMTP reply code (421) and
 * enhanced status code (5.7.1) the library knows, compares two codes side by side and renders
 * the comparison as text, Markdown, HTML or JSON.
 *
 * Conventions (every declaration below follows them):
 *  - Functions return 0 on success or a negative SMTPC_E* value; smtpc_strerror() names it.
 *  - Output parameters come first; an optional `smtpc_error *` comes last and, when not NULL,
 *    is filled with a human-readable account of a failure.
 *  - Text input is `(const char *s, size_t len)`: no terminator is needed and an embedded NUL
 *    is an ordinary (invalid) byte. `(NULL, 0)` is the empty text; NULL with a length > 0 is
 *    refused with SMTPC_EINVAL.
 *  - Every returned pointer says whether it is borrowed (and until when) or owned (and how to
 *    free it).
 *  - The library never aborts, prints or exits and keeps no mutable global state. The built-in
 *    database is immutable and needs no initialisation: it is safe to use from any thread, and
 *    pointers into it stay valid for the whole process. A loaded database may be read from any
 *    number of threads at once.
 */
#ifndef SMTPCODES_H
#define SMTPCODES_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The visibility of the library's symbols; a build that links the core into something else
 * (a Python or Lua extension) may define SMTPC_API itself, empty, to keep them private. */
#ifndef SMTPC_API
#if defined(_WIN32) && defined(SMTPC_SHARED_BUILD)
#define SMTPC_API __declspec(dllexport)
#elif defined(__GNUC__)
#define SMTPC_API __attribute__((visibility("default")))
#else
#define SMTPC_API
#endif
#endif

/* ---------------------------------------------------------------------------------------------
 * Version
 * ------------------------------------------------------------------------------------------- */

/** Version of the header, from the build's project(VERSION). */
#define SMTPC_VERSION_MAJOR 0
#define SMTPC_VERSION_MINOR 2
#define SMTPC_VERSION_PATCH 0
/** The same version as one comparable integer: major * 10000 + minor * 100 + patch. */
#define SMTPC_VERSION_NUMBER \
    (SMTPC_VERSION_MAJOR * 10000 + SMTPC_VERSION_MINOR * 100 + SMTPC_VERSION_PATCH)

/**
 * The version of the library actually linked, as "MAJOR.MINOR.PATCH".
 * Returns a borrowed static string, valid for the whole process.
 */
SMTPC_API const char *smtpc_version(void);

/** The linked library's version as SMTPC_VERSION_NUMBER computes it. */
SMTPC_API int smtpc_version_number(void);

/* ---------------------------------------------------------------------------------------------
 * Errors
 * ------------------------------------------------------------------------------------------- */

/** Failure codes; every failing function returns one of these (all negative). */
enum smtpc_status {
    SMTPC_OK = 0,
    SMTPC_ESYNTAX = -1,   /**< the text is not a reply code or enhanced status code */
    SMTPC_ENOTFOUND = -2, /**< a well-formed code that the database does not describe */
    SMTPC_ELANG = -3,     /**< a language tag the database does not know */
    SMTPC_EFORMAT = -4,   /**< an output format value outside enum smtpc_format */
    SMTPC_EDATA = -5,     /**< a data file or a saved scan summary that breaks its format
                               (see smtpc_error) */
    SMTPC_EIO = -6,       /**< a data file that cannot be opened or read */
    SMTPC_ENOMEM = -7,    /**< memory allocation failed */
    SMTPC_EINVAL = -8,    /**< an argument outside its documented range (NULL, same code) */
    SMTPC_ERANGE = -9,    /**< an index past the end of a list */
    SMTPC_EREPLY = -10,   /**< text that is not a well-formed SMTP reply (see smtpc_error) */
    SMTPC_EINCOMPLETE = -11, /**< a reply that needs more input to be complete */
    SMTPC_ECOMMAND = -12,    /**< a command argument that names no SMTP command */
    SMTPC_ELIMIT = -13,      /**< input past a documented limit (a bounce's nesting depth) */
    SMTPC_EINPUT = -14       /**< scanner input that cannot be read as a log: compressed in a
                                  format this build lacks, corrupt or cut-short compressed
                                  data, or binary data that is no text (see smtpc_error) */
};

/** Sizes of the text buffers in smtpc_error, terminator included. */
#define SMTPC_ERROR_SOURCE_SIZE 256
#define SMTPC_ERROR_TEXT_SIZE 256

/**
 * What went wrong, in detail. Functions that take a `smtpc_error *` fill it on failure (and
 * leave it untouched on success). `line` and `column` are 1-based and 0 when they do not apply;
 * the column counts characters (UTF-8 sequences), not bytes. `text` never repeats the
 * position: smtpc_error_format() is the one place that writes it.
 */
typedef struct smtpc_error {
    int status;                             /**< the SMTPC_E* value also returned */
    unsigned long line;                     /**< line in `source`, or 0 */
    unsigned long column;                   /**< column in `line`, or 0 */
    char source[SMTPC_ERROR_SOURCE_SIZE];   /**< file name, "<builtin>", or "" */
    char text[SMTPC_ERROR_TEXT_SIZE];       /**< what is wrong, one line, no trailing period */
} smtpc_error;

/** A short English name for an SMTPC_E* status; a static string for any int, never NULL. */
SMTPC_API const char *smtpc_strerror(int status);

/**
 * Formats `err` into `buf` of `size` bytes, always terminated when size > 0: "source:line:
 * column: text" for a file, "line L, column C: text" for other input with several lines,
 * "column C: text" for one line; parts that do not apply are left out. Returns the length the
 * full message needs, without the terminator, like snprintf.
 */
SMTPC_API size_t smtpc_error_format(char *buf, size_t size, const smtpc_error *err);

/* ---------------------------------------------------------------------------------------------
 * Names of the enumerations
 * ------------------------------------------------------------------------------------------- */

/** The enumerations that have names; the names are the data file's and the JSON's words. */
enum smtpc_enum {
    SMTPC_ENUM_KIND = 1,         /**< enum smtpc_kind: "basic", "enhanced" */
    SMTPC_ENUM_ORIGIN = 2,       /**< enum smtpc_origin: "rfc", "registry", "nonstandard" */
    SMTPC_ENUM_RETRY = 3,        /**< enum smtpc_retry: "none", "later", "after-fix", "no" */
    SMTPC_ENUM_CONNECTION = 4,   /**< enum smtpc_connection: "kept", "closed", "may-close"
                                      (SMTPC_CONNECTION_UNSPECIFIED has no name) */
    SMTPC_ENUM_ACTION = 5,       /**< enum smtpc_action: "done", "continue", "retry",
                                      "give-up" */
    SMTPC_ENUM_VERDICT_FLAG = 6, /**< bits of enum smtpc_verdict_flags: "class-mismatch",
                                      "unknown-code", "connection-closed", "overridden" */
    SMTPC_ENUM_WARNING = 7,      /**< bits of enum smtpc_reply_warning: "class-mismatch",
                                      "nonconforming", "invalid-utf8", "long-line", "bare-lf",
                                      "enhanced-varies" */
    SMTPC_ENUM_FORMAT = 8,       /**< enum smtpc_format: "text", "markdown", "html", "json" */
    SMTPC_ENUM_GROUP = 9,        /**< enum smtpc_group_kind: "class", "category", "subject" */
    SMTPC_ENUM_LABEL = 10,       /**< enum smtpc_label: "description", "when", "fix",
                                      "differences", "usage", "learn-more" */
    SMTPC_ENUM_BOUNCE_KIND = 11, /**< enum smtpc_bounce_kind: "dsn", "global-dsn", "feedback",
                                      "auto-reply", "unrecognised" */
    SMTPC_ENUM_DSN_ACTION = 12,  /**< enum smtpc_dsn_action: "failed", "delayed", "delivered",
                                      "relayed", "expanded" (RFC 3464 section 2.3.3;
                                      SMTPC_DSN_NONE has no name) */
    SMTPC_ENUM_COMPRESSION = 13, /**< enum smtpc_compression: "none", "gzip", "xz", "bzip2",
                                      "zstd" */
    SMTPC_ENUM_SCAN_AXIS = 14,   /**< enum smtpc_scan_axis: "domain", "relay", "reason",
                                      "sender-domain", "time", "code", "mta" */
    SMTPC_ENUM_SCAN_OUTCOME = 15, /**< enum smtpc_scan_outcome: "delivered", "deferred",
                                      "bounced", "rejected" */
    SMTPC_ENUM_TEXT = 16,         /**< enum smtpc_text: "name", "aliases", "description",
                                       "when", "fix", "note" */
    SMTPC_ENUM_DIRECTION = 17     /**< enum smtpc_direction: "ltr", "rtl" */
};

/**
 * The name of `value` in enumeration `which` (enum smtpc_enum); for the bit sets
 * (SMTPC_ENUM_VERDICT_FLAG, SMTPC_ENUM_WARNING) the name of one bit. A static string; "" for a
 * value or enumeration that has no name, never NULL.
 */
SMTPC_API const char *smtpc_enum_name(int which, int value);

/** The number of named values of enumeration `which`; 0 for an unknown enumeration. */
SMTPC_API size_t smtpc_enum_count(int which);

/**
 * The `index`th named value of enumeration `which` (0 <= index < smtpc_enum_count(which)), in
 * the order of the enumeration: `*value` (may be NULL) receives the value and `*name` (may be
 * NULL) its static name. Returns 0, or SMTPC_ERANGE past the end or for an unknown `which`.
 * Bindings build their name tables from this, so that no name is written twice.
 */
SMTPC_API int smtpc_enum_at(int *value, const char **name, int which, size_t index);

/* ---------------------------------------------------------------------------------------------
 * Commands
 * ------------------------------------------------------------------------------------------- */

/**
 * Reads the command a reply answered as clients and logs write it: the verb alone ("RCPT"), with
 * its argument ("RCPT TO:<a@example.org>", "MAIL FROM:<>", "AUTH PLAIN"), in any case, with
 * white space around it, or Postfix's "end of DATA". `*out` receives the canonical name, a
 * static string: "CONNECT" (the greeting), "HELO", "EHLO", "LHLO", "MAIL", "RCPT", "DATA",
 * "DATA-END" (the end of the message data), "BDAT", "RSET", "VRFY", "EXPN", "HELP", "NOOP",
 * "QUIT", "AUTH", "STARTTLS", "ETRN" or "ATRN" (RFC 5321 section 4.3.2 and the extensions that
 * define replies for their commands). Fails with SMTPC_ECOMMAND, `*out` NULL, for anything
 * else, empty text included.
 */
SMTPC_API int smtpc_command_parse(const char **out, const char *s, size_t len, smtpc_error *err);

/* ---------------------------------------------------------------------------------------------
 * Codes as syntax
 * ------------------------------------------------------------------------------------------- */

/** The two kinds of code. */
enum smtpc_kind {
    SMTPC_KIND_BASIC = 1,   /**< a three-digit reply code, RFC 5321 section 4.2 */
    SMTPC_KIND_ENHANCED = 2 /**< class.subject.detail, RFC 3463 section 2 */
};

/**
 * A code taken apart, whether or not the database knows it.
 *
 * Basic codes: `klass` is the first digit (2-5), `category` the second (0-9), `detail` the
 * third. RFC 5321 section 4.2 allows only 0-5 as second digit; codes with 6-9 circulate
 * anyway (571), so they parse with `conforming` set to 0.
 * Enhanced codes: `klass` is 2, 4 or 5, or 0 for the registry's class-less form "X.7.1";
 * `category` is the subject and `detail` the detail (each 0-999, no leading zeros).
 */
typedef struct smtpc_code {
    int kind;       /**< enum smtpc_kind */
    int klass;      /**< class digit, 0 for the X form */
    int category;   /**< second digit (basic) or subject (enhanced) */
    int detail;     /**< third digit (basic) or detail number (enhanced) */
    int conforming; /**< 1 when it meets the RFC's syntax exactly, 0 when only tolerated */
} smtpc_code;

/** Longest text smtpc_code_format() writes: "X.999.999" plus the terminator. */
#define SMTPC_CODE_TEXT_SIZE 12

/**
 * Parses `s` (`len` bytes) as a reply code ("421") or enhanced status code ("5.7.1", "X.7.1",
 * "x.7.1"). Leading and trailing ASCII white space (space, tab, CR, LF) is ignored, so "421 "
 * and a line read from a file, "550\n", parse; anything else around the code ("421-", "4 21",
 * "421abc") is an error.
 * Returns 0 and fills `*out`, or SMTPC_ESYNTAX with `err` saying which character is wrong.
 */
SMTPC_API int smtpc_code_parse(smtpc_code *out, const char *s, size_t len, smtpc_error *err);

/**
 * Writes the canonical text of `code` ("421", "5.7.1", "X.7.1") into `buf`, which must hold
 * SMTPC_CODE_TEXT_SIZE bytes. Returns 0, or SMTPC_EINVAL for a code outside the ranges above.
 */
SMTPC_API int smtpc_code_format(char *buf, const smtpc_code *code);

/* ---------------------------------------------------------------------------------------------
 * The database
 * ------------------------------------------------------------------------------------------- */

/** An immutable set of code entries, classes, categories, subjects and languages. */
typedef struct smtpc_db smtpc_db;

/**
 * The built-in database, compiled from core/data/smtpcodes.txt. Borrowed and immutable: valid
 * for the whole process, never to be freed (smtpc_db_free ignores it). Never NULL.
 */
SMTPC_API const smtpc_db *smtpc_db_builtin(void);

/** Flags for smtpc_db_load() and smtpc_db_load_buffer(). */
enum smtpc_load_flags {
    SMTPC_LOAD_OVERLAY = 0, /**< lay the file over the built-in database (add and replace) */
    SMTPC_LOAD_ALONE = 1    /**< the file alone, as the whole database */
};

/**
 * Loads the data file at `path` (format: docs/data-format.md). With SMTPC_LOAD_OVERLAY each of
 * its records replaces the built-in record with the same key or is added. On success `*out` is
 * an owned database: free it with smtpc_db_free(). On failure `*out` is set to NULL, nothing is
 * allocated, and `err` names file:line:column (SMTPC_EDATA) or the I/O problem (SMTPC_EIO).
 */
SMTPC_API int smtpc_db_load(smtpc_db **out, const char *path, int flags, smtpc_error *err);

/**
 * As smtpc_db_load(), from `len` bytes at `data`; `source` (may be NULL) names them in errors.
 * The database copies what it keeps: `data` may be freed as soon as the call returns.
 */
SMTPC_API int smtpc_db_load_buffer(smtpc_db **out, const char *data, size_t len,
                                   const char *source, int flags, smtpc_error *err);

/**
 * The database the environment asks for: the built-in one laid over with the file named by the
 * environment variable SMTPCODES_DATA when it is set and not empty, else the built-in one.
 * `*out` must be released with smtpc_db_free() (which does nothing for the built-in database).
 * Fails as smtpc_db_load() does, with `*out` set to NULL.
 */
SMTPC_API int smtpc_db_from_env(const smtpc_db **out, smtpc_error *err);

/** Releases a database from smtpc_db_load*() or smtpc_db_from_env(); NULL and the built-in
 *  database are ignored. Every pointer obtained from `db` becomes invalid. */
SMTPC_API void smtpc_db_free(const smtpc_db *db);

/* ---------------------------------------------------------------------------------------------
 * Entries: what the database says about one code
 * ------------------------------------------------------------------------------------------- */

/** Where a code comes from, so a standard code can be told from folklore. */
enum smtpc_origin {
    SMTPC_ORIGIN_RFC = 1,        /**< defined or used by an RFC */
    SMTPC_ORIGIN_REGISTRY = 2,   /**< cited only by the IANA enhanced status code registry */
    SMTPC_ORIGIN_NONSTANDARD = 3, /**< seen in the wild, defined by no standard */
    SMTPC_ORIGIN_PROVIDER = 4     /**< one provider's own meaning, documented by it */
};

/** What a client should do about the request the code answered. */
enum smtpc_retry {
    SMTPC_RETRY_NONE = 1,      /**< nothing to retry: the command succeeded or goes on */
    SMTPC_RETRY_LATER = 2,     /**< send the same again later (RFC 5321 section 4.5.4.1) */
    SMTPC_RETRY_AFTER_FIX = 3, /**< only after correcting the cause (command, credentials) */
    SMTPC_RETRY_NO = 4         /**< do not send the same again */
};

/** What happens to the SMTP connection after the reply. */
enum smtpc_connection {
    SMTPC_CONNECTION_UNSPECIFIED = 0, /**< the data does not say (enhanced codes) */
    SMTPC_CONNECTION_KEPT = 1,        /**< the session goes on */
    SMTPC_CONNECTION_CLOSED = 2,      /**< the server closes the channel (221, 421) */
    SMTPC_CONNECTION_MAY_CLOSE = 3    /**< the server may close it (554 at the greeting) */
};

/**
 * Everything the database says about one code. Entries are owned by their database: pointers
 * to an entry and to its strings are borrowed, valid as long as the database (forever for the
 * built-in one). All strings are UTF-8 and NUL-terminated; optional ones are "" when absent,
 * never NULL. Lists are single strings with a documented separator so that every front end can
 * split them the same way.
 */
typedef struct smtpc_entry {
    const char *code;        /**< "421", or "X.7.1" for an enhanced code */
    smtpc_code parsed;       /**< the code taken apart (klass 0 for enhanced entries) */
    const char *name;        /**< "Service Not Available": the meaning its RFC gives it */
    const char *aliases;     /**< "; "-separated other names it goes by, narrower than the
                                  name ("Mailbox Not Found"), or "" */
    const char *slug;        /**< "service-not-available", unique in the database */
    const char *classes;     /**< basic: "4"; enhanced: classes it is meant for, "4 5" */
    int origin;              /**< enum smtpc_origin */
    const char *description; /**< sentences; reads after "421 indicates that" once the first
                                  ordinary word is lower-cased */
    const char *when;        /**< sentences; reads after "You encounter 421 when" likewise */
    const char *fix;         /**< sentences: what to do about it */
    const char *references;  /**< "; "-separated: "RFC 5321 section 4.2.3; RFC 3207" */
    int retry;               /**< enum smtpc_retry; for enhanced codes, the advice as 5.X.X */
    int retry_transient;     /**< enum smtpc_retry; enhanced codes: the advice as 4.X.X;
                                  basic codes: 0 */
    int connection;          /**< enum smtpc_connection */
    const char *commands;    /**< space-separated commands or phases: "CONNECT EHLO", or "" */
    const char *enhanced;    /**< space-separated enhanced codes usually sent with a basic
                                  code ("4.3.2 4.4.5"), or "" */
    const char *sample;      /**< enhanced: the registry's sample text; basic: "" */
    const char *associated;  /**< enhanced: the registry's associated basic codes; basic: "" */
    const char *see;         /**< a code this one points to ("4.4.6" for 446), or "" */
    const char *note;        /**< a caveat (non-standard, deprecated, clashes), or "" */
    const char *exceptions;  /**< newline-separated "rule: why": the consistency rules of the
                                  data (docs/data-format.md) this entry departs from, and why;
                                  or "" */
    const char *reason;      /**< the reason of a failure the code decides by itself
                                  (smtpc_reason_decide()): one name ("userunknown"), or
                                  "; "-separated pairs of a command and a name ("RCPT
                                  exceedlimit; DATA-END mesgtoobig", ANY for the commands no pair
                                  names); or "" */
    const char *provider;    /**< the slug of the provider (smtpc_provider) whose own meaning
                                  this entry is, "microsoft"; "" for the standard meaning */
    int detail_last;         /**< the last detail a provider's entry covers: 749 for its range
                                  "5.7.700-749", else the code's own detail */
} smtpc_entry;

/** The number of code entries in `db` with their standard meaning (basic and enhanced); the
 *  providers' entries are counted apart (smtpc_provider_entry_count()). */
SMTPC_API size_t smtpc_db_count(const smtpc_db *db);

/**
 * The entry at `index` (0 <= index < smtpc_db_count(db)) in code order: basic codes by number,
 * then enhanced codes by subject and detail. Borrowed from `db`; NULL past the end.
 */
SMTPC_API const smtpc_entry *smtpc_db_entry(const smtpc_db *db, size_t index);

/**
 * Looks up the code in `s` (`len` bytes, as smtpc_code_parse() reads it). An enhanced code
 * with a class digit ("5.7.1") finds the registry entry "X.7.1"; one with no standard entry
 * finds a provider's entry that covers it ("5.7.708": Microsoft's), the providers taken in the
 * order of their slugs, as smtpc_lookup_provider() chooses within one. On success `*out` is
 * borrowed from `db`. Fails with SMTPC_ESYNTAX for text that is no code and SMTPC_ENOTFOUND for
 * a code the database does not describe; `*out` is then NULL.
 */
SMTPC_API int smtpc_lookup(const smtpc_entry **out, const smtpc_db *db, const char *s,
                           size_t len, smtpc_error *err);

/** As smtpc_lookup(), for a basic reply code given as a number (421). */
SMTPC_API int smtpc_lookup_number(const smtpc_entry **out, const smtpc_db *db, int code,
                                  smtpc_error *err);

/**
 * Like smtpc_lookup(), but a well-formed enhanced code that is not registered resolves to the
 * closest entry that is: X.S.0 of its subject, then X.0.0 (RFC 3463 section 2: a client that
 * does not know a detail falls back to the subject, then the class). `*exact` (may be NULL) is
 * set to 1 when the code itself was found and 0 when it fell back. Basic codes do not fall back.
 */
SMTPC_API int smtpc_lookup_closest(const smtpc_entry **out, int *exact, const smtpc_db *db,
                                   const char *s, size_t len, smtpc_error *err);

/* ---- providers: the meanings large mail services give to codes of their own ---- */

/** A mail provider whose servers give codes and texts meanings of their own (a `Provider`
 *  record of the data file, docs/data-format.md). Strings are borrowed from the database. */
typedef struct smtpc_provider {
    const char *slug;        /**< "microsoft": the key, as entries and patterns name it */
    const char *name;        /**< "Microsoft 365 and Outlook.com" */
    const char *hosts;       /**< space-separated domain names of its servers and mailboxes */
    const char *description; /**< whose servers these are */
    const char *references;  /**< "; "-separated URLs of its documentation */
} smtpc_provider;

/** The number of providers of `db` (NULL: the built-in database). */
SMTPC_API size_t smtpc_provider_count(const smtpc_db *db);

/** Provider `index` in the order of their slugs; NULL past the end. */
SMTPC_API const smtpc_provider *smtpc_provider_at(const smtpc_db *db, size_t index);

/** The provider with slug `slug` (NUL-terminated), or NULL. */
SMTPC_API const smtpc_provider *smtpc_provider_find(const smtpc_db *db, const char *slug);

/**
 * The provider whose servers `host` (`len` bytes) belongs to, or NULL: a host name
 * ("mx1.mail.protection.outlook.com"), an address ("bob@hotmail.com": its domain) or a DSN's
 * "dns; name" value, ASCII case and a final "." ignored. It belongs to a provider when it is
 * one of the provider's hosts or ends in "." and one of them. An address literal ("[192.0.2.1]")
 * belongs to none: the database lists no provider's addresses.
 */
SMTPC_API const smtpc_provider *smtpc_provider_of_host(const smtpc_db *db, const char *host,
                                                       size_t len);

/** The number of the providers' entries of `db`, and entry `index` of them in the order of
 *  provider slug, then code, then range; NULL past the end. */
SMTPC_API size_t smtpc_provider_entry_count(const smtpc_db *db);
SMTPC_API const smtpc_entry *smtpc_provider_entry_at(const smtpc_db *db, size_t index);

/**
 * Looks up the code in `s` as provider `provider` (a slug; NULL or "" for none) means it: the
 * provider's entry that covers the code, an exact code before a range and a narrower range
 * before a wider one; else, as smtpc_lookup() finds it, the standard entry. Fails as
 * smtpc_lookup() does, and with SMTPC_EINVAL for a slug that names no provider.
 */
SMTPC_API int smtpc_lookup_provider(const smtpc_entry **out, const smtpc_db *db,
                                    const char *provider, const char *s, size_t len,
                                    smtpc_error *err);

/**
 * As smtpc_lookup_provider(), but a code the provider has no entry of falls back as
 * smtpc_lookup_closest() does, which sets `*exact` (may be NULL; 1 for a provider's entry). This
 * is the entry of a reply's enhanced code from a server of `provider`: the reply's page
 * (smtpc_render_reply_provider()) and the bindings' replies show it.
 */
SMTPC_API int smtpc_lookup_provider_closest(const smtpc_entry **out, int *exact,
                                            const smtpc_db *db, const char *provider,
                                            const char *s, size_t len, smtpc_error *err);

/**
 * The providers' own meanings of the code in `s`: stores up to `cap` entries in `out` (may be
 * NULL when `cap` is 0), one per provider that has an entry covering it (the one
 * smtpc_lookup_provider() would choose), in the order of provider slugs, and returns how many
 * there are, which may exceed `cap`. Returns 0 for text that is no enhanced code with a class.
 */
SMTPC_API size_t smtpc_provider_meanings(const smtpc_entry **out, size_t cap, const smtpc_db *db,
                                         const char *s, size_t len);

/**
 * The retry advice (enum smtpc_retry) for `entry` when its code is written with class `klass`.
 * An enhanced entry ("X.4.6") gives its `retry_transient` with class 4, its `retry` with class 5,
 * SMTPC_RETRY_NONE with class 2 (RFC 3463 section 2: 2.X.X is success), and without a class (0)
 * the advice of the most severe class it is meant for; a basic entry gives its `retry`. The data
 * states the advice of each class an entry is meant for (docs/data-format.md). Returns 0 when
 * `entry` is NULL.
 */
SMTPC_API int smtpc_entry_retry(const smtpc_entry *entry, int klass);

/* ---------------------------------------------------------------------------------------------
 * Classes, categories, subjects
 * ------------------------------------------------------------------------------------------- */

/** A named group of codes: a reply class, a basic category or an enhanced subject. */
typedef struct smtpc_group {
    int number;              /**< the digit or subject number */
    const char *name;        /**< "Transient Negative", "Connections", "Addressing Status" */
    const char *alt_name;    /**< classes only: the RFC 3463 name of the enhanced class with
                                  the same digit ("Persistent Transient Failure"), or "" */
    const char *description; /**< one or more sentences */
} smtpc_group;

/** Which table of groups smtpc_group_lookup() reads. */
enum smtpc_group_kind {
    SMTPC_GROUP_CLASS = 1,    /**< first digit, RFC 5321 section 4.2.1 / RFC 3463 section 2 */
    SMTPC_GROUP_CATEGORY = 2, /**< second digit of a basic code, RFC 5321 section 4.2.1 */
    SMTPC_GROUP_SUBJECT = 3   /**< second number of an enhanced code, RFC 3463 section 3 */
};

/**
 * Finds group `number` of table `kind`. `*out` is borrowed from `db`. Returns SMTPC_ENOTFOUND
 * for a number the table lacks (a category 6-9, a subject above 7), SMTPC_EINVAL for a bad kind.
 */
SMTPC_API int smtpc_group_lookup(const smtpc_group **out, const smtpc_db *db, int kind,
                                 int number, smtpc_error *err);

/**
 * The name of the class of `code` as written: "Transient Negative" for a basic 4yz, "Persistent
 * Transient Failure" for an enhanced 4.y.z (RFC 3463 names the enhanced classes apart), "" for
 * the class-less X form or a class the database lacks. Borrowed from `db`; never NULL.
 */
SMTPC_API const char *smtpc_class_name(const smtpc_db *db, const smtpc_code *code);

/**
 * The name of the second part of `code`: its category ("Connections" for 421) or its subject
 * ("Security or Policy Status" for 5.7.1); "" when the database has none (a category 6-9).
 * Borrowed from `db`; never NULL.
 */
SMTPC_API const char *smtpc_category_name(const smtpc_db *db, const smtpc_code *code);

/* ---------------------------------------------------------------------------------------------
 * Languages
 * ------------------------------------------------------------------------------------------- */

/** The labels of the comparison page's sections, in the order they appear. */
enum smtpc_label {
    SMTPC_LABEL_DESCRIPTION = 0,
    SMTPC_LABEL_WHEN = 1,
    SMTPC_LABEL_FIX = 2,
    SMTPC_LABEL_DIFFERENCES = 3,
    SMTPC_LABEL_USAGE = 4,
    SMTPC_LABEL_LEARN_MORE = 5,
    SMTPC_LABEL_COUNT = 6
};

/** The texts of an entry that a reader reads, each translated by a language's catalog
 *  (docs/translation.md). */
enum smtpc_text {
    SMTPC_TEXT_NAME = 0,
    SMTPC_TEXT_ALIASES = 1,
    SMTPC_TEXT_DESCRIPTION = 2,
    SMTPC_TEXT_WHEN = 3,
    SMTPC_TEXT_FIX = 4,
    SMTPC_TEXT_NOTE = 5,
    SMTPC_TEXT_COUNT = 6
};

/** The direction a language is written in (HTML's `dir`). */
enum smtpc_direction {
    SMTPC_DIRECTION_LTR = 0, /**< left to right */
    SMTPC_DIRECTION_RTL = 1  /**< right to left: Arabic */
};

/** The number of languages in `db` (15 in the built-in database). */
SMTPC_API size_t smtpc_language_count(const smtpc_db *db);

/** The tag of language `index` ("en", "zh-hans"), borrowed from `db`; NULL past the end. */
SMTPC_API const char *smtpc_language_tag(const smtpc_db *db, size_t index);

/**
 * Resolves a language tag (`len` bytes) to the database's canonical tag, borrowed from `db`.
 * Matching ignores case and treats "_" as "-"; a tag with a region or script the database
 * lacks falls back to its primary language ("pt-BR" to "pt"), and "zh", "zh-cn" and "zh-sg"
 * mean "zh-hans". Fails with SMTPC_ELANG.
 */
SMTPC_API int smtpc_language_resolve(const char **out, const smtpc_db *db, const char *tag,
                                     size_t len, smtpc_error *err);

/**
 * The label `which` (enum smtpc_label) in language `tag` (resolved as above): its catalog's
 * translation, else the English label. Borrowed from `db`. Fails with SMTPC_ELANG or
 * SMTPC_EINVAL.
 */
SMTPC_API int smtpc_label(const char **out, const smtpc_db *db, const char *tag, size_t len,
                          int which, smtpc_error *err);

/**
 * The direction language `tag` is written in (enum smtpc_direction), resolved as
 * smtpc_language_resolve() resolves it; SMTPC_DIRECTION_LTR for a tag the database lacks.
 */
SMTPC_API int smtpc_language_direction(const smtpc_db *db, const char *tag, size_t len);

/**
 * How much of the database language `tag` (`len` bytes, resolved as smtpc_language_resolve()
 * resolves it) says in its own words: `*translated` of the `*total` texts a reader may read
 * (entries' texts, groups, reasons, providers, labels and the templates of composed sentences;
 * empty fields do not count). English, the source, has all of them. Fails with SMTPC_ELANG.
 */
SMTPC_API int smtpc_language_completeness(size_t *translated, size_t *total, const smtpc_db *db,
                                          const char *tag, size_t len, smtpc_error *err);

/**
 * Text `text` (enum smtpc_text) of `entry`, an entry of `db`, in language `lang` (`lang_len`
 * bytes; NULL for English): its translation, or the English text when the language has none
 * (`*translated`, when not NULL, tells which: 1 for the language's own words, 0 for English;
 * an empty text counts as translated). Borrowed from `db`. Fails with SMTPC_ELANG, and with
 * SMTPC_EINVAL for a text out of range or an entry of another database.
 */
SMTPC_API int smtpc_entry_text(const char **out, int *translated, const smtpc_db *db,
                               const smtpc_entry *entry, int text, const char *lang,
                               size_t lang_len, smtpc_error *err);

/**
 * Reads a gettext catalog (a PO file, docs/translation.md) of translations into `db`, which
 * must be a database of smtpc_db_load*() not yet shared with other threads: the catalog's
 * header names its language, one of the database's, and each message its text by context
 * ("421 description") with the English as msgid. A fuzzy, empty or stale translation (whose
 * msgid is no longer the database's English) is left out, so the reader gets English there.
 * All or nothing: on failure `db` is as it was and `err` names file:line:column (SMTPC_EDATA:
 * bad syntax, an unknown context or language, a template translated with other placeholders)
 * or the I/O problem (SMTPC_EIO). SMTPC_EINVAL for the built-in database, which is immutable.
 */
SMTPC_API int smtpc_db_load_catalog(smtpc_db *db, const char *path, smtpc_error *err);

/** As smtpc_db_load_catalog(), from `len` bytes at `data`; `source` (may be NULL) names them. */
SMTPC_API int smtpc_db_load_catalog_buffer(smtpc_db *db, const char *data, size_t len,
                                           const char *source, smtpc_error *err);

/**
 * Writes the catalog of `db` for language `lang` (`lang_len` bytes) as a PO file: every text
 * a reader reads, with its context and English, and the language's translation where it has
 * one. With `lang` NULL it is the template (POT) a translator starts from. Ownership as for
 * smtpc_render_comparison(). Fails with SMTPC_ELANG.
 */
SMTPC_API int smtpc_render_catalog(char **out, size_t *out_len, const smtpc_db *db,
                                   const char *lang, size_t lang_len, smtpc_error *err);

/* ---------------------------------------------------------------------------------------------
 * Comparison
 * ------------------------------------------------------------------------------------------- */

/** Two codes side by side: the structure behind the comparison page (docs/comparison-page.md). */
typedef struct smtpc_comparison smtpc_comparison;

/**
 * Compares the codes in `a` and `b` (as smtpc_lookup() reads them; an enhanced code keeps the
 * class it was written with) in language `lang` (`lang_len` bytes; "en" when `lang` is NULL):
 * labels, names, texts and every composed sentence in the words of the language's catalog,
 * English where it has none (smtpc_comparison_fallbacks() lists those, docs/translation.md).
 * The lower code comes first whatever the argument order: basic codes
 * before enhanced ones, then by number, then by class. Comparing a code with itself
 * (including "5.7.1" with "X.7.1") is refused with SMTPC_EINVAL: there is nothing to compare;
 * one enhanced code in two classes ("4.2.2" and "5.2.2") is a real comparison. On success `*out` is
 * owned: free it with smtpc_comparison_free(). It holds pointers into `db`, which must outlive
 * it. On failure `*out` is NULL.
 */
SMTPC_API int smtpc_compare(smtpc_comparison **out, const smtpc_db *db, const char *a,
                            size_t a_len, const char *b, size_t b_len, const char *lang,
                            size_t lang_len, smtpc_error *err);

/** Frees a comparison; NULL is ignored. */
SMTPC_API void smtpc_comparison_free(smtpc_comparison *cmp);

/** The compared entries: side 0 is the lower code, side 1 the higher. NULL for another side.
 *  Borrowed from the database. */
SMTPC_API const smtpc_entry *smtpc_comparison_entry(const smtpc_comparison *cmp, int side);

/** Text `text` (enum smtpc_text) of the entry of side `side` in the comparison's language, or
 *  in English where the language has no translation of it; borrowed from `cmp`. NULL for a bad
 *  side or text. */
SMTPC_API const char *smtpc_comparison_text(const smtpc_comparison *cmp, int side, int text);

/** The code of a side as written for the page ("421", "5.7.1"); borrowed from `cmp`. */
SMTPC_API const char *smtpc_comparison_code(const smtpc_comparison *cmp, int side);

/** The page's sentences that are built rather than copied from an entry. */
enum smtpc_part {
    SMTPC_PART_TITLE = 0, /**< "SMTP 421 Service Not Available vs 504 Parameter Not ..." */
    SMTPC_PART_INTRO = 1, /**< the introduction, one of the two forms of docs/comparison-page.md */
    SMTPC_PART_USAGE = 2, /**< "For 421 (...): ... For 504 (...): ..." */
    SMTPC_PART_LANG = 3   /**< the canonical language tag of the labels */
};

/** Part `which` (enum smtpc_part) of the page, borrowed from `cmp`; NULL for a bad value. */
SMTPC_API const char *smtpc_comparison_part(const smtpc_comparison *cmp, int which);

/** Label `which` (enum smtpc_label) in the comparison's language, borrowed; NULL if bad. */
SMTPC_API const char *smtpc_comparison_label(const smtpc_comparison *cmp, int which);

/** The number of numbered items under "Key differences". */
SMTPC_API size_t smtpc_comparison_difference_count(const smtpc_comparison *cmp);

/** Key difference `index`, one sentence without its number, borrowed from `cmp`; NULL past
 *  the end. */
SMTPC_API const char *smtpc_comparison_difference(const smtpc_comparison *cmp, size_t index);

/**
 * A short machine-readable name of what difference `index` is about: "class", "description",
 * "when", "retry", "connection", "commands", "category", "enhanced", "origin", "references".
 * Borrowed static string; NULL past the end.
 */
SMTPC_API const char *smtpc_comparison_difference_kind(const smtpc_comparison *cmp,
                                                       size_t index);

/** The number of references under "Learn more": both codes' references, each once. */
SMTPC_API size_t smtpc_comparison_reference_count(const smtpc_comparison *cmp);

/** Reference `index` ("RFC 5321 section 4.2.3"), borrowed from `cmp`; NULL past the end. */
SMTPC_API const char *smtpc_comparison_reference(const smtpc_comparison *cmp, size_t index);

/**
 * Writes the web address of a reference as an entry writes it ("RFC 5321 section 4.2.3" or
 * "IANA registry"; `len` bytes) into `buf` of `size` bytes, always terminated when size > 0.
 * Returns the length the address needs, without the terminator, like snprintf, or 0 when the
 * text is not such a reference.
 */
SMTPC_API size_t smtpc_reference_url(char *buf, size_t size, const char *ref, size_t len);

/* ---------------------------------------------------------------------------------------------
 * Rendering
 * ------------------------------------------------------------------------------------------- */

/** Output formats. */
enum smtpc_format {
    SMTPC_FORMAT_TEXT = 0,     /**< plain UTF-8 text, one section after another */
    SMTPC_FORMAT_MARKDOWN = 1, /**< CommonMark, references as links */
    SMTPC_FORMAT_HTML = 2,     /**< a self-contained fragment (one <article>, inline styles) */
    SMTPC_FORMAT_JSON = 3      /**< JSON data: the documents of docs/schema/smtpcodes.schema.json
                                    (docs/json.md); codes are strings, enumerations their
                                    smtpc_enum_name() names */
};

/**
 * Parses a format name ("text", "markdown" or "md", "html", "json"; `len` bytes, case
 * ignored) into `*out` (enum smtpc_format). Fails with SMTPC_EFORMAT.
 */
SMTPC_API int smtpc_format_parse(int *out, const char *name, size_t len, smtpc_error *err);

/**
 * Renders the comparison page in `format` (JSON: the schema's "comparison"). On success `*out`
 * is an owned NUL-terminated string of `*out_len` bytes (out_len may be NULL): free it with
 * smtpc_free(). On failure `*out` is NULL.
 */
SMTPC_API int smtpc_render_comparison(char **out, size_t *out_len, const smtpc_comparison *cmp,
                                      int format, smtpc_error *err);

/**
 * Renders the page of one code as written (what `smtpcodes show` prints): the code in `code`
 * (`code_len` bytes, as smtpc_lookup_closest() reads it), its name, class and category or
 * subject, origin, description, when you see it, how to fix, retry and connection facts, usual
 * enhanced or associated basic codes, see-also, note and references. An enhanced code keeps the
 * class it is written with ("4.7.1": class 4, retried later), and an unregistered one shows its
 * closest registered entry (the JSON's "exact" is then false). The page is in language `lang`
 * as smtpc_compare()'s is (the JSON's "lang" names what fell back to English). JSON: the
 * schema's "code". Ownership as for
 * smtpc_render_comparison(). Fails as smtpc_lookup_closest() and smtpc_compare() do.
 */
SMTPC_API int smtpc_render_code(char **out, size_t *out_len, const smtpc_db *db,
                                const char *code, size_t code_len, const char *lang,
                                size_t lang_len, int format, smtpc_error *err);

/**
 * As smtpc_render_code(), for the code as provider `provider` (a slug; NULL or "" for none,
 * which is smtpc_render_code()) means it: the page of the provider's entry that covers the
 * code (smtpc_lookup_provider()), else the page smtpc_render_code() draws. Fails as
 * smtpc_render_code() does, and with SMTPC_EINVAL for a slug that names no provider.
 */
SMTPC_API int smtpc_render_code_provider(char **out, size_t *out_len, const smtpc_db *db,
                                         const char *provider, const char *code,
                                         size_t code_len, const char *lang, size_t lang_len,
                                         int format, smtpc_error *err);

/**
 * Renders a table of the entries of `db` with code, name, class, origin: all of them when
 * `klass` is 0, else those of reply class `klass` (2-5; an enhanced entry belongs to every
 * class it lists). `kind` is 0 for both kinds or an enum smtpc_kind. JSON gives an array of
 * objects (the schema's "table"). Ownership as for smtpc_render_comparison(). Fails with
 * SMTPC_EINVAL for a class or kind out of range.
 */
SMTPC_API int smtpc_render_table(char **out, size_t *out_len, const smtpc_db *db, int klass,
                                 int kind, int format, smtpc_error *err);

/** As smtpc_render_table(), with the headings, names and classes of text, Markdown and HTML in
 *  language `lang` (`lang_len` bytes; NULL for English); JSON stays English. SMTPC_ELANG for a
 *  language the database lacks. */
SMTPC_API int smtpc_render_table_in(char **out, size_t *out_len, const smtpc_db *db, int klass,
                                    int kind, const char *lang, size_t lang_len, int format,
                                    smtpc_error *err);

/**
 * Renders the languages of `db` (what `smtpcodes languages` prints) with how much of the
 * database each says in its own words (smtpc_language_completeness(), in percent rounded down):
 * text gives one line per language, its tag, its own name and the percentage, tab-separated;
 * Markdown and HTML a list ("fr (Français): 0%"); JSON an array of {"tag", "name",
 * "direction", "translated", "total"} objects (the schema's "languages"). Ownership as for
 * smtpc_render_comparison(). Fails with SMTPC_EINVAL for a NULL argument, SMTPC_EFORMAT.
 */
SMTPC_API int smtpc_render_languages(char **out, size_t *out_len, const smtpc_db *db,
                                     int format, smtpc_error *err);

/**
 * Renders the providers of `db` (what `smtpcodes providers` prints). With `slug` NULL or "":
 * every provider in the order of their slugs with its slug, name, hosts, description and
 * references; JSON an array of objects. With a slug: that provider's page, its facts and then
 * its entries (smtpc_provider_entry_at() order) with code ("4.7.500-699" for a range), name,
 * reason (the `Reason` field as the data writes it) and retry; JSON one object whose `entries`
 * list them. JSON: the schema's "providers". Ownership as for smtpc_render_comparison(). Fails
 * with SMTPC_EINVAL for a NULL argument or a slug that names no provider, SMTPC_EFORMAT.
 */
SMTPC_API int smtpc_render_providers(char **out, size_t *out_len, const smtpc_db *db,
                                     const char *slug, int format, smtpc_error *err);

/** As smtpc_render_providers(), with the headings, descriptions and names of text, Markdown
 *  and HTML in language `lang` (`lang_len` bytes; NULL for English); JSON stays English.
 *  SMTPC_ELANG for a language the database lacks. */
SMTPC_API int smtpc_render_providers_in(char **out, size_t *out_len, const smtpc_db *db,
                                        const char *slug, const char *lang, size_t lang_len,
                                        int format, smtpc_error *err);

/**
 * The members of the comparison's JSON rendering that fell back to English because its
 * language's catalog has no translation of them (the "lang" object, docs/json.md): their JSON
 * Pointers ("/codes/0/fix"), each followed by "\n"; "" when the page says everything in its
 * language, as an English page always does. Ownership as for smtpc_render_comparison().
 */
SMTPC_API int smtpc_comparison_fallbacks(char **out, size_t *out_len, const smtpc_comparison *cmp,
                                         smtpc_error *err);

/**
 * Message `name` of the catalogs in language `lang` (`lang_len` bytes; NULL for English): a
 * template of the sentences the library composes, named as in the catalogs without "template "
 * ("cli-not-registered", docs/translation.md), with its placeholders filled from `names` and
 * `values` (`n` of each; a placeholder without a value is left out). The command line's
 * messages and help are such templates. Ownership as for smtpc_render_comparison(). Fails with
 * SMTPC_EINVAL for a name that is no template, SMTPC_ELANG.
 */
SMTPC_API int smtpc_render_message(char **out, size_t *out_len, const smtpc_db *db,
                                   const char *lang, size_t lang_len, const char *name,
                                   const char *const *names, const char *const *values, size_t n,
                                   smtpc_error *err);

/** Frees a string returned by this library; NULL is ignored. */
SMTPC_API void smtpc_free(void *p);

/* ---------------------------------------------------------------------------------------------
 * Replies: parsing what servers send (RFC 5321 section 4.2, RFC 2034)
 * ------------------------------------------------------------------------------------------- */

/** A parsed reply: code, enhanced code, lines of text. Opaque; free with smtpc_reply_free(). */
typedef struct smtpc_reply smtpc_reply;

/** Longest line the parser accepts in any mode, terminator included. */
#define SMTPC_REPLY_HARD_LINE_LIMIT 65536
/** Most lines one reply may have. */
#define SMTPC_REPLY_MAX_LINES 1000
/** RFC 5321 section 4.5.3.1.5: a reply line is at most 512 octets with its CRLF. */
#define SMTPC_REPLY_RFC_LINE_LIMIT 512

/** Flags for smtpc_reply_parse(). */
enum smtpc_reply_flags {
    /** The input is all there is: a last line without a line end is complete ("250"). Without
     *  it, such a line may still grow and the parser asks for more input. */
    SMTPC_REPLY_COMPLETE = 1,
    /** Refuse lines longer than 512 octets (RFC 5321 section 4.5.3.1.5); without it they are
     *  accepted up to SMTPC_REPLY_HARD_LINE_LIMIT and reported by smtpc_reply_warnings(). */
    SMTPC_REPLY_STRICT_LENGTH = 2,
    /** The reply is inside a log or bounce line: find it after Postfix's "said: ", "reject:
     *  ...: ", "status=sent (", a DSN's "Diagnostic-Code: smtp; " or in Exchange's quotes
     *  ("returned '550 ...'"). A multi-line reply written on one line ("550-5.1.1 a 550 5.1.1
     *  b", as Postfix logs it) is read as its lines; with SMTPC_REPLY_COMPLETE, lines after
     *  the first that start with white space go on with it (a folded header field, RFC 5322
     *  section 2.2.3). */
    SMTPC_REPLY_EMBEDDED = 4
};

/** Things a reply got away with; bits of smtpc_reply_warnings(). */
enum smtpc_reply_warning {
    SMTPC_WARN_CLASS_MISMATCH = 1,  /**< enhanced class differs from the reply's (554 4.4.7) */
    SMTPC_WARN_NONCONFORMING = 2,   /**< second digit above 5 (RFC 5321 section 4.2) */
    SMTPC_WARN_INVALID_UTF8 = 4,    /**< text bytes that are not UTF-8 (kept as they are) */
    SMTPC_WARN_LONG_LINE = 8,       /**< a line over 512 octets (RFC 5321 section 4.5.3.1.5) */
    SMTPC_WARN_BARE_LF = 16,        /**< lines end in LF instead of CRLF */
    SMTPC_WARN_ENHANCED_VARIES = 32 /**< lines carry different enhanced codes; the first is kept */
};

/**
 * Parses one reply from the start of `s` (`len` bytes): one line or many ("250-" continuation
 * lines, then a final "250 " line or a bare "250"), CRLF or bare LF, with an optional RFC 2034
 * enhanced code at the start of each line's text. Text that starts with digits but is no
 * enhanced code ("250-234 Text") is kept as text.
 *
 * On success `*out` is an owned reply and `*consumed` the number of bytes it took (through the
 * final line's end), so that pipelined replies can be read one after another.
 * Returns SMTPC_EINCOMPLETE when `s` holds only the beginning of a reply; `*consumed` is then
 * the least number of further bytes needed (at least 1). Returns SMTPC_EREPLY for text that
 * cannot be a reply, with `err` naming the line and column: codes that differ between lines, a
 * first digit outside 2-5, a non-digit in the code, a line over the limit, a NUL byte, more
 * than SMTPC_REPLY_MAX_LINES lines. `db` (may be NULL for the built-in database) is used to
 * look up the codes. `*out` is NULL on failure.
 */
SMTPC_API int smtpc_reply_parse(smtpc_reply **out, size_t *consumed, const smtpc_db *db,
                                const char *s, size_t len, int flags, smtpc_error *err);

/** Frees a reply; NULL is ignored. */
SMTPC_API void smtpc_reply_free(smtpc_reply *reply);

/** The three-digit reply code (250). */
SMTPC_API int smtpc_reply_code(const smtpc_reply *reply);

/** The enhanced code as sent ("2.1.5"), or "" when the reply has none. Borrowed from reply. */
SMTPC_API const char *smtpc_reply_enhanced(const smtpc_reply *reply);

/** The command the reply answered when the text says so (Postfix's "(in reply to RCPT TO
 *  command)" gives "RCPT", "end of DATA" gives "DATA-END"), else "". Borrowed from reply. */
SMTPC_API const char *smtpc_reply_command(const smtpc_reply *reply);

/** The number of lines (at least 1). */
SMTPC_API size_t smtpc_reply_line_count(const smtpc_reply *reply);

/**
 * The text of line `index` after the code, its separator and the enhanced code (with the one
 * space after it), without the line end; `*len` (may be NULL) receives its length, as the text
 * may hold any byte but NUL. Borrowed from `reply`; NULL past the end.
 */
SMTPC_API const char *smtpc_reply_line(const smtpc_reply *reply, size_t index, size_t *len);

/** All lines' text joined with "\n"; `*len` as for smtpc_reply_line(). Borrowed. */
SMTPC_API const char *smtpc_reply_text(const smtpc_reply *reply, size_t *len);

/** OR of enum smtpc_reply_warning bits. */
SMTPC_API int smtpc_reply_warnings(const smtpc_reply *reply);

/** The database entry of the reply code, or NULL when the database does not know it. Borrowed
 *  from the database the reply was parsed with. */
SMTPC_API const smtpc_entry *smtpc_reply_entry(const smtpc_reply *reply);

/** The entry of the enhanced code, the closest registered one for an unregistered code
 *  (smtpc_lookup_closest), or NULL when the reply has no enhanced code. Borrowed likewise. */
SMTPC_API const smtpc_entry *smtpc_reply_enhanced_entry(const smtpc_reply *reply);

/* ---------------------------------------------------------------------------------------------
 * Reply streams: replies one after another, from input that arrives in pieces
 * ------------------------------------------------------------------------------------------- */

/**
 * A reader of the replies in a stream: a socket, a pipe, a session transcript, a log. Input is
 * fed in pieces split anywhere; complete replies are taken one at a time. Blank lines between
 * replies are skipped. A malformed reply is reported with its position in the whole stream
 * and the stream drops the input through the end of the faulty line, then goes on with what
 * follows. With SMTPC_REPLY_EMBEDDED each line is a log or bounce line: one that holds no reply
 * is skipped and counted (smtpc_reply_stream_skipped()), not an error. Opaque; one stream is
 * read by one thread at a time.
 */
typedef struct smtpc_reply_stream smtpc_reply_stream;

/**
 * Creates a stream whose replies are looked up in `db` (NULL for the built-in database, which
 * must outlive the stream and its replies). `flags` are SMTPC_REPLY_STRICT_LENGTH and
 * SMTPC_REPLY_EMBEDDED (SMTPC_REPLY_COMPLETE is for smtpc_reply_stream_close() to set). On
 * success `*out` is owned: free it with smtpc_reply_stream_free(). Fails with SMTPC_EINVAL for
 * an unknown flag, SMTPC_ENOMEM.
 */
SMTPC_API int smtpc_reply_stream_new(smtpc_reply_stream **out, const smtpc_db *db, int flags,
                                     smtpc_error *err);

/** Frees a stream and the input it holds; NULL is ignored. Replies taken from it stay valid. */
SMTPC_API void smtpc_reply_stream_free(smtpc_reply_stream *stream);

/**
 * Appends `len` bytes of input (copied). The stream keeps at most one reply's worth of input
 * that is not complete yet: a line that grows past SMTPC_REPLY_HARD_LINE_LIMIT is reported by
 * smtpc_reply_stream_next() as an error and dropped. Fails with SMTPC_EINVAL after
 * smtpc_reply_stream_close(), SMTPC_ENOMEM (nothing is appended then).
 */
SMTPC_API int smtpc_reply_stream_feed(smtpc_reply_stream *stream, const char *data, size_t len,
                                      smtpc_error *err);

/** Ends the input: a last line without a line end is complete now, and what cannot be
 *  completed any more (a "250-" line without its final line) is reported as malformed by
 *  smtpc_reply_stream_next(). Closing twice does nothing. */
SMTPC_API void smtpc_reply_stream_close(smtpc_reply_stream *stream);

/**
 * Takes the next complete reply. Returns 0 with `*out` an owned reply (free it with
 * smtpc_reply_free()), or 0 with `*out` NULL when no complete reply is held: feed more input
 * (smtpc_reply_stream_needed() says how much at least), or, after close, the stream is done.
 * Returns SMTPC_EREPLY for a malformed reply, `*out` NULL and `err` naming the line of the
 * whole stream (1-based, counting every line fed) and the column; the faulty input is dropped
 * through the end of its line, so the next call goes on after it. SMTPC_ENOMEM likewise leaves
 * the stream usable.
 */
SMTPC_API int smtpc_reply_stream_next(smtpc_reply **out, smtpc_reply_stream *stream,
                                      smtpc_error *err);

/** The least number of further bytes that can complete a reply: a caller that reads exactly
 *  that much never wakes the stream for nothing. 0 once closed. */
SMTPC_API size_t smtpc_reply_stream_needed(const smtpc_reply_stream *stream);

/** The number of bytes held that do not make a complete reply yet. */
SMTPC_API size_t smtpc_reply_stream_buffered(const smtpc_reply_stream *stream);

/** The number of lines of the stream taken so far (by replies, blank lines, skipped lines and
 *  dropped faulty lines): the line number of the last line read. */
SMTPC_API unsigned long long smtpc_reply_stream_line(const smtpc_reply_stream *stream);

/** With SMTPC_REPLY_EMBEDDED: the number of lines that held no reply and were skipped. */
SMTPC_API unsigned long long smtpc_reply_stream_skipped(const smtpc_reply_stream *stream);

/** The number of malformed replies reported so far. */
SMTPC_API unsigned long long smtpc_reply_stream_errors(const smtpc_reply_stream *stream);

/* ---------------------------------------------------------------------------------------------
 * Classification: what a client does about a reply
 * ------------------------------------------------------------------------------------------- */

/** What to do next. */
enum smtpc_action {
    SMTPC_ACTION_DONE = 1,     /**< the request succeeded */
    SMTPC_ACTION_CONTINUE = 2, /**< send what the server asks for next (3xx) */
    SMTPC_ACTION_RETRY = 3,    /**< try the same again later */
    SMTPC_ACTION_GIVE_UP = 4   /**< do not try the same again; bounce or fix the cause */
};

/** Why; bits of smtpc_verdict.flags. */
enum smtpc_verdict_flags {
    SMTPC_VERDICT_CLASS_MISMATCH = 1,    /**< reply and enhanced class disagree; the reply won */
    SMTPC_VERDICT_UNKNOWN_CODE = 2,      /**< decided by the first digit (RFC 5321 section 4.2) */
    SMTPC_VERDICT_CONNECTION_CLOSED = 4, /**< the server closes the channel (221, 421) */
    SMTPC_VERDICT_OVERRIDDEN = 8         /**< a rule overrode the first digit (see rule) */
};

/** The outcome of smtpc_classify(). `rule` and `explanation` are static strings; `reason` is
 *  static or borrowed from the database the reply was parsed with (forever for the built-in
 *  one). */
typedef struct smtpc_verdict {
    int action;              /**< enum smtpc_action */
    int flags;               /**< enum smtpc_verdict_flags bits */
    const char *rule;        /**< short name of the deciding rule: "class",
                                  "too-many-recipients", "mailbox-full", "unknown-code",
                                  "class-mismatch" */
    const char *explanation; /**< one English sentence that cites the RFC section */
    const char *reason;      /**< why a 4xx or 5xx reply failed, as smtpc_reason_decide() names
                                  it ("userunknown", "undefined"); "" for 2xx and 3xx */
} smtpc_verdict;

/**
 * Decides what a client should do about `reply`, which answered `command`: NULL or "" when
 * not known (then the command the reply's text names, if any, is used), else a command as
 * smtpc_command_parse() reads it ("RCPT", "RCPT TO:<a@b>", "end of DATA"); an unknown command
 * fails with SMTPC_ECOMMAND. The first digit decides (2 done, 3 continue, 4 retry, 5 give up;
 * RFC 5321 section 4.2.1), except that:
 *  - a 552 answering RCPT, without an enhanced code or with X.5.3, is "too many recipients"
 *    and is retried (RFC 5321 section 4.5.3.1.10);
 *  - an enhanced code X.2.2 (mailbox full) is a persistent transient condition and is retried
 *    even in a 5xx reply (RFC 3463 section 3.3);
 *  - a reply whose enhanced class disagrees with its code (554 4.4.7) is decided by the reply
 *    code, which is what RFC 5321 clients act on, and flagged;
 *  - an unknown code is decided by its first digit (RFC 5321 section 4.2) and flagged.
 * The `reason` of a 4xx or 5xx reply is smtpc_reason_decide() with the reply's code, enhanced
 * code, the command and the reply's text (smtpc_reply_text()). Fails with SMTPC_ENOMEM when
 * the text is too long to search (over 1 KiB, it is lower-cased on the heap).
 */
SMTPC_API int smtpc_classify(smtpc_verdict *out, const smtpc_reply *reply, const char *command,
                             size_t command_len, smtpc_error *err);

/**
 * As smtpc_classify(), for a reply from the server `host` (`host_len` bytes: the host name of
 * the MX or relay that sent it, or an address at its domain): when the host belongs to a
 * provider (smtpc_provider_of_host()), the provider's patterns and its meanings of enhanced
 * codes decide the reason first (smtpc_reason_decide()). `host_len` 0 is smtpc_classify().
 */
SMTPC_API int smtpc_classify_host(smtpc_verdict *out, const smtpc_reply *reply,
                                  const char *command, size_t command_len, const char *host,
                                  size_t host_len, smtpc_error *err);

/**
 * As smtpc_classify(), for a reply known only by its parts: the reply code `code` (200-599),
 * the enhanced code `enhanced` sent with it (`enhanced_len` bytes; NULL or "" for none) and the
 * command it answered (as for smtpc_classify()). `db` may be NULL for the built-in database.
 * Fails with SMTPC_EINVAL for a code outside 200-599, SMTPC_ESYNTAX for an enhanced text that
 * is no enhanced code, SMTPC_ECOMMAND for an unknown command. The `reason` is decided from the
 * codes and the command alone (there is no text).
 */
SMTPC_API int smtpc_classify_code(smtpc_verdict *out, const smtpc_db *db, int code,
                                  const char *enhanced, size_t enhanced_len,
                                  const char *command, size_t command_len, smtpc_error *err);

/**
 * As smtpc_classify_code(), with what else is known of the reply: its text (`text_len` bytes;
 * NULL or empty for none), which decides the reason as smtpc_classify() reads a reply's text,
 * and `provider`, the slug of the provider whose server sent it (NULL or "" for none;
 * smtpc_provider_of_host() finds the provider of a host), whose patterns and meanings of
 * enhanced codes decide the reason first (smtpc_reason_decide()). Without text and provider
 * it is smtpc_classify_code(). Fails as smtpc_classify_code() does, and with SMTPC_EINVAL for
 * a slug that names no provider.
 */
SMTPC_API int smtpc_classify_parts(smtpc_verdict *out, const smtpc_db *db, const char *provider,
                                   int code, const char *enhanced, size_t enhanced_len,
                                   const char *command, size_t command_len, const char *text,
                                   size_t text_len, smtpc_error *err);

/**
 * Renders a parsed reply with its explanation and verdict (smtpc_classify() with `command`):
 * code and name, enhanced code and name, lines, warnings, action, rule and explanation. JSON
 * (the schema's "reply") is one object on one line, so that a stream of replies renders as
 * JSON Lines. Ownership as for
 * smtpc_render_comparison().
 */
SMTPC_API int smtpc_render_reply(char **out, size_t *out_len, const smtpc_reply *reply,
                                 const char *command, size_t command_len, int format,
                                 smtpc_error *err);

/**
 * As smtpc_render_reply(), for a reply from a server of provider `provider` (a slug; NULL or
 * "" for none, which is smtpc_render_reply()): the verdict's reason is decided with the
 * provider's patterns and meanings first, as smtpc_classify_host() decides it for one of the
 * provider's hosts. Fails with SMTPC_EINVAL for a slug that names no provider.
 */
SMTPC_API int smtpc_render_reply_provider(char **out, size_t *out_len, const smtpc_reply *reply,
                                          const char *command, size_t command_len,
                                          const char *provider, int format, smtpc_error *err);

/**
 * As smtpc_render_reply_provider(), in language `lang` (`lang_len` bytes; NULL for English,
 * resolved as smtpc_language_resolve() resolves it): the facts' names, the codes' names and the
 * explanation in the language's words, English where its catalog has none (the JSON's "lang"
 * names those members). Fails as smtpc_render_reply_provider() does, and with SMTPC_ELANG.
 */
SMTPC_API int smtpc_render_reply_in(char **out, size_t *out_len, const smtpc_reply *reply,
                                    const char *command, size_t command_len,
                                    const char *provider, const char *lang, size_t lang_len,
                                    int format, smtpc_error *err);


/* ---------------------------------------------------------------------------------------------
 * Building replies (the server side)
 * ------------------------------------------------------------------------------------------- */

/**
 * Builds the wire form of a reply: "550 5.7.1 text\r\n", or continuation lines "550-5.7.1
 * ...\r\n" when the text does not fit in 512 octets (RFC 5321 section 4.5.3.1.5), with the
 * enhanced code repeated on every line (RFC 2034 section 4). Lines break after a space where
 * there is one, so that joining the parsed lines' texts gives `text` back exactly.
 * `code` is 200-599; `enhanced` (may be NULL or "") must have the class of `code`; `text` (may
 * be NULL or empty: then the database's wording, the registry text of the enhanced code or the
 * name of the reply code) may hold only printable ASCII and spaces (RFC 5321 textstring, no CR,
 * LF or other control bytes, no bytes above 126), and no more than fits in
 * SMTPC_REPLY_MAX_LINES lines, the most smtpc_reply_parse() reads. On success `*out` is an owned string of
 * `*out_len` bytes (out_len may be NULL); free it with smtpc_free().
 */
SMTPC_API int smtpc_reply_build(char **out, size_t *out_len, const smtpc_db *db, int code,
                                const char *enhanced, size_t enhanced_len, const char *text,
                                size_t text_len, smtpc_error *err);

/* ---------------------------------------------------------------------------------------------
 * Scanning logs and bounces
 * ------------------------------------------------------------------------------------------- */

/** A running count of the replies found in text fed to it: mail logs, bounce messages. */
typedef struct smtpc_scanner smtpc_scanner;

/** Creates a scanner over `db` (NULL for the built-in database). Free with
 *  smtpc_scanner_free(). */
SMTPC_API int smtpc_scanner_new(smtpc_scanner **out, const smtpc_db *db, smtpc_error *err);

/** Frees a scanner; NULL is ignored. */
SMTPC_API void smtpc_scanner_free(smtpc_scanner *scanner);

/**
 * Feeds `len` bytes; lines may be split anywhere across calls. Memory stays bounded by the
 * number of distinct codes and the longest line kept (lines longer than
 * SMTPC_REPLY_HARD_LINE_LIMIT are skipped and counted).
 *
 * The input may be compressed (enum smtpc_compression): it is decoded as it streams in, with
 * memory bounded by the decoder (never the whole input), so a rotated log is read as it is.
 * Fails with SMTPC_EINPUT, `err` saying what is wrong, for input compressed in a format this
 * build lacks ("zstd-compressed input, but this smtpcodes was built without libzstd"), for
 * corrupt compressed data (with its offset in the compressed input), and for input that is no
 * text: decided on the first 4096 bytes of text (or fewer at smtpc_scanner_finish()), which
 * are binary when they hold a NUL byte, or when more than 1 in 10 of them are control
 * characters other than tab, line feed, carriage return, form feed, vertical tab and escape;
 * the error names what the data is when its magic number is known ("a zip archive"). After an
 * SMTPC_EINPUT every feed fails with it again, until smtpc_scanner_finish().
 */
SMTPC_API int smtpc_scanner_feed(smtpc_scanner *scanner, const char *data, size_t len,
                                 smtpc_error *err);

/**
 * Ends the input: a last line without a line end is scanned too, and the rows are sorted.
 * Fails with SMTPC_EINPUT when the input was compressed and ends inside a compressed stream
 * ("truncated gzip data ..."), or for any earlier SMTPC_EINPUT of smtpc_scanner_feed(); the
 * summary is then not to be used. The next feed starts a new input, whose format is found
 * again from its first bytes.
 */
SMTPC_API int smtpc_scanner_finish(smtpc_scanner *scanner, smtpc_error *err);

/**
 * What the scanner's input can be. The format is found from the input's first bytes (its magic
 * number), never from a file name: gzip (1f 8b, RFC 1952), xz (fd 37 7a 58 5a 00), bzip2
 * ("BZh" and a digit 1-9), zstd (28 b5 2f fd, RFC 8878); anything else is read as text.
 */
enum smtpc_compression {
    SMTPC_COMPRESSION_NONE = 0, /**< text, as it is */
    SMTPC_COMPRESSION_GZIP,     /**< gzip, one member or several (zlib) */
    SMTPC_COMPRESSION_XZ,       /**< xz, one stream or several (liblzma) */
    SMTPC_COMPRESSION_BZIP2,    /**< bzip2, one stream or several (libbz2) */
    SMTPC_COMPRESSION_ZSTD      /**< zstd, one frame or several (libzstd) */
};

/**
 * 1 when this build of smtpcodes reads input compressed as `compression`, else 0 (also for a
 * value outside the enumeration). Text (SMTPC_COMPRESSION_NONE) and gzip are always read; xz,
 * bzip2 and zstd are when their library was found at build time. Input in a format that is
 * not built in fails with SMTPC_EINPUT, naming the format and the missing library.
 */
SMTPC_API int smtpc_scan_supports(enum smtpc_compression compression);

/**
 * What the input of `scanner` turned out to be: the format of its first bytes once enough of
 * them (up to six) are known; SMTPC_COMPRESSION_NONE for text, and before that. It stays after
 * smtpc_scanner_finish(), until the next input's first bytes are known.
 */
SMTPC_API enum smtpc_compression smtpc_scanner_compression(const smtpc_scanner *scanner);

/** The most bytes of a line that a scan row keeps as its sample. */
#define SMTPC_SCAN_SAMPLE_MAX 400

/**
 * The summary: lines read, replies found, one row per (code, enhanced code) pair.
 *
 * A row counts every reply with its pair and shows one of the lines they were on: its sample
 * line, whose reply gives the row's `action` and `reason`. The sample line is the least of the
 * row's lines in byte order of their first SMTPC_SCAN_SAMPLE_MAX bytes (a line that is a
 * prefix of another comes first); lines that differ only after those bytes are ordered by
 * their action, then their reason. The rule does not depend on the order in which lines arrive, so the summaries
 * of the parts of a log, merged in any order (smtpc_scanner_merge()), are the summary of the
 * whole log row for row. (In a log whose lines start with a timestamp, it is most often the
 * earliest line.)
 */
typedef struct smtpc_scan_row {
    int code;                   /**< the reply code; 0 for delivery attempts that got none
                                     (their row is that of the status their MTA states) */
    const char *enhanced;       /**< the enhanced code ("5.1.1"), or "" */
    unsigned long long count;   /**< how many replies */
    const char *sample;         /**< the sample line (without its line end, at most
                                     SMTPC_SCAN_SAMPLE_MAX bytes; it may hold NUL bytes: see
                                     sample_len) */
    size_t sample_len;          /**< the length of sample */
    const smtpc_entry *entry;   /**< the code's entry, or NULL */
    const smtpc_entry *enhanced_entry; /**< the enhanced code's closest entry, or NULL */
    int action;                 /**< enum smtpc_action of smtpc_classify() */
    const char *reason;         /**< the reason of a failure (smtpc_verdict's `reason`) decided
                                     from the sample line's reply (its text to the end of the
                                     line, which `sample` may cut) and the command a Postfix
                                     "(in reply to RCPT TO command)" names there; "" for 2xx
                                     and 3xx. Static or borrowed from the scanner's database */
} smtpc_scan_row;

/** Counts: lines read, replies found, over-long lines skipped. */
SMTPC_API unsigned long long smtpc_scanner_lines(const smtpc_scanner *scanner);
SMTPC_API unsigned long long smtpc_scanner_replies(const smtpc_scanner *scanner);
SMTPC_API unsigned long long smtpc_scanner_skipped(const smtpc_scanner *scanner);

/** The number of rows, and row `index`: in order of code then enhanced code (the rows of
 *  attempts without a reply, code 0, last) once
 *  smtpc_scanner_finish() or smtpc_scanner_merge() has been called, in order of first
 *  appearance before. Borrowed from the scanner until it is fed, merged into or freed; NULL
 *  past the end. */
SMTPC_API size_t smtpc_scanner_row_count(const smtpc_scanner *scanner);
SMTPC_API const smtpc_scan_row *smtpc_scanner_row(const smtpc_scanner *scanner, size_t index);

/* ---- what a scan counts by: delivery attempts (docs/logs.md) ---- */

/**
 * Besides the rows, a scan counts DELIVERY ATTEMPTS: the lines in which a mail server (Postfix,
 * Exim, Sendmail, OpenSMTPD, Exchange and Microsoft 365 exports, Dovecot) concludes an attempt
 * to deliver a message to one recipient, and the recipients of the bounce messages of an mbox.
 * Each attempt is counted once, however many lines of its MTA repeat its reply; a line of a
 * known MTA that concludes nothing counts no reply, and a message header line ("Subject: 550
 * reasons ...") is no reply. An attempt's row is that of its reply, else (0, the status the
 * MTA states, "4.4.1"), else (0, "") when it gives no code at all ("Connection timed out").
 *
 * Attempts are grouped by up to SMTPC_SCAN_MAX_AXES axes (smtpc_scanner_group_by()): a group
 * per distinct tuple of values, counting its attempts by outcome.
 */
enum smtpc_scan_axis {
    SMTPC_SCAN_BY_DOMAIN = 0,        /**< the recipient's domain, lower-cased; a local
                                          recipient's own name */
    SMTPC_SCAN_BY_RELAY = 1,         /**< the host the attempt went to or came from: its name,
                                          else its address */
    SMTPC_SCAN_BY_REASON = 2,        /**< why it failed (smtpc_reason_decide()), "" when
                                          delivered */
    SMTPC_SCAN_BY_SENDER_DOMAIN = 3, /**< the envelope sender's domain, from the line or from
                                          the MTA's earlier line on the same queue ID; "<>" for
                                          the null sender */
    SMTPC_SCAN_BY_TIME = 4,          /**< the time bucket the attempt falls in,
                                          "2024-11-23 10:00" (UTC; smtpc_scanner_set_bucket()) */
    SMTPC_SCAN_BY_CODE = 5,          /**< the reply code and enhanced code, "550 5.1.1" */
    SMTPC_SCAN_BY_MTA = 6            /**< the MTA that wrote the line: "postfix", "exim" ... */
};

/** What became of an attempt. */
enum smtpc_scan_outcome {
    SMTPC_SCAN_DELIVERED = 0, /**< accepted by the next hop, or put in the mailbox */
    SMTPC_SCAN_DEFERRED = 1,  /**< failed for now: the MTA retries */
    SMTPC_SCAN_BOUNCED = 2,   /**< failed for good: returned to the sender */
    SMTPC_SCAN_REJECTED = 3   /**< refused by this server while receiving the message */
};
#define SMTPC_SCAN_OUTCOMES 4
#define SMTPC_SCAN_MAX_AXES 4

/**
 * Groups the attempts by `axes`: axis names (smtpc_enum_name(SMTPC_ENUM_SCAN_AXIS, ...)) joined
 * by ",", "domain,reason"; NULL or "" for no groups (the default). Only before the first feed.
 * Fails with SMTPC_EINVAL for NULL `scanner`, a scanner already fed, an unknown or repeated
 * name or more than SMTPC_SCAN_MAX_AXES (`err` giving the column).
 */
SMTPC_API int smtpc_scanner_group_by(smtpc_scanner *scanner, const char *axes, smtpc_error *err);

/** The length of the time buckets in seconds (default 3600), 60 to 31 days; only before the
 *  first feed. SMTPC_EINVAL otherwise. */
SMTPC_API int smtpc_scanner_set_bucket(smtpc_scanner *scanner, long long seconds,
                                       smtpc_error *err);

/** The year of the timestamps that have none (syslog's "Nov 23 10:02:11"): 1970 to 9999;
 *  by default the current year (UTC) when the scanner was made. Only before the first feed.
 *  SMTPC_EINVAL otherwise. */
SMTPC_API int smtpc_scanner_set_year(smtpc_scanner *scanner, int year, smtpc_error *err);

/** Reads a duration for smtpc_scanner_set_bucket(): a number of seconds, or a number and a
 *  unit "s", "m", "h" or "d" ("15m", "1h", "1d"). SMTPC_EINVAL with the column of what is
 *  wrong. */
SMTPC_API int smtpc_duration_parse(long long *seconds, const char *text, size_t text_len,
                                   smtpc_error *err);

/**
 * Creates an empty scanner set up as `model` is: its database, axes, time buckets and year of
 * timestamps (as for scanning parts of a log on threads or other machines, whose
 * summaries then merge). Free it with smtpc_scanner_free(). SMTPC_EINVAL for NULL,
 * SMTPC_ENOMEM.
 */
SMTPC_API int smtpc_scanner_new_like(smtpc_scanner **out, const smtpc_scanner *model,
                                     smtpc_error *err);

/** The number of axes, and axis `index` (enum smtpc_scan_axis; -1 past the end). */
SMTPC_API size_t smtpc_scanner_axis_count(const smtpc_scanner *scanner);
SMTPC_API int smtpc_scanner_axis(const smtpc_scanner *scanner, size_t index);
SMTPC_API long long smtpc_scanner_bucket(const smtpc_scanner *scanner);

/** The attempts counted, in all and with `outcome` (enum smtpc_scan_outcome; 0 for another). */
SMTPC_API unsigned long long smtpc_scanner_attempts(const smtpc_scanner *scanner);
SMTPC_API unsigned long long smtpc_scanner_outcome(const smtpc_scanner *scanner, int outcome);

/** A group of attempts. Its sample is the least of its lines by the rule of smtpc_scan_row. */
typedef struct smtpc_scan_group {
    const char *values[SMTPC_SCAN_MAX_AXES]; /**< its value on each axis, in the order of
                                                  smtpc_scanner_axis(); "" when unknown;
                                                  NULL past the axes */
    unsigned long long count;                /**< its attempts */
    unsigned long long outcomes[SMTPC_SCAN_OUTCOMES]; /**< of them, by enum smtpc_scan_outcome */
    const char *sample;                      /**< one of its lines, at most
                                                  SMTPC_SCAN_SAMPLE_MAX bytes */
    size_t sample_len;
} smtpc_scan_group;

/**
 * The number of groups, and group `index` (NULL past the end). Once the scanner is finished or
 * merged into, the groups are ordered by count, most first, then by their values in byte
 * order; when the first axis is "time", by their values (the buckets in time order). Borrowed
 * as the rows are.
 */
SMTPC_API size_t smtpc_scanner_group_count(const smtpc_scanner *scanner);
SMTPC_API const smtpc_scan_group *smtpc_scanner_group(const smtpc_scanner *scanner,
                                                      size_t index);

/**
 * 1 when the scanner read its input line by line: no message (an mbox's, or an input that
 * starts with a header) and no export whose header line names its columns. The summaries of
 * the parts of such an input, cut at line ends and merged in any order, are the summary of
 * the whole (as long as no axis is the sender's domain, which a part may not know); a part
 * that starts inside a message, or an export's rows without its header, read otherwise.
 */
SMTPC_API int smtpc_scanner_line_by_line(const smtpc_scanner *scanner);

/* ---- resuming: where the last scan of each log stopped (docs/logs.md, "Resuming") ---- */

/**
 * Where earlier scans stopped, for a nightly run to read only what was written since. An input
 * is known by its first bytes of text (at most SMTPC_SCAN_STATE_HEAD, decoded when it is
 * compressed), which do not change as a log grows, nor when logrotate renames it (mail.log to
 * mail.log.1) or compresses it (mail.log.2.gz): the state says how much of its text was read.
 */
typedef struct smtpc_scan_state smtpc_scan_state;
#define SMTPC_SCAN_STATE_HEAD 1024
#define SMTPC_SCAN_STATE_MAX 1000 /**< inputs a state keeps, the last recorded ones */

/**
 * Reads a state saved by smtpc_scan_state_save() (`text_len` 0: a new, empty state). Fails with
 * SMTPC_EDATA for text that is not a saved state, `err` giving the line and column;
 * SMTPC_EINVAL for NULL, SMTPC_ENOMEM. Free it with smtpc_scan_state_free().
 */
SMTPC_API int smtpc_scan_state_load(smtpc_scan_state **out, const char *text, size_t text_len,
                                    smtpc_error *err);

/** The state as text ("smtpcodes-state 1", one line per input); ownership as for
 *  smtpc_scanner_save(). */
SMTPC_API int smtpc_scan_state_save(char **out, size_t *out_len, const smtpc_scan_state *state,
                                    smtpc_error *err);

SMTPC_API void smtpc_scan_state_free(smtpc_scan_state *state);

/** The number of inputs the state knows. */
SMTPC_API size_t smtpc_scan_state_count(const smtpc_scan_state *state);

/**
 * Makes `scanner` resume where `state` says its input was last read: the scanner holds back
 * the first SMTPC_SCAN_STATE_HEAD bytes of text (or all of a shorter input, until finish),
 * finds the input in the state by them, and skips the text read before; an input the state
 * does not know is read whole. A resumed scan also leaves a last line without its line end
 * (a line still being written) unread, for the next run. Only before the first feed; the state
 * must outlive the scan. SMTPC_EINVAL for NULL or a scanner already fed.
 */
SMTPC_API int smtpc_scanner_resume(smtpc_scanner *scanner, const smtpc_scan_state *state,
                                   smtpc_error *err);

/** How many bytes of its input's text a resumed scan skipped (0 for an input read whole). */
SMTPC_API unsigned long long smtpc_scanner_skipped_bytes(const smtpc_scanner *scanner);

/**
 * Records in `state` how far the finished `scanner` read its input: the input, known by its
 * first bytes, read up to its last line end. It replaces what the state knew of the same input;
 * an empty input is not recorded. Past SMTPC_SCAN_STATE_MAX inputs, the least recently
 * recorded is dropped. SMTPC_EINVAL for NULL or a scanner not finished, SMTPC_ENOMEM.
 */
SMTPC_API int smtpc_scan_state_record(smtpc_scan_state *state, const smtpc_scanner *scanner,
                                      smtpc_error *err);

/**
 * Adds the summary of `from` into `into`: its lines, replies and skipped lines, and each of its
 * rows to the row of the same pair (or as a new row), whose sample line is then the lesser of
 * the two by the rule of smtpc_scan_row. Merging is commutative and associative, and
 * scanning a log in parts and merging the parts' summaries gives the summary of the whole log,
 * when the parts are cut at line ends: a line cut in two is two lines to two scanners.
 *
 * Either scanner may be finished or not. `into` may go on being fed afterwards, and keeps the
 * start of a line it holds; `from` must not hold one (its last feed ended with a line end, or
 * it was finished), since that line is not counted yet. Afterwards the rows of `into` are in
 * order of code then enhanced code. `from` is left as it is, and may be `into` itself (which
 * doubles every count).
 *
 * Fails with SMTPC_EINVAL for NULL, for scanners made with different databases (their rows'
 * entries, actions and reasons are different databases' decisions; load both summaries into
 * one database with smtpc_scanner_save() and smtpc_scanner_load() to combine them anyway), or
 * for a `from` that holds the start of a line; with SMTPC_ENOMEM. On failure `into` holds the
 * same summary as before.
 */
SMTPC_API int smtpc_scanner_merge(smtpc_scanner *into, const smtpc_scanner *from,
                                  smtpc_error *err);

/**
 * Writes the summary of `scanner` in the saved form, to be read back with smtpc_scanner_load()
 * (in this process or another one, to store a summary or send it to be merged): ASCII text,
 * one record a line, versioned (docs/replies.md, "The saved form"). It holds the counts and,
 * for each row, the code, the enhanced code, the count, the action, the reason and the sample
 * line; the entries are looked up again when it is loaded. The form is canonical: summaries
 * with the same counts and rows have the same saved form, whatever the order of their rows.
 * On success `*out` is an owned string of `*out_len` bytes (out_len may be NULL); free it with
 * smtpc_free(). Fails with SMTPC_EINVAL for NULL or a scanner that holds the start of a line
 * (finish its scan first), or SMTPC_ENOMEM.
 */
SMTPC_API int smtpc_scanner_save(char **out, size_t *out_len, const smtpc_scanner *scanner,
                                 smtpc_error *err);

/**
 * Reads a summary in the saved form of smtpc_scanner_save() into a new scanner over `db` (NULL
 * for the built-in database), as a finished scan: its rows in order, ready to be rendered,
 * merged or fed more. Free it with smtpc_scanner_free(). Fails with SMTPC_EDATA for text that
 * is not a saved summary of this version, breaks the form (a field, an escape, the order of
 * the rows, a missing `end` line: cut short) or contradicts itself (counts that do not add
 * up), or names a reason that `db` does not know; `err` then gives the line and column and
 * says what is wrong, and `*out` is NULL: nothing is half-loaded. SMTPC_EINVAL for NULL,
 * SMTPC_ENOMEM.
 */
SMTPC_API int smtpc_scanner_load(smtpc_scanner **out, const smtpc_db *db, const char *data,
                                 size_t len, smtpc_error *err);

/** Renders the summary as a table (text, Markdown, HTML) or JSON (the schema's "scan"): the
 *  rows, the attempts by outcome and, when there are axes, the groups (in HTML with a chart
 *  of them as SVG). Ownership as for smtpc_render_comparison(). */
SMTPC_API int smtpc_render_scan(char **out, size_t *out_len, const smtpc_scanner *scanner,
                                int format, smtpc_error *err);

/** As smtpc_render_scan(), showing only the first `top` groups (0 for all); the rest are
 *  summed in one line (JSON: "groups_total" says how many there are). */
SMTPC_API int smtpc_render_scan_top(char **out, size_t *out_len, const smtpc_scanner *scanner,
                                    int format, size_t top, smtpc_error *err);

/** As smtpc_render_scan_top(), with the headings, names and sentences of text, Markdown and
 *  HTML in language `lang` (`lang_len` bytes; NULL for English); the JSON summary is data and
 *  stays English. Fails with SMTPC_ELANG for a language the scanner's database lacks. */
SMTPC_API int smtpc_render_scan_in(char **out, size_t *out_len, const smtpc_scanner *scanner,
                                   size_t top, const char *lang, size_t lang_len, int format,
                                   smtpc_error *err);

/**
 * Feeds `scanner` the lines of the file at `path` that start in the byte range [start, end),
 * read by the core, so that one log can be scanned in parts on many workers. A line starts at
 * offset 0 and after each LF, and belongs to the range in which its first byte lies: the
 * range's first line is skipped unless it starts at `start` (the byte before `start` is an
 * LF), and its last line is read past `end` to its LF or to the end of the file. So ranges
 * that cut a file anywhere (inside a line, between CR and LF) feed each line exactly once,
 * whole, and the summaries of the ranges, merged in any order (smtpc_scanner_merge()), equal
 * the summary of the whole file. `end` may lie past the end of the file; a range in which no
 * line starts (`start == end`, or inside the file's last line) feeds nothing.
 *
 * For files that hold plain text: a compressed file can only be read whole, from 0 to its end.
 * `scanner` should hold no start of a line (it is new, or its input so far ended with a line
 * end), or that line would continue with the range's first line. Call smtpc_scanner_finish()
 * afterwards, as after any feed: the file's last line may have no line end. The file is read
 * in chunks of a megabyte; memory stays bounded as with smtpc_scanner_feed().
 *
 * Fails with SMTPC_EINVAL for NULL or `start` after `end`; SMTPC_EIO when the file cannot be
 * opened, positioned or read, whatever the range, a directory among them (`err` names the file
 * and says why; the scanner may then hold part of the range); SMTPC_ENOMEM.
 */
SMTPC_API int smtpc_scanner_feed_file_range(smtpc_scanner *scanner, const char *path,
                                            unsigned long long start, unsigned long long end,
                                            smtpc_error *err);

/* ---- reasons: why a delivery failed (docs/bounces.md) ---- */

/**
 * Why a message was not delivered, in words a postmaster acts on: "userunknown",
 * "mailboxfull", "blocked", "spamdetected" ... (the names of the `Reason` records of the data
 * file; docs/data-format.md). A decision names its evidence: the rule that decided and the text
 * it matched, so that a reader can check it.
 */
typedef struct smtpc_reason {
    const char *name;     /**< "userunknown"; "undefined" when nothing decides */
    int hard;             /**< 1: a hard failure (do not retry the address unchanged), 0: soft
                               (it may succeed later), -1: not a failure (delivered, feedback,
                               vacation, a 2xx or 3xx code), or nothing at all to tell by */
    const char *rule;     /**< what decided: "action", "feedback", "auto-reply", "pattern",
                               "enhanced", "code", "class" or "none" */
    const char *evidence; /**< the text that rule matched ("5.1.1", "mailbox is full"), or "" */
    size_t evidence_len;  /**< its length (it points into the text that was read, or for the
                               rule "code" into the database: the entry's code, "552") */
} smtpc_reason;

/**
 * Decides the reason of a failure from its parts, deterministically and in time linear in
 * `text_len`: the reply code `code` (0 when none), the enhanced code `enhanced` (NULL or "" for
 * none), the command it answered (NULL or "" when not known; as smtpc_command_parse() reads it)
 * and the diagnostic `text` (`text_len` bytes). In order: the text patterns of the data file,
 * the reason of the enhanced code's entry, the reason of the reply code's entry for the command,
 * and last the class ("undefined", hard for class 5). `db` may be NULL for the built-in database.
 * `provider` (a slug; NULL or "" for none) is the provider whose server gave the reply: its
 * patterns are tried before the others, and its entry for the enhanced code decides before the
 * standard one (smtpc_lookup_provider()); a slug that names no provider fails with SMTPC_EINVAL.
 * `out` borrows from `db` and from `text`. Fails with SMTPC_ESYNTAX for an enhanced text that is
 * no code and SMTPC_ECOMMAND for an unknown command.
 *
 * In detail (docs/bounces.md, "Reasons"):
 *  - rule "pattern": the first `Pattern` record of the provider, then the first without a
 *    provider, in the order of the data file, whose text occurs in `text`, ASCII case ignored
 *    (a pattern of another provider is never tried); the evidence is the matched part of `text`. Each pattern is
 *    one search of the text: the cost is at most `text_len` times the patterns' total length.
 *  - rule "enhanced": the `Reason` of the enhanced code's entry (the provider's when it has one;
 *    an unregistered detail falls back to its subject's entry, RFC 3463 section 2), for the
 *    command; the evidence is the code.
 *  - rule "code": the `Reason` of the reply code's entry for the command (the ANY pair when the
 *    command is not known or has no pair); the evidence is the entry's code.
 *  - rule "class": "undefined" for class 4 and 5; rule "none", "undefined", when there is
 *    neither a code nor a matching pattern. The evidence is "".
 * A success or intermediate reply is no failure, whatever its text: class 2 decides "delivered"
 * and class 3 "undefined", both with rule "class" and `hard` -1. The class is the reply code's,
 * or without one the enhanced code's. Otherwise `hard` is the reason's `Hard` (yes 1, no 0,
 * none -1), except that class 4 makes a failure soft (0).
 * `code` is 0 or 200-599 (else SMTPC_EINVAL); the enhanced code needs its class digit. A text
 * over 1 KiB is lower-cased on the heap, which may fail with SMTPC_ENOMEM.
 */
SMTPC_API int smtpc_reason_decide(smtpc_reason *out, const smtpc_db *db, const char *provider,
                                  int code,
                                  const char *enhanced, size_t enhanced_len, const char *command,
                                  size_t command_len, const char *text, size_t text_len,
                                  smtpc_error *err);

/** The definition of reason `name` (a sentence in English), or NULL for no such reason. */
SMTPC_API const char *smtpc_reason_definition(const smtpc_db *db, const char *name);

/** The number of reasons of `db` (NULL: the built-in database): its `Reason` records. */
SMTPC_API size_t smtpc_reason_count(const smtpc_db *db);

/**
 * Reason `index` (0 <= index < smtpc_reason_count(db)) in the order of their names: `*name` (may
 * be NULL) receives its name and `*hard` (may be NULL) its `Hard` field as 1 (yes), 0 (no) or -1
 * (none), both borrowed from `db`. Returns 0, or SMTPC_ERANGE past the end.
 */
SMTPC_API int smtpc_reason_at(const char **name, int *hard, const smtpc_db *db, size_t index);

/** The number of text patterns of `db` (NULL: the built-in database). */
SMTPC_API size_t smtpc_reason_pattern_count(const smtpc_db *db);

/**
 * Pattern `index` (0 <= index < smtpc_reason_pattern_count(db)) in the order they decide (the
 * first that matches wins: a file laid over the built-in database comes first): `*text` its
 * text as written, `*reason` the name of its reason, `*source` where the text is seen,
 * `*provider` the slug of the provider it is tried for ("" for all); each may be NULL, and each
 * is borrowed from `db`. Returns 0, or SMTPC_ERANGE past the end.
 */
SMTPC_API int smtpc_reason_pattern_at(const char **text, const char **reason, const char **source,
                                      const char **provider, const smtpc_db *db, size_t index);

/* ---- bounces: delivery status notifications and what else comes back ---- */

/** What a message that came back is (RFC 3464, RFC 6533, RFC 5965, RFC 3834). */
enum smtpc_bounce_kind {
    SMTPC_BOUNCE_DSN = 1,         /**< multipart/report with message/delivery-status */
    SMTPC_BOUNCE_GLOBAL_DSN = 2,  /**< message/global-delivery-status (RFC 6533, UTF-8) */
    SMTPC_BOUNCE_FEEDBACK = 3,    /**< a feedback report, message/feedback-report (RFC 5965) */
    SMTPC_BOUNCE_AUTO_REPLY = 4,  /**< an automatic reply (RFC 3834 Auto-Submitted) */
    SMTPC_BOUNCE_UNRECOGNISED = 5, /**< none of these: no record is guessed */
    SMTPC_BOUNCE_NONSTANDARD = 6  /**< an MTA's or service's notification in its own words
                                       (qmail, Exim without DSN ...), read by the reader of
                                       its format (docs/bounces.md, "Formats") */
};

/** The DSN Action of a recipient (RFC 3464 section 2.3.3). */
enum smtpc_dsn_action {
    SMTPC_DSN_NONE = 0,
    SMTPC_DSN_FAILED = 1,
    SMTPC_DSN_DELAYED = 2,
    SMTPC_DSN_DELIVERED = 3,
    SMTPC_DSN_RELAYED = 4,
    SMTPC_DSN_EXPANDED = 5
};

/** One recipient of a message that came back, with the facts that say why. Every string is
 *  UTF-8 and "" when the message does not give it. */
typedef struct smtpc_bounce_record {
    int kind;                      /**< enum smtpc_bounce_kind */
    const char *recipient;         /**< Final-Recipient's address ("bob@example.org"), else
                                        Original-Recipient's; a feedback report's
                                        Original-Rcpt-To; an automatic reply's From */
    const char *original_recipient; /**< Original-Recipient's address */
    int code;                      /**< the reply code of the diagnostic, 0 when none */
    const char *enhanced;          /**< the Status field, else the diagnostic's enhanced code,
                                        which also replaces a Status of X.0.0 when it is more
                                        specific and of the same class */
    int action;                    /**< enum smtpc_dsn_action */
    smtpc_reason reason;           /**< why, with its evidence */
    const char *diagnostic;        /**< the Diagnostic-Code text, unfolded, without its type */
    const char *diagnostic_type;   /**< "smtp", "x-unix" ... */
    const char *command;           /**< the command the diagnostic answered ("RCPT"), as it
                                        or the notification about the recipient names it, or
                                        "" */
    const char *remote_mta;        /**< Remote-MTA's name; a feedback report's Source-IP */
    const char *reporting_mta;     /**< Reporting-MTA's name */
    const char *arrival_date;      /**< Arrival-Date */
    const char *last_attempt_date; /**< Last-Attempt-Date */
    const char *will_retry_until;  /**< Will-Retry-Until */
    const char *queue_id;          /**< X-Postfix-Queue-ID, or another MTA's X-...-Queue-ID */
    const char *message_id;        /**< the returned original message's Message-ID, without
                                        angle brackets; an automatic reply's In-Reply-To */
    const char *original_date;     /**< its Date */
    const char *return_path;       /**< its Return-Path, else the envelope sender the report
                                        names (X-Postfix-Sender, Original-Mail-From), without
                                        angle brackets (a VERP address) */
    const char *subject;           /**< the bounce's own Subject */
    const char *feedback_type;     /**< RFC 5965 Feedback-Type ("abuse"), for a feedback report */
    const char *format;            /**< the format the record was read from: "rfc3464",
                                        "rfc6533", "rfc5965", "rfc3834", or the name of the
                                        reader of a nonstandard one ("qmail", "exim") */
    const char *provider;          /**< the provider (smtpc_provider) whose server gave the
                                        diagnostic, whose meanings of codes and texts decided
                                        the reason, or "" when none is known */
} smtpc_bounce_record;

/** The records read from one message. */
typedef struct smtpc_bounce smtpc_bounce;

/** Limits of the bounce reader; a message past one fails with SMTPC_ELIMIT, naming it. */
#define SMTPC_BOUNCE_MAX_DEPTH 16                 /**< nested MIME parts */
#define SMTPC_BOUNCE_MAX_DECODED (64u << 20)      /**< bytes decoded from one message */
#define SMTPC_BOUNCE_MAX_RECIPIENTS 10000         /**< records from one message */

/**
 * Reads the message in `msg` (`len` bytes, as it arrived: header, blank line, body; lines end in
 * LF, CRLF or, in a message saved by the classic Mac OS, CR) into records. A multipart/report DSN (RFC 3464) or global DSN (RFC 6533) gives one record per
 * recipient; a feedback report (RFC 5965) and an automatic reply (RFC 3834) give one record of
 * their kind; a message none of these recognise gives no record and kind
 * SMTPC_BOUNCE_UNRECOGNISED (smtpc_bounce_kind()). MIME parts nest, transfer encodings (base64,
 * quoted-printable) and charsets (UTF-8, US-ASCII, ISO-8859-1, Windows-1252; encoded words of
 * RFC 2047) are decoded; malformed MIME is read as far as it goes (docs/bounces.md). Time and
 * memory are linear in `len`; past the SMTPC_BOUNCE_MAX_* limits it fails with SMTPC_ELIMIT,
 * `err` naming the limit. `db` (NULL: built-in) decides the reasons, which borrow from it: it
 * must outlive the bounce. On success `*out` is owned: free it with smtpc_bounce_free(); on
 * failure it is NULL.
 */
SMTPC_API int smtpc_bounce_parse(smtpc_bounce **out, const smtpc_db *db, const char *msg,
                                 size_t len, smtpc_error *err);

/** Frees what smtpc_bounce_parse() returned; NULL is ignored. */
SMTPC_API void smtpc_bounce_free(smtpc_bounce *bounce);

/** What the message is (enum smtpc_bounce_kind). */
SMTPC_API int smtpc_bounce_kind(const smtpc_bounce *bounce);

/** The number of records, and record `index` (NULL past the end); borrowed from `bounce`. */
SMTPC_API size_t smtpc_bounce_count(const smtpc_bounce *bounce);
SMTPC_API const smtpc_bounce_record *smtpc_bounce_record_at(const smtpc_bounce *bounce,
                                                            size_t index);

/**
 * Cuts a mailbox into messages: an mbox (RFC 4155: each message starts with a line "From "
 * at the start of the file or after an empty line, and ends before the empty line that precedes
 * the next "From " line or the end; ">From " quoting is left as it is, as no field the bounce
 * reader reads starts with it) or a single message (no "From " line first). Call with `*offset`
 * 0, then again with the updated offset until it returns 0: each call sets `*start` and
 * `*msg_len` to the next message (without its "From " line) and returns 1. Empty data holds no
 * message. Lines end in LF, CRLF or CR (as the classic Mac OS saved them), as the "From " line
 * of each message ends.
 */
SMTPC_API int smtpc_mbox_next(const char *data, size_t len, size_t *offset, size_t *start,
                              size_t *msg_len);

/**
 * Renders records (JSON: the schema's "bounce", an array of records with `file` when `file`
 * is not NULL; text, Markdown, HTML: one block per record). `bounces` holds `n` parsed messages
 * and `files` their file names (NULL or entries NULL when not known). Ownership as for
 * smtpc_render_comparison().
 */
SMTPC_API int smtpc_render_bounces(char **out, size_t *out_len, const smtpc_bounce *const *bounces,
                                   const char *const *files, size_t n, int format,
                                   smtpc_error *err);

/** As smtpc_render_bounces(), with the facts' names of text, Markdown and HTML in language
 *  `lang` (`lang_len` bytes; NULL for English), in the words of the database the first bounce
 *  was parsed with (its catalogs: smtpc_db_load_catalog()); JSON stays English. SMTPC_ELANG for
 *  a language that database lacks. */
SMTPC_API int smtpc_render_bounces_in(char **out, size_t *out_len,
                                      const smtpc_bounce *const *bounces,
                                      const char *const *files, size_t n, const char *lang,
                                      size_t lang_len, int format, smtpc_error *err);

#ifdef __cplusplus
}
#endif

#endif /* SMTPCODES_H */
