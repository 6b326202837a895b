-- Public forms' time stamps that were already accepted once, by the SHA-256 of the stamp (hex), kept
-- until the stamp would have expired anyway. The primary key makes a second use of a stamp fail
-- atomically, across instances: one form served feeds one accepted post.
CREATE TABLE used_stamps (
    hash       TEXT PRIMARY KEY,
    expires_at DATETIME NOT NULL
);
CREATE INDEX used_stamps_expires_at ON used_stamps (expires_at);
