-- Limits on the mail that anyone can cause by filling in a public form (a confirmation link, a
-- manage link): per mailbox, per recipient domain and for the whole site. Each row is one
-- generic cell rate (GCRA) limiter: tat is its "theoretical arrival time" in Unix milliseconds.
-- Kept in the database so that the limits hold across restarts and across instances.
CREATE TABLE mail_limits (
    key TEXT PRIMARY KEY,
    tat INTEGER NOT NULL
) WITHOUT ROWID;

-- Mail the SMTP server refused for good (a 5xx reply), or that could not be delivered for too
-- long: no more attempts are made until an administrator sends it again from the console.
-- last_error holds a classified reason, never the server's text (which names the recipient).
ALTER TABLE outbox ADD COLUMN failed_at DATETIME;
CREATE INDEX outbox_failed ON outbox (failed_at) WHERE failed_at IS NOT NULL;
