/*
 * classify.c - what a client does about a reply, where the first digit is not the whole story.
 * The rules and their order are documented at smtpc_classify() in smtpcodes.h.
 */
#include "internal.h"

#include <string.h>

static int command_is(const char *command, size_t len, const char *name)
{
    size_t n = strlen(name);
    if (len != n)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = command[i];
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        if (c != name[i])
            return 0;
    }
    return 1;
}

static void verdict(smtpc_verdict *out, int action, const char *rule, const char *reason)
{
    out->action = action;
    out->rule = rule;
    out->reason = reason;
}

/* RFC 5321 section 4.2.1: the first digit says whether the reply is good, bad or incomplete. */
static void decide_by_class(smtpc_verdict *out, int klass)
{
    switch (klass) {
    case 2:
        verdict(out, SMTPC_ACTION_DONE, "class",
                "A 2xx reply means the request was completed (RFC 5321 section 4.2.1).");
        break;
    case 3:
        verdict(out, SMTPC_ACTION_CONTINUE, "class",
                "A 3xx reply asks for the next part of the request (RFC 5321 section 4.2.1).");
        break;
    case 4:
        verdict(out, SMTPC_ACTION_RETRY, "class",
                "A 4xx reply is a temporary failure: the same request may succeed later "
                "(RFC 5321 section 4.2.1).");
        break;
    default:
        verdict(out, SMTPC_ACTION_GIVE_UP, "class",
                "A 5xx reply is a permanent failure: the same request will fail again "
                "(RFC 5321 section 4.2.1).");
        break;
    }
}

void smtpc_classify_parts(smtpc_verdict *out, const smtpc_db *db, int code, const char *enhanced,
                          const char *command, size_t command_len)
{
    out->flags = 0;
    decide_by_class(out, code / 100);
    const smtpc_entry *entry;
    if (smtpc_lookup_number(&entry, db, code, NULL) != 0) {
        out->flags |= SMTPC_VERDICT_UNKNOWN_CODE;
        out->rule = "unknown-code";
        out->reason = code / 100 == 5 ? "An unknown 5xx code is read by its first digit as a "
                                        "permanent failure (RFC 5321 section 4.2)."
                      : code / 100 == 4 ? "An unknown 4xx code is read by its first digit as a "
                                          "temporary failure (RFC 5321 section 4.2)."
                                        : "An unknown code is read by its first digit "
                                          "(RFC 5321 section 4.2).";
    } else if (entry->connection == SMTPC_CONNECTION_CLOSED) {
        out->flags |= SMTPC_VERDICT_CONNECTION_CLOSED;
    }
    smtpc_code enh;
    int has_enhanced = enhanced != NULL && enhanced[0] != '\0' &&
                       smtpc_code_parse(&enh, enhanced, strlen(enhanced), NULL) == 0 &&
                       enh.kind == SMTPC_KIND_ENHANCED;
    if (has_enhanced && enh.klass != code / 100) {
        /* RFC 2034 section 4 makes the enhanced code additional information; clients act on the
         * reply code, so it decides, and the disagreement is reported. */
        out->flags |= SMTPC_VERDICT_CLASS_MISMATCH;
        out->rule = "class-mismatch";
        out->reason = code / 100 == 5
                          ? "The enhanced code's class disagrees with the 5xx reply code; the "
                            "reply code decides, as clients act on it (RFC 2034 section 4)."
                          : "The enhanced code's class disagrees with the reply code; the reply "
                            "code decides, as clients act on it (RFC 2034 section 4).";
        return;
    }
    /* An enhanced code says what the 552 is about; only without one, or with X.5.3 "too many
     * recipients", is a 552 to RCPT the recipient-count case. */
    int about_recipients = !has_enhanced || (enh.category == 5 && enh.detail == 3);
    if (code == 552 && about_recipients && command != NULL &&
        command_is(command, command_len, "RCPT")) {
        out->flags |= SMTPC_VERDICT_OVERRIDDEN;
        verdict(out, SMTPC_ACTION_RETRY, "too-many-recipients",
                "A 552 in answer to RCPT reports too many recipients and is to be treated as "
                "the temporary 452 (RFC 5321 section 4.5.3.1.10).");
        return;
    }
    if (has_enhanced && enh.klass == 5 && enh.category == 2 && enh.detail == 2) {
        out->flags |= SMTPC_VERDICT_OVERRIDDEN;
        verdict(out, SMTPC_ACTION_RETRY, "mailbox-full",
                "A full mailbox (X.2.2) is a persistent transient condition that clears when "
                "the recipient makes room, so it is retried (RFC 3463 section 3.3).");
    }
}

int smtpc_classify(smtpc_verdict *out, const smtpc_reply *reply, const char *command,
                   size_t command_len, smtpc_error *err)
{
    if (out == NULL || reply == NULL || (command == NULL && command_len > 0))
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0, "NULL argument");
    if (command == NULL || command_len == 0) {
        command = smtpc_reply_command(reply);
        command_len = strlen(command);
    }
    smtpc_classify_parts(out, smtpc_reply_db(reply), smtpc_reply_code(reply),
                         smtpc_reply_enhanced(reply), command, command_len);
    return 0;
}

const char *smtpc_action_name(int action)
{
    switch (action) {
    case SMTPC_ACTION_DONE: return "done";
    case SMTPC_ACTION_CONTINUE: return "continue";
    case SMTPC_ACTION_RETRY: return "retry";
    case SMTPC_ACTION_GIVE_UP: return "give-up";
    default: return "";
    }
}
