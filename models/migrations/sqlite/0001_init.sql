-- The whole signatory lifecycle of the charter: applications and the public list, the one-time
-- tokens emailed to contacts, the append-only audit log, the outbox of mail, administrators and
-- their server-side sessions.

CREATE TABLE signatories (
    id              INTEGER PRIMARY KEY,
    slug            TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL,
    -- name folded for comparison: lower case, no accents, no punctuation; used to find duplicates
    -- and to sort by name
    name_key        TEXT NOT NULL,
    category        TEXT NOT NULL CHECK (category IN
                        ('government', 'business', 'civil_society', 'academia', 'international')),
    country         TEXT NOT NULL CHECK (length(country) = 2),
    website         TEXT NOT NULL,
    website_domain  TEXT NOT NULL,
    statement       TEXT NOT NULL DEFAULT '',
    contact_name    TEXT NOT NULL,
    contact_role    TEXT NOT NULL,
    contact_email   TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN
                        ('submitted', 'pending', 'approved', 'rejected', 'withdrawn', 'revoked', 'cancelled')),
    -- the reason given with the latest rejection or revocation
    status_reason   TEXT NOT NULL DEFAULT '',
    charter_version TEXT NOT NULL,
    created_at      DATETIME NOT NULL,
    updated_at      DATETIME NOT NULL,
    confirmed_at    DATETIME,
    approved_at     DATETIME,
    rejected_at     DATETIME,
    withdrawn_at    DATETIME,
    revoked_at      DATETIME
);
CREATE INDEX signatories_status_approved ON signatories (status, approved_at DESC, id DESC);
CREATE INDEX signatories_status_category ON signatories (status, category, approved_at DESC, id DESC);
CREATE INDEX signatories_status_country ON signatories (status, country, approved_at DESC, id DESC);
CREATE INDEX signatories_status_name ON signatories (status, name_key, id);
CREATE INDEX signatories_status_created ON signatories (status, created_at);
CREATE INDEX signatories_contact_email ON signatories (contact_email);
CREATE INDEX signatories_website_domain ON signatories (website_domain);
CREATE INDEX signatories_name_key ON signatories (name_key);

-- Possible duplicates and impersonations found when an application arrives; shown to reviewers,
-- never used to reject on their own.
CREATE TABLE signatory_flags (
    id           INTEGER PRIMARY KEY,
    signatory_id INTEGER NOT NULL REFERENCES signatories (id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN
                     ('duplicate_email', 'duplicate_domain', 'duplicate_name', 'email_domain_mismatch')),
    other_id     INTEGER REFERENCES signatories (id) ON DELETE SET NULL,
    created_at   DATETIME NOT NULL
);
CREATE INDEX signatory_flags_signatory ON signatory_flags (signatory_id);
CREATE INDEX signatory_flags_other ON signatory_flags (other_id);

-- One-time links mailed to a signatory's contact. Only the SHA-256 of the token is stored.
CREATE TABLE tokens (
    id           INTEGER PRIMARY KEY,
    signatory_id INTEGER NOT NULL REFERENCES signatories (id) ON DELETE CASCADE,
    purpose      TEXT NOT NULL CHECK (purpose IN ('confirm', 'manage')),
    hash         TEXT NOT NULL UNIQUE,
    created_at   DATETIME NOT NULL,
    expires_at   DATETIME NOT NULL,
    used_at      DATETIME
);
CREATE INDEX tokens_signatory ON tokens (signatory_id, purpose);

-- Every transition and decision, append-only. signatory_id is deliberately not a foreign key:
-- the record of a purged application outlives it, and holds no personal data.
CREATE TABLE audit_events (
    id           INTEGER PRIMARY KEY,
    created_at   DATETIME NOT NULL,
    actor        TEXT NOT NULL CHECK (actor IN ('system', 'contact', 'admin')),
    admin_id     INTEGER,
    signatory_id INTEGER,
    action       TEXT NOT NULL,
    from_status  TEXT NOT NULL DEFAULT '',
    to_status    TEXT NOT NULL DEFAULT '',
    reason       TEXT NOT NULL DEFAULT '',
    -- JSON with whatever else the action needs to be understood later (e.g. before and after of an edit)
    detail       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_events_signatory ON audit_events (signatory_id, id);
CREATE INDEX audit_events_admin ON audit_events (admin_id, id);
CREATE INDEX audit_events_action ON audit_events (action, id);
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;

-- Mail waiting to be sent, and mail sent. A message is written in the same transaction as the
-- change it tells of, and marked sent only once an SMTP server has accepted it.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    created_at      DATETIME NOT NULL,
    to_addr         TEXT NOT NULL,
    subject         TEXT NOT NULL,
    body            TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at DATETIME NOT NULL,
    last_error      TEXT NOT NULL DEFAULT '',
    sent_at         DATETIME
);
CREATE INDEX outbox_unsent ON outbox (next_attempt_at) WHERE sent_at IS NULL;

CREATE TABLE admins (
    id            INTEGER PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE COLLATE NOCASE,
    password_hash TEXT NOT NULL,
    created_at    DATETIME NOT NULL,
    last_login_at DATETIME,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until  DATETIME,
    disabled_at   DATETIME
);

-- Server-side sessions: the cookie holds a random id, the table only its SHA-256.
CREATE TABLE sessions (
    id_hash      TEXT PRIMARY KEY,
    admin_id     INTEGER NOT NULL REFERENCES admins (id) ON DELETE CASCADE,
    created_at   DATETIME NOT NULL,
    last_seen_at DATETIME NOT NULL,
    expires_at   DATETIME NOT NULL,
    flash        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_admin ON sessions (admin_id);
