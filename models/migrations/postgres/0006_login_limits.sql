-- As sqlite/0006_login_limits.sql: GCRA sign-in allowances, tat_ms in Unix milliseconds.
CREATE TABLE login_limits (
    key    TEXT PRIMARY KEY,
    tat_ms BIGINT NOT NULL
);
CREATE INDEX login_limits_tat ON login_limits (tat_ms);

DROP TABLE login_throttle;
ALTER TABLE admins DROP COLUMN failed_logins;
ALTER TABLE admins DROP COLUMN locked_until;
