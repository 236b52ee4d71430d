#!/usr/bin/env python3
"""Generates the benchmark inputs (never committed; run.sh writes them under build-bench/).

    gen_inputs.py log SIZE_MB OUT [DAY] a Postfix log of about SIZE_MB megabytes (10**6 bytes),
                                        of day DAY of the month (default 1; each day has its
                                        own seed: logs of several days differ)
    gen_inputs.py replies VECTORS OUT   the reply corpus: the well-formed replies of
                                        tests/vectors/replies.tsv plus real-world replies

The log reads like a busy Postfix relay's mail.log: each message goes through smtpd (connect,
client=, disconnect), cleanup, qmgr (from=, removed) and one or more smtp/lmtp/local deliveries
that are sent (250 ...), deferred (host said: 4xx ...) or bounced (host said: 5xx ...), with
NOQUEUE rejects of smtpd, connection timeouts (no reply code), TLS and anvil noise between them.
About a quarter of the lines carry a reply. The output depends only on the size and the day:
the same seed is used every time, so that runs are comparable.

The corpus file is a sequence of records "LENGTH\\n" + LENGTH bytes (one complete reply each,
CRLF line ends as on the wire), easy to read from C, Python, Lua and Perl alike.
"""

import random
import sys

MONTHS = ["Nov"]
HOSTS = ["mx1", "mx2"]
REMOTE = [
    ("gmail-smtp-in.l.google.com", "142.250.27.27"),
    ("alt1.gmail-smtp-in.l.google.com", "142.250.153.26"),
    ("example-com.mail.protection.outlook.com", "52.101.68.18"),
    ("mx01.mail.icloud.com", "17.57.156.29"),
    ("mta7.am0.yahoodns.net", "67.195.204.72"),
    ("mx.example.net", "198.51.100.7"),
    ("mail.example.org", "203.0.113.25"),
    ("mx00.ionos.de", "212.227.15.41"),
    ("mx.yandex.net", "77.88.21.249"),
    ("smtp.secureserver.net", "68.178.213.203"),
]
CLIENTS = [
    ("mail-wr1-f54.google.com", "209.85.221.54"),
    ("mail-eopbgr80053.outbound.protection.outlook.com", "40.107.8.53"),
    ("unknown", "203.0.113.9"),
    ("unknown", "198.51.100.77"),
    ("mta-out.example.com", "192.0.2.44"),
    ("localhost", "127.0.0.1"),
]
USERS = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy",
         "mallory", "niaj", "olivia", "peggy", "rupert", "sybil", "trent", "victor", "walter"]
DOMAINS = ["example.com", "example.net", "example.org", "gmail.com", "outlook.com",
           "yahoo.com", "icloud.com", "web.de", "yandex.ru", "mail.example.co.uk"]

