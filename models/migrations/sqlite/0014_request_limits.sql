-- Per-client request limits of the forms (issue 15): held in the database, so that a client whose
-- requests are spread over several instances meets one limit, and a restart does not refill it.
-- One row per client and form group; tat_ms is the GCRA "theoretical arrival time" in Unix
-- milliseconds, as in login_limits. A row whose tat_ms is past says nothing and may be deleted.
CREATE TABLE request_limits (
    key    TEXT PRIMARY KEY,
    tat_ms INTEGER NOT NULL
);
CREATE INDEX request_limits_tat ON request_limits (tat_ms);
