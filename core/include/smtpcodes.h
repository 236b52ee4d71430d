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
 *    is an ordinary (invalid) byte.
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

#if defined(_WIN32) && defined(SMTPC_SHARED_BUILD)
#define SMTPC_API __declspec(dllexport)
#elif defined(__GNUC__)
#define SMTPC_API __attribute__((visibility("default")))
#else
#define SMTPC_API
#endif

/* ---------------------------------------------------------------------------------------------
 * Version
 * ------------------------------------------------------------------------------------------- */

/** Version of the header, from the build's project(VERSION). */
#define SMTPC_VERSION_MAJOR 0
#define SMTPC_VERSION_MINOR 1
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
    SMTPC_ELANG = -3,     /**< a language tag the database has no labels for */
    SMTPC_EFORMAT = -4,   /**< an output format value outside enum smtpc_format */
    SMTPC_EDATA = -5,     /**< a data file that breaks the format (see smtpc_error) */
    SMTPC_EIO = -6,       /**< a data file that cannot be opened or read */
    SMTPC_ENOMEM = -7,    /**< memory allocation failed */
    SMTPC_EINVAL = -8,    /**< an argument outside its documented range (NULL, same code) */
    SMTPC_ERANGE = -9     /**< an index past the end of a list */
};

/** Sizes of the text buffers in smtpc_error, terminator included. */
#define SMTPC_ERROR_SOURCE_SIZE 256
#define SMTPC_ERROR_TEXT_SIZE 256

/**
 * What went wrong, in detail. Functions that take a `smtpc_error *` fill it on failure (and
 * leave it untouched on success). `line` and `column` are 1-based and 0 when they do not apply;
 * the column counts characters (UTF-8 sequences), not bytes.
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
 * Formats `err` as "source:line:column: text" (parts that do not apply are left out) into
 * `buf` of `size` bytes, always terminated when size > 0. Returns the length the full message
 * needs, without the terminator, like snprintf.
 */
SMTPC_API size_t smtpc_error_format(char *buf, size_t size, const smtpc_error *err);

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
 * "x.7.1"). Leading and trailing ASCII spaces and tabs are ignored, so "421 " parses; anything
 * else around the code ("421-", "4 21", "421abc") is an error.
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
    SMTPC_ORIGIN_NONSTANDARD = 3 /**< seen in the wild, defined by no standard */
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
    const char *name;        /**< "Service Not Available" */
    const char *slug;        /**< "service-not-available", unique in the database */
    const char *classes;     /**< basic: "4"; enhanced: classes it is meant for, "4 5" */
    int origin;              /**< enum smtpc_origin */
    const char *description; /**< sentences; reads after "421 indicates that" once the first
                                  ordinary word is lower-cased */
    const char *when;        /**< sentences; reads after "You encounter 421 when" likewise */
    const char *fix;         /**< sentences: what to do about it */
    const char *references;  /**< "; "-separated: "RFC 5321 section 4.2.3; RFC 3207" */
    int retry;               /**< enum smtpc_retry; for enhanced codes, the 5.x.x advice */
    int connection;          /**< enum smtpc_connection */
    const char *commands;    /**< space-separated commands or phases: "CONNECT EHLO", or "" */
    const char *enhanced;    /**< space-separated enhanced codes usually sent with a basic
                                  code ("4.3.2 4.4.5"), or "" */
    const char *sample;      /**< enhanced: the registry's sample text; basic: "" */
    const char *associated;  /**< enhanced: the registry's associated basic codes; basic: "" */
    const char *see;         /**< a code this one points to ("4.4.6" for 446), or "" */
    const char *note;        /**< a caveat (non-standard, deprecated, clashes), or "" */
} smtpc_entry;

/** The number of code entries in `db` (basic and enhanced). */
SMTPC_API size_t smtpc_db_count(const smtpc_db *db);

/**
 * The entry at `index` (0 <= index < smtpc_db_count(db)) in code order: basic codes by number,
 * then enhanced codes by subject and detail. Borrowed from `db`; NULL past the end.
 */
SMTPC_API const smtpc_entry *smtpc_db_entry(const smtpc_db *db, size_t index);

/**
 * Looks up the code in `s` (`len` bytes, as smtpc_code_parse() reads it). An enhanced code
 * with a class digit ("5.7.1") finds the registry entry "X.7.1". On success `*out` is borrowed
 * from `db`. Fails with SMTPC_ESYNTAX for text that is no code and SMTPC_ENOTFOUND for a code
 * the database does not describe; `*out` is then NULL.
 */
SMTPC_API int smtpc_lookup(const smtpc_entry **out, const smtpc_db *db, const char *s,
                           size_t len, smtpc_error *err);

/** As smtpc_lookup(), for a basic reply code given as a number (421). */
SMTPC_API int smtpc_lookup_number(const smtpc_entry **out, const smtpc_db *db, int code,
                                  smtpc_error *err);

