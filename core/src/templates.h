/*
 * templates.h - the sentences the core composes, in English, with named placeholders.
 *
 * Each template is a message of every language's catalog (msgctxt "template NAME"), so that a
 * language orders the words, particles and agreement as its grammar wants. A placeholder is
 * `{name}`, or `{name|filter|...}` with filters applied in order (docs/translation.md):
 *   clause    the value's first word lower-cased when it is an ordinary word
 *   sentence  the value ended as a sentence of the language (the template "sentence")
 *   capital   the value's first letter upper-cased (ASCII)
 *   a         the value after the English indefinite article, "a" or "an"
 * A translation must use the same placeholders as the English (the catalog reader checks it),
 * with any filters.
 */
#ifndef SMTPC_TEMPLATES_H
#define SMTPC_TEMPLATES_H

/* X(ENUM, name, English) */
#define SMTPC_TEMPLATE_LIST(X)                                                                   \
    /* ---- how a language ends and joins sentences and lists ---- */                           \
    X(SENTENCE, "sentence", "{text}.")                                                           \
    X(JOIN_SENTENCES, "join-sentences", "{first} {next}")                                        \
    X(LIST_ITEM, "list-item", "{list}, {item}")                                                  \
    X(LIST_AND, "list-and", "{list} and {last}")                                                 \
    X(LIST_OR, "list-or", "{list} or {last}")                                                    \
    /* ---- the comparison page (docs/comparison-page.md) ---- */                               \
    X(TITLE, "title", "SMTP {a} {a_name} vs {b} {b_name}")                                       \
    X(INTRO_SHARED_CLASS, "intro-shared-class",                                                  \
      "Both SMTP {a} ({a_name}) and {b} ({b_name}) belong to the {class} category.")             \
    X(INTRO_CLASSES, "intro-classes",                                                            \
      "SMTP {a} ({a_name}) is {a_class|a} response, while {b} ({b_name}) is {b_class|a} "       \
      "response.")                                                                               \
    X(INTRO_A_MEANS, "intro-a-means", "{a} indicates that {a_description|clause|sentence}")     \
    X(INTRO_B_CONTRAST, "intro-b-contrast",                                                      \
      "In contrast, {b} means that {b_description|clause|sentence}")                            \
    X(INTRO_B_MEANWHILE, "intro-b-meanwhile",                                                    \
      "Meanwhile, {b} means that {b_description|clause|sentence}")                              \
    X(INTRO_B_SAME, "intro-b-same", "Meanwhile, {b} means the same.")                            \
    X(INTRO_B_SAME_CONDITION, "intro-b-same-condition",                                          \
      "In contrast, {b} reports the same condition as {b_class|a}.")                             \
    X(DIFF_CLASS, "difference-class",                                                            \
      "{a} is {a_class|a} response, while {b} is {b_class|a} response.")                         \
    X(DIFF_DESCRIPTION, "difference-description", "SMTP {code}: {description|sentence}")         \
    X(DIFF_DESCRIPTION_BOTH, "difference-description-both",                                      \
      "SMTP {a} and {b}: {description|sentence}")                                                \
    X(DIFF_WHEN, "difference-when", "You encounter {code} when {when|clause|sentence}")          \
    X(DIFF_WHEN_BOTH, "difference-when-both",                                                    \
      "You encounter {a} and {b} when {when|clause|sentence}")                                   \
    X(DIFF_RETRY, "difference-retry", "{a} {a_retry}, while {b} {b_retry}.")                     \
    X(DIFF_RETRY_BOTH_NONE, "difference-retry-both-none",                                        \
      "Neither {a} nor {b} needs a retry, because the request succeeded or goes on.")            \
    X(DIFF_RETRY_BOTH_LATER, "difference-retry-both-later",                                      \
      "Both {a} and {b} may be retried unchanged later.")                                        \
    X(DIFF_RETRY_BOTH_AFTER_FIX, "difference-retry-both-after-fix",                              \
      "Both {a} and {b} should be retried only after their causes are corrected.")               \
    X(DIFF_RETRY_BOTH_NO, "difference-retry-both-no",                                            \
      "Neither {a} nor {b} should be retried unchanged.")                                        \
    X(DIFF_RETRY_BOTH_UNKNOWN, "difference-retry-both-unknown",                                  \
      "Neither {a} nor {b} carries any retry advice.")                                           \
    X(DIFF_CONNECTION, "difference-connection",                                                  \
      "After {a} {a_connection}, while after {b} {b_connection}.")                               \
    X(DIFF_COMMANDS, "difference-commands", "{a} answers {a_commands}, while {b} answers "      \
      "{b_commands}.")                                                                           \
    X(DIFF_CATEGORY, "difference-category", "{a} is in {a_group}, while {b} is in {b_group}.")  \
    X(DIFF_ENHANCED, "difference-enhanced", "{a_companions|capital}, while "                     \
      "{b_companions|sentence}")                                                                 \
    X(DIFF_ORIGIN, "difference-origin", "{a} {a_origin}, while {b} {b_origin}.")                 \
    X(DIFF_REFERENCES, "difference-references",                                                  \
      "{a} is specified in {a_references}, while {b} is specified in {b_references}.")           \
    X(USAGE, "usage", "For {code} ({name}): {fix|sentence}")                                     \
    X(USAGE_SHARED, "usage-shared", "For {a} ({a_name}) and {b} ({b_name}): {fix|sentence}")    \
    X(USAGE_SHARED_NAME, "usage-shared-name", "For {a} and {b} ({name}): {fix|sentence}")       \
    /* ---- what usually travels with a code (RFC 3463 section 3) ---- */                       \
    X(COMPANIONS_NONE, "companions-none",                                                        \
      "{code} usually comes without an enhanced status code")                                    \
    X(COMPANIONS, "companions", "{code} usually comes with {codes}")                             \
    X(COMPANIONS_REGISTRY_ONE, "companions-registry-one",                                        \
      "the registry pairs {code} with the basic code {codes}")                                   \
    X(COMPANIONS_REGISTRY, "companions-registry",                                                \
      "the registry pairs {code} with the basic codes {codes}")                                  \
    X(COMPANIONS_REGISTRY_ANY, "companions-registry-any",                                        \
      "the registry pairs {code} with any basic code")                                           \
    X(COMPANIONS_REGISTRY_NONE, "companions-registry-none",                                      \
      "the registry names no particular basic code for {code}")                                  \
    /* ---- facts in words (RFC 5321 sections 3.8 and 4.5.4.1) ---- */                          \
    X(RETRY_NONE, "retry-none", "needs no retry, because the request succeeded or goes on")      \
    X(RETRY_LATER, "retry-later", "may be retried unchanged later")                              \
    X(RETRY_AFTER_FIX, "retry-after-fix", "should be retried only after its cause is corrected") \
    X(RETRY_NO, "retry-no", "should not be retried unchanged")                                   \
    X(RETRY_UNKNOWN, "retry-unknown", "carries no retry advice")                                 \
    X(RETRY_BY_CLASS, "retry-by-class", "as 4.X.X, {transient}; as 5.X.X, {permanent}")          \
    X(CONNECTION_KEPT, "connection-kept", "the session stays open")                              \
    X(CONNECTION_CLOSED, "connection-closed", "the server closes the connection")                \
    X(CONNECTION_MAY_CLOSE, "connection-may-close", "the server may close the connection")       \
    X(ORIGIN_RFC, "origin-rfc", "is defined by an RFC")                                          \
    X(ORIGIN_REGISTRY, "origin-registry",                                                        \
      "is cited only by the IANA enhanced status code registry")                                 \
    X(ORIGIN_NONSTANDARD, "origin-nonstandard", "is not defined by any standard")                \
    X(ORIGIN_PROVIDER, "origin-provider", "is one provider's own meaning, from its documentation") \
    X(ORIGIN_UNKNOWN, "origin-unknown", "is of no recorded origin")                              \
    X(ORIGIN_FACT_RFC, "origin-fact-rfc", "defined by an RFC")                                   \
    X(ORIGIN_FACT_REGISTRY, "origin-fact-registry",                                              \
      "cited only by the IANA enhanced status code registry")                                    \
    X(ORIGIN_FACT_NONSTANDARD, "origin-fact-nonstandard", "not defined by any standard")         \
    X(ORIGIN_FACT_PROVIDER, "origin-fact-provider", "one provider's own meaning, from its "     \
      "documentation")                                                                           \
    X(COMMAND_CONNECT, "command-connect", "the connection greeting")                             \
    X(COMMAND_DATA_END, "command-data-end", "the end of the message data")                       \
    X(COMMAND_ANY, "command-any", "any command")                                                 \
    X(CLASS_LABEL_NONE, "class-label-none", "X.X.X enhanced status (class not given)")           \
    X(CATEGORY, "category", "category {category}")                                               \
    X(SUBJECT, "subject", "subject {subject}")                                                   \
    X(GROUP_NAMED, "group-named", "{group} ({name})")                                            \
    X(CATEGORY_UNDEFINED, "category-undefined", "{group} (not defined by RFC 5321)")             \
    X(SUBJECT_UNDEFINED, "subject-undefined", "{group} (not defined by RFC 3463)")               \
    X(REFERENCE_SECTION, "reference-section", "{document} (section {section})")                  \
    X(REFERENCE_SECTIONS, "reference-sections", "{document} (sections {sections})")              \
    X(DOCUMENT_IANA, "document-iana", "IANA registry")                                           \
    /* ---- the page of one code ---- */                                                        \
    X(ENTRY_TITLE, "entry-title", "SMTP {code} {name}")                                          \
    X(FACT_ALIASES, "fact-aliases", "Also known as")                                             \
    X(FACT_CLASS, "fact-class", "Class")                                                         \
    X(FACT_CATEGORY, "fact-category", "Category")                                                \
    X(FACT_SUBJECT, "fact-subject", "Subject")                                                   \
    X(FACT_ORIGIN, "fact-origin", "Origin")                                                      \
    X(FACT_PROVIDER, "fact-provider", "Provider")                                                \
    X(FACT_PROVIDER_TEXT, "fact-provider-text", "Provider's text")                               \
    X(FACT_REGISTRY_TEXT, "fact-registry-text", "Registry text")                                 \
    X(FACT_ASSOCIATED, "fact-associated", "Associated basic codes")                              \
    X(FACT_RETRY, "fact-retry", "Retry")                                                         \
    X(FACT_CONNECTION, "fact-connection", "Connection")                                          \
    X(FACT_ANSWERS, "fact-answers", "Answers")                                                   \
    X(FACT_ENHANCED, "fact-enhanced", "Usual enhanced codes")                                    \
    X(FACT_REGISTERED, "fact-registered", "Registered enhanced codes")                           \
    X(FACT_SEE, "fact-see", "See also")                                                          \
    X(FACT_PROVIDER_MEANINGS, "fact-provider-meanings", "Providers' meanings")                   \
    X(FACT_NOTE, "fact-note", "Note")                                                            \
    /* ---- the table of codes and the providers ---- */                                        \
    X(COLUMN_CODE, "column-code", "Code")                                                        \
    X(COLUMN_NAME, "column-name", "Name")                                                        \
    X(COLUMN_CLASS, "column-class", "Class")                                                     \
    X(COLUMN_ORIGIN, "column-origin", "Origin")                                                  \
    X(COLUMN_REASON, "column-reason", "Reason")                                                  \
    X(COLUMN_RETRY, "column-retry", "Retry")                                                     \
    X(PROVIDERS_TITLE, "providers-title", "Providers")                                           \
    X(PROVIDER_CODES, "provider-codes", "Codes")                                                 \
    X(FACT_SLUG, "fact-slug", "Slug")                                                            \
    X(FACT_HOSTS, "fact-hosts", "Hosts")                                                         \
    X(FACT_REFERENCES, "fact-references", "References")                                          \
    /* ---- a parsed reply and its verdict (smtpc_classify()) ---- */                           \
    X(FACT_REPLY, "fact-reply", "Reply")                                                         \
    X(FACT_ENHANCED_CODE, "fact-enhanced-code", "Enhanced")                                      \
    X(FACT_TEXT, "fact-text", "Text")                                                            \
    X(FACT_WARNINGS, "fact-warnings", "Warnings")                                                \
    X(FACT_IN_REPLY_TO, "fact-in-reply-to", "In reply to")                                       \
    X(FACT_ACTION, "fact-action", "Action")                                                      \
    X(FACT_REASON, "fact-reason", "Reason")                                                      \
    X(FACT_EXPLANATION, "fact-explanation", "Explanation")                                       \
    X(REPLY_UNKNOWN_CODE, "reply-unknown-code", "(unknown code)")                                \
    X(REPLY_CLOSEST, "reply-closest", "(closest registered entry)")                              \
    X(EXPLAIN_CLASS_2, "explain-class-2",                                                        \
      "A 2xx reply means the request was completed (RFC 5321 section 4.2.1).")                   \
    X(EXPLAIN_CLASS_3, "explain-class-3",                                                        \
      "A 3xx reply asks for the next part of the request (RFC 5321 section 4.2.1).")             \
    X(EXPLAIN_CLASS_4, "explain-class-4",                                                        \
      "A 4xx reply is a temporary failure: the same request may succeed later "                  \
      "(RFC 5321 section 4.2.1).")                                                               \
    X(EXPLAIN_CLASS_5, "explain-class-5",                                                        \
      "A 5xx reply is a permanent failure: the same request will fail again "                    \
      "(RFC 5321 section 4.2.1).")                                                               \
    X(EXPLAIN_UNKNOWN_5, "explain-unknown-5",                                                    \
      "An unknown 5xx code is read by its first digit as a permanent failure "                   \
      "(RFC 5321 section 4.2).")                                                                 \
    X(EXPLAIN_UNKNOWN_4, "explain-unknown-4",                                                    \
      "An unknown 4xx code is read by its first digit as a temporary failure "                   \
      "(RFC 5321 section 4.2).")                                                                 \
    X(EXPLAIN_UNKNOWN, "explain-unknown",                                                        \
      "An unknown code is read by its first digit (RFC 5321 section 4.2).")                      \
    X(EXPLAIN_MISMATCH_5, "explain-mismatch-5",                                                  \
      "The enhanced code's class disagrees with the 5xx reply code; the reply code decides, "   \
      "as clients act on it (RFC 2034 section 4).")                                              \
    X(EXPLAIN_MISMATCH, "explain-mismatch",                                                      \
      "The enhanced code's class disagrees with the reply code; the reply code decides, as "    \
      "clients act on it (RFC 2034 section 4).")                                                 \
    X(EXPLAIN_TOO_MANY_RECIPIENTS, "explain-too-many-recipients",                                \
      "A 552 in answer to RCPT reports too many recipients and is to be treated as the "        \
      "temporary 452 (RFC 5321 section 4.5.3.1.10).")                                            \
    X(EXPLAIN_MAILBOX_FULL, "explain-mailbox-full",                                              \
      "A full mailbox (X.2.2) is a persistent transient condition that clears when the "        \
      "recipient makes room, so it is retried (RFC 3463 section 3.3).")                          \
    /* ---- a scan's summary ---- */                                                            \
    X(SCAN_COUNT, "scan-count", "Count")                                                         \
    X(SCAN_ENHANCED, "scan-enhanced", "Enhanced")                                                \
    X(SCAN_ENHANCED_SHORT, "scan-enhanced-short", "Enh.")                                        \
    X(SCAN_MEANING, "scan-meaning", "Meaning")                                                   \
    X(SCAN_ACTION, "scan-action", "Action")                                                      \
    X(SCAN_SAMPLE, "scan-sample", "Sample")                                                      \
    X(SCAN_NO_REPLY, "scan-no-reply", "(no reply)")                                              \
    X(SCAN_TOTALS, "scan-totals",                                                                \
      "{lines} lines, {replies} replies, {distinct} distinct, {skipped} skipped")                \
    X(SCAN_ATTEMPTS_LINE, "scan-attempts-line",                                                  \
      "{attempts} delivery attempts: {delivered} delivered, {deferred} deferred, {bounced} "    \
      "bounced, {rejected} rejected")                                                            \
    X(SCAN_MORE_GROUPS, "scan-more-groups", "{groups} more groups, {attempts} attempts")        \
    X(SCAN_AXIS_DOMAIN, "scan-axis-domain", "Domain")                                            \
    X(SCAN_AXIS_RELAY, "scan-axis-relay", "Relay")                                               \
    X(SCAN_AXIS_REASON, "scan-axis-reason", "Reason")                                            \
    X(SCAN_AXIS_SENDER_DOMAIN, "scan-axis-sender-domain", "Sender domain")                       \
    X(SCAN_AXIS_TIME, "scan-axis-time", "Time")                                                  \
    X(SCAN_AXIS_CODE, "scan-axis-code", "Code")                                                  \
    X(SCAN_AXIS_MTA, "scan-axis-mta", "MTA")                                                     \
    X(SCAN_ATTEMPTS, "scan-attempts", "Attempts")                                                \
    X(SCAN_DELIVERED, "scan-delivered", "Delivered")                                             \
    X(SCAN_DEFERRED, "scan-deferred", "Deferred")                                                \
    X(SCAN_BOUNCED, "scan-bounced", "Bounced")                                                   \
    X(SCAN_REJECTED, "scan-rejected", "Rejected")                                                \
    /* ---- bounce records ---- */                                                              \
    X(BOUNCE_NO_RECIPIENT, "bounce-no-recipient", "(no recipient)")                              \
    X(BOUNCE_MESSAGE, "bounce-message", "Message {number}")                                      \
    X(BOUNCE_NO_RECORD, "bounce-no-record",                                                      \
      "{message}: no delivery status notification, feedback report or automatic reply "         \
      "recognised, no record.")                                                                  \
    X(BOUNCE_FILE, "bounce-file", "File")                                                        \
    X(BOUNCE_KIND, "bounce-kind", "Kind")                                                        \
    X(BOUNCE_ACTION, "bounce-action", "Action")                                                  \
    X(BOUNCE_REPLY_CODE, "bounce-reply-code", "Reply code")                                      \
    X(BOUNCE_ENHANCED_CODE, "bounce-enhanced-code", "Enhanced code")                             \
    X(BOUNCE_REASON, "bounce-reason", "Reason")                                                  \
    X(BOUNCE_DECIDED_BY, "bounce-decided-by", "Decided by")                                      \
    X(BOUNCE_DIAGNOSTIC, "bounce-diagnostic", "Diagnostic")                                      \
    X(BOUNCE_ORIGINAL_RECIPIENT, "bounce-original-recipient", "Original recipient")              \
    X(BOUNCE_IN_REPLY_TO, "bounce-in-reply-to", "In reply to")                                   \
    X(BOUNCE_REMOTE_MTA, "bounce-remote-mta", "Remote MTA")                                      \
    X(BOUNCE_REPORTING_MTA, "bounce-reporting-mta", "Reporting MTA")                             \
    X(BOUNCE_ARRIVAL_DATE, "bounce-arrival-date", "Arrival date")                                \
    X(BOUNCE_LAST_ATTEMPT, "bounce-last-attempt", "Last attempt")                                \
    X(BOUNCE_RETRIED_UNTIL, "bounce-retried-until", "Retried until")                             \
    X(BOUNCE_QUEUE_ID, "bounce-queue-id", "Queue ID")                                            \
    X(BOUNCE_MESSAGE_ID, "bounce-message-id", "Message-ID")                                      \
    X(BOUNCE_SENT, "bounce-sent", "Sent")                                                        \
    X(BOUNCE_RETURN_PATH, "bounce-return-path", "Return path")                                   \
    X(BOUNCE_SUBJECT, "bounce-subject", "Subject")                                               \
    X(BOUNCE_FEEDBACK_TYPE, "bounce-feedback-type", "Feedback type")                             \
    X(BOUNCE_FORMAT, "bounce-format", "Format")                                                  \
    X(BOUNCE_PROVIDER, "bounce-provider", "Provider")                                            \
    X(BOUNCE_REASON_NONE, "bounce-reason-none", "{reason}, not a failure")                       \
    X(BOUNCE_REASON_SOFT, "bounce-reason-soft", "{reason}, a soft failure")                      \
    X(BOUNCE_REASON_HARD, "bounce-reason-hard", "{reason}, a hard failure")                      \
    /* ---- the command line's messages and help (core/cli) ---- */ \
    X(CLI_TRY_HELP, "cli-try-help", \
      "Try 'smtpcodes --help' for more information.") \
    X(CLI_OPTION_NEEDS_VALUE, "cli-option-needs-value", \
      "option '{option}' needs a value") \
    X(CLI_TOO_MANY_DATA, "cli-too-many-data", \
      "too many --data files at '{file}'") \
    X(CLI_UNKNOWN_OPTION, "cli-unknown-option", \
      "unknown option '{option}'") \
    X(CLI_TOO_MANY_ARGUMENTS, "cli-too-many-arguments", \
      "too many arguments at '{argument}'") \
    X(CLI_SHOW_NEEDS_CODE, "cli-show-needs-code", \
      "show needs exactly one CODE") \
    X(CLI_NOT_REGISTERED, "cli-not-registered", \
      "{code} is not registered; showing {entry}, its closest entry (RFC 3463 section 2)") \
    X(CLI_COMPARE_NEEDS_TWO, "cli-compare-needs-two", \
      "compare needs two codes: compare A B") \
    X(CLI_BAD_CLASS, "cli-bad-class", \
      "--class '{value}': expected 2, 3, 4 or 5") \
    X(CLI_BAD_KIND, "cli-bad-kind", \
      "--kind '{value}': expected basic or enhanced") \
    X(CLI_LIST_ARGUMENTS, "cli-list-arguments", \
      "list takes no arguments (filter with --class, --kind)") \
    X(CLI_LANGUAGES_ARGUMENTS, "cli-languages-arguments", \
      "languages takes no arguments") \
    X(CLI_CATALOG_ARGUMENTS, "cli-catalog-arguments", \
      "catalog takes at most one language") \
    X(CLI_UNKNOWN_PROVIDER, "cli-unknown-provider", \
      "unknown provider '{provider}' (see 'smtpcodes providers')") \
    X(CLI_PROVIDERS_ARGUMENTS, "cli-providers-arguments", \
      "providers takes at most one SLUG") \
    X(CLI_CANNOT_OPEN, "cli-cannot-open", \
      "{file}: cannot open") \
    X(CLI_CANNOT_OPEN_DIRECTORY, "cli-cannot-open-directory", \
      "{file}: cannot open the directory") \
    X(CLI_CANNOT_READ, "cli-cannot-read", \
      "{file}: cannot read") \
    X(CLI_PARSE_SUMMARY, "cli-parse-summary", \
      "{replies} replies, {malformed} malformed, {skipped} lines without a reply") \
    X(CLI_PARSE_ARGUMENTS, "cli-parse-arguments", \
      "parse takes at most one FILE") \
    X(CLI_NO_REPLY, "cli-no-reply", \
      "no reply in the input") \
    X(CLI_BAD_JOBS, "cli-bad-jobs", \
      "--jobs '{value}': expected a number of files from 1 to 256") \
    X(CLI_BAD_YEAR, "cli-bad-year", \
      "--year: '{value}' is not a year from 1970 to 9999") \
    X(CLI_BAD_TOP, "cli-bad-top", \
      "--top: '{value}' is not a number of groups") \
    X(CLI_NOT_A_STATE, "cli-not-a-state", \
      "{file}: not a scan state: too long") \
    X(CLI_REPLY_NEEDS_CODE, "cli-reply-needs-code", \
      "reply needs a CODE") \
    X(CLI_REPLY_NOT_NUMBER, "cli-reply-not-number", \
      "reply: '{value}' is not a number") \
    X(CLI_ONE_DATA_FILE, "cli-one-data-file", \
      "--data: one data file, and any number of catalogs (.po)") \
    X(CLI_HOST_OR_PROVIDER, "cli-host-or-provider", \
      "give --host or --provider, not both") \
    X(CLI_SEE_LANGUAGES, "cli-see-languages", \
      "{error} (see 'smtpcodes languages')") \
    X(CLI_UNKNOWN_COMMAND, "cli-unknown-command", \
      "unknown command '{command}'") \
    X(CLI_COMMAND_NEEDED, "cli-command-needed", \
      "a command is needed: show, compare, list, languages, catalog, providers, parse, scan, bounce or reply") \
    X(CLI_OUT_OF_MEMORY, "cli-out-of-memory", \
      "out of memory") \
    X(CLI_USAGE_COMMANDS, "cli-usage-commands", \
      "Usage: smtpcodes [OPTION]... COMMAND [ARG]...\n" \
      "The SMTP reply-code reference: explains, compares and lists SMTP reply codes (421)\n" \
      "and enhanced status codes (5.7.1).\n" \
      "\n" \
      "Commands:\n" \
      "  show CODE            explain one code (421, 5.7.1, X.7.1); an unregistered enhanced\n" \
      "                       code is shown as its closest registered entry, with a notice;\n" \
      "                       with --host or --provider, as that provider means it\n" \
      "  compare A B          compare two codes side by side, lower code first\n" \
      "  list                 list every code with its class and origin\n" \
      "  languages            list the languages that --lang accepts, with how much of the\n" \
      "                       database each one says in its own words\n" \
      "  catalog [LANG]       print the gettext catalog of LANG's translations (a PO file), or\n" \
      "                       without LANG the template (POT) a translator starts from\n" \
      "  providers [SLUG]     list the mail providers whose codes and texts mean something\n" \
      "                       of their own (slug, name, hosts, references), or one\n" \
      "                       provider's codes (code, name, reason, retry)\n" \
      "  parse [FILE]         parse the replies in FILE (default: standard input), one after\n" \
      "                       another, and explain and classify each; a malformed reply is\n" \
      "                       reported with its line and parsing goes on after it; with\n" \
      "                       --embedded, find one reply in each line of a log or bounce\n" \
      "                       message (lines without one are skipped and counted); with\n" \
      "                       --host or --provider, the provider's meanings decide reasons\n" \
      "  scan [FILE]...       count the replies in mail logs or bounce messages (default:\n" \
      "                       standard input): per code and enhanced code, with the name,\n" \
      "                       the action and a sample line; and the delivery attempts of\n" \
      "                       Postfix, Exim, Sendmail, OpenSMTPD, Exchange, Microsoft 365 and\n" \
      "                       Dovecot, each once, by outcome and grouped --by domain, relay,\n" \
      "                       reason ...; each file is read on its own, several at a time\n" \
      "                       with --jobs; compressed files (gzip, xz, bzip2, zstd: see\n" \
      "                       --version) are read as they are; the first file that cannot be\n" \
      "                       read stops the scan\n" \
      "  bounce [FILE|DIR]... read bounce messages (default: standard input): one message, an\n" \
      "                       mbox, or a Maildir or directory of messages; one record per\n" \
      "                       recipient with the reply, the reason and its evidence\n" \
      "  reply CODE [ENHANCED] [TEXT]...\n" \
      "                       build the wire form of a reply (CRLF lines of at most 512\n" \
      "                       octets); without TEXT, the database's wording\n" \
      "\n") \
    X(CLI_USAGE_OPTIONS, "cli-usage-options", \
      "Options:\n" \
      "  -l, --lang TAG       pages in language TAG (see 'languages'); by default the\n" \
      "                       locale's language, read from LANGUAGE, LC_ALL, LC_MESSAGES\n" \
      "                       and LANG as gettext reads them, else en\n" \
      "  -f, --format FORMAT  text (default), markdown, html or json\n" \
      "  -c, --class N        with list: only reply class N (2, 3, 4 or 5)\n" \
      "  -k, --kind KIND      with list: only basic or enhanced codes\n" \
      "  -e, --embedded       with parse: replies inside log or bounce lines\n" \
      "  -s, --strict         with parse: refuse lines over 512 octets (RFC 5321 4.5.3.1.5)\n" \
      "  -C, --command CMD    with parse: the command the replies answered, as a client\n" \
      "                       writes it (RCPT, \"RCPT TO:<a@b>\", \"end of DATA\"...)\n" \
      "  -H, --host HOST      with show and parse: the server the code or replies came from\n" \
      "                       (mx.google.com, an address at its domain); its provider's\n" \
      "                       meanings come first (see 'providers')\n" \
      "  -p, --provider SLUG  with show and parse: the provider itself (gmail, microsoft...)\n" \
      "  -j, --jobs N         with scan: read N files at a time, each on a thread of its own\n" \
      "                       (default 1); the summary is the same for any N\n" \
      "  -b, --by AXES        with scan: group the delivery attempts by up to four of domain,\n" \
      "                       relay, reason, sender-domain, time, code, mta (\"domain,reason\")\n" \
      "  -t, --top N          with scan: show the N largest groups, and the rest in one line\n" \
      "  -B, --bucket TIME    with scan --by time: the length of a bucket, \"15m\", \"1h\" (the\n" \
      "                       default), \"1d\"\n" \
      "  -y, --year YEAR      with scan: the year of syslog timestamps, which have none\n" \
      "                       (default: this year)\n" \
      "  -S, --state FILE     with scan: read only what was written since the scan that last\n" \
      "                       saved FILE, across log rotation, and save where this one stops\n" \
      "  -d, --data FILE      lay the data file FILE over the built-in database\n" \
      "                       (default: the file named by SMTPCODES_DATA, if set); a FILE\n" \
      "                       ending in .po is a catalog of translations (docs/translation.md);\n" \
      "                       may be given more than once\n" \
      "  -h, --help           show this help and exit\n" \
      "  -V, --version        show the version and the compressed logs read, and exit\n" \
      "\n" \
      "Exit status: 0 on success, 1 for an unknown code, language or provider or a bad data\n" \
      "file, 2 for a usage error. Data file format: docs/data-format.md.\n")

enum smtpc_template {
#define SMTPC_TEMPLATE_ENUM(id, name, english) SMTPC_T_##id,
    SMTPC_TEMPLATE_LIST(SMTPC_TEMPLATE_ENUM)
#undef SMTPC_TEMPLATE_ENUM
    SMTPC_TEMPLATE_COUNT
};

#endif
