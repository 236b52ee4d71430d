/*
 * readers.c - the order in which the format readers are tried. The first that recognises a
 * message reads it, so a reader that looks for a service's own header or greeting comes
 * before one that looks for words several MTAs share.
 */
#include "formats.h"

const struct smtpc_format_reader *const smtpc_format_readers[] = {
    /* a service's own header or sentence first: GMX, Zoho and Mail.Ru open with Exim's "This
     * message was created automatically by mail delivery software" */
    &smtpc_format_mailru,    /* "сервером Mail.Ru", or a mailer-daemon at mail.ru */
    &smtpc_format_zoho,      /* X-ZohoMail and "ERROR_CODE :" */
    &smtpc_format_gmx,       /* "--- The header of the original message is following. ---" */
    &smtpc_format_yahoo,     /* "Sorry, we were unable to deliver your message to the following" */
    &smtpc_format_exchange,  /* X-MS-Embedded-Report, "did not reach the following recipient(s):" */
    &smtpc_format_domino,    /* "was not delivered to:" ... "because:" */
    &smtpc_format_opensmtpd, /* "This is the MAILER-DAEMON, please DO NOT REPLY to this" */
    &smtpc_format_postfix,   /* "This is the mail system at host" */
    &smtpc_format_dma,       /* "There was an error delivering your mail to <" */
    &smtpc_format_qmail,     /* "This is the qmail-send program at" */
    &smtpc_format_exim,      /* "This message was created automatically by mail delivery
                                software." with Exim's intro or X-Failed-Recipients */
    &smtpc_format_sendmail,  /* "----- The following addresses had permanent fatal errors
                                -----", "----- Transcript of session follows -----" */
};

const size_t smtpc_format_reader_count =
    sizeof smtpc_format_readers / sizeof smtpc_format_readers[0];
