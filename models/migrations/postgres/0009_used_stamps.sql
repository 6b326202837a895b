-- As sqlite/0009_used_stamps.sql.
CREATE TABLE used_stamps (
    hash       TEXT PRIMARY KEY,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX used_stamps_expires_at ON used_stamps (expires_at);
