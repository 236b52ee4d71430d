/*
 * classify.c - what a client does about a reply, where the first digit is not the whole story.
 * The rules and their order are documented at smtpc_classify() in smtpcodes.h.
 */
#include "internal.h"

#include <string.h>

/* The explanations are templates (templates.h), so that a page in another language says them
 * in its own words: the verdict keeps the English, which names the template. */
static void verdict(smtpc_verdict *out, int action, const char *rule, int explanation)
{
    out->action = action;
    out->rule = rule;
    out->explanation = smtpc_template_english(explanation);
}

/* RFC 5321 section 4.2.1: the first digit says whether the reply is good, bad or incomplete. */
static void decide_by_class(smtpc_verdict *out, int klass)
{
    switch (klass) {
    case 2:
        verdict(out, SMTPC_ACTION_DONE, "class", SMTPC_T_EXPLAIN_CLASS_2);
        break;
    case 3:
        verdict(out, SMTPC_ACTION_CONTINUE, "class", SMTPC_T_EXPLAIN_CLASS_3);
        break;
    case 4:
        verdict(out, SMTPC_ACTION_RETRY, "class", SMTPC_T_EXPLAIN_CLASS_4);
        break;
    default:
        verdict(out, SMTPC_ACTION_GIVE_UP, "class", SMTPC_T_EXPLAIN_CLASS_5);
        break;
    }
}

/* The action, flags, rule and explanation for a code, its enhanced code (NULL for none) and the
 * canonical command (NULL when not known). */
static void decide_action(smtpc_verdict *out, const smtpc_db *db, int code,
                          const smtpc_code *enh, const char *command)
{
    out->flags = 0;
    decide_by_class(out, code / 100);
    const smtpc_entry *entry;
    if (smtpc_lookup_number(&entry, db, code, NULL) != 0) {
        out->flags |= SMTPC_VERDICT_UNKNOWN_CODE;
        out->rule = "unknown-code";
        out->explanation = smtpc_template_english(code / 100 == 5   ? SMTPC_T_EXPLAIN_UNKNOWN_5
                                                  : code / 100 == 4 ? SMTPC_T_EXPLAIN_UNKNOWN_4
                                                                    : SMTPC_T_EXPLAIN_UNKNOWN);
    } else if (entry->connection == SMTPC_CONNECTION_CLOSED) {
        out->flags |= SMTPC_VERDICT_CONNECTION_CLOSED;
    }
    if (enh != NULL && enh->klass != code / 100) {
        /* RFC 2034 section 4 makes the enhanced code additional information; clients act on the
         * reply code, so it decides, and the disagreement is reported. */
        out->flags |= SMTPC_VERDICT_CLASS_MISMATCH;
        out->rule = "class-mismatch";
        out->explanation = smtpc_template_english(code / 100 == 5 ? SMTPC_T_EXPLAIN_MISMATCH_5
                                                                  : SMTPC_T_EXPLAIN_MISMATCH);
        return;
    }
    /* An enhanced code says what the 552 is about; only without one, or with X.5.3 "too many
     * recipients", is a 552 to RCPT the recipient-count case. */
    int about_recipients = enh == NULL || (enh->category == 5 && enh->detail == 3);
    if (code == 552 && about_recipients && command != NULL && strcmp(command, "RCPT") == 0) {
        out->flags |= SMTPC_VERDICT_OVERRIDDEN;
        verdict(out, SMTPC_ACTION_RETRY, "too-many-recipients", SMTPC_T_EXPLAIN_TOO_MANY_RECIPIENTS);
        return;
    }
    if (enh != NULL && enh->klass == 5 && enh->category == 2 && enh->detail == 2) {
        out->flags |= SMTPC_VERDICT_OVERRIDDEN;
        verdict(out, SMTPC_ACTION_RETRY, "mailbox-full", SMTPC_T_EXPLAIN_MAILBOX_FULL);
    }
}

int smtpc_classify_decide(smtpc_verdict *out, const smtpc_db *db, const smtpc_provider *provider,
                          int code, const char *enhanced, const char *command, const char *text,
                          size_t text_len, smtpc_error *err)
{
    smtpc_code enh;
    int has_enhanced = enhanced != NULL && enhanced[0] != '\0' &&
                       smtpc_code_parse(&enh, enhanced, strlen(enhanced), NULL) == 0 &&
                       enh.kind == SMTPC_KIND_ENHANCED;
    decide_action(out, db, code, has_enhanced ? &enh : NULL, command);
    /* Only a failure has a reason (RFC 5321 section 4.2.1: 4yz and 5yz). */
    out->reason = "";
    if (code / 100 < 4)
        return 0;
    smtpc_reason reason;
    int rc = smtpc_reason_of(&reason, db, provider, code, has_enhanced ? &enh : NULL, enhanced,
                             has_enhanced ? strlen(enhanced) : 0, command, text, text_len, err);
    if (rc == 0)
        out->reason = reason.name;
    return rc;
}

