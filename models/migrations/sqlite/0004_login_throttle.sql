-- Failed administrator sign-ins per client address, for the lock-out that slows a guesser who
-- tries many accounts from one place. Kept in the database, not in memory, so that several app
-- instances share it and a restart does not reset it.
CREATE TABLE login_throttle (
    client_addr     TEXT PRIMARY KEY,
    failures        INTEGER NOT NULL DEFAULT 0,
    last_failure_at DATETIME NOT NULL,
    locked_until    DATETIME
);
