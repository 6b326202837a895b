-- Charter versions and re-affirmation (issue 14). Every text of charter.md that was published is
-- a row: its content hash (what signatories.charter_version holds), a label for people ("1",
-- "2.0"), when it was published, whether the change was material (then every approved signatory
-- is asked to re-affirm), a summary of the change, and the texts themselves, so that an old text
-- stays readable at /charter/versions/LABEL. text_en is '' for a version whose text is not known
-- (one only found in old signatures); text_ru is '' when no translation of that version is stored.
-- The rows are written by the program: at start (the first version, and the versions found in old
-- signatures) and by `charter publish-version`.
CREATE TABLE charter_versions (
    id             INTEGER PRIMARY KEY,
    hash           TEXT NOT NULL UNIQUE,
    label          TEXT NOT NULL UNIQUE,
    published_at   DATETIME NOT NULL,
    material       BOOLEAN NOT NULL DEFAULT FALSE,
    summary        TEXT NOT NULL DEFAULT '',
    text_en        TEXT NOT NULL DEFAULT '',
    text_ru        TEXT NOT NULL DEFAULT '',
    -- for a material version, the highest signatory id asked to re-affirm so far: the mailing
    -- goes in batches, and a second run of the command goes on from here
    mailed_through INTEGER NOT NULL DEFAULT 0
);

-- The latest version a signatory re-affirmed (its hash; '' for none), and when.
ALTER TABLE signatories ADD COLUMN reaffirmed_version TEXT NOT NULL DEFAULT '';
ALTER TABLE signatories ADD COLUMN reaffirmed_at DATETIME;

-- Re-affirmation links are one-time tokens of their own purpose. SQLite cannot change a CHECK
-- constraint, so the table is built again with the new purpose allowed, its rows copied. Nothing
-- refers to tokens, so dropping the old table is safe.
CREATE TABLE tokens_new (
    id           INTEGER PRIMARY KEY,
    signatory_id INTEGER NOT NULL REFERENCES signatories (id) ON DELETE CASCADE,
    purpose      TEXT NOT NULL CHECK (purpose IN ('confirm', 'manage', 'reaffirm')),
    hash         TEXT NOT NULL UNIQUE,
    created_at   DATETIME NOT NULL,
    expires_at   DATETIME NOT NULL,
    used_at      DATETIME
);
INSERT INTO tokens_new (id, signatory_id, purpose, hash, created_at, expires_at, used_at)
SELECT id, signatory_id, purpose, hash, created_at, expires_at, used_at FROM tokens;
DROP TABLE tokens;
ALTER TABLE tokens_new RENAME TO tokens;
CREATE INDEX tokens_signatory ON tokens (signatory_id, purpose);

-- The public pages show the versions (the list of texts, each signatory's "has not yet
-- re-affirmed the current version"), so a new or changed version is a public change. A
-- re-affirmation updates an approved signatory, which the triggers of 0003 already count.
CREATE TRIGGER public_state_charter_version_insert AFTER INSERT ON charter_versions
BEGIN
    UPDATE public_state SET version = version + 1 WHERE id = 1;
END;

-- (mailed_through is not public: the mailing's progress does not empty the caches.)
CREATE TRIGGER public_state_charter_version_update
AFTER UPDATE OF label, published_at, material, summary, text_en, text_ru ON charter_versions
BEGIN
    UPDATE public_state SET version = version + 1 WHERE id = 1;
END;
