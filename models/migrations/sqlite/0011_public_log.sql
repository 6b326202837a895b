-- The public log (docs/log.md): every public event of a signatory, as canonical text, and the
-- hashes of its Merkle tree (golang.org/x/mod/sumdb/tlog), both append-only. The log is forever:
-- no contact data is ever written here.

-- One row per entry. idx is the entry's sequence number, from 0: the primary key is what makes a
-- racing append fail rather than fork the log, should two writers ever compute the same next
-- index. body is the exact text hashed into the tree.
CREATE TABLE log_entries (
    idx          INTEGER PRIMARY KEY CHECK (idx >= 0),
    created_at   DATETIME NOT NULL,
    -- for the signatory's page to list its entries; not a foreign key, as the log outlives rows
    signatory_id INTEGER NOT NULL,
    event        TEXT NOT NULL,
    body         TEXT NOT NULL
);
CREATE INDEX log_entries_signatory ON log_entries (signatory_id, idx);

-- The stored hashes of the tree, by tlog's stored hash index (tlog.StoredHashIndex): about two
-- per entry. hash is 32 bytes.
CREATE TABLE log_hashes (
    idx  INTEGER PRIMARY KEY CHECK (idx >= 0),
    hash BLOB NOT NULL CHECK (length(hash) = 32)
);

CREATE TRIGGER log_entries_no_update BEFORE UPDATE ON log_entries
BEGIN SELECT RAISE(ABORT, 'the public log is append-only'); END;
CREATE TRIGGER log_entries_no_delete BEFORE DELETE ON log_entries
BEGIN SELECT RAISE(ABORT, 'the public log is append-only'); END;
CREATE TRIGGER log_hashes_no_update BEFORE UPDATE ON log_hashes
BEGIN SELECT RAISE(ABORT, 'the public log is append-only'); END;
CREATE TRIGGER log_hashes_no_delete BEFORE DELETE ON log_hashes
BEGIN SELECT RAISE(ABORT, 'the public log is append-only'); END;

-- A new entry changes what the public sees (the checkpoint, the signatory's page), whatever
-- else the transaction changed.
CREATE TRIGGER log_entries_public_state AFTER INSERT ON log_entries
BEGIN
    UPDATE public_state SET version = version + 1 WHERE id = 1;
END;
