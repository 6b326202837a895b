-- As sqlite/0014_request_limits.sql: per-client form allowances (GCRA), tat_ms in Unix milliseconds.
CREATE TABLE request_limits (
    key    TEXT PRIMARY KEY,
    tat_ms BIGINT NOT NULL
);
CREATE INDEX request_limits_tat ON request_limits (tat_ms);