/* The canonical name of the command a caller gave (NULL when none), or an error. */
static int caller_command(const char **out, const char *command, size_t command_len,
                          smtpc_error *err)
{
    *out = NULL;
    if (command == NULL && command_len > 0)
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0, "NULL argument");
    if (command_len == 0)
        return 0;
    return smtpc_command_parse(out, command, command_len, err);
}

int smtpc_classify(smtpc_verdict *out, const smtpc_reply *reply, const char *command,
                   size_t command_len, smtpc_error *err)
{
    return smtpc_classify_reply(out, reply, command, command_len, NULL, err);
}

int smtpc_classify_reply(smtpc_verdict *out, const smtpc_reply *reply, const char *command,
                         size_t command_len, const smtpc_provider *provider, smtpc_error *err)
{
    if (out == NULL || reply == NULL)
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0, "NULL argument");
    const char *answered;
    int rc = caller_command(&answered, command, command_len, err);
    if (rc != 0)
        return rc;
    /* Without a command from the caller, the one the reply's text names decides; logs write
     * what they like there, so a name that is no command is ignored rather than refused. */
    if (answered == NULL) {
        const char *named = smtpc_reply_command(reply);
        answered = smtpc_command_find(named, strlen(named));
    }
    size_t text_len;
    const char *text = smtpc_reply_text(reply, &text_len);
    return smtpc_classify_decide(out, smtpc_reply_db(reply), provider, smtpc_reply_code(reply),
                                 smtpc_reply_enhanced(reply), answered, text, text_len, err);
}

int smtpc_classify_host(smtpc_verdict *out, const smtpc_reply *reply, const char *command,
                        size_t command_len, const char *host, size_t host_len,
                        smtpc_error *err)
{
    if (out == NULL || reply == NULL || (host == NULL && host_len > 0))
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0, "NULL argument");
    const smtpc_provider *provider =
        host_len > 0 ? smtpc_provider_of_host(smtpc_reply_db(reply), host, host_len) : NULL;
    return smtpc_classify_reply(out, reply, command, command_len, provider, err);
}

int smtpc_classify_code(smtpc_verdict *out, const smtpc_db *db, int code, const char *enhanced,
                        size_t enhanced_len, const char *command, size_t command_len,
                        smtpc_error *err)
{
    return smtpc_classify_parts(out, db, NULL, code, enhanced, enhanced_len, command,
                                command_len, NULL, 0, err);
}

int smtpc_classify_parts(smtpc_verdict *out, const smtpc_db *db, const char *provider, int code,
                         const char *enhanced, size_t enhanced_len, const char *command,
                         size_t command_len, const char *text, size_t text_len,
                         smtpc_error *err)
{
    if (out == NULL || (enhanced == NULL && enhanced_len > 0) || (text == NULL && text_len > 0))
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0, "NULL argument");
    if (db == NULL)
        db = smtpc_db_builtin();
    if (code < 200 || code > 599)
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0,
                               "%d is not a reply code: expected 200 to 599", code);
    char canonical[SMTPC_CODE_TEXT_SIZE] = "";
    if (enhanced_len > 0) {
        smtpc_code parsed;
        int rc = smtpc_code_parse(&parsed, enhanced, enhanced_len, err);
        if (rc != 0)
            return rc;
        if (parsed.kind != SMTPC_KIND_ENHANCED || parsed.klass == 0)
            return smtpc_set_error(err, SMTPC_ESYNTAX, "", 0, 1,
                                   "expected an enhanced code with a class, such as 5.7.1");
        smtpc_code_format(canonical, &parsed);
    }
    const char *answered;
    int rc = caller_command(&answered, command, command_len, err);
    if (rc != 0)
        return rc;
    const smtpc_provider *p;
    rc = smtpc_provider_argument(&p, db, provider, err);
    if (rc != 0)
        return rc;
    return smtpc_classify_decide(out, db, p, code, canonical, answered, text, text_len, err);
}
