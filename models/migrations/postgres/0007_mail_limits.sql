-- As sqlite/0007_mail_limits.sql: GCRA mail limiters, tat in Unix milliseconds.
CREATE TABLE mail_limits (
    key TEXT PRIMARY KEY,
    tat BIGINT NOT NULL
);

ALTER TABLE outbox ADD COLUMN failed_at TIMESTAMPTZ;
CREATE INDEX outbox_failed ON outbox (failed_at) WHERE failed_at IS NOT NULL;
