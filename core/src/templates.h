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
    X(FACT_NOTE, "fact-note", "Note")

enum smtpc_template {
#define SMTPC_TEMPLATE_ENUM(id, name, english) SMTPC_T_##id,
    SMTPC_TEMPLATE_LIST(SMTPC_TEMPLATE_ENUM)
#undef SMTPC_TEMPLATE_ENUM
    SMTPC_TEMPLATE_COUNT
};

#endif
