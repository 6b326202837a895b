-- The public directory: a word index for search, exact counts of approved signatories, and a
-- version number of everything the public can see. All three are kept up to date by triggers, so
-- that every writer of signatories (sign-up, the admin console, a manual fix in the sqlite3 shell)
-- maintains them without knowing they exist.

-- Word and prefix search over names: an FTS4 index (compiled into the default SQLite build, unlike
-- FTS5) of name_key, which the application already folds (lower case, no accents, punctuation
-- gone: models.NameKey), so the tokenizer only splits it on spaces. It is an external-content
-- table: it stores the index, not a second copy of the names. README.md ("Search") says why FTS4
-- rather than a table of words, with the measurements.
CREATE VIRTUAL TABLE signatory_search USING fts4 (content="signatories", name_key, prefix="2,3");

CREATE TRIGGER signatory_search_insert AFTER INSERT ON signatories
BEGIN
    INSERT INTO signatory_search (docid, name_key) VALUES (NEW.id, NEW.name_key);
END;

-- FTS4 removes a row's terms by reading its current content, so this runs BEFORE the change.
CREATE TRIGGER signatory_search_before_update BEFORE UPDATE OF name_key ON signatories
BEGIN
    DELETE FROM signatory_search WHERE docid = OLD.id;
END;

CREATE TRIGGER signatory_search_after_update AFTER UPDATE OF name_key ON signatories
BEGIN
    INSERT INTO signatory_search (docid, name_key) VALUES (NEW.id, NEW.name_key);
END;

CREATE TRIGGER signatory_search_delete BEFORE DELETE ON signatories
BEGIN
    DELETE FROM signatory_search WHERE docid = OLD.id;
END;

-- The number of approved signatories per category and country, so that the home page, the
-- category links and the result count of a filter never count a million rows.
CREATE TABLE approved_counts (
    category TEXT NOT NULL,
    country  TEXT NOT NULL,
    n        INTEGER NOT NULL,
    PRIMARY KEY (category, country)
) WITHOUT ROWID;

CREATE TRIGGER approved_counts_insert AFTER INSERT ON signatories
WHEN NEW.status = 'approved'
BEGIN
    INSERT INTO approved_counts (category, country, n) VALUES (NEW.category, NEW.country, 1)
    ON CONFLICT (category, country) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER approved_counts_delete AFTER DELETE ON signatories
WHEN OLD.status = 'approved'
BEGIN
    UPDATE approved_counts SET n = n - 1 WHERE category = OLD.category AND country = OLD.country;
END;

CREATE TRIGGER approved_counts_update AFTER UPDATE OF status, category, country ON signatories
WHEN OLD.status = 'approved' OR NEW.status = 'approved'
BEGIN
    UPDATE approved_counts SET n = n - 1
    WHERE OLD.status = 'approved' AND category = OLD.category AND country = OLD.country;
    INSERT INTO approved_counts (category, country, n)
    SELECT NEW.category, NEW.country, 1 WHERE NEW.status = 'approved'
    ON CONFLICT (category, country) DO UPDATE SET n = n + 1;
END;

-- One row whose version grows whenever anything the public can see may have changed: a signatory
-- that is, was or becomes approved, withdrawn or revoked (withdrawn and revoked ones keep a
-- public page with a notice, and their badge changes). Cached pages and ETags are keyed by it.
-- epoch tells one database from another, so that an ETag never survives a new database.
CREATE TABLE public_state (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL,
    epoch   TEXT NOT NULL
);
INSERT INTO public_state (id, version, epoch) VALUES (1, 1, lower(hex(randomblob(6))));

CREATE TRIGGER public_state_insert AFTER INSERT ON signatories
WHEN NEW.status IN ('approved', 'withdrawn', 'revoked')
BEGIN
    UPDATE public_state SET version = version + 1 WHERE id = 1;
END;

CREATE TRIGGER public_state_delete AFTER DELETE ON signatories
WHEN OLD.status IN ('approved', 'withdrawn', 'revoked')
BEGIN
    UPDATE public_state SET version = version + 1 WHERE id = 1;
END;

CREATE TRIGGER public_state_update AFTER UPDATE ON signatories
WHEN OLD.status IN ('approved', 'withdrawn', 'revoked') OR NEW.status IN ('approved', 'withdrawn', 'revoked')
BEGIN
    UPDATE public_state SET version = version + 1 WHERE id = 1;
END;

-- A category and a country together, newest first. (Name order within a filter uses the name
-- index and the filter's index as the planner sees fit: each index added here slows every insert.)
CREATE INDEX signatories_status_category_country ON signatories (status, category, country, approved_at DESC, id DESC);

-- Rows that existed before this migration.
INSERT INTO signatory_search (signatory_search) VALUES ('rebuild');

INSERT INTO approved_counts (category, country, n)
SELECT category, country, COUNT(*) FROM signatories WHERE status = 'approved' GROUP BY category, country;