# (weight, reply text as the remote server sent it, in-reply-to command or None)
SENT = [
    (30, "250 2.0.0 OK  {ts} {qid2}.{n} - gsmtp", None),
    (15, "250 2.6.0 <{msgid}> [InternalId={n}, Hostname=AM0PR01MB{n}.eurprd01.prod.outlook.com] "
         "{n} bytes in 0.{n2}, {n2}.{n} KB/sec Queued mail for delivery", None),
    (15, "250 2.0.0 Ok: queued as {qid2}", None),
    (8, "250 ok dirdel", None),
    (6, "250 Requested mail action okay, completed: id={qid2}", None),
    (4, "250 2.0.0 {qid2} Message accepted for delivery", None),
]
DEFERRED = [
    (10, "450 4.2.1 The user you are trying to contact is receiving mail at a rate that "
         "prevents additional messages from being delivered. Please resend your message at a "
         "later time. {n} - gsmtp", "RCPT TO"),
    (10, "451 4.7.1 Greylisting in action, please come back later", "RCPT TO"),
    (6, "421 4.7.0 [TSS04] Messages from {cip} temporarily deferred due to unexpected volume "
        "or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes",
        None),
    (6, "452 4.2.2 The email account that you tried to reach is over quota. Please direct the "
        "recipient to https://support.google.com/mail/?p=OverQuotaTemp {n} - gsmtp",
        "RCPT TO"),
    (4, "451 4.3.0 Temporary system failure, please try again later", "end of DATA"),
    (3, "450 4.1.8 <{sender}>: Sender address rejected: Domain not found", "RCPT TO"),
    (3, "452 Too many recipients received this hour", "RCPT TO"),
    (2, "552 Too many recipients", "RCPT TO"),
    (2, "454 4.7.0 TLS not available due to local problem", "STARTTLS"),
]
BOUNCED = [
    (12, "550 5.1.1 <{rcpt}>: Recipient address rejected: User unknown in virtual mailbox "
         "table", "RCPT TO"),
    (10, "550-5.1.1 The email account that you tried to reach does not exist. Please try "
         "550-5.1.1 double-checking the recipient's email address for typos or 550-5.1.1 "
         "unnecessary spaces. Learn more at 550 5.1.1  https://support.google.com/mail/?p="
         "NoSuchUser {n} - gsmtp", "RCPT TO"),
    (6, "550 5.7.26 This mail has been blocked because the sender is unauthenticated. Gmail "
        "requires all senders to authenticate with either SPF or DKIM. {n} - gsmtp",
        "end of DATA"),
    (6, "554 5.7.1 Service unavailable; Client host [{cip}] blocked using zen.spamhaus.org",
        "RCPT TO"),
    (5, "552 5.2.2 <{rcpt}>: Recipient address rejected: Mailbox full", "RCPT TO"),
    (4, "550 5.4.1 Recipient address rejected: Access denied. [AM0PR01MB{n}.eurprd01.prod."
        "outlook.com]", "RCPT TO"),
    (4, "553 5.1.3 <{rcpt}>: Recipient address rejected: not a valid address", "RCPT TO"),
    (3, "554 4.4.7 Message expired", "end of DATA"),
    (3, "550 Requested action not taken: mailbox unavailable", "RCPT TO"),
    (2, "571 Delivery not authorized, message refused", "RCPT TO"),
    (2, "552 5.3.4 Message size exceeds fixed limit", "end of DATA"),
]
REJECTS = [
    (10, "554 5.7.1 Service unavailable; Client host [{cip}] blocked using zen.spamhaus.org; "
         "https://www.spamhaus.org/query/ip/{cip}"),
    (8, "450 4.7.1 Client host rejected: cannot find your hostname, [{cip}]"),
    (6, "554 5.7.1 <{rcpt}>: Relay access denied"),
    (5, "450 4.1.8 <{sender}>: Sender address rejected: Domain not found"),
    (4, "550 5.1.1 <{rcpt}>: Recipient address rejected: User unknown in local recipient "
        "table"),
    (3, "504 5.5.2 <{helo}>: Helo command rejected: need fully-qualified hostname"),
    (3, "452 4.3.1 Insufficient system storage"),
]


def dsn_of(reply, default):
    """Postfix's dsn= field: the enhanced code of the reply, or one made from its class."""
    word = reply[4:].split(" ", 1)[0]
    return word if word[:1] in "245" and word.count(".") == 2 else default