/**
 * Like smtpc_lookup(), but a well-formed enhanced code that is not registered resolves to the
 * closest entry that is: X.S.0 of its subject, then X.0.0 (RFC 3463 section 3.1: a client that
 * does not know a detail falls back to the subject, then the class). `*exact` (may be NULL) is
 * set to 1 when the code itself was found and 0 when it fell back. Basic codes do not fall back.
 */
SMTPC_API int smtpc_lookup_closest(const smtpc_entry **out, int *exact, const smtpc_db *db,
                                   const char *s, size_t len, smtpc_error *err);

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
    SMTPC_GROUP_CLASS = 1,    /**< first digit, RFC 5321 section 4.2.1 / RFC 3463 section 3.1 */
    SMTPC_GROUP_CATEGORY = 2, /**< second digit of a basic code, RFC 5321 section 4.2.1 */
    SMTPC_GROUP_SUBJECT = 3   /**< second number of an enhanced code, RFC 3463 section 3 */
};

/**
 * Finds group `number` of table `kind`. `*out` is borrowed from `db`. Returns SMTPC_ENOTFOUND
 * for a number the table lacks (a category 6-9, a subject above 7), SMTPC_EINVAL for a bad kind.
 */
SMTPC_API int smtpc_group_lookup(const smtpc_group **out, const smtpc_db *db, int kind,
                                 int number, smtpc_error *err);

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
 * The label `which` (enum smtpc_label) in language `tag` (resolved as above), borrowed from
 * `db`. Fails with SMTPC_ELANG or SMTPC_EINVAL.
 */
SMTPC_API int smtpc_label(const char **out, const smtpc_db *db, const char *tag, size_t len,
                          int which, smtpc_error *err);

/* ---------------------------------------------------------------------------------------------
 * Comparison
 * ------------------------------------------------------------------------------------------- */

/** Two codes side by side: the structure behind the comparison page (DESIGN section 5). */
typedef struct smtpc_comparison smtpc_comparison;

/**
 * Compares the codes in `a` and `b` (as smtpc_lookup() reads them; an enhanced code keeps the
 * class it was written with) with section labels in language `lang` (`lang_len` bytes; "en"
 * when `lang` is NULL). The lower code comes first whatever the argument order: basic codes
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

/** The code of a side as written for the page ("421", "5.7.1"); borrowed from `cmp`. */
SMTPC_API const char *smtpc_comparison_code(const smtpc_comparison *cmp, int side);

/** The page's sentences that are built rather than copied from an entry. */
enum smtpc_part {
    SMTPC_PART_TITLE = 0, /**< "SMTP 421 Service Not Available vs 504 Parameter Not ..." */
    SMTPC_PART_INTRO = 1, /**< the introduction, one of the two forms of DESIGN section 5 */
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
    SMTPC_FORMAT_JSON = 3      /**< one JSON object with every section as a field */
};

/**
 * Parses a format name ("text", "markdown" or "md", "html", "json"; `len` bytes, case
 * ignored) into `*out` (enum smtpc_format). Fails with SMTPC_EFORMAT.
 */
SMTPC_API int smtpc_format_parse(int *out, const char *name, size_t len, smtpc_error *err);

/**
 * Renders the comparison page in `format`. On success `*out` is an owned NUL-terminated string
 * of `*out_len` bytes (out_len may be NULL): free it with smtpc_free(). On failure `*out` is
 * NULL.
 */
SMTPC_API int smtpc_render_comparison(char **out, size_t *out_len, const smtpc_comparison *cmp,
                                      int format, smtpc_error *err);

/**
 * Renders one entry (what `smtpcodes show` prints): code, name, class and category or subject,
 * origin, description, when you see it, how to fix, retry and connection facts, usual enhanced
 * or associated basic codes, see-also, note and references. Section labels come from `lang`
 * as for smtpc_compare(). Ownership as for smtpc_render_comparison().
 */
SMTPC_API int smtpc_render_entry(char **out, size_t *out_len, const smtpc_db *db,
                                 const smtpc_entry *entry, const char *lang, size_t lang_len,
                                 int format, smtpc_error *err);

/**
 * Renders a table of the entries of `db` with code, name, class, origin: all of them when
 * `klass` is 0, else those of reply class `klass` (2-5; an enhanced entry belongs to every
 * class it lists). `kind` is 0 for both kinds or an enum smtpc_kind. JSON gives an array of
 * objects. Ownership as for smtpc_render_comparison(). Fails with SMTPC_EINVAL for a class or
 * kind out of range.
 */
SMTPC_API int smtpc_render_table(char **out, size_t *out_len, const smtpc_db *db, int klass,
                                 int kind, int format, smtpc_error *err);

/** Frees a string returned by this library; NULL is ignored. */
SMTPC_API void smtpc_free(void *p);

#ifdef __cplusplus
}
#endif

#endif /* SMTPCODES_H */
