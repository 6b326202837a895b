-- Sign-in limits that decay (issue 10). Each row is one allowance of failed sign-ins: an account
-- for clients it does not know, a client address (IPv6 by /64), or a device that signed in
-- before. tat_ms is the GCRA "theoretical arrival time" in Unix milliseconds: the allowance is
-- full when it is in the past, and each attempt moves it one interval on. A row whose tat_ms is
-- past says nothing and may be deleted.
CREATE TABLE login_limits (
    key    TEXT PRIMARY KEY,
    tat_ms INTEGER NOT NULL
);
CREATE INDEX login_limits_tat ON login_limits (tat_ms);

-- The counters they replace: a failure count that never decayed, and a per-address window.
DROP TABLE login_throttle;
ALTER TABLE admins DROP COLUMN failed_logins;
ALTER TABLE admins DROP COLUMN locked_until;