class Log:
    def __init__(self, day=1):
        self.r = random.Random(20261123 + day - 1)
        self.t = 0  # seconds since midnight
        self.day = day
        self.pid = 1000

    def qid(self):
        return "".join(self.r.choice("0123456789ABCDEF") for _ in range(10))

    def qid2(self):
        return "".join(self.r.choice("0123456789ABCDEFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz")
                       for _ in range(12))

    def stamp(self):
        self.t += self.r.choice((0, 0, 0, 1))
        if self.t >= 86400:
            self.t = 0
            self.day = self.day % 28 + 1
        h, rest = divmod(self.t, 3600)
        m, s = divmod(rest, 60)
        return "Nov %2d %02d:%02d:%02d %s" % (self.day, h, m, s, self.r.choice(HOSTS))

    def addr(self):
        return "%s%d@%s" % (self.r.choice(USERS), self.r.randrange(100),
                            self.r.choice(DOMAINS))

    def fill(self, template, **extra):
        r = self.r
        values = dict(ts=1700000000 + r.randrange(10**8), qid2=self.qid2(),
                      n=r.randrange(10**6), n2=r.randrange(1000), msgid=self.msgid(),
                      cip=self.client()[1], rcpt=self.addr(), sender=self.addr(),
                      helo="localhost")
        values.update(extra)
        return template.format(**values)

    def msgid(self):
        return "%x.%x@%s" % (self.r.getrandbits(48), self.r.getrandbits(24),
                             self.r.choice(DOMAINS))

    def client(self):
        return self.r.choice(CLIENTS)

    def pick(self, table):
        return self.r.choices(table, weights=[row[0] for row in table])[0]

    def message(self, out):
        """The lines of one message's life, from connect to removed."""
        r = self.r
        qid = self.qid()
        cname, cip = self.client()
        spid, cpid, qpid = r.randrange(1000, 99999), r.randrange(1000, 99999), 1234
        out.append("%s postfix/smtpd[%d]: connect from %s[%s]" % (self.stamp(), spid, cname, cip))
        if r.random() < 0.3:
            out.append("%s postfix/smtpd[%d]: Anonymous TLS connection established from %s[%s]: "
                       "TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)"
                       % (self.stamp(), spid, cname, cip))
        if r.random() < 0.18:
            row = self.pick(REJECTS)
            reply = self.fill(row[1], cip=cip)
            out.append("%s postfix/smtpd[%d]: NOQUEUE: reject: RCPT from %s[%s]: %s; from=<%s> "
                       "to=<%s> proto=ESMTP helo=<%s>"
                       % (self.stamp(), spid, cname, cip, reply, self.addr(), self.addr(),
                          cname if cname != "unknown" else "[%s]" % cip))
            out.append("%s postfix/smtpd[%d]: disconnect from %s[%s] ehlo=1 mail=1 rcpt=0/1 "
                       "quit=1 commands=3/4" % (self.stamp(), spid, cname, cip))
            return
        sender = self.addr()
        out.append("%s postfix/smtpd[%d]: %s: client=%s[%s]" % (self.stamp(), spid, qid, cname,
                                                                   cip))
        out.append("%s postfix/cleanup[%d]: %s: message-id=<%s>" % (self.stamp(), cpid, qid,
                                                                     self.msgid()))
        nrcpt = r.choice((1, 1, 1, 1, 2, 3))
        out.append("%s postfix/qmgr[%d]: %s: from=<%s>, size=%d, nrcpt=%d (queue active)"
                   % (self.stamp(), qpid, qid, sender, r.randrange(900, 90000), nrcpt))
        out.append("%s postfix/smtpd[%d]: disconnect from %s[%s] ehlo=2 starttls=1 mail=1 rcpt=%d "
                   "data=1 quit=1 commands=%d" % (self.stamp(), spid, cname, cip, nrcpt,
                                                   6 + nrcpt))
        for _ in range(nrcpt):
            self.delivery(out, qid)
        out.append("%s postfix/qmgr[%d]: %s: removed" % (self.stamp(), qpid, qid))

    def delivery(self, out, qid):
        r = self.r
        rname, rip = r.choice(REMOTE)
        pid = r.randrange(1000, 99999)
        rcpt = self.addr()
        delay = r.random() * 5
        head = ("%s postfix/smtp[%d]: %s: to=<%s>, relay=%s[%s]:25, delay=%.2g, "
                "delays=%.2g/0.01/%.2g/%.2g, " % (self.stamp(), pid, qid, rcpt, rname, rip, delay,
                                                  delay / 4, delay / 3, delay / 3))
        u = r.random()
        if u < 0.66:
            if r.random() < 0.1:
                out.append("%s postfix/local[%d]: %s: to=<%s>, relay=local, delay=0.1, "
                           "delays=0.08/0.01/0/0.01, dsn=2.0.0, status=sent (delivered to "
                           "mailbox)" % (self.stamp(), pid, qid, rcpt))
                return
            if r.random() < 0.3:
                out.append("%s postfix/smtp[%d]: Trusted TLS connection established to %s[%s]:25:"
                           " TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)"
                           % (self.stamp(), pid, rname, rip))
            row = self.pick(SENT)
            reply = self.fill(row[1], rcpt=rcpt)
            dsn = dsn_of(reply, "2.0.0")
            out.append(head + "dsn=%s, status=sent (%s)" % (dsn, reply))
        elif u < 0.85:
            if r.random() < 0.25:
                out.append(head + "dsn=4.4.1, status=deferred (connect to %s[%s]:25: Connection "
                           "timed out)" % (rname, rip))
                return
            row = self.pick(DEFERRED)
            reply = self.fill(row[1], rcpt=rcpt)
            dsn = dsn_of(reply, "4.0.0")
            tail = " (in reply to %s command)" % row[2] if row[2] else ""
            out.append(head + "dsn=%s, status=deferred (host %s[%s] said: %s%s)"
                       % (dsn, rname, rip, reply, tail))
        else:
            row = self.pick(BOUNCED)
            reply = self.fill(row[1], rcpt=rcpt)
            dsn = dsn_of(reply, "5.0.0")
            tail = " (in reply to %s command)" % row[2] if row[2] else ""
            out.append(head + "dsn=%s, status=bounced (host %s[%s] said: %s%s)"
                       % (dsn, rname, rip, reply, tail))
            out.append("%s postfix/bounce[%d]: %s: sender non-delivery notification: %s"
                       % (self.stamp(), r.randrange(1000, 99999), qid, self.qid()))

    def noise(self, out):
        r = self.r
        u = r.random()
        cname, cip = self.client()
        if u < 0.3:
            out.append("%s postfix/anvil[%d]: statistics: max connection rate 3/60s for "
                       "(smtp:%s) at Nov %2d %02d:00:00" % (self.stamp(), r.randrange(1000, 9999),
                                                            cip, self.day, self.t // 3600))
        elif u < 0.6:
            out.append("%s postfix/smtpd[%d]: lost connection after AUTH from %s[%s]"
                       % (self.stamp(), r.randrange(1000, 99999), cname, cip))
        elif u < 0.8:
            out.append("%s postfix/smtpd[%d]: warning: hostname %s does not resolve to address "
                       "%s: Name or service not known" % (self.stamp(), r.randrange(1000, 99999),
                                                           cname, cip))
        else:
            out.append("%s postfix/postscreen[%d]: CONNECT from [%s]:%d to [192.0.2.1]:25"
                       % (self.stamp(), r.randrange(1000, 99999), cip, r.randrange(1024, 65535)))


def write_log(size_mb, path, day=1):
    target = int(size_mb * 10**6)
    log = Log(day)
    written = 0
    with open(path, "w", encoding="ascii", newline="\n") as f:
        while written < target:
            out = []
            for _ in range(200):
                log.message(out)
                if log.r.random() < 0.5:
                    log.noise(out)
            chunk = "\n".join(out) + "\n"
            if written + len(chunk) > target:
                keep = chunk[: target - written]
                chunk = keep[: keep.rfind("\n") + 1] if "\n" in keep else ""
                if not chunk:
                    break
            f.write(chunk)
            written += len(chunk)


# ---- the reply corpus ----

REAL_REPLIES = [
    # multi-line EHLO replies as big providers and Postfix send them
    "250-mx.google.com at your service, [192.0.2.44]\r\n250-SIZE 157286400\r\n250-8BITMIME\r\n"
    "250-STARTTLS\r\n250-ENHANCEDSTATUSCODES\r\n250-PIPELINING\r\n250-CHUNKING\r\n"
    "250 SMTPUTF8\r\n",
    "250-AM0PR01CA0123.outlook.office365.com Hello [192.0.2.44]\r\n250-SIZE 157286400\r\n"
    "250-PIPELINING\r\n250-DSN\r\n250-ENHANCEDSTATUSCODES\r\n250-STARTTLS\r\n250-8BITMIME\r\n"
    "250-BINARYMIME\r\n250-CHUNKING\r\n250 SMTPUTF8\r\n",
    "250-mail.example.org\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-VRFY\r\n250-ETRN\r\n"
    "250-STARTTLS\r\n250-AUTH PLAIN LOGIN\r\n250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n"
    "250-DSN\r\n250 CHUNKING\r\n",
    "250-mta7.am0.yahoodns.net\r\n250-PIPELINING\r\n250-SIZE 41943040\r\n250-8BITMIME\r\n"
    "250 STARTTLS\r\n",
    # a session's other replies
    "220 mx.google.com ESMTP a1si123456wra.12 - gsmtp\r\n",
    "220 mail.example.org ESMTP Postfix (Debian/GNU)\r\n",
    "220-mx.example.net ESMTP Exim 4.96 Mon, 23 Nov 2026 10:00:00 +0000\r\n"
    "220-We do not authorize the use of this system to transport unsolicited,\r\n"
    "220 and/or bulk e-mail.\r\n",
    "250 2.1.0 OK a1si123456wra.12 - gsmtp\r\n",
    "250 2.1.5 OK a1si123456wra.12 - gsmtp\r\n",
    "250 2.1.0 Ok\r\n",
    "250 2.1.5 Ok\r\n",
    "354 End data with <CR><LF>.<CR><LF>\r\n",
    "354  Go ahead a1si123456wra.12 - gsmtp\r\n",
    "250 2.0.0 Ok: queued as 4XyZ1Q2Rz9sT\r\n",
    "250 2.0.0 OK  1700733602 a1si123456wra.12 - gsmtp\r\n",
    "221 2.0.0 Bye\r\n",
    "221 2.0.0 closing connection a1si123456wra.12 - gsmtp\r\n",
    "235 2.7.0 Authentication successful\r\n",
    "334 VXNlcm5hbWU6\r\n",
    "220 2.0.0 Ready to start TLS\r\n",
    # failures as servers word them
    "550-5.1.1 The email account that you tried to reach does not exist. Please try\r\n"
    "550-5.1.1 double-checking the recipient's email address for typos or\r\n"
    "550-5.1.1 unnecessary spaces. Learn more at\r\n"
    "550 5.1.1  https://support.google.com/mail/?p=NoSuchUser a1si123456wra.12 - gsmtp\r\n",
    "421-4.7.0 [192.0.2.44      15] Our system has detected an unusual rate of\r\n"
    "421-4.7.0 unsolicited mail originating from your IP address. To protect our\r\n"
    "421-4.7.0 users from spam, mail sent from your IP address has been temporarily\r\n"
    "421 4.7.0 rate limited. a1si123456wra.12 - gsmtp\r\n",
    "550 5.7.1 Service unavailable, Client host [192.0.2.44] blocked using Spamhaus.\r\n",
    "451 4.7.1 Greylisting in action, please come back later\r\n",
    "450 4.2.1 The user you are trying to contact is receiving mail at a rate that\r\n",
    "452 4.5.3 Too many recipients\r\n",
    "552 5.2.2 Mailbox full\r\n",
    "554 5.7.1 <z@example.org>: Relay access denied\r\n",
    "503 5.5.1 Error: need RCPT command\r\n",
    "500 5.5.2 Error: command not recognized\r\n",
    "501 5.5.4 Syntax: EHLO hostname\r\n",
    "502 5.5.2 Error: command not recognized\r\n",
    "504 5.5.2 <localhost>: Helo command rejected: need fully-qualified hostname\r\n",
    "530 5.7.0 Must issue a STARTTLS command first\r\n",
    "535 5.7.8 Error: authentication failed: authentication failure\r\n",
    "550 5.7.26 This mail has been blocked because the sender is unauthenticated.\r\n",
]


def unescape(cell):
    if cell == "<empty>":
        return b""
    out = bytearray()
    i = 0
    simple = {"r": b"\r", "n": b"\n", "t": b"\t", "s": b" ", "0": b"\0", "\\": b"\\"}
    while i < len(cell):
        c = cell[i]
        if c == "\\" and i + 1 < len(cell):
            e = cell[i + 1]
            if e == "x":
                out.append(int(cell[i + 2:i + 4], 16))
                i += 4
                continue
            out += simple.get(e, e.encode())
            i += 2
            continue
        out += c.encode("utf-8")
        i += 1
    return bytes(out)


def vector_replies(path):
    """The well-formed replies of the golden vectors that stand alone on the wire: status ok,
    not embedded, ending in a line end, valid UTF-8 (so every front end reads them alike)."""
    replies = []
    header = None
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            cells = line.split("\t")
            if header is None:
                header = cells
                continue
            row = dict(zip(header, cells))
            if row["status"] != "ok" or "embedded" in row["flags"]:
                continue
            data = unescape(row["input"])
            if not data.endswith(b"\n"):
                continue
            try:
                data.decode("utf-8")
            except UnicodeDecodeError:
                continue
            # only the first reply of a pipelined case
            replies.append(data[: int(row["consumed"])])
    return replies


def write_replies(vectors, path):
    replies = vector_replies(vectors) + [r.encode("ascii") for r in REAL_REPLIES]
    with open(path, "wb") as f:
        for data in replies:
            f.write(b"%d\n" % len(data))
            f.write(data)
    return len(replies)


def main(argv):
    if len(argv) in (4, 5) and argv[1] == "log":
        write_log(float(argv[2]), argv[3], int(argv[4]) if len(argv) == 5 else 1)
    elif len(argv) == 4 and argv[1] == "replies":
        write_replies(argv[2], argv[3])
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
