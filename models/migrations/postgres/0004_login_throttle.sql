-- As sqlite/0004_login_throttle.sql (dropped again by 0006).
CREATE TABLE login_throttle (
    client_addr     TEXT PRIMARY KEY,
    failures        INTEGER NOT NULL DEFAULT 0,
    last_failure_at TIMESTAMPTZ NOT NULL,
    locked_until    TIMESTAMPTZ
);
