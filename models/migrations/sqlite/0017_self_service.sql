-- Self-service (issue 17): the contact of an approved signatory keeps its entry current from the
-- emailed manage link. The statement changes at once (no table needed); a new name, website or
-- country waits here for a reviewer; a new contact person waits here until the new address
-- confirms; a renamed organisation keeps its former names for its public page.

-- A change of name, website or country proposed by the contact. At most one is open per
-- signatory: a new proposal marks the open one 'replaced'. The proposed values are whole (the
-- form starts from the current ones) and already normalised (models.PublicInput.Normalize).
-- The old_ columns are the public values when it was proposed, for the record; the review queue
-- compares with the values of the moment. decided_by is the reviewer who approved or rejected.
CREATE TABLE signatory_proposals (
    id             INTEGER PRIMARY KEY,
    signatory_id   INTEGER NOT NULL REFERENCES signatories (id) ON DELETE CASCADE,
    status         TEXT NOT NULL CHECK (status IN ('open', 'approved', 'rejected', 'replaced')),
    name           TEXT NOT NULL,
    country        TEXT NOT NULL,
    website        TEXT NOT NULL,
    website_domain TEXT NOT NULL,
    old_name       TEXT NOT NULL,
    old_country    TEXT NOT NULL,
    old_website    TEXT NOT NULL,
    reason         TEXT NOT NULL DEFAULT '',
    created_at     DATETIME NOT NULL,
    decided_at     DATETIME,
    decided_by     INTEGER REFERENCES admins (id)
);
-- One open proposal per signatory, held by the database (a partial index: SQLite and PostgreSQL
-- both have them).
CREATE UNIQUE INDEX signatory_proposals_open ON signatory_proposals (signatory_id) WHERE status = 'open';
-- The review queue: the open ones, oldest first.
CREATE INDEX signatory_proposals_status ON signatory_proposals (status, created_at, id);

-- The duplicate and impersonation checks of sign-up, run on a proposal's values: which other open
-- or approved signatories have the proposed name or website domain, and whether the contact's
-- email is off the proposed domain. The kinds are those of signatory_flags.
CREATE TABLE proposal_flags (
    id          INTEGER PRIMARY KEY,
    proposal_id INTEGER NOT NULL REFERENCES signatory_proposals (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN
                    ('duplicate_email', 'duplicate_domain', 'duplicate_name', 'email_domain_mismatch')),
    other_id    INTEGER REFERENCES signatories (id) ON DELETE SET NULL
);
CREATE INDEX proposal_flags_proposal ON proposal_flags (proposal_id);

-- A hand-over to a new contact person, waiting for the new address to confirm through its own
-- emailed link (only the SHA-256 of the link's token is stored, as in tokens). A newer hand-over
-- of the same signatory cancels a waiting one. On confirmation the signatory's contact becomes
-- this one and every manage link of the old contact stops working. These are not rows of tokens:
-- the new person's name, role and address must be kept somewhere until they confirm, and a
-- purpose added to tokens would mean building that table again (its CHECK) as 0012 did.
CREATE TABLE contact_handovers (
    id            INTEGER PRIMARY KEY,
    signatory_id  INTEGER NOT NULL REFERENCES signatories (id) ON DELETE CASCADE,
    contact_name  TEXT NOT NULL,
    contact_role  TEXT NOT NULL,
    contact_email TEXT NOT NULL,
    hash          TEXT NOT NULL UNIQUE,
    created_at    DATETIME NOT NULL,
    expires_at    DATETIME NOT NULL,
    confirmed_at  DATETIME,
    cancelled_at  DATETIME
);
CREATE INDEX contact_handovers_signatory ON contact_handovers (signatory_id);

-- The names an organisation had before an approved rename, each with the time it stopped being
-- its name, for "formerly …" on its public page. The rename updates the signatory in the same
-- transaction, so the triggers of 0003 already empty the public caches.
CREATE TABLE signatory_former_names (
    id           INTEGER PRIMARY KEY,
    signatory_id INTEGER NOT NULL REFERENCES signatories (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    until        DATETIME NOT NULL
);
CREATE INDEX signatory_former_names_signatory ON signatory_former_names (signatory_id, until);
