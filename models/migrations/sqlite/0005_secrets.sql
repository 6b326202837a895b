-- Keys the application generates for itself (e.g. to sign the time stamp of a form), kept in the
-- database so that every instance and every restart uses the same ones.
CREATE TABLE secrets (
    name       TEXT PRIMARY KEY,
    value      BLOB NOT NULL,
    created_at DATETIME NOT NULL
);
